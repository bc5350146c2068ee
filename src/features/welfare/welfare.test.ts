import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, testApp, type TestApp } from '../../../test/support/app.js'
import type { Db } from '../../db/database.js'
import { welfareSteps } from '../../domain/welfare/welfare.js'
import { systemActor } from '../audit/ledger.js'
import { officerAssaultsByMonth } from './welfare.repository.js'
import { ensureWelfareFollowUps } from './welfare.service.js'

let t: TestApp
let db: Db
let forceId: string
let supervisor: Browser
let officer: Browser
let psd: Browser

const deps = () => ({ db, clock: () => new Date() })

async function followUpCount() {
  return Number(
    (
      await db
        .selectFrom('welfare_follow_ups')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )
}

/**
 * A new follow-up, with no steps, for an officer in the demo supervisor's team or outside it: one of their reports
 * is made to record an assault, and the follow-ups brought up to date.
 */
async function newFollowUp(inSupervisorsTeam: boolean) {
  const { rows } = await sql<{ id: string; incident_id: string; officer_person_id: string }>`
    select r.id, r.incident_id, r.officer_person_id from reports r
    join personnel p on p.id = r.officer_person_id
    where not exists (select 1 from welfare_follow_ups f
        where f.incident_id = r.incident_id and f.person_id = r.officer_person_id)
      and (p.unit_id = (select unit_id from users where username = 'supervisor')) = ${inSupervisorsTeam}
    order by r.occurred_at desc limit 1`.execute(db)
  const report = rows[0]
  if (!report) throw new Error('no report to make a follow-up from')
  await db.updateTable('reports').set({ assaulted_by_subject: true }).where('id', '=', report.id).execute()
  await ensureWelfareFollowUps(deps(), systemActor, forceId)
  return db
    .selectFrom('welfare_follow_ups')
    .select(['id', 'person_id'])
    .where('incident_id', '=', report.incident_id)
    .where('person_id', '=', report.officer_person_id)
    .executeTakeFirstOrThrow()
}

beforeAll(async () => {
  t = await testApp()
  db = t.database.db
  forceId = (await db.selectFrom('forces').select('id').where('code', '=', 'demo').executeTakeFirstOrThrow()).id
  supervisor = new Browser(t.app)
  await supervisor.signIn('supervisor')
  officer = new Browser(t.app)
  await officer.signIn('officer')
  psd = new Browser(t.app)
  await psd.signIn('psd')
})

afterAll(async () => {
  await t.close()
})

describe('creating follow-ups', () => {
  it('has one for every officer and incident with an assault or injury, and creating again adds none', async () => {
    const { rows } = await sql<{ n: number }>`
      select count(distinct (incident_id, officer_person_id))::int as n from reports
      where officer_person_id is not null and (assaulted_by_subject or officer_injured = 'yes')`.execute(db)
    expect(await followUpCount()).toBe(rows[0]?.n)
    expect(await ensureWelfareFollowUps(deps(), systemActor, forceId)).toBe(0)
    expect(await followUpCount()).toBe(rows[0]?.n)
  })

  it('creates the missing one for a report newly recording an assault, once, and audits it', async () => {
    const report = await db
      .selectFrom('reports as r')
      .select(['r.id', 'r.incident_id', 'r.officer_person_id'])
      // Follow-ups are for a known officer of this force: a report with no officer recorded has none.
      .where('r.force_id', '=', forceId)
      .where('r.officer_person_id', 'is not', null)
      .where('r.assaulted_by_subject', '=', false)
      .where('r.officer_injured', '<>', 'yes')
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('reports as o')
              .select('o.id')
              .whereRef('o.incident_id', '=', 'r.incident_id')
              .whereRef('o.officer_person_id', '=', 'r.officer_person_id')
              .where('o.assaulted_by_subject', '=', true),
          ),
        ),
      )
      // Nor one already (another report of theirs on the incident recording an injury).
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('welfare_follow_ups as w')
              .select('w.id')
              .whereRef('w.incident_id', '=', 'r.incident_id')
              .whereRef('w.person_id', '=', 'r.officer_person_id'),
          ),
        ),
      )
      .executeTakeFirstOrThrow()
    await db.updateTable('reports').set({ assaulted_by_subject: true }).where('id', '=', report.id).execute()
    const before = await followUpCount()
    expect(await ensureWelfareFollowUps(deps(), systemActor, forceId)).toBe(1)
    expect(await ensureWelfareFollowUps(deps(), systemActor, forceId)).toBe(0)
    expect(await followUpCount()).toBe(before + 1)
    const created = await db
      .selectFrom('welfare_follow_ups')
      .select(['id', 'report_id', 'assaulted', 'injured', 'status'])
      .where('incident_id', '=', report.incident_id)
      .where('person_id', '=', report.officer_person_id ?? '')
      .executeTakeFirstOrThrow()
    expect(created).toMatchObject({ report_id: report.id, assaulted: true, injured: false, status: 'open' })
    const audit = await db.selectFrom('audit_log').select('action').where('entity_id', '=', created.id).execute()
    expect(audit).toEqual([{ action: 'welfare_follow_up.created' }])
  })
})

describe('who sees follow-ups', () => {
  it('shows a supervisor their team’s only; another team’s is not found by URL, nor can its steps be recorded', async () => {
    const mine = await newFollowUp(true)
    const other = await newFollowUp(false)
    const list = await supervisor.get('/welfare?status=all')
    expect(list.statusCode).toBe(200)
    expect(list.body).toContain(`/welfare/${mine.id}`)
    expect(list.body).not.toContain(`/welfare/${other.id}`)
    expect((await supervisor.get(`/welfare/${other.id}`)).statusCode).toBe(404)
    expect((await supervisor.get(`/welfare/${other.id}/steps/welfare_contact`)).statusCode).toBe(404)
    const post = await supervisor.post(
      `/welfare/${other.id}/steps/welfare_contact`,
      {
        outcome: 'done',
        carriedOutBy: 'PS X',
        'carriedOutOn-day': '1',
        'carriedOutOn-month': '1',
        'carriedOutOn-year': '2026',
        notes: '',
      },
      `/welfare/${mine.id}/steps/welfare_contact`,
    )
    expect(post.statusCode).toBe(404)
    expect(
      await db.selectFrom('welfare_step_entries').select('id').where('follow_up_id', '=', other.id).execute(),
    ).toEqual([])
  })

  it('shows an officer their own follow-ups, read only, and no one else’s', async () => {
    // Make sure the demo officer has one: their latest report records an assault.
    await sql`update reports set assaulted_by_subject = true where id = (
      select r.id from reports r join users u on u.person_id = r.officer_person_id
      where u.username = 'officer' order by r.occurred_at desc limit 1)`.execute(db)
    await ensureWelfareFollowUps(deps(), systemActor, forceId)
    const own = await db
      .selectFrom('welfare_follow_ups as f')
      .innerJoin('users as u', 'u.person_id', 'f.person_id')
      .select('f.id')
      .where('u.username', '=', 'officer')
      .execute()
    const list = await officer.get('/welfare?status=all')
    expect(list.statusCode).toBe(200)
    const linked = [...list.body.matchAll(/href="\/welfare\/([0-9a-f-]{36})"/g)].map((m) => m[1])
    expect(linked.sort()).toEqual(own.map((f) => f.id).sort())
    const other = await newFollowUp(false)
    expect((await officer.get(`/welfare/${other.id}`)).statusCode).toBe(404)
    expect(own.length).toBeGreaterThan(0)
    const page = await officer.get(`/welfare/${own[0]?.id}`)
    expect(page.statusCode).toBe(200)
    expect(page.body).not.toContain('/steps/')
    expect((await officer.get(`/welfare/${own[0]?.id}/steps/support`)).statusCode).toBe(403)
  })
})

describe('a follow-up to completion', () => {
  it('refuses a step with errors, keeping the input and writing nothing', async () => {
    const { id } = await newFollowUp(true)
    const url = `/welfare/${id}/steps/welfare_contact`
    const response = await supervisor.post(url, {
      carriedOutBy: 'PS Jones',
      'carriedOutOn-day': '31',
      'carriedOutOn-month': '2',
      'carriedOutOn-year': '2026',
      notes: 'Spoke after the shift',
    })
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('govuk-error-summary')
    expect(response.body).toContain('href="#outcome"')
    expect(response.body).toContain('href="#carriedOutOn-day"')
    expect(response.body.indexOf('href="#outcome"')).toBeLessThan(response.body.indexOf('href="#carriedOutOn-day"'))
    expect(response.body).toContain('value="PS Jones"')
    expect(response.body).toContain('Spoke after the shift')
    expect(await db.selectFrom('welfare_step_entries').select('id').where('follow_up_id', '=', id).execute()).toEqual(
      [],
    )
  })

  it('records every step with who and when, completes the follow-up, and audits each', async () => {
    const { id } = await newFollowUp(true)
    const today = new Date()
    const form = (outcome: string) => ({
      outcome,
      carriedOutBy: 'PS Jones',
      'carriedOutOn-day': String(today.getUTCDate()),
      'carriedOutOn-month': String(today.getUTCMonth() + 1),
      'carriedOutOn-year': String(today.getUTCFullYear()),
      notes: 'Recorded in the test',
    })
    for (const [k, step] of welfareSteps.values.entries()) {
      const before = await db
        .selectFrom('welfare_follow_ups')
        .select('status')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
      expect(before.status).toBe('open')
      const response = await supervisor.post(
        `/welfare/${id}/steps/${step}`,
        form(step === 'investigation' ? 'not_needed' : 'done'),
      )
      expect(response.statusCode, `step ${k + 1}`).toBe(303)
    }
    const done = await db
      .selectFrom('welfare_follow_ups')
      .select(['status', 'completed_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(done.status).toBe('completed')
    expect(done.completed_at).not.toBeNull()
    const page = await supervisor.get(`/welfare/${id}`)
    expect(page.body).toContain('Completed')
    expect(page.body).toContain('PS Jones')
    expect(page.body).toContain('Not needed')
    const audit = await db.selectFrom('audit_log').select('action').where('entity_id', '=', id).orderBy('id').execute()
    expect(audit.map((a) => a.action)).toEqual([
      'welfare_follow_up.created',
      ...welfareSteps.values.map(() => 'welfare_follow_up.step_recorded'),
      'welfare_follow_up.completed',
    ])
    // PSD sees it too, force-wide.
    expect((await psd.get(`/welfare/${id}`)).statusCode).toBe(200)
  })
})

describe('assaults and injuries by month', () => {
  it('counts each month’s reports in UK time, with every month present', async () => {
    const months = await officerAssaultsByMonth(db, { kind: 'force', forceId }, { from: '2025-12', to: '2026-11' })
    expect(months.map((m) => m.month)).toHaveLength(12)
    expect(months[0]?.month).toBe('2025-12')
    const { rows } = await sql<{ month: string; assaulted: number; injured: number }>`
      select to_char(occurred_at at time zone 'Europe/London', 'YYYY-MM') as month,
        count(*) filter (where assaulted_by_subject)::int as assaulted,
        count(*) filter (where officer_injured = 'yes')::int as injured
      from reports group by 1`.execute(db)
    const expected = new Map(rows.map((r) => [r.month, r]))
    for (const m of months) {
      expect([m.month, m.assaulted, m.injured]).toEqual([
        m.month,
        expected.get(m.month)?.assaulted ?? 0,
        expected.get(m.month)?.injured ?? 0,
      ])
    }
    expect(months.reduce((sum, m) => sum + m.assaulted, 0)).toBeGreaterThan(0)
    const page = await psd.get('/welfare')
    expect(page.body).toContain('Assaults on officers and officer injuries by month')
  })
})
