import { statements } from './statements.js'

/**
 * The dashboards' monthly rollup, kept exact as reports arrive and change.
 *
 * `dashboard_rollup` holds, per force, London month, reporting officer's unit, dimension and category, the counts the
 * dashboards show, and the same per force as a whole (`unit_id` = the force's id: see rollup.ts). It is derived data: a (force, month) *bucket* is always rebuilt whole from `reports` by the
 * application (`src/features/dashboards/rollup.ts`), never patched row by row, so it cannot drift.
 *
 * Statement-level triggers (one insert per statement, however many rows, from the transition tables) append a
 * *mark* for every bucket a statement touches: reports inserted, deleted or updated (old and new month), and the
 * reports of an incident or person whose details change (area, ethnicity, age, health). A dashboard read rebuilds
 * the marked buckets of its period first, then deletes exactly the marks it saw.
 *
 * Why this cannot lose a change, at READ COMMITTED: a rebuild, holding a per-bucket advisory lock, (1) reads the
 * bucket's marks, (2) rebuilds the bucket in a later statement, so with a later snapshot, and (3) deletes only the
 * marks it read in (1), by id. A mark read in (1) was committed before (1), so its reports are in the snapshot of
 * (2). A writer whose mark was not visible in (1) has not committed by then; its mark survives (3) because (3)
 * deletes by id, not "everything up to now", and the next read rebuilds the bucket again. Marks are appended, never
 * updated, so concurrent writers never wait on one another's mark (a counter upserted on one hot row per bucket would
 * make every submission in the current month queue behind the previous one's commit). The advisory lock stops two
 * rebuilds of one bucket interleaving their delete and insert. TRUNCATE of reports is not tracked.
 */
const up = [
  `create function dashboard_month(ts timestamptz) returns text language sql stable parallel safe
    as $$ select to_char(ts at time zone 'Europe/London', 'YYYY-MM') $$`,
  `create table dashboard_rollup (
    force_id uuid not null,
    month text not null,
    unit_id uuid,
    dimension text not null,
    category text not null,
    reports integer not null,
    ced_used integer not null,
    ced_discharged integer not null,
    officer_assaulted integer not null,
    assaulted_with_weapon integer not null,
    officer_injured integer not null,
    officer_injured_severe integer not null,
    subject_injured integer not null
  )`,
  // Rebuilds find a bucket by (force, month); reads a level (the whole force, or units) over a run of months.
  `create index dashboard_rollup_bucket_idx on dashboard_rollup (force_id, month)`,
  `create index dashboard_rollup_read_idx on dashboard_rollup (force_id, unit_id, month)`,
  `create table dashboard_rollup_marks (
    id bigint generated always as identity primary key,
    force_id uuid not null,
    month text not null
  )`,
  `create index dashboard_rollup_marks_bucket_idx on dashboard_rollup_marks (force_id, month)`,
  `create function dashboard_mark_reports() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        insert into dashboard_rollup_marks (force_id, month)
        select distinct force_id, dashboard_month(occurred_at) from new_rows order by 1, 2;
      elsif tg_op = 'DELETE' then
        insert into dashboard_rollup_marks (force_id, month)
        select distinct force_id, dashboard_month(occurred_at) from old_rows order by 1, 2;
      else
        insert into dashboard_rollup_marks (force_id, month)
        select force_id, dashboard_month(occurred_at) from new_rows
        union select force_id, dashboard_month(occurred_at) from old_rows order by 1, 2;
      end if;
      return null;
    end
  $$`,
  `create trigger reports_mark_dashboard_insert after insert on reports
    referencing new table as new_rows for each statement execute function dashboard_mark_reports()`,
  `create trigger reports_mark_dashboard_update after update on reports
    referencing old table as old_rows new table as new_rows for each statement execute function dashboard_mark_reports()`,
  `create trigger reports_mark_dashboard_delete after delete on reports
    referencing old table as old_rows for each statement execute function dashboard_mark_reports()`,
  // A person's or an incident's details are read through its reports. People are found through their incident,
  // which reports are indexed by (a superset: the incident's other people, in the same months anyway).
  `create function dashboard_mark_incident_reports() returns trigger language plpgsql as $$
    begin
      insert into dashboard_rollup_marks (force_id, month)
      select distinct r.force_id, dashboard_month(r.occurred_at) from reports r
      where r.incident_id in (select id from new_rows) order by 1, 2;
      return null;
    end
  $$`,
  `create function dashboard_mark_subject_reports() returns trigger language plpgsql as $$
    begin
      insert into dashboard_rollup_marks (force_id, month)
      select distinct r.force_id, dashboard_month(r.occurred_at) from reports r
      where r.incident_id in (select incident_id from new_rows) order by 1, 2;
      return null;
    end
  $$`,
  `create trigger incidents_mark_dashboard_update after update on incidents
    referencing new table as new_rows for each statement execute function dashboard_mark_incident_reports()`,
  `create trigger subjects_mark_dashboard_update after update on subjects
    referencing new table as new_rows for each statement execute function dashboard_mark_subject_reports()`,
  // Reports already recorded: every bucket starts marked, so the first read builds it.
  `insert into dashboard_rollup_marks (force_id, month)
    select distinct force_id, dashboard_month(occurred_at) from reports order by 1, 2`,
  // Which police force area's census population and workforce the force compares itself with, and which forces
  // are "similar" (empty: the nearest by population, see docs/dashboards.md).
  `create table dashboard_settings (
    force_id uuid primary key references forces (id),
    comparator_area text not null,
    similar_areas text[] not null default '{}',
    updated_at timestamptz not null,
    updated_by_user_id uuid references users (id)
  )`,
]

const down = [
  'drop table dashboard_settings',
  'drop trigger subjects_mark_dashboard_update on subjects',
  'drop trigger incidents_mark_dashboard_update on incidents',
  'drop function dashboard_mark_subject_reports',
  'drop function dashboard_mark_incident_reports',
  'drop trigger reports_mark_dashboard_delete on reports',
  'drop trigger reports_mark_dashboard_update on reports',
  'drop trigger reports_mark_dashboard_insert on reports',
  'drop function dashboard_mark_reports',
  'drop table dashboard_rollup_marks',
  'drop table dashboard_rollup',
  'drop function dashboard_month',
]

export const dashboardRollup = statements(up, down)
