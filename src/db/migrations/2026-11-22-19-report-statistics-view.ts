import type { Kysely } from 'kysely'
import { statistics } from './2026-11-22-14-statistics.js'
import { statements } from './statements.js'

/**
 * `report_statistics` becomes a view. It was a narrow copy of every report, kept by a statement-level trigger on
 * every insert and update of reports, so a national year could be counted without joins. Since the statistics are
 * summed from the monthly rollup (migration 2026-11-22-18), which reads one force's month at a time, nothing scans
 * a national year any more, and the copy only made every submission write a second row with four indexes. The view
 * has the same columns, so the counting rules read it unchanged, and it cannot disagree with the reports.
 */
const view = [
  `create view report_statistics as
    select r.id as report_id, r.force_id, r.officer_unit_id as unit_id, r.incident_id, r.subject_id, r.occurred_at,
      r.tactic_mask, r.ced_highest_level as ced_level, s.age_band, s.gender, s.perceived_ethnicity as ethnicity,
      s.health_condition as health, r.reason_mask, r.impact_mask, r.outcome_mask, i.location_mask,
      r.officer_injured, r.intentional_assault, r.officer_injury_level, r.subject_injured, r.subject_injury_level
    from reports r join subjects s on s.id = r.subject_id join incidents i on i.id = r.incident_id`,
]

const dropView = statements(['drop view report_statistics'], [])
const createView = statements(view, [])

export const reportStatisticsView = {
  // Migration 14's own `down` removes the table and its triggers.
  up: async (db: Kysely<unknown>) => {
    await statistics.down(db)
    await createView.up(db)
  },
  down: async (db: Kysely<unknown>) => {
    await dropView.up(db)
    await statistics.up(db)
  },
}
