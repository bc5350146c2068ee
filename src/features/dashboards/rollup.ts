import { sql } from 'kysely'
import { cedDischarged, cedUsed } from '../../db/ced-counts.js'
import type { Db } from '../../db/database.js'
import { reportFlagSql } from '../../db/report-flags.js'
import type { Period } from '../../domain/statistics/period.js'

/**
 * The dashboards' monthly rollup (migration 2026-11-22-11-dashboard-rollup, which explains why it stays exact).
 * Every figure on a dashboard is a sum over rows of `dashboard_rollup`; each read first rebuilds the buckets of its
 * period that triggers have marked since, so a dashboard always agrees with `reports`.
 *
 * A bucket holds two levels, built by one GROUPING SETS scan: a row per unit (`unit_id` the reporting officer's
 * unit, or null when none was recorded) and a row for the whole force, whose `unit_id` is the force's own id (never
 * an org unit's). A force-wide read sums a dozen months of the whole-force rows only (a few hundred rows, whatever
 * the number of units); a unit's read sums its subtree's rows.
 */

/** The breakdowns kept per month and unit. 'all' has one category, ''. */
export const dimensions = ['all', 'ced_level', 'ethnicity', 'age_band', 'health', 'gender', 'area'] as const
export type Dimension = (typeof dimensions)[number]

/** The counts kept for every category: all in reports (one officer's force on one person). */
export interface Counts {
  reports: number
  cedUsed: number
  cedDischarged: number
  officerAssaulted: number
  assaultedWithWeapon: number
  officerInjured: number
  officerInjuredSevere: number
  subjectInjured: number
}

export const zeroCounts: Counts = {
  reports: 0,
  cedUsed: 0,
  cedDischarged: 0,
  officerAssaulted: 0,
  assaultedWithWeapon: 0,
  officerInjured: 0,
  officerInjuredSevere: 0,
  subjectInjured: 0,
}

export interface RollupRow extends Counts {
  month: string
  dimension: Dimension
  category: string
}

/** The first instant of a London month, as a timestamptz expression. */
const monthStart = (month: string) => sql`((${`${month}-01`}::date)::timestamp at time zone 'Europe/London')`
const nextMonthStart = (month: string) =>
  sql`(((${`${month}-01`}::date) + interval '1 month')::timestamp at time zone 'Europe/London')`

/** Distinguishes our advisory locks from anyone else's (any constant; "dash" in ASCII). */
const LOCK_CLASS = 0x64617368

/**
 * Rebuilds every marked bucket of a force within a period (every marked bucket of the force when no period is
 * given), oldest first, each in its own short transaction. Returns how many buckets it rebuilt. Call it after a
 * bulk load to pay for the rebuild up front rather than on the first read.
 */
export async function refreshDashboardRollup(db: Db, forceId: string, period?: Period): Promise<number> {
  let query = db
    .selectFrom('dashboard_rollup_marks')
    .select('month')
    .distinct()
    .where('force_id', '=', forceId)
    .orderBy('month')
  if (period) query = query.where('month', '>=', period.from).where('month', '<=', period.to)
  const months = (await query.execute()).map((r) => r.month)
  let rebuilt = 0
  for (const month of months) if (await rebuildBucket(db, forceId, month)) rebuilt += 1
  return rebuilt
}

async function rebuildBucket(db: Db, forceId: string, month: string): Promise<boolean> {
  return db
    .transaction()
    .setIsolationLevel('read committed')
    .execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${LOCK_CLASS}, hashtext(${`${forceId}/${month}`}))`.execute(trx)
      // (1) The marks to consume, read once we hold the lock (another rebuild may have consumed them meanwhile).
      const marks = await trx
        .selectFrom('dashboard_rollup_marks')
        .select('id')
        .where('force_id', '=', forceId)
        .where('month', '=', month)
        .execute()
      if (marks.length === 0) return false
      // (2) The bucket rebuilt whole, by later statements, so from snapshots that include every report of (1).
      await trx.deleteFrom('dashboard_rollup').where('force_id', '=', forceId).where('month', '=', month).execute()
      await sql`
        insert into dashboard_rollup (force_id, month, unit_id, dimension, category, reports, ced_used,
          ced_discharged, officer_assaulted, assaulted_with_weapon, officer_injured, officer_injured_severe,
          subject_injured)
        select ${forceId}, ${month}, case when grouping(b.unit_id) = 1 then ${forceId}::uuid else b.unit_id end,
          d.dimension, d.category, count(*),
          count(*) filter (where b.ced_used), count(*) filter (where b.ced_discharged),
          count(*) filter (where b.officer_assaulted), count(*) filter (where b.assaulted_with_weapon),
          count(*) filter (where b.officer_injured), count(*) filter (where b.officer_injured_severe),
          count(*) filter (where b.subject_injured)
        from (
          select r.officer_unit_id as unit_id, r.ced_highest_level, s.perceived_ethnicity, s.age_band,
            s.health_condition, s.gender, i.area,
            ${cedUsed('r.ced_highest_level')} as ced_used,
            ${cedDischarged('r.ced_highest_level')} as ced_discharged,
            ${reportFlagSql.officerAssaulted('r')} as officer_assaulted,
            r.assaulted_with_weapon,
            ${reportFlagSql.officerInjured('r')} as officer_injured,
            (${reportFlagSql.officerInjured('r')} and r.officer_injury_level = 'severe') as officer_injured_severe,
            ${reportFlagSql.subjectInjured('r')} as subject_injured
          from reports r
          join subjects s on s.id = r.subject_id
          join incidents i on i.id = r.incident_id
          where r.force_id = ${forceId} and r.occurred_at >= ${monthStart(month)}
            and r.occurred_at < ${nextMonthStart(month)}
        ) b
        cross join lateral (values ('all', ''), ('ced_level', b.ced_highest_level),
          ('ethnicity', b.perceived_ethnicity), ('age_band', b.age_band), ('health', b.health_condition),
          ('gender', b.gender), ('area', b.area)) as d (dimension, category)
        where d.category is not null
        group by grouping sets ((b.unit_id, d.dimension, d.category), (d.dimension, d.category))`.execute(trx)
      // (3) Only the marks read in (1): a mark committed since then stays, and its bucket is rebuilt next time.
      await trx
        .deleteFrom('dashboard_rollup_marks')
        .where(
          'id',
          'in',
          marks.map((m) => m.id),
        )
        .execute()
      return true
    })
}

/** Whose figures: a whole force, or the reports of officers in a set of units (a unit and everything under it). */
export interface RollupScope {
  forceId: string
  /** Null for the whole force (including reports with no unit recorded). */
  unitIds: readonly string[] | null
}

/**
 * Every dimension's counts by month for a scope and period, after rebuilding the marked buckets of that period.
 * Months with no reports have no rows.
 */
export async function rollupByMonth(db: Db, scope: RollupScope, period: Period): Promise<RollupRow[]> {
  await refreshDashboardRollup(db, scope.forceId, period)
  if (scope.unitIds !== null && scope.unitIds.length === 0) return []
  let query = db
    .selectFrom('dashboard_rollup')
    .select((eb) => [
      'month',
      'dimension',
      'category',
      eb.fn.sum<number>('reports').as('reports'),
      eb.fn.sum<number>('ced_used').as('ced_used'),
      eb.fn.sum<number>('ced_discharged').as('ced_discharged'),
      eb.fn.sum<number>('officer_assaulted').as('officer_assaulted'),
      eb.fn.sum<number>('assaulted_with_weapon').as('assaulted_with_weapon'),
      eb.fn.sum<number>('officer_injured').as('officer_injured'),
      eb.fn.sum<number>('officer_injured_severe').as('officer_injured_severe'),
      eb.fn.sum<number>('subject_injured').as('subject_injured'),
    ])
    .where('force_id', '=', scope.forceId)
    .where('month', '>=', period.from)
    .where('month', '<=', period.to)
    .groupBy(['month', 'dimension', 'category'])
  query =
    scope.unitIds === null
      ? query.where('unit_id', '=', scope.forceId)
      : query.where('unit_id', 'in', [...scope.unitIds])
  const rows = await query.execute()
  return rows.map((r) => ({
    month: r.month,
    dimension: r.dimension as Dimension,
    category: r.category,
    reports: Number(r.reports),
    cedUsed: Number(r.ced_used),
    cedDischarged: Number(r.ced_discharged),
    officerAssaulted: Number(r.officer_assaulted),
    assaultedWithWeapon: Number(r.assaulted_with_weapon),
    officerInjured: Number(r.officer_injured),
    officerInjuredSevere: Number(r.officer_injured_severe),
    subjectInjured: Number(r.subject_injured),
  }))
}

export function addCounts(a: Counts, b: Counts): Counts {
  return {
    reports: a.reports + b.reports,
    cedUsed: a.cedUsed + b.cedUsed,
    cedDischarged: a.cedDischarged + b.cedDischarged,
    officerAssaulted: a.officerAssaulted + b.officerAssaulted,
    assaultedWithWeapon: a.assaultedWithWeapon + b.assaultedWithWeapon,
    officerInjured: a.officerInjured + b.officerInjured,
    officerInjuredSevere: a.officerInjuredSevere + b.officerInjuredSevere,
    subjectInjured: a.subjectInjured + b.subjectInjured,
  }
}
