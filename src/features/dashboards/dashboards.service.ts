import { sql } from 'kysely'
import type { Db } from '../../db/database.js'
import { disproportionality, share, type GroupResult } from '../../domain/disproportionality/disproportionality.js'
import { monthsOf, type Period } from '../../domain/statistics/period.js'
import {
  ageBands,
  hasMentalHealthCondition,
  healthConditions,
  perceivedEthnicities,
  type PerceivedEthnicity,
} from '../../domain/use-of-force/subject.js'
import { scopeFilter, type Principal } from '../auth/policy.js'
import { comparatorFigures } from '../comparators/comparators.service.js'
import { subtreeOf } from '../../db/scope.js'
import { CENSUS_DAY, comparisonSettings } from './comparisons.js'
import {
  addCounts,
  dimensions,
  rollupByMonth,
  zeroCounts,
  type Counts,
  type Dimension,
  type RollupScope,
} from './rollup.js'

/**
 * The dashboards' figures: read from the rollup (rollup.ts), shaped for charts and tables. Exported for the
 * benchmark, which times `dashboardFigures` for a whole force over twelve months.
 */

export type Breakdown = Exclude<Dimension, 'all'>

export interface DashboardFigures {
  period: Period
  /** Every month of the period, in order, with zeros where there were no reports. */
  months: { month: string; counts: Counts }[]
  totals: Counts
  /** Totals over the period for each category of each breakdown, largest first. */
  breakdowns: Record<Breakdown, { category: string; counts: Counts }[]>
}

export async function dashboardFigures(db: Db, scope: RollupScope, period: Period): Promise<DashboardFigures> {
  const rows = await rollupByMonth(db, scope, period)
  const byMonth = new Map(monthsOf(period).map((m) => [m, zeroCounts]))
  const byCategory = new Map<string, Counts>()
  for (const row of rows) {
    if (row.dimension === 'all') byMonth.set(row.month, addCounts(byMonth.get(row.month) ?? zeroCounts, row))
    else {
      const key = `${row.dimension}|${row.category}`
      byCategory.set(key, addCounts(byCategory.get(key) ?? zeroCounts, row))
    }
  }
  const months = [...byMonth].map(([month, counts]) => ({ month, counts }))
  const breakdowns = Object.fromEntries(
    dimensions
      .filter((d): d is Breakdown => d !== 'all')
      .map((d) => [
        d,
        [...byCategory]
          .filter(([key]) => key.startsWith(`${d}|`))
          .map(([key, counts]) => ({ category: key.slice(d.length + 1), counts }))
          .sort((a, b) => b.counts.reports - a.counts.reports || a.category.localeCompare(b.category)),
      ]),
  ) as DashboardFigures['breakdowns']
  return { period, months, totals: months.reduce((sum, m) => addCounts(sum, m.counts), zeroCounts), breakdowns }
}

export interface UnitOption {
  id: string
  name: string
  /** How deep below the scope's top the unit sits, for indenting its name. */
  depth: number
}

export interface ResolvedScope {
  rollup: RollupScope
  /** The whole force (no unit chosen, force-wide reader). */
  forceWide: boolean
  /** The unit chosen or the reader's own, when not the whole force. */
  unit: UnitOption | null
  /** The units the reader may choose from. */
  units: UnitOption[]
}

/**
 * What a reader may see, narrowed to a unit they ask for: force-wide readers any unit of their force, others a
 * unit within their own subtree. Null when the unit is not theirs to see (answer 404, as for a unit that does not
 * exist). Decided here, on the server, from the policy's scope.
 */
export async function resolveScope(db: Db, principal: Principal, unitId: string | null): Promise<ResolvedScope | null> {
  const scope = scopeFilter(principal, 'dashboards.view')
  if (scope.kind !== 'force' && scope.kind !== 'subtree') return null
  const { rows } = await sql<{ id: string; name: string; depth: number }>`
    with recursive down as (
      select id, name, 0 as depth, array[name] as path from org_units
      where force_id = ${scope.forceId} and ${scope.kind === 'subtree' ? sql`id = ${scope.unitId}` : sql`parent_id is null`}
      union all
      select o.id, o.name, down.depth + 1, down.path || o.name from org_units o join down on o.parent_id = down.id)
    select id, name, depth from down order by path`.execute(db)
  const units = rows.map((r) => ({ id: r.id, name: r.name, depth: Number(r.depth) }))
  const top = scope.kind === 'subtree' ? scope.unitId : null
  const chosen = unitId ?? top
  if (chosen === null) return { rollup: { forceId: scope.forceId, unitIds: null }, forceWide: true, unit: null, units }
  const unit = units.find((u) => u.id === chosen)
  if (!unit) return null
  const { rows: subtree } = await sql<{ id: string }>`select id from ${subtreeOf(unit.id)} as s`.execute(db)
  return {
    rollup: { forceId: scope.forceId, unitIds: subtree.map((s) => s.id) },
    forceWide: false,
    unit,
    units,
  }
}

/** The census groups (as imported) that make up each officer-perceived group: Chinese is Asian from 2019/20. */
export const censusGroupsOf: Record<PerceivedEthnicity, string[]> = {
  white: ['White'],
  black: ['Black (or Black British)'],
  asian: ['Asian (or Asian British)', 'Chinese'],
  mixed: ['Mixed'],
  other: ['Other'],
  not_reported: [],
}

export type Measure = 'reports' | 'cedUsed' | 'cedDischarged'
export const measures: { key: Measure; label: string }[] = [
  { key: 'reports', label: 'All use of force' },
  { key: 'cedUsed', label: 'Taser (CED) used' },
  { key: 'cedDischarged', label: 'Taser (CED) discharged' },
]

export interface Disproportionality {
  area: string
  /** Per measure, each perceived group with its count, census population, rate and relative rate against White. */
  byMeasure: { measure: Measure; label: string; groups: GroupResult<PerceivedEthnicity>[] }[]
  /** Months in the period, to annualise rates. */
  months: number
  children: { measure: Measure; label: string; count: number; total: number; share: number | null }[]
  mentalHealth: { measure: Measure; label: string; count: number; total: number; share: number | null }[]
}

/** Disproportionality for the whole force: null when the force has no comparator area or no census imported. */
export async function loadDisproportionality(
  db: Db,
  forceId: string,
  figures: DashboardFigures,
): Promise<Disproportionality | null> {
  const settings = await comparisonSettings(db, forceId)
  if (!settings) return null
  const census = (
    await comparatorFigures(db, {
      measure: 'population_2011_ho_groups',
      periodStart: CENSUS_DAY,
      periodEnd: CENSUS_DAY,
    })
  ).filter((f) => f.area === settings.comparatorArea)
  if (census.length === 0) return null
  const populationOf = (group: PerceivedEthnicity) => {
    const parts = censusGroupsOf[group].map((name) => census.find((f) => f.category === name)?.value ?? null)
    return parts.length === 0 || parts.some((p) => p === null) ? null : parts.reduce<number>((a, p) => a + (p ?? 0), 0)
  }
  const ethnicity = new Map(figures.breakdowns.ethnicity.map((b) => [b.category, b.counts]))
  const sumWhere = (breakdown: Breakdown, test: (category: string) => boolean, measure: Measure) =>
    figures.breakdowns[breakdown].filter((b) => test(b.category)).reduce((a, b) => a + b.counts[measure], 0)
  const isChild = (band: string) => ageBands.has(band) && ageBands.byValue(band).child
  const isMental = (condition: string) => healthConditions.has(condition) && hasMentalHealthCondition(condition)
  return {
    area: settings.comparatorArea,
    months: figures.months.length,
    byMeasure: measures.map(({ key, label }) => ({
      measure: key,
      label,
      groups: disproportionality(
        perceivedEthnicities.values.map((group) => ({
          group,
          count: ethnicity.get(group)?.[key] ?? 0,
          population: populationOf(group),
        })),
        'white',
      ),
    })),
    children: measures.map(({ key, label }) => {
      const count = sumWhere('age_band', isChild, key)
      return { measure: key, label, count, total: figures.totals[key], share: share(count, figures.totals[key]) }
    }),
    mentalHealth: measures.map(({ key, label }) => {
      const count = sumWhere('health', isMental, key)
      return { measure: key, label, count, total: figures.totals[key], share: share(count, figures.totals[key]) }
    }),
  }
}
