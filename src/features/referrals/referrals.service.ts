import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import type { ReferralFacts, ReferralOutcome } from '../../domain/review/review-rules.js'
import { reportFlags } from '../../domain/use-of-force/rules.js'
import { appendAudit, type Actor } from '../audit/ledger.js'
import { reviewFacts } from '../review/review.repository.js'

interface Deps {
  db: Db
  clock: Clock
}

export type ReferralFailure = { ok: false; status: 400 | 404 | 409; field: string; message: string }

const notFound: ReferralFailure = { ok: false, status: 404, field: 'form', message: 'Referral not found' }
const decided: ReferralFailure = {
  ok: false,
  status: 409,
  field: 'form',
  message: 'This referral already has an outcome, which cannot be changed',
}

/**
 * Opens a referral for a report the rules flag for mandatory referral (death or serious injury), before or without
 * a supervisor's referral. Opening one twice gives the existing one.
 */
export async function openFlaggedReferral(
  deps: Deps,
  actor: Actor & { userId: string },
  forceId: string,
  reportId: string,
): Promise<{ ok: true; id: string } | ReferralFailure> {
  const { db, clock } = deps
  const [facts] = await reviewFacts(db, { forceId, reportIds: [reportId] })
  if (!facts) return { ...notFound, message: 'Report not found' }
  if (!reportFlags(facts.flagInputs, facts.ageBand).mandatoryReferral) {
    return {
      ok: false,
      status: 400,
      field: 'form',
      message: 'This report is not flagged for mandatory referral: a supervisor refers it through review',
    }
  }
  const now = clock()
  return db.transaction().execute(async (trx) => {
    const made = await trx
      .insertInto('referrals')
      .values({
        force_id: forceId,
        report_id: reportId,
        referred_by_user_id: actor.userId,
        referred_at: now,
        reason: 'The report records a death or serious injury: a mandatory referral',
        updated_at: now,
      })
      .onConflict((oc) => oc.column('report_id').doNothing())
      .returning('id')
      .executeTakeFirst()
    if (!made) {
      const existing = await trx
        .selectFrom('referrals')
        .select('id')
        .where('report_id', '=', reportId)
        .executeTakeFirstOrThrow()
      return { ok: true as const, id: existing.id }
    }
    await appendAudit(
      trx,
      {
        forceId,
        actor,
        action: 'referral.opened',
        entityType: 'referral',
        entityId: made.id,
        details: { reportId, flagged: 'death_or_serious_injury' },
      },
      now,
    )
    return { ok: true as const, id: made.id }
  })
}

/**
 * Changes a referral while it is open, under its row lock, auditing the old and new values: the database's trigger
 * refuses any change once an outcome is recorded, and this refuses it first with a clear message.
 */
async function changeOpenReferral(
  deps: Deps,
  actor: Actor,
  forceId: string,
  id: string,
  change: { action: string; apply: (now: Date) => Record<string, unknown>; details: Record<string, unknown> },
): Promise<{ ok: true } | ReferralFailure> {
  const { db, clock } = deps
  const now = clock()
  return db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('referrals')
      .selectAll()
      .where('id', '=', id)
      .where('force_id', '=', forceId)
      .forUpdate()
      .executeTakeFirst()
    if (!current) return notFound
    if (current.outcome !== null) return decided
    await trx
      .updateTable('referrals')
      .set({ ...change.apply(now), updated_at: now })
      .where('id', '=', id)
      .execute()
    await appendAudit(
      trx,
      { forceId, actor, action: change.action, entityType: 'referral', entityId: id, details: change.details },
      now,
    )
    return { ok: true as const }
  })
}

export function recordReferralFacts(deps: Deps, actor: Actor, forceId: string, id: string, facts: ReferralFacts) {
  return changeOpenReferral(deps, actor, forceId, id, {
    action: 'referral.facts_recorded',
    apply: () => ({ complaint: facts.complaint, conduct_matter: facts.conductMatter }),
    details: { ...facts },
  })
}

export interface OutcomeInput {
  outcome: ReferralOutcome
  notes: string
  decidedOn: string
  iopcReferredOn: string | null
}

export function recordReferralOutcome(
  deps: Deps,
  actor: Actor & { userId: string },
  forceId: string,
  id: string,
  input: OutcomeInput,
) {
  return changeOpenReferral(deps, actor, forceId, id, {
    action: 'referral.outcome_recorded',
    apply: (now) => ({
      outcome: input.outcome,
      outcome_notes: input.notes,
      decided_on: input.decidedOn,
      iopc_referred_on: input.outcome === 'referred_to_iopc' ? input.iopcReferredOn : null,
      outcome_recorded_by_user_id: actor.userId,
      outcome_recorded_at: now,
    }),
    details: { ...input },
  })
}
