import { createHash } from 'node:crypto'
import { sql, type RawBuilder } from 'kysely'
import type { Db } from '../../db/database.js'
import type { Period } from '../../domain/statistics/period.js'
import { dashboardBucketStatements, dashboardRollupTables } from '../dashboards/rollup-bucket.js'
import { statisticsBucketStatements, statisticsRollupTables } from '../statistics/rollup.js'

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
 *
 * What a bucket holds is whatever the builders' statements count, so `rollup_layout` keeps a hash of their SQL text:
 * when the code's differs (a counting rule, a tactic row, a dimension changed), both rollups are emptied and every
 * month with reports is marked, and the refresh that follows rebuilds them.
 */

/** Every statement that rebuilds a bucket, for both rollups, in order. */
const bucketStatements = (forceId: string, month: string): RawBuilder<unknown>[] => [
  ...dashboardBucketStatements(forceId, month),
  ...statisticsBucketStatements(forceId, month),
]

/** Distinguishes our advisory locks from anyone else's (any constant; "dash" in ASCII, from when it was theirs). */
const LOCK_CLASS = 0x64617368

/**
 * Rebuilds the marked buckets of one force (or of every force: null) within a period (or all time), oldest first,
 * each in its own short transaction. Returns how many it rebuilt. Call it after a bulk load to pay for the rebuild
 * up front rather than on the first read.
 */
export async function refreshRollups(db: Db, forceId: string | null, period?: Period): Promise<number> {
  await ensureLayout(db)
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
      for (const statement of bucketStatements(forceId, month)) await statement.execute(trx)
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

let signature: string | undefined
function layoutSignature(db: Db): string {
  signature ??= createHash('sha256')
    .update(
      bucketStatements('00000000-0000-0000-0000-000000000000', '2000-01')
        .map((statement) => statement.compile(db).sql)
        .join(';'),
    )
    .digest('hex')
  return signature
}

/** Distinguishes our advisory lock from anyone else's (any constant; "layo" in ASCII). */
const LAYOUT_LOCK = 0x6c61796f

/** Empties both rollups and marks every month with reports when they were built by other code (or never). */
async function ensureLayout(db: Db): Promise<void> {
  const current = layoutSignature(db)
  const stored = async (trx: Db) =>
    (await trx.selectFrom('rollup_layout').select('signature').executeTakeFirst())?.signature
  if ((await stored(db)) === current) return
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${LAYOUT_LOCK})`.execute(trx)
    if ((await stored(trx)) === current) return
    for (const table of [...dashboardRollupTables, ...statisticsRollupTables]) await trx.deleteFrom(table).execute()
    await sql`insert into rollup_marks (force_id, month)
      select distinct force_id, london_month(occurred_at) from reports order by 1, 2`.execute(trx)
    await trx.deleteFrom('rollup_layout').execute()
    await trx.insertInto('rollup_layout').values({ signature: current }).execute()
  })
}
