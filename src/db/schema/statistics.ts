/**
 * A view (migration 2026-11-22-19-report-statistics-view): each report with its person's perceived characteristics
 * and its incident's locations, the columns the counting rules read.
 */
export interface ReportStatisticsTable {
  report_id: string
  force_id: string
  unit_id: string | null
  incident_id: string
  subject_id: string
  occurred_at: Date
  tactic_mask: number
  ced_level: string | null
  age_band: string
  gender: string
  ethnicity: string
  health: string
  reason_mask: number
  impact_mask: number
  outcome_mask: number
  location_mask: number
  officer_injured: string
  intentional_assault: string
  officer_injury_level: string | null
  subject_injured: string
  subject_injury_level: string | null
}

/** The statistics' monthly rollup (migration 2026-11-22-18-statistics-rollup). Derived data, rebuilt per bucket. */
export interface StatisticsRollupCellsTable {
  force_id: string
  month: string
  unit_id: string | null
  row_key: string
  reports: number
  cells: number[]
}

export interface StatisticsRollupPeopleTable {
  force_id: string
  month: string
  area: string
  reports: number
  incidents: number
  people: number
}

export interface StatisticsRollupInjuriesTable {
  force_id: string
  month: string
  officer: string
  subject: string
  reports: number
}

export interface StatisticsTables {
  report_statistics: ReportStatisticsTable
  statistics_rollup_cells: StatisticsRollupCellsTable
  statistics_rollup_people: StatisticsRollupPeopleTable
  statistics_rollup_injuries: StatisticsRollupInjuriesTable
}
