import { mkdir, writeFile } from 'node:fs/promises'
import { loadavg } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { format, resolveConfig } from 'prettier'
import { undoAll } from './lib/cleanup.js'
import { machine, revision } from './lib/machine.js'
import { repoRoot, resultsDir } from './lib/paths.js'
import { postgresInstalled, serverSettings, serverVersion, startCluster, type Cluster } from './lib/postgres.js'
import { reconciliationMain } from './reconciliation.js'
import { printSoak, soakBenchmark } from './soak.js'
import { nationalBenchmark, printNational } from './national/benchmark.js'
import {
  clients,
  fixed,
  NOISY,
  pct,
  submissionsBenchmark,
  targetLabels,
  type LevelResult,
  type SubmissionsOptions,
  type SubmissionsResult,
} from './submissions.js'

/**
 * `npm run bench` runs every benchmark; `npm run bench -- submissions` one of them. Without DATABASE_URL a throwaway
 * PostgreSQL cluster is started for the run (scripts/postgres-test-cluster.sh) and removed at the end; without
 * Debian's postgresql package only the PGlite parts run. Results go to stdout and bench/results/<name>-<date>.json.
 */

const usage = `Usage: npm run bench -- [submissions] [options]

Options (submissions):
  --levels 1,4,8,16        concurrent clients, one measured run each
  --duration 5             seconds per run (a run also stops after --max-requests)
  --max-requests 5000      requests per run at most
  --warmup 200             unmeasured requests before each run
  --pglite-http 1,4        concurrency for HTTP on PGlite ('' to skip)
  --no-pglite              skip PGlite altogether
  --no-postgres            skip PostgreSQL (PGlite only), even when it is installed
  --profile-count 200      sequential submissions for the round-trip profile
  --server-cpu-prof        write a V8 CPU profile of the HTTP server and summarise it
  --retry-noisy 0          measure a run again (up to this many times) when other processes used more than
                           10% of the cores during it, and keep the quietest: for shared machines
  --quick                  a smoke test: levels 1,8, 2 s each, 100 warm-up, 50 profiled
  -h, --help

Options (soak; runs only when named, and on PostgreSQL when installed or DATABASE_URL is set, else PGlite):
  --soak-minutes 10        how long the mixed traffic runs
  --users 9                simultaneous people (officers, supervisors and analysts in turn)

Options (national; needs the shared cluster of bench/national/README.md, not DATABASE_URL):
  --reports 1000000        which national database to time: 1000000 or 5000000
  --rounds 5               timed rounds of the whole table set`

const benchmarks = ['submissions', 'reconciliation', 'national', 'soak'] as const
type Benchmark = (typeof benchmarks)[number]

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    levels: { type: 'string' },
    duration: { type: 'string' },
    'max-requests': { type: 'string' },
    warmup: { type: 'string' },
    'pglite-http': { type: 'string' },
    'no-pglite': { type: 'boolean', default: false },
    'no-postgres': { type: 'boolean', default: false },
    'profile-count': { type: 'string' },
    'server-cpu-prof': { type: 'boolean', default: false },
    'retry-noisy': { type: 'string' },
    quick: { type: 'boolean', default: false },
    reports: { type: 'string' },
    rounds: { type: 'string' },
    'soak-minutes': { type: 'string' },
    users: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
})

if (values.help) {
  console.log(usage)
  process.exit(0)
}

const unknown = positionals.filter((p) => !(benchmarks as readonly string[]).includes(p))
if (unknown.length) {
  console.error(`Unknown benchmark: ${unknown.join(', ')}. Known: ${benchmarks.join(', ')}\n\n${usage}`)
  process.exit(2)
}
// The national benchmark reads the team's persistent cluster and the soak takes ten minutes, so they run only when
// asked for by name.
const selected: Benchmark[] = positionals.length
  ? (positionals as Benchmark[])
  : benchmarks.filter((b) => b !== 'national' && b !== 'soak')

function numbers(text: string | undefined, fallback: number[]): number[] {
  if (text === undefined) return fallback
  const list = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number)
  if (list.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`Expected whole numbers like 1,4,8: ${text}`)
  return list
}

function number(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback
  const n = Number(text)
  if (!Number.isFinite(n) || n < 0) throw new Error(`Expected a number: ${text}`)
  return n
}

const quick = values.quick
const submissionsOptions: SubmissionsOptions = {
  levels: numbers(values.levels, quick ? [1, 8] : [1, 4, 8, 16]),
  durationMs: number(values.duration, quick ? 2 : 5) * 1000,
  maxRequests: number(values['max-requests'], 5000),
  warmup: number(values.warmup, quick ? 100 : 200),
  pglite: !values['no-pglite'],
  pgliteHttpLevels: numbers(values['pglite-http'], quick ? [1] : [1, 4]),
  profileCount: number(values['profile-count'], quick ? 50 : 200),
  serverCpuProfile: values['server-cpu-prof'],
  retryNoisy: number(values['retry-noisy'], 0),
}

let cluster: Cluster | null = null
// An interrupted run must not leave a server process or a PostgreSQL cluster behind.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping`)
    // Connections dropped by the stopping cluster must not end the process before the cluster is removed.
    process.on('uncaughtException', () => undefined)
    void undoAll().finally(() => process.exit(130))
  })
}

async function main() {
  const startedAt = new Date()
  const host = machine()
  const loadAtStart = loadavg().map((n) => Number(n.toFixed(2)))
  const code = revision(repoRoot)
  console.log(
    `ForceLedger benchmarks: ${selected.join(', ')}\n` +
      `Machine: ${host.nproc} cores (${host.cpuModel}), ${host.memoryGiB} GiB, Node ${host.node}; ` +
      `load average ${loadAtStart.join(' ')}\n` +
      `Code: ${code.commit}` +
      (code.uncommitted.length ? ` plus uncommitted changes to ${code.uncommitted.length} files` : ''),
  )

  let postgres: {
    url: string
    dataDir?: string
    source: string
    version: string
    settings: Record<string, string>
  } | null = null
  const given = process.env.DATABASE_URL
  try {
    if (!selected.some((b) => b !== 'national')) {
      // national uses its own cluster (bench/national/README.md): nothing to start.
    } else if (values['no-postgres']) {
      console.log('PostgreSQL skipped (--no-postgres): PGlite only.')
    } else if (given) {
      postgres = { url: given, source: 'DATABASE_URL', version: '', settings: {} }
    } else if (postgresInstalled()) {
      console.log('Starting a throwaway PostgreSQL cluster (scripts/postgres-test-cluster.sh)…')
      cluster = await startCluster()
      postgres = { url: cluster.url, dataDir: cluster.dir, source: 'throwaway cluster', version: '', settings: {} }
    } else {
      console.log(
        '\n*** PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb), so only the PGlite parts run. ***\n' +
          '*** Install it with `apt-get install -y postgresql` (what .ci/run does) or set DATABASE_URL.     ***\n',
      )
    }
    if (postgres) {
      postgres.version = await serverVersion(postgres.url)
      postgres.settings = await serverSettings(postgres.url)
      console.log(`PostgreSQL: ${postgres.version} (${postgres.source}); ${settingsLine(postgres.settings)}`)
    }

    /** Saves a benchmark's result with when, where and on what code it ran. */
    const saveRun = async (name: Benchmark, result: object) => {
      const file = await save(name, startedAt, {
        benchmark: name,
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        machine: { ...host, loadAverageAtStart: loadAtStart },
        code,
        ...result,
      })
      console.log(`\nSaved ${path.relative(process.cwd(), file)}`)
    }
    for (const name of selected) {
      if (name === 'national') {
        const reports = number(values.reports, 1_000_000)
        const result = await nationalBenchmark({
          reports,
          rounds: number(values.rounds, quick ? 1 : 5),
          dashboardRounds: quick ? 1 : 5,
          concurrency: [1, 8],
        })
        printNational(result)
        await saveRun(name, result)
      }
      if (name === 'soak') {
        const result = await soakBenchmark(
          { durationMs: number(values['soak-minutes'], 10) * 60_000, users: number(values.users, 9) },
          postgres,
        )
        printSoak(result)
        await saveRun(name, result)
        if (result.errors > 0) {
          console.error(`\nFAILED: ${result.errors} requests failed during the soak`)
          process.exitCode = 1
        }
      }
      if (name === 'reconciliation' && !(await reconciliationMain(postgres, (d) => save(name, startedAt, d))))
        process.exitCode = 1
      if (name === 'submissions') {
        const result = await submissionsBenchmark(submissionsOptions, postgres)
        printSubmissions(result, submissionsOptions)
        const file = await save(name, startedAt, {
          benchmark: name,
          startedAt: startedAt.toISOString(),
          finishedAt: new Date().toISOString(),
          machine: { ...host, loadAverageAtStart: loadAtStart },
          code,
          postgres: postgres
            ? { source: postgres.source, version: postgres.version, settings: postgres.settings }
            : {
                skipped: values['no-postgres']
                  ? '--no-postgres'
                  : 'PostgreSQL is not installed (Debian postgresql package) and DATABASE_URL is unset',
              },
          settings: submissionsOptions,
          ...result,
        })
        console.log(`\nSaved ${path.relative(process.cwd(), file)}`)
        const failed = result.verifications.filter((v) => !v.ok)
        const errors = result.results.reduce((n, r) => n + r.errors + r.warmupErrors, 0)
        if (failed.length || errors) {
          console.error(`\nFAILED: ${errors} request errors, ${failed.length} verification mismatches`)
          process.exitCode = 1
        }
      }
    }
  } finally {
    if (cluster) {
      await cluster.stop()
      console.log('Stopped the throwaway PostgreSQL cluster.')
    }
  }
}

function settingsLine(settings: Record<string, string>): string {
  return Object.entries(settings)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')
}

async function save(name: string, startedAt: Date, data: unknown): Promise<string> {
  await mkdir(resultsDir, { recursive: true })
  const stamp = startedAt
    .toISOString()
    .replace(/:/g, '-')
    .replace(/\.\d+Z$/, 'Z')
  const file = path.join(resultsDir, `${name}-${stamp}.json`)
  // Formatted as the repository's Prettier would, so `prettier --check .` stays quiet on a machine that ran us.
  const options = (await resolveConfig(file)) ?? {}
  await writeFile(file, await format(JSON.stringify(data), { ...options, parser: 'json' }))
  return file
}

const TARGET_PER_SECOND = 1000
const TARGET_P95_MS = 20

/** The target against the HTTP rows: the best throughput with p95 under the limit. */
function targetVerdict(http: LevelResult[]): string {
  const goal = TARGET_PER_SECOND.toLocaleString('en-GB')
  const target = `Target: ≥ ${goal} reports/s over HTTP with p95 < ${TARGET_P95_MS} ms.`
  const meeting = http.filter((r) => r.latencyMs.p95 < TARGET_P95_MS && r.errors === 0)
  const best = meeting.sort((a, b) => b.perSecond - a.perSecond)[0]
  if (!best) {
    const fastest = Math.max(...http.map((r) => r.perSecond))
    return `${target} No concurrency level had p95 < ${TARGET_P95_MS} ms; fastest ${Math.round(fastest)}/s.`
  }
  const perSecond = Math.round(best.perSecond)
  const shortBy = TARGET_PER_SECOND - best.perSecond
  return (
    `${target} Best with p95 < ${TARGET_P95_MS} ms: ${perSecond} reports/s at ${clients(best.concurrency)} ` +
    `(p95 ${fixed(best.latencyMs.p95)} ms) — ` +
    (best.cores.others > NOISY ? '(a noisy row: see "others") ' : '') +
    (shortBy <= 0 ? 'MET.' : `MISSED by ${Math.round(shortBy)}/s (${pct(shortBy / TARGET_PER_SECOND)} short).`)
  )
}

function printSubmissions(result: SubmissionsResult, options: SubmissionsOptions) {
  const order = Object.keys(targetLabels)
  const rows = [...result.results].sort((a, b) => order.indexOf(a.target) - order.indexOf(b.target))
  const dbOnly = new Map(rows.filter((r) => r.target === 'service-postgres').map((r) => [r.concurrency, r]))
  const header = [
    'target'.padEnd(40),
    'clients',
    'reports/s',
    '  p50 ms',
    '  p95 ms',
    '  p99 ms',
    'errors',
    '÷ db-only',
    'CPU ms/report app/pg/client',
    'cores: ours/others',
  ]
  const line = (r: LevelResult) => {
    const ceiling = r.target.startsWith('service-postgres') ? null : dbOnly.get(r.concurrency)
    const ratio = r.target.endsWith('-postgres') && ceiling ? pct(r.perSecond / ceiling.perSecond) : ''
    const c = r.cpuPerReport
    return [
      targetLabels[r.target].padEnd(40),
      String(r.concurrency).padStart(7),
      Math.round(r.perSecond).toLocaleString('en-GB').padStart(9),
      fixed(r.latencyMs.p50).padStart(8),
      fixed(r.latencyMs.p95).padStart(8),
      fixed(r.latencyMs.p99).padStart(8),
      String(r.errors + r.warmupErrors).padStart(6),
      ratio.padStart(9),
      `${fixed(c.app)} / ${fixed(c.postgres)} / ${fixed(c.client)}`.padStart(27),
      `${pct(r.cores.ours)} / ${pct(r.cores.others)}`.padStart(18),
    ].join('  ')
  }
  console.log(
    `\n${'='.repeat(150)}\nsubmissions: full reports, ${fixed(options.durationMs / 1000, 0)} s or ` +
      `${options.maxRequests} requests per row after ${options.warmup} warm-up; ` +
      'closed loop (each client waits for its answer)',
  )
  console.log(header.join('  '))
  for (const r of rows) console.log(line(r))

  const http = rows.filter((r) => r.target === 'http-postgres')
  if (http.length) console.log(`\n${targetVerdict(http)}`)
  if (result.profile.length) {
    console.log('\nOne submission at a time, in-process, on PostgreSQL (means):')
    for (const p of result.profile) {
      console.log(
        `  ${p.path.padEnd(34)} ${fixed(p.roundTrips, 1)} round trips, ${fixed(p.totalMs)} ms = ` +
          `${fixed(p.dbWaitMs)} waiting for PostgreSQL + ${fixed(p.nodeMs)} in Node` +
          (p.postgresCpuMs === null ? '' : `; PostgreSQL CPU ${fixed(p.postgresCpuMs)} ms`),
      )
      for (const s of p.statements) {
        console.log(
          `      ${fixed(s.perSubmission, 2).padStart(5)} × ${s.statement.padEnd(44)} ${fixed(s.meanMs, 3)} ms`,
        )
      }
    }
  }
  if (result.serverCpuProfile) {
    const s = result.serverCpuProfile
    console.log(`\nHTTP server CPU profile (${fixed(s.busyMs / 1000, 1)} s busy): ${s.file}`)
    for (const p of s.byPackage) console.log(`  ${pct(p.share).padStart(6)}  ${p.name}`)
    console.log('  busiest functions (self time):')
    for (const f of s.topFunctions) console.log(`  ${pct(f.share).padStart(6)}  ${f.name} ${f.where}`)
  }
  const noisy = rows.filter((r) => r.cores.others > NOISY)
  if (noisy.length) {
    console.log(
      `\nWARNING: other processes used more than ${pct(NOISY)} of the cores during ${noisy.length} of ${rows.length} ` +
        'rows (column "others"): this machine was shared, so those figures understate what it can do ' +
        '(--retry-noisy N measures such rows again).',
    )
  }
  for (const note of result.notes) console.log(`\nNote: ${note}`)
  const bad = result.verifications.filter((v) => !v.ok)
  console.log(
    bad.length
      ? `\nVerification FAILED for ${bad.map((v) => targetLabels[v.target]).join(', ')}`
      : '\nVerified: every acknowledged report stored exactly once with its version, key and audit entry; ' +
          'audit chains intact.',
  )
}

await main()
