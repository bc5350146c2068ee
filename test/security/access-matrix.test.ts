/**
 * The access matrix: every route in the app's route table × every role (the demo accounts, a second force's accounts,
 * signed out, and API tokens on /api/) × the scope of the record it names. The expected outcome comes from the
 * policy alone (`canAccess`, `canActOn`), so a new route is checked the day it is added — and a route with a path
 * parameter and no resolver below fails the test by name.
 *
 * Scopes are relative to the demo `officer` (Response team A, North BCU) unless a resolver says otherwise: `own`
 * (their record), `team` (a colleague's in the same team), `other-team` (a team in the same BCU), `other-unit` (a
 * team in another BCU), `force` (a force-wide record such as a device) and `other-force`. The other-force cells are
 * played from the far side: the same role's account in a second force asks for this force's records (caller and
 * record in different forces, the relation under test), and that force holds its own report and people so that
 * every allowed page can be searched for the other force's identifiers.
 *
 * Outcomes: allowed → 2xx or 3xx (not to sign-in); refused → 401, 403 or 404, or a redirect to sign-in when signed
 * out. A record outside the caller's scope answers 404 where the handler looks it up through a scope filter (it
 * does not say whether the record exists), 403 where the route's permission is missing altogether. Never 500.
 * POST cells send an empty form (with a valid CSRF token) or `{}`: refused roles must get 401/403/404; allowed roles
 * anything but 401/403/500 (the empty form is a validation error, so nothing changes).
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { welfareSteps } from '../../src/domain/welfare/welfare.js'
import { createUnit, createForce, createUser } from '../../src/features/admin/admin.service.js'
import { createApiToken } from '../../src/features/auth/api-tokens.js'
import {
  canAccess,
  canActOn,
  isPermission,
  scopeOf,
  type Principal,
  type RecordLocation,
} from '../../src/features/auth/policy.js'
import { findAccountByUsername, toPrincipal } from '../../src/features/auth/users.repository.js'
import { systemActor } from '../../src/features/audit/ledger.js'
import type { RouteEntry } from '../../src/web/access.js'
import { apiClientFor } from '../support/api.js'
import { Browser, csrfTokenFrom, testApp, type TestApp } from '../support/app.js'
import { validSubmission } from '../support/report-fixtures.js'

const demoUsernames = [
  'officer',
  'supervisor',
  'taser-lead',
  'authorising-officer',
  'psd',
  'analyst',
  'scrutiny',
  'admin',
] as const
const SECOND_PASSWORD = 'second-force-password'
/** Identifiers that exist only in the second force: any of them on a first-force page is a leak. */
let secondForceReference = ''
const SECOND_FORCE_COLLAR = 'ZB9'
const SECOND_FORCE_FAMILY_NAME = 'Quillfeather'

type RecordScope = 'own' | 'team' | 'other-team' | 'other-unit' | 'force'
interface Target {
  params: Record<string, string>
  location: RecordLocation
  /** Overrides `canActOn` where the policy's rule for the record is not a unit or owner (stated at the resolver). */
  allows?: (principal: Principal | null) => boolean
}
type Targets = Partial<Record<RecordScope, Target>>

interface Caller {
  label: string
  force: 'first' | 'second' | null
  principal: Principal | null
  kind: 'session' | 'token' | 'anonymous'
  headers: () => Record<string, string>
  csrf: string
}

interface Cell {
  route: RouteEntry
  caller: Caller
  scope: RecordScope | 'other-force' | 'none'
  url: string
  expected: boolean
}

let t: TestApp
const callers: Caller[] = []
const resolvers = new Map<string, Targets>()
let forceA = ''
/** Every unit of the first force → its path from the force down. */
const unitPaths = new Map<string, string[]>()
/** First-force identifiers that must never reach a second-force caller. */
let firstForceReferences = new Set<string>()
let firstForceNames: string[] = []
/** For supervisors' team-scoped lists: names of people outside the demo supervisor's team. */
let outsideTeamNames: string[] = []

beforeAll(async () => {
  t = await testApp()
  const db = t.database.db
  const deps = { db, clock: () => new Date() }
  forceA = (await db.selectFrom('forces').select('id').where('code', '=', 'demo').executeTakeFirstOrThrow()).id
  const units = await db.selectFrom('org_units').select(['id', 'parent_id']).where('force_id', '=', forceA).execute()
  const parent = new Map(units.map((u) => [u.id, u.parent_id]))
  for (const u of units) {
    const path: string[] = []
    for (let id: string | null | undefined = u.id; id; id = parent.get(id)) path.unshift(id)
    unitPaths.set(u.id, path)
  }

  // The second force, through the admin service: a BCU, a team, one account per role with a personnel record.
  const forceB = await createForce(db, deps.clock, { code: 'second', name: 'Second Constabulary' })
  const forceUnitB = (
    await db.selectFrom('org_units').select('id').where('force_id', '=', forceB).executeTakeFirstOrThrow()
  ).id
  const bcu = await createUnit(deps, systemActor, forceB, {
    name: 'Second BCU',
    code: 'sb',
    kind: 'bcu',
    parentId: forceUnitB,
  })
  if (!bcu.ok) throw new Error('second BCU')
  const team = await createUnit(deps, systemActor, forceB, {
    name: 'Second team',
    code: 'st',
    kind: 'team',
    parentId: bcu.value,
  })
  if (!team.ok) throw new Error('second team')
  const roleOf: Record<(typeof demoUsernames)[number], Principal['roles'][number]> = {
    officer: 'officer',
    supervisor: 'supervisor',
    'taser-lead': 'taser_lead',
    'authorising-officer': 'authorising_officer',
    psd: 'psd',
    analyst: 'analyst',
    scrutiny: 'scrutiny_panel',
    admin: 'admin',
  }
  for (const [i, username] of demoUsernames.entries()) {
    const created = await createUser(deps, systemActor, forceB, {
      username: `second-${username}`,
      displayName: `Second ${username}`,
      email: null,
      unitId: team.value,
      roles: [roleOf[username]],
      password: SECOND_PASSWORD,
    })
    if (!created.ok) throw new Error(`second-${username}`)
    // No service adds personnel (they come from the HR feed): a plain row, so "own" scopes have a person.
    const person = await db
      .insertInto('personnel')
      .values({
        force_id: forceB,
        unit_id: team.value,
        collar_number: `${SECOND_FORCE_COLLAR}${String(i).padStart(3, '0')}`,
        given_name: 'Ottoline',
        family_name: `${SECOND_FORCE_FAMILY_NAME}${i}`,
        rank: 'constable',
        status: 'regular',
        joined_on: '2015-04-01',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db.updateTable('users').set({ person_id: person.id }).where('id', '=', created.value).execute()
  }
  // A report in the second force through the real API, so its incident reference exists to leak.
  const secondApi = await apiClientFor(t.app, db, 'second-officer')
  const submitted = await secondApi.post('/api/v1/reports', validSubmission({}, new Date()), {
    'idempotency-key': 'matrix-second-force-1',
  })
  expect(submitted.statusCode, submitted.body).toBe(201)
  secondForceReference = (
    await db.selectFrom('incidents').select('reference').where('force_id', '=', forceB).executeTakeFirstOrThrow()
  ).reference

  firstForceReferences = new Set(
    (await db.selectFrom('incidents').select('reference').where('force_id', '=', forceA).execute()).map(
      (r) => r.reference,
    ),
  )
  // A name written in a template (an example in a hint) is text, not a record: leave those out of the search.
  const templates = readdirSync('src', { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.njk'))
    .map((f) => readFileSync(path.join('src', f), 'utf8'))
    .join('\n')
  firstForceNames = (
    await db.selectFrom('personnel').select(['given_name', 'family_name']).where('force_id', '=', forceA).execute()
  )
    .map((p) => `${p.given_name} ${p.family_name}`)
    .filter((name) => !templates.includes(name))

  await loadResolvers()
  const supervisorTeam = (await findAccountByUsername(db, 'supervisor'))!.unitPath.at(-1)!
  outsideTeamNames = (
    await db
      .selectFrom('personnel')
      .select(['given_name', 'family_name'])
      .where('force_id', '=', forceA)
      .where('unit_id', '!=', supervisorTeam)
      .execute()
  )
    .map((p) => `${p.given_name} ${p.family_name}`)
    .filter((name) => !templates.includes(name))

  // Callers: signed out; each role in each force by session; each role's API token for /api/ routes.
  const anonymous = new Browser(t.app)
  const signInPage = await anonymous.get('/sign-in')
  callers.push({
    label: 'signed out',
    force: null,
    principal: null,
    kind: 'anonymous',
    headers: () => ({ cookie: anonymous.jar.header() }),
    csrf: csrfTokenFrom(signInPage.body),
  })
  for (const [force, prefix, password] of [
    ['first', '', undefined],
    ['second', 'second-', SECOND_PASSWORD],
  ] as const) {
    for (const demo of demoUsernames) {
      const username = `${prefix}${demo}`
      const account = (await findAccountByUsername(db, username))!
      const browser = new Browser(t.app)
      await browser.signIn(username, password)
      const csrf = csrfTokenFrom((await browser.get('/account/api-tokens')).body)
      callers.push({
        label: `${username} (session)`,
        force,
        principal: toPrincipal(account),
        kind: 'session',
        headers: () => ({ cookie: browser.jar.header() }),
        csrf,
      })
      const { token } = await createApiToken(
        deps,
        systemActor,
        { userId: account.id, forceId: account.forceId },
        'matrix',
      )
      callers.push({
        label: `${username} (API token)`,
        force,
        principal: toPrincipal(account),
        kind: 'token',
        headers: () => ({ authorization: `Bearer ${token}` }),
        csrf: '',
      })
    }
  }
}, 900_000)

afterAll(() => t?.close())

/** The unit path of a person, for a record they own. */
function located(unitId: string | null, ownerPersonId: string | null): RecordLocation {
  return { forceId: forceA, unitPath: unitId ? (unitPaths.get(unitId) ?? [unitId]) : [], ownerPersonId }
}

const forceWide = (): RecordLocation => ({
  forceId: forceA,
  unitPath: [[...unitPaths.values()].find((p) => p.length === 1)![0]!],
})

/**
 * Picks one row per scope relative to an anchor account (its person, team and BCU): the resolver's record in that
 * scope. Rows carry the owning person and the unit the record sits in.
 */
function byScope<R extends { person_id: string | null; unit_id: string | null }>(
  rows: R[],
  anchor: { personId: string | null; unitPath: string[] },
  target: (row: R) => Omit<Target, 'location'>,
): Targets {
  const team = anchor.unitPath.at(-1)
  const bcu = anchor.unitPath[1]
  const out: Targets = {}
  for (const row of rows) {
    const path = row.unit_id ? (unitPaths.get(row.unit_id) ?? []) : []
    const scope: RecordScope =
      row.person_id !== null && row.person_id === anchor.personId
        ? 'own'
        : row.unit_id === team
          ? 'team'
          : bcu && path.includes(bcu)
            ? 'other-team'
            : 'other-unit'
    out[scope] ??= { ...target(row), location: located(row.unit_id, row.person_id) }
  }
  return out
}

async function loadResolvers() {
  const db = t.database.db
  const officer = (await findAccountByUsername(db, 'officer'))!
  const authoriser = (await findAccountByUsername(db, 'authorising-officer'))!
  const scrutiny = (await findAccountByUsername(db, 'scrutiny'))!
  const supervisor = (await findAccountByUsername(db, 'supervisor'))!
  const q = async <R>(query: ReturnType<typeof sql<R>>) => (await query.execute(db)).rows

  // Reports: the owner is the reporting officer, the unit the one they reported from.
  const reports = await q(
    sql<{ id: string; person_id: string | null; unit_id: string | null; reference: string }>`
      select r.id, r.officer_person_id as person_id, r.officer_unit_id as unit_id, i.reference
      from reports r join incidents i on i.id = r.incident_id where r.force_id = ${forceA} order by r.submitted_at desc`,
  )
  const reportTargets = byScope(reports, officer, (r) => ({ params: { id: r.id } }))
  for (const prefix of ['/reports/:id', '/api/v1/reports/:id', '/review/reports/:id'])
    resolvers.set(prefix, reportTargets)
  // Incidents are looked up by reference by any officer of the force, to join a multi-officer incident: the
  // policy's scope is the force, not the reporter (the answer holds the incident's time and place, no people).
  const incidentTargets = byScope(reports, officer, (r) => ({
    params: { reference: r.reference },
    allows: (p) => p?.forceId === forceA,
  }))
  resolvers.set('/api/v1/incidents/:reference', incidentTargets)

  // Drafts belong to the account that started them. The demo seeds only the officer's: copy one to a colleague in
  // each scope (there is no service for another person's draft, by design).
  const drafts = await q(
    sql<{ id: string; person_id: string | null; unit_id: string | null; user_id: string; data: unknown }>`
      select d.id, u.person_id, p.unit_id, u.id as user_id, d.data from report_drafts d join users u on u.id = d.owner_user_id
      left join personnel p on p.id = u.person_id where d.force_id = ${forceA} and d.report_id is null`,
  )
  const colleagues = await q(
    sql<{ id: string; person_id: string | null; unit_id: string | null }>`
      select u.id, u.person_id, p.unit_id from users u join personnel p on p.id = u.person_id
      where u.force_id = ${forceA} and u.username like 'officer-%' order by u.username`,
  )
  const colleagueByScope = byScope(colleagues, officer, (u) => ({ params: { id: u.id } }))
  const template = drafts.find((d) => d.user_id === officer.id)!
  for (const scope of ['team', 'other-team', 'other-unit'] as const) {
    const owner = colleagueByScope[scope]
    if (!owner) continue
    const row = await db
      .insertInto('report_drafts')
      .values({
        force_id: forceA,
        owner_user_id: owner.params.id!,
        report_id: null,
        data: JSON.stringify(template.data),
        created_at: new Date(),
        updated_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    drafts.push({
      id: row.id,
      person_id: owner.location.ownerPersonId ?? null,
      unit_id: owner.location.unitPath.at(-1) ?? null,
      user_id: owner.params.id!,
      data: template.data,
    })
  }
  resolvers.set(
    '/reports/drafts/:id',
    byScope(drafts, officer, (d) => ({ params: { id: d.id, n: '1' } })),
  )

  // People (the training register and its forms), by their own unit.
  const people = await q(
    sql<{ id: string; person_id: string; unit_id: string; suspension: string | null }>`
      select p.id, p.id as person_id, p.unit_id,
        (select s.id from ced_suspensions s where s.person_id = p.id order by s.suspended_on desc limit 1) as suspension
      from personnel p where p.force_id = ${forceA} order by (select count(*) from ced_training_records c where c.person_id = p.id) desc`,
  )
  resolvers.set(
    '/taser/training/people/:id',
    byScope(people, officer, (p) => ({ params: { id: p.id } })),
  )
  const suspended = people.filter((p) => p.suspension !== null)
  resolvers.set(
    '/taser/training/people/:id/suspensions',
    byScope(suspended, officer, (p) => ({ params: { id: p.id, suspensionId: p.suspension! } })),
  )

  // Accounts (administration), by the person's unit; never a demo sign-in account, since cells may disable it.
  resolvers.set('/admin/users/:id', colleagueByScope)
  resolvers.set(
    '/admin/units/:id',
    byScope(
      // Not the force's own top unit, which is not edited here.
      [...unitPaths.entries()]
        .filter(([, path]) => path.length > 1)
        .map(([id]) => ({ id, person_id: null, unit_id: id })),
      officer,
      (u) => ({ params: { id: u.id } }),
    ),
  )

  const personRows = (table: string, personColumn = 'person_id') =>
    q(
      sql<{ id: string; person_id: string; unit_id: string }>`
        select x.id, x.${sql.ref(personColumn)} as person_id, p.unit_id from ${sql.table(table)} x
        join personnel p on p.id = x.${sql.ref(personColumn)} where x.force_id = ${forceA}`,
    )
  resolvers.set(
    '/welfare/:id',
    byScope(await personRows('welfare_follow_ups'), officer, (w) => ({
      params: { id: w.id, step: welfareSteps.values[0] },
    })),
  )
  resolvers.set(
    '/early-intervention/flags/:id',
    byScope(await personRows('early_intervention_flags'), officer, (f) => ({ params: { id: f.id } })),
  )
  resolvers.set(
    '/taser/armoury/issues/:id',
    byScope(await personRows('ced_device_issues'), supervisor, (f) => ({ params: { id: f.id } })),
  )
  // Authorisations belong to the authorising officer who gave them.
  resolvers.set(
    '/authorisations/:id',
    byScope(await personRows('deployment_authorisations', 'authoriser_person_id'), authoriser, (a) => ({
      params: { id: a.id },
    })),
  )

  // Force-wide records: no owner or unit, so only the force matters.
  const first = async (query: ReturnType<typeof sql<Record<string, string>>>, allows?: Target['allows']) => {
    const row = (await q(query))[0]
    return row ? { force: { params: row, location: forceWide(), allows } } : {}
  }
  const firstOrAbsent = async (query: ReturnType<typeof sql<Record<string, string>>>, allows?: Target['allows']) => {
    const found = await first(query, allows)
    const absent = { id: '00000000-0000-4000-8000-000000000000', version: '1', file: 'tables.csv' }
    return 'force' in found ? found : { force: { params: absent, location: forceWide(), allows: () => false } }
  }
  resolvers.set(
    '/taser/devices/:id',
    await first(
      sql`select d.id, (select x.id from ced_device_defects x where x.device_id = d.id limit 1) as "defectId" from ced_devices d where d.force_id = ${forceA} order by (select count(*) from ced_device_defects x where x.device_id = d.id) desc`,
    ),
  )
  resolvers.set(
    '/threat-assessments/:id',
    await first(sql`select id from threat_assessments where force_id = ${forceA} order by (status = 'draft') desc`),
  )
  resolvers.set(
    '/device-logs/imports/:id',
    await first(sql`select id from device_log_imports where force_id = ${forceA}`),
  )
  resolvers.set(
    '/reconciliation/exceptions/:id',
    await first(sql`select id from reconciliation_exceptions where force_id = ${forceA}`),
  )
  resolvers.set('/referrals/:id', await first(sql`select id from referrals where force_id = ${forceA}`))
  resolvers.set(
    '/early-intervention/thresholds/:id',
    await first(sql`select id from early_intervention_thresholds where force_id = ${forceA}`),
  )
  resolvers.set(
    '/scrutiny/panels/:id',
    await first(
      sql`select p.id, m.user_id as "userId" from scrutiny_panels p join scrutiny_panel_members m on m.panel_id = p.id where p.force_id = ${forceA}`,
    ),
  )
  resolvers.set(
    '/scrutiny/samples/:id',
    await first(sql`select s.id, '1' as n from scrutiny_samples s where s.force_id = ${forceA}`),
  )
  // A panel member sees only the samples of the panels they sit on (scrutiny.review is "own": membership).
  const memberships = await q(sql<{ id: string; user_id: string }>`
    select s.id, m.user_id from scrutiny_samples s join scrutiny_panel_members m on m.panel_id = s.panel_id where s.force_id = ${forceA}`)
  const sampleMembers = (id: string) => new Set(memberships.filter((m) => m.id === id).map((m) => m.user_id))
  const memberSample = memberships.find((m) => m.user_id === scrutiny.id)
  const otherSample = (await q(sql<{ id: string }>`select id from scrutiny_samples where force_id = ${forceA}`)).find(
    (s) => !sampleMembers(s.id).has(scrutiny.id),
  )
  resolvers.set('/panel/samples/:id', {
    ...(memberSample && {
      own: {
        params: { id: memberSample.id, n: '1' },
        location: forceWide(),
        allows: (p) => sampleMembers(memberSample.id).has(p?.userId ?? ''),
      },
    }),
    ...(otherSample && {
      force: {
        params: { id: otherSample.id, n: '1' },
        location: forceWide(),
        allows: (p) => sampleMembers(otherSample.id).has(p?.userId ?? ''),
      },
    }),
  })
  // Statistics tables are the force's, numbered rather than stored.
  resolvers.set('/statistics/tables/:number', {
    force: { params: { number: '1' }, location: forceWide(), allows: () => true },
  })
  // Transparency: the demo seeds a published quarter (two versions, with their files) but no draft. Where none exists
  // the routes are still run, with an id that names nothing, so every caller must be refused or told 404.
  resolvers.set(
    '/publishing/drafts/:id',
    await firstOrAbsent(
      sql`select publication_id as id from publication_drafts d join publications p on p.id = d.publication_id where p.force_id = ${forceA}`,
    ),
  )
  // Published statistics are public: anyone, signed in to any force or not, may read them.
  resolvers.set(
    '/transparency/:id',
    await firstOrAbsent(
      sql`select f.publication_id as id, f.version::text as version, f.name as file from publication_files f join publications p on p.id = f.publication_id where p.force_id = ${forceA}`,
      () => true,
    ),
  )
  // API tokens: an account's own, revoked only by that account (the tokens used by the matrix are not these).
  const tokenOf = async (username: string) => {
    const account = (await findAccountByUsername(db, username))!
    const { id } = await createApiToken(
      { db, clock: () => new Date() },
      systemActor,
      { userId: account.id, forceId: forceA },
      'matrix target',
    )
    return { params: { id }, location: forceWide(), allows: (p: Principal | null) => p?.userId === account.id }
  }
  resolvers.set('/account/api-tokens/:id', { own: await tokenOf('officer'), team: await tokenOf('supervisor') })
}

/** The resolver for a route: the longest declared prefix of its URL that ends at a parameter. */
function resolverFor(url: string): Targets | undefined {
  let best: string | undefined
  for (const prefix of resolvers.keys())
    if (url.startsWith(prefix) && (!best || prefix.length > best.length)) best = prefix
  return best ? resolvers.get(best) : undefined
}

/** A real file behind each static wildcard route. */
const staticFiles: Record<string, string> = {
  '/stylesheets/*': 'application.css',
  '/javascripts/*': 'init.js',
  '/assets/*': 'images/favicon.svg',
}

function fill(url: string, params: Record<string, string>): string | undefined {
  let missing = false
  const filled = url.replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name]
    if (value === undefined) missing = true
    return encodeURIComponent(value ?? '')
  })
  return missing ? undefined : filled.replace('*', staticFiles[url] ?? '')
}

function expectedFor(principal: Principal | null, route: RouteEntry, target: Target | undefined): boolean {
  if (offInMatrixApp[`${route.method} ${route.url}`]) return false
  if (!canAccess(principal, route.access)) return false
  const stricter = stricterThanPolicy[`${route.method} ${route.url}`]
  if (stricter && principal && stricter.refuses(principal)) return false
  if (!target) return true
  if (target.allows) return target.allows(principal)
  if (!principal || !isPermission(route.access)) return true
  return canActOn(principal, route.access, target.location)
}

/**
 * Routes that refuse some callers the policy would let in, each for a stated reason. Only narrower: a route can
 * never be wider than the policy, since the access hook checks the permission first.
 */
const stricterThanPolicy: Record<string, { refuses: (p: Principal) => boolean; reason: string }> = {
  'GET /dashboards/disproportionality': {
    refuses: (p) => scopeOf(p, 'dashboards.view') !== 'force',
    reason: 'rates per 1,000 population exist only for the whole force area, so team-scoped dashboards get 404',
  },
}

/**
 * Routes of a feature the matrix's app does not configure, so they answer 404 to every caller. Their access with the
 * feature on is tested beside the feature, against the same policy.
 */
const offInMatrixApp: Record<string, string> = {
  'GET /sign-in/sso': 'single sign-on is off without SSO_* variables (src/features/sso/sso.routes.test.ts)',
  'GET /sign-in/sso/callback': 'single sign-on is off without SSO_* variables',
  'GET /sign-in/sso/confirm': 'single sign-on is off without SSO_* variables',
  'GET /sign-in/sso/reauthenticate': 'single sign-on is off without SSO_* variables',
}

/** The table's rows the matrix runs: HEAD answers as GET does, so it is left to GET. */
function matrixRoutes(): RouteEntry[] {
  return t.app.routeTable.filter((r) => r.method === 'GET' || r.method === 'POST')
}

function cellsFor(route: RouteEntry): Cell[] | string {
  const hasParams = /:\w+/.test(route.url)
  const targets = hasParams ? resolverFor(route.url) : undefined
  if (hasParams && !targets) return `${route.method} ${route.url}: no resolver gives it a record in each scope`
  const api = route.url.startsWith('/api/')
  const cells: Cell[] = []
  for (const caller of callers) {
    if (caller.kind === 'token' && !api) continue
    const asCaller = (scope: Cell['scope'], target: Target | undefined, url: string | undefined) => {
      if (!url) return
      // The API takes tokens and nothing else: a session is a signed-out caller there.
      const effective = api && caller.kind === 'session' ? { ...caller, principal: null } : caller
      const expected = expectedFor(effective.principal, route, target)
      // The second force's refusals by permission repeat the same role's in the first force: run only its grants.
      if (caller.force === 'second' && !canAccess(effective.principal, route.access)) return
      cells.push({ route, caller, scope, url, expected })
    }
    if (!targets) {
      asCaller('none', undefined, fill(route.url, {}))
      continue
    }
    const entries = Object.entries(targets) as [RecordScope, Target][]
    if (entries.length === 0) return `${route.method} ${route.url}: its resolver found no record`
    if (caller.force === 'second') {
      // Other force: one record of the first force is enough (the force check comes before any scope).
      const [, target] = entries[0]!
      asCaller('other-force', target, fill(route.url, target.params))
    } else if (!canAccess(caller.kind === 'session' && api ? null : caller.principal, route.access)) {
      // Refused by the route's permission in the access hook, before any record is read: one record shows it.
      const [scope, target] = entries[0]!
      asCaller(scope, target, fill(route.url, target.params))
    } else {
      for (const [scope, target] of entries) asCaller(scope, target, fill(route.url, target.params))
    }
  }
  return cells
}

let posted = 0
/**
 * API bodies that pass validation, so a refusal has to come from the scope check and not from the schema: an
 * amendment of a version that does not exist (409 where it is allowed, so nothing changes).
 */
function apiBody(url: string): unknown {
  if (url.endsWith('/amendments')) {
    const { incident: _incident, subject: _subject, ...report } = validSubmission({}, new Date())
    return { expectedVersion: 999, reason: 'Access matrix: never applied', report }
  }
  return {}
}

async function run(cell: Cell) {
  const api = cell.route.url.startsWith('/api/')
  const headers = cell.caller.headers()
  if (cell.route.method === 'GET') return t.app.inject({ method: 'GET', url: cell.url, headers })
  return api
    ? t.app.inject({
        method: 'POST',
        url: cell.url,
        headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': `matrix-${posted++}` },
        payload: JSON.stringify(apiBody(cell.route.url)),
      })
    : t.app.inject({
        method: 'POST',
        url: cell.url,
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        payload: `_csrf=${encodeURIComponent(cell.caller.csrf)}`,
      })
}

/** Routes whose allowed POSTs end the caller's own session or credentials: run last. */
const endsSession = (cell: Cell) => cell.route.url === '/sign-out'

describe('access matrix', () => {
  it('has a resolver for every route with a path parameter, and finds records for it', () => {
    const problems = matrixRoutes()
      .map(cellsFor)
      .filter((c): c is string => typeof c === 'string')
    expect(problems).toEqual([])
  })

  it('grants exactly what the policy grants, on every route, role and scope, and never answers 500', async () => {
    const cells = matrixRoutes().flatMap((r) => {
      const c = cellsFor(r)
      return typeof c === 'string' ? [] : c
    })
    // Refusals first (they change nothing), then allowed reads, then allowed writes, sign-out last.
    const order = (c: Cell) => (!c.expected ? 0 : c.route.method === 'GET' ? 1 : endsSession(c) ? 3 : 2)
    cells.sort((a, b) => order(a) - order(b))
    const failures: string[] = []
    const leaks: string[] = []
    const check = async (cell: Cell) => {
      const response = await run(cell)
      const status = response.statusCode
      const location = String(response.headers.location ?? '')
      const toSignIn = status >= 300 && status < 400 && location.startsWith('/sign-in')
      const refused = status === 401 || status === 403 || status === 404 || toSignIn
      const name = `${cell.route.method} ${cell.url} [${cell.route.access}] as ${cell.caller.label}, ${cell.scope}`
      if (status >= 500) failures.push(`${name}: ${status}`)
      else if (!cell.expected && !refused) failures.push(`${name}: expected refusal, got ${status}`)
      else if (cell.expected && cell.route.method === 'GET' && (refused || status >= 400))
        failures.push(`${name}: expected access, got ${status}`)
      else if (cell.expected && cell.route.method === 'POST' && (status === 401 || status === 403))
        failures.push(`${name}: expected access, got ${status}`)
      if (cell.expected && status < 400) leaks.push(...leaksIn(cell, response.body))
    }
    // Each phase in turn; within one, a few requests at once (the handlers' own awaits overlap).
    for (let phase = 0; phase <= 3; phase++) {
      const queue = cells.filter((c) => order(c) === phase)
      const worker = async () => {
        for (let cell = queue.shift(); cell; cell = queue.shift()) await check(cell)
      }
      await Promise.all(Array.from({ length: phase === 0 || phase === 1 ? 4 : 1 }, worker))
    }
    const allowed = cells.filter((c) => c.expected).length
    console.log(`access matrix: ${cells.length} cells, ${allowed} allowed, ${cells.length - allowed} refused`)
    expect(failures).toEqual([])
    expect(leaks).toEqual([])
  }, 1_200_000)
})

/** Another force's or (for team-scoped lists) another team's identifiers in an allowed response. */
function leaksIn(cell: Cell, body: string): string[] {
  const name = `${cell.route.method} ${cell.url} as ${cell.caller.label}`
  const found: string[] = []
  if (cell.caller.force === 'first') {
    for (const marker of [secondForceReference, SECOND_FORCE_FAMILY_NAME, `${SECOND_FORCE_COLLAR}00`])
      if (body.includes(marker)) found.push(`${name}: shows the second force's ${marker}`)
  }
  if (cell.caller.force === 'second') {
    for (const reference of body.match(/\b\d{4}-\d{6}\b/g) ?? [])
      if (firstForceReferences.has(reference)) found.push(`${name}: shows the first force's incident ${reference}`)
    for (const person of firstForceNames)
      if (body.includes(person)) found.push(`${name}: shows the first force's ${person}`)
  }
  // A supervisor's team-scoped lists name nobody outside the team.
  const access = cell.route.access
  const p = cell.caller.principal
  if (
    p?.roles.includes('supervisor') &&
    cell.caller.force === 'first' &&
    cell.scope === 'none' &&
    isPermission(access)
  ) {
    const teamScoped =
      (access as string) !== 'armoury.issue' &&
      canActOn(p, access, { forceId: forceA, unitPath: p.unitPath }) &&
      !canActOn(p, access, { forceId: forceA, unitPath: p.unitPath.slice(0, -1) })
    if (teamScoped)
      for (const person of outsideTeamNames)
        if (body.includes(person)) found.push(`${name}: names ${person}, outside the team`)
  }
  return found
}
