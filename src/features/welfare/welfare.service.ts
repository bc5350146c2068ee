import { sql, type Transaction } from 'kysely'
import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import { reportFlagSql } from '../../db/report-flags.js'
import type { Database } from '../../db/schema.js'
import { isComplete, type StepOutcome, type WelfareStep } from '../../domain/welfare/welfare.js'
import { appendAudit, appendAuditBatch, type Actor } from '../audit/ledger.js'
import { canActOn, type Principal } from '../auth/policy.js'
import { unitPathOf } from '../reports/reports.repository.js'

interface Deps {
  db: Db
  clock: Clock
}

export type Outcome = { ok: true } | { ok: false; status: 400 | 403 | 404; field: string; message: string }

/**
 * Creates the missing welfare follow-ups: one per officer per incident in which any of their reports records them
 * as assaulted by the person or injured, from the earliest such report. Idempotent (one per incident and officer,
 * enforced by the table), so it runs as a scheduled job (src/features/jobs/) rather than inside report submission. Each follow-up created is audited.
 */
export async function ensureWelfareFollowUps(deps: Deps, actor: Actor, forceId: string): Promise<number> {
  return deps.db.transaction().execute((trx) => ensureWelfareFollowUpsIn(trx, actor, forceId, deps.clock()))
}

export async function ensureWelfareFollowUpsIn(
  trx: Transaction<Database>,
  actor: Actor,
  forceId: string,
  now: Date,
): Promise<number> {
  const { rows } = await sql<{ id: string; report_id: string; person_id: string }>`
    insert into welfare_follow_ups
      (force_id, incident_id, report_id, person_id, occurred_at, assaulted, injured, status, created_at)
    select distinct on (r.incident_id, r.officer_person_id) r.force_id, r.incident_id, r.id, r.officer_person_id,
      r.occurred_at,
      bool_or(${reportFlagSql.officerAssaulted('r')}) over officer_incident,
      bool_or(${reportFlagSql.officerInjured('r')}) over officer_incident,
      'open', ${now}
    from reports r
    where r.force_id = ${forceId} and r.officer_person_id is not null
      and (${reportFlagSql.officerAssaulted('r')} or ${reportFlagSql.officerInjured('r')})
      and not exists (select 1 from welfare_follow_ups w
        where w.incident_id = r.incident_id and w.person_id = r.officer_person_id)
    window officer_incident as (partition by r.incident_id, r.officer_person_id)
    order by r.incident_id, r.officer_person_id, r.submitted_at, r.id
    on conflict (incident_id, person_id) do nothing
    returning id, report_id, person_id`.execute(trx)
  await appendAuditBatch(
    trx,
    rows.map((f) => ({
      forceId,
      actor,
      action: 'welfare_follow_up.created',
      entityType: 'welfare_follow_up',
      entityId: f.id,
      details: { reportId: f.report_id, personId: f.person_id },
    })),
    now,
  )
  return rows.length
}

/**
 * Records one step of a follow-up (again, to correct it: the latest entry counts, earlier ones stay). The follow-up
 * is complete, and audited as such, once every step has an entry.
 */
export async function recordWelfareStep(
  deps: Deps,
  actor: Actor,
  principal: Principal,
  input: {
    followUpId: string
    step: WelfareStep
    outcome: StepOutcome
    carriedOutBy: string
    carriedOutOn: string
    notes: string
  },
): Promise<Outcome> {
  return deps.db.transaction().execute(async (trx) => {
    const followUp = await trx
      .selectFrom('welfare_follow_ups as f')
      .innerJoin('personnel as p', 'p.id', 'f.person_id')
      .select(['f.id', 'f.status', 'f.person_id', 'p.unit_id'])
      .where('f.force_id', '=', principal.forceId)
      .where('f.id', '=', input.followUpId)
      .forUpdate('f')
      .executeTakeFirst()
    if (!followUp) return { ok: false, status: 404, field: 'outcome', message: 'Follow-up not found' }
    const where = {
      forceId: principal.forceId,
      unitPath: await unitPathOf(trx, followUp.unit_id),
      ownerPersonId: followUp.person_id,
    }
    if (!canActOn(principal, 'welfare.manage', where))
      return { ok: false, status: 403, field: 'outcome', message: 'You cannot record steps for this officer' }
    const now = deps.clock()
    const entry = await trx
      .insertInto('welfare_step_entries')
      .values({
        follow_up_id: followUp.id,
        step: input.step,
        outcome: input.outcome,
        carried_out_by: input.carriedOutBy,
        carried_out_on: input.carriedOutOn,
        notes: input.notes,
        recorded_by_user_id: principal.userId,
        recorded_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await appendAudit(
      trx,
      {
        forceId: principal.forceId,
        actor,
        action: 'welfare_follow_up.step_recorded',
        entityType: 'welfare_follow_up',
        entityId: followUp.id,
        details: { entryId: entry.id, ...input },
      },
      now,
    )
    if (followUp.status === 'open') {
      const steps = await trx
        .selectFrom('welfare_step_entries')
        .select('step')
        .distinct()
        .where('follow_up_id', '=', followUp.id)
        .execute()
      if (isComplete(steps.map((s) => s.step))) {
        await trx
          .updateTable('welfare_follow_ups')
          .set({ status: 'completed', completed_at: now })
          .where('id', '=', followUp.id)
          .execute()
        await appendAudit(
          trx,
          {
            forceId: principal.forceId,
            actor,
            action: 'welfare_follow_up.completed',
            entityType: 'welfare_follow_up',
            entityId: followUp.id,
          },
          now,
        )
      }
    }
    return { ok: true }
  })
}
