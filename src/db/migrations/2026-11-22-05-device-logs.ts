import { statements } from './statements.js'

/**
 * Device-log import and reconciliation: the event logs downloaded from Tasers (docs/device-log-format.md), body-worn
 * camera recordings (docs/camera-events-format.md), the force's reconciliation settings, and the exceptions queue.
 * Devices and issues belong to the armoury (2026-11-22-03); this migration only refers to them.
 *
 * device_events is the big table (a force holds millions of rows, imported tens of thousands a second). Its
 * device_id, force_id and import_id have no foreign keys: checking three per row halved import speed, and the only
 * writer (the import service) takes them from the import row it writes in the same transaction. It is keyed by the
 * device's own record number, which is what recognises the overlap between two downloads of one device.
 */
const up = [
  `create table device_log_imports (
    id uuid primary key default gen_random_uuid(),
    force_id uuid not null references forces (id),
    device_id uuid not null references ced_devices (id),
    file_sha256 text not null,
    file_name text not null,
    byte_size integer not null,
    device_model text not null,
    firmware text not null,
    downloaded_at timestamptz not null,
    device_clock_at_download timestamptz not null,
    downloaded_by_user_id uuid not null references users (id),
    imported_by_user_id uuid references users (id),
    imported_at timestamptz not null,
    first_seq bigint not null,
    last_seq bigint not null,
    first_event_at timestamptz not null,
    last_event_at timestamptz not null,
    event_count integer not null,
    new_event_count integer not null,
    unique (force_id, file_sha256)
  )`,
  `create index device_log_imports_device_idx on device_log_imports (device_id, downloaded_at)`,
  `create index device_log_imports_force_idx on device_log_imports (force_id, imported_at)`,
  `create table device_events (
    device_id uuid not null,
    seq bigint not null,
    force_id uuid not null,
    import_id uuid not null,
    device_time timestamptz not null,
    kind text not null,
    duration_ms integer,
    battery_pct smallint,
    temperature_c smallint,
    cartridge_bay smallint,
    cartridge_serial text,
    detail text,
    true_time timestamptz,
    primary key (device_id, seq)
  )`,
  `create table camera_event_imports (
    id uuid primary key default gen_random_uuid(),
    force_id uuid not null references forces (id),
    file_sha256 text not null,
    file_name text not null,
    byte_size integer not null,
    imported_by_user_id uuid references users (id),
    imported_at timestamptz not null,
    recording_count integer not null,
    new_recording_count integer not null,
    covers_from timestamptz not null,
    covers_to timestamptz not null,
    unique (force_id, file_sha256)
  )`,
  `create table camera_recordings (
    force_id uuid not null references forces (id),
    camera_serial text not null,
    started_at timestamptz not null,
    ended_at timestamptz not null,
    person_id uuid not null references personnel (id),
    activation text not null check (activation in ('manual', 'taser_armed', 'other')),
    footage_reference text,
    import_id uuid not null references camera_event_imports (id),
    primary key (force_id, camera_serial, started_at),
    check (ended_at >= started_at)
  )`,
  `create index camera_recordings_person_idx on camera_recordings (person_id, started_at)`,
  `create table reconciliation_settings (
    force_id uuid primary key references forces (id),
    window_minutes integer not null default 60 check (window_minutes between 1 and 1440),
    drift_threshold_seconds integer not null default 60 check (drift_threshold_seconds between 1 and 86400),
    download_period_days integer not null default 31 check (download_period_days between 1 and 366),
    spark_test_minutes integer not null default 10 check (spark_test_minutes between 1 and 120),
    updated_at timestamptz,
    updated_by_user_id uuid references users (id)
  )`,
  `create table reconciliation_exceptions (
    id uuid primary key default gen_random_uuid(),
    force_id uuid not null references forces (id),
    key text not null,
    kind text not null,
    status text not null check (status in ('open', 'resolved', 'cleared')),
    device_id uuid references ced_devices (id),
    report_id uuid references reports (id),
    person_id uuid references personnel (id),
    occurred_at timestamptz not null,
    details jsonb not null,
    evidence_hash text not null,
    raised_at timestamptz not null,
    last_found_at timestamptz not null,
    assigned_to_user_id uuid references users (id),
    assigned_at timestamptz,
    resolution text,
    resolution_note text,
    resolved_by_user_id uuid references users (id),
    resolved_at timestamptz,
    reopened_count integer not null default 0,
    unique (force_id, key),
    check ((status = 'resolved') = (resolved_at is not null))
  )`,
  `create index reconciliation_exceptions_queue_idx on reconciliation_exceptions (force_id, status, occurred_at)`,
  `create index reconciliation_exceptions_device_idx on reconciliation_exceptions (device_id)`,
  `create table reconciliation_runs (
    id uuid primary key default gen_random_uuid(),
    force_id uuid not null references forces (id),
    device_id uuid references ced_devices (id),
    run_by_user_id uuid references users (id),
    started_at timestamptz not null,
    finished_at timestamptz not null,
    devices integer not null,
    events integer not null,
    reported_uses integer not null,
    raised integer not null,
    reopened integer not null,
    cleared integer not null,
    open_after integer not null
  )`,
  `create index reconciliation_runs_force_idx on reconciliation_runs (force_id, started_at)`,
]

const down = [
  'drop table reconciliation_runs',
  'drop table reconciliation_exceptions',
  'drop table reconciliation_settings',
  'drop table camera_recordings',
  'drop table camera_event_imports',
  'drop table device_events',
  'drop table device_log_imports',
]

export const deviceLogs = statements(up, down)
