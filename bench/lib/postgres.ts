import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import type { LogConfig } from 'kysely'
import pg from 'pg'
import { openDatabase, type Db } from '../../src/db/database.js'
import { repoRoot } from './paths.js'
import { onInterrupt } from './cleanup.js'
import { processCpuMs } from './cpu.js'

const run = promisify(execFile)
const clusterScript = path.join(repoRoot, 'scripts/postgres-test-cluster.sh')

/** Debian's PostgreSQL server binaries, which the cluster script needs. */
export function postgresInstalled(): boolean {
  const root = '/usr/lib/postgresql'
  return existsSync(root) && readdirSync(root).some((v) => existsSync(path.join(root, v, 'bin/initdb')))
}

export interface Cluster {
  url: string
  dir: string
  stop(): Promise<void>
}

/** A throwaway cluster from scripts/postgres-test-cluster.sh (fsync on, as the product runs), removed on stop. */
export async function startCluster(): Promise<Cluster> {
  // The directory itself is the data directory: the script hands it to the postgres user when we are root.
  const dir = await mkdtemp(path.join(tmpdir(), 'forceledger-bench-pg-'))
  const { stdout } = await run('bash', [clusterScript, 'start', dir])
  const url = stdout.trim().split('\n').at(-1) ?? ''
  if (!url.startsWith('postgres://')) throw new Error(`cluster script printed no URL: ${stdout}`)
  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    forget()
    await run('bash', [clusterScript, 'stop', dir]).catch(() => undefined)
    await rm(dir, { recursive: true, force: true })
  }
  const forget = onInterrupt(stop)
  return { url, dir, stop }
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}

export async function onServer<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres') })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/** A unique database name, so a run against a shared server never touches anything but its own databases. */
export const databaseName = (purpose: string) => `forceledger_bench_${purpose}_${randomBytes(4).toString('hex')}`

export async function createDatabase(url: string, name: string, template?: string): Promise<string> {
  await onServer(url, (c) => c.query(`create database ${name}${template ? ` template ${template}` : ''}`))
  return withDatabase(url, name)
}

export async function dropDatabase(url: string, name: string): Promise<void> {
  await onServer(url, (c) => c.query(`drop database if exists ${name} with (force)`))
}

export async function serverVersion(url: string): Promise<string> {
  return onServer(url, async (c) => {
    const { rows } = await c.query<{ v: string }>('select version() as v')
    return rows[0]?.v.replace(/ on .*/, '') ?? 'unknown'
  })
}

export async function serverSettings(url: string): Promise<Record<string, string>> {
  return onServer(url, async (c) => {
    const names = ['fsync', 'synchronous_commit', 'wal_sync_method', 'shared_buffers', 'max_connections', 'jit']
    const { rows } = await c.query<{ name: string; setting: string; unit: string | null }>(
      'select name, setting, unit from pg_settings where name = any($1)',
      [names],
    )
    return Object.fromEntries(rows.map((r) => [r.name, r.unit ? `${r.setting} ${r.unit}` : r.setting]))
  })
}

/** The app's own PostgreSQL connection (src/db/database.ts), with a pool of our size and optional query logging. */
export async function openBenchPostgres(
  url: string,
  max: number,
  log?: LogConfig,
): Promise<{ db: Db; close(): Promise<void> }> {
  const { db, close } = await openDatabase({ kind: 'postgres', url, poolMax: max }, log)
  return { db, close }
}

/**
 * CPU time of every process of a local cluster (the postmaster and its children: backends, autovacuum, WAL writer,
 * checkpointer…), living or exited, in milliseconds: differences across a phase are the cluster's work in it.
 */
export function clusterCpuMs(dataDir: string): number {
  const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0])
  // Children that have exited (an autovacuum worker, a closed connection) count through the postmaster.
  let total = processCpuMs(pid, true)
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      // The fields after the command name, which is in parentheses and may contain spaces.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (Number(fields[1]) === pid) total += processCpuMs(Number(entry))
    } catch {
      // The process ended while we looked.
    }
  }
  return total
}
