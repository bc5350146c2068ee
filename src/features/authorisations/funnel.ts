import { sql } from 'kysely'
import { cedDischarged, cedUsed } from '../../db/ced-counts.js'
import type { Db } from '../../db/database.js'
import { londonMonthStart } from '../../db/london-time.js'
import { shiftMonth } from '../../domain/calendar.js'

/**
 * The deployment funnel for a period of whole months: immediate and prompt incidents (the control room's counts,
 * imported) → deployments authorised for immediate and prompt incidents → authorised incidents where a Taser was
 * used → authorised incidents where it was discharged.
 *
 * Uses and discharges count incidents, as the published example does ("55 uses" of "309 authorisations"): an
 * authorised incident counts once as a use when any report on it records any CED level, and once as a discharge when
 * any report's highest level is a discharge (the Home Office rule, src/db/ced-counts.ts). Planned operations are
 * authorised too but are not in the control room's immediate/prompt count, so they are shown beside the funnel and
 * left out of it.
 */
export interface FunnelCounts {
  incidents: number
  authorisations: number
  uses: number
  discharges: number
}

export interface Funnel extends FunnelCounts {
  from: string
  to: string
  /** Authorisations for planned operations in the period, outside the funnel. */
  planned: number
  /** Months of the period with no imported incident count: the incidents figure is short by those months. */
  monthsWithoutCounts: string[]
}

/**
 * A percentage as the published tables print it: whole numbers, and two decimal places below 1% (so 309 of 55,154
 * reads 0.56%, not 1%). Half rounds up. Null when there is nothing to divide by.
 */
export function formatPercent(part: number, whole: number): string | null {
  if (whole === 0) return null
  const percent = (part / whole) * 100
  if (percent > 0 && percent < 1) return `${(Math.round(percent * 100) / 100).toFixed(2)}%`
  return `${Math.round(percent)}%`
}

export interface FunnelStage {
  key: keyof FunnelCounts
  label: string
  count: number
  /** The share of the stage it is measured against, as printed, and what that stage is. */
  percent: string | null
  of: string | null
}

/** The stages with their percentages: authorisations of incidents; uses and discharges of authorisations. */
export function funnelStages(counts: FunnelCounts): FunnelStage[] {
  return [
    { key: 'incidents', label: 'Immediate and prompt incidents', count: counts.incidents, percent: null, of: null },
    {
      key: 'authorisations',
      label: 'Deployments authorised',
      count: counts.authorisations,
      percent: formatPercent(counts.authorisations, counts.incidents),
      of: 'of incidents',
    },
    {
      key: 'uses',
      label: 'Taser used',
      count: counts.uses,
      percent: formatPercent(counts.uses, counts.authorisations),
      of: 'of authorisations',
    },
    {
      key: 'discharges',
      label: 'Taser discharged',
      count: counts.discharges,
      percent: formatPercent(counts.discharges, counts.authorisations),
      of: 'of authorisations',
    },
  ]
}

/** The start of a month in London, as a timestamptz expression. */

/** The funnel from the first day of `from` to the last day of `to` (months as 'YYYY-MM'), London time. */
export async function loadFunnel(db: Db, forceId: string, from: string, to: string): Promise<Funnel> {
  const end = shiftMonth(to, 1)
  const [counts, stages] = await Promise.all([
    db
      .selectFrom('incident_counts')
      .select(['month', 'immediate', 'prompt'])
      .where('force_id', '=', forceId)
      .where('month', '>=', `${from}-01`)
      .where('month', '<', `${end}-01`)
      .execute(),
    sql<{ authorisations: number; planned: number; uses: number; discharges: number }>`
      select
        count(*) filter (where d.grade <> 'planned')::int as authorisations,
        count(*) filter (where d.grade = 'planned')::int as planned,
        count(distinct d.incident_id) filter (where d.grade <> 'planned' and exists (
          select 1 from reports r where r.incident_id = d.incident_id and ${cedUsed('r')}))::int as uses,
        count(distinct d.incident_id) filter (where d.grade <> 'planned' and exists (
          select 1 from reports r where r.incident_id = d.incident_id and ${cedDischarged('r')}))::int
          as discharges
      from deployment_authorisations d
      where d.force_id = ${forceId}
        and d.authorised_at >= ${londonMonthStart(from)}
        and d.authorised_at < ${londonMonthStart(end)}`.execute(db),
  ])
  const counted = new Set(counts.map((c) => c.month.slice(0, 7)))
  const monthsWithoutCounts: string[] = []
  for (let month = from; month <= to; month = shiftMonth(month, 1))
    if (!counted.has(month)) monthsWithoutCounts.push(month)
  const row = stages.rows[0]
  return {
    from,
    to,
    incidents: counts.reduce((sum, c) => sum + c.immediate + c.prompt, 0),
    authorisations: Number(row?.authorisations ?? 0),
    planned: Number(row?.planned ?? 0),
    uses: Number(row?.uses ?? 0),
    discharges: Number(row?.discharges ?? 0),
    monthsWithoutCounts,
  }
}
