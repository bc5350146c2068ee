import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabase } from '../../../test/support/database.js'
import type { DatabaseHandle, Db } from '../../db/database.js'
import { dischargeLevels } from '../../db/ced-counts.js'
import { tactics } from '../../domain/use-of-force/tactics.js'
import { rollupByMonth, type RollupRow } from './rollup.js'

/**
 * The rollup must equal a direct count from `reports` after any change. Each step below changes the demo data at
 * random (seeded), then compares every month, dimension and category for the whole force and for one unit.
 */

let database: DatabaseHandle
let db: Db
let forceId: string
let unitId: string
const period = { from: '2000-01', to: '2099-12' }

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number) {
  let state = seed
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648
  }
}
const rng = random(20261122)

const cedTactic = tactics.toMask(['ced'])

/**
 * The direct count, written independently of the rollup's SQL (month in London time, CED used = the CED tactic
 * recorded, at a level or none stated, the HO discharge levels).
 */
async function directCounts(unitIds: string[] | null): Promise<Map<string, string>> {
  const dims = {
    all: sql`''`,
    ced_level: sql`case when r.tactic_mask & ${cedTactic} <> 0 then coalesce(r.ced_highest_level, 'not_stated') end`,
    ethnicity: sql`s.perceived_ethnicity`,
    age_band: sql`s.age_band`,
    health: sql`s.health_condition`,
    gender: sql`s.gender`,
    area: sql`i.area`,
  }
  const out = new Map<string, string>()
  for (const [dimension, expression] of Object.entries(dims)) {
    const { rows } = await sql<{ month: string; category: string | null; counts: string }>`
      select to_char(r.occurred_at at time zone 'Europe/London', 'YYYY-MM') as month, ${expression} as category,
        concat_ws(',', count(*), count(*) filter (where r.tactic_mask & ${cedTactic} <> 0),
          count(*) filter (where r.ced_highest_level = any(${dischargeLevels})),
          count(*) filter (where r.assaulted_by_subject), count(*) filter (where r.assaulted_with_weapon),
          count(*) filter (where r.officer_injured = 'yes'),
          count(*) filter (where r.officer_injured = 'yes' and r.officer_injury_level = 'severe'),
          count(*) filter (where r.subject_injured = 'yes')) as counts
      from reports r join subjects s on s.id = r.subject_id join incidents i on i.id = r.incident_id
      where r.force_id = ${forceId} ${unitIds ? sql`and r.officer_unit_id = any(${unitIds}::uuid[])` : sql``}
      group by 1, 2`.execute(db)
    for (const row of rows) if (row.category !== null) out.set(`${row.month}|${dimension}|${row.category}`, row.counts)
  }
  return out
}

const asMap = (rows: RollupRow[]) =>
  new Map(
    rows.map((r) => [
      `${r.month}|${r.dimension}|${r.category}`,
      [
        r.reports,
        r.cedUsed,
        r.cedDischarged,
        r.officerAssaulted,
        r.assaultedWithWeapon,
        r.officerInjured,
        r.officerInjuredSevere,
        r.subjectInjured,
      ].join(','),
    ]),
  )

async function expectExact() {
  expect(asMap(await rollupByMonth(db, { forceId, unitIds: null }, period))).toEqual(await directCounts(null))
  const team = await unitSubtree()
  expect(asMap(await rollupByMonth(db, { forceId, unitIds: team }, period))).toEqual(await directCounts(team))
}

async function unitSubtree(): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    with recursive down as (select id from org_units where id = ${unitId}
      union all select o.id from org_units o join down on o.parent_id = down.id)
    select id from down`.execute(db)
  return rows.map((r) => r.id)
}

/** `n` report ids picked at random. */
async function someReports(n: number): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    select id from reports where force_id = ${forceId} order by md5(id::text || ${String(rng())}) limit ${n}`.execute(
    db,
  )
  return rows.map((r) => r.id)
}

beforeAll(async () => {
  database = await testDatabase()
  db = database.db
  forceId = (await db.selectFrom('forces').select('id').where('code', '=', 'demo').executeTakeFirstOrThrow()).id
  // A basic command unit with reports (its teams are below it).
  unitId = (
    await sql<{ parent_id: string }>`
      select o.parent_id from reports r join org_units o on o.id = r.officer_unit_id
      where o.parent_id is not null group by o.parent_id order by count(*) desc limit 1`.execute(db)
  ).rows[0]!.parent_id
})

afterAll(async () => {
  await database.close()
})

describe('the dashboard rollup', () => {
  it('equals a direct count of the demo reports on first read (every bucket built from its marks)', async () => {
    await expectExact()
  })

  it('stays exact when reports arrive in a batch, some in months it has never seen', async () => {
    await expectExact()
    const ids = await someReports(200)
    await sql`create temp table arriving as select * from reports where id = any(${ids}::uuid[])`.execute(db)
    await sql`update arriving set id = gen_random_uuid(),
      occurred_at = occurred_at + (floor(random() * 900) - 450) * interval '1 day',
      ced_highest_level = (array[null, 'drawn', 'fired', 'drive_stun', 'red_dot'])[1 + floor(random() * 5)::int]`.execute(
      db,
    )
    await sql`insert into reports select * from arriving`.execute(db)
    await sql`drop table arriving`.execute(db)
    await expectExact()
  })

  it('stays exact when reports are amended, moved to another month or another unit, and when people change', async () => {
    for (let round = 0; round < 4; round++) {
      const [moved, amended, injured] = [await someReports(30), await someReports(40), await someReports(25)]
      // Across a month boundary (back or forward, up to a year), one statement for many reports.
      await sql`update reports set occurred_at = occurred_at + (${Math.round(rng() * 700) - 350}) * interval '1 day'
        where id = any(${moved}::uuid[])`.execute(db)
      await sql`update reports set ced_highest_level = case when ced_highest_level is null then 'fired' else null end,
        assaulted_by_subject = not assaulted_by_subject where id = any(${amended}::uuid[])`.execute(db)
      await sql`update reports set officer_injured = 'yes', officer_injury_level = 'severe', subject_injured = 'no'
        where id = any(${injured}::uuid[])`.execute(db)
      // Perceived ethnicity, age and health live on the person; the area on the incident.
      await sql`update subjects set perceived_ethnicity = (array['white', 'black', 'asian', 'mixed', 'other'])
          [1 + floor(random() * 5)::int], age_band = 'age_11_17', health_condition = 'mental'
        where id in (select subject_id from reports where id = any(${amended}::uuid[]))`.execute(db)
      await sql`update incidents set area = 'Moved area ' || ${round}
        where id in (select incident_id from reports where id = any(${moved}::uuid[]))`.execute(db)
      // Into and out of the unit.
      const elsewhere = (await sql<{ id: string }>`select id from org_units where id <> ${unitId} limit 1`.execute(db))
        .rows[0]!.id
      await sql`update reports set officer_unit_id = case when officer_unit_id = ${elsewhere} then ${unitId}::uuid
        else ${elsewhere}::uuid end where id = any(${injured}::uuid[])`.execute(db)
      await expectExact()
    }
  })

  it('stays exact when reports are deleted, and consumes every mark it reads', async () => {
    // The copies that arrived above: nothing else refers to them.
    await sql`delete from reports where id in (
      select id from reports r where not exists (select from report_versions v where v.report_id = r.id) limit 60)`.execute(
      db,
    )
    await expectExact()
    const marks = await db.selectFrom('rollup_marks').select('id').where('force_id', '=', forceId).execute()
    expect(marks).toEqual([])
  })

  it('marks each bucket a statement touches once, whatever the number of rows (one insert per statement)', async () => {
    const ids = await someReports(50)
    const { rows } = await sql<{ months: number }>`
      select count(distinct to_char(occurred_at at time zone 'Europe/London', 'YYYY-MM'))::int as months
      from reports where id = any(${ids}::uuid[])`.execute(db)
    await sql`update reports set subject_injured = subject_injured where id = any(${ids}::uuid[])`.execute(db)
    const marks = await db.selectFrom('rollup_marks').select('id').where('force_id', '=', forceId).execute()
    expect(marks).toHaveLength(rows[0]!.months)
  })
})

/**
 * The race the marks are designed for, on PostgreSQL (PGlite has one connection, so nothing runs concurrently): a
 * report is written in a transaction still open while a read rebuilds its bucket. The rebuild cannot see it, so it
 * must leave that writer's mark for the next read.
 */
describe.runIf(process.env.DATABASE_URL)('the dashboard rollup under concurrent writes', () => {
  it('keeps the mark of a writer that commits after a rebuild started, so the next read counts its report', async () => {
    const month = (
      await sql<{ month: string }>`select london_month(occurred_at) as month from reports
        where force_id = ${forceId} group by 1 order by count(*) desc limit 1`.execute(db)
    ).rows[0]!.month
    await rollupByMonth(db, { forceId, unitIds: null }, period)
    // A committed change in the month, so the read below has a bucket to rebuild.
    await sql`update reports set subject_injured = subject_injured
      where id = (select id from reports where force_id = ${forceId} and london_month(occurred_at) = ${month} limit 1)`.execute(
      db,
    )
    let release = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    let written = () => {}
    const insertDone = new Promise<void>((resolve) => (written = resolve))
    const writer = db.transaction().execute(async (trx) => {
      await sql`create temp table racing on commit drop as select * from reports
        where force_id = ${forceId} and london_month(occurred_at) = ${month} limit 1`.execute(trx)
      await sql`update racing set id = gen_random_uuid()`.execute(trx)
      await sql`insert into reports select * from racing`.execute(trx)
      written()
      await gate
    })
    await insertDone
    await rollupByMonth(db, { forceId, unitIds: null }, { from: month, to: month })
    release()
    await writer
    await expectExact()
  })
})
