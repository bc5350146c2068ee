import { statements } from './statements.js'

/**
 * Supervisor review of submitted reports, and referrals to Professional Standards.
 *
 * `report_reviews` holds one row per decision (a round): the version of the report it was made on, the checklist,
 * the rationale and, when returned, what the officer must correct. A report's current review state is its latest
 * round read against its current version (`src/features/review/review-state.ts`). Rounds are append-only, like the
 * audit ledger: a trigger refuses UPDATE, DELETE and TRUNCATE, so review history is never lost or overwritten.
 *
 * `referrals` has at most one row per report: made when a supervisor refers, or when Professional Standards open a
 * report the rules flag for mandatory referral. The complaint and conduct facts and the outcome are filled in
 * later; once an outcome is recorded the row is frozen (trigger), and a referral is never deleted.
 *
 * Which reports need review beyond the mandatory ones is a force setting: 'all', 'mandatory' (the default) or
 * 'sample' (a fixed percentage, drawn deterministically from the report id).
 */
const up = [
  `alter table force_settings
     add column review_policy text not null default 'mandatory' check (review_policy in ('all', 'mandatory', 'sample')),
     add column review_sample_percent smallint not null default 10 check (review_sample_percent between 1 and 100)`,
  `create table report_reviews (
    id uuid primary key default gen_random_uuid(),
    force_id uuid not null references forces (id),
    report_id uuid not null references reports (id),
    report_version integer not null,
    round smallint not null check (round >= 1),
    reviewer_user_id uuid not null references users (id),
    decision text not null check (decision in ('approved', 'returned', 'referred')),
    checklist jsonb not null,
    rationale text not null,
    corrections text,
    decided_at timestamptz not null,
    unique (report_id, round),
    foreign key (report_id, report_version) references report_versions (report_id, version),
    check ((decision = 'returned') = (corrections is not null))
  )`,
  `create index report_reviews_decided_idx on report_reviews (force_id, decided_at)`,
  `create function report_reviews_are_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'report_reviews is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
    end
  $$`,
  `create trigger report_reviews_no_update_or_delete before update or delete on report_reviews
    for each row execute function report_reviews_are_append_only()`,
  `create trigger report_reviews_no_truncate before truncate on report_reviews
    for each statement execute function report_reviews_are_append_only()`,
  `create table referrals (
    id uuid primary key default gen_random_uuid(),
    force_id uuid not null references forces (id),
    report_id uuid not null unique references reports (id),
    review_id uuid references report_reviews (id),
    referred_by_user_id uuid not null references users (id),
    referred_at timestamptz not null,
    reason text not null,
    complaint boolean not null default false,
    conduct_matter boolean not null default false,
    outcome text check (outcome in ('referred_to_iopc', 'handled_locally', 'no_further_action')),
    outcome_notes text,
    decided_on date,
    iopc_referred_on date,
    outcome_recorded_by_user_id uuid references users (id),
    outcome_recorded_at timestamptz,
    updated_at timestamptz not null,
    check ((outcome is null) = (decided_on is null)),
    check ((outcome is null) = (outcome_recorded_by_user_id is null)),
    check ((outcome is null) = (outcome_recorded_at is null)),
    check ((coalesce(outcome, '') = 'referred_to_iopc') = (iopc_referred_on is not null))
  )`,
  `create index referrals_force_idx on referrals (force_id, referred_at)`,
  `create function referral_is_frozen_once_decided() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        raise exception 'referrals are never deleted' using errcode = 'insufficient_privilege';
      end if;
      if old.outcome is not null then
        raise exception 'referral % has an outcome and cannot be changed', old.id using errcode = 'insufficient_privilege';
      end if;
      return new;
    end
  $$`,
  `create trigger referrals_frozen_once_decided before update or delete on referrals
    for each row execute function referral_is_frozen_once_decided()`,
]

const down = [
  'drop table referrals',
  'drop function referral_is_frozen_once_decided',
  'drop table report_reviews',
  'drop function report_reviews_are_append_only',
  'alter table force_settings drop column review_sample_percent, drop column review_policy',
]

export const reviews = statements(up, down)
