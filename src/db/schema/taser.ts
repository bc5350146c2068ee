import type { ColumnType, Generated } from 'kysely'

/** Table types for Taser training, authority and the armoury (migration 2026-11-22-03-taser-training-devices). */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type CreatedAt = ColumnType<Date, Date | string | undefined, never>
/** 'YYYY-MM-DD' on both backends (see database.ts). */
type CalendarDate = string

export interface CedTrainingAssessmentsTable {
  training_record_id: string
  kind: 'qualification_shoot' | 'written_test' | 'scenarios'
  passed: boolean
}

export interface CedTrainingImportsTable {
  id: Generated<string>
  force_id: string
  file_sha256: string
  file_name: string | null
  imported_by_user_id: string
  imported_at: Timestamp
  records_added: number
}

export interface CedPrerequisitesTable {
  id: Generated<string>
  force_id: string
  person_id: string
  kind: 'eyesight_test' | 'first_aid' | 'officer_safety' | 'fitness_test' | 'superintendent_endorsement'
  achieved_on: CalendarDate
  expires_on: CalendarDate
  recorded_by_user_id: string | null
  created_at: CreatedAt
}

export interface CedSuspensionsTable {
  id: Generated<string>
  force_id: string
  person_id: string
  reason: string
  suspended_on: CalendarDate
  suspended_by_user_id: string | null
  lifted_on: CalendarDate | null
  lifted_reason: string | null
  lifted_by_user_id: string | null
  created_at: CreatedAt
}

export interface CedDevicesTable {
  id: Generated<string>
  force_id: string
  serial: string
  model: string
  firmware: string
  status: 'in_service' | 'defective' | 'in_repair' | 'withdrawn'
  home_unit_id: string | null
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface CedDeviceHistoryTable {
  id: Generated<number>
  force_id: string
  device_id: string
  occurred_at: Timestamp
  user_id: string | null
  change: 'registered' | 'status_changed' | 'firmware_updated' | 'defect_reported' | 'defect_resolved'
  details: ColumnType<Record<string, unknown>, string, string>
}

export interface CedDeviceDefectsTable {
  id: Generated<string>
  force_id: string
  device_id: string
  reported_at: Timestamp
  reported_by_user_id: string | null
  description: string
  resolved_at: Timestamp | null
  resolved_by_user_id: string | null
  resolution: string | null
}

export interface CedCartridgesTable {
  id: Generated<string>
  force_id: string
  serial: string
  cartridge_type: string
  expires_on: CalendarDate
  status: 'in_stock' | 'issued' | 'spent' | 'withdrawn'
  created_at: CreatedAt
}

export interface CedDeviceIssuesTable {
  id: Generated<string>
  force_id: string
  device_id: string
  person_id: string
  issued_at: Timestamp
  issued_by_user_id: string | null
  spark_test_at: Timestamp | null
  spark_test_passed: boolean | null
  returned_at: Timestamp | null
  returned_by_user_id: string | null
  return_notes: string | null
  created_at: CreatedAt
}

export interface CedDeviceIssueCartridgesTable {
  issue_id: string
  cartridge_id: string
  bay: number
  /** Set at return: whether the cartridge was fired (spent). Null while the device is out. */
  used: boolean | null
}

export interface CedIssueRefusalsTable {
  id: Generated<string>
  force_id: string
  device_id: string | null
  person_id: string
  attempted_at: Timestamp
  attempted_by_user_id: string | null
  reasons: string[]
}

export interface CedUnintentionalDischargesTable {
  id: Generated<string>
  force_id: string
  device_id: string
  person_id: string
  occurred_at: Timestamp
  circumstances: string
  recorded_by_user_id: string | null
  created_at: CreatedAt
}

export interface TaserTables {
  ced_training_assessments: CedTrainingAssessmentsTable
  ced_training_imports: CedTrainingImportsTable
  ced_prerequisites: CedPrerequisitesTable
  ced_suspensions: CedSuspensionsTable
  ced_devices: CedDevicesTable
  ced_device_history: CedDeviceHistoryTable
  ced_device_defects: CedDeviceDefectsTable
  ced_cartridges: CedCartridgesTable
  ced_device_issues: CedDeviceIssuesTable
  ced_device_issue_cartridges: CedDeviceIssueCartridgesTable
  ced_issue_refusals: CedIssueRefusalsTable
  ced_unintentional_discharges: CedUnintentionalDischargesTable
}
