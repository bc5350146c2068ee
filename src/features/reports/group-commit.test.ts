import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiClientFor, countRows } from '../../../test/support/api.js'
import { testApp, type TestApp } from '../../../test/support/app.js'
import { validSubmission } from '../../../test/support/report-fixtures.js'
import { reportSubmission } from '../../domain/use-of-force/report.js'
import { verifyAuditLedger } from '../audit/ledger.js'
import { hashToken } from '../auth/api-tokens.js'
import { submitReport, type Caller, type SubmitOutcome } from './reports.service.js'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

/** The transactions the given reports were written in: reports written in one statement share one. */
async function transactionsOf(ids: string[]) {
  const { rows } = await sql<{ xmin: string }>`
    select distinct xmin::text from reports where id in (${sql.join(ids)})`.execute(t.database.db)
  return rows.length
}

async function stored(ids: string[]) {
  const db = t.database.db
  const count = async (table: 'reports' | 'report_versions', column: 'id' | 'report_id') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where(column, 'in', ids)
          .executeTakeFirstOrThrow()
      ).n,
    )
  const audit = await db
    .selectFrom('audit_log')
    .select('entity_id')
    .where('action', '=', 'report.submitted')
    .where('entity_id', 'in', ids)
    .execute()
  return {
    reports: await count('reports', 'id'),
    versions: await count('report_versions', 'report_id'),
    audit: audit.length,
  }
}

async function callerFor(username: string, apiTokenHash: string | null = null): Promise<Caller> {
  const user = await t.database.db
    .selectFrom('users')
    .innerJoin('personnel', 'personnel.id', 'users.person_id')
    .select(['users.id', 'users.force_id', 'personnel.id as person_id', 'personnel.unit_id'])
    .where('username', '=', username)
    .executeTakeFirstOrThrow()
  return {
    principal: { userId: user.id, forceId: user.force_id, roles: [], personId: user.person_id, unitPath: [] },
    actor: { userId: user.id, label: username },
    officerUnitId: user.unit_id,
    apiTokenHash,
  }
}

/** A valid submission as the API hands it to the service: parsed. */
const submission = (overrides: Parameters<typeof validSubmission>[0] = {}) =>
  reportSubmission.parse(validSubmission(overrides))

const deps = () => ({ db: t.database.db, clock: () => new Date() })

const idsOf = (outcomes: SubmitOutcome[]) => outcomes.flatMap((o) => (o.ok ? [o.report.id] : []))

// Submissions are called concurrently in-process, as the API's requests are: those that arrive while a statement
// is in flight go together in the next.
describe('group commit of submissions', () => {
  it('writes concurrent submissions from several accounts in shared statements, each stored once', async () => {
    const callers = await Promise.all(['officer', 'supervisor'].map((u) => callerFor(u)))
    const outcomes = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        submitReport(deps(), callers[i % 2] as Caller, submission(), { idempotencyKey: `batch-${i}-key` }),
      ),
    )
    expect(outcomes.map((o) => o.ok && !o.replayed)).toEqual(outcomes.map(() => true))
    const ids = idsOf(outcomes)
    expect(new Set(ids).size).toBe(24)
    expect(await stored(ids)).toEqual({ reports: 24, versions: 24, audit: 24 })
    const keys = await t.database.db
      .selectFrom('idempotency_keys')
      .select(['key', 'response'])
      .where('key', 'like', 'batch-%-key')
      .execute()
    expect(keys).toHaveLength(24)
    for (const [i, outcome] of outcomes.entries()) {
      expect(keys.find((k) => k.key === `batch-${i}-key`)?.response).toEqual(outcome.ok && outcome.report)
    }
    // Fewer transactions than reports: some statements carried several submissions.
    expect(await transactionsOf(ids)).toBeLessThan(24)
    expect(await verifyAuditLedger(t.database.db)).toMatchObject({ ok: true })
  })

  it('refuses only the submission whose token is revoked or account disabled, or whose key was used', async () => {
    const officer = await callerFor('officer')
    const { token } = await apiClientFor(t.app, t.database.db, 'supervisor')
    const revoked = await callerFor('supervisor', hashToken(token))
    const disabled = await callerFor('taser-lead')
    const first = await submitReport(deps(), officer, submission(), { idempotencyKey: 'used-before-1' })
    expect(first.ok).toBe(true)
    // Changed behind the service's back: only each submission's own guard in the statement can notice.
    await t.database.db
      .updateTable('api_tokens')
      .set({ revoked_at: new Date() })
      .where('token_hash', '=', hashToken(token))
      .execute()
    await t.database.db
      .updateTable('users')
      .set({ disabled_at: new Date() })
      .where('username', '=', 'taser-lead')
      .execute()
    const before = await countRows(t.database.db, 'reports')

    const settled = await Promise.allSettled([
      ...Array.from({ length: 10 }, (_, i) =>
        submitReport(deps(), officer, submission(), { idempotencyKey: `good-one-${i}` }),
      ),
      submitReport(deps(), officer, submission(), { idempotencyKey: 'used-before-1' }),
      submitReport(deps(), officer, submission({ outcomes: ['other'] }), { idempotencyKey: 'used-before-1' }),
      submitReport(deps(), revoked, submission(), { idempotencyKey: 'revoked-one' }),
      submitReport(deps(), disabled, submission()),
      ...Array.from({ length: 10 }, (_, i) =>
        submitReport(deps(), officer, submission(), { idempotencyKey: `good-two-${i}` }),
      ),
    ])
    const good = [...settled.slice(0, 10), ...settled.slice(14)].map((s) => (s.status === 'fulfilled' ? s.value : null))
    expect(good.map((o) => o?.ok && !o.replayed)).toEqual(good.map(() => true))
    expect(settled[10]).toEqual({
      status: 'fulfilled',
      value: { ok: true, replayed: true, report: first.ok && first.report },
    })
    expect(settled[11]).toMatchObject({ status: 'fulfilled', value: { ok: false, status: 422 } })
    expect(settled[12]).toMatchObject({ status: 'rejected', reason: { statusCode: 401 } })
    expect(settled[13]).toMatchObject({ status: 'rejected', reason: { statusCode: 401 } })
    const ids = idsOf(good.flatMap((o) => (o ? [o] : [])))
    expect(await stored(ids)).toEqual({ reports: 20, versions: 20, audit: 20 })
    expect(await countRows(t.database.db, 'reports')).toBe(before + 20)
    const revokedKey = await t.database.db
      .selectFrom('idempotency_keys')
      .select('key')
      .where('key', '=', 'revoked-one')
      .execute()
    expect(revokedKey).toEqual([])
    expect(await transactionsOf(ids)).toBeLessThan(20)
    expect(await verifyAuditLedger(t.database.db)).toMatchObject({ ok: true })
  })

  it('when one row breaks the shared statement, writes the others and fails only that one', async () => {
    const caller = await callerFor('officer')
    const before = await countRows(t.database.db, 'reports')
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        // A draft id that is not a uuid cannot be read by the statement: it fails whole.
        submitReport(deps(), caller, submission(), i === 9 ? { draftId: 'not-a-uuid' } : {}),
      ),
    )
    expect(outcomes.map((o) => o.status)).toEqual(outcomes.map((_, i) => (i === 9 ? 'rejected' : 'fulfilled')))
    const ids = idsOf(outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : [])))
    expect(ids).toHaveLength(11)
    expect(await stored(ids)).toEqual({ reports: 11, versions: 11, audit: 11 })
    expect(await countRows(t.database.db, 'reports')).toBe(before + 11)
    expect(await verifyAuditLedger(t.database.db)).toMatchObject({ ok: true })
  })
})
