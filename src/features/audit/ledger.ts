import { createHash } from 'node:crypto'
import { sql, type Insertable, type RawBuilder, type Transaction } from 'kysely'
import type { Db } from '../../db/database.js'
import type { AuditEntryRow, AuditLogTable, Database } from '../../db/schema.js'
import { canonicalJson } from './canonical-json.js'

/**
 * The audit ledger: every write, and every read of a sensitive record, appended in the same transaction as the
 * change, each entry carrying a sha-256 hash over its canonical encoding and the hash of the entry before it.
 *
 * Entries form one chain per (force, lane). A lane is chosen from the entity, so an entity's whole history sits in
 * one chain while writes about different entities need not queue behind a single lock.
 *
 * Each chain's head (its last entry's id and hash) is a row in audit_chain_heads, and the database appends a link
 * with audit_chain_advance (migration 2026-11-22-06): it locks the head row, takes the id, hashes the canonical
 * text Node built with that id and the previous hash spliced in, and moves the head on. So an append is part of
 * the statement that inserts the entry, with no lock or read of its own (see the README's Design notes).
 */
export const AUDIT_LANES = 8

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

const chainOf = (forceId: string | null, lane: number) => `${forceId ?? 'national'}:${lane}`

type HashedFields = Omit<AuditEntryRow, 'hash'>
type UnchainedFields = Omit<HashedFields, 'id' | 'prev_hash'>

/** The body of a canonical JSON object, without its braces, to join with others. */
const members = (value: Record<string, unknown>) => canonicalJson(value).slice(1, -1)

/**
 * The canonical text of an entry, in three parts around the two values only the chain can give: its id (between
 * the first and second part) and the previous entry's hash (between the second and third). Joined, it is
 * canonicalJson of the whole entry: the keys before "id", between "id" and "prevHash", and after, each in order.
 */
function entryText(entry: UnchainedFields): [beforeId: string, beforePrev: string, afterPrev: string] {
  const beforeId = members({
    action: entry.action,
    actor: entry.actor,
    actorUserId: entry.actor_user_id,
    details: entry.details,
    entityId: entry.entity_id,
    entityType: entry.entity_type,
    forceId: entry.force_id,
  })
  const between = members({ lane: entry.lane, occurredAt: new Date(entry.occurred_at) })
  const after = members({ requestId: entry.request_id })
  return [`{${beforeId},"id":"`, `",${between},"prevHash":`, `,${after}}`]
}

/** The hash of one entry: covers every column but the hash itself, including the previous entry's hash. */
export function entryHash(entry: HashedFields): string {
  const [beforeId, beforePrev, afterPrev] = entryText(entry)
  const prev = entry.prev_hash === null ? 'null' : `"${entry.prev_hash}"`
  return createHash('sha256').update(`${beforeId}${entry.id}${beforePrev}${prev}${afterPrev}`).digest('hex')
}

/** An event as the database appends it: its columns and its canonical text. */
function unchained(event: AuditEvent, occurredAt: Date) {
  const entry: UnchainedFields = {
    force_id: event.forceId,
    lane: laneFor(event.entityType, event.entityId),
    occurred_at: occurredAt,
    actor_user_id: event.actor.userId,
    actor: event.actor.label,
    action: event.action,
    entity_type: event.entityType,
    entity_id: event.entityId ?? null,
    details: event.details ?? {},
    request_id: event.requestId ?? event.actor.requestId ?? null,
  }
  const [before_id, before_prev, after_prev] = entryText(entry)
  return { ...entry, chain: chainOf(entry.force_id, entry.lane), before_id, before_prev, after_prev }
}

type Unchained = ReturnType<typeof unchained> & { ord: number; tag: number | null }

/** An event to append, at its own time, optionally tagged (e.g. with the submission it belongs to in a batch). */
export interface Timed {
  event: AuditEvent
  at: Date
  tag?: number
}

/**
 * The events in the order the database must append them: by chain name (so two batches lock chains in the same
 * order and cannot deadlock), and within a chain in the order given. `n` is each event's place in `events`.
 */
function appendOrder(events: Timed[]): (Unchained & { n: number })[] {
  return events
    .map(({ event, at, tag }, n) => {
      // Milliseconds only, so the timestamp reads back from the database exactly as it was hashed.
      const occurredAt = new Date(Math.floor(at.getTime()))
      return { ...unchained(event, occurredAt), n, ord: 0, tag: tag ?? null }
    })
    .sort((a, b) => (a.chain < b.chain ? -1 : a.chain > b.chain ? 1 : a.n - b.n))
    .map((row, ord) => ({ ...row, ord }))
}

const atOnce = (events: AuditEvent[], now: Date): Timed[] => events.map((event) => ({ event, at: now }))

/**
 * A query yielding entries as chained audit_log rows (every column, in table order), appending each to its chain as
 * it is read: the caller inserts the rows in the same statement or transaction. `when` (a condition in SQL, which
 * may read an entry's tag as `x.tag`) lets a statement append only the entries whose other writes go ahead. One
 * statement text whatever the number of entries, so PostgreSQL can keep its plan.
 */
function chainedEntries(rows: Unchained[], when: RawBuilder<unknown> = sql`true`) {
  return sql<AuditEntryRow>`
    select a.entry_id as id, e.force_id, e.lane, e.occurred_at, e.actor_user_id, e.actor, e.action, e.entity_type,
      e.entity_id, e.details, e.request_id, a.entry_prev_hash as prev_hash, a.entry_hash as hash
    from (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(
        force_id uuid, lane smallint, occurred_at timestamptz, actor_user_id uuid, actor text, action text,
        entity_type text, entity_id text, details jsonb, request_id text, before_id text, before_prev text,
        after_prev text, ord int, tag int)
      where ${when}
      order by ord) e
    cross join lateral audit_chain_advance(e.force_id, e.lane, e.before_id, e.before_prev, e.after_prev) a`
}

/**
 * The statement that appends several events, each at its own time and with its tag, writing only those for which
 * `when` holds (it reads the tag as `x.tag`): for batching several writes into one statement.
 */
export function auditInsert(events: Timed[], when?: RawBuilder<unknown>) {
  return sql`insert into audit_log ${chainedEntries(appendOrder(events), when)}`
}

/** Appends one entry. Must run inside the transaction that makes the change (hence `Transaction`). */
export async function appendAudit(trx: Transaction<Database>, event: AuditEvent, now: Date): Promise<number> {
  const [id] = await appendAuditBatch(trx, [event], now)
  if (id === undefined) throw new Error('audit ledger: nothing appended')
  return id
}

/**
 * Appends many entries, one statement per thousand. Entries keep the order given within each chain. Returns their
 * ids in the order of `events`.
 */
export async function appendAuditBatch(trx: Transaction<Database>, events: AuditEvent[], now: Date): Promise<number[]> {
  const ordered = appendOrder(atOnce(events, now))
  const ids: number[] = new Array<number>(events.length)
  for (let i = 0; i < ordered.length; i += 1000) {
    const batch = ordered.slice(i, i + 1000)
    const { rows } = await sql<{ id: number | string }>`
      insert into audit_log ${chainedEntries(batch)} returning id`.execute(trx)
    // One session takes ids in the order it appends, so ascending ids follow the batch's order.
    const sorted = rows.map((r) => Number(r.id)).sort((a, b) => a - b)
    batch.forEach((row, k) => (ids[row.n] = sorted[k] ?? Number.NaN))
  }
  return ids
}

export type SealedEntry = Insertable<AuditLogTable> & { id: number }

/**
 * The first half of an append, for a caller that inserts the rows itself: appends the events to their chains and
 * returns the rows (in the order of `events`), which the caller must insert before its transaction ends.
 */
export async function sealAuditEntries(
  trx: Transaction<Database>,
  events: AuditEvent[],
  now: Date,
): Promise<SealedEntry[]> {
  if (events.length === 0) return []
  const ordered = appendOrder(atOnce(events, now))
  const { rows } = await chainedEntries(ordered).execute(trx)
  const sealed: SealedEntry[] = new Array<SealedEntry>(events.length)
  rows
    .map((row) => ({ ...row, id: Number(row.id) }))
    .sort((a, b) => a.id - b.id)
    .forEach((row, k) => {
      const n = ordered[k]?.n ?? 0
      sealed[n] = { ...row, details: JSON.stringify(row.details) }
    })
  return sealed
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
      firstBroken: { id: number; reason: 'content altered' | 'chain broken' | 'last entries missing' }
    }

const PAGE = 5000

/**
 * Walks every chain from its first entry, recomputing each hash and checking each link, then checks that each
 * chain ends where its head says (so entries deleted from the end of a chain are found too). One snapshot
 * throughout, so entries appended meanwhile cannot look like gaps.
 */
export function verifyAuditLedger(db: Db): Promise<VerificationResult> {
  return db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(verifyAuditLedgerIn)
}

/** The same check inside a transaction the caller holds (a restore checks before it commits). */
export async function verifyAuditLedgerIn(trx: Transaction<Database>): Promise<VerificationResult> {
  const heads = new Map<string, { id: number; hash: string }>()
  let entriesChecked = 0
  const broken = (id: number, reason: 'content altered' | 'chain broken' | 'last entries missing') => ({
    ok: false as const,
    entriesChecked,
    chains: heads.size,
    firstBroken: { id, reason },
  })
  let afterId = -1
  for (;;) {
    const rows = await trx
      .selectFrom('audit_log')
      .selectAll()
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(PAGE)
      .execute()
    for (const row of rows) {
      const chain = chainOf(row.force_id, row.lane)
      if (row.prev_hash !== (heads.get(chain)?.hash ?? null)) return broken(row.id, 'chain broken')
      if (entryHash(row) !== row.hash) return broken(row.id, 'content altered')
      heads.set(chain, { id: row.id, hash: row.hash })
      entriesChecked++
    }
    if (rows.length < PAGE) break
    afterId = rows.at(-1)?.id ?? afterId
  }
  const { rows: recorded } = await sql<{ chain: string; last_id: number | string | null; hash: string | null }>`
    select chain, last_id, hash from audit_chain_heads order by last_id`.execute(trx)
  for (const head of recorded) {
    if (head.hash !== (heads.get(head.chain)?.hash ?? null)) {
      return broken(Number(head.last_id ?? 0), 'last entries missing')
    }
  }
  // A chain the heads do not know was not appended through them: entries added behind the ledger's back.
  const known = new Set(recorded.map((h) => h.chain))
  for (const [chain, last] of heads) if (!known.has(chain)) return broken(last.id, 'chain broken')
  return { ok: true as const, entriesChecked, chains: heads.size }
}
