import fc from 'fast-check'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabase } from '../../../test/support/database.js'
import { FIXTURE_NOW } from '../../../test/support/report-fixtures.js'
import { validSubmissionArb } from '../../../test/support/report-arbitraries.js'
import {
  addIncident,
  addReport,
  addSubject,
  statisticsForce,
  type StatisticsForce,
} from '../../../test/support/statistics-force.js'
import type { DatabaseHandle, Db } from '../../db/database.js'
import { breakdownLayouts, breakdownRows, table1Rows } from '../../domain/statistics/ho-tables.js'
import { countReports, type EngineCounts } from './engine.js'
import { buildTables } from './tables.js'

/**
 * The table set of a force or of the nation is summed from the monthly rollup. It must equal counting the reports
 * themselves after any change: reports arriving (in months never seen, and on incidents already recorded), amended,
 * moved to another unit or (with their incident) another month, people and places changed, the unit tree
 * reorganised, reports deleted, and the counting code itself changed.
 */

let database: DatabaseHandle
let db: Db
const forces: string[] = []
let extra: StatisticsForce[] = []
const period = { from: '2000-01', to: '2099-12' }
const submissions = fc.sample(validSubmissionArb(FIXTURE_NOW), { numRuns: 60, seed: 20261122 })

const tablesFromRollup = async (forceId: string) =>
  buildTables(await countReports(db, { scope: { kind: 'force', forceId }, period }, 'rollup'))
const tablesFromRecords = async (forceId: string) =>
  buildTables(await countReports(db, { scope: { kind: 'force', forceId }, period }, 'records'))

/** Every count the national tables read, per force. */
function nationalCells(counts: EngineCounts, area: string | null): number[] {
  const rowKeys = [...new Set([...table1Rows, ...breakdownRows].map((row) => row.key))]
  return rowKeys.flatMap((rowKey) => [
    counts.reports(area, rowKey),
    ...breakdownLayouts.flatMap((layout) =>
      layout.columns.map((column) => counts.reports(area, rowKey, { dimension: layout.dimension, key: column.key })),
    ),
  ])
}

async function expectExact() {
  const national = await countReports(db, { scope: { kind: 'national' }, period })
  const officerInjuries = new Map<string, number>()
  for (const forceId of forces) {
    expect(await tablesFromRollup(forceId)).toEqual(await tablesFromRecords(forceId))
    const own = await countReports(db, { scope: { kind: 'force', forceId }, period }, 'records')
    expect(nationalCells(national, forceId)).toEqual(nationalCells(own, null))
    expect(national.areaTotals.get(forceId) ?? { reports: 0, incidents: 0, people: 0 }).toEqual(
      own.areaTotals.get('*') ?? { reports: 0, incidents: 0, people: 0 },
    )
    for (const [key, n] of own.officerInjuries) officerInjuries.set(key, (officerInjuries.get(key) ?? 0) + n)
  }
  expect(national.officerInjuries).toEqual(officerInjuries)
}

/** Some of a force's reports, picked at random (seeded by `salt`). */
async function someReports(n: number, salt: string): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    select id from reports order by md5(id::text || ${salt}) limit ${n}`.execute(db)
  return rows.map((r) => r.id)
}

/** New reports in a force: each on a new incident in a month of its own, or another officer's on the last one. */
async function addReports(force: StatisticsForce, count: number, offset: number) {
  const unitIds = [force.units.north, force.units.northTeam, force.units.south, force.units.department, null]
  let last: Awaited<ReturnType<typeof addIncident>> | null = null
  let subjectId = ''
  for (let i = 0; i < count; i++) {
    const submission = submissions[(offset + i) % submissions.length]!
    if (!last || i % 3 !== 2) {
      last = await addIncident(db, force, new Date(Date.UTC(2024, (offset + i * 5) % 30, 10 + (i % 15))).toISOString())
      subjectId = await addSubject(db, force, last, { perceivedEthnicity: i % 2 ? 'black' : 'white' })
    }
    await addReport(db, force, { incident: last, subjectId, unitId: unitIds[i % unitIds.length] ?? null }, submission)
  }
}

beforeAll(async () => {
  database = await testDatabase()
  db = database.db
  extra = [await statisticsForce(db, 'ROLLA'), await statisticsForce(db, 'ROLLB')]
  await addReports(extra[0]!, 25, 0)
  await addReports(extra[1]!, 15, 7)
  forces.push(...(await db.selectFrom('forces').select('id').execute()).map((f) => f.id))
}, 120_000)

afterAll(async () => {
  await database.close()
})

describe('the statistics rollup', () => {
  it('equals a count of the reports on first read, for every force and nationally', async () => {
    await expectExact()
  })

  it('stays exact when reports arrive, in new months and on incidents already recorded', async () => {
    await addReports(extra[0]!, 12, 40)
    await addReports(extra[1]!, 9, 3)
    await expectExact()
  })

  it('stays exact when reports are amended, moved to another unit or month, and people and places change', async () => {
    for (let round = 0; round < 3; round++) {
      const [amended, moved, people] = [
        await someReports(40, `a${round}`),
        await someReports(30, `m${round}`),
        await someReports(25, `p${round}`),
      ]
      await sql`update reports set tactic_mask = tactic_mask # ${1 << round},
          ced_highest_level = case when ced_highest_level is null then 'fired' else null end,
          outcome_mask = outcome_mask # 3, officer_injured = 'yes', officer_injury_level = 'severe'
        where id = any(${amended}::uuid[])`.execute(db)
      await sql`update reports r set officer_unit_id = (
          select o.id from org_units o where o.force_id = r.force_id and o.id is distinct from r.officer_unit_id
          order by md5(o.id::text || ${String(round)}) limit 1)
        where id = any(${moved}::uuid[])`.execute(db)
      // A report's month is its incident's: the whole incident moves, its reports with it.
      const shift = sql`(${(round + 1) * 47} * interval '1 day')`
      await sql`update incidents set occurred_at = occurred_at + ${shift}
        where id in (select incident_id from reports where id = any(${moved}::uuid[]))`.execute(db)
      await sql`update reports set occurred_at = occurred_at + ${shift}
        where incident_id in (select incident_id from reports where id = any(${moved}::uuid[]))`.execute(db)
      await sql`update subjects set perceived_ethnicity = 'asian', age_band = 'age_11_17', health_condition = 'mental'
        where id in (select subject_id from reports where id = any(${people}::uuid[]))`.execute(db)
      await sql`update incidents set location_mask = location_mask # 1
        where id in (select incident_id from reports where id = any(${people}::uuid[]))`.execute(db)
      await expectExact()
    }
  })

  it('stays exact when the unit tree is reorganised (a team moves to another BCU)', async () => {
    const force = extra[0]!
    await db
      .updateTable('org_units')
      .set({ parent_id: force.units.south })
      .where('id', '=', force.units.northTeam)
      .execute()
    await expectExact()
    await db.updateTable('org_units').set({ kind: 'bcu' }).where('id', '=', force.units.department).execute()
    await expectExact()
  })

  it('stays exact when reports are deleted, and consumes every mark it reads', async () => {
    await sql`delete from reports where id in (
      select id from reports r where not exists (select from report_versions v where v.report_id = r.id)
      order by md5(id::text) limit 30)`.execute(db)
    await expectExact()
    expect(await db.selectFrom('rollup_marks').select('id').execute()).toEqual([])
  })

  it('rebuilds every bucket when the counting code changes (a stored layout signature that differs)', async () => {
    await sql`update statistics_rollup_cells set reports = reports + 1000`.execute(db)
    await sql`update rollup_layout set signature = 'counted by older code'`.execute(db)
    await expectExact()
  })

  it('keeps an incident’s reports in its month (the people counts add up across months only so)', async () => {
    const { rows } = await sql<{ n: string }>`
      select count(*) as n from reports r join incidents i on i.id = r.incident_id
      where r.occurred_at <> i.occurred_at`.execute(db)
    expect(Number(rows[0]!.n)).toBe(0)
  })
})
