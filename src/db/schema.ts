import type { ColumnType, Generated, Insertable, Selectable } from 'kysely'
import type { EmploymentStatus, UnitKind } from '../domain/workforce.js'

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

export interface Database {
  forces: ForcesTable
  org_units: OrgUnitsTable
  personnel: PersonnelTable
  ced_training_records: CedTrainingRecordsTable
  users: UsersTable
  user_roles: UserRolesTable
  sessions: SessionsTable
  sign_in_throttle: SignInThrottleTable
  audit_log: AuditLogTable
}

export type OrgUnit = Selectable<OrgUnitsTable>
export type NewPerson = Insertable<PersonnelTable>
export type AuditEntryRow = Selectable<AuditLogTable>
