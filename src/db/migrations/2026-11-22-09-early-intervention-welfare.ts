import { statements } from './statements.js'

/**
 * Early intervention and officer welfare.
 *
 * Thresholds are the force's (metric, rolling window in days, count). A flag is one officer over one threshold for
 * one episode (a spell during which the officer's rolling count stays at or above the threshold), keyed by the day
 * the episode began, so evaluating again never raises it twice. A flag keeps the rule and the team comparison as
 * they stood when it was raised; what was done about it is a list of actions, and a closed flag stays.
 *
 * A welfare follow-up is one per officer per incident in which they were recorded as assaulted or injured. Its
 * steps are append-only entries: the latest entry for a step is its state, earlier ones its history.
 */
const up = [
  `create table early_intervention_thresholds (
    id uuid primary key default gen_random_uuid(),
    force_id uuid not null references forces (id),
    metric text not null,
    window_days integer not null check (window_days between 1 and 730),
    min_count integer not null check (min_count between 1 and 1000),
    active boolean not null default true,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    updated_by_user_id uuid references users (id)
  )`,
  `create unique index early_intervention_thresholds_rule_key on early_intervention_thresholds
    (force_id, metric, window_days) where active`,
  `create table early_intervention_flags (
    id uuid primary key default gen_random_uuid(),
    force_id uuid not null references forces (id),
    person_id uuid not null references personnel (id),
    threshold_id uuid not null references early_intervention_thresholds (id),
    metric text not null,
    window_days integer not null,
    min_count integer not null,
    episode_started_on date not null,
    as_of date not null,
    event_count integer not null,
    team_id uuid references org_units (id),
    team_size integer not null,
    team_median numeric(8, 2) not null,
    team_mean numeric(8, 2) not null,
    status text not null check (status in ('open', 'closed')),
    raised_at timestamptz not null,
    closed_at timestamptz,
    unique (threshold_id, person_id, episode_started_on)
  )`,
  `create index early_intervention_flags_force_idx on early_intervention_flags (force_id, status, as_of)`,
  `create index early_intervention_flags_person_idx on early_intervention_flags (person_id, threshold_id, as_of)`,
  `create table early_intervention_actions (
    id uuid primary key default gen_random_uuid(),
    flag_id uuid not null references early_intervention_flags (id),
    outcome text not null,
    notes text not null,
    closes boolean not null,
    recorded_by_user_id uuid not null references users (id),
    recorded_at timestamptz not null
  )`,
  `create index early_intervention_actions_flag_idx on early_intervention_actions (flag_id, recorded_at)`,
  `create table welfare_follow_ups (
    id uuid primary key default gen_random_uuid(),
    force_id uuid not null references forces (id),
    incident_id uuid not null references incidents (id),
    report_id uuid not null references reports (id),
    person_id uuid not null references personnel (id),
    occurred_at timestamptz not null,
    assaulted boolean not null,
    injured boolean not null,
    status text not null check (status in ('open', 'completed')),
    created_at timestamptz not null,
    completed_at timestamptz,
    unique (incident_id, person_id)
  )`,
  `create index welfare_follow_ups_force_idx on welfare_follow_ups (force_id, status, occurred_at)`,
  `create index welfare_follow_ups_person_idx on welfare_follow_ups (person_id)`,
  `create table welfare_step_entries (
    id uuid primary key default gen_random_uuid(),
    follow_up_id uuid not null references welfare_follow_ups (id),
    step text not null,
    outcome text not null check (outcome in ('done', 'not_needed')),
    carried_out_by text not null,
    carried_out_on date not null,
    notes text not null,
    recorded_by_user_id uuid references users (id),
    recorded_at timestamptz not null
  )`,
  `create index welfare_step_entries_follow_up_idx on welfare_step_entries (follow_up_id, step, recorded_at)`,
]

const down = [
  'drop table welfare_step_entries',
  'drop table welfare_follow_ups',
  'drop table early_intervention_actions',
  'drop table early_intervention_flags',
  'drop table early_intervention_thresholds',
]

export const earlyInterventionWelfare = statements(up, down)
