import { statements } from './statements.js'

/**
 * National comparators: published Home Office, workforce and census figures, imported from their files. National
 * reference data, so no force_id. Each import records the file's name and sha-256 (unique, so importing the same
 * file twice does nothing) and the checks run on it; its figures are kept in one long table. A later edition of a
 * figure (a revision) is a row of a later import, never an overwrite.
 */
const up = [
  `create table comparator_imports (
    id uuid primary key default gen_random_uuid(),
    file_name text not null,
    sha256 text not null unique check (sha256 ~ '^[0-9a-f]{64}$'),
    source text not null,
    title text not null,
    published_on date,
    checks jsonb not null,
    notes jsonb not null,
    figure_count integer not null,
    imported_at timestamptz not null,
    imported_by text not null
  )`,
  `create table comparator_figures (
    import_id uuid not null references comparator_imports (id),
    measure text not null,
    period_start date not null,
    period_end date not null check (period_end >= period_start),
    area_kind text not null check (area_kind in ('force', 'region', 'national')),
    area text not null,
    category text not null,
    value numeric check (value >= 0),
    revised boolean not null,
    primary key (import_id, measure, period_start, period_end, area_kind, area, category)
  )`,
  `create index comparator_figures_lookup_idx on comparator_figures (measure, period_start, period_end, area)`,
]

const down = [`drop table comparator_figures`, `drop table comparator_imports`]

export const comparators = statements(up, down)
