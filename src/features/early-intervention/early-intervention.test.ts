import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, testApp, type TestApp } from '../../../test/support/app.js'
import type { Db } from '../../db/database.js'
import { teamComparison } from '../../domain/early-intervention/early-intervention.js'
import { systemActor } from '../audit/ledger.js'
import { runScheduledJobs } from '../jobs/scheduled-jobs.js'
import { evaluateEarlyIntervention } from './early-intervention.service.js'

let t: TestApp
let db: Db
let forceId: string
let supervisor: Browser
let psd: Browser
/** A team made for these tests, so every number in its comparison is known. */
let team: { id: string; x: string; y: string; p1: string; p2: string; staff: string }

const deps = () => ({ db, clock: () => new Date('2026-12-01T12:00:00Z') })
const evaluate = (asOf: string) => evaluateEarlyIntervention(deps(), systemActor, forceId, asOf)

/** Moves `n` of the demo's reports to `personId`, one at each instant given. */
async function giveReports(personId: string, instants: string[]) {
  const reports = await db
    .selectFrom('reports')
    .select('id')
    .where('officer_person_id', 'not in', Object.values(team))
    .orderBy('id')
    .limit(instants.length)
    .execute()
  for (const [i, report] of reports.entries()) {
    await db
      .updateTable('reports')
      .set({ officer_person_id: personId, officer_unit_id: team.id, occurred_at: new Date(instants[i] ?? '') })
      .where('id', '=', report.id)
      .execute()
  }
}

async function flagsOf(personId: string) {
  return db
    .selectFrom('early_intervention_flags')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('as_of')
    .execute()
}

beforeAll(async () => {
  t = await testApp()
  db = t.database.db
  forceId = (await db.selectFrom('forces').select('id').where('code', '=', 'demo').executeTakeFirstOrThrow()).id
  supervisor = new Browser(t.app)
  await supervisor.signIn('supervisor')
  psd = new Browser(t.app)
  await psd.signIn('psd')
  // Only one threshold in use, counting every report: 3 or more in 90 days.
  await db.updateTable('early_intervention_thresholds').set({ active: false }).execute()
  await db
    .insertInto('early_intervention_thresholds')
    .values({
      force_id: forceId,
      metric: 'use_of_force',
      window_days: 90,
      min_count: 3,
      created_at: new Date(),
      updated_at: new Date(),
    })
    .execute()
  const bcu = await db
    .selectFrom('org_units')
    .select('id')
    .where('force_id', '=', forceId)
    .where('kind', '=', 'bcu')
    .executeTakeFirstOrThrow()
  const teamId = randomUUID()
  await db
    .insertInto('org_units')
    .values({ id: teamId, force_id: forceId, parent_id: bcu.id, kind: 'team', code: 'TEST-EI', name: 'Test team' })
    .execute()
  const person = async (status: 'regular' | 'police_staff', name: string) => {
    const id = randomUUID()
    await db
      .insertInto('personnel')
      .values({
        id,
        force_id: forceId,
        unit_id: teamId,
        collar_number: status === 'regular' ? `T${name}` : null,
        given_name: 'Test',
        family_name: name,
        rank: status === 'regular' ? 'constable' : null,
        status,
        joined_on: '2020-01-01',
      })
      .execute()
    return id
  }
  team = {
    id: teamId,
    x: await person('regular', 'Xavier'),
    y: await person('regular', 'Yusuf'),
    p1: await person('regular', 'Patel'),
    p2: await person('regular', 'Price'),
    staff: await person('police_staff', 'Staff'),
  }
})

afterAll(async () => {
  await t.close()
})

describe('the team comparison', () => {
  it('gives the median and mean per officer, every officer counted', () => {
    expect(teamComparison([3, 1, 0, 2])).toEqual({ size: 4, median: 1.5, mean: 1.5 })
    expect(teamComparison([0, 0, 5])).toEqual({ size: 3, median: 0, mean: 1.67 })
    expect(teamComparison([4])).toEqual({ size: 1, median: 4, mean: 4 })
    expect(teamComparison([])).toEqual({ size: 0, median: 0, mean: 0 })
  })
})

describe('thresholds at their boundaries', () => {
  // As of 30 June 2026 a 90-day window is 2 April to 30 June (UK dates; BST is UTC+1).
  it('counts an incident on the first day of the window and on the day itself, and flags at exactly the count', async () => {
    await giveReports(team.x, ['2026-04-01T23:30:00Z', '2026-05-15T10:00:00Z', '2026-06-30T22:59:00Z'])
    await giveReports(team.p1, ['2026-05-01T10:00:00Z'])
    await giveReports(team.staff, ['2026-05-02T10:00:00Z', '2026-05-03T10:00:00Z', '2026-05-04T10:00:00Z'])
    // The day before, the last report is still to come: 2, one short.
    await evaluate('2026-06-29')
    expect(await flagsOf(team.x)).toHaveLength(0)
    await evaluate('2026-06-30')
    const [flag] = await flagsOf(team.x)
    expect(flag).toMatchObject({
      as_of: '2026-06-30',
      event_count: 3,
      episode_started_on: '2026-06-30',
      status: 'open',
    })
    // Team: X 3, Patel 1, Yusuf 0, Price 0; police staff not counted (their 3 reports would otherwise count).
    expect(flag).toMatchObject({ team_id: team.id, team_size: 4, team_median: 0.5, team_mean: 1 })
  })

  it('does not count an incident the day before the window, or after the day (in UK time)', async () => {
    // 1 April 23:59 BST is outside; 30 June 23:30 UTC is 1 July in the UK.
    await giveReports(team.y, ['2026-04-01T22:59:00Z', '2026-05-15T10:00:00Z', '2026-06-30T23:30:00Z'])
    await evaluate('2026-06-30')
    expect(await flagsOf(team.y)).toHaveLength(0)
  })

  it('raises nothing twice, whether evaluated again the same day or later in the same episode', async () => {
    // The demo officers whose reports the tests moved may have new episodes: evaluate once to raise those.
    await evaluate('2026-06-30')
    expect((await evaluate('2026-06-30')).raised).toBe(0)
    // 1 July: the 2 April report leaves the window but one on 1 July keeps X over, so the episode goes on.
    await giveReports(team.x, ['2026-07-01T09:00:00Z'])
    await evaluate('2026-07-01')
    expect(await flagsOf(team.x)).toHaveLength(1)
    expect((await evaluate('2026-07-01')).raised).toBe(0)
  })

  it('raises a new flag for a new episode after the officer fell below the threshold', async () => {
    // 14 August: the May report has left the window (2 left), and X is under the threshold until 20 August.
    await evaluate('2026-08-14')
    await giveReports(team.x, ['2026-08-20T09:00:00Z'])
    expect((await evaluate('2026-08-20')).raised).toBeGreaterThanOrEqual(1)
    const flags = await flagsOf(team.x)
    expect(flags.map((f) => [f.episode_started_on, f.event_count])).toEqual([
      ['2026-06-30', 3],
      ['2026-08-20', 3],
    ])
    const audited = await db
      .selectFrom('audit_log')
      .select('entity_id')
      .where('action', '=', 'early_intervention_flag.raised')
      .where(
        'entity_id',
        'in',
        flags.map((f) => f.id),
      )
      .execute()
    expect(audited).toHaveLength(2)
  })

  it('is run by the scheduled jobs as of their clock, not by opening the list', async () => {
    const clock = () => new Date('2026-06-30T11:00:00Z')
    const dated = await testApp({ clock })
    try {
      const db2 = dated.database.db
      // Any report that day counts (the demo's reports that day may not be Taser discharges or on children).
      await db2.updateTable('early_intervention_thresholds').set({ active: false }).execute()
      const demo = await db2.selectFrom('forces').select('id').where('code', '=', 'demo').executeTakeFirstOrThrow()
      await db2
        .insertInto('early_intervention_thresholds')
        .values({
          force_id: demo.id,
          metric: 'use_of_force',
          window_days: 1,
          min_count: 1,
          created_at: new Date(),
          updated_at: new Date(),
        })
        .execute()
      const oneDayFlags = () =>
        db2.selectFrom('early_intervention_flags').select('id').where('window_days', '=', 1).execute()
      const browser = new Browser(dated.app)
      await browser.signIn('psd')
      expect((await browser.get('/early-intervention')).statusCode).toBe(200)
      expect(await oneDayFlags()).toEqual([])
      const run = await runScheduledJobs({ db: db2, clock })
      expect(run.failed).toEqual([])
      expect(run.done['early-intervention flags raised']).toBeGreaterThan(0)
      expect((await runScheduledJobs({ db: db2, clock })).done['early-intervention flags raised']).toBe(0)
      const raised = await db2
        .selectFrom('early_intervention_flags')
        .select('as_of')
        .distinct()
        .where('window_days', '=', 1)
        .execute()
      expect(raised).toEqual([{ as_of: '2026-06-30' }])
    } finally {
      await dated.close()
    }
  })
})

describe('flags in the browser', () => {
  it('shows a supervisor only their team’s flags, and another team’s flag is not found by URL', async () => {
    const mine = await supervisor.get('/early-intervention?status=all')
    expect(mine.statusCode).toBe(200)
    const own = await db
      .selectFrom('early_intervention_flags as f')
      .innerJoin('personnel as p', 'p.id', 'f.person_id')
      .innerJoin('users as u', 'u.unit_id', 'p.unit_id')
      .select('f.id')
      .where('u.username', '=', 'supervisor')
      .execute()
    expect(own.length).toBeGreaterThan(0)
    for (const f of own) expect(mine.body).toContain(`/early-intervention/flags/${f.id}`)
    const [other] = await flagsOf(team.x)
    expect(mine.body).not.toContain(`/early-intervention/flags/${other?.id}`)
    expect((await supervisor.get(`/early-intervention/flags/${other?.id}`)).statusCode).toBe(404)
    const post = await supervisor.post(
      `/early-intervention/flags/${other?.id}/actions`,
      { outcome: 'no_action', notes: 'Not mine', close: 'yes' },
      `/early-intervention/flags/${own[0]?.id}`,
    )
    expect(post.statusCode).toBe(404)
    expect((await flagsOf(team.x))[0]?.status).toBe('open')
  })

  it('shows the team comparison with its numbers and the reports counted', async () => {
    const [flag] = await flagsOf(team.x)
    const page = await psd.get(`/early-intervention/flags/${flag?.id}`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Uses of force: 3 or more in 90 days')
    expect(page.body).toMatch(/Team median per officer\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*0.5/)
    expect(page.body).toMatch(/Team mean per officer\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*1/)
    expect(page.body).toContain('3 times the mean')
    expect(page.body.match(/href="\/reports\//g)).toHaveLength(3)
  })

  it('refuses an action without notes, changing nothing, then records one and closes the flag, audited', async () => {
    const [flag] = await flagsOf(team.x)
    const url = `/early-intervention/flags/${flag?.id}`
    const bad = await psd.post(`${url}/actions`, { outcome: 'discussed', notes: '  ', close: 'yes' }, url)
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('govuk-error-summary')
    expect(bad.body).toContain('href="#notes"')
    expect(
      await db
        .selectFrom('early_intervention_actions')
        .selectAll()
        .where('flag_id', '=', flag?.id ?? '')
        .execute(),
    ).toEqual([])

    const note = await psd.post(`${url}/actions`, { outcome: 'note', notes: 'Booked a meeting', close: 'yes' }, url)
    expect(note.statusCode).toBe(303)
    expect((await flagsOf(team.x))[0]?.status).toBe('open')
    const ok = await psd.post(`${url}/actions`, { outcome: 'training', notes: 'Refresher booked', close: 'yes' }, url)
    expect(ok.statusCode).toBe(303)
    expect((await flagsOf(team.x))[0]?.status).toBe('closed')
    const after = await psd.get(url)
    expect(after.body).toContain('Training arranged')
    expect(after.body).toContain('Booked a meeting')
    expect(after.body).not.toContain('Record what was done')
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', flag?.id ?? '')
      .orderBy('id')
      .execute()
    expect(audit.map((a) => a.action)).toEqual([
      'early_intervention_flag.raised',
      'early_intervention_flag.action_recorded',
      'early_intervention_flag.closed',
    ])
    // A closed flag stays in the list's history.
    expect((await psd.get('/early-intervention?status=closed')).body).toContain(url)
  })

  it('lets PSD change thresholds with clear errors, and keeps them from supervisors', async () => {
    expect((await supervisor.get('/early-intervention/thresholds')).statusCode).toBe(403)
    const before = await db.selectFrom('early_intervention_thresholds').selectAll().execute()
    const bad = await psd.post('/early-intervention/thresholds', {
      metric: 'child',
      minCount: '0',
      windowDays: 'ninety',
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('The number of reports must be from 1 to 1000')
    expect(bad.body).toContain('Enter the number of days as a whole number')
    expect(bad.body).toContain('value="ninety"')
    expect(await db.selectFrom('early_intervention_thresholds').selectAll().execute()).toEqual(before)
    const ok = await psd.post('/early-intervention/thresholds', { metric: 'child', minCount: '2', windowDays: '30' })
    expect(ok.statusCode).toBe(303)
    const dup = await psd.post('/early-intervention/thresholds', { metric: 'child', minCount: '5', windowDays: '30' })
    expect(dup.statusCode).toBe(400)
    expect(dup.body).toContain('There is already a threshold for this measure over this many days')
    const added = await db
      .selectFrom('early_intervention_thresholds')
      .select(['id', 'min_count'])
      .where('metric', '=', 'child')
      .where('window_days', '=', 30)
      .execute()
    expect(added).toEqual([{ id: added[0]?.id, min_count: 2 }])
  })
})
