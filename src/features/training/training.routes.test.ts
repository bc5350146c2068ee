import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, testApp, type TestApp } from '../../../test/support/app.js'
import type { Db } from '../../db/database.js'
import { addDays, londonDate } from '../../domain/calendar.js'
import { cedAuthorityAsAt } from './authority.repository.js'

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

async function authority() {
  return cedAuthorityAsAt(db, { forceId, asAt: today })
}

async function countRows(table: 'ced_training_records' | 'ced_training_assessments' | 'audit_log') {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

const dateFields = (name: string, date: string) => ({
  [`${name}-day`]: String(Number(date.slice(8, 10))),
  [`${name}-month`]: String(Number(date.slice(5, 7))),
  [`${name}-year`]: date.slice(0, 4),
})

describe('the Taser lead’s overview', () => {
  it('lists who lapses in the next 30 days and who is trained but not authorised, with reasons', async () => {
    const page = await lead.get('/taser/training')
    expect(page.statusCode).toBe(200)
    const lapsing = (await authority()).filter((p) =>
      p.authority.models.some((m) => m.authorised && m.lapsesOn && m.lapsesOn <= addDays(today, 30)),
    )
    expect(lapsing.length).toBeGreaterThanOrEqual(6)
    for (const p of lapsing) expect(page.body).toContain(`/taser/training/people/${p.personId}`)
    expect(page.body).toContain('authority lapsed on')
    expect(page.body).toContain('Suspended since')
    expect(page.body).toContain('Force policy does not allow student officers to carry Taser.')
  })

  it('shows a supervisor only their own team', async () => {
    const supervisor = new Browser(t.app)
    await supervisor.signIn('supervisor')
    const page = await supervisor.get('/taser/training')
    expect(page.statusCode).toBe(200)
    const everyone = await authority()
    const team = (
      await db.selectFrom('users').select('unit_id').where('username', '=', 'supervisor').executeTakeFirstOrThrow()
    ).unit_id
    const linked = [...page.body.matchAll(/\/taser\/training\/people\/([0-9a-f-]{36})/g)].map((m) => m[1])
    expect(linked.length).toBeGreaterThan(0)
    for (const id of linked) expect(everyone.find((p) => p.personId === id)?.unitId).toBe(team)
    const outsider = everyone.find((p) => p.unitId !== team)
    expect((await supervisor.get(`/taser/training/people/${outsider?.personId}`)).statusCode).toBe(404)
  })

  it('refuses an analyst', async () => {
    const analyst = new Browser(t.app)
    await analyst.signIn('analyst')
    expect((await analyst.get('/taser/training')).statusCode).toBe(403)
  })
})

describe('an officer’s page', () => {
  it('explains why a lapsed officer is not authorised, with dates, and a refresher restores authority', async () => {
    const lapsed = (await authority()).find(
      (p) =>
        p.authority.authorisedModels.length === 0 &&
        p.authority.models.some(
          (m) => m.model === 'x2' && m.reasons.length === 1 && m.reasons[0]?.code === 'training_lapsed',
        ),
    )
    if (!lapsed) throw new Error('no lapsed officer in the demo')
    const url = `/taser/training/people/${lapsed.personId}`
    const before = await lead.get(url)
    expect(before.body).toContain('Not authorised')
    expect(before.body).toMatch(/Last trained on \d+ \w+ \d{4}; authority lapsed on \d+ \w+ \d{4}\./)

    const records = await countRows('ced_training_records')
    const bad = await lead.post(`${url}/courses/new`, {
      course: 'refresher',
      deviceModel: 'x2',
      hours: '4',
      passed: 'yes',
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('govuk-error-summary')
    expect(bad.body).toContain('href="#completedOn-day"')
    expect(bad.body).toContain('Annual refresher must be at least 6 hours')
    expect(await countRows('ced_training_records')).toBe(records)

    const good = await lead.post(`${url}/courses/new`, {
      course: 'refresher',
      deviceModel: 'x2',
      hours: '7',
      passed: 'yes',
      qualification_shoot: 'pass',
      written_test: 'pass',
      scenarios: 'pass',
      ...dateFields('completedOn', today),
    })
    expect(good.statusCode).toBe(303)
    const after = await lead.get(url)
    expect(after.body).toContain('Authorised')
    const [now] = await cedAuthorityAsAt(db, { forceId, asAt: today, personIds: [lapsed.personId] })
    expect(now?.authority.authorisedModels).toContain('x2')
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', lapsed.personId)
      .where('action', '=', 'ced_training.recorded')
      .execute()
    expect(audit).toHaveLength(1)
  })

  it('suspends and lifts authority, audited', async () => {
    const officer = (await authority()).find((p) => p.authority.authorisedModels.length > 0 && p.status === 'regular')
    if (!officer) throw new Error('no authorised officer')
    const url = `/taser/training/people/${officer.personId}`
    const empty = await lead.post(`${url}/suspensions/new`, { reason: '' })
    expect(empty.statusCode).toBe(400)
    expect(empty.body).toContain('Enter the reason for the suspension')
    const suspended = await lead.post(`${url}/suspensions/new`, {
      reason: 'Under investigation',
      ...dateFields('suspendedOn', today),
    })
    expect(suspended.statusCode).toBe(303)
    const [now] = await cedAuthorityAsAt(db, { forceId, asAt: today, personIds: [officer.personId] })
    expect(now?.authority.authorisedModels).toEqual([])
    const suspension = await db
      .selectFrom('ced_suspensions')
      .select('id')
      .where('person_id', '=', officer.personId)
      .where('lifted_on', 'is', null)
      .executeTakeFirstOrThrow()
    const lifted = await lead.post(`${url}/suspensions/${suspension.id}/lift`, {
      reason: 'No case to answer',
      ...dateFields('liftedOn', today),
    })
    expect(lifted.statusCode).toBe(303)
    const [later] = await cedAuthorityAsAt(db, { forceId, asAt: today, personIds: [officer.personId] })
    expect(later?.authority.authorisedModels.length).toBeGreaterThan(0)
    const actions = await db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', officer.personId)
      .orderBy('id')
      .execute()
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(['ced_authority.suspended', 'ced_authority.suspension_lifted']),
    )
  })
})

describe('importing training records', () => {
  const header =
    'collar_number,course,device_model,completed_on,hours,passed,qualification_shoot,written_test,scenarios'

  async function collars(n: number) {
    const rows = await db
      .selectFrom('personnel')
      .select('collar_number')
      .where('status', '=', 'regular')
      .where('collar_number', 'is not', null)
      .orderBy('collar_number')
      .limit(n)
      .execute()
    return rows.map((r) => r.collar_number ?? '')
  }

  /** A line's problem as the import page lists it. */
  const problem = (line: number, message: string) =>
    `<td class="govuk-table__cell">${line}</td><td class="govuk-table__cell">${message}`
  const importFile = (content: string | Uint8Array, name = 'training.csv') =>
    lead.upload('/taser/training/import', { name, content })

  it('asks for a file, and refuses one that is not UTF-8, writing nothing', async () => {
    const records = await countRows('ced_training_records')
    const none = await importFile('')
    expect(none.statusCode).toBe(400)
    expect(none.body).toContain('Select a CSV file of training records')
    expect(none.body).toContain('govuk-error-summary')
    const latin1 = await importFile(Uint8Array.from([...Buffer.from(`${header}\n`), 0xe9, 0x0a]))
    expect(latin1.statusCode).toBe(400)
    expect(latin1.body).toContain('The file must be a CSV file saved as UTF-8')
    expect(await countRows('ced_training_records')).toBe(records)
  })

  it('reports every bad line and writes nothing', async () => {
    const [a, b] = await collars(2)
    const csv = [
      header,
      `${a},initial,x2,2026-01-12,21,yes,pass,pass,pass`,
      `${b},initial,x9,2026-01-12,21,yes,pass,pass,pass`,
      `ZZ999999,refresher,x2,2026-01-12,7,yes,,,`,
      `${a},refresher,x2,2026-02-30,7,yes,,,`,
      `${b},refresher,x2,2026-01-12,3,yes,pass,fail,pass`,
    ].join('\n')
    const records = await countRows('ced_training_records')
    const audit = await countRows('audit_log')
    const response = await importFile(csv)
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('The file has 4 problems: nothing was imported')
    expect(response.body).toContain(problem(3, 'device_model must be one of'))
    expect(response.body).toContain(problem(5, 'completed_on must be a date'))
    expect(response.body).toContain(problem(6, 'Annual refresher: at least 6 hours'))
    expect(response.body).toContain(problem(6, 'A course with a failed assessment cannot be passed'))
    expect(await countRows('ced_training_records')).toBe(records)
    expect(await countRows('audit_log')).toBe(audit)

    // The format is right but the officer does not exist: still nothing written.
    const unknown = await importFile(
      [header, `${a},initial,taser_10,2026-01-12,21,yes,,,`, 'ZZ999999,initial,x2,2026-01-12,21,yes,,,'].join('\n'),
    )
    expect(unknown.statusCode).toBe(400)
    expect(unknown.body).toContain(problem(3, 'No officer in the force has collar number ZZ999999'))
    expect(await countRows('ced_training_records')).toBe(records)
  })

  it('imports a good file once: the second import changes nothing', async () => {
    const [a, b] = await collars(2)
    const csv = [
      header,
      `${a},initial,taser_10,2026-01-12,21,yes,pass,pass,pass`,
      `${b},conversion,taser_7,2026-02-03,14,no,pass,fail,pass`,
    ].join('\r\n')
    const records = await countRows('ced_training_records')
    const assessments = await countRows('ced_training_assessments')
    const first = await importFile(csv, 'november.csv')
    expect(first.statusCode).toBe(200)
    expect(first.body).toContain('2 added; 0 already recorded')
    expect(await countRows('ced_training_records')).toBe(records + 2)
    expect(await countRows('ced_training_assessments')).toBe(assessments + 6)

    const audit = await countRows('audit_log')
    const second = await importFile(csv, 'november.csv')
    expect(second.body).toContain('0 added; 2 already recorded')
    expect(await countRows('ced_training_records')).toBe(records + 2)
    expect(await countRows('audit_log')).toBe(audit)

    // The same course with different hours is a clash, not an overwrite.
    const clash = await importFile([header, `${a},initial,taser_10,2026-01-12,24,yes,pass,pass,pass`].join('\n'))
    expect(clash.statusCode).toBe(400)
    expect(clash.body).toContain('A different record of this course on 2026-01-12')
  })
})

describe('the force’s Taser policy', () => {
  it('lets an administrator allow student officers, which changes their derived authority', async () => {
    const admin = new Browser(t.app)
    await admin.signIn('admin')
    const probationers = async () =>
      (await authority()).filter((p) => p.status === 'probationer' && p.authority.authorisedModels.length > 0)
    expect(await probationers()).toHaveLength(0)
    const bad = await admin.post('/taser/policy', { probationers: 'maybe', specials: 'yes' })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('Select whether student officers may carry Taser')
    expect((await admin.post('/taser/policy', { probationers: 'yes', specials: 'yes' })).statusCode).toBe(303)
    expect((await probationers()).length).toBeGreaterThan(0)
    await admin.post('/taser/policy', { probationers: 'no', specials: 'yes' })
    expect((await lead.get('/taser/policy')).statusCode).toBe(403)
  })
})

describe('the home page', () => {
  it('tells an officer until when they may carry, and a supervisor how many of their team lapse soon', async () => {
    const officer = new Browser(t.app)
    await officer.signIn('officer')
    const own = await officer.get('/')
    expect(own.body).toMatch(/You may carry a TASER X2 until \d+ \w+ \d{4}\./)
    const supervisor = new Browser(t.app)
    await supervisor.signIn('supervisor')
    const team = await supervisor.get('/')
    expect(team.body).toMatch(/(\d+) officer(’s|s’) authority lapses in the next 30 days/)
    const analyst = new Browser(t.app)
    await analyst.signIn('analyst')
    expect((await analyst.get('/')).body).not.toContain('Taser authority')
  })
})
