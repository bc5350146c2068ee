import type { ColumnType, Generated } from 'kysely'

/** Table types for device-log import and reconciliation (migration 2026-11-22-05-device-logs). */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>

export interface DeviceLogImportsTable {
  id: Generated<string>
  force_id: string
  device_id: string
  file_sha256: string
  file_name: string
  byte_size: number
  device_model: string
  firmware: string
  downloaded_at: Timestamp
  device_clock_at_download: Timestamp
  downloaded_by_user_id: string
  imported_by_user_id: string | null
  imported_at: Timestamp
  first_seq: number
  last_seq: number
  first_event_at: Timestamp
  last_event_at: Timestamp
  event_count: number
  new_event_count: number
}

export interface DeviceEventsTable {
  device_id: string
  seq: number
  force_id: string
  import_id: string
  device_time: Timestamp
  kind: string
  duration_ms: number | null
  battery_pct: number | null
  temperature_c: number | null
  cartridge_bay: number | null
  cartridge_serial: string | null
  detail: string | null
  true_time: Timestamp | null
}

export interface CameraEventImportsTable {
  id: Generated<string>
  force_id: string
  file_sha256: string
  file_name: string
  byte_size: number
  imported_by_user_id: string | null
  imported_at: Timestamp
  recording_count: number
  new_recording_count: number
  covers_from: Timestamp
  covers_to: Timestamp
}

export interface CameraRecordingsTable {
  force_id: string
  camera_serial: string
  started_at: Timestamp
  ended_at: Timestamp
  person_id: string
  activation: string
  footage_reference: string | null
  import_id: string
}

export interface ReconciliationSettingsTable {
  force_id: string
  window_minutes: ColumnType<number, number | undefined, number>
  drift_threshold_seconds: ColumnType<number, number | undefined, number>
  download_period_days: ColumnType<number, number | undefined, number>
  spark_test_minutes: ColumnType<number, number | undefined, number>
  updated_at: Timestamp | null
  updated_by_user_id: string | null
}

export interface ReconciliationExceptionsTable {
  id: Generated<string>
  force_id: string
  key: string
  kind: string
  status: 'open' | 'resolved' | 'cleared'
  device_id: string | null
  report_id: string | null
  person_id: string | null
  occurred_at: Timestamp
  details: ColumnType<Record<string, unknown>, string, string>
  evidence_hash: string
  raised_at: Timestamp
  last_found_at: Timestamp
  assigned_to_user_id: string | null
  assigned_at: Timestamp | null
  resolution: string | null
  resolution_note: string | null
  resolved_by_user_id: string | null
  resolved_at: Timestamp | null
  reopened_count: ColumnType<number, number | undefined, number>
}

export interface ReconciliationRunsTable {
  id: Generated<string>
  force_id: string
  device_id: string | null
  run_by_user_id: string | null
  started_at: Timestamp
  finished_at: Timestamp
  devices: number
  events: number
  reported_uses: number
  raised: number
  reopened: number
  cleared: number
  open_after: number
}

export interface DeviceLogTables {
  device_log_imports: DeviceLogImportsTable
  device_events: DeviceEventsTable
  camera_event_imports: CameraEventImportsTable
  camera_recordings: CameraRecordingsTable
  reconciliation_settings: ReconciliationSettingsTable
  reconciliation_exceptions: ReconciliationExceptionsTable
  reconciliation_runs: ReconciliationRunsTable
}
