import { statements } from './statements.js'

const up = [
  `create table forces (
    id uuid primary key default gen_random_uuid(),
    code text not null unique,
    name text not null,
    created_at timestamptz not null default now()
  )`,
  `create table org_units (
    id uuid primary key default gen_random_uuid(),
    force_id uuid not null references forces (id),
    parent_id uuid references org_units (id),
    kind text not null check (kind in ('force', 'bcu', 'team', 'department')),
    code text not null,
    name text not null,
    closed_at timestamptz,
    created_at timestamptz not null default now(),
    unique (force_id, code)
  )`,
  `create index org_units_parent_idx on org_units (parent_id)`,
  `create table personnel (
    id uuid primary key default gen_random_uuid(),
    force_id uuid not null references forces (id),
    unit_id uuid not null references org_units (id),
    collar_number text,
    given_name text not null,
    family_name text not null,
    rank text,
    status text not null check (status in ('regular', 'probationer', 'special_constable', 'police_staff')),
    joined_on date not null,
    left_on date,
    created_at timestamptz not null default now(),
    unique (force_id, collar_number)
  )`,
  `create index personnel_unit_idx on personnel (unit_id)`,
  `create table ced_training_records (
    id uuid primary key default gen_random_uuid(),
    force_id uuid not null references forces (id),
    person_id uuid not null references personnel (id),
    course text not null check (course in ('initial', 'refresher', 'conversion')),
    device_model text not null,
    completed_on date not null,
    hours numeric(4, 1) not null check (hours > 0),
    passed boolean not null,
    created_at timestamptz not null default now()
  )`,
  `create index ced_training_person_idx on ced_training_records (person_id, completed_on)`,
  `create table users (
    id uuid primary key default gen_random_uuid(),
    force_id uuid not null references forces (id),
    username text not null,
    display_name text not null,
    email text,
    password_hash text,
    person_id uuid references personnel (id),
    unit_id uuid references org_units (id),
    disabled_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  `create unique index users_username_key on users (lower(username))`,
  `create table user_roles (
    user_id uuid not null references users (id) on delete cascade,
    role text not null,
    primary key (user_id, role)
  )`,
  `create table sessions (
    id text primary key,
    user_id uuid not null references users (id) on delete cascade,
    data jsonb not null,
    created_at timestamptz not null,
    expires_at timestamptz not null
  )`,
  `create index sessions_expires_idx on sessions (expires_at)`,
  `create index sessions_user_idx on sessions (user_id)`,
  `create table sign_in_throttle (
    key text primary key,
    failures integer not null,
    window_started_at timestamptz not null,
    locked_until timestamptz
  )`,
  // The audit ledger: append-only and hash-chained. Entries are chained per (force, lane) so that unrelated
  // writes do not queue behind one lock; an entity always falls in the same lane, so its history is one chain.
  `create sequence audit_log_id_seq`,
  `create table audit_log (
    id bigint primary key,
    force_id uuid references forces (id),
    lane smallint not null,
    occurred_at timestamptz not null,
    actor_user_id uuid,
    actor text not null,
    action text not null,
    entity_type text not null,
    entity_id text,
    details jsonb not null,
    request_id text,
    prev_hash text,
    hash text not null
  )`,
  `alter sequence audit_log_id_seq owned by audit_log.id`,
  `create index audit_log_chain_idx on audit_log (force_id, lane, id)`,
  `create index audit_log_entity_idx on audit_log (entity_type, entity_id)`,
  `create function audit_log_is_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
    end
  $$`,
  `create trigger audit_log_no_update_or_delete before update or delete on audit_log
    for each row execute function audit_log_is_append_only()`,
  `create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_is_append_only()`,
]

const down = [
  'drop table audit_log',
  'drop function audit_log_is_append_only',
  'drop table sign_in_throttle',
  'drop table sessions',
  'drop table user_roles',
  'drop table users',
  'drop table ced_training_records',
  'drop table personnel',
  'drop table org_units',
  'drop table forces',
]

export const foundation = statements(up, down)
