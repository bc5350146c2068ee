import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, testApp, type TestApp } from '../../../test/support/app.js'
import type { Db } from '../../db/database.js'
import { systemActor } from '../audit/ledger.js'
import { runScheduledJobs } from '../jobs/scheduled-jobs.js'
import { applyRetention, retentionPeriods } from './retention.service.js'

const now = new Date('2026-11-22T12:00:00Z')
const daysAgo = (days: number, plusMs = 0) => new Date(now.getTime() - days * 86_400_000 + plusMs)

let t: TestApp
let db: Db
let forceId: string
let otherForceId: string
let userId: string
let otherUserId: string

beforeAll(async () => {
  t = await testApp({ clock: () => now })
  db = t.database.db
  const user = await db
    .selectFrom('users')
    .select(['id', 'force_id'])
    .where('username', '=', 'officer')
    .executeTakeFirstOrThrow()
  userId = user.id
  forceId = user.force_id
  const other = await db
    .insertInto('forces')
    .values({ code: 'OTHER', name: 'Other Constabulary' })
    .returning('id')
    .executeTakeFirstOrThrow()
  otherForceId = other.id
  const otherUser = await db
    .insertInto('users')
    .values({
      force_id: otherForceId,
      username: 'other.officer',
      display_name: 'Other',
      email: null,
      password_hash: 'x',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  otherUserId = otherUser.id
})

afterAll(async () => {
  await t.close()
})

async function draft(owner: string, force: string, updatedAt: Date): Promise<string> {
  const row = await db
    .insertInto('report_drafts')
    .values({
      force_id: force,
      owner_user_id: owner,
      report_id: null,
      data: '{}',
      created_at: updatedAt,
      updated_at: updatedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

async function key(user: string, name: string, createdAt: Date): Promise<void> {
  await db
    .insertInto('idempotency_keys')
    .values({ user_id: user, key: name, request_hash: 'h', status_code: 201, response: '{}', created_at: createdAt })
    .execute()
}

const draftIds = async () => new Set((await db.selectFrom('report_drafts').select('id').execute()).map((r) => r.id))
const keyNames = async () =>
  new Set((await db.selectFrom('idempotency_keys').select('key').execute()).map((r) => r.key))

describe('retention', () => {
  it('removes exactly what is past its period, in this force only, with one audit entry', async () => {
    expect(await retentionPeriods(db, forceId)).toEqual({ report_drafts: 90, idempotency_keys: 30 })
    const due = await draft(userId, forceId, daysAgo(90, -1))
    const boundary = await draft(userId, forceId, daysAgo(90))
    const recent = await draft(userId, forceId, daysAgo(10))
    const otherForce = await draft(otherUserId, otherForceId, daysAgo(400))
    await key(userId, 'old-key', daysAgo(31))
    await key(userId, 'new-key', daysAgo(29))
    await key(otherUserId, 'other-old-key', daysAgo(400))
    const before = await draftIds()

    const audit = () =>
      db.selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'retention.applied').execute()
    expect(await applyRetention({ db, clock: () => now }, systemActor, forceId)).toBeGreaterThanOrEqual(2)

    const after = await draftIds()
    expect(after.has(due)).toBe(false)
    for (const kept of [boundary, recent, otherForce]) expect(after.has(kept)).toBe(true)
    // Only demo drafts older than 90 days could have gone besides ours; none are that old.
    expect(before.size - after.size).toBe(1)
    const keys = await keyNames()
    expect(keys.has('old-key')).toBe(false)
    expect(keys.has('new-key')).toBe(true)
    expect(keys.has('other-old-key')).toBe(true)
    const entries = await audit()
    expect(entries).toHaveLength(1)
    expect(entries[0]?.details).toMatchObject({ report_drafts: { count: 1 }, idempotency_keys: { count: 1 } })

    // Nothing more is due: nothing removed and nothing written to the ledger.
    expect(await applyRetention({ db, clock: () => now }, systemActor, forceId)).toBe(0)
    expect(await audit()).toHaveLength(1)
  })

  it('is one of the scheduled jobs, per force', async () => {
    const old = await draft(otherUserId, otherForceId, daysAgo(400))
    const run = await runScheduledJobs({ db, clock: () => now })
    expect(run.failed).toEqual([])
    expect(run.done['records removed under the retention periods']).toBeGreaterThanOrEqual(1)
    expect((await draftIds()).has(old)).toBe(false)
  })

  it('lets an administrator change the periods within limits, with errors shown and nothing saved', async () => {
    const admin = new Browser(t.app)
    await admin.signIn('admin')
    const bad = await admin.post('/admin/retention', { report_drafts: '7', idempotency_keys: 'soon' })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('Unsent report drafts: enter a number of days from 28 to 3,650')
    expect(bad.body).toContain('API submission keys: enter a whole number of days, like 30')
    expect(bad.body).toContain('value="soon"')
    expect(await retentionPeriods(db, forceId)).toEqual({ report_drafts: 90, idempotency_keys: 30 })

    const good = await admin.post('/admin/retention', { report_drafts: '180', idempotency_keys: '7' })
    expect(good.statusCode).toBe(303)
    expect(await retentionPeriods(db, forceId)).toEqual({ report_drafts: 180, idempotency_keys: 7 })
    expect(await retentionPeriods(db, otherForceId)).toEqual({ report_drafts: 90, idempotency_keys: 30 })
    const changed = await db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'retention.periods_changed')
      .execute()
    expect(changed.at(-1)?.details).toEqual({ report_drafts: 180, idempotency_keys: 7 })

    const officer = new Browser(t.app)
    await officer.signIn('officer')
    expect((await officer.get('/admin/retention')).statusCode).toBe(403)
  })
})
