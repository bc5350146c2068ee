import type { ColumnType, Generated } from 'kysely'

/** Table types for deployment authorisations, incident counts and threat assessments (migration 2026-11-22-04). */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type CreatedAt = ColumnType<Date, Date | string | undefined, never>
/** 'YYYY-MM-DD' on both backends (see database.ts). */
type CalendarDate = string

export type AuthorisationGrade = 'immediate' | 'prompt' | 'planned'

export interface AuthorisingAccreditationsTable {
  id: Generated<string>
  force_id: string
  person_id: string
  valid_from: CalendarDate
  expires_on: CalendarDate
  granted_by_user_id: string | null
  created_at: CreatedAt
}

export interface DeploymentAuthorisationsTable {
  id: Generated<string>
  force_id: string
  authorised_at: Timestamp
  authoriser_person_id: string
  recorded_by_user_id: string
  accreditation_id: string
  incident_reference: string
  incident_id: string | null
  grade: AuthorisationGrade
  rationale: string
  created_at: CreatedAt
}

export interface DeploymentAuthorisationOfficersTable {
  authorisation_id: string
  person_id: string
}

export interface IncidentCountsTable {
  force_id: string
  /** The first day of the month counted. */
  month: CalendarDate
  immediate: number
  prompt: number
  imported_by_user_id: string | null
  imported_at: Timestamp
}

export interface ThreatAssessmentsTable {
  id: Generated<string>
  force_id: string
  version: number
  status: 'draft' | 'approved'
  period_from: CalendarDate
  period_to: CalendarDate
  evidence: ColumnType<unknown, string | null | undefined, string | null>
  evidence_generated_at: Timestamp | null
  decision: ColumnType<string, string | undefined, string>
  targets: ColumnType<unknown, string | undefined, string>
  created_by_user_id: string | null
  created_at: Timestamp
  updated_at: Timestamp
  approved_by_user_id: string | null
  approved_at: Timestamp | null
  pcc_informed_on: CalendarDate | null
  community_informed_on: CalendarDate | null
}

export interface AuthorisationTables {
  authorising_accreditations: AuthorisingAccreditationsTable
  deployment_authorisations: DeploymentAuthorisationsTable
  deployment_authorisation_officers: DeploymentAuthorisationOfficersTable
  incident_counts: IncidentCountsTable
  threat_assessments: ThreatAssessmentsTable
}
