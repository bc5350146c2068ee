import type { Db } from '../../db/database.js'
import { appendAudit, type Actor } from '../audit/ledger.js'
import { comparatorFigures, comparatorPeriods, type ComparatorFigure } from '../comparators/comparators.service.js'
import { periodLabel, type Measure } from '../comparators/figures.js'
import { forceAreas } from '../comparators/police-force-areas.js'
import type { Counts } from './rollup.js'

/**
 * The force's own rates beside England and Wales and beside similar forces, per 1,000 population and per 100
 * officers. The force's population and officers are those of the police force area named in its settings (the 2011
 * Census and the latest imported workforce figure); the others' are from the latest Home Office use-of-force year
 * imported, with officers at the 31 March that year ends on. Every row says which years its figures are from.
 */

export const CENSUS_DAY = '2011-03-27'
/** How many forces are "similar" when the force has not chosen them: the nearest by 2011 population. */
export const SIMILAR_BY_POPULATION = 4

export interface ComparisonSettings {
  comparatorArea: string
  similarAreas: string[]
}

export async function comparisonSettings(db: Db, forceId: string): Promise<ComparisonSettings | null> {
  const row = await db
    .selectFrom('dashboard_settings')
    .select(['comparator_area', 'similar_areas'])
    .where('force_id', '=', forceId)
    .executeTakeFirst()
  return row ? { comparatorArea: row.comparator_area, similarAreas: row.similar_areas } : null
}

export interface Rates {
  uses: number | null
  ced: number | null
  discharges: number | null
}

export interface ComparisonRow {
  kind: 'own' | 'national' | 'similar'
  label: string
  /** The year (or months) the use-of-force counts are from. */
  countsFrom: string
  /** Use-of-force reports, CED uses and CED discharges in a year. */
  perYear: Rates
  population: number | null
  officers: number | null
  /** When the officer count is from, e.g. "31 March 2019". */
  officersAt: string | null
  per1000: Rates
  per100Officers: Rates
}

export interface Comparisons {
  area: string
  similarAreas: string[]
  /** True when the force chose its similar forces; false when they are the nearest by population. */
  similarChosen: boolean
  rows: ComparisonRow[]
  /** No Home Office use-of-force year imported: only the force's own rates can be shown. */
  nationalMissing: boolean
}

const per = (count: number | null, base: number | null, unit: number) =>
  count === null || base === null || base <= 0 ? null : (count / base) * unit

function ratesOf(perYear: Rates, base: number | null, unit: number): Rates {
  return {
    uses: per(perYear.uses, base, unit),
    ced: per(perYear.ced, base, unit),
    discharges: per(perYear.discharges, base, unit),
  }
}

/** The nearest areas by 2011 population, excluding the area itself. */
export function nearestByPopulation(area: string, population: ReadonlyMap<string, number>, n: number): string[] {
  const own = population.get(area)
  if (own === undefined) return []
  return [...population]
    .filter(([other]) => other !== area)
    .sort((a, b) => Math.abs(a[1] - own) - Math.abs(b[1] - own) || a[0].localeCompare(b[0]))
    .slice(0, n)
    .map(([other]) => other)
}

async function byArea(db: Db, measure: Measure, period: { periodStart: string; periodEnd: string } | undefined) {
  const figures: ComparatorFigure[] = period ? await comparatorFigures(db, { measure, ...period }) : []
  return {
    force: new Map(figures.filter((f) => f.areaKind === 'force' && f.category === '').map((f) => [f.area, f.value])),
    national: figures.find((f) => f.areaKind === 'national' && f.category === '')?.value ?? null,
  }
}

/**
 * The comparison table for a force's counts over `months` months (annualised to a year), or null when the force has
 * no comparator area set.
 */
export async function loadComparisons(
  db: Db,
  forceId: string,
  own: { label: string; periodText: string; totals: Counts; months: number },
): Promise<Comparisons | null> {
  const settings = await comparisonSettings(db, forceId)
  if (!settings) return null
  const census = await comparatorFigures(db, {
    measure: 'population_2011_ho_groups',
    periodStart: CENSUS_DAY,
    periodEnd: CENSUS_DAY,
  })
  // Each area's residents: the sum of its groups (the import stores the groups, not a total).
  const population = new Map<string, number>()
  for (const f of census)
    if (f.areaKind === 'force' && f.category !== 'All' && f.value !== null)
      population.set(f.area, (population.get(f.area) ?? 0) + f.value)
  const nationalPopulation = forceAreas.every((a) => population.has(a))
    ? forceAreas.reduce((sum, a) => sum + (population.get(a) ?? 0), 0)
    : null

  // The latest financial year of Home Office counts, and officers at the 31 March it ends on (or the latest before).
  const hoYear = (await comparatorPeriods(db, 'incidents')).find((p) => p.periodStart.endsWith('-04-01'))
  const officerDates = await comparatorPeriods(db, 'officer_fte')
  const officersFor = (end: string | undefined) =>
    (end ? officerDates.find((p) => p.periodEnd <= end) : undefined) ?? officerDates[0]
  const [incidents, ced, discharges] = await Promise.all([
    byArea(db, 'incidents', hoYear),
    byArea(db, 'ced_total', hoYear),
    byArea(db, 'ced_discharge', hoYear),
  ])
  const [ownOfficers, yearOfficers] = await Promise.all([
    byArea(db, 'officer_fte', officerDates[0]),
    byArea(db, 'officer_fte', officersFor(hoYear?.periodEnd)),
  ])
  const officersAt = (p: { periodEnd: string } | undefined) => (p ? periodLabel(p.periodEnd, p.periodEnd) : null)

  const annual = (n: number) => (n * 12) / own.months
  const ownPerYear: Rates = {
    uses: annual(own.totals.reports),
    ced: annual(own.totals.cedUsed),
    discharges: annual(own.totals.cedDischarged),
  }
  const row = (
    kind: ComparisonRow['kind'],
    label: string,
    countsFrom: string,
    perYear: Rates,
    pop: number | null,
    officers: number | null,
    at: string | null,
  ): ComparisonRow => ({
    kind,
    label,
    countsFrom,
    perYear,
    population: pop,
    officers,
    officersAt: at,
    per1000: ratesOf(perYear, pop, 1000),
    per100Officers: ratesOf(perYear, officers, 100),
  })

  const similarChosen = settings.similarAreas.length > 0
  const similarAreas = similarChosen
    ? settings.similarAreas
    : nearestByPopulation(settings.comparatorArea, population, SIMILAR_BY_POPULATION)
  const rows: ComparisonRow[] = [
    row(
      'own',
      own.label,
      own.periodText,
      ownPerYear,
      population.get(settings.comparatorArea) ?? null,
      ownOfficers.force.get(settings.comparatorArea) ?? null,
      officersAt(officerDates[0]),
    ),
  ]
  if (hoYear) {
    const year = periodLabel(hoYear.periodStart, hoYear.periodEnd)
    const at = officersAt(officersFor(hoYear.periodEnd))
    const nationalOfficers = forceAreas.every((a) => yearOfficers.force.has(a))
      ? forceAreas.reduce((sum, a) => sum + (yearOfficers.force.get(a) ?? 0), 0)
      : null
    rows.push(
      row(
        'national',
        'England and Wales',
        year,
        { uses: incidents.national, ced: ced.national, discharges: discharges.national },
        nationalPopulation,
        nationalOfficers,
        at,
      ),
    )
    for (const area of similarAreas)
      rows.push(
        row(
          'similar',
          area,
          year,
          {
            uses: incidents.force.get(area) ?? null,
            ced: ced.force.get(area) ?? null,
            discharges: discharges.force.get(area) ?? null,
          },
          population.get(area) ?? null,
          yearOfficers.force.get(area) ?? null,
          at,
        ),
      )
  }
  return { area: settings.comparatorArea, similarAreas, similarChosen, rows, nationalMissing: !hoYear }
}

/** Most similar forces a force may name: enough for a family of forces, few enough to read in one table. */
export const MAX_SIMILAR_AREAS = 8

/** Sets the force's comparison area and similar forces (empty: the nearest by population), audited with both. */
export async function saveComparisonSettings(
  { db, clock }: { db: Db; clock: () => Date },
  actor: Actor,
  forceId: string,
  settings: ComparisonSettings,
): Promise<void> {
  const now = clock()
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('dashboard_settings')
      .select(['comparator_area', 'similar_areas'])
      .where('force_id', '=', forceId)
      .forUpdate()
      .executeTakeFirst()
    const values = {
      comparator_area: settings.comparatorArea,
      similar_areas: settings.similarAreas,
      updated_at: now,
      updated_by_user_id: actor.userId,
    }
    await trx
      .insertInto('dashboard_settings')
      .values({ force_id: forceId, ...values })
      .onConflict((oc) => oc.column('force_id').doUpdateSet(values))
      .execute()
    await appendAudit(
      trx,
      {
        forceId,
        actor,
        action: 'dashboard_settings.changed',
        entityType: 'force',
        entityId: forceId,
        details: {
          before: before ? { comparatorArea: before.comparator_area, similarAreas: before.similar_areas } : null,
          after: settings,
        },
      },
      now,
    )
  })
}
