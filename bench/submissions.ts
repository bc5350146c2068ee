import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises'
import { availableParallelism, tmpdir } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import type { LogEvent } from 'kysely'
import { buildApp } from '../src/app.js'
import { systemClock } from '../src/clock.js'
import { loadConfig } from '../src/config.js'
import { openDatabase, openMemoryPglite, type Db } from '../src/db/database.js'
import { verifyAuditLedger } from '../src/features/audit/ledger.js'
import { accountForApiToken, hashToken, touchApiToken } from '../src/features/auth/api-tokens.js'
import { requestHash, submitReport, type Caller } from '../src/features/reports/reports.service.js'
import { machineCpuMs, ownCpuMs } from './lib/cpu.js'
import { KeepAliveClient } from './lib/http.js'
import { runLoad, type LoadResult } from './lib/load.js'
import { generatePayloads, type GeneratedPayload } from './lib/payloads.js'
import { resultsDir } from './lib/paths.js'
import { clusterCpuMs, createDatabase, databaseName, dropDatabase, openBenchPostgres } from './lib/postgres.js'
import { startServer } from './lib/server.js'
import { callerFor, prepareDatabase, storedCounts, type StoredCounts } from './lib/setup.js'
import { summariseCpuProfile } from './lib/cpuprofile.js'

/**
 * Issue: concurrent clients submitting full reports over HTTP to PostgreSQL, target at least 1,000 reports/s with
 * p95 under 20 ms on a 2-core machine; beside it the database-only ceiling (the same submissions through
 * `submitReport`, no HTTP) and PGlite.
 */

export interface SubmissionsOptions {
  levels: number[]
  durationMs: number
  maxRequests: number
  warmup: number
  pglite: boolean
  pgliteHttpLevels: number[]
  /** Sequential submissions for the round-trip profile. */
  profileCount: number
  serverCpuProfile: boolean
  /** How many times a run may be repeated when other processes were busy during it. */
  retryNoisy: number
}

export interface PostgresTarget {
  url: string
  /** The data directory of a cluster we started, for reading its CPU time; absent for a DATABASE_URL server. */
  dataDir?: string
}

type Target =
  'http-postgres' | 'http-floor' | 'service+auth-postgres' | 'service-postgres' | 'service-pglite' | 'http-pglite'

const targetLabels: Record<Target, string> = {
  'http-postgres': 'HTTP → PostgreSQL',
  'http-floor': 'HTTP floor: GET /healthz (no database)',
  'service+auth-postgres': 'token lookup + submitReport → PostgreSQL',
  'service-postgres': 'submitReport → PostgreSQL (db-only)',
  'service-pglite': 'submitReport → PGlite (memory)',
  'http-pglite': 'HTTP → PGlite (data dir)',
}

export interface LevelResult extends LoadResult {
  target: Target
  /** CPU milliseconds per acknowledged report: the app process, PostgreSQL's processes, the load generator. */
  cpuPerReport: { app: number | null; postgres: number | null; client: number | null }
  /**
   * Share of the machine's cores (elapsed × cores) used by this run's processes, and by everything else: other work
   * on a shared machine, or a PostgreSQL server we cannot see (DATABASE_URL), which makes figures noisy.
   */
  cores: { ours: number; others: number }
  /** Runs made to get this one (more than 1 when earlier runs were noisy and --retry-noisy allowed another). */
  attempts: number
  firstErrors: string[]
}

export interface Verification {
  target: Target
  acknowledged: number
  stored: StoredCounts
  auditChain: string
  ok: boolean
}

export interface StatementCount {
  statement: string
  perSubmission: number
  meanMs: number
}

export interface RoundTripProfile {
  path: 'HTTP request (in-process inject)' | 'submitReport'
  submissions: number
  roundTrips: number
  dbWaitMs: number
  totalMs: number
  nodeMs: number
  postgresCpuMs: number | null
  statements: StatementCount[]
}

export interface SubmissionsResult {
  payloads: { generated: number; withCed: number; withCycles: number; meanJsonBytes: number; generationMs: number }
  profile: RoundTripProfile[]
  results: LevelResult[]
  verifications: Verification[]
  serverCpuProfile?: ReturnType<typeof summariseCpuProfile>
  notes: string[]
}

const API_PATH = '/api/v1/reports'

function log(message: string) {
  console.log(message)
}

/** Payload i of a phase, with a key nobody else used: phases share payloads but never keys. */
function keyFor(phase: string, runId: string, i: number) {
  return `bench-${runId}-${phase}-${i}`
}

export async function submissionsBenchmark(
  options: SubmissionsOptions,
  postgres: PostgresTarget | null,
): Promise<SubmissionsResult> {
  const notes: string[] = []
  const runId = randomBytes(3).toString('hex')
  const perLevel = options.warmup + options.maxRequests
  const attempts = 1 + options.retryNoisy
  const needed = Math.max(
    options.levels.length * perLevel * attempts,
    Math.max(options.pgliteHttpLevels.length, 1) * perLevel * attempts,
    options.profileCount * 2 + 40,
  )
  log(`Generating ${needed.toLocaleString('en-GB')} report payloads (not timed)…`)
  const t0 = performance.now()
  const payloads = generatePayloads(needed)
  const bodies = payloads.map((p) => JSON.stringify(p.input))
  // The route hashes the request body for idempotency; the service is handed the same hash, worked out here.
  const hashes = payloads.map((p) => requestHash(p.input))
  const generationMs = performance.now() - t0
  const payloadSummary = {
    generated: payloads.length,
    withCed: payloads.filter((p) => p.ced).length,
    withCycles: payloads.filter((p) => p.cycles > 0).length,
    meanJsonBytes: Math.round(bodies.reduce((n, b) => n + b.length, 0) / bodies.length),
    generationMs: Math.round(generationMs),
  }
  log(
    `  ${pct(payloadSummary.withCed / payloads.length)} with a CED use, ` +
      `${pct(payloadSummary.withCycles / payloads.length)} with cycles; ` +
      `${payloadSummary.meanJsonBytes} bytes of JSON on average; ${payloadSummary.generationMs} ms`,
  )

  const results: LevelResult[] = []
  const verifications: Verification[] = []
  let profile: RoundTripProfile[] = []
  let serverCpuProfile: SubmissionsResult['serverCpuProfile']
  const slotsFor = () => new Slots(perLevel, payloads.length)
  const record = (result: LevelResult) => {
    results.push(result)
    logLevel(result)
  }

  if (postgres) {
    const { url, dataDir } = postgres
    const pgCpu = dataDir ? () => clusterCpuMs(dataDir) : null
    const template = databaseName('template')
    const databases: string[] = [template]
    try {
      log('\nPostgreSQL: a fresh database, migrated and seeded with the demo force; an API token for "officer"')
      const setupStart = performance.now()
      const templateUrl = await createDatabase(url, template)
      const handle = await openBenchPostgres(templateUrl, 2)
      const { token } = await prepareDatabase(handle.db)
      await handle.close()
      log(`  ${Math.round(performance.now() - setupStart)} ms`)
      const copy = async (purpose: string) => {
        const name = databaseName(purpose)
        databases.push(name)
        return createDatabase(url, name, template)
      }

      log('\nRound trips and time per submission, one at a time, in-process (PostgreSQL)')
      profile = await roundTripProfile(await copy('profile'), token, payloads, bodies, hashes, options, runId, pgCpu)
      for (const p of profile) {
        log(
          `  ${p.path}: ${fixed(p.roundTrips, 1)} round trips, ${fixed(p.totalMs)} ms (${fixed(p.dbWaitMs)} waiting ` +
            `for PostgreSQL, ${fixed(p.nodeMs)} in Node)` +
            (p.postgresCpuMs === null ? '' : `; PostgreSQL CPU ${fixed(p.postgresCpuMs)} ms`),
        )
      }

      // HTTP, with the server in its own process.
      {
        const dbUrl = await copy('http')
        const before = await countsAt(dbUrl)
        const profileDir = options.serverCpuProfile ? path.join(resultsDir, 'profiles') : undefined
        if (profileDir) await mkdir(profileDir, { recursive: true })
        log('\nHTTP → PostgreSQL: node --import tsx src/main.ts in a child process (the app’s default pool of 10)')
        const server = await startServer({ database: { url: dbUrl }, cpuProfileDir: profileDir })
        const slots = slotsFor()
        let acknowledged = 0
        let profileFrom = 0
        try {
          // What the HTTP stack alone costs (every hook, no database work), at the busiest level up to 8 clients,
          // before the submissions so that the server's CPU profile covers those alone.
          const floorLevel = Math.min(8, Math.max(...options.levels))
          const client = new KeepAliveClient(server.origin, floorLevel)
          const floor = await measure(
            'http-floor',
            floorLevel,
            options,
            { app: server.cpuMs, pgCpu },
            new Slots(0, 0),
            async (_n, errors) => {
              try {
                const response = await client.request('GET', '/healthz', {})
                if (response.status === 200) return true
                errors.push(`${response.status} ${response.body.slice(0, 300)}`)
              } catch (error) {
                errors.push(String(error))
              }
              return false
            },
          )
          client.close()
          record(floor.result)
          // The profile's summary starts here: after start-up, the readiness check and the floor.
          profileFrom = Number(process.hrtime.bigint() / 1000n)
          for (const concurrency of options.levels) {
            const client = new KeepAliveClient(server.origin, concurrency)
            const send = httpSender(client, token, bodies, (n) => keyFor('http', runId, n))
            const cpu = { app: server.cpuMs, pgCpu }
            const outcome = await measure('http-postgres', concurrency, options, cpu, slots, send)
            client.close()
            acknowledged += outcome.acknowledged
            record(outcome.result)
          }
        } finally {
          await server.stop()
        }
        if (profileDir) {
          serverCpuProfile = summariseCpuProfile(await serverProfile(profileDir, server.pid), { fromUs: profileFrom })
        }
        verifications.push(await verifyStored('http-postgres', dbUrl, before, acknowledged))
        if (options.levels.some((c) => c > 10)) {
          notes.push(
            'The app’s PostgreSQL pool is 10 connections by default (DATABASE_POOL_MAX): above 10 concurrent ' +
              'requests, the rest wait for a connection inside the server.',
          )
        }
      }

      // The same submissions in-process: first with the token lookup every API request makes, then without.
      for (const target of ['service+auth-postgres', 'service-postgres'] as const) {
        const dbUrl = await copy(target === 'service-postgres' ? 'service' : 'auth')
        const before = await countsAt(dbUrl)
        log(`\n${targetLabels[target]}: in-process, a pg pool as large as the concurrency`)
        const slots = slotsFor()
        let acknowledged = 0
        for (const concurrency of options.levels) {
          const { db, close } = await openBenchPostgres(dbUrl, concurrency)
          const caller = await callerFor(db, token)
          const submit = serviceSubmitter(db, caller, token, payloads, hashes, target === 'service+auth-postgres')
          const send = (n: number, errors: string[]) => submit(n, keyFor(target, runId, n), errors)
          const outcome = await measure(target, concurrency, options, { app: null, pgCpu }, slots, send)
          await close()
          acknowledged += outcome.acknowledged
          record(outcome.result)
        }
        verifications.push(await verifyStored(target, dbUrl, before, acknowledged))
      }
    } finally {
      for (const name of databases.reverse()) await dropDatabase(url, name).catch(() => undefined)
    }
  }

  if (options.pglite) {
    log('\nPGlite (memory): migrated and seeded; submitReport one at a time (PGlite runs one query at a time)')
    const setupStart = performance.now()
    const handle = await openMemoryPglite()
    try {
      const { token } = await prepareDatabase(handle.db)
      log(`  set up in ${Math.round(performance.now() - setupStart)} ms`)
      const caller = await callerFor(handle.db, token)
      const before = await storedCounts(handle.db)
      const submit = serviceSubmitter(handle.db, caller, token, payloads, hashes, false)
      const send = (n: number, errors: string[]) => submit(n, keyFor('pglite', runId, n), errors)
      const cpu = { app: null, pgCpu: null }
      const outcome = await measure('service-pglite', 1, options, cpu, slotsFor(), send)
      record(outcome.result)
      verifications.push(await verifyDb('service-pglite', handle.db, before, outcome.acknowledged))
    } finally {
      await handle.close()
    }

    if (options.pgliteHttpLevels.length) {
      log('\nHTTP → PGlite: the app’s embedded default, a PGlite data directory, server in a child process')
      const dataDir = await mkdtemp(path.join(tmpdir(), 'forceledger-bench-pglite-'))
      try {
        const setup = await openDatabase({ kind: 'pglite', dataDir })
        const { token } = await prepareDatabase(setup.db)
        const before = await storedCounts(setup.db)
        await setup.close()
        const server = await startServer({ database: { dataDir } })
        const slots = slotsFor()
        let acknowledged = 0
        try {
          for (const concurrency of options.pgliteHttpLevels) {
            const client = new KeepAliveClient(server.origin, concurrency)
            const send = httpSender(client, token, bodies, (n) => keyFor('pglite-http', runId, n))
            const cpu = { app: server.cpuMs, pgCpu: null }
            const outcome = await measure('http-pglite', concurrency, options, cpu, slots, send)
            client.close()
            acknowledged += outcome.acknowledged
            record(outcome.result)
          }
        } finally {
          await server.stop()
        }
        const check = await openDatabase({ kind: 'pglite', dataDir })
        try {
          verifications.push(await verifyDb('http-pglite', check.db, before, acknowledged))
        } finally {
          await check.close()
        }
      } finally {
        await rm(dataDir, { recursive: true, force: true })
      }
    }
  }

  return {
    payloads: payloadSummary,
    profile,
    results,
    verifications,
    ...(serverCpuProfile ? { serverCpuProfile } : {}),
    notes,
  }
}

/** Hands out disjoint ranges of payload numbers, one per measured run, so no idempotency key is sent twice. */
class Slots {
  #next = 0
  constructor(
    readonly size: number,
    readonly total: number,
  ) {}

  take(): number {
    const base = this.#next
    this.#next += this.size
    if (this.#next > this.total) throw new Error('benchmark: not enough payloads generated for this run')
    return base
  }
}

type Send = (n: number, errors: string[]) => Promise<boolean>

/** POSTs payload n as the JSON API's clients do; only 201 Created counts as success. */
function httpSender(client: KeepAliveClient, token: string, bodies: string[], key: (n: number) => string): Send {
  return async (n, errors) => {
    try {
      const headers = {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': key(n),
      }
      const response = await client.request('POST', API_PATH, headers, bodies[n])
      if (response.status === 201) return true
      errors.push(`${response.status} ${response.body.slice(0, 300)}`)
    } catch (error) {
      errors.push(String(error))
    }
    return false
  }
}

/** submitReport as the route calls it, optionally preceded by the token calls the session plugin makes. */
function serviceSubmitter(
  db: Db,
  caller: Caller,
  token: string,
  payloads: GeneratedPayload[],
  hashes: string[],
  withTokenLookup: boolean,
) {
  const tokenHash = hashToken(token)
  return async (n: number, key: string, errors: string[]): Promise<boolean> => {
    const payload = payloads[n]
    if (!payload) throw new Error(`benchmark: no payload ${n}: generate more`)
    try {
      if (withTokenLookup) {
        const account = await accountForApiToken(db, tokenHash)
        if (!account) throw new Error('token did not resolve')
        await touchApiToken(db, tokenHash, systemClock())
      }
      const outcome = await submitReport({ db, clock: systemClock }, caller, payload.parsed, {
        idempotencyKey: key,
        requestHash: hashes[n],
      })
      if (outcome.ok && !outcome.replayed) return true
      errors.push(JSON.stringify(outcome).slice(0, 300))
    } catch (error) {
      errors.push(String(error))
    }
    return false
  }
}

/** Other processes' share of the cores above which a run is noisy, and measured again if --retry-noisy allows. */
const NOISY = 0.1

/**
 * Measures one target at one concurrency. On a shared machine, a run during which other processes used more than
 * NOISY of the cores is measured again (up to --retry-noisy times) and the quietest kept; one with errors is kept.
 */
async function measure(
  target: Target,
  concurrency: number,
  options: SubmissionsOptions,
  cpu: { app: (() => number) | null; pgCpu: (() => number) | null },
  slots: Slots,
  send: Send,
): Promise<{ result: LevelResult; acknowledged: number }> {
  let best: LevelResult | undefined
  let acknowledged = 0
  for (let attempt = 1; attempt <= 1 + options.retryNoisy; attempt++) {
    const base = slots.take()
    const errors: string[] = []
    const result = await measureOnce(target, concurrency, options, cpu, (i) => send(base + i, errors))
    result.firstErrors = errors.slice(0, 5)
    result.attempts = attempt
    acknowledged += result.okIncludingWarmup
    const failed = result.errors + result.warmupErrors > 0
    if (!best || failed || result.cores.others < best.cores.others) best = { ...result }
    if (failed || result.cores.others <= NOISY) break
    if (attempt <= options.retryNoisy) {
      log(`  (${clients(concurrency)}: other processes used ${pct(result.cores.others)} of the cores; measuring again)`)
    }
  }
  if (!best) throw new Error('benchmark: nothing measured')
  best.attempts = Math.max(best.attempts, 1)
  return { result: best, acknowledged }
}

async function measureOnce(
  target: Target,
  concurrency: number,
  options: SubmissionsOptions,
  cpu: { app: (() => number) | null; pgCpu: (() => number) | null },
  send: (i: number) => Promise<boolean>,
): Promise<LevelResult> {
  const read = () => ({ app: cpu.app?.() ?? 0, pg: cpu.pgCpu?.() ?? 0, client: ownCpuMs(), machine: machineCpuMs() })
  let start = read()
  let end = start
  const result = await runLoad({
    concurrency,
    warmup: options.warmup,
    durationMs: options.durationMs,
    maxRequests: options.maxRequests,
    send,
    onStart: () => (start = read()),
    onEnd: () => (end = read()),
  })
  const per = (ms: number) => (result.ok ? ms / result.ok : Number.NaN)
  // In-process, the app is the load generator: its CPU is counted once, as the app's.
  const inProcess = cpu.app === null
  const appMs = inProcess ? end.client - start.client : end.app - start.app
  const clientMs = inProcess ? 0 : end.client - start.client
  const pgMs = end.pg - start.pg
  const capacity = result.elapsedMs * availableParallelism()
  const ours = (appMs + clientMs + pgMs) / capacity
  return {
    ...result,
    target,
    cpuPerReport: {
      app: per(appMs),
      postgres: cpu.pgCpu ? per(pgMs) : null,
      client: inProcess ? null : per(clientMs),
    },
    cores: { ours, others: Math.max(0, (end.machine - start.machine) / capacity - ours) },
    attempts: 1,
    firstErrors: [],
  }
}

async function countsAt(url: string): Promise<StoredCounts> {
  const { db, close } = await openBenchPostgres(url, 1)
  try {
    return await storedCounts(db)
  } finally {
    await close()
  }
}

async function verifyStored(
  target: Target,
  url: string,
  before: StoredCounts,
  acknowledged: number,
): Promise<Verification> {
  const { db, close } = await openBenchPostgres(url, 2)
  try {
    return await verifyDb(target, db, before, acknowledged)
  } finally {
    await close()
  }
}

/**
 * Every acknowledged report is stored exactly once, with its version, key and audit entry (counted as what was
 * added since `before`: the demo seed has reports of its own), and the audit chains hold.
 */
async function verifyDb(target: Target, db: Db, before: StoredCounts, acknowledged: number): Promise<Verification> {
  const after = await storedCounts(db)
  const stored: StoredCounts = {
    reports: after.reports - before.reports,
    versions: after.versions - before.versions,
    idempotencyKeys: after.idempotencyKeys - before.idempotencyKeys,
    auditSubmitted: after.auditSubmitted - before.auditSubmitted,
  }
  const chain = await verifyAuditLedger(db)
  const auditChain = chain.ok
    ? `intact (${chain.entriesChecked} entries, ${chain.chains} chains)`
    : `BROKEN at entry ${chain.firstBroken.id}: ${chain.firstBroken.reason}`
  const ok =
    chain.ok &&
    stored.reports === acknowledged &&
    stored.versions === acknowledged &&
    stored.idempotencyKeys === acknowledged &&
    stored.auditSubmitted === acknowledged
  log(
    `  verified: ${acknowledged} acknowledged; added ${stored.reports} reports, ${stored.versions} versions, ` +
      `${stored.idempotencyKeys} idempotency keys, ${stored.auditSubmitted} audit entries; audit chain ${auditChain}` +
      (ok ? '' : '  ← MISMATCH'),
  )
  return { target, acknowledged, stored, auditChain, ok }
}

/**
 * One submission at a time through the app in-process (Fastify `inject`, so no socket) and through submitReport,
 * counting every statement Kysely sends (BEGIN and COMMIT included) and the time spent waiting for each.
 */
async function roundTripProfile(
  url: string,
  token: string,
  payloads: GeneratedPayload[],
  bodies: string[],
  hashes: string[],
  options: SubmissionsOptions,
  runId: string,
  pgCpu: (() => number) | null,
): Promise<RoundTripProfile[]> {
  let queries: { sql: string; ms: number }[] = []
  const onLog = (event: LogEvent) => {
    if (event.level === 'query') queries.push({ sql: event.query.sql, ms: event.queryDurationMillis })
  }
  const { db, close } = await openBenchPostgres(url, 2, onLog)
  const config = loadConfig({
    NODE_ENV: 'production',
    SESSION_SECRET: randomBytes(32).toString('hex'),
    DATABASE_URL: url,
    DEMO_MODE: 'false',
    LOG_LEVEL: 'warn',
  })
  const app = await buildApp({ config, db, logger: false })
  await app.ready()
  const caller = await callerFor(db, token)
  const warm = 20
  const count = options.profileCount
  let n = 0
  const out: RoundTripProfile[] = []
  try {
    const paths = [
      {
        path: 'HTTP request (in-process inject)' as const,
        send: async (i: number) => {
          const response = await app.inject({
            method: 'POST',
            url: API_PATH,
            headers: {
              authorization: `Bearer ${token}`,
              'content-type': 'application/json',
              'idempotency-key': keyFor('profile-http', runId, i),
            },
            payload: bodies[i],
          })
          if (response.statusCode !== 201) throw new Error(`profile: ${response.statusCode} ${response.body}`)
        },
      },
      {
        path: 'submitReport' as const,
        send: async (i: number) => {
          const payload = payloads[i]
          if (!payload) throw new Error('profile: not enough payloads')
          const outcome = await submitReport({ db, clock: systemClock }, caller, payload.parsed, {
            idempotencyKey: keyFor('profile-service', runId, i),
            requestHash: hashes[i],
          })
          if (!outcome.ok) throw new Error(`profile: ${JSON.stringify(outcome)}`)
        },
      },
    ]
    for (const { path: name, send } of paths) {
      for (let w = 0; w < warm; w++) await send(n++)
      const perStatement = new Map<string, { count: number; ms: number }>()
      let roundTrips = 0
      let dbWait = 0
      let total = 0
      const cpu0 = pgCpu?.() ?? 0
      for (let k = 0; k < count; k++) {
        queries = []
        const t0 = performance.now()
        await send(n++)
        total += performance.now() - t0
        roundTrips += queries.length
        for (const q of queries) {
          dbWait += q.ms
          const key = statementName(q.sql)
          const entry = perStatement.get(key) ?? { count: 0, ms: 0 }
          entry.count++
          entry.ms += q.ms
          perStatement.set(key, entry)
        }
      }
      const cpu1 = pgCpu?.() ?? 0
      out.push({
        path: name,
        submissions: count,
        roundTrips: roundTrips / count,
        dbWaitMs: dbWait / count,
        totalMs: total / count,
        nodeMs: (total - dbWait) / count,
        postgresCpuMs: pgCpu ? (cpu1 - cpu0) / count : null,
        statements: [...perStatement.entries()].map(([statement, s]) => ({
          statement,
          perSubmission: s.count / count,
          meanMs: s.ms / s.count,
        })),
      })
    }
  } finally {
    await app.close()
    await close()
  }
  return out
}

/** A short name for a statement: its verb and table, or what the raw SQL does. */
function statementName(sqlText: string): string {
  const text = sqlText.replace(/\s+/g, ' ').trim()
  const lower = text.toLowerCase()
  if (lower === 'begin' || lower === 'commit' || lower === 'rollback') return lower
  if (lower.startsWith('with ')) {
    const tables = [...new Set([...text.matchAll(/insert into "?(\w+)"?/gi)].map((m) => m[1]))]
    if (tables.length) return `one statement inserting into ${tables.join(', ')}`
  }
  const insert = /^insert into "?(\w+)"?/i.exec(text)
  if (insert) return `insert ${insert[1]}`
  const update = /^update "?(\w+)"?/i.exec(text)
  if (update) return `update ${update[1]}`
  if (lower.includes('pg_advisory_xact_lock')) return 'select pg_advisory_xact_lock (audit lane)'
  if (lower.includes('audit_log_id_seq')) return 'select nextval + audit chain head'
  if (lower.includes('incident_reference_seq')) return 'select nextval (incident reference)'
  if (lower.startsWith('/* prepared: submit_reports */')) return 'the submissions: one statement (prepared)'
  if (lower.includes('from users u')) return 'select account by token (roles, unit path)'
  const from = /from "?(\w+)"?/i.exec(text)
  return from ? `select ${from[1]}` : text.slice(0, 40)
}

/** The main thread's profile of one server process (tsx's loader thread writes one of its own). */
async function serverProfile(dir: string, pid: number): Promise<string> {
  const main = (await readdir(dir)).find((f) => f.includes(`.${pid}.0.`) && f.endsWith('.cpuprofile'))
  if (!main) throw new Error(`no CPU profile for process ${pid} in ${dir}`)
  return path.join(dir, main)
}

function logLevel(r: LevelResult) {
  const cpu = r.cpuPerReport
  const parts = [
    cpu.app === null ? null : `app ${fixed(cpu.app)}`,
    cpu.postgres === null ? null : `pg ${fixed(cpu.postgres)}`,
    cpu.client === null ? null : `client ${fixed(cpu.client)}`,
  ].filter(Boolean)
  log(
    `  ${clients(r.concurrency).padStart(10)}: ${Math.round(r.perSecond).toLocaleString('en-GB').padStart(5)} ` +
      `reports/s, p50 ${fixed(r.latencyMs.p50)} ms, p95 ${fixed(r.latencyMs.p95)} ms, ` +
      `p99 ${fixed(r.latencyMs.p99)} ms, ` +
      `${r.errors + r.warmupErrors} errors (${r.requests} in ${fixed(r.elapsedMs / 1000)} s); ` +
      `CPU ms/report: ${parts.join(', ')}; cores busy: ${pct(r.cores.ours)} ours, ${pct(r.cores.others)} others` +
      (r.attempts > 1 ? ` (run ${r.attempts})` : ''),
  )
  for (const e of r.firstErrors) log(`    error: ${e}`)
}

export const clients = (n: number) => `${n} client${n === 1 ? '' : 's'}`
export const fixed = (n: number | null, digits = 2) => (n === null || Number.isNaN(n) ? '–' : n.toFixed(digits))
export const pct = (n: number) => `${(n * 100).toFixed(1)}%`
export { NOISY, targetLabels }
