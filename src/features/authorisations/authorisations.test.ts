import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, testApp, type TestApp } from '../../../test/support/app.js'
import type { Db } from '../../db/database.js'
import { systemActor } from '../audit/ledger.js'
import type { Principal } from '../auth/policy.js'
import { deriveAuthority } from '../../domain/taser/authority.js'
import { cedAuthorityAsAt } from '../training/authority.repository.js'
import { grantAccreditation, recordAuthorisation } from './authorisations.service.js'
import { parseIncidentCounts } from './incident-counts.js'

let t: TestApp
let db: Db
let forceId: string
const clock = () => new Date('2026-06-01T12:00:00Z')

beforeAll(async () => {
  t = await testApp({ clock })
  db = t.database.db
  forceId = (await db.selectFrom('forces').select('id').where('code', '=', 'demo').executeTakeFirstOrThrow()).id
})

afterAll(() => t.close())

/** The principal of the account belonging to a person, as the session would build it (only what the service reads). */
async function principalOfPerson(personId: string): Promise<Principal> {
  const user = await db.selectFrom('users').select('id').where('person_id', '=', personId).executeTakeFirstOrThrow()
  return { userId: user.id, forceId, roles: ['authorising_officer'], personId, unitPath: [] }
}

async function inspector(offset = 0): Promise<{ id: string; collar: string }> {
  const row = await db
    .selectFrom('personnel')
    .select(['id', 'collar_number'])
    .where('force_id', '=', forceId)
    .where('rank', '=', 'inspector')
    .where('collar_number', 'is not', null)
    .orderBy('collar_number')
    .offset(offset)
    .executeTakeFirstOrThrow()
  return { id: row.id, collar: row.collar_number ?? '' }
}

/** Constables, in collar-number order, who may (or may not) carry Taser on every one of the given days. */
async function constables(
  n: number,
  taser: { authorisedOn: string[] } | { notAuthorisedOn: string } = { authorisedOn: [] },
) {
  const days = 'authorisedOn' in taser ? taser.authorisedOn : [taser.notAuthorisedOn]
  const people = await cedAuthorityAsAt(db, { forceId, asAt: days[0] ?? '2026-06-01' })
  const wanted = people.filter(
    (p) =>
      p.rank === 'constable' &&
      p.collarNumber !== null &&
      days.every((day) => deriveAuthority(p.input, day).authorisedModels.length > 0 === 'authorisedOn' in taser),
  )
  return wanted
    .map((p) => p.collarNumber ?? '')
    .sort()
    .slice(0, n)
}

const authorisationInput = (authorisedOn: string, officers: string[], authorisedTime = '10:00') => ({
  authorisedOn,
  authorisedTime,
  incidentReference: 'FCR-TEST-1',
  grade: 'immediate' as const,
  officers,
  rationale: 'Man with a knife',
})

describe('accreditation', () => {
  it('is valid from its first day to its expiry day, both included, and refused on either side', async () => {
    const person = await inspector(3)
    const deps = { db, clock }
    const granted = await grantAccreditation(deps, systemActor, forceId, {
      collarNumber: person.collar,
      validFrom: '2026-03-01',
      expiresOn: '2026-03-31',
    })
    expect(granted.ok).toBe(true)
    const principal = await principalOfPerson(person.id)
    const officers = await constables(2, { authorisedOn: ['2026-03-01', '2026-03-31'] })
    const before = await db.selectFrom('deployment_authorisations').select('id').execute()

    const refusedBefore = await recordAuthorisation(
      deps,
      systemActor,
      principal,
      authorisationInput('2026-02-28', officers, '23:59'),
    )
    expect(refusedBefore).toEqual({
      ok: false,
      errors: [
        {
          field: 'authorisedOn-day',
          text: 'You do not hold an accreditation to authorise deployments valid on 28 February 2026',
        },
      ],
    })
    expect(
      (await recordAuthorisation(deps, systemActor, principal, authorisationInput('2026-03-01', officers, '00:00'))).ok,
    ).toBe(true)
    // 31 March 23:30 in London is 22:30 UTC (BST): still the last valid day.
    expect(
      (await recordAuthorisation(deps, systemActor, principal, authorisationInput('2026-03-31', officers, '23:30'))).ok,
    ).toBe(true)
    const refusedAfter = await recordAuthorisation(
      deps,
      systemActor,
      principal,
      authorisationInput('2026-04-01', officers, '00:01'),
    )
    expect(refusedAfter.ok).toBe(false)

    const after = await db.selectFrom('deployment_authorisations').select(['id', 'authorised_at']).execute()
    expect(after.length - before.length).toBe(2)
    const audit = await db
      .selectFrom('audit_log')
      .select('entity_id')
      .where('action', '=', 'authorisation.recorded')
      .where(
        'entity_id',
        'in',
        after.filter((a) => !before.some((b) => b.id === a.id)).map((a) => a.id),
      )
      .execute()
    expect(audit).toHaveLength(2)
  })

  it('is only for inspectors and above, with an expiry on or after the start', async () => {
    const deps = { db, clock }
    const [constable] = await constables(1, { authorisedOn: ['2026-01-01'] })
    expect(
      await grantAccreditation(deps, systemActor, forceId, {
        collarNumber: constable ?? '',
        validFrom: '2026-01-01',
        expiresOn: '2026-12-31',
      }),
    ).toMatchObject({ ok: false, errors: [{ field: 'collarNumber' }] })
    const person = await inspector(4)
    expect(
      await grantAccreditation(deps, systemActor, forceId, {
        collarNumber: person.collar,
        validFrom: '2026-02-01',
        expiresOn: '2026-01-31',
      }),
    ).toMatchObject({ ok: false, errors: [{ field: 'expiresOn-day' }] })
  })

  it('refuses unknown officers, officers without Taser authority that day and times in the future, writing nothing', async () => {
    const person = await inspector(5)
    const deps = { db, clock }
    await grantAccreditation(deps, systemActor, forceId, {
      collarNumber: person.collar,
      validFrom: '2026-01-01',
      expiresOn: '2026-12-31',
    })
    const principal = await principalOfPerson(person.id)
    const count = async () => (await db.selectFrom('deployment_authorisations').select('id').execute()).length
    const before = await count()
    expect(
      await recordAuthorisation(deps, systemActor, principal, authorisationInput('2026-05-01', ['NOSUCH1'])),
    ).toEqual({
      ok: false,
      errors: [{ field: 'officers', text: 'No serving officer in the force has collar number NOSUCH1' }],
    })
    const [notTaser] = await constables(1, { notAuthorisedOn: '2026-05-01' })
    expect(
      await recordAuthorisation(deps, systemActor, principal, authorisationInput('2026-05-01', [notTaser ?? ''])),
    ).toEqual({
      ok: false,
      errors: [
        { field: 'officers', text: `Not authorised to carry Taser on 1 May 2026: collar number ${notTaser ?? ''}` },
      ],
    })
    expect(
      await recordAuthorisation(
        deps,
        systemActor,
        principal,
        authorisationInput('2026-06-02', await constables(1, { authorisedOn: ['2026-06-02'] })),
      ),
    ).toMatchObject({
      ok: false,
      errors: [{ field: 'authorisedOn-day', text: 'The time you authorised the deployment must be in the past' }],
    })
    expect(await count()).toBe(before)
  })
})

describe('authorisation pages', () => {
  it('record an authorisation through the form, show errors in place, and link it to an incident later', async () => {
    const officer = new Browser(t.app)
    await officer.signIn('authorising-officer')
    const form = await officer.get('/authorisations/new')
    expect(form.statusCode).toBe(200)

    const bad = await officer.post(
      '/authorisations',
      {
        'authorisedOn-day': '31',
        'authorisedOn-month': '2',
        'authorisedOn-year': '2026',
        authorisedTime: '25:00',
        incidentReference: '',
        officers: '',
        rationale: 'Kept',
      },
      '/authorisations/new',
    )
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('href="#authorisedOn-day"')
    expect(bad.body).toContain('The date must be a real date, like 14 3 2026')
    expect(bad.body).toContain('Enter the time in 24-hour format, like 21:30')
    expect(bad.body).toContain('Select the grade of the incident')
    expect(bad.body).toContain('>Kept</textarea>')

    const officers = await constables(2, { authorisedOn: ['2026-05-30'] })
    const ok = await officer.post(
      '/authorisations',
      {
        'authorisedOn-day': '30',
        'authorisedOn-month': '5',
        'authorisedOn-year': '2026',
        authorisedTime: '21:30',
        incidentReference: 'FCR-20260530-0001',
        grade: 'prompt',
        officers: officers.join(', '),
        rationale: 'Report of a man with a knife outside a shop',
      },
      '/authorisations/new',
    )
    expect(ok.statusCode).toBe(303)
    const page = await officer.get(ok.headers.location as string)
    expect(page.body).toContain('Authorisation recorded')
    expect(page.body).toContain('data-testid="not-linked"')
    for (const collar of officers) expect(page.body).toContain(`(${collar})`)

    const id = /\/authorisations\/([0-9a-f-]{36})/.exec(ok.headers.location as string)?.[1] ?? ''
    const missing = await officer.post(
      `/authorisations/${id}/incident`,
      { reference: 'NO-SUCH' },
      `/authorisations/${id}`,
    )
    expect(missing.statusCode).toBe(400)
    expect(missing.body).toContain('No incident in ForceLedger has that reference')

    const incident = await db
      .selectFrom('incidents as i')
      .innerJoin('reports as r', 'r.incident_id', 'i.id')
      .where('r.ced_highest_level', '=', 'fired')
      .select(['i.id', 'i.reference'])
      .executeTakeFirstOrThrow()
    const linked = await officer.post(
      `/authorisations/${id}/incident`,
      { reference: incident.reference },
      `/authorisations/${id}`,
    )
    expect(linked.statusCode).toBe(303)
    const after = await officer.get(`/authorisations/${id}`)
    expect(after.body).toContain('data-testid="linked-incident"')
    expect(after.body).toContain('data-testid="reports"')
    expect(after.body).toContain('Fired')
    const row = await db
      .selectFrom('deployment_authorisations')
      .select('incident_id')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(row.incident_id).toBe(incident.id)

    // Once linked, a link is never changed.
    const again = await officer.post(
      `/authorisations/${id}/incident`,
      { reference: incident.reference },
      `/authorisations/${id}`,
    )
    expect(again.statusCode).toBe(400)
  })

  it('are scoped: an authorising officer sees their own only; the Taser lead sees all; officers see none', async () => {
    const own = new Browser(t.app)
    await own.signIn('authorising-officer')
    const ownPerson = (
      await db
        .selectFrom('users')
        .select('person_id')
        .where('username', '=', 'authorising-officer')
        .executeTakeFirstOrThrow()
    ).person_id
    const others = await db
      .selectFrom('deployment_authorisations')
      .select('id')
      .where('authoriser_person_id', '!=', ownPerson ?? '')
      .limit(1)
      .executeTakeFirstOrThrow()
    expect((await own.get(`/authorisations/${others.id}`)).statusCode).toBe(404)
    const list = await own.get('/authorisations')
    expect(list.body).toContain('you made')
    expect(list.body).not.toContain(`/authorisations/${others.id}"`)
    expect((await own.get('/deployment-funnel')).statusCode).toBe(403)

    const lead = new Browser(t.app)
    await lead.signIn('taser-lead')
    expect((await lead.get(`/authorisations/${others.id}`)).statusCode).toBe(200)
    expect((await lead.get('/authorisations/new')).statusCode).toBe(403)
    expect(
      (await lead.post(`/authorisations/${others.id}/incident`, { reference: 'x' }, '/authorisations')).statusCode,
    ).toBe(403)

    const officer = new Browser(t.app)
    await officer.signIn('officer')
    expect((await officer.get('/authorisations')).statusCode).toBe(403)
    expect((await officer.get(`/authorisations/${others.id}`)).statusCode).toBe(403)
    expect((await officer.get('/authorisations/not-a-uuid')).statusCode).toBe(403)
  })

  it('show the funnel with its percentages for a chosen period', async () => {
    const analyst = new Browser(t.app)
    await analyst.signIn('analyst')
    const funnel = await analyst.get('/deployment-funnel?from=2025-06&to=2026-05')
    expect(funnel.statusCode).toBe(200)
    expect(funnel.body).toContain('June 2025 to May 2026')
    expect(funnel.body).toMatch(/data-testid="stage-authorisations"[\s\S]*?%/)
  })
})

const upload = (browser: Browser, content: string) =>
  browser.upload('/deployment-funnel/incident-counts', { name: 'counts.csv', content })

describe('incident counts import', () => {
  it('checks every line and names the line of each error', () => {
    expect(parseIncidentCounts('month,immediate,prompt\n2026-01,10,20\r\n"2026-02","11","21"\n\n', '2026-05')).toEqual({
      ok: true,
      rows: [
        { month: '2026-01', immediate: 10, prompt: 20 },
        { month: '2026-02', immediate: 11, prompt: 21 },
      ],
    })
    expect(parseIncidentCounts('\uFEFFprompt,month,immediate\n5,2026-01,7', '2026-05')).toEqual({
      ok: true,
      rows: [{ month: '2026-01', immediate: 7, prompt: 5 }],
    })
    const bad = parseIncidentCounts(
      'month,immediate,prompt\n2026-13,1,2\n2026-01,-1,2\n2026-01,1,2\n2026-01,1,2\n2026-06,1,2\n2026-02,1\n2026-03,"1,2',
      '2026-05',
    )
    expect(bad).toEqual({
      ok: false,
      errors: [
        { line: 2, message: 'The month must be a year and month, like 2026-03' },
        { line: 3, message: 'The number of immediate incidents must be a whole number, like 2150' },
        { line: 5, message: 'The month 2026-01 is already on line 4' },
        { line: 6, message: 'The month 2026-06 has not started yet' },
        { line: 7, message: 'The line has 2 values, not 3' },
        { line: 8, message: 'A quote is not closed' },
      ],
    })
    expect(parseIncidentCounts('month,count\n2026-01,3', '2026-05')).toMatchObject({ ok: false, errors: [{ line: 1 }] })
    expect(parseIncidentCounts('', '2026-05')).toEqual({
      ok: false,
      errors: [{ line: 0, message: 'The file is empty' }],
    })
    expect(parseIncidentCounts('month,immediate,prompt\n', '2026-05')).toMatchObject({
      ok: false,
      errors: [{ line: 0 }],
    })
  })

  it('imports all or nothing through the upload form, and a second import of a month replaces it', async () => {
    const lead = new Browser(t.app)
    await lead.signIn('taser-lead')
    const counts = () =>
      db
        .selectFrom('incident_counts')
        .select(['month', 'immediate', 'prompt'])
        .where('month', '<', '2010-01-01')
        .orderBy('month')
        .execute()

    const rejected = await upload(lead, 'month,immediate,prompt\n2001-01,100,200\n2001-02,abc,200\n')
    expect(rejected.statusCode).toBe(400)
    expect(rejected.body).toContain('The file has errors. Nothing was imported')
    expect(rejected.body).toContain('Line 3: The number of immediate incidents must be a whole number')
    expect(await counts()).toEqual([])

    const first = await upload(lead, 'month,immediate,prompt\n2001-01,100,200\n2001-02,110,210\n')
    expect(first.statusCode).toBe(303)
    expect((await lead.get(first.headers.location as string)).body).toContain('Imported: 2 months added, 0 replaced')

    const second = await upload(lead, 'month,immediate,prompt\n2001-02,120,220\n2001-03,130,230\n')
    expect(second.headers.location).toContain('added=1&replaced=1')
    expect(await counts()).toEqual([
      { month: '2001-01-01', immediate: 100, prompt: 200 },
      { month: '2001-02-01', immediate: 120, prompt: 220 },
      { month: '2001-03-01', immediate: 130, prompt: 230 },
    ])
    const audit = await db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'incident_counts.imported')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(audit.details).toMatchObject({ replaced: [{ month: '2001-02', immediate: 110, prompt: 210 }] })

    const empty = await upload(lead, '')
    expect(empty.statusCode).toBe(400)
    expect(empty.body).toContain('Select a CSV file')

    const officer = new Browser(t.app)
    await officer.signIn('authorising-officer')
    expect((await officer.get('/deployment-funnel/incident-counts')).statusCode).toBe(403)
  })

  it('refuses an upload without a valid CSRF token', async () => {
    const lead = new Browser(t.app)
    await lead.signIn('taser-lead')
    const response = await lead.upload(
      '/deployment-funnel/incident-counts',
      { name: 'x.csv', content: 'month,immediate,prompt\n2002-01,1,1\n' },
      { csrfToken: 'forged' },
    )
    expect(response.statusCode).toBe(403)
    expect(await db.selectFrom('incident_counts').select('month').where('month', '=', '2002-01-01').execute()).toEqual(
      [],
    )
  })
})
