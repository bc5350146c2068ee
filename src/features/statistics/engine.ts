import { sql, type RawBuilder } from 'kysely'
import type { Db } from '../../db/database.js'
import { londonMonthEnd, londonMonthStart } from '../../db/london-time.js'
import type { Period } from '../../domain/statistics/period.js'
import { subtreeOf } from '../../db/scope.js'
import { refreshRollups } from '../rollups/rollups.js'
import {
  areaOfUnit,
  columnPosition,
  injuryCounts,
  peopleCounts,
  tacticCells,
  type InjuryRow,
  type PeopleRow,
  type TacticCellRow,
} from './counting.js'
import { rollupInjuryCounts, rollupPeopleCounts, rollupTacticCells, type RollupReadScope } from './rollup.js'

/**
 * The counting engine: the Home Office table set's counts for a scope and period. The rules themselves are SQL in
 * counting.ts, in one place; this decides where they run and assembles their answers.
 *
 * A whole force's or the nation's figures are summed from the monthly rollup (rollup.ts: the same statements, run per
 * force and month and kept, rebuilt whenever a report in that month changes), after rebuilding the period's marked
 * months. A unit's figures are counted from its reports directly (the `report_statistics` view of them):
 * its distinct incidents and people cannot be summed from per-unit figures, and a unit's reports are few.
 */

/** Whose reports: every force in the database (a national instance), or one force, optionally one unit and below. */
export type StatisticsScope = { kind: 'national' } | { kind: 'force'; forceId: string; unitId?: string | null }

export interface EngineQuery {
  scope: StatisticsScope
  period: Period
}

/** An area of the "by police force" tables: a force (national scope) or a basic command unit (one force). */
export interface Area {
  key: string
  label: string
}

export interface EngineCounts {
  /** Areas are forces (every force in the database), not basic command units. */
  national: boolean
  /** What the scope is called: 'All forces', the force's name, or the unit's. */
  scopeLabel: string
  /** The areas in display order: forces; or the BCUs, then 'other' (departments and reports with no unit). */
  areas: Area[]
  /**
   * Reports matching a tactic row (any row of ho-tables.ts) in one area (null: the whole scope), all of them or only
   * those in one column of a breakdown (e.g. 'age', 'age_11_17').
   */
  reports(area: string | null, rowKey: string, column?: { dimension: string; key: string }): number
  /** Reports, distinct incidents and distinct people per area. */
  areaTotals: ReadonlyMap<string, { reports: number; incidents: number; people: number }>
  /** Reports per 'officer injured|intentional assault|injury level' and per 'subject injured|injury level'. */
  officerInjuries: ReadonlyMap<string, number>
  subjectInjuries: ReadonlyMap<string, number>
}

/** The reports of the scope and period, as a condition on `f` (the report_statistics view). */
function reportFilter({ scope, period }: EngineQuery): RawBuilder<boolean> {
  const conditions: RawBuilder<unknown>[] = [
    sql`f.occurred_at >= ${londonMonthStart(period.from)}`,
    sql`f.occurred_at < ${londonMonthEnd(period.to)}`,
  ]
  if (scope.kind === 'force') {
    conditions.push(sql`f.force_id = ${scope.forceId}`)
    if (scope.unitId) conditions.push(sql`f.unit_id in ${subtreeOf(scope.unitId)}`)
  }
  return sql<boolean>`(${sql.join(conditions, sql` and `)})`
}

/**
 * Where the counts come from: the rollup for a whole force or the nation; the reports themselves for a unit (or when
 * asked: the rollup's tests compare the two for whole forces).
 */
export type CountSource = 'rollup' | 'records'

async function counts(
  db: Db,
  query: EngineQuery,
  source: CountSource,
): Promise<[TacticCellRow[], PeopleRow[], InjuryRow[]]> {
  const { scope, period } = query
  if (source === 'records') {
    if (scope.kind === 'national') throw new Error('National figures are only counted from the rollup')
    const filter = reportFilter(query)
    return Promise.all([
      tacticCells(filter, sql`coalesce(f.unit_id::text, '')`).execute(db),
      peopleCounts(filter, scope.forceId).execute(db),
      injuryCounts(filter).execute(db),
    ]).then(([cells, people, injuries]) => [cells.rows, people.rows, injuries.rows])
  }
  if (scope.kind === 'force' && scope.unitId) throw new Error("A unit's figures are only counted from the records")
  await refreshRollups(db, scope.kind === 'force' ? scope.forceId : null, period)
  const read: RollupReadScope = scope.kind === 'force' ? { kind: 'force', forceId: scope.forceId } : scope
  return Promise.all([
    rollupTacticCells(read, period).execute(db),
    rollupPeopleCounts(read, period).execute(db),
    rollupInjuryCounts(read, period).execute(db),
  ]).then(([cells, people, injuries]) => [cells.rows, people.rows, injuries.rows])
}

/**
 * The area of each group the counts come in: nationally a group is a force, its own area; within a force it is a
 * unit ('' for none), whose area is the basic command unit above it, or 'other'.
 */
async function areaOfGroup(db: Db, scope: StatisticsScope): Promise<(group: string) => string> {
  if (scope.kind === 'national') return (group) => group
  const { rows } = await sql<{ id: string; area: string }>`
    select o.id::text as id, ${areaOfUnit(sql`o.id`)} as area
    from org_units o where o.force_id = ${scope.forceId}`.execute(db)
  const areas = new Map(rows.map((row) => [row.id, row.area]))
  return (group) => areas.get(group) ?? 'other'
}

/** The counts every table of the set is built from. */
export async function countReports(
  db: Db,
  query: EngineQuery,
  source: CountSource = query.scope.kind === 'force' && query.scope.unitId ? 'records' : 'rollup',
): Promise<EngineCounts> {
  const { scope } = query
  const [[cellRows, totalRows, injuryRows], areaOf, { scopeLabel, areas }] = await Promise.all([
    counts(db, query, source),
    areaOfGroup(db, scope),
    areasOf(db, scope),
  ])

  // Per area (and for the whole scope), per tactic row: [reports, then each breakdown column's].
  const byArea = new Map<string, Map<string, number[]>>()
  const scopeWide = new Map<string, number[]>()
  const add = (into: Map<string, number[]>, rowKey: string, values: number[]) => {
    const sum = into.get(rowKey)
    into.set(rowKey, sum ? sum.map((v, i) => v + (values[i] ?? 0)) : values)
  }
  for (const row of cellRows) {
    const values = [Number(row.n), ...row.cells.map(Number)]
    const area = areaOf(row.grp ?? '')
    const rows = byArea.get(area) ?? new Map<string, number[]>()
    byArea.set(area, rows)
    add(rows, row.row_key, values)
    add(scopeWide, row.row_key, values)
  }
  const reports: EngineCounts['reports'] = (areaKey, rowKey, column) => {
    const values = (areaKey === null ? scopeWide : byArea.get(areaKey))?.get(rowKey)
    if (!values) return 0
    if (!column) return values[0] ?? 0
    return values[columnPosition(column.dimension, column.key) + 1] ?? 0
  }
  const counted = new Map(
    totalRows.map((row) => [
      row.area,
      { reports: Number(row.reports), incidents: Number(row.incidents), people: Number(row.people) },
    ]),
  )
  const officerInjuries = new Map<string, number>()
  const subjectInjuries = new Map<string, number>()
  for (const row of injuryRows) {
    officerInjuries.set(row.officer, (officerInjuries.get(row.officer) ?? 0) + Number(row.n))
    subjectInjuries.set(row.subject, (subjectInjuries.get(row.subject) ?? 0) + Number(row.n))
  }
  return {
    national: scope.kind === 'national',
    scopeLabel,
    // Every force is listed nationally, with or without reports; within a force, 'other' only when it has reports.
    areas: areas.filter((a) => a.key !== 'other' || counted.has('other')),
    reports,
    areaTotals: counted,
    officerInjuries,
    subjectInjuries,
  }
}

/** The areas of the scope: every force nationally; within a force, its BCUs (within the unit filter) and 'other'. */
async function areasOf(db: Db, scope: StatisticsScope): Promise<{ scopeLabel: string; areas: Area[] }> {
  if (scope.kind === 'national') {
    const forces = await db.selectFrom('forces').select(['id', 'name']).orderBy('name').execute()
    return { scopeLabel: 'all forces', areas: forces.map((f) => ({ key: f.id, label: f.name })) }
  }
  const named = scope.unitId
    ? await db.selectFrom('org_units').select('name').where('id', '=', scope.unitId).executeTakeFirst()
    : await db.selectFrom('forces').select('name').where('id', '=', scope.forceId).executeTakeFirst()
  let units = db
    .selectFrom('org_units')
    .select(['id', 'name'])
    .where('force_id', '=', scope.forceId)
    .where('kind', '=', 'bcu')
  if (scope.unitId) {
    // The BCUs inside the chosen unit, or the BCU above it when the unit is a team.
    const unitId = scope.unitId
    units = units.where((eb) =>
      eb.or([eb('id', 'in', sql<string>`${subtreeOf(unitId)}`), eb('id', 'in', sql<string>`${ancestorsOf(unitId)}`)]),
    )
  }
  const bcus = await units.orderBy('name').execute()
  return {
    scopeLabel: named?.name ?? '',
    areas: [...bcus.map((u) => ({ key: u.id, label: u.name })), { key: 'other', label: 'Other units' }],
  }
}

function ancestorsOf(unitId: string) {
  return sql<{ id: string }>`(
    with recursive up (id, parent_id) as (
      select id, parent_id from org_units where id = ${unitId}
      union all
      select o.id, o.parent_id from up join org_units o on o.id = up.parent_id)
    select id from up)`
}
