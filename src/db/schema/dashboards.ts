import type { ColumnType, Generated } from 'kysely'

/** Table types for the dashboards (migration 2026-11-22-11-dashboard-rollup). */

type Timestamp = ColumnType<Date, Date | string, Date | string>

/** Counts per force, London month ('YYYY-MM'), reporting officer's unit, dimension and category. Derived data. */
export interface DashboardRollupTable {
  force_id: string
  month: string
  unit_id: string | null
  dimension: string
  category: string
  reports: number
  ced_used: number
  ced_discharged: number
  officer_assaulted: number
  assaulted_with_weapon: number
  officer_injured: number
  officer_injured_severe: number
  subject_injured: number
}

/**
 * A (force, month) bucket whose rollups (the dashboards' and the statistics') are to be rebuilt, appended by triggers
 * on reports, incidents, subjects and org units (migration 2026-11-22-18-statistics-rollup renamed it).
 */
export interface RollupMarksTable {
  id: Generated<string>
  force_id: string
  month: string
}

export interface DashboardSettingsTable {
  force_id: string
  comparator_area: string
  similar_areas: ColumnType<string[], string[] | undefined, string[]>
  updated_at: Timestamp
  updated_by_user_id: string | null
}

export interface DashboardTables {
  dashboard_rollup: DashboardRollupTable
  rollup_marks: RollupMarksTable
  /** The signature of the statements that built the rollups (src/features/rollups/). */
  rollup_layout: { signature: string }
  dashboard_settings: DashboardSettingsTable
}
