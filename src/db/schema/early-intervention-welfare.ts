import type { ColumnType, Generated } from 'kysely'

/** Table types for early intervention and officer welfare (migration 2026-11-22-09-early-intervention-welfare). */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
/** Calendar dates travel as 'YYYY-MM-DD' strings on both backends (see database.ts). */
type CalendarDate = string

export interface EarlyInterventionThresholdsTable {
  id: Generated<string>
  force_id: string
  metric: string
  window_days: number
  min_count: number
  active: ColumnType<boolean, boolean | undefined, boolean>
  created_at: Timestamp
  updated_at: Timestamp
  updated_by_user_id: string | null
}

export interface EarlyInterventionFlagsTable {
  id: Generated<string>
  force_id: string
  person_id: string
  threshold_id: string
  metric: string
  window_days: number
  min_count: number
  episode_started_on: CalendarDate
  as_of: CalendarDate
  event_count: number
  team_id: string | null
  team_size: number
  team_median: number
  team_mean: number
  status: 'open' | 'closed'
  raised_at: Timestamp
  closed_at: Timestamp | null
}

export interface EarlyInterventionActionsTable {
  id: Generated<string>
  flag_id: string
  outcome: string
  notes: string
  closes: boolean
  recorded_by_user_id: string
  recorded_at: Timestamp
}

export interface WelfareFollowUpsTable {
  id: Generated<string>
  force_id: string
  incident_id: string
  report_id: string
  person_id: string
  occurred_at: Timestamp
  assaulted: boolean
  injured: boolean
  status: 'open' | 'completed'
  created_at: Timestamp
  completed_at: Timestamp | null
}

export interface WelfareStepEntriesTable {
  id: Generated<string>
  follow_up_id: string
  step: string
  outcome: 'done' | 'not_needed'
  carried_out_by: string
  carried_out_on: CalendarDate
  notes: string
  recorded_by_user_id: string | null
  recorded_at: Timestamp
}

export interface EarlyInterventionWelfareTables {
  early_intervention_thresholds: EarlyInterventionThresholdsTable
  early_intervention_flags: EarlyInterventionFlagsTable
  early_intervention_actions: EarlyInterventionActionsTable
  welfare_follow_ups: WelfareFollowUpsTable
  welfare_step_entries: WelfareStepEntriesTable
}
