import { sql, type RawBuilder } from 'kysely'
import type { Db } from '../../db/database.js'
import {
  breakdownLayouts,
  breakdownRows,
  table1Rows,
  type BreakdownColumn,
  type ReportMatch,
  type TacticRow,
} from '../../domain/statistics/ho-tables.js'
import type { Period } from '../../domain/statistics/period.js'
import { subtreeOf } from '../people/people.repository.js'

/**
 * The counting engine: every Home Office counting rule (domain reference 1.2 and 1.4) as SQL, in one place.
 *
 * - The unit is the report (one officer's force on one person).
 * - A tactic counts once per report: the report's `tactic_mask` has one bit per tactic, however often it was recorded.
 * - CED counts at the report's highest level (`ced_highest_level`, derived when the report is written by the domain's
 *   `highestCedLevel`); a CED with no level is "Not stated"; discharge is the domain's group (`isDischarge`).
 * - Tactical communication and "not reported" are rows of their own, outside every total (ho-tables.ts).
 * - Incidents and people are the distinct incidents and subjects of the counted reports.
 *
 * It reads `report_statistics`, one narrow row per report kept in step with the reports by triggers (migration
 * 2026-11-22-14-statistics), so no join and no child table. One parallel pass groups the period's reports by area,
 * tactic mask and CED level — a few thousand groups — counting within each group the reports in every column of
 * every breakdown (age band, reason bit…); the tactic rows are then matched to the few distinct (mask, level) pairs
 * with bit tests and summed. A second pass counts distinct incidents and people, a third the injuries.
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

/** The start of a month in London as a timestamptz expression. */
const londonMonthStart = (month: string) => sql`(${`${month}-01`}::date)::timestamp at time zone 'Europe/London'`

function monthAfter(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number]
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`
}

/** The reports of the scope and period, as a condition on `f` (report_statistics). */
function reportFilter({ scope, period }: EngineQuery): RawBuilder<boolean> {
  const conditions: RawBuilder<unknown>[] = [
    sql`f.occurred_at >= ${londonMonthStart(period.from)}`,
    sql`f.occurred_at < ${londonMonthStart(monthAfter(period.to))}`,
  ]
  if (scope.kind === 'force') {
    conditions.push(sql`f.force_id = ${scope.forceId}`)
    if (scope.unitId) conditions.push(sql`f.unit_id in ${subtreeOf(scope.unitId)}`)
  }
  return sql<boolean>`(${sql.join(conditions, sql` and `)})`
}

/**
 * Nationally a report's area is its force. Within a force it is the basic command unit above the officer's unit, so
 * the pass groups by unit (few) and `areaOfUnit` maps units to BCUs afterwards, over the small result.
 */
const groupArea = (scope: StatisticsScope) =>
  scope.kind === 'national' ? sql`f.force_id::text` : sql`coalesce(f.unit_id::text, '')`

function areaOfUnit(scope: StatisticsScope, unitId: RawBuilder<unknown>): RawBuilder<unknown> {
  if (scope.kind === 'national') return unitId
  return sql`coalesce((
    with recursive up (id, kind, parent_id) as (
      select id, kind, parent_id from org_units where id = ${unitId}
      union all
      select o.id, o.kind, o.parent_id from up join org_units o on o.id = up.parent_id where up.kind <> 'bcu')
    select id::text from up where kind = 'bcu'), 'other')`
}

/** A tactic row's reports, as SQL over `d` with `tm` (tactic mask) and `ced` (highest CED level). */
function matches(match: ReportMatch): RawBuilder<boolean> {
  if (match.kind === 'all') return sql<boolean>`true`
  if (match.kind === 'none') return sql<boolean>`(d.tm & ${sql.lit(match.mask)}) = 0`
  const tactic = sql`(d.tm & ${sql.lit(match.mask)}) <> 0`
  if (!match.cedLevels) return sql<boolean>`${tactic}`
  const levels = match.cedLevels.filter((level): level is NonNullable<typeof level> => level !== null)
  const alternatives: RawBuilder<unknown>[] = []
  if (levels.length > 0) alternatives.push(sql`d.ced in (${sql.join(levels.map((l) => sql.lit(l)))})`)
  if (levels.length < match.cedLevels.length) alternatives.push(sql`d.ced is null`)
  return sql<boolean>`(${tactic} and (${sql.join(alternatives, sql` or `)}))`
}

/** Every tactic row of every table once (table 1 and the breakdowns share most keys, with the same meaning). */
const allRows: TacticRow[] = [...new Map([...table1Rows, ...breakdownRows].map((row) => [row.key, row])).values()]

/** Every column of every breakdown, numbered: the pass counts each in its own aggregate `c<n>`. */
const breakdownColumns: { dimension: string; column: BreakdownColumn }[] = breakdownLayouts.flatMap((layout) =>
  layout.columns.map((column) => ({ dimension: layout.dimension, column })),
)
const columnIndex = new Map(breakdownColumns.map((c, i) => [`${c.dimension}|${c.column.key}`, i]))

const dimensionColumn: Record<string, string> = {
  age: 'age_band',
  gender: 'gender',
  ethnicity: 'ethnicity',
  health: 'health',
  reason: 'reason_mask',
  impact: 'impact_mask',
  outcome: 'outcome_mask',
  location: 'location_mask',
}

function columnCount({ dimension, column }: (typeof breakdownColumns)[number], i: number): RawBuilder<unknown> {
  const ref = sql.ref(`f.${dimensionColumn[dimension] ?? ''}`)
  const as = sql.ref(`c${i}`)
  if ('value' in column) return sql`count(*) filter (where ${ref} = ${sql.lit(column.value)}) as ${as}`
  // One bit: shifting it down and summing is cheaper per row than a filter.
  const bit = Math.log2(column.mask)
  if (Number.isInteger(bit)) return sql`sum((${ref} >> ${sql.lit(bit)}) & 1) as ${as}`
  return sql`count(*) filter (where (${ref} & ${sql.lit(column.mask)}) <> 0) as ${as}`
}

/** The counts every table of the set is built from. */
export async function countReports(db: Db, query: EngineQuery): Promise<EngineCounts> {
  const { scope } = query
  const filter = reportFilter(query)
  const cs = breakdownColumns.map((_, i) => sql.ref(`c${i}`))

  // Tactic rows are matched once per distinct (mask, level) pair, not once per group.
  const cells = sql<{ area: string; row_key: string; n: string; cells: string[] }>`
    with g as materialized (
      select ${groupArea(scope)} as area, f.tactic_mask as tm, f.ced_level as ced, count(*) as n,
        ${sql.join(breakdownColumns.map(columnCount))}
      from report_statistics f
      where ${filter}
      group by 1, 2, 3),
    k as (
      select d.tm, coalesce(d.ced, '') as ced_key, unnest(array_remove(array[${sql.join(
        allRows.map((row) => sql`case when ${matches(row.match)} then ${sql.lit(row.key)} end`),
      )}]::text[], null)) as row_key
      from (select distinct tm, ced from g) d),
    a as materialized (
      select area, ${areaOfUnit(scope, sql`nullif(area, '')::uuid`)} as area_key from (select distinct area from g) x)
    select a.area_key as area, k.row_key, sum(g.n) as n,
      array[${sql.join(cs.map((c) => sql`sum(g.${c})`))}]::text[] as cells
    from g
      join k on k.tm = g.tm and k.ced_key = coalesce(g.ced, '')
      join a on a.area = g.area
    group by 1, 2`

  // Distinct counts do not add up across BCUs (officers of two BCUs can report on one incident), so within a force
  // the scope's own figure is counted too ('*'); nationally each incident and person belongs to one force. A person
  // belongs to one incident, so the distinct (incident, person) pairs are the people, and their incidents the incidents.
  const areaOf =
    scope.kind === 'national'
      ? sql`f.force_id::text`
      : sql`coalesce((select u.area from u where u.id = f.unit_id), 'other')`
  const units =
    scope.kind === 'national'
      ? sql``
      : sql`with u as materialized (
          select o.id, ${areaOfUnit(scope, sql`o.id`)} as area from org_units o where o.force_id = ${scope.forceId})`
  const totals = sql<{ area: string | null; reports: string; incidents: string; people: string }>`
    ${units}
    select p.area, sum(p.reports) as reports, count(distinct p.incident_id) as incidents,
      ${scope.kind === 'national' ? sql`count(*)` : sql`count(distinct p.subject_id)`} as people
    from (
      select ${areaOf} as area, f.incident_id, f.subject_id, count(*) as reports
      from report_statistics f where ${filter} group by 1, 2, 3) p
    group by ${scope.kind === 'national' ? sql`1` : sql`grouping sets ((1), ())`}`

  // The injury tables' categories: an assault question that did not apply, or no level, is "not reported".
  const injuries = sql<{ officer: string; subject: string; n: string }>`
    select
      officer_injured || '|' ||
        (case when intentional_assault in ('yes', 'no') then intentional_assault else 'not_reported' end) || '|' ||
        coalesce(officer_injury_level, 'not_reported') as officer,
      subject_injured || '|' || coalesce(subject_injury_level, 'not_reported') as subject,
      n
    from (
      select f.officer_injured, f.intentional_assault, f.officer_injury_level, f.subject_injured,
        f.subject_injury_level, count(*) as n
      from report_statistics f where ${filter} group by 1, 2, 3, 4, 5) g`

  const [cellRows, totalRows, injuryRows, { scopeLabel, areas }] = await Promise.all([
    cells.execute(db),
    totals.execute(db),
    injuries.execute(db),
    areasOf(db, scope),
  ])

  const byArea = new Map<string, number[]>()
  const scopeWide = new Map<string, number[]>()
  for (const row of cellRows.rows) {
    const values = [Number(row.n), ...row.cells.map(Number)]
    byArea.set(`${row.area}|${row.row_key}`, values)
    const sum = scopeWide.get(row.row_key)
    scopeWide.set(row.row_key, sum ? sum.map((v, i) => v + (values[i] ?? 0)) : values)
  }
  const reports: EngineCounts['reports'] = (areaKey, rowKey, column) => {
    const values = areaKey === null ? scopeWide.get(rowKey) : byArea.get(`${areaKey}|${rowKey}`)
    if (!values) return 0
    if (!column) return values[0] ?? 0
    const index = columnIndex.get(`${column.dimension}|${column.key}`)
    if (index === undefined) throw new Error(`No column ${column.dimension} ${column.key}`)
    return values[index + 1] ?? 0
  }
  const counted = new Map(
    totalRows.rows.map((row) => [
      row.area ?? '*',
      { reports: Number(row.reports), incidents: Number(row.incidents), people: Number(row.people) },
    ]),
  )
  const officerInjuries = new Map<string, number>()
  const subjectInjuries = new Map<string, number>()
  for (const row of injuryRows.rows) {
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
