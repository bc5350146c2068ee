import { sql } from 'kysely'
import { cedDischarged, cedUsed } from '../../db/ced-counts.js'
import type { Db } from '../../db/database.js'
import { addDays, shiftMonth } from '../../domain/calendar.js'
import { loadFunnel, type FunnelCounts } from '../authorisations/funnel.js'
import { cedAuthorityAsAt } from '../training/authority.repository.js'

/**
 * The evidence pack of a threat and risk assessment: generated from the records for a period of whole months and
 * stored with the version, so an approved assessment keeps the evidence it was decided on even as records change.
 *
 * Each top-level unit (basic command unit or department) gets its CED uses and discharges (reports, by the reporting
 * officer's unit, Home Office rule in src/db/ced-counts.ts), the reports recording the officer assaulted by the
 * subject, and the officers authorised to carry Taser on the last day of the period, by team (shift). Authority is
 * derived by the training capability's one rule, never counted from anything typed.
 */
export interface EvidenceUnit {
  unitId: string
  name: string
  cedUses: number
  discharges: number
  assaults: number
  authorisedOfficers: number
  teams: { name: string; authorisedOfficers: number }[]
}

export interface EvidencePack {
  from: string
  to: string
  /** The day authority was derived on: the period's last day, or today when the period has not ended. */
  authorityAsAt: string
  totals: { reports: number; cedUses: number; discharges: number; assaults: number; authorisedOfficers: number }
  units: EvidenceUnit[]
  funnel: FunnelCounts & { planned: number }
}

const londonStart = (day: string) => sql`(${day}::date)::timestamp at time zone 'Europe/London'`

export async function buildEvidencePack(
  db: Db,
  forceId: string,
  period: { from: string; to: string },
  today: string,
): Promise<EvidencePack> {
  const { from, to } = period
  const lastDay = lastDayOfMonth(to)
  const authorityAsAt = lastDay < today ? lastDay : today
  const units = await db
    .selectFrom('org_units as u')
    .leftJoin('org_units as parent', 'parent.id', 'u.parent_id')
    .where('u.force_id', '=', forceId)
    .select(['u.id', 'u.name', 'u.kind', 'u.parent_id', 'parent.kind as parent_kind'])
    .execute()
  // A unit's top-level unit: itself when it sits directly under the force, else its parent (teams sit under a BCU).
  const topOf = new Map(
    units.map((u) => [u.id, u.parent_kind === 'force' || u.kind === 'force' ? u.id : (u.parent_id ?? u.id)]),
  )
  const nameOf = new Map(units.map((u) => [u.id, u.name]))
  const tops = units.filter((u) => u.parent_kind === 'force')

  const [reportRows, authority, funnel] = await Promise.all([
    db
      .selectFrom('reports as r')
      .where('r.force_id', '=', forceId)
      .where(sql<boolean>`r.occurred_at >= ${londonStart(`${from}-01`)}`)
      .where(sql<boolean>`r.occurred_at < ${londonStart(addDays(lastDay, 1))}`)
      .groupBy('r.officer_unit_id')
      .select([
        'r.officer_unit_id',
        sql<number>`count(*)::int`.as('reports'),
        sql<number>`(count(*) filter (where ${cedUsed('r')}))::int`.as('ced_uses'),
        sql<number>`(count(*) filter (where ${cedDischarged('r')}))::int`.as('discharges'),
        sql<number>`(count(*) filter (where r.assaulted_by_subject))::int`.as('assaults'),
      ])
      .execute(),
    cedAuthorityAsAt(db, { forceId, asAt: authorityAsAt }),
    loadFunnel(db, forceId, from, to),
  ])

  const byTop = new Map<string, EvidenceUnit>(
    tops.map((u) => [
      u.id,
      { unitId: u.id, name: u.name, cedUses: 0, discharges: 0, assaults: 0, authorisedOfficers: 0, teams: [] },
    ]),
  )
  const totals = { reports: 0, cedUses: 0, discharges: 0, assaults: 0, authorisedOfficers: 0 }
  for (const row of reportRows) {
    totals.reports += row.reports
    totals.cedUses += row.ced_uses
    totals.discharges += row.discharges
    totals.assaults += row.assaults
    const top = row.officer_unit_id ? byTop.get(topOf.get(row.officer_unit_id) ?? '') : undefined
    if (!top) continue
    top.cedUses += row.ced_uses
    top.discharges += row.discharges
    top.assaults += row.assaults
  }
  const teamCounts = new Map<string, number>()
  for (const person of authority) {
    if (person.authority.authorisedModels.length === 0) continue
    totals.authorisedOfficers++
    teamCounts.set(person.unitId, (teamCounts.get(person.unitId) ?? 0) + 1)
  }
  for (const [unitId, count] of teamCounts) {
    const top = byTop.get(topOf.get(unitId) ?? '')
    if (!top) continue
    top.authorisedOfficers += count
    top.teams.push({
      name: unitId === top.unitId ? `${top.name} (no team)` : (nameOf.get(unitId) ?? ''),
      authorisedOfficers: count,
    })
  }
  for (const unit of byTop.values()) unit.teams.sort((a, b) => a.name.localeCompare(b.name))
  return {
    from,
    to,
    authorityAsAt,
    totals,
    units: [...byTop.values()].sort((a, b) => a.name.localeCompare(b.name)),
    funnel: {
      incidents: funnel.incidents,
      authorisations: funnel.authorisations,
      uses: funnel.uses,
      discharges: funnel.discharges,
      planned: funnel.planned,
    },
  }
}

/** The last day of a 'YYYY-MM' month. */
export function lastDayOfMonth(month: string): string {
  return addDays(`${shiftMonth(month, 1)}-01`, -1)
}
