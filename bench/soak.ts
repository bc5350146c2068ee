import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { performance } from 'node:perf_hooks'
import { openDatabase } from '../src/db/database.js'
import { DEMO_PASSWORD } from '../src/db/seed/seed-demo.js'
import { KeepAliveClient, type HttpResponse } from './lib/http.js'
import { percentile } from './lib/load.js'
import { generatePayloads } from './lib/payloads.js'
import { createDatabase, databaseName, dropDatabase } from './lib/postgres.js'
import { startServer } from './lib/server.js'
import { prepareDatabase } from './lib/setup.js'

/**
 * The soak: mixed traffic for a long while (10 minutes by default) from people using the service as they would —
 * officers signing in, opening their reports, starting and abandoning a draft, and submitting through the API;
 * supervisors at their review queue; analysts on the dashboards and the statistics. It passes when no request
 * fails and the server's memory stays flat: RSS is sampled through the run, and the end is compared with the start
 * after warm-up.
 */

export interface SoakOptions {
  durationMs: number
  /** Simultaneous people; a third each officers, supervisors and analysts. */
  users: number
}

interface ActionStats {
  count: number
  errors: number
  latencies: number[]
}

export interface SoakResult {
  database: string
  durationMs: number
  users: number
  requests: number
  errors: number
  errorSamples: string[]
  rssMiB: { atStart: number; atEnd: number; max: number; samples: number[] }
  actions: Record<string, { count: number; errors: number; p50: number; p95: number; p99: number; max: number }>
}

const SAMPLE_EVERY_MS = 30_000
const WARM_UP_MS = 30_000

class Person {
  readonly #cookies = new Map<string, string>()
  constructor(
    private readonly http: KeepAliveClient,
    readonly username: string,
  ) {}

  async send(method: string, path: string, body?: string, type?: string): Promise<HttpResponse> {
    // The server runs as in production, behind TLS ended by a proxy: it keeps a session only for https requests.
    const headers: Record<string, string> = {
      cookie: [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      'x-forwarded-proto': 'https',
    }
    if (type) headers['content-type'] = type
    const response = await this.http.request(method, path, headers, body)
    for (const header of response.setCookie) {
      const [pair = ''] = header.split(';')
      const eq = pair.indexOf('=')
      this.#cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim())
    }
    return response
  }

  /** Posts a form from the page at `from`, with that page's CSRF token. */
  async post(from: string, to: string, fields: Record<string, string>): Promise<HttpResponse> {
    const page = await this.send('GET', from)
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? ''
    return this.send(
      'POST',
      to,
      new URLSearchParams({ _csrf: token, ...fields }).toString(),
      'application/x-www-form-urlencoded',
    )
  }

  signIn(): Promise<HttpResponse> {
    this.#cookies.clear()
    return this.post('/sign-in', '/sign-in', { username: this.username, password: DEMO_PASSWORD })
  }
}

export async function soakBenchmark(options: SoakOptions, postgres: { url: string } | null): Promise<SoakResult> {
  let database: { url: string } | { dataDir: string }
  let cleanUp: () => Promise<void>
  if (postgres) {
    const name = databaseName('soak')
    database = { url: await createDatabase(postgres.url, name) }
    cleanUp = () => dropDatabase(postgres.url, name)
  } else {
    const dataDir = await mkdtemp(`${tmpdir()}/forceledger-soak-`)
    database = { dataDir }
    cleanUp = () => rm(dataDir, { recursive: true, force: true })
  }
  try {
    const handle = await openDatabase(
      'url' in database ? { kind: 'postgres', ...database } : { kind: 'pglite', ...database },
    )
    const { token } = await prepareDatabase(handle.db).finally(() => handle.close())
    const server = await startServer({ database })
    try {
      return await soak(server, token, options, 'url' in database ? 'PostgreSQL' : 'PGlite')
    } finally {
      await server.stop()
    }
  } finally {
    await cleanUp()
  }
}

async function soak(
  server: { origin: string; pid: number },
  token: string,
  options: SoakOptions,
  database: string,
): Promise<SoakResult> {
  const http = new KeepAliveClient(server.origin, options.users + 2)
  const stats = new Map<string, ActionStats>()
  const errorSamples: string[] = []
  const payloads = generatePayloads(500, { seed: 11 })
  let submitted = 0

  /** Times one action; a status outside `expected` (or a network error) is a failure. */
  async function act(name: string, work: () => Promise<HttpResponse>, expected = [200]): Promise<HttpResponse | null> {
    const s = stats.get(name) ?? { count: 0, errors: 0, latencies: [] }
    stats.set(name, s)
    const started = performance.now()
    try {
      const response = await work()
      s.latencies.push(performance.now() - started)
      s.count++
      if (!expected.includes(response.status)) {
        s.errors++
        if (errorSamples.length < 10) errorSamples.push(`${name}: ${response.status} ${response.body.slice(0, 200)}`)
      }
      return response
    } catch (error) {
      s.count++
      s.errors++
      if (errorSamples.length < 10) errorSamples.push(`${name}: ${String(error)}`)
      return null
    }
  }

  const officer = async (person: Person) => {
    await act('officer: your reports', () => person.send('GET', '/reports'))
    const draft = await act('officer: start a draft', () => person.post('/reports', '/reports/drafts', {}), [303])
    const location = draft?.headers.location
    if (location) {
      await act('officer: draft task list', () => person.send('GET', location))
      await act('officer: tactics page', () => person.send('GET', `${location}/tactics`))
      await act('officer: delete the draft', () => person.post(`${location}/delete`, `${location}/delete`, {}), [303])
    }
    const payload = payloads[submitted++ % payloads.length]
    await act(
      'api: submit a report',
      () =>
        http.request(
          'POST',
          '/api/v1/reports',
          { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          JSON.stringify(payload?.input),
        ),
      [201],
    )
  }
  const supervisor = async (person: Person) => {
    await act('supervisor: home', () => person.send('GET', '/'))
    await act('supervisor: review queue', () => person.send('GET', '/review'))
  }
  const analyst = async (person: Person) => {
    await act('analyst: dashboard', () => person.send('GET', '/dashboards'))
    await act('analyst: disproportionality', () => person.send('GET', '/dashboards/disproportionality'))
    await act('analyst: statistics tables', () => person.send('GET', '/statistics'))
  }
  const kinds = [
    { username: 'officer', work: officer },
    { username: 'supervisor', work: supervisor },
    { username: 'analyst', work: analyst },
  ]

  const rss = async () => {
    const status = await readFile(`/proc/${server.pid}/status`, 'utf8')
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024)
  }
  const samples: number[] = []
  const started = performance.now()
  const end = started + options.durationMs
  let atStart = 0
  const sampler = (async () => {
    for (let t = started; performance.now() < end;) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(SAMPLE_EVERY_MS, Math.max(0, end - t))))
      t = performance.now()
      const now = await rss()
      samples.push(now)
      if (!atStart && t - started >= WARM_UP_MS) atStart = now
    }
  })()

  await Promise.all(
    Array.from({ length: options.users }, async (_, i) => {
      const kind = kinds[i % kinds.length] ?? kinds[0]
      if (!kind) return
      const person = new Person(http, kind.username)
      for (let round = 0; performance.now() < end; round++) {
        // Sessions end and people sign in again: a fresh sign-in every 25 rounds.
        if (round % 25 === 0) await act('sign in', () => person.signIn(), [303])
        await kind.work(person)
      }
    }),
  )
  await sampler
  const atEnd = await rss()

  const actions: SoakResult['actions'] = {}
  for (const [name, s] of [...stats].sort(([a], [b]) => a.localeCompare(b))) {
    const sorted = Float64Array.from(s.latencies).sort()
    const at = (p: number) => Number(percentile(sorted, p).toFixed(1))
    actions[name] = { count: s.count, errors: s.errors, p50: at(50), p95: at(95), p99: at(99), max: at(100) }
  }
  const requests = [...stats.values()].reduce((n, s) => n + s.count, 0)
  return {
    database,
    durationMs: Math.round(performance.now() - started),
    users: options.users,
    requests,
    errors: [...stats.values()].reduce((n, s) => n + s.errors, 0),
    errorSamples,
    rssMiB: { atStart: atStart || (samples[0] ?? atEnd), atEnd, max: Math.max(atEnd, ...samples), samples },
    actions,
  }
}

export function printSoak(result: SoakResult): void {
  const minutes = (result.durationMs / 60_000).toFixed(1)
  console.log(
    `\nSoak on ${result.database}: ${result.users} people for ${minutes} min, ${result.requests.toLocaleString('en-GB')} actions, ${result.errors} errors`,
  )
  console.log(
    `Server RSS: ${result.rssMiB.atStart} MiB after warm-up, ${result.rssMiB.atEnd} MiB at the end (max ${result.rssMiB.max}); samples every 30 s: ${result.rssMiB.samples.join(', ')}`,
  )
  console.log('\nAction                              count  errors    p50    p95    p99    max (ms)')
  for (const [name, a] of Object.entries(result.actions))
    console.log(
      `${name.padEnd(34)} ${String(a.count).padStart(6)} ${String(a.errors).padStart(7)} ${[a.p50, a.p95, a.p99, a.max].map((n) => n.toFixed(1).padStart(6)).join(' ')}`,
    )
  for (const sample of result.errorSamples) console.log(`  error: ${sample}`)
}
