import { dischargeLevels } from '../../src/db/ced-counts.js'
import { CED_NOT_STATED } from '../../src/features/dashboards/rollup-bucket.js'
import type { ReportMatch, TacticRow } from '../../src/domain/statistics/ho-tables.js'
import { cedLevels, type CedLevel } from '../../src/domain/use-of-force/ced.js'
import { impactFactors, locationTypes, outcomes, reasons } from '../../src/domain/use-of-force/context.js'
import { tacticGroups, tactics } from '../../src/domain/use-of-force/tactics.js'

/**
 * The benchmark's own queries: the Home Office table set and the dashboards written plainly over the bitmask
 * columns, in SQL that PostgreSQL and DuckDB both run unchanged (parameters `$1`… in both), so the two engines are
 * compared on the same logical work and their answers checked against each other. They stand in until the
 * statistics and dashboards features export theirs, and stay as the reference the DuckDB side is held to.
 *
 * Parameters: `$1` and `$2` the period's bounds (instants), `$3` the force's id (dashboards).
 */

export interface BenchQuery {
  name: string
  sql: string
}

const bit = (b: number) => 1 << b
const has = (column: string, mask: number) => `(${column} & ${mask}) <> 0`
const count = (condition: string, as: string) => `count(*) filter (where ${condition}) as ${as}`
const levelList = (levels: readonly string[]) => levels.map((l) => `'${l}'`).join(', ')
// CED used: the CED tactic recorded, at a level or none stated (src/db/ced-counts.ts).
const cedUsed = has('r.tactic_mask', tactics.toMask(['ced']))
const cedDischarge = `r.ced_highest_level in (${levelList(dischargeLevels)})`
const inPeriod = 'r.occurred_at >= $1 and r.occurred_at < $2'

/** One mask per Home Office type of force, tactical communication left out of the totals as the HO does. */
const groupMasks = tacticGroups.codes
  .filter((g) => g.value !== 'tactical_communication')
  .map((g) => ({
    key: g.value,
    mask: tactics.codes.filter((t) => t.hoGroup === g.value).reduce((m, t) => m | bit(t.bit), 0),
  }))
const useOfForceMask = tactics.codes.filter((t) => t.useOfForce).reduce((m, t) => m | bit(t.bit), 0)

/** Counts of reports, CED and discharge, and each type of force: the columns of Tables 2 to 9. */
const breakdownColumns = [
  'count(*) as reports',
  count(cedUsed, 'ced'),
  count(cedDischarge, 'ced_discharge'),
  ...groupMasks.map((g) => count(has('r.tactic_mask', g.mask), g.key)),
].join(',\n  ')

const bySubject = (field: string): string => `select s.${field} as row_key,
  ${breakdownColumns}
from reports r join subjects s on s.id = r.subject_id
where ${inPeriod}
group by 1`

/** A multi-valued list as rows: one count per code, from the mask, in one scan. */
const byMask = (column: string, list: { codes: readonly { value: string; bit: number }[] }, from = 'reports r') =>
  `select ${list.codes.map((c) => count(has(column, bit(c.bit)), `"${c.value}"`)).join(',\n  ')},
  ${count(`${cedUsed} and ${has(column, -1)}`, 'ced_any')}
from ${from}
where ${inPeriod}`

export const tableSet: BenchQuery[] = [
  {
    name: 'Table 1: tactics',
    sql: `select count(*) as reports,
  count(distinct r.incident_id) as incidents,
  count(distinct r.subject_id) as people,
  ${count(has('r.tactic_mask', useOfForceMask), 'use_of_force')},
  ${tactics.codes.map((t) => count(has('r.tactic_mask', bit(t.bit)), `"${t.value}"`)).join(',\n  ')},
  ${cedLevels.codes.map((l) => count(`r.ced_highest_level = '${l.value}'`, `"ced_${l.value}"`)).join(',\n  ')}
from reports r
where ${inPeriod}`,
  },
  { name: 'Table 2: age', sql: bySubject('age_band') },
  { name: 'Table 3: gender', sql: bySubject('gender') },
  { name: 'Table 4: ethnicity', sql: bySubject('perceived_ethnicity') },
  { name: 'Table 5: health condition', sql: bySubject('health_condition') },
  { name: 'Table 6: reason', sql: byMask('r.reason_mask', reasons) },
  { name: 'Table 7: impact factor', sql: byMask('r.impact_mask', impactFactors) },
  { name: 'Table 8: outcome', sql: byMask('r.outcome_mask', outcomes) },
  {
    name: 'Table 9: location',
    sql: byMask('i.location_mask', locationTypes, 'reports r join incidents i on i.id = r.incident_id'),
  },
  {
    name: 'Table 10: officer injuries',
    sql: `select r.officer_injured, r.intentional_assault, r.officer_injury_level, count(*) as reports
from reports r where ${inPeriod} group by 1, 2, 3`,
  },
  {
    name: 'Table 11: subject injuries',
    sql: `select r.subject_injured, r.subject_injury_level, count(*) as reports
from reports r where ${inPeriod} group by 1, 2`,
  },
  {
    name: 'Table 12: by force',
    sql: `select r.force_id, count(*) as reports, count(distinct r.incident_id) as incidents
from reports r where ${inPeriod} group by 1`,
  },
  {
    name: 'Table 13: CED by force',
    sql: `select r.force_id, r.ced_highest_level, count(*) as reports
from reports r where ${inPeriod} and ${cedUsed} group by 1, 2`,
  },
]

const forceInPeriod = `r.force_id = $3 and ${inPeriod}`

export const dashboards: BenchQuery[] = [
  {
    name: 'Trend by month',
    sql: `select date_trunc('month', timezone('Europe/London', r.occurred_at)) as month, count(*) as reports,
  ${count(cedUsed, 'ced')}, ${count(cedDischarge, 'ced_discharge')}
from reports r where ${forceInPeriod} group by 1`,
  },
  {
    name: 'CED by level',
    sql: `select r.ced_highest_level, count(*) as reports
from reports r where ${forceInPeriod} and ${cedUsed} group by 1`,
  },
  {
    name: 'By ethnicity',
    sql: `select s.perceived_ethnicity, count(*) as reports, ${count(cedUsed, 'ced')}
from reports r join subjects s on s.id = r.subject_id where ${forceInPeriod} group by 1`,
  },
  {
    name: 'By unit',
    sql: `select r.officer_unit_id, count(*) as reports, ${count(cedUsed, 'ced')}
from reports r where ${forceInPeriod} group by 1`,
  },
]

/**
 * Everything `dashboardFigures` (src/features/dashboards/) shows for one force and period, from the reports
 * themselves: per month and per dimension (Taser level, ethnicity, age, health, gender, area), the same eight
 * counts. The app reads these from its rollup; DuckDB scans for them. DuckDB's dialect (`strftime`): DuckDB only.
 */
const dashboardCounts = [
  'count(*) as reports',
  'count(*) filter (where ced_used) as ced_used',
  'count(*) filter (where ced_discharged) as ced_discharged',
  'count(*) filter (where officer_assaulted) as officer_assaulted',
  'count(*) filter (where assaulted_with_weapon) as assaulted_with_weapon',
  'count(*) filter (where officer_injured) as officer_injured',
  'count(*) filter (where officer_injured_severe) as officer_injured_severe',
  'count(*) filter (where subject_injured) as subject_injured',
].join(', ')
const dimensionColumns: [dimension: string, column: string][] = [
  ['ced_level', 'ced_level'],
  ['ethnicity', 'perceived_ethnicity'],
  ['age_band', 'age_band'],
  ['health', 'health_condition'],
  ['gender', 'gender'],
  ['area', 'area'],
]

export const dashboardFiguresQuery: BenchQuery = {
  name: 'Dashboard figures',
  sql: `with b as (
  select strftime(timezone('Europe/London', r.occurred_at), '%Y-%m') as month,
    case when ${cedUsed} then coalesce(r.ced_highest_level, '${CED_NOT_STATED}') end as ced_level,
    s.perceived_ethnicity, s.age_band, s.health_condition, s.gender, i.area,
    ${cedUsed} as ced_used, ${cedDischarge} as ced_discharged, r.assaulted_by_subject as officer_assaulted,
    r.assaulted_with_weapon, r.officer_injured = 'yes' as officer_injured,
    (r.officer_injured = 'yes' and r.officer_injury_level = 'severe') as officer_injured_severe,
    r.subject_injured = 'yes' as subject_injured
  from reports r join subjects s on s.id = r.subject_id join incidents i on i.id = r.incident_id
  where ${forceInPeriod})
select month, 'all' as dimension, '' as category, ${dashboardCounts} from b group by month
${dimensionColumns
  .map(
    ([dimension, column]) =>
      `union all select month, '${dimension}', ${column}, ${dashboardCounts} from b where ${column} is not null group by month, ${column}`,
  )
  .join('\n')}`,
}

/**
 * HO Table 1's "reports involving" column for each row of the statistics layout (src/domain/statistics/ho-tables.ts),
 * in plain SQL over the masks: what the statistics engine's Table 1 must equal, row for row. The layout says which
 * reports each row counts; this turns that into SQL independently of the engine.
 */
export function table1ByLayout(rows: readonly TacticRow[]): BenchQuery {
  const condition = (match: ReportMatch): string => {
    if (match.kind === 'all') return 'true'
    if (match.kind === 'none') return `(r.tactic_mask & ${match.mask}) = 0`
    const levels = match.cedLevels
    if (!levels) return has('r.tactic_mask', match.mask)
    const named = levels.filter((l): l is CedLevel => l !== null)
    const alternatives = [
      ...(named.length ? [`r.ced_highest_level in (${levelList(named)})`] : []),
      ...(levels.includes(null) ? ['r.ced_highest_level is null'] : []),
    ]
    return `${has('r.tactic_mask', match.mask)} and (${alternatives.join(' or ')})`
  }
  return {
    name: 'Table 1 by the statistics layout',
    sql: `select ${rows.map((row, i) => count(condition(row.match), `row_${i}`)).join(',\n  ')}
from reports r
where ${inPeriod}`,
  }
}
