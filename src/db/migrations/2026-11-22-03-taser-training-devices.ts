import { statements } from './statements.js'

/**
 * Taser (CED) governance: what an officer's authority to carry is derived from (courses and their assessments,
 * prerequisites, suspensions, the force's policy on student officers and specials), and the armoury (devices,
 * cartridges, issue and return, refused issues, unintentional discharges). Authority itself is never stored: it is
 * computed from these rows by src/domain/taser/authority.ts.
 *
 * Training records name device models by their code (cedDeviceModels: 'x2', 'taser_7', …), like the rest of the
 * schema; the foundation stored display names, so they are converted here.
 */
const modelCodes = `'x26', 'x2', 'taser_7', 'taser_10'`

const up = [
  `update ced_training_records set device_model = case device_model
     when 'X26' then 'x26' when 'X2' then 'x2' when 'TASER 7' then 'taser_7' when 'TASER 10' then 'taser_10'
     else device_model end`,
  `alter table ced_training_records
     add constraint ced_training_model_check check (device_model in (${modelCodes})),
     add column recorded_by_user_id uuid references users (id),
     add column import_id uuid`,
  // One record per person, course, model and day: what makes importing the same file twice change nothing.
  `create unique index ced_training_natural_key on ced_training_records (person_id, course, device_model, completed_on)`,
  `create table ced_training_assessments (
    training_record_id uuid not null references ced_training_records (id) on delete cascade,
    kind text not null check (kind in ('qualification_shoot', 'written_test', 'scenarios')),
    passed boolean not null,
    primary key (training_record_id, kind)
  )`,
  `create table ced_training_imports (
    id uuid primary key default gen_random_uuid(),
    force_id uuid not null references forces (id),
    file_sha256 text not null,
    file_name text,
    imported_by_user_id uuid not null references users (id),
    imported_at timestamptz not null,
    records_added integer not null
  )`,
  `create table ced_prerequisites (
    id uuid primary key default gen_random_uuid(),
    force_id uuid not null references forces (id),
    person_id uuid not null references personnel (id),
    kind text not null check (kind in
      ('eyesight_test', 'first_aid', 'officer_safety', 'fitness_test', 'superintendent_endorsement')),
    achieved_on date not null,
    expires_on date not null,
    recorded_by_user_id uuid references users (id),
    created_at timestamptz not null default now(),
    check (expires_on >= achieved_on)
  )`,
  `create index ced_prerequisites_person_idx on ced_prerequisites (person_id, kind)`,
  `create table ced_suspensions (
    id uuid primary key default gen_random_uuid(),
    force_id uuid not null references forces (id),
    person_id uuid not null references personnel (id),
    reason text not null,
    suspended_on date not null,
    suspended_by_user_id uuid references users (id),
    lifted_on date,
    lifted_reason text,
    lifted_by_user_id uuid references users (id),
    created_at timestamptz not null default now(),
    check (lifted_on is null or lifted_on >= suspended_on)
  )`,
  `create index ced_suspensions_person_idx on ced_suspensions (person_id)`,
  `alter table force_settings
     add column ced_probationers_allowed boolean not null default false,
     add column ced_specials_allowed boolean not null default false`,

  `create table ced_devices (
    id uuid primary key default gen_random_uuid(),
    force_id uuid not null references forces (id),
    serial text not null,
    model text not null check (model in (${modelCodes})),
    firmware text not null,
    status text not null check (status in ('in_service', 'defective', 'in_repair', 'withdrawn')),
    home_unit_id uuid references org_units (id),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    unique (force_id, serial)
  )`,
  // Every change to a device, newest last: registration, status, firmware, defects reported and resolved.
  `create table ced_device_history (
    id bigint generated always as identity primary key,
    force_id uuid not null references forces (id),
    device_id uuid not null references ced_devices (id),
    occurred_at timestamptz not null,
    user_id uuid references users (id),
    change text not null check (change in
      ('registered', 'status_changed', 'firmware_updated', 'defect_reported', 'defect_resolved')),
    details jsonb not null
  )`,
  `create index ced_device_history_device_idx on ced_device_history (device_id, occurred_at)`,
  `create table ced_device_defects (
    id uuid primary key default gen_random_uuid(),
    force_id uuid not null references forces (id),
    device_id uuid not null references ced_devices (id),
    reported_at timestamptz not null,
    reported_by_user_id uuid references users (id),
    description text not null,
    resolved_at timestamptz,
    resolved_by_user_id uuid references users (id),
    resolution text
  )`,
  `create index ced_device_defects_device_idx on ced_device_defects (device_id)`,
  `create table ced_cartridges (
    id uuid primary key default gen_random_uuid(),
    force_id uuid not null references forces (id),
    serial text not null,
    cartridge_type text not null,
    expires_on date not null,
    status text not null check (status in ('in_stock', 'issued', 'spent', 'withdrawn')),
    created_at timestamptz not null default now(),
    unique (force_id, serial)
  )`,
  `create table ced_device_issues (
    id uuid primary key default gen_random_uuid(),
    force_id uuid not null references forces (id),
    device_id uuid not null references ced_devices (id),
    person_id uuid not null references personnel (id),
    issued_at timestamptz not null,
    issued_by_user_id uuid references users (id),
    spark_test_at timestamptz,
    spark_test_passed boolean,
    returned_at timestamptz,
    returned_by_user_id uuid references users (id),
    return_notes text,
    created_at timestamptz not null default now(),
    check (returned_at is null or returned_at >= issued_at),
    check ((spark_test_at is null) = (spark_test_passed is null))
  )`,
  // A device is out with at most one officer, and an officer draws at most one device, at a time.
  `create unique index ced_device_issues_open_device on ced_device_issues (device_id) where returned_at is null`,
  `create unique index ced_device_issues_open_person on ced_device_issues (person_id) where returned_at is null`,
  // "Who held this device at time T" (reconciliation) and an officer's history.
  `create index ced_device_issues_device_time_idx on ced_device_issues (device_id, issued_at)`,
  `create index ced_device_issues_person_idx on ced_device_issues (person_id, issued_at)`,
  `create table ced_device_issue_cartridges (
    issue_id uuid not null references ced_device_issues (id),
    cartridge_id uuid not null references ced_cartridges (id),
    bay integer not null check (bay >= 1),
    used boolean,
    primary key (issue_id, cartridge_id),
    unique (issue_id, bay)
  )`,
  `create index ced_device_issue_cartridges_cartridge_idx on ced_device_issue_cartridges (cartridge_id)`,
  // Refused issues are kept (and audited) so the Taser lead sees who tried to draw what and why it was refused.
  `create table ced_issue_refusals (
    id uuid primary key default gen_random_uuid(),
    force_id uuid not null references forces (id),
    device_id uuid references ced_devices (id),
    person_id uuid not null references personnel (id),
    attempted_at timestamptz not null,
    attempted_by_user_id uuid references users (id),
    reasons text[] not null
  )`,
  `create index ced_issue_refusals_force_idx on ced_issue_refusals (force_id, attempted_at)`,
  `create table ced_unintentional_discharges (
    id uuid primary key default gen_random_uuid(),
    force_id uuid not null references forces (id),
    device_id uuid not null references ced_devices (id),
    person_id uuid not null references personnel (id),
    occurred_at timestamptz not null,
    circumstances text not null,
    recorded_by_user_id uuid references users (id),
    created_at timestamptz not null default now()
  )`,
  `create index ced_unintentional_discharges_device_idx on ced_unintentional_discharges (device_id, occurred_at)`,
]

const down = [
  'drop table ced_unintentional_discharges',
  'drop table ced_issue_refusals',
  'drop table ced_device_issue_cartridges',
  'drop table ced_device_issues',
  'drop table ced_cartridges',
  'drop table ced_device_defects',
  'drop table ced_device_history',
  'drop table ced_devices',
  'alter table force_settings drop column ced_specials_allowed, drop column ced_probationers_allowed',
  'drop table ced_suspensions',
  'drop table ced_prerequisites',
  'drop table ced_training_imports',
  'drop table ced_training_assessments',
  'drop index ced_training_natural_key',
  `alter table ced_training_records
     drop constraint ced_training_model_check, drop column recorded_by_user_id, drop column import_id`,
  `update ced_training_records set device_model = case device_model
     when 'x26' then 'X26' when 'x2' then 'X2' when 'taser_7' then 'TASER 7' when 'taser_10' then 'TASER 10'
     else device_model end`,
]

export const taserTrainingDevices = statements(up, down)
