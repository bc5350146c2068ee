import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generatePayloads } from '../../bench/lib/payloads.js'
import { createDatabase, databaseName, dropDatabase } from '../../bench/lib/postgres.js'
import { startServer, type ServerProcess } from '../../bench/lib/server.js'
import { prepareDatabase } from '../../bench/lib/setup.js'
import { openDatabase, type DatabaseHandle } from '../../src/db/database.js'
import { DEMO_PASSWORD } from '../../src/db/seed/seed-demo.js'
import { verifyAuditLedger } from '../../src/features/audit/ledger.js'

/** A person at a browser: keeps the session cookie and sends the CSRF token of the page a form is on. */
class Visitor {
  readonly #cookies = new Map<string, string>()
  constructor(private readonly origin: string) {}

  async send(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    headers.set('cookie', [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; '))
    // As in production, behind the proxy that ends TLS: the session cookie is kept only for https.
    headers.set('x-forwarded-proto', 'https')
    const response = await fetch(`${this.origin}${path}`, { ...init, headers, redirect: 'manual' })
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';')
      const eq = pair.indexOf('=')
      this.#cookies.set(pair.slice(0, eq), pair.slice(eq + 1))
    }
    return response
  }

  async csrf(path: string): Promise<string> {
    return /name="_csrf" value="([^"]+)"/.exec(await (await this.send(path)).text())?.[1] ?? ''
  }

  async signIn(username: string): Promise<void> {
    const body = new URLSearchParams({ _csrf: await this.csrf('/sign-in'), username, password: DEMO_PASSWORD })
    const response = await this.send('/sign-in', { method: 'POST', body })
    if (response.status !== 303) throw new Error(`sign-in as ${username}: ${response.status}`)
  }
}

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
}, 600_000)

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

  it('applies an import in flight all or nothing', async () => {
    // A big training file: every course for many officers, so the import is still running when the server dies.
    const handle = await open()
    const collars = await handle.db
      .selectFrom('personnel')
      .select('collar_number')
      .where('status', '=', 'regular')
      .where('collar_number', 'is not', null)
      .limit(1000)
      .execute()
    const recordsBefore = Number(
      (
        await handle.db
          .selectFrom('ced_training_records')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
    await handle.close()
    const lines = [
      'collar_number,course,device_model,completed_on,hours,passed,qualification_shoot,written_test,scenarios',
    ]
    for (const { collar_number } of collars)
      for (let month = 1; month <= 12; month++)
        lines.push(`${collar_number},refresher,taser_10,2024-${String(month).padStart(2, '0')}-15,7,yes,pass,pass,pass`)

    const server = await startServer({ database: target })
    const lead = new Visitor(server.origin)
    await lead.signIn('taser-lead')
    const form = new FormData()
    form.set('_csrf', await lead.csrf('/taser/training/import'))
    form.set('file', new Blob([lines.join('\n')], { type: 'text/csv' }), 'year.csv')
    const upload = lead.send('/taser/training/import', { method: 'POST', body: form }).then(
      (r) => r.status,
      () => 'no answer' as const,
    )
    await new Promise((resolve) => setTimeout(resolve, 400))
    process.kill(server.pid, 'SIGKILL')
    const answered = await upload
    await server.stop()

    const after = await open()
    try {
      const imports = await after.db.selectFrom('ced_training_imports').select(['id', 'records_added']).execute()
      for (const batch of imports) {
        const stored = Number(
          (
            await after.db
              .selectFrom('ced_training_records')
              .select((eb) => eb.fn.countAll().as('n'))
              .where('import_id', '=', batch.id)
              .executeTakeFirstOrThrow()
          ).n,
        )
        expect(stored, `import ${batch.id}`).toBe(batch.records_added)
      }
      const records = Number(
        (
          await after.db
            .selectFrom('ced_training_records')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
      // All of the file or none of it; acknowledged (200) means all.
      expect([recordsBefore, recordsBefore + lines.length - 1]).toContain(records)
      if (answered === 200) expect(records).toBe(recordsBefore + lines.length - 1)
      expect(await verifyAuditLedger(after.db)).toMatchObject({ ok: true })
    } finally {
      await after.close()
    }
  }, 300_000)
})
