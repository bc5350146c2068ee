import { sql, type RawBuilder } from 'kysely'
import { londonMonthEnd, londonMonthStart } from '../../db/london-time.js'
import type { Period } from '../../domain/statistics/period.js'
import {
  cellCount,
  injuryCounts,
  peopleCounts,
  tacticCells,
  type InjuryRow,
  type PeopleRow,
  type TacticCellRow,
} from './counting.js'

/**
 * The statistics' monthly rollup (migration 2026-11-22-18-statistics-rollup): the counting engine's answers for
 * each force and London month, kept so a year's table set sums a few thousand rows rather than counting a million
 * reports. A bucket is built by the very statements the engine runs over a period (counting.ts), restricted to one
 * force's month, and rebuilt whole whenever a trigger marks it (src/features/rollups/), so it cannot drift.
 */

const bucketFilter = (forceId: string, month: string) =>
  sql<boolean>`(f.force_id = ${forceId} and f.occurred_at >= ${londonMonthStart(month)}
    and f.occurred_at < ${londonMonthEnd(month)})`

/** The statistics rollup's tables, emptied when the code that builds them changes. */
export const statisticsRollupTables = [
  'statistics_rollup_cells',
  'statistics_rollup_people',
  'statistics_rollup_injuries',
] as const

/**
 * The statements that rebuild one bucket, in order, inside the caller's transaction (which holds the bucket's lock,
 * src/features/rollups/): the old rows out, then the counts of the force's month in.
 */
export function statisticsBucketStatements(forceId: string, month: string): RawBuilder<unknown>[] {
  const filter = bucketFilter(forceId, month)
  // Per unit ('' when none was recorded) and, with grp null, for the whole force, stored under the force's own id.
  const cells = tacticCells(filter, sql`coalesce(f.unit_id::text, '')`, { withTotal: true })
  return [
    ...statisticsRollupTables.map(
      (table) => sql`delete from ${sql.table(table)} where force_id = ${forceId} and month = ${month}`,
    ),
    sql`insert into statistics_rollup_cells (force_id, month, unit_id, row_key, reports, cells)
      select ${forceId}, ${month}, case when t.grp is null then ${forceId}::uuid else nullif(t.grp, '')::uuid end,
        t.row_key, t.n::integer, t.cells::integer[]
      from (${cells}) t`,
    sql`insert into statistics_rollup_people (force_id, month, area, reports, incidents, people)
      select ${forceId}, ${month}, p.area, p.reports::integer, p.incidents::integer, p.people::integer
      from (${peopleCounts(filter, forceId)}) p`,
    sql`insert into statistics_rollup_injuries (force_id, month, officer, subject, reports)
      select ${forceId}, ${month}, i.officer, i.subject, i.n::integer from (${injuryCounts(filter)}) i`,
  ]
}

/** Whose rollup rows: every force's whole-force rows, or one force's per-unit rows. */
export type RollupReadScope = { kind: 'national' } | { kind: 'force'; forceId: string }

const inPeriod = (period: Period) => sql`month >= ${period.from} and month <= ${period.to}`

/** `tacticCells` for the period, summed from the rollup: grouped by force nationally, else by unit of the force. */
export function rollupTacticCells(scope: RollupReadScope, period: Period): RawBuilder<TacticCellRow> {
  const sums = sql.join(Array.from({ length: cellCount }, (_, i) => sql`sum(cells[${sql.lit(i + 1)}])`))
  const [grp, where] =
    scope.kind === 'national'
      ? [sql`force_id::text`, sql`unit_id = force_id`]
      : [sql`coalesce(unit_id::text, '')`, sql`force_id = ${scope.forceId} and unit_id is distinct from force_id`]
  return sql<TacticCellRow>`
    select ${grp} as grp, row_key, sum(reports) as n, array[${sums}]::text[] as cells
    from statistics_rollup_cells where ${where} and ${inPeriod(period)}
    group by 1, 2`
}

/** `peopleCounts` for the period, summed from the rollup (an incident's reports share its month). */
export function rollupPeopleCounts(scope: RollupReadScope, period: Period): RawBuilder<PeopleRow> {
  const [area, where] =
    scope.kind === 'national' ? [sql`force_id::text`, sql`area = '*'`] : [sql`area`, sql`force_id = ${scope.forceId}`]
  return sql<PeopleRow>`
    select ${area} as area, sum(reports) as reports, sum(incidents) as incidents, sum(people) as people
    from statistics_rollup_people where ${where} and ${inPeriod(period)}
    group by 1`
}

/** `injuryCounts` for the period, summed from the rollup. */
export function rollupInjuryCounts(scope: RollupReadScope, period: Period): RawBuilder<InjuryRow> {
  const where = scope.kind === 'national' ? sql`true` : sql`force_id = ${scope.forceId}`
  return sql<InjuryRow>`
    select officer, subject, sum(reports) as n
    from statistics_rollup_injuries where ${where} and ${inPeriod(period)}
    group by 1, 2`
}
