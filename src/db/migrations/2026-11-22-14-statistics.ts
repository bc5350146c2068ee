import { statements } from './statements.js'

/**
 * The statistics' copy of each report: one narrow row per report with the answers the Home Office tables count,
 * the person's perceived characteristics and the incident's locations beside the report's own, so the counting
 * engine (src/features/statistics/engine.ts) reads one table and joins nothing. A projection, not a summary: it is
 * exact by construction. Statement-level triggers keep it in step in the same transaction as every write: reports
 * inserted or amended (upsert), people and incidents changed (their columns copied to their reports), reports
 * deleted (cascade). `up` fills it from the reports already stored.
 */
const columns = `report_id, force_id, unit_id, incident_id, subject_id, occurred_at, tactic_mask, ced_level,
  age_band, gender, ethnicity, health, reason_mask, impact_mask, outcome_mask, location_mask,
  officer_injured, intentional_assault, officer_injury_level, subject_injured, subject_injury_level`

const selectFrom = (reports: string) => `
  select r.id, r.force_id, r.officer_unit_id, r.incident_id, r.subject_id, r.occurred_at, r.tactic_mask,
    r.ced_highest_level, s.age_band, s.gender, s.perceived_ethnicity, s.health_condition, r.reason_mask,
    r.impact_mask, r.outcome_mask, i.location_mask, r.officer_injured, r.intentional_assault,
    r.officer_injury_level, r.subject_injured, r.subject_injury_level
  from ${reports} r join subjects s on s.id = r.subject_id join incidents i on i.id = r.incident_id`

const up = [
  `create table report_statistics (
    report_id uuid primary key references reports (id) on delete cascade,
    force_id uuid not null,
    unit_id uuid,
    incident_id uuid not null,
    subject_id uuid not null,
    occurred_at timestamptz not null,
    tactic_mask integer not null,
    ced_level text,
    age_band text not null,
    gender text not null,
    ethnicity text not null,
    health text not null,
    reason_mask integer not null,
    impact_mask integer not null,
    outcome_mask integer not null,
    location_mask integer not null,
    officer_injured text not null,
    intentional_assault text not null,
    officer_injury_level text,
    subject_injured text not null,
    subject_injury_level text
  )`,
  `insert into report_statistics (${columns}) ${selectFrom('reports')}`,
  `create index report_statistics_period_idx on report_statistics (occurred_at)`,
  `create index report_statistics_force_idx on report_statistics (force_id, occurred_at)`,
  `create index report_statistics_subject_idx on report_statistics (subject_id)`,
  `create index report_statistics_incident_idx on report_statistics (incident_id)`,
  `create function report_statistics_upsert() returns trigger language plpgsql as $$
  begin
    insert into report_statistics (${columns}) ${selectFrom('changed_reports')}
    on conflict (report_id) do update set
      force_id = excluded.force_id, unit_id = excluded.unit_id, incident_id = excluded.incident_id,
      subject_id = excluded.subject_id, occurred_at = excluded.occurred_at, tactic_mask = excluded.tactic_mask,
      ced_level = excluded.ced_level, age_band = excluded.age_band, gender = excluded.gender,
      ethnicity = excluded.ethnicity, health = excluded.health, reason_mask = excluded.reason_mask,
      impact_mask = excluded.impact_mask, outcome_mask = excluded.outcome_mask,
      location_mask = excluded.location_mask, officer_injured = excluded.officer_injured,
      intentional_assault = excluded.intentional_assault, officer_injury_level = excluded.officer_injury_level,
      subject_injured = excluded.subject_injured, subject_injury_level = excluded.subject_injury_level;
    return null;
  end $$`,
  `create trigger report_statistics_inserted after insert on reports
    referencing new table as changed_reports for each statement execute function report_statistics_upsert()`,
  `create trigger report_statistics_updated after update on reports
    referencing new table as changed_reports for each statement execute function report_statistics_upsert()`,
  `create function report_statistics_subjects() returns trigger language plpgsql as $$
  begin
    update report_statistics f
    set age_band = s.age_band, gender = s.gender, ethnicity = s.perceived_ethnicity, health = s.health_condition
    from changed_subjects s
    where f.subject_id = s.id
      and (f.age_band, f.gender, f.ethnicity, f.health)
        is distinct from (s.age_band, s.gender, s.perceived_ethnicity, s.health_condition);
    return null;
  end $$`,
  `create trigger report_statistics_subjects after update on subjects
    referencing new table as changed_subjects for each statement execute function report_statistics_subjects()`,
  `create function report_statistics_incidents() returns trigger language plpgsql as $$
  begin
    update report_statistics f set location_mask = i.location_mask
    from changed_incidents i
    where f.incident_id = i.id and f.location_mask <> i.location_mask;
    return null;
  end $$`,
  `create trigger report_statistics_incidents after update on incidents
    referencing new table as changed_incidents for each statement execute function report_statistics_incidents()`,
]

const down = [
  'drop trigger report_statistics_incidents on incidents',
  'drop function report_statistics_incidents()',
  'drop trigger report_statistics_subjects on subjects',
  'drop function report_statistics_subjects()',
  'drop trigger report_statistics_updated on reports',
  'drop trigger report_statistics_inserted on reports',
  'drop function report_statistics_upsert()',
  'drop table report_statistics',
]

export const statistics = statements(up, down)
