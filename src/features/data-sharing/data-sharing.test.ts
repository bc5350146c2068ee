import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, testApp, type TestApp } from '../../../test/support/app.js'
import { systemClock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import { londonDate, monthOf, shiftMonth } from '../../domain/calendar.js'
import { parseCsv } from '../../lib/spreadsheets/parse-csv.js'
import { createForce } from '../admin/admin.service.js'
import { verifyAuditLedger } from '../audit/ledger.js'
import { agreementById, agreements } from './agreements.js'
import { pseudonymFor } from './data-sharing.service.js'

let t: TestApp
let db: Db
let forceId: string
let otherReportIds: string[]

const lastMonth = shiftMonth(monthOf(londonDate(new Date())), -1)
const period = { from: shiftMonth(lastMonth, -11), to: lastMonth }
const inPeriod = sql`to_char(r.occurred_at at time zone 'Europe/London', 'YYYY-MM') between ${period.from} and ${period.to}`

async function download(agreement: string, range = period) {
  const analyst = new Browser(t.app)
  await analyst.signIn('analyst')
  const response = await analyst.post('/data-sharing', { agreement, from: range.from, to: range.to })
  expect(response.statusCode).toBe(200)
  const [header = [], ...lines] = parseCsv(response.body.replace(/^\uFEFF/, ''))
  return { response, header, lines, column: (name: string) => lines.map((l) => l[header.indexOf(name)] ?? '') }
}

async function keyOf(force: string, agreement: string): Promise<Uint8Array> {
  const row = await db
    .selectFrom('data_sharing_keys')
    .select('secret')
    .where('force_id', '=', force)
    .where('agreement', '=', agreement)
    .executeTakeFirstOrThrow()
  return row.secret
}

beforeAll(async () => {
  t = await testApp()
  db = t.database.db
  forceId = (await db.selectFrom('forces').select('id').where('code', '=', 'demo').executeTakeFirstOrThrow()).id
  // Another force holding copies of the demo force's CED reports in the period (new ids, same answers).
  const otherForceId = await createForce(db, systemClock, { code: 'other', name: 'Other Constabulary' })
  const { rows } = await sql<{ id: string; copy: string }>`
    select r.id, gen_random_uuid() as copy from reports r
    where r.force_id = ${forceId} and r.ced_highest_level is not null and ${inPeriod} limit 5`.execute(db)
  otherReportIds = rows.map((r) => r.copy)
  for (const { id, copy } of rows) {
    await sql`insert into reports select (jsonb_populate_record(r, jsonb_build_object(
        'id', ${copy}::uuid, 'force_id', ${otherForceId}::uuid, 'officer_unit_id', null, 'officer_person_id', null))).*
      from reports r where r.id = ${id}`.execute(db)
    await sql`insert into report_ced_uses select (jsonb_populate_record(u, jsonb_build_object(
        'id', gen_random_uuid(), 'report_id', ${copy}::uuid))).* from report_ced_uses u where u.report_id = ${id}`.execute(
      db,
    )
    await sql`insert into report_tactics select (jsonb_populate_record(x, jsonb_build_object('report_id', ${copy}::uuid))).*
      from report_tactics x where x.report_id = ${id}`.execute(db)
  }
})

afterAll(async () => {
  await t.close()
})

describe('data-sharing extracts', () => {
  it('holds every CED use of the force in the period, and exactly the fields of the agreement', async () => {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from report_ced_uses u join reports r on r.id = u.report_id
      where r.force_id = ${forceId} and ${inPeriod}`.execute(db)
    const uses = rows[0]?.n ?? 0
    expect(uses).toBeGreaterThan(20)
    for (const agreement of agreements) {
      const { header, lines, response } = await download(agreement.id)
      expect(header).toEqual(agreement.fields.map((f) => f.name))
      for (const line of lines) expect(line).toHaveLength(header.length)
      expect(response.headers['content-disposition']).toBe(
        `attachment; filename="${agreement.id}-demo-${period.from}-to-${period.to}.csv"`,
      )
      if (agreement.source === 'ced-uses') expect(lines).toHaveLength(uses)
    }
    const { rows: tacticRows } = await sql<{ n: number }>`
      select count(*)::int as n from report_tactics t join reports r on r.id = t.report_id
      where r.force_id = ${forceId} and ${inPeriod}`.execute(db)
    expect((await download('college-of-policing')).lines).toHaveLength(tacticRows[0]?.n ?? -1)
    // Firmware comes from the device register: the demo's devices are registered.
    expect((await download('cast')).column('firmware').filter(Boolean).length).toBeGreaterThan(uses / 2)
  })

  it('gives each recipient its own pseudonyms, the same in every extract it receives', async () => {
    const first = new Set((await download('sacmill')).column('report_pid'))
    const again = new Set((await download('sacmill')).column('report_pid'))
    const cast = new Set((await download('cast')).column('report_pid'))
    expect(first.size).toBeGreaterThan(10)
    expect(again).toEqual(first)
    expect([...cast].filter((id) => first.has(id))).toEqual([])
    expect(cast.size).toBe(first.size)
    // They are the keyed hash of the report ids, under the recipient's key.
    const { rows } = await sql<{ id: string }>`
      select distinct r.id from reports r join report_ced_uses u on u.report_id = r.id
      where r.force_id = ${forceId} and ${inPeriod}`.execute(db)
    const sacmill = pseudonymFor(await keyOf(forceId, 'sacmill'))
    expect(new Set(rows.map((r) => sacmill(r.id)))).toEqual(first)
  })

  it('leaves out every identifier and free text of the records it comes from', async () => {
    const files = await Promise.all(agreements.map((a) => download(a.id)))
    const cells = new Set(files.flatMap((f) => f.lines.flat()))
    const text = files.map((f) => f.response.body).join('\n')
    const { rows } = await sql<Record<string, string | null>>`
      select r.id::text as report, r.incident_id::text as incident, r.subject_id::text as subject,
        r.officer_person_id::text as person, r.officer_unit_id::text as unit, r.reporter_user_id::text as reporter,
        i.reference, i.area, s.label, p.collar_number, p.given_name, p.family_name, ou.name as unit_name,
        r.justification, r.de_escalation, r.subject_injury_nature, r.bwv_reference,
        u.device_serial, u.footage_reference, u.id::text as ced_use, c->>'serial' as cartridge
      from reports r
      join incidents i on i.id = r.incident_id
      join subjects s on s.id = r.subject_id
      left join personnel p on p.id = r.officer_person_id
      left join org_units ou on ou.id = r.officer_unit_id
      left join report_ced_uses u on u.report_id = r.id
      left join lateral jsonb_array_elements(u.cartridges) c on true
      where r.force_id = ${forceId} and ${inPeriod}`.execute(db)
    const identifiers = new Set(rows.flatMap((r) => Object.values(r)).filter((v): v is string => !!v))
    expect(identifiers.size).toBeGreaterThan(100)
    for (const id of identifiers) {
      // Short values (a collar number) could turn up inside a hex pseudonym by chance: they must not be a whole cell.
      expect(cells.has(id), id).toBe(false)
      if (id.length >= 8) expect(text.includes(id), id).toBe(false)
    }
  })

  it('never includes another force’s reports', async () => {
    const { column, lines } = await download('sacmill')
    const pids = new Set(column('report_pid'))
    const sacmill = pseudonymFor(await keyOf(forceId, 'sacmill'))
    for (const id of otherReportIds) expect(pids.has(sacmill(id))).toBe(false)
    expect(lines.length).toBeGreaterThan(0)
  })

  it('records each extract in the audit ledger: who, agreement, period, lines and the file’s sha-256', async () => {
    const before = await db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'data-sharing.extracted')
      .execute()
    const range = { from: shiftMonth(lastMonth, -2), to: lastMonth }
    const { response, lines } = await download('cast', range)
    const entry = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'data-sharing.extracted')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(before.some((b) => b.id === entry.id)).toBe(false)
    expect(entry.actor).toBe('analyst')
    expect(entry.force_id).toBe(forceId)
    expect(entry.entity_id).toBe('cast')
    expect(entry.details).toMatchObject({
      from: range.from,
      to: range.to,
      rows: lines.length,
      sha256: createHash('sha256').update(response.rawPayload).digest('hex'),
    })
    const keys = await db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'data-sharing.key_created')
      .execute()
    expect(keys).toHaveLength(agreements.length)
    expect((await verifyAuditLedger(db)).ok).toBe(true)
    // The page lists it.
    const analyst = new Browser(t.app)
    await analyst.signIn('analyst')
    expect((await analyst.get('/data-sharing')).body).toContain(
      entry.details && (entry.details as { sha256: string }).sha256,
    )
  })

  it('refuses a bad choice with the error summary, keeps the answers, and writes nothing', async () => {
    const analyst = new Browser(t.app)
    await analyst.signIn('analyst')
    const count = async () =>
      (await db.selectFrom('audit_log').select('id').where('action', '=', 'data-sharing.extracted').execute()).length
    const before = await count()
    const missing = await analyst.post('/data-sharing', { from: period.from, to: period.to })
    expect(missing.statusCode).toBe(400)
    expect(missing.body).toContain('href="#agreement"')
    expect(missing.body).toContain('Select the agreement to extract data for')
    const backwards = await analyst.post('/data-sharing', { agreement: 'sacmill', from: period.to, to: period.from })
    expect(backwards.statusCode).toBe(400)
    expect(backwards.body).toContain('href="#to"')
    expect(backwards.body).toMatch(/value="sacmill" checked/)
    const unknown = await analyst.post('/data-sharing', { agreement: 'press', from: period.from, to: '2999-01' })
    expect(unknown.statusCode).toBe(400)
    expect(await count()).toBe(before)
    expect(agreementById('press')).toBeUndefined()
  })

  it('is for analysts only', async () => {
    const officer = new Browser(t.app)
    await officer.signIn('officer')
    expect((await officer.get('/data-sharing')).statusCode).toBe(403)
    const analyst = new Browser(t.app)
    await analyst.signIn('analyst')
    expect((await analyst.get('/data-sharing')).statusCode).toBe(200)
  })
})
