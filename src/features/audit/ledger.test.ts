import { sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../db/database.js'
import { testDatabase } from '../../../test/support/database.js'
import { submissionPath } from '../../db/migrations/2026-11-22-06-submission-path.js'
import { canonicalJson } from './canonical-json.js'
import { appendAudit, appendAuditBatch, AUDIT_LANES, entryHash, recordAudit, verifyAuditLedger } from './ledger.js'

let handle: DatabaseHandle
beforeAll(async () => {
  handle = await testDatabase()
})
afterAll(() => handle.close())

const actor = { userId: null, label: 'test' }
const at = new Date('2026-11-22T12:00:00.000Z')

async function forceId(): Promise<string> {
  const row = await handle.db.selectFrom('forces').select('id').where('code', '=', 'demo').executeTakeFirstOrThrow()
  return row.id
}

/** Runs a statement with the append-only triggers off, as someone with direct database access could. */
async function tamper(statement: ReturnType<typeof sql>) {
  await handle.db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx)
    await statement.execute(trx)
  })
}

describe('audit ledger', () => {
  it('chains entries, spreads them over lanes, and verifies end to end', async () => {
    const force = await forceId()
    for (let i = 0; i < 40; i++) {
      await recordAudit(
        handle.db,
        { forceId: force, actor, action: 'thing.changed', entityType: 'thing', entityId: `t${i}`, details: { i } },
        at,
      )
    }
    const lanes = await handle.db.selectFrom('audit_log').select('lane').distinct().execute()
    expect(lanes.length).toBeGreaterThan(1)
    expect(lanes.every((l) => l.lane >= 0 && l.lane < AUDIT_LANES)).toBe(true)
    const result = await verifyAuditLedger(handle.db)
    expect(result.ok).toBe(true)
    expect(result.entriesChecked).toBeGreaterThanOrEqual(41)
  })

  it('writes the entry in the same transaction as the change: a rollback leaves neither', async () => {
    const before = await handle.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    await expect(
      handle.db.transaction().execute(async (trx) => {
        await appendAudit(trx, { forceId: null, actor, action: 'thing.changed', entityType: 'thing' }, at)
        throw new Error('the change failed')
      }),
    ).rejects.toThrow('the change failed')
    const after = await handle.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(Number(before.n))
  })

  it('refuses updates, deletes and truncation through the normal path', async () => {
    await expect(sql`update audit_log set actor = 'someone else'`.execute(handle.db)).rejects.toThrow(/append-only/)
    await expect(sql`delete from audit_log`.execute(handle.db)).rejects.toThrow(/append-only/)
    await expect(sql`truncate audit_log`.execute(handle.db)).rejects.toThrow(/append-only/)
  })

  it('names the first altered entry when one is changed behind its back', async () => {
    const victim = await handle.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'thing.changed')
      .orderBy('id')
      .offset(5)
      .limit(1)
      .executeTakeFirstOrThrow()
    const original = await handle.db
      .selectFrom('audit_log')
      .select('details')
      .where('id', '=', victim.id)
      .executeTakeFirstOrThrow()
    await tamper(sql`update audit_log set details = '{"i": 999}' where id = ${victim.id}`)
    expect(await verifyAuditLedger(handle.db)).toMatchObject({
      ok: false,
      firstBroken: { id: victim.id, reason: 'content altered' },
    })
    await tamper(sql`update audit_log set details = ${JSON.stringify(original.details)} where id = ${victim.id}`)
    expect((await verifyAuditLedger(handle.db)).ok).toBe(true)
  })

  it('detects a deleted entry as a broken link', async () => {
    const force = await forceId()
    // Two entries about the same entity share a lane, so deleting the first breaks the second's link.
    const first = await recordAudit(
      handle.db,
      { forceId: force, actor, action: 'x.one', entityType: 'x', entityId: 'same' },
      at,
    )
    const second = await recordAudit(
      handle.db,
      { forceId: force, actor, action: 'x.two', entityType: 'x', entityId: 'same' },
      at,
    )
    await tamper(sql`delete from audit_log where id = ${first}`)
    expect(await verifyAuditLedger(handle.db)).toMatchObject({
      ok: false,
      firstBroken: { id: second, reason: 'chain broken' },
    })
  })
})

describe('audit chains on a fresh ledger', () => {
  it('finds entries deleted from the end of a chain, where no later link can show it', async () => {
    const fresh = await testDatabase()
    try {
      const last = await recordAudit(
        fresh.db,
        { forceId: null, actor, action: 'x.last', entityType: 'x', entityId: 'tail' },
        at,
      )
      expect((await verifyAuditLedger(fresh.db)).ok).toBe(true)
      await fresh.db.transaction().execute(async (trx) => {
        await sql`set local session_replication_role = replica`.execute(trx)
        await sql`delete from audit_log where id = ${last}`.execute(trx)
      })
      expect(await verifyAuditLedger(fresh.db)).toMatchObject({
        ok: false,
        firstBroken: { id: last, reason: 'last entries missing' },
      })
    } finally {
      await fresh.close()
    }
  })

  it('start from the last entry of each chain already in the ledger when the heads table is created', async () => {
    const fresh = await testDatabase()
    try {
      await recordAudit(fresh.db, { forceId: null, actor, action: 'x.before', entityType: 'x' }, at)
      // As on a database that had a ledger before the heads table existed: rebuilt from the entries alone.
      const untyped = fresh.db as unknown as Kysely<unknown>
      await submissionPath.down(untyped)
      await submissionPath.up(untyped)
      expect(await verifyAuditLedger(fresh.db)).toMatchObject({ ok: true })
      await recordAudit(fresh.db, { forceId: null, actor, action: 'x.after', entityType: 'x' }, at)
      expect(await verifyAuditLedger(fresh.db)).toMatchObject({ ok: true })
    } finally {
      await fresh.close()
    }
  })

  it('stay linear when many transactions append to the same chains at once', async () => {
    const fresh = await testDatabase()
    try {
      const force = (
        await fresh.db.selectFrom('forces').select('id').where('code', '=', 'demo').executeTakeFirstOrThrow()
      ).id
      // Every append names one of two entities, so they all land in at most two chains and must queue.
      const appends = Array.from({ length: 24 }, (_, i) =>
        fresh.db.transaction().execute(async (trx) => {
          const ids = await appendAuditBatch(
            trx,
            [
              { forceId: force, actor, action: 'race.one', entityType: 'race', entityId: `e${i % 2}` },
              { forceId: force, actor, action: 'race.two', entityType: 'race', entityId: `e${(i + 1) % 2}` },
            ],
            at,
          )
          return ids
        }),
      )
      const ids = (await Promise.all(appends)).flat()
      expect(new Set(ids).size).toBe(48)
      expect(await verifyAuditLedger(fresh.db)).toMatchObject({ ok: true })
    } finally {
      await fresh.close()
    }
  })
})

describe('entry hashes', () => {
  it('are the sha-256 of the whole entry in canonical JSON, as every ledger so far was written', async () => {
    const { createHash } = await import('node:crypto')
    const entries = [
      {
        id: 42,
        force_id: null,
        lane: 3,
        occurred_at: at,
        actor_user_id: null,
        actor: 'system',
        action: 'x.y',
        entity_type: 'x',
        entity_id: null,
        details: {},
        request_id: null,
        prev_hash: null,
      },
      {
        id: 9_007_199_254,
        force_id: '0b8a7f3e-6f7e-4a8c-9f8e-1c2d3e4f5a6b',
        lane: 7,
        occurred_at: new Date('2026-01-02T03:04:05.678Z'),
        actor_user_id: '1b8a7f3e-6f7e-4a8c-9f8e-1c2d3e4f5a6b',
        actor: 'Zoë "quoted" \\ back',
        action: 'report.submitted',
        entity_type: 'report',
        entity_id: 'r1',
        details: { z: [1, 'two', { id: 'nested' }], a: null, prevHash: 'fake', ünï: '\u0000\n' },
        request_id: 'req-1234',
        prev_hash: 'ab'.repeat(32),
      },
    ]
    for (const entry of entries) {
      const whole = canonicalJson({
        id: String(entry.id),
        forceId: entry.force_id,
        lane: entry.lane,
        occurredAt: entry.occurred_at,
        actorUserId: entry.actor_user_id,
        actor: entry.actor,
        action: entry.action,
        entityType: entry.entity_type,
        entityId: entry.entity_id,
        details: entry.details,
        requestId: entry.request_id,
        prevHash: entry.prev_hash,
      })
      expect(entryHash(entry)).toBe(createHash('sha256').update(whole).digest('hex'))
    }
  })
})
