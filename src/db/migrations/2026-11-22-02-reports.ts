import { statements } from './statements.js'

/**
 * The use-of-force record. An incident has subjects; a report is one officer's force on one subject. Multi-valued
 * answers are kept twice in the same transaction: as the record (arrays, child tables with order and detail) and
 * as integer bitmasks on the report row, which the statistics read (see docs/performance-notes in shared/).
 * Submitted reports change only by amendment: every version is kept in report_versions, which is append-only.
 */
const up = [
  `create sequence incident_reference_seq`,
  `create table incidents (
    id uuid primary key default gen_random_uuid(),
    force_id uuid not null references forces (id),
    reference text not null,
    occurred_at timestamptz not null,
    location_types text[] not null,
    location_mask integer not null,
    area text not null,
    planned boolean not null,
    created_by uuid not null references users (id),
    created_at timestamptz not null default now(),
    unique (force_id, reference)
  )`,
  `create index incidents_occurred_idx on incidents (force_id, occurred_at)`,
  `create table subjects (
    id uuid primary key default gen_random_uuid(),
    force_id uuid not null references forces (id),
    incident_id uuid not null references incidents (id),
    label text not null,
    age_band text not null,
    gender text not null,
    perceived_ethnicity text not null,
    self_defined_ethnicity text,
    health_condition text not null,
    created_at timestamptz not null default now()
  )`,
  `create index subjects_incident_idx on subjects (incident_id)`,
  `create table reports (
    id uuid primary key default gen_random_uuid(),
    force_id uuid not null references forces (id),
    incident_id uuid not null references incidents (id),
    subject_id uuid not null references subjects (id),
    officer_person_id uuid references personnel (id),
    officer_unit_id uuid references org_units (id),
    reporter_user_id uuid not null references users (id),
    version integer not null,
    occurred_at timestamptz not null,
    submitted_at timestamptz not null,
    amended_at timestamptz,
    tactic_mask integer not null,
    reasons text[] not null,
    reason_mask integer not null,
    impact_factors text[] not null,
    impact_mask integer not null,
    outcomes text[] not null,
    outcome_mask integer not null,
    ced_highest_level text,
    main_duty text not null,
    single_crewed boolean not null,
    ced_trained boolean not null,
    ced_carried boolean not null,
    assaulted_by_subject boolean not null,
    threatened_with_weapon boolean not null,
    assaulted_with_weapon boolean not null,
    subject_conduct text not null,
    officer_injured text not null,
    intentional_assault text not null,
    officer_injury_level text,
    officer_medical_provided boolean not null,
    subject_injured text not null,
    subject_injury_level text,
    subject_injury_nature text,
    subject_medical_offered boolean not null,
    subject_medical_provided boolean not null,
    bwv_activated boolean not null,
    bwv_reference text,
    justification text not null,
    de_escalation text not null
  )`,
  `create index reports_occurred_idx on reports (force_id, occurred_at)`,
  `create index reports_officer_idx on reports (officer_person_id, occurred_at)`,
  `create index reports_unit_idx on reports (officer_unit_id, occurred_at)`,
  `create index reports_incident_idx on reports (incident_id)`,
  `create table report_tactics (
    report_id uuid not null references reports (id) on delete cascade,
    seq smallint not null,
    tactic text not null,
    effective boolean not null,
    primary key (report_id, seq)
  )`,
  `create table report_ced_uses (
    id uuid primary key default gen_random_uuid(),
    report_id uuid not null references reports (id) on delete cascade,
    seq smallint not null,
    device_serial text not null,
    device_model text,
    levels text[] not null,
    highest_level text not null,
    drive_stun_repeat boolean not null,
    cartridges jsonb not null,
    cycle_count smallint not null,
    longest_cycle_seconds numeric(5, 1),
    total_cycle_seconds numeric(6, 1),
    repeat_cycle_same_cartridge boolean not null,
    probe_miss text not null,
    probe_sites text[] not null,
    warning_given boolean not null,
    distance_metres numeric(4, 1),
    effective boolean not null,
    probes_removed_by text,
    medical_check boolean not null,
    footage_reference text,
    unique (report_id, seq)
  )`,
  `create table report_ced_cycles (
    ced_use_id uuid not null references report_ced_uses (id) on delete cascade,
    seq smallint not null,
    seconds numeric(5, 1) not null,
    extended boolean not null,
    interrupted boolean not null,
    primary key (ced_use_id, seq)
  )`,
  `create table report_versions (
    report_id uuid not null references reports (id),
    version integer not null,
    kind text not null check (kind in ('submitted', 'amended')),
    reason text,
    author_user_id uuid not null references users (id),
    created_at timestamptz not null,
    payload jsonb not null,
    primary key (report_id, version)
  )`,
  `create function report_versions_are_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'report_versions is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
    end
  $$`,
  `create trigger report_versions_no_update_or_delete before update or delete on report_versions
    for each row execute function report_versions_are_append_only()`,
  `create table report_drafts (
    id uuid primary key default gen_random_uuid(),
    force_id uuid not null references forces (id),
    owner_user_id uuid not null references users (id),
    report_id uuid references reports (id),
    data jsonb not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
  )`,
  `create index report_drafts_owner_idx on report_drafts (owner_user_id, updated_at)`,
  `create table idempotency_keys (
    user_id uuid not null references users (id),
    key text not null,
    request_hash text not null,
    status_code smallint not null,
    response jsonb not null,
    created_at timestamptz not null,
    primary key (user_id, key)
  )`,
  `create table api_tokens (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null references users (id),
    name text not null,
    token_hash text not null unique,
    created_at timestamptz not null,
    last_used_at timestamptz,
    revoked_at timestamptz
  )`,
  `create table force_settings (
    force_id uuid primary key references forces (id),
    draft_deadline_hours integer not null default 24 check (draft_deadline_hours between 1 and 720)
  )`,
  `insert into force_settings (force_id) select id from forces`,
]

const down = [
  'drop table force_settings',
  'drop table api_tokens',
  'drop table idempotency_keys',
  'drop table report_drafts',
  'drop table report_versions',
  'drop function report_versions_are_append_only',
  'drop table report_ced_cycles',
  'drop table report_ced_uses',
  'drop table report_tactics',
  'drop table reports',
  'drop table subjects',
  'drop table incidents',
  'drop sequence incident_reference_seq',
]

export const reports = statements(up, down)
