import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../db/database.js'
import { testDatabase } from '../../../test/support/database.js'
import { appendAudit, AUDIT_LANES, recordAudit, verifyAuditLedger } from './ledger.js'

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
