import { sql } from 'kysely'
import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import { removalCutoff, retainedRecords, type RetainedRecord } from '../../domain/retention/retention.js'
import { appendAudit, type Actor } from '../audit/ledger.js'

interface Deps {
  db: Db
  clock: Clock
}

/** The force's period for every record type: its own where set, otherwise the default. */
export async function retentionPeriods(db: Db, forceId: string): Promise<Record<RetainedRecord, number>> {
  const set = await db
    .selectFrom('retention_policies')
    .select(['record_type', 'keep_days'])
    .where('force_id', '=', forceId)
    .execute()
  const own = new Map(set.map((r) => [r.record_type, r.keep_days]))
  return Object.fromEntries(retainedRecords.codes.map((c) => [c.value, own.get(c.value) ?? c.defaultDays])) as Record<
    RetainedRecord,
    number
  >
}

export async function saveRetentionPeriods(
  deps: Deps,
  actor: Actor,
  forceId: string,
  periods: Record<RetainedRecord, number>,
): Promise<void> {
  const now = deps.clock()
  await deps.db.transaction().execute(async (trx) => {
    for (const [recordType, keepDays] of Object.entries(periods))
      await trx
        .insertInto('retention_policies')
        .values({
          force_id: forceId,
          record_type: recordType,
          keep_days: keepDays,
          updated_at: now,
          updated_by: actor.userId,
        })
        .onConflict((oc) =>
          oc
            .columns(['force_id', 'record_type'])
            .doUpdateSet({ keep_days: keepDays, updated_at: now, updated_by: actor.userId }),
        )
        .execute()
    await appendAudit(
      trx,
      { forceId, actor, action: 'retention.periods_changed', entityType: 'force', entityId: forceId, details: periods },
      now,
    )
  })
}

/**
 * Removes the force's records that are past their period, and nothing else, in one transaction with one audit
 * entry naming what was removed and the cutoff. Nothing due: nothing written, not even to the ledger.
 */
export async function applyRetention(deps: Deps, actor: Actor, forceId: string): Promise<number> {
  const now = deps.clock()
  const periods = await retentionPeriods(deps.db, forceId)
  return deps.db.transaction().execute(async (trx) => {
    const removed: Partial<Record<RetainedRecord, { count: number; before: string }>> = {}
    const drafts = removalCutoff(now, periods.report_drafts)
    const draftRows = await trx
      .deleteFrom('report_drafts')
      .where('force_id', '=', forceId)
      .where('updated_at', '<', drafts)
      .executeTakeFirst()
    if (Number(draftRows.numDeletedRows) > 0)
      removed.report_drafts = { count: Number(draftRows.numDeletedRows), before: drafts.toISOString() }
    const keys = removalCutoff(now, periods.idempotency_keys)
    const keyRows = await trx
      .deleteFrom('idempotency_keys')
      .where('created_at', '<', keys)
      .where(sql<boolean>`user_id in (select id from users where force_id = ${forceId})`)
      .executeTakeFirst()
    if (Number(keyRows.numDeletedRows) > 0)
      removed.idempotency_keys = { count: Number(keyRows.numDeletedRows), before: keys.toISOString() }
    const total = Object.values(removed).reduce((n, r) => n + r.count, 0)
    if (total > 0)
      await appendAudit(
        trx,
        { forceId, actor, action: 'retention.applied', entityType: 'force', entityId: forceId, details: removed },
        now,
      )
    return total
  })
}
