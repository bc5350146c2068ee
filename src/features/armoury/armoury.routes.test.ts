import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, testApp, type TestApp } from '../../../test/support/app.js'
import type { Db } from '../../db/database.js'
import { londonDate } from '../../domain/calendar.js'
import { cedAuthorityAsAt } from '../training/authority.repository.js'
import type { Principal } from '../auth/policy.js'
import { issueDevice } from './armoury.service.js'

let t: TestApp
let db: Db
let forceId: string
let lead: Browser
const today = londonDate(new Date())

beforeAll(async () => {
  t = await testApp()
  db = t.database.db
  forceId = (await db.selectFrom('forces').select('id').executeTakeFirstOrThrow()).id
  lead = new Browser(t.app)
  await lead.signIn('taser-lead')
})
afterAll(() => t.close())

async function count(table: 'ced_device_issues' | 'ced_issue_refusals' | 'audit_log') {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** An officer authorised for an X2 today who holds no device, and a free in-service X2 of their BCU. */
async function authorisedOfficerAndDevice(exclude: string[] = []) {
  const people = await cedAuthorityAsAt(db, { forceId, asAt: today })
  const out = new Set(
    (await db.selectFrom('ced_device_issues').select('person_id').where('returned_at', 'is', null).execute()).map(
      (r) => r.person_id,
    ),
  )
  const officer = people.find(
    (p) =>
      p.authority.authorisedModels.includes('x2') &&
      !out.has(p.personId) &&
      !exclude.includes(p.personId) &&
      p.collarNumber !== null,
  )
  if (!officer) throw new Error('no authorised officer free')
  return { officer, device: await freeDevice('x2') }
}

async function freeDevice(model: string, exclude: string[] = []) {
  const { rows } = await sql<{ serial: string }>`
    select serial from ced_devices d where model = ${model} and status = 'in_service'
      and not exists (select 1 from ced_device_issues i where i.device_id = d.id and i.returned_at is null)
      and serial <> all(${exclude}::text[])
    order by serial limit 1`.execute(db)
  const serial = rows[0]?.serial
  if (!serial) throw new Error('no free device')
  return serial
}

async function stockCartridge(type: string, expired = false) {
  const row = await db
    .selectFrom('ced_cartridges')
    .select('serial')
    .where('cartridge_type', '=', type)
    .where('status', '=', 'in_stock')
    .where('expires_on', expired ? '<' : '>', today)
    .orderBy('serial')
    .executeTakeFirstOrThrow()
  return row.serial
}

describe('the armoury', () => {
  it('shows the devices out now and the demo’s refused issue with its reasons', async () => {
    const page = await lead.get('/taser/armoury')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('data-testid="out-now"')
    expect(page.body).toMatch(/Not authorised to carry a TASER X2\. Last trained on .*; authority lapsed on/)
  })

  it('refuses a lapsed officer, shows why, records and audits the refusal, and issues nothing', async () => {
    const people = await cedAuthorityAsAt(db, { forceId, asAt: today })
    const lapsed = people.find((p) =>
      p.authority.models.some((m) => m.model === 'x2' && m.reasons.some((r) => r.code === 'training_lapsed')),
    )
    if (!lapsed?.collarNumber) throw new Error('no lapsed officer')
    const issues = await count('ced_device_issues')
    const refusals = await count('ced_issue_refusals')
    const response = await lead.post(
      '/taser/armoury/issue',
      { collarNumber: lapsed.collarNumber, deviceSerial: await freeDevice('x2'), sparkTest: 'passed' },
      '/taser/armoury/issue',
    )
    expect(response.statusCode).toBe(409)
    expect(response.body).toContain('Issue refused')
    expect(response.body).toMatch(/authority lapsed on \d+ \w+ \d{4}/)
    expect(await count('ced_device_issues')).toBe(issues)
    expect(await count('ced_issue_refusals')).toBe(refusals + 1)
    const audit = await db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'ced_device.issue_refused')
      .where('entity_id', '=', lapsed.personId)
      .execute()
    expect(audit.length).toBeGreaterThanOrEqual(1)
  })

  it('refuses a defective device and an expired cartridge, with both reasons', async () => {
    const { officer } = await authorisedOfficerAndDevice()
    const defective = await db
      .selectFrom('ced_devices')
      .select('serial')
      .where('status', '=', 'defective')
      .executeTakeFirstOrThrow()
    const response = await lead.post(
      '/taser/armoury/issue',
      {
        collarNumber: officer.collarNumber ?? '',
        deviceSerial: defective.serial,
        cartridge1: await stockCartridge('x2_smart', true),
        sparkTest: 'passed',
      },
      '/taser/armoury/issue',
    )
    expect(response.statusCode).toBe(409)
    expect(response.body).toContain('is not serviceable: defective')
    expect(response.body).toMatch(/Cartridge XP\d+ expired on/)
  })

  it('says what is wrong with the form and changes nothing', async () => {
    const issues = await count('ced_device_issues')
    const refusals = await count('ced_issue_refusals')
    const response = await lead.post('/taser/armoury/issue', { collarNumber: 'ZZ999999', deviceSerial: 'NOPE-1' })
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('href="#sparkTest"')
    const typo = await lead.post('/taser/armoury/issue', {
      collarNumber: 'ZZ999999',
      deviceSerial: 'NOPE-1',
      sparkTest: 'passed',
    })
    expect(typo.statusCode).toBe(400)
    expect(typo.body).toContain('No officer has collar number ZZ999999')
    expect(typo.body).toContain('No device has serial number NOPE-1')
    expect(await count('ced_device_issues')).toBe(issues)
    expect(await count('ced_issue_refusals')).toBe(refusals)
  })

  it('issues with a spark test, refuses the same device to a second officer, and records the return', async () => {
    const { officer, device } = await authorisedOfficerAndDevice()
    const [c1, c2] = (
      await db
        .selectFrom('ced_cartridges')
        .select('serial')
        .where('cartridge_type', '=', 'x2_smart')
        .where('status', '=', 'in_stock')
        .where('expires_on', '>', today)
        .orderBy('serial', 'desc')
        .limit(2)
        .execute()
    ).map((r) => r.serial)
    const issued = await lead.post(
      '/taser/armoury/issue',
      {
        collarNumber: officer.collarNumber ?? '',
        deviceSerial: device,
        cartridge1: c1 ?? '',
        cartridge2: c2 ?? '',
        sparkTest: 'passed',
      },
      '/taser/armoury/issue',
    )
    expect(issued.statusCode).toBe(303)
    const issueUrl = String(issued.headers.location)
    const issue = await db
      .selectFrom('ced_device_issues')
      .selectAll()
      .where('id', '=', issueUrl.split('/').at(-1) ?? '')
      .executeTakeFirstOrThrow()
    expect(issue.spark_test_passed).toBe(true)
    expect(issue.spark_test_at).not.toBeNull()

    const second = await authorisedOfficerAndDevice([officer.personId])
    const clash = await lead.post(
      '/taser/armoury/issue',
      { collarNumber: second.officer.collarNumber ?? '', deviceSerial: device, sparkTest: 'passed' },
      '/taser/armoury/issue',
    )
    expect(clash.statusCode).toBe(409)
    expect(clash.body).toContain(`Device ${device} is already issued to`)

    const cartridges = await db
      .selectFrom('ced_device_issue_cartridges as ic')
      .innerJoin('ced_cartridges as c', 'c.id', 'ic.cartridge_id')
      .select(['c.id', 'c.serial', 'c.status'])
      .where('ic.issue_id', '=', issue.id)
      .orderBy('ic.bay')
      .execute()
    expect(cartridges.map((c) => c.status)).toEqual(['issued', 'issued'])
    const returned = await lead.post(issueUrl, { used: cartridges[0]?.id ?? '', notes: 'Fired at a dog' })
    expect(returned.statusCode).toBe(303)
    const after = await db
      .selectFrom('ced_cartridges')
      .select(['serial', 'status'])
      .where(
        'id',
        'in',
        cartridges.map((c) => c.id),
      )
      .orderBy('serial', 'desc')
      .execute()
    expect(Object.fromEntries(after.map((c) => [c.serial, c.status]))).toEqual({
      [c1 ?? '']: 'spent',
      [c2 ?? '']: 'in_stock',
    })
    const returnedIssue = await db
      .selectFrom('ced_device_issues')
      .select('returned_at')
      .where('id', '=', issue.id)
      .executeTakeFirstOrThrow()
    expect(returnedIssue.returned_at).not.toBeNull()
    // A second return of the same issue is a page that no longer exists as a form.
    expect((await lead.get(issueUrl)).body).not.toContain('Record return')
  })

  it('lets a sergeant issue only within their basic command unit, and shows them only its devices out', async () => {
    const supervisor = new Browser(t.app)
    await supervisor.signIn('supervisor')
    const bcu = await sql<{ id: string }>`
      select u.parent_id as id from users us join org_units u on u.id = us.unit_id where us.username = 'supervisor'`.execute(
      db,
    )
    const bcuId = bcu.rows[0]?.id
    const people = await cedAuthorityAsAt(db, { forceId, asAt: today })
    const units = await db.selectFrom('org_units').select(['id', 'parent_id']).execute()
    const bcuOf = new Map(units.map((u) => [u.id, u.parent_id]))
    const outsider = people.find((p) => p.authority.authorisedModels.includes('x2') && bcuOf.get(p.unitId) !== bcuId)
    const response = await supervisor.post(
      '/taser/armoury/issue',
      { collarNumber: outsider?.collarNumber ?? '', deviceSerial: await freeDevice('x2'), sparkTest: 'passed' },
      '/taser/armoury/issue',
    )
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('only to officers in your basic command unit')

    const page = await supervisor.get('/taser/armoury')
    const shown = [...page.body.matchAll(/\/taser\/armoury\/issues\/([0-9a-f-]{36})/g)].map((m) => m[1] ?? '')
    if (shown.length > 0) {
      const holders = await db
        .selectFrom('ced_device_issues as i')
        .innerJoin('personnel as p', 'p.id', 'i.person_id')
        .select('p.unit_id')
        .where('i.id', 'in', shown)
        .execute()
      for (const h of holders) expect(bcuOf.get(h.unit_id)).toBe(bcuId)
    }
    expect((await supervisor.get('/taser/devices')).statusCode).toBe(403)
  })

  it('issues a device to one of two officers when two armourers try at once', async () => {
    const first = await authorisedOfficerAndDevice()
    const second = await authorisedOfficerAndDevice([first.officer.personId])
    const leadAccount = await db
      .selectFrom('users')
      .select(['id', 'person_id'])
      .where('username', '=', 'taser-lead')
      .executeTakeFirstOrThrow()
    const principal: Principal = {
      userId: leadAccount.id,
      forceId,
      roles: ['taser_lead'],
      personId: leadAccount.person_id,
      unitPath: [],
    }
    const attempt = (collar: string | null) =>
      issueDevice({ db, clock: () => new Date() }, { userId: leadAccount.id, label: 'test' }, principal, {
        collarNumber: collar ?? '',
        deviceSerial: first.device,
        cartridgeSerials: [],
        sparkTestPassed: true,
      })
    const outcomes = await Promise.all([attempt(first.officer.collarNumber), attempt(second.officer.collarNumber)])
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['issued', 'refused'])
    const open = await db
      .selectFrom('ced_device_issues as i')
      .innerJoin('ced_devices as d', 'd.id', 'i.device_id')
      .select('i.id')
      .where('d.serial', '=', first.device)
      .where('i.returned_at', 'is', null)
      .execute()
    expect(open).toHaveLength(1)
  })
})

describe('the device register', () => {
  it('registers a device once, takes it out of service on a defect and back on resolution, with history', async () => {
    const unit = await db.selectFrom('org_units').select('id').where('kind', '=', 'bcu').executeTakeFirstOrThrow()
    const form = { serial: 'X29-999001', model: 'x2', firmware: '3.2.1', homeUnitId: unit.id }
    const created = await lead.post('/taser/devices/new', form)
    expect(created.statusCode).toBe(303)
    const again = await lead.post('/taser/devices/new', form)
    expect(again.statusCode).toBe(400)
    expect(again.body).toContain('already registered')
    const url = String(created.headers.location)
    const id = url.split('/').at(-1) ?? ''

    const empty = await lead.post(`${url}/defects/new`, { description: '' })
    expect(empty.statusCode).toBe(400)
    expect((await lead.post(`${url}/defects/new`, { description: 'Laser sight does not work' })).statusCode).toBe(303)
    const device = await db.selectFrom('ced_devices').select('status').where('id', '=', id).executeTakeFirstOrThrow()
    expect(device.status).toBe('defective')
    const defect = await db
      .selectFrom('ced_device_defects')
      .select('id')
      .where('device_id', '=', id)
      .executeTakeFirstOrThrow()
    expect(
      (await lead.post(`${url}/defects/${defect.id}/resolve`, { resolution: 'Sight replaced', returnToService: 'yes' }))
        .statusCode,
    ).toBe(303)
    const page = await lead.get(url)
    expect(page.body).toContain('Status changed from defective to in service: Defect resolved')
    expect(page.body).toContain('Defect reported: Laser sight does not work')
    expect(page.body).toContain('Registered (firmware 3.2.1)')
    const audit = await db.selectFrom('audit_log').select('action').where('entity_id', '=', id).orderBy('id').execute()
    expect(audit.map((a) => a.action)).toEqual([
      'ced_device.registered',
      'ced_device.defect_reported',
      'ced_device.status_changed',
      'ced_device.defect_resolved',
      'ced_device.status_changed',
    ])
  })

  it('lets PSD read the register but not change it', async () => {
    const psd = new Browser(t.app)
    await psd.signIn('psd')
    expect((await psd.get('/taser/devices')).statusCode).toBe(200)
    expect((await psd.get('/taser/cartridges')).statusCode).toBe(200)
    expect((await psd.get('/taser/devices/new')).statusCode).toBe(403)
    expect((await psd.get('/taser/armoury')).statusCode).toBe(403)
  })

  it('records an unintentional discharge', async () => {
    const { officer, device } = await authorisedOfficerAndDevice()
    const bad = await lead.post('/taser/armoury/discharges/new', {
      deviceSerial: device,
      collarNumber: officer.collarNumber ?? '',
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('Describe what happened')
    const ok = await lead.post('/taser/armoury/discharges/new', {
      deviceSerial: device,
      collarNumber: officer.collarNumber ?? '',
      'occurredOn-day': today.slice(8, 10),
      'occurredOn-month': today.slice(5, 7),
      'occurredOn-year': today.slice(0, 4),
      time: '00:01',
      circumstances: 'Discharged into the unloading bay while making safe.',
    })
    expect(ok.statusCode).toBe(303)
    expect((await lead.get('/taser/armoury')).body).toContain('Discharged into the unloading bay while making safe.')
  })
})
