import { statements } from './statements.js'

/**
 * Transparency publications: quarterly statistics a force publishes, each published version a frozen snapshot.
 *
 * - `publications`: one per force and period (a quarter), so revisions of a quarter share a page.
 * - `publication_drafts`: what an analyst prepared and previews; replaced by preparing again, removed on publishing.
 * - `publication_versions`: every published version with its tables after disclosure control, the method, the
 *   period, when the data were read, who published, the revision note and the cells that changed since the version
 *   before. Append-only: a correction is a new version, never an edit.
 * - `publication_files`: the downloads of each version (CSV, ODS, XLSX, JSON, record-level open data), written once at
 *   publishing so the public pages serve bytes and never count again. Append-only too.
 */
const appendOnly = (table: string) => [
  `create function ${table}_are_append_only() returns trigger language plpgsql as $$
    begin
      raise exception '${table} is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
    end
  $$`,
  `create trigger ${table}_no_update_or_delete before update or delete on ${table}
    for each row execute function ${table}_are_append_only()`,
]

const month = (column: string) => `${column} text not null check (${column} ~ '^[0-9]{4}-(0[1-9]|1[0-2])$')`

const up = [
  `create table publications (
    id uuid primary key default gen_random_uuid(),
    force_id uuid not null references forces (id),
    ${month('period_from')},
    ${month('period_to')},
    created_at timestamptz not null,
    check (period_to >= period_from),
    unique (force_id, period_from, period_to)
  )`,
  `create table publication_drafts (
    publication_id uuid primary key references publications (id),
    method jsonb not null,
    tables jsonb not null,
    open_data_csv text not null,
    data_as_at timestamptz not null,
    prepared_by_user_id uuid references users (id),
    prepared_at timestamptz not null
  )`,
  `create table publication_versions (
    publication_id uuid not null references publications (id),
    version integer not null check (version >= 1),
    method jsonb not null,
    method_statement text not null,
    tables jsonb not null,
    data_as_at timestamptz not null,
    published_by_user_id uuid references users (id),
    published_at timestamptz not null,
    revision_note text check (length(revision_note) <= 2000),
    changes jsonb not null,
    primary key (publication_id, version),
    check ((version = 1) = (revision_note is null))
  )`,
  `create index publication_versions_published_idx on publication_versions (published_at desc)`,
  ...appendOnly('publication_versions'),
  `create table publication_files (
    publication_id uuid not null,
    version integer not null,
    name text not null check (name ~ '^[a-z0-9-]+[.][a-z]+$'),
    media_type text not null,
    bytes bytea not null,
    sha256 text not null,
    primary key (publication_id, version, name),
    foreign key (publication_id, version) references publication_versions (publication_id, version)
  )`,
  ...appendOnly('publication_files'),
]

const down = [
  'drop table publication_files',
  'drop function publication_files_are_append_only',
  'drop table publication_versions',
  'drop function publication_versions_are_append_only',
  'drop table publication_drafts',
  'drop table publications',
]

export const publications = statements(up, down)
