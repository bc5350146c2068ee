import { sql, type Transaction } from 'kysely'
import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import type { Database } from '../../db/schema.js'
import {
  defaultThresholds,
  teamComparison,
  type FlagOutcome,
  type ThresholdRule,
} from '../../domain/early-intervention/early-intervention.js'
import { londonDate } from '../../domain/calendar.js'
import { appendAudit, appendAuditBatch, type Actor } from '../audit/ledger.js'
import { canActOn, type Principal } from '../auth/policy.js'
import { unitPathOf } from '../reports/reports.repository.js'
import { overThresholds, teamCounts } from './early-intervention.repository.js'

interface Deps {
  db: Db
  clock: Clock
}

export type Outcome = { ok: true } | { ok: false; status: 400 | 403 | 404; field: string; message: string }

/**
 * Evaluates every active threshold for every officer of the force as of a UK calendar day (today by the clock
 * unless given) and raises a flag for each episode not flagged before, with the officer's team comparison as it
 * stands that day. Idempotent: evaluating again raises nothing new. Runs one at a time per force.
 */
export async function evaluateEarlyIntervention(
  deps: Deps,
  actor: Actor,
  forceId: string,
  asOf: string = londonDate(deps.clock()),
): Promise<{ raised: number }> {
  return deps.db.transaction().execute((trx) => evaluateEarlyInterventionIn(trx, actor, forceId, asOf, deps.clock()))
}

export async function evaluateEarlyInterventionIn(
  trx: Transaction<Database>,
  actor: Actor,
  forceId: string,
  asOf: string,
  now: Date,
): Promise<{ raised: number }> {
  await sql`select pg_advisory_xact_lock(hashtext(${`early-intervention:${forceId}`}))`.execute(trx)
  const found = await overThresholds(trx, forceId, asOf)
  if (found.length === 0) return { raised: 0 }
  const teams = await teamCounts(trx, forceId, asOf, found)
  const rows = found.map((f) => {
    const team = teamComparison(teams.get(`${f.thresholdId}:${f.teamId}`) ?? [f.count])
    return {
      force_id: forceId,
      person_id: f.personId,
      threshold_id: f.thresholdId,
      metric: f.metric,
      window_days: f.windowDays,
      min_count: f.minCount,
      episode_started_on: f.episodeStartedOn,
      as_of: asOf,
      event_count: f.count,
      team_id: f.teamId,
      team_size: team.size,
      team_median: team.median,
      team_mean: team.mean,
      status: 'open' as const,
      raised_at: now,
    }
  })
  const inserted = await trx
    .insertInto('early_intervention_flags')
    .values(rows)
    .onConflict((oc) => oc.doNothing())
    .returning(['id', 'person_id', 'metric', 'window_days', 'min_count', 'event_count', 'episode_started_on'])
    .execute()
  await appendAuditBatch(
    trx,
    inserted.map((f) => ({
      forceId,
      actor,
      action: 'early_intervention_flag.raised',
      entityType: 'early_intervention_flag',
      entityId: f.id,
      details: {
        personId: f.person_id,
        metric: f.metric,
        windowDays: f.window_days,
        minCount: f.min_count,
        count: f.event_count,
        episodeStartedOn: f.episode_started_on,
        asOf,
      },
    })),
    now,
  )
  return { raised: inserted.length }
}

/**
 * Records what a supervisor or Professional Standards did about a flag, closing it when they say so. Checked
 * against the caller's scope over the officer's current team; a closed flag takes no more actions.
 */
export async function recordFlagAction(
  deps: Deps,
  actor: Actor,
  principal: Principal,
  input: { flagId: string; outcome: FlagOutcome; notes: string; close: boolean },
): Promise<Outcome> {
  return deps.db.transaction().execute(async (trx) => {
    const flag = await trx
      .selectFrom('early_intervention_flags as f')
      .innerJoin('personnel as p', 'p.id', 'f.person_id')
      .select(['f.id', 'f.status', 'f.person_id', 'p.unit_id'])
      .where('f.force_id', '=', principal.forceId)
      .where('f.id', '=', input.flagId)
      .forUpdate('f')
      .executeTakeFirst()
    if (!flag) return { ok: false, status: 404, field: 'outcome', message: 'Flag not found' }
    const where = { forceId: principal.forceId, unitPath: await unitPathOf(trx, flag.unit_id) }
    if (!canActOn(principal, 'early-intervention.manage', where))
      return { ok: false, status: 403, field: 'outcome', message: 'You cannot act on this flag' }
    if (flag.status === 'closed')
      return { ok: false, status: 400, field: 'outcome', message: 'This flag is closed: it takes no more actions' }
    const close = input.close && input.outcome !== 'note'
    const now = deps.clock()
    const action = await trx
      .insertInto('early_intervention_actions')
      .values({
        flag_id: flag.id,
        outcome: input.outcome,
        notes: input.notes,
        closes: close,
        recorded_by_user_id: principal.userId,
        recorded_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    if (close)
      await trx
        .updateTable('early_intervention_flags')
        .set({ status: 'closed', closed_at: now })
        .where('id', '=', flag.id)
        .execute()
    await appendAudit(
      trx,
      {
        forceId: principal.forceId,
        actor,
        action: close ? 'early_intervention_flag.closed' : 'early_intervention_flag.action_recorded',
        entityType: 'early_intervention_flag',
        entityId: flag.id,
        details: { actionId: action.id, outcome: input.outcome, notes: input.notes },
      },
      now,
    )
    return { ok: true }
  })
}

/** Adds a threshold, or changes or retires one; audited with the rule before and after. */
export async function saveThreshold(
  deps: Deps,
  actor: Actor,
  forceId: string,
  input: { id: string | null } & ThresholdRule & { active: boolean },
): Promise<Outcome> {
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.clock()
    const clash = await trx
      .selectFrom('early_intervention_thresholds')
      .select('id')
      .where('force_id', '=', forceId)
      .where('metric', '=', input.metric)
      .where('window_days', '=', input.windowDays)
      .where('active', '=', true)
      .$if(input.id !== null, (q) => q.where('id', '<>', input.id ?? ''))
      .executeTakeFirst()
    if (clash && input.active)
      return {
        ok: false,
        status: 400,
        field: 'windowDays',
        message: 'There is already a threshold for this measure over this many days: change that one instead',
      }
    const values = {
      metric: input.metric,
      window_days: input.windowDays,
      min_count: input.minCount,
      active: input.active,
      updated_at: now,
      updated_by_user_id: actor.userId,
    }
    let id = input.id
    let before: Record<string, unknown> | null = null
    if (id === null) {
      id = (
        await trx
          .insertInto('early_intervention_thresholds')
          .values({ ...values, force_id: forceId, created_at: now })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id
    } else {
      const existing = await trx
        .selectFrom('early_intervention_thresholds')
        .select(['metric', 'window_days', 'min_count', 'active'])
        .where('force_id', '=', forceId)
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst()
      if (!existing) return { ok: false, status: 404, field: 'metric', message: 'Threshold not found' }
      before = existing
      await trx.updateTable('early_intervention_thresholds').set(values).where('id', '=', id).execute()
    }
    await appendAudit(
      trx,
      {
        forceId,
        actor,
        action: before ? 'early_intervention_threshold.changed' : 'early_intervention_threshold.added',
        entityType: 'early_intervention_threshold',
        entityId: id,
        details: {
          before,
          after: {
            metric: input.metric,
            window_days: input.windowDays,
            min_count: input.minCount,
            active: input.active,
          },
        },
      },
      now,
    )
    return { ok: true }
  })
}

/** The recommended thresholds for a force that has none (the demo seed; a new force from the settings page). */
export async function addDefaultThresholds(trx: Transaction<Database>, actor: Actor, forceId: string, now: Date) {
  const rows = await trx
    .insertInto('early_intervention_thresholds')
    .values(
      defaultThresholds.map((t) => ({
        force_id: forceId,
        metric: t.metric,
        window_days: t.windowDays,
        min_count: t.minCount,
        created_at: now,
        updated_at: now,
        updated_by_user_id: actor.userId,
      })),
    )
    .returning(['id', 'metric', 'window_days', 'min_count'])
    .execute()
  await appendAuditBatch(
    trx,
    rows.map((r) => ({
      forceId,
      actor,
      action: 'early_intervention_threshold.added',
      entityType: 'early_intervention_threshold',
      entityId: r.id,
      details: { before: null, after: { metric: r.metric, window_days: r.window_days, min_count: r.min_count } },
    })),
    now,
  )
}
