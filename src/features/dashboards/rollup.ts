import type { Db } from '../../db/database.js'
import type { Period } from '../../domain/statistics/period.js'
import { refreshRollups } from '../rollups/rollups.js'

/**
 * The dashboards' monthly rollup (src/features/rollups/ explains how it stays exact; rollup-bucket.ts builds it).
 * Every figure on a dashboard is a sum over rows of `dashboard_rollup`; each read first rebuilds the buckets of its
 * period that triggers have marked since, so a dashboard always agrees with `reports`. A force-wide read sums a
 * dozen months of the whole-force rows only (a few hundred rows, whatever the number of units); a unit's read sums
 * its subtree's rows.
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
  await refreshRollups(db, scope.forceId, period)
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
