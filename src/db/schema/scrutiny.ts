import type { ColumnType, Generated } from 'kysely'

/** Table types for external scrutiny panels (migration 2026-11-22-10-scrutiny). */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type Json<T> = ColumnType<T, string, string>

export interface ScrutinyPanelsTable {
  id: Generated<string>
  force_id: string
  name: string
  created_at: ColumnType<Date, Date | string | undefined, never>
}

export interface ScrutinyPanelMembersTable {
  panel_id: string
  user_id: string
  added_at: Timestamp
}

export interface SampleStratumRow {
  stratum: string
  requested: number
  candidates: number
  drawn: number
}

export interface ScrutinySamplesTable {
  id: Generated<string>
  force_id: string
  panel_id: string
  period_from: string
  period_to: string
  meeting_on: string | null
  seed: string
  algorithm: string
  strata: Json<SampleStratumRow[]>
  /** [report id, stratum] pairs, sorted by id. */
  candidates: Json<[string, string][]>
  fingerprint: string
  drawn_by_user_id: string | null
  drawn_at: Timestamp
}

export interface ScrutinyCasesTable {
  id: Generated<string>
  sample_id: string
  case_number: number
  report_id: string
  stratum: string
  position: number
}

export interface ScrutinyReleasesTable {
  case_id: string
  field: string
  redacted_text: string | null
  released_by_user_id: string | null
  released_at: Timestamp
}

export interface ScrutinyFindingsTable {
  case_id: string
  finding: string
  themes: string[]
  comments: string
  feedback: string
  recorded_by_user_id: string | null
  recorded_at: Timestamp
}

export interface ScrutinyTables {
  scrutiny_panels: ScrutinyPanelsTable
  scrutiny_panel_members: ScrutinyPanelMembersTable
  scrutiny_samples: ScrutinySamplesTable
  scrutiny_cases: ScrutinyCasesTable
  scrutiny_releases: ScrutinyReleasesTable
  scrutiny_findings: ScrutinyFindingsTable
}
