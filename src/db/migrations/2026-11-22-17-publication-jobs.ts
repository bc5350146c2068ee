import { statements } from './statements.js'

/**
 * Preparing a publication as a job (src/features/transparency/preparation-jobs.ts, docs/transparency.md).
 *
 * - `publication_jobs`: one row per request to prepare a quarter, with its status (queued, running, ready, failed),
 *   when it was asked for, started and finished, how many times it was tried and, when it failed, why. At most one
 *   job per quarter is waiting or running, so asking twice prepares once. A running job whose `started_at` is long
 *   past belongs to a server that stopped: it is taken again.
 * - `publication_draft_files`: the downloads of a draft, written while it is prepared, so that publishing copies
 *   them into `publication_files` rather than writing them in the request. They go with their draft. Drafts made
 *   before this migration have no files, so they are removed: a draft is only ever a preview, and preparing the
 *   quarter again makes it afresh.
 */
const up = [
  `create table publication_jobs (
    id uuid primary key default gen_random_uuid(),
    force_id uuid not null references forces (id),
    period_from text not null check (period_from ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    period_to text not null check (period_to ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    method jsonb not null,
    requested_by_user_id uuid references users (id),
    requested_at timestamptz not null,
    status text not null check (status in ('queued', 'running', 'ready', 'failed')),
    attempts integer not null default 0,
    started_at timestamptz,
    finished_at timestamptz,
    error text,
    publication_id uuid references publications (id),
    check ((status = 'failed') = (error is not null))
  )`,
  `create unique index publication_jobs_one_active_idx on publication_jobs (force_id, period_from, period_to)
    where status in ('queued', 'running')`,
  `create index publication_jobs_force_idx on publication_jobs (force_id, requested_at desc)`,
  `create table publication_draft_files (
    publication_id uuid not null references publication_drafts (publication_id) on delete cascade,
    name text not null check (name ~ '^[a-z0-9-]+[.][a-z]+$'),
    media_type text not null,
    bytes bytea not null,
    sha256 text not null,
    primary key (publication_id, name)
  )`,
  `delete from publication_drafts`,
]

const down = ['drop table publication_draft_files', 'drop table publication_jobs']

export const publicationJobs = statements(up, down)
