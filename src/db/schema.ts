import type { ColumnType, Generated, Insertable, Selectable } from 'kysely'
import type { EmploymentStatus, UnitKind } from '../domain/workforce.js'
import type { AuthorisationTables } from './schema/authorisations.js'
import type { DeviceLogTables } from './schema/device-logs.js'
import type { EarlyInterventionWelfareTables } from './schema/early-intervention-welfare.js'
import type { ReviewPolicy, ReviewTables } from './schema/reviews.js'
import type { ScrutinyTables } from './schema/scrutiny.js'
import type { TaserTables } from './schema/taser.js'
import type { ComparatorTables } from './schema/comparators.js'
import type { DataSharingTables } from './schema/data-sharing.js'
import type { RetentionTables } from './schema/retention.js'
import type { DashboardTables } from './schema/dashboards.js'
import type { StatisticsTables } from './schema/statistics.js'
import type { TransparencyTables } from './schema/transparency.js'
import type { SsoTables } from './schema/sso.js'

export type { EmploymentStatus, UnitKind }

/** Table types for Kysely, kept in step with src/db/migrations by hand (and by the type checker's use of them). */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type CreatedAt = ColumnType<Date, Date | string | undefined, never>
/** Calendar dates travel as 'YYYY-MM-DD' strings on both backends (see database.ts). */
type CalendarDate = string

export interface ForcesTable {
  id: Generated<string>
  code: string
  name: string
  created_at: CreatedAt
}

export interface OrgUnitsTable {
  id: Generated<string>
  force_id: string
  parent_id: string | null
  kind: UnitKind
  code: string
  name: string
  closed_at: Timestamp | null
  created_at: CreatedAt
}

export interface PersonnelTable {
  id: Generated<string>
  force_id: string
  unit_id: string
  collar_number: string | null
  given_name: string
  family_name: string
  rank: string | null
  status: EmploymentStatus
  joined_on: CalendarDate
  left_on: CalendarDate | null
  created_at: CreatedAt
}

export interface CedTrainingRecordsTable {
  id: Generated<string>
  force_id: string
  person_id: string
  course: 'initial' | 'refresher' | 'conversion'
  device_model: string
  completed_on: CalendarDate
  hours: number
  passed: boolean
  recorded_by_user_id: ColumnType<string | null, string | null | undefined, string | null>
  import_id: ColumnType<string | null, string | null | undefined, string | null>
  created_at: CreatedAt
}

export interface UsersTable {
  id: Generated<string>
  force_id: string
  username: string
  display_name: string
  email: string | null
  password_hash: string | null
  person_id: string | null
  unit_id: string | null
  disabled_at: Timestamp | null
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface UserRolesTable {
  user_id: string
  role: string
}

export interface SessionsTable {
  id: string
  user_id: string
  data: ColumnType<unknown, string, string>
  created_at: Timestamp
  expires_at: Timestamp
}

export interface SignInThrottleTable {
  key: string
  failures: number
  window_started_at: Timestamp
  locked_until: Timestamp | null
}

export interface AuditLogTable {
  id: number
  force_id: string | null
  lane: number
  occurred_at: Timestamp
  actor_user_id: string | null
  actor: string
  action: string
  entity_type: string
  entity_id: string | null
  details: ColumnType<Record<string, unknown>, string, never>
  request_id: string | null
  prev_hash: string | null
  hash: string
}

export interface IncidentsTable {
  id: Generated<string>
  force_id: string
  reference: string
  occurred_at: Timestamp
  location_types: string[]
  location_mask: number
  area: string
  planned: boolean
  created_by: string
  created_at: CreatedAt
}

export interface SubjectsTable {
  id: Generated<string>
  force_id: string
  incident_id: string
  label: string
  age_band: string
  gender: string
  perceived_ethnicity: string
  self_defined_ethnicity: string | null
  health_condition: string
  created_at: CreatedAt
}

export interface ReportsTable {
  id: Generated<string>
  force_id: string
  incident_id: string
  subject_id: string
  officer_person_id: string | null
  officer_unit_id: string | null
  reporter_user_id: string
  version: number
  occurred_at: Timestamp
  submitted_at: Timestamp
  amended_at: Timestamp | null
  tactic_mask: number
  reasons: string[]
  reason_mask: number
  impact_factors: string[]
  impact_mask: number
  outcomes: string[]
  outcome_mask: number
  ced_highest_level: string | null
  main_duty: string
  single_crewed: boolean
  ced_trained: boolean
  ced_carried: boolean
  assaulted_by_subject: boolean
  threatened_with_weapon: boolean
  assaulted_with_weapon: boolean
  subject_conduct: string
  officer_injured: string
  intentional_assault: string
  officer_injury_level: string | null
  officer_medical_provided: boolean
  subject_injured: string
  subject_injury_level: string | null
  subject_injury_nature: string | null
  subject_medical_offered: boolean
  subject_medical_provided: boolean
  bwv_activated: boolean
  bwv_reference: string | null
  justification: string
  de_escalation: string
}

export interface ReportTacticsTable {
  report_id: string
  seq: number
  tactic: string
  effective: boolean
}

export interface ReportCedUsesTable {
  id: Generated<string>
  report_id: string
  seq: number
  device_serial: string
  device_model: string | null
  levels: string[]
  highest_level: string
  drive_stun_repeat: boolean
  cartridges: ColumnType<{ serial: string; bay: number | null }[], string, string>
  cycle_count: number
  longest_cycle_seconds: number | null
  total_cycle_seconds: number | null
  repeat_cycle_same_cartridge: boolean
  probe_miss: string
  probe_sites: string[]
  warning_given: boolean
  distance_metres: number | null
  effective: boolean
  probes_removed_by: string | null
  medical_check: boolean
  footage_reference: string | null
}

export interface ReportCedCyclesTable {
  ced_use_id: string
  seq: number
  seconds: number
  extended: boolean
  interrupted: boolean
}

export interface ReportVersionsTable {
  report_id: string
  version: number
  kind: 'submitted' | 'amended'
  reason: string | null
  author_user_id: string
  created_at: Timestamp
  payload: ColumnType<unknown, string, never>
}

export interface ReportDraftsTable {
  id: Generated<string>
  force_id: string
  owner_user_id: string
  report_id: string | null
  data: ColumnType<Record<string, unknown>, string, string>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface IdempotencyKeysTable {
  user_id: string
  key: string
  request_hash: string
  status_code: number
  response: ColumnType<unknown, string, never>
  created_at: Timestamp
}

export interface ApiTokensTable {
  id: Generated<string>
  user_id: string
  name: string
  token_hash: string
  created_at: Timestamp
  last_used_at: Timestamp | null
  revoked_at: Timestamp | null
}

export interface ForceSettingsTable {
  force_id: string
  draft_deadline_hours: ColumnType<number, number | undefined, number>
  ced_probationers_allowed: ColumnType<boolean, boolean | undefined, boolean>
  ced_specials_allowed: ColumnType<boolean, boolean | undefined, boolean>
  /** Which reports a supervisor reviews besides the mandatory ones (migration 2026-11-22-08-reviews). */
  review_policy: ColumnType<ReviewPolicy, ReviewPolicy | undefined, ReviewPolicy>
  review_sample_percent: ColumnType<number, number | undefined, number>
}

/**
 * Every table. Capabilities added after the reports keep their table types beside their own code and join them here
 * through `extends`.
 */
export interface Database
  extends
    ComparatorTables,
    DataSharingTables,
    RetentionTables,
    TaserTables,
    AuthorisationTables,
    DeviceLogTables,
    ReviewTables,
    EarlyInterventionWelfareTables,
    ScrutinyTables,
    DashboardTables,
    StatisticsTables,
    SsoTables,
    TransparencyTables {
  forces: ForcesTable
  org_units: OrgUnitsTable
  personnel: PersonnelTable
  ced_training_records: CedTrainingRecordsTable
  users: UsersTable
  user_roles: UserRolesTable
  sessions: SessionsTable
  sign_in_throttle: SignInThrottleTable
  audit_log: AuditLogTable
  incidents: IncidentsTable
  subjects: SubjectsTable
  reports: ReportsTable
  report_tactics: ReportTacticsTable
  report_ced_uses: ReportCedUsesTable
  report_ced_cycles: ReportCedCyclesTable
  report_versions: ReportVersionsTable
  report_drafts: ReportDraftsTable
  idempotency_keys: IdempotencyKeysTable
  api_tokens: ApiTokensTable
  force_settings: ForceSettingsTable
}

export type OrgUnit = Selectable<OrgUnitsTable>
export type NewPerson = Insertable<PersonnelTable>
export type AuditEntryRow = Selectable<AuditLogTable>
