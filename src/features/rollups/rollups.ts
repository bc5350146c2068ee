import { sql } from 'kysely'
import type { Db } from '../../db/database.js'
import type { Period } from '../../domain/statistics/period.js'
import { buildDashboardBucket } from '../dashboards/rollup-bucket.js'
import { buildStatisticsBucket, ensureStatisticsLayout } from '../statistics/rollup.js'

/**
 * The monthly rollups, the dashboards' and the statistics', kept exact as reports arrive and change. A *bucket* is
 * one force's London month; both rollups hold derived rows per bucket, always rebuilt whole from the records, never
 * patched row by row, so they cannot drift.
 *
 * Statement-level triggers append a *mark* to `rollup_marks` for every bucket a statement touches (reports inserted,
 * amended or deleted, the incidents and people they describe, the force's unit tree). A read first rebuilds the
 * marked buckets of its period, then deletes exactly the marks it saw.
 *
 * Why this cannot lose a change, at READ COMMITTED: a rebuild, holding a per-bucket advisory lock, (1) reads the
 * bucket's marks, (2) rebuilds the bucket in later statements, so with later snapshots, and (3) deletes only the
 * marks it read in (1), by id. A mark read in (1) was committed before (1), so its reports are in the snapshots of
 * (2). A writer whose mark was not visible in (1) has not committed by then; its mark survives (3) because (3)
 * deletes by id, not "everything up to now", and the next read rebuilds the bucket again. Marks are appended, never
 * updated, so concurrent writers never wait on one another's mark (a counter upserted on one hot row per bucket would
 * make every submission in the current month queue behind the previous one's commit). The advisory lock stops two
 * rebuilds of one bucket interleaving their delete and insert. TRUNCATE of reports is not tracked.
 */

/** Distinguishes our advisory locks from anyone else's (any constant; "dash" in ASCII, from when it was theirs). */
const LOCK_CLASS = 0x64617368

/**
 * Rebuilds the marked buckets of one force (or of every force: null) within a period (or all time), oldest first,
 * each in its own short transaction. Returns how many it rebuilt. Call it after a bulk load to pay for the rebuild
 * up front rather than on the first read.
 */
export async function refreshRollups(db: Db, forceId: string | null, period?: Period): Promise<number> {
  await ensureStatisticsLayout(db)
  let query = db
    .selectFrom('rollup_marks')
    .select(['force_id', 'month'])
    .distinct()
    .orderBy('month')
    .orderBy('force_id')
  if (forceId !== null) query = query.where('force_id', '=', forceId)
  if (period) query = query.where('month', '>=', period.from).where('month', '<=', period.to)
  let rebuilt = 0
  for (const bucket of await query.execute()) if (await rebuildBucket(db, bucket.force_id, bucket.month)) rebuilt += 1
  return rebuilt
}

async function rebuildBucket(db: Db, forceId: string, month: string): Promise<boolean> {
  return db
    .transaction()
    .setIsolationLevel('read committed')
    .execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${LOCK_CLASS}, hashtext(${`${forceId}/${month}`}))`.execute(trx)
      // (1) The marks to consume, read once we hold the lock (another rebuild may have consumed them meanwhile).
      const marks = await trx
        .selectFrom('rollup_marks')
        .select('id')
        .where('force_id', '=', forceId)
        .where('month', '=', month)
        .execute()
      if (marks.length === 0) return false
      // (2) The bucket rebuilt whole, by later statements, so from snapshots that include every report of (1).
      await buildDashboardBucket(trx, forceId, month)
      await buildStatisticsBucket(trx, forceId, month)
      // (3) Only the marks read in (1): a mark committed since then stays, and its bucket is rebuilt next time.
      await trx
        .deleteFrom('rollup_marks')
        .where(
          'id',
          'in',
          marks.map((m) => m.id),
        )
        .execute()
      return true
    })
}
