import { sql, type Transaction } from 'kysely'
import type { Db } from '../../db/database.js'
import { pageOf } from '../../db/paging.js'
import type { Database } from '../../db/schema.js'
import type { ScopeFilter } from '../auth/policy.js'
import { dashboardFigures } from '../dashboards/dashboards.service.js'
import { scopeCondition, subtreeOf } from '../../db/scope.js'

type Executor = Db | Transaction<Database>

/**
 * Assaults on officers and officer injuries by UK calendar month, counted in reports (one officer's account of one
 * person, the Home Office's unit for officer injuries, Table 10), for the months from `from` to `to` ('YYYY-MM')
 * within a scope over the reporting officer's unit at the time. Every month appears, with zeros. Read from the
 * dashboards' rollup, so this page and the dashboards' trend are one count; the rollup has no per-officer figures,
 * so an 'own' scope gets nothing (the page shows officers their follow-ups, not a trend).
 */
export async function officerAssaultsByMonth(
  db: Db,
  scope: ScopeFilter,
  range: { from: string; to: string },
): Promise<{ month: string; assaulted: number; withWeapon: number; injured: number; severe: number }[]> {
  if (scope.kind === 'none' || scope.kind === 'own') return []
  const unitIds =
    scope.kind === 'subtree'
      ? (await sql<{ id: string }>`select id from ${subtreeOf(scope.unitId)} as s`.execute(db)).rows.map((r) => r.id)
      : null
  const { months } = await dashboardFigures(db, { forceId: scope.forceId, unitIds }, range)
  return months.map(({ month, counts }) => ({
    month,
    assaulted: counts.officerAssaulted,
    withWeapon: counts.assaultedWithWeapon,
    injured: counts.officerInjured,
    severe: counts.officerInjuredSevere,
  }))
}

export interface FollowUpListItem {
  id: string
  officer: string
  collarNumber: string | null
  teamName: string | null
  occurredAt: Date
  reference: string
  assaulted: boolean
  injured: boolean
  status: 'open' | 'completed'
  stepsDone: number
}

export async function listFollowUps(
  db: Executor,
  scope: ScopeFilter,
  options: { status: 'open' | 'completed' | 'all'; page: number; pageSize: number },
): Promise<{ followUps: FollowUpListItem[]; total: number }> {
  if (scope.kind === 'none') return { followUps: [], total: 0 }
  let query = db
    .selectFrom('welfare_follow_ups as f')
    .innerJoin('personnel as p', 'p.id', 'f.person_id')
    .innerJoin('incidents as i', 'i.id', 'f.incident_id')
    .leftJoin('org_units as u', 'u.id', 'p.unit_id')
    // Over the officer's current unit.
    .where(scopeCondition(scope, { force: 'f.force_id', unit: 'p.unit_id', person: 'f.person_id' }))
  if (options.status !== 'all') query = query.where('f.status', '=', options.status)
  const { rows, total } = await pageOf(
    query,
    (q) =>
      q
        .select([
          'f.id',
          'p.given_name',
          'p.family_name',
          'p.collar_number',
          'u.name as team_name',
          'f.occurred_at',
          'i.reference',
          'f.assaulted',
          'f.injured',
          'f.status',
          sql<number>`(select count(distinct e.step) from welfare_step_entries e where e.follow_up_id = f.id)::int`.as(
            'steps_done',
          ),
        ])
        .orderBy('f.occurred_at', 'desc')
        .orderBy('f.id'),
    options,
  )
  return {
    total,
    followUps: rows.map((r) => ({
      id: r.id,
      officer: `${r.given_name} ${r.family_name}`,
      collarNumber: r.collar_number,
      teamName: r.team_name,
      occurredAt: r.occurred_at,
      reference: r.reference,
      assaulted: r.assaulted,
      injured: r.injured,
      status: r.status,
      stepsDone: Number(r.steps_done),
    })),
  }
}

export async function findFollowUp(db: Executor, forceId: string, id: string) {
  return db
    .selectFrom('welfare_follow_ups as f')
    .innerJoin('personnel as p', 'p.id', 'f.person_id')
    .innerJoin('incidents as i', 'i.id', 'f.incident_id')
    .innerJoin('reports as r', 'r.id', 'f.report_id')
    .leftJoin('org_units as u', 'u.id', 'p.unit_id')
    .select([
      'f.id',
      'f.person_id',
      'f.report_id',
      'p.given_name',
      'p.family_name',
      'p.rank',
      'p.collar_number',
      'p.unit_id',
      'u.name as team_name',
      'f.occurred_at',
      'i.reference',
      'f.assaulted',
      'f.injured',
      'r.assaulted_with_weapon',
      'r.officer_injury_level',
      'r.officer_medical_provided',
      'f.status',
      'f.created_at',
      'f.completed_at',
    ])
    .where('f.force_id', '=', forceId)
    .where('f.id', '=', id)
    .executeTakeFirst()
}

/** Every entry of a follow-up's steps, oldest first: the last for a step is its state. */
export async function stepEntries(db: Executor, followUpId: string) {
  return db
    .selectFrom('welfare_step_entries as e')
    .leftJoin('users as u', 'u.id', 'e.recorded_by_user_id')
    .select([
      'e.id',
      'e.step',
      'e.outcome',
      'e.carried_out_by',
      'e.carried_out_on',
      'e.notes',
      'e.recorded_at',
      'u.display_name as recorded_by',
    ])
    .where('e.follow_up_id', '=', followUpId)
    .orderBy('e.recorded_at')
    .orderBy('e.id')
    .execute()
}
