import { sql, type RawBuilder } from 'kysely'
import {
  breakdownLayouts,
  breakdownRows,
  table1Rows,
  type BreakdownColumn,
  type ReportMatch,
  type TacticRow,
} from '../../domain/statistics/ho-tables.js'

/**
 * Every Home Office counting rule (domain reference 1.2 and 1.4) as SQL over the `report_statistics` view (alias `f`:
 * each report beside its person's characteristics and its incident's locations), in one place. The engine runs these
 * over a unit's reports (engine.ts); the monthly rollup runs the same statements over one force's month and keeps the
 * answers (rollup.ts), so both count alike by construction.
 *
 * - The unit is the report (one officer's force on one person).
 * - A tactic counts once per report: the report's `tactic_mask` has one bit per tactic, however often it was recorded.
 * - CED counts at the report's highest level (`ced_highest_level`, derived when the report is written by the domain's
 *   `highestCedLevel`); a CED with no level is "Not stated"; discharge is the domain's group (`isDischarge`).
 * - Tactical communication and "not reported" are rows of their own, outside every total (ho-tables.ts).
 * - Incidents and people are the distinct incidents and subjects of the counted reports.
 */

/** Every tactic row of every table once (table 1 and the breakdowns share most keys, with the same meaning). */
const allRows: TacticRow[] = [...new Map([...table1Rows, ...breakdownRows].map((row) => [row.key, row])).values()]

/** Every column of every breakdown, numbered: each is counted in its own aggregate `c<n>`. */
const breakdownColumns: { dimension: string; column: BreakdownColumn }[] = breakdownLayouts.flatMap((layout) =>
  layout.columns.map((column) => ({ dimension: layout.dimension, column })),
)
const columnIndex = new Map<string, Map<string, number>>()
breakdownColumns.forEach(({ dimension, column }, i) =>
  columnIndex.set(dimension, (columnIndex.get(dimension) ?? new Map<string, number>()).set(column.key, i)),
)

/** Where a breakdown column's count sits in a row's `cells` (0-based), e.g. columnPosition('age', 'age_11_17'). */
export function columnPosition(dimension: string, key: string): number {
  const index = columnIndex.get(dimension)?.get(key)
  if (index === undefined) throw new Error(`No column ${dimension} ${key}`)
  return index
}

/** How many breakdown columns a row's `cells` holds. */
export const cellCount = breakdownColumns.length

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

/** A row of `tacticCells`: one group's reports matching one tactic row, in all and per breakdown column. */
export interface TacticCellRow {
  /** The group (a force, a unit…); null on the grand-total rows `withTotal` adds. */
  grp: string | null
  row_key: string
  n: string
  cells: string[]
}

/**
 * Per group (`group`, an expression over `f`) and tactic row, the reports of `filter` matching the row, in all and
 * per breakdown column. One pass groups the reports by group, tactic mask and CED level — a few thousand groups —
 * counting within each group the reports in every column of every breakdown; the tactic rows are then matched to the
 * few distinct (mask, level) pairs with bit tests and summed. `withTotal` adds rows over all groups (grp null).
 */
export function tacticCells(
  filter: RawBuilder<boolean>,
  group: RawBuilder<unknown>,
  { withTotal = false } = {},
): RawBuilder<TacticCellRow> {
  const cs = breakdownColumns.map((_, i) => sql.ref(`c${i}`))
  return sql<TacticCellRow>`
    with g as materialized (
      select ${group} as grp, f.tactic_mask as tm, f.ced_level as ced, count(*) as n,
        ${sql.join(breakdownColumns.map(columnCount))}
      from report_statistics f
      where ${filter}
      group by 1, 2, 3),
    k as (
      select d.tm, coalesce(d.ced, '') as ced_key, unnest(array_remove(array[${sql.join(
        allRows.map((row) => sql`case when ${matches(row.match)} then ${sql.lit(row.key)} end`),
      )}]::text[], null)) as row_key
      from (select distinct tm, ced from g) d)
    select g.grp, k.row_key, sum(g.n) as n, array[${sql.join(cs.map((c) => sql`sum(g.${c})`))}]::text[] as cells
    from g join k on k.tm = g.tm and k.ced_key = coalesce(g.ced, '')
    group by ${withTotal ? sql`grouping sets ((g.grp, k.row_key), (k.row_key))` : sql`g.grp, k.row_key`}`
}

/**
 * The basic command unit a unit belongs to (its own id when it is one), or 'other' (a department, or a unit outside
 * every BCU): the area of the "by BCU" tables within a force.
 */
export function areaOfUnit(unitId: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`coalesce((
    with recursive up (id, kind, parent_id) as (
      select id, kind, parent_id from org_units where id = ${unitId}
      union all
      select o.id, o.kind, o.parent_id from up join org_units o on o.id = up.parent_id where up.kind <> 'bcu')
    select id::text from up where kind = 'bcu'), 'other')`
}

/** A row of `peopleCounts`: reports, distinct incidents and distinct people of an area ('*': the whole scope). */
export interface PeopleRow {
  area: string
  reports: string
  incidents: string
  people: string
}

/**
 * Reports, distinct incidents and distinct people of `filter` within one force, per basic command unit ('other' for
 * the rest) and for the force as a whole ('*'). Distinct counts do not add up across BCUs (officers of two BCUs can
 * report on one incident), hence the force's own figure; nationally each incident and person belongs to one force, so
 * forces' figures do add up. A person belongs to one incident, so their incidents are the incidents.
 */
export function peopleCounts(filter: RawBuilder<boolean>, forceId: string): RawBuilder<PeopleRow> {
  return sql<PeopleRow>`
    with u as materialized (
      select o.id, ${areaOfUnit(sql`o.id`)} as area from org_units o where o.force_id = ${forceId})
    select case when grouping(p.area) = 1 then '*' else p.area end as area, sum(p.reports) as reports,
      count(distinct p.incident_id) as incidents, count(distinct p.subject_id) as people
    from (
      select coalesce((select u.area from u where u.id = f.unit_id), 'other') as area, f.incident_id, f.subject_id,
        count(*) as reports
      from report_statistics f where ${filter} group by 1, 2, 3) p
    group by grouping sets ((p.area), ())
    having count(*) > 0`
}

/** A row of `injuryCounts`: reports per officer injury category and subject injury category. */
export interface InjuryRow {
  officer: string
  subject: string
  n: string
}

/**
 * The injury tables' categories, 'injured|assault|level' for the officer and 'injured|level' for the subject: an
 * assault question that did not apply, or no level, is "not reported".
 */
export function injuryCounts(filter: RawBuilder<boolean>): RawBuilder<InjuryRow> {
  return sql<InjuryRow>`
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
}
