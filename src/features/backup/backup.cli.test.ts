import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freshDatabase } from '../../../test/support/postgres.js'
import { systemClock } from '../../clock.js'
import { openDatabase, type DatabaseHandle } from '../../db/database.js'
import { migrateToLatest } from '../../db/migrate.js'
import { createForce } from '../admin/admin.service.js'
import { verifyAuditLedger } from '../audit/ledger.js'

/**
 * `forceledger backup` and `forceledger restore` as an operator runs them: separate processes on a PGlite data
 * directory, or on PostgreSQL databases when DATABASE_URL is set (CI's second pass). backup.test.ts compares every
 * row of the demo force; this proves the commands, their exit codes and messages.
 */

const run = promisify(execFile)
const cli = path.resolve('src/cli/forceledger.ts')

async function forceledger(env: Record<string, string>, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', cli, ...args], {
      env: { ...process.env, DATABASE_URL: '', ...env },
      timeout: 120_000,
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

let dir: string
const closers: (() => Promise<void>)[] = []

/** Where the commands find a database: a new PGlite data directory, or a new empty PostgreSQL database. */
async function newDatabase(name: string): Promise<Record<string, string>> {
  const url = process.env.DATABASE_URL
  if (!url) return { DATA_DIR: path.join(dir, name) }
  const handle = await freshDatabase(url)
  const database = (await sql<{ db: string }>`select current_database() as db`.execute(handle.db)).rows[0]?.db ?? ''
  closers.push(() => handle.close())
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return { DATABASE_URL: parsed.toString() }
}

async function open(env: Record<string, string>): Promise<DatabaseHandle> {
  return env.DATABASE_URL
    ? openDatabase({ kind: 'postgres', url: env.DATABASE_URL })
    : openDatabase({ kind: 'pglite', dataDir: env.DATA_DIR ?? '' })
}

/** What must come back: the forces, and the audit ledger's entries with their hashes. */
async function contents(env: Record<string, string>) {
  const handle = await open(env)
  try {
    return {
      forces: await handle.db.selectFrom('forces').select(['id', 'code', 'name']).orderBy('code').execute(),
      audit: await handle.db.selectFrom('audit_log').select(['id', 'action', 'hash']).orderBy('id').execute(),
      ledgerVerifies: (await verifyAuditLedger(handle.db)).ok,
    }
  } finally {
    await handle.close()
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'forceledger-backup-cli-'))
})
afterAll(async () => {
  for (const close of closers) await close()
  await rm(dir, { recursive: true, force: true })
})

describe('forceledger backup and restore', { timeout: 300_000 }, () => {
  it('backs up a database and restores it into an empty one, which then verifies; never over data', async () => {
    const source = await newDatabase('source')
    const handle = await open(source)
    try {
      await migrateToLatest(handle.db)
      await createForce(handle.db, systemClock, { code: 'bkp', name: 'Backup Police' })
    } finally {
      await handle.close()
    }
    const file = path.join(dir, 'force.backup.gz')

    const backup = await forceledger(source, 'backup', file)
    expect(backup.code, backup.stderr).toBe(0)
    expect(backup.stdout).toMatch(/^Backed up \d+ rows from \d+ tables to /)

    const target = await newDatabase('target')
    const restore = await forceledger(target, 'restore', file)
    expect(restore.code, restore.stderr).toBe(0)
    expect(restore.stdout).toMatch(/^Restored \d+ rows into \d+ tables; the audit ledger verifies\./)
    const [before, after] = [await contents(source), await contents(target)]
    expect(after.forces.map((f) => f.code)).toContain('bkp')
    expect(after.ledgerVerifies).toBe(true)
    expect(after).toEqual(before)

    // A second restore would overwrite a live force: refused, and nothing changes.
    const again = await forceledger(target, 'restore', file)
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('Nothing was restored. The database already holds data')
    expect(await contents(target)).toEqual(before)
  })
})
