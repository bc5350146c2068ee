import { statements } from './statements.js'

/**
 * The statistics engine's monthly rollup, beside the dashboards' (migration 2026-11-22-11-dashboard-rollup explains
 * why a marked bucket, rebuilt whole, stays exact). Both rollups are rebuilt together from one set of marks, so the
 * marks table and its trigger functions lose the dashboards' prefix; the triggers on reports, incidents and subjects
 * are unchanged (they call the functions by oid).
 *
 * Per (force, London month) bucket:
 * - `statistics_rollup_cells`: per reporting officer's unit (and the whole force, `unit_id` = the force's id) and
 *   tactic row of the Home Office tables, the reports matching the row, and in `cells` the same per column of every
 *   breakdown (age band, reason…), in the order the application's layout gives.
 * - `statistics_rollup_people`: reports, distinct incidents and distinct people per area: the whole force ('*'),
 *   each basic command unit, and 'other'. A report's month is its incident's, so an incident's reports share a
 *   bucket and these add up across months.
 * - `statistics_rollup_injuries`: reports per officer and subject injury category.
 *
 * Which BCU a unit belongs to is read when a bucket is built, so a change to the unit tree marks the force's buckets.
 * `rollup_layout` holds a signature of the statements that built both rollups: when the code's differs, the
 * application empties them and rebuilds every bucket (src/features/rollups/), so a changed rule cannot leave old
 * counts behind. It starts empty, so the first read after this migration rebuilds everything.
 */
/**
 * The bodies of the three marking functions (migration 11's) for a marks table and month function, as names:
 * renamed tables are not followed inside PL/pgSQL, so up and down each write them again with their own names.
 */
function markFunctions(marks: string, month: string): string[] {
  return [
    `create or replace function rollup_mark_reports() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        insert into ${marks} (force_id, month)
        select distinct force_id, ${month}(occurred_at) from new_rows order by 1, 2;
      elsif tg_op = 'DELETE' then
        insert into ${marks} (force_id, month)
        select distinct force_id, ${month}(occurred_at) from old_rows order by 1, 2;
      else
        insert into ${marks} (force_id, month)
        select force_id, ${month}(occurred_at) from new_rows
        union select force_id, ${month}(occurred_at) from old_rows order by 1, 2;
      end if;
      return null;
    end
  $$`,
    `create or replace function rollup_mark_incident_reports() returns trigger language plpgsql as $$
    begin
      insert into ${marks} (force_id, month)
      select distinct r.force_id, ${month}(r.occurred_at) from reports r
      where r.incident_id in (select id from new_rows) order by 1, 2;
      return null;
    end
  $$`,
    `create or replace function rollup_mark_subject_reports() returns trigger language plpgsql as $$
    begin
      insert into ${marks} (force_id, month)
      select distinct r.force_id, ${month}(r.occurred_at) from reports r
      where r.incident_id in (select incident_id from new_rows) order by 1, 2;
      return null;
    end
  $$`,
  ]
}

const up = [
  'alter table dashboard_rollup_marks rename to rollup_marks',
  'alter index dashboard_rollup_marks_bucket_idx rename to rollup_marks_bucket_idx',
  'alter function dashboard_month(timestamptz) rename to london_month',
  'alter function dashboard_mark_reports() rename to rollup_mark_reports',
  'alter function dashboard_mark_incident_reports() rename to rollup_mark_incident_reports',
  'alter function dashboard_mark_subject_reports() rename to rollup_mark_subject_reports',
  ...markFunctions('rollup_marks', 'london_month'),
  `create table statistics_rollup_cells (
    force_id uuid not null,
    month text not null,
    unit_id uuid,
    row_key text not null,
    reports integer not null,
    cells integer[] not null
  )`,
  `create index statistics_rollup_cells_bucket_idx on statistics_rollup_cells (force_id, month)`,
  // A national read sums the whole-force rows of a run of months.
  `create index statistics_rollup_cells_national_idx on statistics_rollup_cells (month) where unit_id = force_id`,
  `create table statistics_rollup_people (
    force_id uuid not null,
    month text not null,
    area text not null,
    reports integer not null,
    incidents integer not null,
    people integer not null
  )`,
  `create index statistics_rollup_people_bucket_idx on statistics_rollup_people (force_id, month)`,
  `create table statistics_rollup_injuries (
    force_id uuid not null,
    month text not null,
    officer text not null,
    subject text not null,
    reports integer not null
  )`,
  `create index statistics_rollup_injuries_bucket_idx on statistics_rollup_injuries (force_id, month)`,
  `create index statistics_rollup_injuries_month_idx on statistics_rollup_injuries (month)`,
  `create table rollup_layout (signature text not null)`,
  // A unit moved, added, removed or made a BCU changes the "by BCU" counts of every built bucket of its force.
  `create function rollup_mark_force_buckets() returns trigger language plpgsql as $$
    begin
      insert into rollup_marks (force_id, month)
      select distinct p.force_id, p.month from statistics_rollup_people p
      where p.force_id in (select force_id from changed_units) order by 1, 2;
      return null;
    end
  $$`,
  `create trigger org_units_mark_rollup_insert after insert on org_units
    referencing new table as changed_units for each statement execute function rollup_mark_force_buckets()`,
  `create trigger org_units_mark_rollup_update after update on org_units
    referencing new table as changed_units for each statement execute function rollup_mark_force_buckets()`,
  `create trigger org_units_mark_rollup_delete after delete on org_units
    referencing old table as changed_units for each statement execute function rollup_mark_force_buckets()`,
]

const down = [
  'drop trigger org_units_mark_rollup_delete on org_units',
  'drop trigger org_units_mark_rollup_update on org_units',
  'drop trigger org_units_mark_rollup_insert on org_units',
  'drop function rollup_mark_force_buckets()',
  'drop table rollup_layout',
  'drop table statistics_rollup_injuries',
  'drop table statistics_rollup_people',
  'drop table statistics_rollup_cells',
  ...markFunctions('dashboard_rollup_marks', 'dashboard_month'),
  'alter function rollup_mark_subject_reports() rename to dashboard_mark_subject_reports',
  'alter function rollup_mark_incident_reports() rename to dashboard_mark_incident_reports',
  'alter function rollup_mark_reports() rename to dashboard_mark_reports',
  'alter function london_month(timestamptz) rename to dashboard_month',
  'alter index rollup_marks_bucket_idx rename to dashboard_rollup_marks_bucket_idx',
  'alter table rollup_marks rename to dashboard_rollup_marks',
]

export const statisticsRollup = statements(up, down)
