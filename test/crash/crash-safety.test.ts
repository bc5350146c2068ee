import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generatePayloads } from '../../bench/lib/payloads.js'
import { createDatabase, databaseName, dropDatabase } from '../../bench/lib/postgres.js'
import { startServer, type ServerProcess } from '../../bench/lib/server.js'
import { prepareDatabase } from '../../bench/lib/setup.js'
import { openDatabase, type DatabaseHandle } from '../../src/db/database.js'
import { verifyAuditLedger } from '../../src/features/audit/ledger.js'

/**
 * Crash safety: the real server, killed with SIGKILL while submissions are in flight, restarted on the same data.
 * Every submission it acknowledged must be there exactly once, and a client retrying every request with the same
 * Idempotency-Key (what a client that lost its answer does) must end with exactly one report per key — never
 * none for an acknowledged one, never two. The audit ledger must still verify. Runs on PostgreSQL when
 * DATABASE_URL is set (as in CI's second pass), otherwise on a PGlite data directory, which must survive the same.
 */

const SUBMISSIONS = 240
const CLIENTS = 8
/** Kill once this many have been acknowledged, with the rest still arriving. */
const KILL_AFTER = 60

type Target = { url: string } | { dataDir: string }

let target: Target
let cleanUp: () => Promise<void>
let token: string

async function open(): Promise<DatabaseHandle> {
  return 'url' in target
    ? openDatabase({ kind: 'postgres', url: target.url })
    : openDatabase({ kind: 'pglite', dataDir: target.dataDir })
}

beforeAll(async () => {
  const url = process.env.DATABASE_URL
  if (url) {
    const name = databaseName('crash')
    target = { url: await createDatabase(url, name) }
    cleanUp = () => dropDatabase(url, name)
  } else {
    const dataDir = await mkdtemp(`${tmpdir()}/forceledger-crash-`)
    target = { dataDir }
    cleanUp = () => rm(dataDir, { recursive: true, force: true })
  }
  const handle = await open()
  try {
    token = (await prepareDatabase(handle.db)).token
  } finally {
    await handle.close()
  }
}, 180_000)

afterAll(async () => {
  await cleanUp?.()
})

function submit(server: ServerProcess, key: string, body: unknown) {
  return fetch(`${server.origin}/api/v1/reports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  })
}

describe('a server killed in the middle of submissions', () => {
  it('keeps every acknowledged report exactly once, and retries with the same key make no duplicates', async () => {
    const payloads = generatePayloads(SUBMISSIONS, { seed: 7 }).map((p, i) => ({
      key: `crash-${String(i).padStart(4, '0')}`,
      body: p.input,
    }))
    const handle = await open()
    const before = Number(
      (
        await handle.db
          .selectFrom('reports')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
    await handle.close()

    // Phase 1: clients submit until the server is killed under them.
    const server = await startServer({ database: target })
    const acknowledged = new Map<string, string>()
    let next = 0
    let killed = false
    const client = async () => {
      while (next < payloads.length && !killed) {
        const { key, body } = payloads[next++] as (typeof payloads)[number]
        try {
          const response = await submit(server, key, body)
          if (response.status === 201) acknowledged.set(key, ((await response.json()) as { id: string }).id)
          else throw new Error(`unexpected ${response.status}: ${await response.text()}`)
        } catch (error) {
          if (!killed) throw error
        }
        if (!killed && acknowledged.size >= KILL_AFTER) {
          killed = true
          process.kill(server.pid, 'SIGKILL')
        }
      }
    }
    await Promise.all(Array.from({ length: CLIENTS }, client))
    expect(killed).toBe(true)
    await server.stop()
    const sent = payloads.slice(0, next)
    expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER)
    // Some were in flight when the server died: their clients never learned whether they were stored.
    expect(sent.length).toBeGreaterThan(acknowledged.size)

    // Phase 2: restarted on the same data, every client retries everything it sent, with the same keys.
    const restarted = await startServer({ database: target })
    try {
      for (const { key, body } of sent) {
        const response = await submit(restarted, key, body)
        expect([200, 201], `retry of ${key}`).toContain(response.status)
        const { id } = (await response.json()) as { id: string }
        // An acknowledged submission comes back as the same report (200), never a new one.
        if (acknowledged.has(key)) {
          expect(response.status, `retry of acknowledged ${key}`).toBe(200)
          expect(id).toBe(acknowledged.get(key))
        }
      }
    } finally {
      await restarted.stop()
    }

    const after = await open()
    try {
      const reports = Number(
        (
          await after.db
            .selectFrom('reports')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
      expect(reports).toBe(before + sent.length)
      const keys = await after.db
        .selectFrom('idempotency_keys')
        .select('key')
        .where(
          'key',
          'in',
          sent.map((s) => s.key),
        )
        .execute()
      expect(keys).toHaveLength(sent.length)
      const stored = await after.db
        .selectFrom('reports')
        .select('id')
        .where('id', 'in', [...acknowledged.values()])
        .execute()
      expect(stored).toHaveLength(acknowledged.size)
      expect(await verifyAuditLedger(after.db)).toMatchObject({ ok: true })
    } finally {
      await after.close()
    }
  }, 300_000)
})
