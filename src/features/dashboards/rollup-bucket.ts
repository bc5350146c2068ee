import { sql, type RawBuilder } from 'kysely'
import { cedDischarged, cedUsed } from '../../db/ced-counts.js'
import { londonMonthEnd, londonMonthStart } from '../../db/london-time.js'
import { reportFlagSql } from '../../db/report-flags.js'

/** The Taser-level category of a CED use recorded with no level (the Home Office's "Not stated"). */
export const CED_NOT_STATED = 'not_stated'

/** The dashboards' rollup table, emptied when the code that builds it changes. */
export const dashboardRollupTables = ['dashboard_rollup'] as const

/**
 * The statements that rebuild one (force, month) bucket of the dashboards' rollup (migration
 * 2026-11-22-11-dashboard-rollup), inside the caller's transaction, which holds the bucket's lock
 * (src/features/rollups/). Two levels, by one GROUPING SETS scan: a row per unit (`unit_id` the reporting officer's
 * unit, or null when none was recorded) and a row for the whole force, whose `unit_id` is the force's own id (never
 * an org unit's).
 */
export function dashboardBucketStatements(forceId: string, month: string): RawBuilder<unknown>[] {
  return [
    sql`delete from dashboard_rollup where force_id = ${forceId} and month = ${month}`,
    sql`
    insert into dashboard_rollup (force_id, month, unit_id, dimension, category, reports, ced_used,
      ced_discharged, officer_assaulted, assaulted_with_weapon, officer_injured, officer_injured_severe,
      subject_injured)
    select ${forceId}, ${month}, case when grouping(b.unit_id) = 1 then ${forceId}::uuid else b.unit_id end,
      d.dimension, d.category, count(*),
      count(*) filter (where b.ced_used), count(*) filter (where b.ced_discharged),
      count(*) filter (where b.officer_assaulted), count(*) filter (where b.assaulted_with_weapon),
      count(*) filter (where b.officer_injured), count(*) filter (where b.officer_injured_severe),
      count(*) filter (where b.subject_injured)
    from (
      select r.officer_unit_id as unit_id,
        case when ${cedUsed('r')} then coalesce(r.ced_highest_level, ${sql.lit(CED_NOT_STATED)}) end as ced_level,
        s.perceived_ethnicity, s.age_band, s.health_condition, s.gender, i.area,
        ${cedUsed('r')} as ced_used,
        ${cedDischarged('r')} as ced_discharged,
        ${reportFlagSql.officerAssaulted('r')} as officer_assaulted,
        r.assaulted_with_weapon,
        ${reportFlagSql.officerInjured('r')} as officer_injured,
        (${reportFlagSql.officerInjured('r')} and r.officer_injury_level = 'severe') as officer_injured_severe,
        ${reportFlagSql.subjectInjured('r')} as subject_injured
      from reports r
      join subjects s on s.id = r.subject_id
      join incidents i on i.id = r.incident_id
      where r.force_id = ${forceId} and r.occurred_at >= ${londonMonthStart(month)}
        and r.occurred_at < ${londonMonthEnd(month)}
    ) b
    cross join lateral (values ('all', ''), ('ced_level', b.ced_level),
      ('ethnicity', b.perceived_ethnicity), ('age_band', b.age_band), ('health', b.health_condition),
      ('gender', b.gender), ('area', b.area)) as d (dimension, category)
    where d.category is not null
    group by grouping sets ((b.unit_id, d.dimension, d.category), (d.dimension, d.category))`,
  ]
}
