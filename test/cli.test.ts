import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type DatabaseHandle } from '../src/db/database.js'
import { copyOfTemplate } from './support/postgres.js'
import { inject } from 'vitest'

const run = promisify(execFile)

interface Outcome {
  code: number
  stdout: string
  stderr: string
}

/** Runs a command as a user would, in a child process, and never throws on a non-zero exit. */
async function command(file: string, args: string[], env: Record<string, string>): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', file, ...args], {
      env: { ...process.env, DATABASE_URL: '', ...env },
      timeout: 120_000,
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

describe('start-up', { timeout: 60_000 }, () => {
  it('stops with a message naming an invalid variable', async () => {
    const result = await command('src/main.ts', [], { PORT: 'eighty' })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('PORT')
  })

  it('refuses production without a session secret', async () => {
    const result = await command('src/main.ts', [], { NODE_ENV: 'production' })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('SESSION_SECRET: is required when NODE_ENV=production')
  })
})

// Each test starts Node processes that open the database: slow on a loaded machine, so a generous limit.
describe('forceledger command', { timeout: 120_000 }, () => {
  let dir: string
  let env: Record<string, string>
  let close: () => Promise<void> = async () => {}

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'forceledger-cli-'))
    const url = process.env.DATABASE_URL
    if (url) {
      // A copy of the test template, reached by its own URL as the command would be configured.
      const copy = await copyOfTemplate(url, inject('postgresTemplate'))
      const name = (await sql<{ db: string }>`select current_database() as db`.execute(copy.db)).rows[0]!.db
      await copy.db.destroy()
      const parsed = new URL(url)
      parsed.pathname = `/${name}`
      env = { DATABASE_URL: parsed.toString() }
      close = () => copy.close()
    } else {
      env = { DATA_DIR: path.join(dir, 'pglite') }
    }
  })
  afterAll(async () => {
    await close()
    await rm(dir, { recursive: true, force: true })
  })

  async function openSame(): Promise<DatabaseHandle> {
    return env.DATABASE_URL
      ? openDatabase({ kind: 'postgres', url: env.DATABASE_URL })
      : openDatabase({ kind: 'pglite', dataDir: env.DATA_DIR! })
  }

  it('prints its usage for no command, and fails for an unknown one', async () => {
    expect((await command('src/cli/forceledger.ts', [], env)).stdout).toContain('Usage: forceledger')
    expect((await command('src/cli/forceledger.ts', ['frobnicate'], env)).code).toBe(2)
  })

  it('migrates, verifies an intact ledger, and names the first broken entry after tampering', async () => {
    const migrated = await command('src/cli/forceledger.ts', ['migrate'], env)
    expect(migrated.code).toBe(0)
    const created = await command(
      'src/cli/forceledger.ts',
      ['create-force', '--code', 'cli', '--name', 'CLI Police'],
      env,
    )
    expect(created.code).toBe(0)

    const intact = await command('src/cli/forceledger.ts', ['verify-audit'], env)
    expect(intact.code).toBe(0)
    expect(intact.stdout).toMatch(/The audit ledger is intact: \d+ entries/)

    const handle = await openSame()
    const entry = await handle.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'force.created')
      .executeTakeFirstOrThrow()
    await handle.db.transaction().execute(async (trx) => {
      await sql`set local session_replication_role = replica`.execute(trx)
      await sql`update audit_log set actor = 'someone else' where id = ${entry.id}`.execute(trx)
    })
    await handle.close()

    const broken = await command('src/cli/forceledger.ts', ['verify-audit'], env)
    expect(broken.code).toBe(1)
    expect(broken.stderr).toContain(`The audit ledger is broken at entry ${entry.id}: content altered.`)
  })

  it('creates a user from the command line, validating it like the admin form', async () => {
    const bad = await command(
      'src/cli/forceledger.ts',
      ['create-user', '--force', 'cli', '--username', 'chief', '--display-name', 'Chief', '--role', 'admin'],
      { ...env, FORCELEDGER_PASSWORD: 'short' },
    )
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('Password must be at least 12 characters')
    const good = await command(
      'src/cli/forceledger.ts',
      ['create-user', '--force', 'cli', '--username', 'chief', '--display-name', 'Chief', '--role', 'admin'],
      { ...env, FORCELEDGER_PASSWORD: 'a long enough passphrase' },
    )
    expect(good.code).toBe(0)
    expect(good.stdout).toContain('Created user chief.')
  })
})
