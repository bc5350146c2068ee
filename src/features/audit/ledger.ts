import { createHash } from 'node:crypto'
import { sql, type Insertable, type Transaction } from 'kysely'
import type { Db } from '../../db/database.js'
import type { AuditEntryRow, AuditLogTable, Database } from '../../db/schema.js'
import { canonicalJson } from './canonical-json.js'

/**
 * The audit ledger: every write, and every read of a sensitive record, appended in the same transaction as the
 * change, each entry carrying a sha-256 hash over its canonical encoding and the hash of the entry before it.
 *
 * Entries form one chain per (force, lane). A lane is chosen from the entity, so an entity's whole history sits in
 * one chain while writes about different entities need not queue behind a single lock.
 */
export const AUDIT_LANES = 8

// Arbitrary, fixed first key for pg_advisory_xact_lock(int, int), so our locks cannot collide with anyone else's.
const LOCK_NAMESPACE = 0x464c4144 // 'FLAD'

export interface Actor {
  userId: string | null
  /** A readable snapshot of who acted: a username, or "system". */
  label: string
  /** The request the action came in on, so the ledger and the logs can be matched. */
  requestId?: string | null
}

export const systemActor: Actor = { userId: null, label: 'system' }

export interface AuditEvent {
  forceId: string | null
  actor: Actor
  /** What happened, as `entity.verb`, e.g. `user.created`, `session.signed_in`, `user.viewed`. */
  action: string
  entityType: string
  entityId?: string | null
  details?: Record<string, unknown>
  requestId?: string | null
}

export function laneFor(entityType: string, entityId: string | null | undefined): number {
  const digest = createHash('sha256')
    .update(`${entityType}:${entityId ?? ''}`)
    .digest()
  return digest.readUInt32BE(0) % AUDIT_LANES
}

function lockKey(forceId: string | null, lane: number): number {
  return createHash('sha256')
    .update(`${forceId ?? 'national'}:${lane}`)
    .digest()
    .readInt32BE(0)
}

type HashedFields = Omit<AuditEntryRow, 'hash'>

/** The hash of one entry: covers every column but the hash itself, including the previous entry's hash. */
export function entryHash(entry: HashedFields): string {
  const encoded = canonicalJson({
    id: String(entry.id),
    forceId: entry.force_id,
    lane: entry.lane,
    occurredAt: new Date(entry.occurred_at),
    actorUserId: entry.actor_user_id,
    actor: entry.actor,
    action: entry.action,
    entityType: entry.entity_type,
    entityId: entry.entity_id,
    details: entry.details,
    requestId: entry.request_id,
    prevHash: entry.prev_hash,
  })
  return createHash('sha256').update(encoded).digest('hex')
}

/**
 * Appends one entry. Must run inside the transaction that makes the change (hence `Transaction`), at READ
 * COMMITTED: the lane lock is taken in its own statement so the following read of the chain head sees every entry
 * committed before the lock was granted.
 */
export async function appendAudit(trx: Transaction<Database>, event: AuditEvent, now: Date): Promise<number> {
  const [id] = await appendAuditBatch(trx, [event], now)
  if (id === undefined) throw new Error('audit ledger: nothing appended')
  return id
}

/**
 * Appends many entries in three statements whatever their number: lock every chain they touch (in a fixed order,
 * so two batches cannot deadlock), read each chain's head and take the ids, then one insert per thousand rows.
 * Entries keep the order given within each chain.
 */
export async function appendAuditBatch(trx: Transaction<Database>, events: AuditEvent[], now: Date): Promise<number[]> {
  const rows = await sealAuditEntries(trx, events, now)
  for (let i = 0; i < rows.length; i += 1000) {
    await trx
      .insertInto('audit_log')
      .values(rows.slice(i, i + 1000))
      .execute()
  }
  return rows.map((r) => r.id)
}

export type SealedEntry = Insertable<AuditLogTable> & { id: number }

/**
 * The first half of an append: locks the chains the events belong to and hashes the entries onto their heads. The
 * caller must insert the rows before its transaction ends (appendAuditBatch does; a submission folds them into its
 * one write statement).
 */
export async function sealAuditEntries(
  trx: Transaction<Database>,
  events: AuditEvent[],
  now: Date,
): Promise<SealedEntry[]> {
  if (events.length === 0) return []
  const chains = new Map<string, { forceId: string | null; lane: number; key: number }>()
  const laneOf = events.map((event) => {
    const lane = laneFor(event.entityType, event.entityId)
    const name = `${event.forceId ?? 'national'}:${lane}`
    if (!chains.has(name)) chains.set(name, { forceId: event.forceId, lane, key: lockKey(event.forceId, lane) })
    return name
  })
  const ordered = [...chains.entries()].sort(([, a], [, b]) => a.key - b.key || a.lane - b.lane)
  const keys = ordered.map(([, c]) => c.key)
  await sql`select pg_advisory_xact_lock(${LOCK_NAMESPACE}, k) from unnest(${keys}::int[]) with ordinality as t(k, n)
    order by n`.execute(trx)
  const {
    rows: [head],
  } = await sql<{ ids: (number | string)[]; hashes: (string | null)[] }>`
    select
      array(select nextval('audit_log_id_seq') from generate_series(1, ${events.length}::int)) as ids,
      array(
        -- Two branches rather than "is not distinct from", which no index can serve: each is one index probe.
        select coalesce(
          (select a.hash from audit_log a where a.force_id = c.force_id::uuid and a.lane = c.lane
            order by a.id desc limit 1),
          (select a.hash from audit_log a where c.force_id is null and a.force_id is null and a.lane = c.lane
            order by a.id desc limit 1))
        from unnest(${ordered.map(([, c]) => c.forceId)}::text[], ${ordered.map(([, c]) => c.lane)}::int[])
          with ordinality as c(force_id, lane, n)
        order by c.n) as hashes`.execute(trx)
  if (!head) throw new Error('audit ledger: no ids from audit_log_id_seq')
  const heads = new Map(ordered.map(([name], i) => [name, head.hashes[i] ?? null]))
  // Milliseconds only, so the timestamp reads back from the database exactly as it was hashed.
  const occurredAt = new Date(Math.floor(now.getTime()))
  return events.map((event, i) => {
    const chain = laneOf[i] ?? ''
    const entry: HashedFields = {
      id: Number(head.ids[i]),
      force_id: event.forceId,
      lane: chains.get(chain)?.lane ?? 0,
      occurred_at: occurredAt,
      actor_user_id: event.actor.userId,
      actor: event.actor.label,
      action: event.action,
      entity_type: event.entityType,
      entity_id: event.entityId ?? null,
      details: event.details ?? {},
      request_id: event.requestId ?? event.actor.requestId ?? null,
      prev_hash: heads.get(chain) ?? null,
    }
    const hash = entryHash(entry)
    heads.set(chain, hash)
    return { ...entry, details: JSON.stringify(entry.details), hash }
  })
}

/** Records an event on its own, for reads and sign-ins that change nothing else. */
export function recordAudit(db: Db, event: AuditEvent, now: Date): Promise<number> {
  return db.transaction().execute((trx) => appendAudit(trx, event, now))
}

export type VerificationResult =
  | { ok: true; entriesChecked: number; chains: number }
  | {
      ok: false
      entriesChecked: number
      chains: number
      /** The first entry (in ledger order) whose content or link does not verify. */
      firstBroken: { id: number; reason: 'content altered' | 'chain broken' }
    }

const PAGE = 5000

/** Walks every chain from its first entry, recomputing each hash and checking each link. */
export async function verifyAuditLedger(db: Db): Promise<VerificationResult> {
  const heads = new Map<string, string>()
  let entriesChecked = 0
  let afterId = -1
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(PAGE)
      .execute()
    for (const row of rows) {
      const chain = `${row.force_id ?? 'national'}:${row.lane}`
      const expectedPrev = heads.get(chain) ?? null
      if (row.prev_hash !== expectedPrev) return broken(row.id, 'chain broken')
      if (entryHash(row) !== row.hash) return broken(row.id, 'content altered')
      heads.set(chain, row.hash)
      entriesChecked++
    }
    if (rows.length < PAGE) break
    afterId = rows.at(-1)?.id ?? afterId
  }
  return { ok: true, entriesChecked, chains: heads.size }

  function broken(id: number, reason: 'content altered' | 'chain broken'): VerificationResult {
    return { ok: false, entriesChecked, chains: heads.size, firstBroken: { id, reason } }
  }
}
