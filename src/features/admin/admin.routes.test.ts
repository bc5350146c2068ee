import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, testApp, type TestApp } from '../../../test/support/app.js'
import { systemClock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import type { Role } from '../../domain/roles.js'
import { systemActor } from '../audit/ledger.js'
import { createForce, createUser } from './admin.service.js'

let t: TestApp
let db: Db
let forceId: string
let otherForceId: string
let admin: Browser

beforeAll(async () => {
  t = await testApp()
  db = t.database.db
  forceId = (await db.selectFrom('forces').select('id').where('code', '=', 'demo').executeTakeFirstOrThrow()).id
  otherForceId = await createForce(db, systemClock, { code: 'other', name: 'Other Constabulary' })
  admin = new Browser(t.app)
  await admin.signIn('admin')
})

afterAll(async () => {
  await t.close()
})

const PASSWORD = 'a-long-enough-password'

async function userId(username: string): Promise<string> {
  return (await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id
}

async function unitId(code: string): Promise<string> {
  return (await db.selectFrom('org_units').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id
}

async function rolesOf(id: string): Promise<string[]> {
  const rows = await db.selectFrom('user_roles').select('role').where('user_id', '=', id).orderBy('role').execute()
  return rows.map((r) => r.role)
}

async function countUsers(): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

async function auditEntries(action: string, entityId: string) {
  return db
    .selectFrom('audit_log')
    .select(['actor', 'actor_user_id', 'details'])
    .where('action', '=', action)
    .where('entity_id', '=', entityId)
    .execute()
}

/** An account made directly through the service, so each test has its own target to change. */
async function makeAccount(username: string, roles: Role[] = ['officer'], force = forceId): Promise<string> {
  const result = await createUser({ db, clock: systemClock }, systemActor, force, {
    username,
    displayName: `Test ${username}`,
    email: null,
    unitId: null,
    roles,
    password: PASSWORD,
  })
  if (!result.ok) throw new Error(JSON.stringify(result.errors))
  return result.value
}

async function signedInAs(username: string, password = PASSWORD): Promise<Browser> {
  const browser = new Browser(t.app)
  await browser.signIn(username, password)
  return browser
}

const details = (roles: string[], overrides: Record<string, string> = {}) => ({
  displayName: 'Test name',
  email: '',
  unitId: '',
  roles,
  ...overrides,
})

describe('user list', () => {
  it('lists the force’s accounts with their roles, unit and status', async () => {
    const response = await admin.get('/admin/users?q=Sam%20Okafor')
    expect(response.statusCode).toBe(200)
    expect(response.body).toContain('data-testid="users"')
    expect(response.body).toContain('data-testid="create-user"')
    const officerRow = /data-testid="user-officer">([\s\S]*?)<\/tr>/.exec(response.body)?.[1] ?? ''
    expect(officerRow).toContain('Sam Okafor')
    expect(officerRow).toContain('Officer')
    expect(officerRow).toContain('North BCU – Response team A')
    expect(officerRow).toContain('Active')
    const adminRow =
      /data-testid="user-admin">([\s\S]*?)<\/tr>/.exec((await admin.get('/admin/users?q=admin')).body)?.[1] ?? ''
    expect(adminRow).toContain('Administrator')
  })

  it('searches by name or username', async () => {
    const byName = await admin.get('/admin/users?q=sam%20okafor')
    expect(byName.statusCode).toBe(200)
    expect(byName.body).toContain('data-testid="user-officer"')
    expect(byName.body).not.toContain('data-testid="user-analyst"')
    expect(byName.body).toContain('1 account in your force matching “sam okafor”')

    const byUsername = await admin.get('/admin/users?q=TASER-')
    expect(byUsername.body).toContain('data-testid="user-taser-lead"')
    expect(byUsername.body).not.toContain('data-testid="user-officer"')

    const none = await admin.get('/admin/users?q=%25')
    expect(none.body).toContain('No users found.')
  })

  it('shows 50 accounts a page', async () => {
    await db
      .insertInto('users')
      .values(
        Array.from({ length: 50 }, (_, i) => ({
          force_id: forceId,
          username: `bulk-${String(i).padStart(2, '0')}`,
          display_name: `Bulk user ${String(i).padStart(2, '0')}`,
        })),
      )
      .execute()
    const total = await db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('force_id', '=', forceId)
      .executeTakeFirstOrThrow()
    const rows = (html: string) => (html.match(/data-testid="user-/g) ?? []).length

    const first = await admin.get('/admin/users')
    expect(rows(first.body)).toBe(50)
    expect(first.body).toContain('govuk-pagination')
    expect(first.body).toContain('href="/admin/users?page=2"')
    const second = await admin.get('/admin/users?page=2')
    // The demo force has an account for every officer, so page 2 is full too.
    expect(rows(second.body)).toBe(Math.min(50, Number(total.n) - 50))
    const searched = await admin.get('/admin/users?q=bulk&page=1')
    expect(searched.body).not.toContain('govuk-pagination')
    expect(rows(searched.body)).toBe(50)
  })
})

describe('creating a user', () => {
  it('creates an account that can then sign in with its new password', async () => {
    const before = await countUsers()
    const response = await admin.post(
      '/admin/users',
      {
        username: 'new.starter',
        displayName: 'PC Jo Bloggs',
        email: 'jo.bloggs@example.police.uk',
        unitId: await unitId('N-RA'),
        roles: ['officer', 'supervisor'],
        password: PASSWORD,
      },
      '/admin/users/new',
    )
    expect(response.statusCode).toBe(303)
    const id = await userId('new.starter')
    expect(response.headers.location).toBe(`/admin/users/${id}?done=created`)
    expect(await countUsers()).toBe(before + 1)
    expect(await rolesOf(id)).toEqual(['officer', 'supervisor'])

    const page = await admin.get(`/admin/users/${id}?done=created`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('User created')
    expect(page.body).toContain('North BCU – Response team A')

    const created = await auditEntries('user.created', id)
    expect(created).toHaveLength(1)
    expect(created[0]?.actor).toBe('admin')
    expect(JSON.stringify(created[0]?.details)).not.toContain(PASSWORD)

    const newcomer = await signedInAs('new.starter')
    const home = await newcomer.get('/')
    expect(home.statusCode).toBe(200)
    expect(home.body).toContain('PC Jo Bloggs')
  })

  it('refuses a bad form with every problem, keeps the input and creates nothing', async () => {
    const before = await countUsers()
    const response = await admin.post(
      '/admin/users',
      { username: 'admin', displayName: 'Kept Name', email: 'not-an-email', unitId: '', password: 'tiny-secret' },
      '/admin/users/new',
    )
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('There is a problem')
    for (const message of [
      'That username is already in use: choose another',
      'Enter an email address in the correct format, like name@example.police.uk',
      'Select at least one role',
      'Password must be at least 12 characters',
    ]) {
      expect(response.body).toContain(message)
    }
    expect(response.body).toContain('href="#username"')
    expect(response.body).toContain('href="#roles"')
    expect(response.body).toContain('value="Kept Name"')
    expect(response.body).toContain('value="not-an-email"')
    expect(response.body).not.toContain('tiny-secret')
    expect(response.body).toContain('govuk-form-group--error')
    expect(await countUsers()).toBe(before)
  })

  it('refuses a username that differs from an existing one only in case', async () => {
    const before = await countUsers()
    const response = await admin.post(
      '/admin/users',
      { username: 'OFFICER', ...details(['officer']), password: PASSWORD },
      '/admin/users/new',
    )
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('That username is already in use: choose another')
    expect(await countUsers()).toBe(before)
  })
})

describe('a user’s page', () => {
  it('records each view in the audit ledger', async () => {
    const id = await userId('analyst')
    const before = (await auditEntries('user.viewed', id)).length
    const response = await admin.get(`/admin/users/${id}`)
    expect(response.statusCode).toBe(200)
    expect(response.body).toContain('Tomasz Nowak')
    expect(response.body).toContain('data-testid="disable-user"')
    expect(await auditEntries('user.viewed', id)).toHaveLength(before + 1)
  })

  it('is not found for an id that is not a UUID, does not exist or belongs to another force', async () => {
    const outsider = await makeAccount('outsider', ['officer'], otherForceId)
    for (const url of ['/admin/users/not-a-uuid', `/admin/users/${crypto.randomUUID()}`, `/admin/users/${outsider}`]) {
      expect((await admin.get(url)).statusCode, url).toBe(404)
    }
    const disable = await admin.post(`/admin/users/${outsider}/disable`, {}, '/admin/users')
    expect(disable.statusCode).toBe(404)
    const row = await db.selectFrom('users').select('disabled_at').where('id', '=', outsider).executeTakeFirstOrThrow()
    expect(row.disabled_at).toBeNull()
    expect(await auditEntries('user.viewed', outsider)).toHaveLength(0)

    const list = await admin.get('/admin/users?q=outsider')
    expect(list.body).toContain('No users found.')
  })

  it('changes roles with effect on the person’s very next request', async () => {
    const id = await makeAccount('promoted')
    const target = await signedInAs('promoted')
    expect((await target.get('/admin/users')).statusCode).toBe(403)

    const response = await admin.post(`/admin/users/${id}`, details(['officer', 'admin']), `/admin/users/${id}`)
    expect(response.statusCode).toBe(303)
    expect(response.headers.location).toBe(`/admin/users/${id}?done=updated`)
    expect(await rolesOf(id)).toEqual(['admin', 'officer'])
    expect(await auditEntries('user.updated', id)).toHaveLength(1)

    expect((await target.get('/admin/users')).statusCode).toBe(200)
  })

  it('keeps the input and changes nothing when the edit is invalid', async () => {
    const id = await makeAccount('badedit')
    const response = await admin.post(
      `/admin/users/${id}`,
      details([], { displayName: '', email: 'still wrong' }),
      `/admin/users/${id}`,
    )
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('Enter the person’s name')
    expect(response.body).toContain('Select at least one role')
    expect(response.body).toContain('value="still wrong"')
    expect(await rolesOf(id)).toEqual(['officer'])
    expect(await auditEntries('user.updated', id)).toHaveLength(0)
  })

  it('refuses a unit from another force', async () => {
    const id = await makeAccount('wrongunit')
    const foreignUnit = await unitId('other')
    const response = await admin.post(`/admin/users/${id}`, details(['officer'], { unitId: foreignUnit }), '/')
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('Select a unit from the list')
    const row = await db.selectFrom('users').select('unit_id').where('id', '=', id).executeTakeFirstOrThrow()
    expect(row.unit_id).toBeNull()
  })

  it('disabling an account ends its session at once and stops it signing in, until enabled', async () => {
    const id = await makeAccount('leaver')
    const target = await signedInAs('leaver')
    expect((await target.get('/')).statusCode).toBe(200)

    const response = await admin.post(`/admin/users/${id}/disable`, {}, `/admin/users/${id}`)
    expect(response.statusCode).toBe(303)
    expect(response.headers.location).toBe(`/admin/users/${id}?done=disabled`)
    const row = await db.selectFrom('users').select('disabled_at').where('id', '=', id).executeTakeFirstOrThrow()
    expect(row.disabled_at).not.toBeNull()
    expect(await auditEntries('user.disabled', id)).toHaveLength(1)

    const next = await target.get('/')
    expect(next.statusCode).toBe(302)
    expect(next.headers.location).toMatch(/^\/sign-in/)
    await expect(signedInAs('leaver')).rejects.toThrow(/failed: 401/)
    const page = await admin.get(`/admin/users/${id}`)
    expect(page.body).toContain('Disabled')
    expect(page.body).toContain('data-testid="enable-user"')

    const enable = await admin.post(`/admin/users/${id}/enable`, {}, `/admin/users/${id}`)
    expect(enable.statusCode).toBe(303)
    expect(await auditEntries('user.enabled', id)).toHaveLength(1)
    await expect(signedInAs('leaver')).resolves.toBeInstanceOf(Browser)
  })

  it('resets a password, ending the person’s sessions', async () => {
    const id = await makeAccount('forgetful')
    const target = await signedInAs('forgetful')

    const short = await admin.post(`/admin/users/${id}/password`, { password: 'short' }, `/admin/users/${id}`)
    expect(short.statusCode).toBe(400)
    expect(short.body).toContain('Password must be at least 12 characters')
    expect(await auditEntries('user.password_reset', id)).toHaveLength(0)

    const reset = await admin.post(
      `/admin/users/${id}/password`,
      { password: 'brand-new-password' },
      `/admin/users/${id}`,
    )
    expect(reset.statusCode).toBe(303)
    expect(await auditEntries('user.password_reset', id)).toHaveLength(1)
    expect((await target.get('/')).statusCode).toBe(302)
    await expect(signedInAs('forgetful')).rejects.toThrow()
    await expect(signedInAs('forgetful', 'brand-new-password')).resolves.toBeInstanceOf(Browser)
  })

  it('does not let administrators disable themselves or drop their own administrator role', async () => {
    const id = await userId('admin')
    const page = await admin.get(`/admin/users/${id}`)
    expect(page.body).toContain('You cannot disable your own account')
    expect(page.body).not.toContain('data-testid="disable-user"')

    const disable = await admin.post(`/admin/users/${id}/disable`, {}, `/admin/users/${id}`)
    expect(disable.statusCode).toBe(400)
    expect(disable.body).toContain('You cannot disable your own account')
    expect(disable.body).toContain('href="#account-status"')
    const row = await db.selectFrom('users').select('disabled_at').where('id', '=', id).executeTakeFirstOrThrow()
    expect(row.disabled_at).toBeNull()

    const demote = await admin.post(`/admin/users/${id}`, details(['officer']), `/admin/users/${id}`)
    expect(demote.statusCode).toBe(400)
    expect(demote.body).toContain('You cannot remove your own administrator role')
    expect(await rolesOf(id)).toEqual(['admin'])
    expect(await auditEntries('user.disabled', id)).toHaveLength(0)
    expect(await auditEntries('user.updated', id)).toHaveLength(0)
  })
})

describe('organisation units', () => {
  it('shows the force’s tree with kinds, codes and headcounts', async () => {
    const response = await admin.get('/admin/units')
    expect(response.statusCode).toBe(200)
    expect(response.body).toContain('data-testid="units"')
    expect(response.body).toContain('Units in Demo Constabulary')
    expect(response.body).toContain('data-testid="add-unit"')
    const north = /data-testid="unit-N">([\s\S]*?)<\/tr>/.exec(response.body)?.[1] ?? ''
    expect(north).toContain('North BCU')
    expect(north).toContain('Basic command unit')
    expect(north).toContain('href="/admin/units/')
    // The BCU's count includes its teams.
    const people = await db
      .selectFrom('personnel as p')
      .innerJoin('org_units as u', 'u.id', 'p.unit_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => eb.or([eb('u.code', '=', 'N'), eb('u.code', 'like', 'N-%')]))
      .where('p.left_on', 'is', null)
      .executeTakeFirstOrThrow()
    expect(north).toContain(Number(people.n).toLocaleString('en-GB'))
    // Teams come straight after their BCU, and the force itself has no change link.
    expect(response.body.indexOf('data-testid="unit-N-RA"')).toBeGreaterThan(
      response.body.indexOf('data-testid="unit-N"'),
    )
    const force = /data-testid="unit-DC">([\s\S]*?)<\/tr>/.exec(response.body)?.[1] ?? ''
    expect(force).not.toContain('Change')
    expect(response.body).not.toContain('Other Constabulary')
  })

  it('adds a unit, and refuses a code already in use', async () => {
    const parentId = await unitId('DC')
    const response = await admin.post(
      '/admin/units',
      { name: 'Dog section', code: 'DOGS', kind: 'department', parentId },
      '/admin/units/new',
    )
    expect(response.statusCode).toBe(303)
    expect(response.headers.location).toBe('/admin/units?done=created')
    const unit = await db
      .selectFrom('org_units')
      .selectAll()
      .where('force_id', '=', forceId)
      .where('code', '=', 'DOGS')
      .executeTakeFirstOrThrow()
    expect(unit).toMatchObject({ name: 'Dog section', kind: 'department', parent_id: parentId })
    expect(await auditEntries('unit.created', unit.id)).toHaveLength(1)
    const list = await admin.get('/admin/units?done=created')
    expect(list.body).toContain('Unit added')
    expect(list.body).toContain('data-testid="unit-DOGS"')

    const clash = await admin.post(
      '/admin/units',
      { name: 'Another', code: 'DOGS', kind: 'team', parentId },
      '/admin/units/new',
    )
    expect(clash.statusCode).toBe(400)
    expect(clash.body).toContain('Another unit already has that code')
    expect(clash.body).toContain('value="Another"')

    const empty = await admin.post('/admin/units', { name: '', code: 'bad code!', parentId }, '/admin/units/new')
    expect(empty.statusCode).toBe(400)
    expect(empty.body).toContain('Enter the unit’s name')
    expect(empty.body).toContain('Code must only include letters, numbers and hyphens')
    expect(empty.body).toContain('Select the kind of unit')
  })

  it('keeps the tree’s shape: a basic command unit belongs to the force, not to a team', async () => {
    const team = await db
      .selectFrom('org_units')
      .select('id')
      .where('force_id', '=', forceId)
      .where('kind', '=', 'team')
      .executeTakeFirstOrThrow()
    const before = await db
      .selectFrom('org_units')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    const response = await admin.post(
      '/admin/units',
      { name: 'Misplaced BCU', code: 'MISPLACED', kind: 'bcu', parentId: team.id },
      '/admin/units/new',
    )
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('A basic command unit cannot belong to a team')
    const after = await db
      .selectFrom('org_units')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(Number(before.n))
  })

  it('records the request id with each change, to match the ledger to the logs', async () => {
    const response = await admin.post(
      '/admin/units',
      { name: 'Marine unit', code: 'MARINE', kind: 'department', parentId: await unitId('DC') },
      '/admin/units/new',
    )
    const requestId = String(response.headers['x-request-id'])
    const entry = await db
      .selectFrom('audit_log')
      .select('request_id')
      .where('action', '=', 'unit.created')
      .where((eb) => eb(eb.ref('details', '->>').key('code'), '=', 'MARINE'))
      .executeTakeFirstOrThrow()
    expect(entry.request_id).toBe(requestId)
  })

  it('changes a unit, but refuses to move it under a unit within it', async () => {
    const id = await unitId('E')
    const child = await unitId('E-RA')
    const forceUnit = await unitId('DC')

    const form = await admin.get(`/admin/units/${id}`)
    expect(form.statusCode).toBe(200)
    expect(form.body).toContain('value="East BCU"')
    // Neither the unit nor anything within it is offered as its parent.
    expect(form.body).not.toContain(`value="${child}"`)

    const cycle = await admin.post(`/admin/units/${id}`, { name: 'East BCU', code: 'E', kind: 'bcu', parentId: child })
    expect(cycle.statusCode).toBe(400)
    expect(cycle.body).toContain('A unit cannot belong to itself or to a unit within it')
    const itself = await admin.post(`/admin/units/${id}`, { name: 'East BCU', code: 'E', kind: 'bcu', parentId: id })
    expect(itself.statusCode).toBe(400)
    const unchanged = await db
      .selectFrom('org_units')
      .select('parent_id')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(unchanged.parent_id).toBe(forceUnit)
    expect(await auditEntries('unit.updated', id)).toHaveLength(0)

    const rename = await admin.post(`/admin/units/${id}`, {
      name: 'East and Coast BCU',
      code: 'E',
      kind: 'bcu',
      parentId: forceUnit,
    })
    expect(rename.statusCode).toBe(303)
    const renamed = await db.selectFrom('org_units').select('name').where('id', '=', id).executeTakeFirstOrThrow()
    expect(renamed.name).toBe('East and Coast BCU')
    expect(await auditEntries('unit.updated', id)).toHaveLength(1)
  })

  it('does not offer the force’s own unit, or another force’s units, for editing', async () => {
    const forceUnit = await unitId('DC')
    expect((await admin.get(`/admin/units/${forceUnit}`)).statusCode).toBe(404)
    const post = await admin.post(
      `/admin/units/${forceUnit}`,
      { name: 'Renamed', code: 'DC', kind: 'bcu', parentId: forceUnit },
      '/admin/units',
    )
    expect(post.statusCode).toBe(404)
    expect((await admin.get(`/admin/units/${await unitId('other')}`)).statusCode).toBe(404)
    expect((await admin.get('/admin/units/nope')).statusCode).toBe(404)
  })
})

describe('access', () => {
  const adminRoutes = () => t.app.routeTable.filter((r) => r.url.startsWith('/admin'))

  async function concreteUrl(url: string): Promise<string> {
    return url.startsWith('/admin/units/:id')
      ? url.replace(':id', await unitId('N-RA'))
      : url.replace(':id', await userId('analyst'))
  }

  it('declares every admin route for administrators only', () => {
    const routes = adminRoutes()
    expect(routes.length).toBeGreaterThanOrEqual(13)
    for (const route of routes)
      expect(['users.manage', 'units.manage', 'retention.manage'], route.url).toContain(route.access)
  })

  it('refuses every admin page and form to an account without the permission', async () => {
    const officer = await signedInAs('officer', 'demo-password')
    const analystId = await userId('analyst')
    for (const route of adminRoutes()) {
      if (route.method === 'HEAD') continue
      const url = await concreteUrl(route.url)
      const response =
        route.method === 'GET'
          ? await officer.get(url)
          : await officer.post(
              url,
              { ...details(['admin']), password: PASSWORD, name: 'x', code: 'X', kind: 'team' },
              '/',
            )
      expect(response.statusCode, `${route.method} ${url}`).toBe(403)
    }
    expect(await rolesOf(analystId)).toEqual(['analyst'])
    const row = await db.selectFrom('users').select('disabled_at').where('id', '=', analystId).executeTakeFirstOrThrow()
    expect(row.disabled_at).toBeNull()
  })

  it('sends a signed-out visitor to sign in', async () => {
    const response = await new Browser(t.app).get('/admin/users')
    expect(response.statusCode).toBe(302)
    expect(response.headers.location).toBe('/sign-in?returnTo=%2Fadmin%2Fusers')
  })

  it('refuses a form posted without a CSRF token and changes nothing', async () => {
    const before = await countUsers()
    const analystId = await userId('analyst')
    const post = (url: string, form: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url,
        headers: { cookie: admin.jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(form).toString(),
      })

    const create = await post('/admin/users', {
      username: 'sneaky',
      displayName: 'Sneaky',
      email: '',
      unitId: '',
      roles: 'admin',
      password: PASSWORD,
    })
    expect(create.statusCode).toBe(403)
    expect(await countUsers()).toBe(before)

    const disable = await post(`/admin/users/${analystId}/disable`, { _csrf: 'forged' })
    expect(disable.statusCode).toBe(403)
    const row = await db.selectFrom('users').select('disabled_at').where('id', '=', analystId).executeTakeFirstOrThrow()
    expect(row.disabled_at).toBeNull()
    expect(await auditEntries('user.disabled', analystId)).toHaveLength(0)
  })
})
