import { statements } from './statements.js'

/**
 * External scrutiny panels: panels and their members, samples drawn for a panel (with the seed, the strata and the
 * candidate list, so anyone can draw them again), the sampled cases with their pack-local case numbers, the
 * force-side release of each free-text field, and the panel's finding on each case.
 *
 * A sample keeps its candidates (report id and stratum, sorted) as jsonb: re-drawing from them proves the draw;
 * comparing them with the records today shows whether anything changed since (an amendment can move a report
 * between strata). Samples, cases and findings are never deleted; a finding is revised in place, with every
 * version in the audit ledger.
 */
const up = [
  `create table scrutiny_panels (
    id uuid primary key default gen_random_uuid(),
    force_id uuid not null references forces (id),
    name text not null check (length(name) between 1 and 120),
    created_at timestamptz not null default now(),
    unique (force_id, name)
  )`,
  `create table scrutiny_panel_members (
    panel_id uuid not null references scrutiny_panels (id),
    user_id uuid not null references users (id),
    added_at timestamptz not null,
    primary key (panel_id, user_id)
  )`,
  `create index scrutiny_panel_members_user_idx on scrutiny_panel_members (user_id)`,
  `create table scrutiny_samples (
    id uuid primary key default gen_random_uuid(),
    force_id uuid not null references forces (id),
    panel_id uuid not null references scrutiny_panels (id),
    period_from date not null,
    period_to date not null,
    meeting_on date,
    seed text not null check (length(seed) between 1 and 200),
    algorithm text not null,
    strata jsonb not null,
    candidates jsonb not null,
    fingerprint text not null,
    drawn_by_user_id uuid references users (id),
    drawn_at timestamptz not null,
    check (period_to >= period_from)
  )`,
  `create index scrutiny_samples_panel_idx on scrutiny_samples (panel_id, drawn_at)`,
  `create table scrutiny_cases (
    id uuid primary key default gen_random_uuid(),
    sample_id uuid not null references scrutiny_samples (id),
    case_number integer not null check (case_number >= 1),
    report_id uuid not null references reports (id),
    stratum text not null,
    position integer not null,
    unique (sample_id, case_number),
    unique (sample_id, report_id)
  )`,
  `create index scrutiny_cases_report_idx on scrutiny_cases (report_id)`,
  `create table scrutiny_releases (
    case_id uuid not null references scrutiny_cases (id),
    field text not null check (field in ('justification', 'de_escalation', 'injury_nature')),
    redacted_text text check (length(redacted_text) <= 10000),
    released_by_user_id uuid references users (id),
    released_at timestamptz not null,
    primary key (case_id, field)
  )`,
  `create table scrutiny_findings (
    case_id uuid primary key references scrutiny_cases (id),
    finding text not null check (finding in ('appropriate', 'some_concerns', 'inappropriate')),
    themes text[] not null default '{}',
    comments text not null default '' check (length(comments) <= 5000),
    feedback text not null default '' check (length(feedback) <= 5000),
    recorded_by_user_id uuid references users (id),
    recorded_at timestamptz not null
  )`,
]

const down = [
  'drop table scrutiny_findings',
  'drop table scrutiny_releases',
  'drop table scrutiny_cases',
  'drop table scrutiny_samples',
  'drop table scrutiny_panel_members',
  'drop table scrutiny_panels',
]

export const scrutiny = statements(up, down)
