import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { loadavg } from 'node:os'
import path from 'node:path'
import type { DuckDBConnection } from '@duckdb/node-api'
import { sql } from 'kysely'
import pg from 'pg'
import { openDatabase, type Db } from '../../src/db/database.js'
import { dashboardFigures, type DashboardFigures } from '../../src/features/dashboards/dashboards.service.js'
import { zeroCounts, type Counts } from '../../src/features/dashboards/rollup.js'
import { refreshRollups } from '../../src/features/rollups/rollups.js'
import { tableSet as statisticsTableSet } from '../../src/features/statistics/tables.js'
import { table1Rows } from '../../src/domain/statistics/ho-tables.js'
import { exportToDuckDb, openDuckDb } from './duckdb.js'
import { dashboardFiguresQuery, dashboards, table1ByLayout, tableSet, type BenchQuery } from './queries.js'

/**
 * `npm run bench -- national [--reports 1000000|5000000]`: the Home Office table set for one financial year and the
 * dashboards on the team's national-scale data (bench/national/README.md), in PostgreSQL and in DuckDB on the same
 * data. Every query's answer is checked to be the same in both before anything is timed.
 */

export interface NationalOptions {
  reports: number
  /** Timed rounds of the whole table set (after one warm-up round). */
  rounds: number
  /** Timed runs of each dashboard query for each force, per concurrency level. */
  dashboardRounds: number
  concurrency: number[]
}

const PERIOD = { from: new Date('2025-03-31T23:00:00Z'), to: new Date('2026-03-31T23:00:00Z') } // FY 2025/26
const MONTHS = { from: '2025-04', to: '2026-03' }

const TARGETS = {
  tableSet: { 1_000_000: 500, 5_000_000: 2000 } as Record<number, number>,
  tableSetRatio: 2,
  dashboardP95: { 1: 25, 8: 100 } as Record<number, number>,
  dashboardRatio: 1,
}

export function nationalDefaults(reports: number) {
  const size = reports >= 1_000_000 ? `${reports / 1_000_000}m` : `${reports / 1000}k`
  return {
    url: process.env.NATIONAL_DATABASE_URL ?? `postgres://postgres@127.0.0.1:55432/forceledger_national_${size}`,
    duckdb: process.env.NATIONAL_DUCKDB ?? `/work/bench-duckdb/national-${size}.duckdb`,
  }
}

type Row = (string | number | null)[]

function normalise(rows: Record<string, unknown>[]): string[] {
  return rows
    .map((row) =>
      JSON.stringify(
        Object.values(row).map((v): Row[number] => {
          if (v === null || v === undefined) return null
          if (typeof v === 'bigint' || typeof v === 'number') return Number(v)
          if (v instanceof Date) return v.toISOString()
          if (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v)) return Number(v)
          return String(v)
        }),
      ),
    )
    .sort()
}

interface Engine {
  name: string
  run(query: BenchQuery, params: unknown[]): Promise<Record<string, unknown>[]>
}

function postgresEngine(pool: pg.Pool): Engine {
  return {
    name: 'PostgreSQL',
    run: async (query, params) => (await pool.query({ text: query.sql, values: params })).rows,
  }
}

function duckEngine(connections: DuckDBConnection[]): Engine {
  const idle = [...connections]
  const waiting: ((c: DuckDBConnection) => void)[] = []
  const take = () =>
    new Promise<DuckDBConnection>((resolve) => {
      const c = idle.pop()
      if (c) resolve(c)
      else waiting.push(resolve)
    })
  const give = (c: DuckDBConnection) => {
    const next = waiting.shift()
    if (next) next(c)
    else idle.push(c)
  }
  return {
    name: 'DuckDB',
    async run(query, params) {
      const connection = await take()
      try {
        const values = params.map((p) => (p instanceof Date ? p.toISOString() : (p as string)))
        // DuckDB cannot infer a parameter compared with a TIMESTAMPTZ from a string alone: cast in the text.
        const text = query.sql.replace(/\$([12])\b/g, '$$$1::timestamptz').replace(/\$3\b/g, '$$3::uuid')
        return (await connection.runAndReadAll(text, values)).getRowObjectsJS()
      } finally {
        give(connection)
      }
    },
  }
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? NaN
const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    0.5,
  )

/** Runs every job through `concurrency` workers, closed loop; returns the latencies in ms, sorted. */
async function latencies(
  concurrency: number,
  jobs: string[],
  run: (job: string) => Promise<unknown>,
): Promise<number[]> {
  const queue = [...jobs]
  const out: number[] = []
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        const [, ms] = await timed(() => run(job))
        out.push(ms)
      }
    }),
  )
  return out.sort((a, b) => a - b)
}

async function hasTable(db: Db, table: string): Promise<boolean> {
  const { rows } = await sql<{ found: boolean }>`select to_regclass(${table}) is not null as found`.execute(db)
  return rows[0]?.found === true
}

/** The figures a dashboard shows, keyed so two sources can be compared: months of 'all', and each category's totals. */
function canonicalFigures(f: DashboardFigures): Record<string, Counts> {
  const out: Record<string, Counts> = {}
  for (const m of f.months) if (m.counts.reports) out[`month|${m.month}`] = m.counts
  for (const [dimension, list] of Object.entries(f.breakdowns))
    for (const c of list) out[`${dimension}|${c.category}`] = c.counts
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)))
}

function figuresFromRows(rows: Record<string, unknown>[]): Record<string, Counts> {
  const out: Record<string, Counts> = {}
  for (const r of rows) {
    const counts: Counts = {
      reports: Number(r.reports),
      cedUsed: Number(r.ced_used),
      cedDischarged: Number(r.ced_discharged),
      officerAssaulted: Number(r.officer_assaulted),
      assaultedWithWeapon: Number(r.assaulted_with_weapon),
      officerInjured: Number(r.officer_injured),
      officerInjuredSevere: Number(r.officer_injured_severe),
      subjectInjured: Number(r.subject_injured),
    }
    const key = r.dimension === 'all' ? `month|${String(r.month)}` : `${String(r.dimension)}|${String(r.category)}`
    const sum = out[key] ?? zeroCounts
    out[key] = Object.fromEntries(
      Object.entries(sum).map(([k, v]) => [k, v + counts[k as keyof Counts]]),
    ) as unknown as Counts
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)))
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now()
  const result = await work()
  return [result, performance.now() - started]
}

export interface NationalResult {
  reports: number
  period: { from: string; to: string }
  checks: { query: string; ok: boolean; rows: number }[]
  tableSet: { query: string; postgresMs: number; duckdbMs: number }[]
  tableSetTotal: { postgresMs: number; duckdbMs: number }
  /** The statistics engine's tableSet (src/features/statistics/), against DuckDB's whole table set. */
  appTableSet: { postgresMs: number; duckdbMs: number; comparedRows: number } | null
  dashboards: { query: string; concurrency: number; engine: string; p50: number; p95: number; samples: number }[]
  setupSeconds: { duckdbExport: number | null; dashboardRollup: number | null }
  loadAverage: number[]
}

export async function nationalBenchmark(options: NationalOptions, log = console.log): Promise<NationalResult> {
  const { url, duckdb } = nationalDefaults(options.reports)
  const pool = new pg.Pool({ connectionString: url, max: Math.max(...options.concurrency) })
  let duckExport: number | null = null
  try {
    const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from reports')
    if (rows[0]?.n !== options.reports)
      throw new Error(`${url} holds ${rows[0]?.n} reports, not ${options.reports}: see bench/national/README.md`)
    if (!existsSync(duckdb)) {
      log(`No DuckDB copy at ${duckdb}: making it (once)…`)
      await mkdir(path.dirname(duckdb), { recursive: true })
      duckExport = await exportToDuckDb(url, duckdb, log)
      log(`DuckDB copy made in ${duckExport.toFixed(0)} s`)
    }
    const duck = await openDuckDb(duckdb)
    const connections = await Promise.all(options.concurrency.map(() => duck.connect()))
    try {
      const engines = [postgresEngine(pool), duckEngine(connections)]
      const [ours, theirs] = engines as [Engine, Engine]
      const period = [PERIOD.from, PERIOD.to]
      const forces = (await pool.query<{ id: string }>('select id from forces order by code')).rows.map((r) => r.id)

      // Same answers, or the comparison means nothing.
      const checks: NationalResult['checks'] = []
      const sample = forces.slice(0, 3)
      for (const query of tableSet) {
        const [a, b] = await Promise.all(engines.map(async (e) => normalise(await e.run(query, period))))
        checks.push({ query: query.name, ok: JSON.stringify(a) === JSON.stringify(b), rows: a?.length ?? 0 })
      }
      for (const query of dashboards)
        for (const force of sample) {
          const [a, b] = await Promise.all(engines.map(async (e) => normalise(await e.run(query, [...period, force]))))
          checks.push({
            query: `${query.name} (${force})`,
            ok: JSON.stringify(a) === JSON.stringify(b),
            rows: a?.length ?? 0,
          })
        }
      const failed = checks.filter((c) => !c.ok)
      if (failed.length) throw new Error(`PostgreSQL and DuckDB disagree on: ${failed.map((c) => c.query).join(', ')}`)
      log(`Checked: PostgreSQL and DuckDB give the same answer to all ${checks.length} queries`)

      // The table set, one query after another as a page or download would ask for it.
      const perQuery = new Map(tableSet.map((q) => [q.name, { postgres: [] as number[], duckdb: [] as number[] }]))
      const totals = { postgres: [] as number[], duckdb: [] as number[] }
      for (let round = 0; round <= options.rounds; round++) {
        for (const [engine, key] of [
          [ours, 'postgres'],
          [theirs, 'duckdb'],
        ] as const) {
          let total = 0
          for (const query of tableSet) {
            const [, ms] = await timed(() => engine.run(query, period))
            total += ms
            if (round > 0) perQuery.get(query.name)?.[key].push(ms)
          }
          if (round > 0) totals[key].push(total)
        }
      }
      const tableSetRows = tableSet.map((q) => {
        const t = perQuery.get(q.name) ?? { postgres: [], duckdb: [] }
        return { query: q.name, postgresMs: median(t.postgres), duckdbMs: median(t.duckdb) }
      })

      // Dashboards: every query for every force, closed loop with N clients.
      const dashboardRows: NationalResult['dashboards'] = []
      const measure = async (
        query: string,
        engine: string,
        concurrency: number,
        run: (force: string) => Promise<unknown>,
      ) => {
        await Promise.all(forces.map(run)) // warm-up
        const sorted = await latencies(
          concurrency,
          Array.from({ length: options.dashboardRounds }, () => forces).flat(),
          run,
        )
        dashboardRows.push({
          query,
          concurrency,
          engine,
          p50: percentile(sorted, 0.5),
          p95: percentile(sorted, 0.95),
          samples: sorted.length,
        })
      }
      for (const concurrency of options.concurrency)
        for (const engine of engines)
          for (const query of dashboards)
            await measure(query.name, engine.name, concurrency, (force) => engine.run(query, [...period, force]))

      // The app's own dashboards (rollup) against DuckDB scanning for the same figures.
      const app = await openDatabase({ kind: 'postgres', url, poolMax: Math.max(...options.concurrency) })
      let rollupSeconds: number | null = null
      let appTableSet: NationalResult['appTableSet'] = null
      try {
        if (await hasTable(app.db, 'dashboard_rollup')) {
          const [, ms] = await timed(() => refreshRollups(app.db, null))
          rollupSeconds = ms / 1000
          log(`Rollups (dashboards and statistics) brought up to date in ${rollupSeconds.toFixed(1)} s`)
          for (const force of sample) {
            const ours = canonicalFigures(await dashboardFigures(app.db, { forceId: force, unitIds: null }, MONTHS))
            const duckRows = await theirs.run(dashboardFiguresQuery, [...period, force])
            const same = JSON.stringify(ours) === JSON.stringify(figuresFromRows(duckRows))
            checks.push({ query: `dashboardFigures (${force})`, ok: same, rows: duckRows.length })
            if (!same) throw new Error(`dashboardFigures and DuckDB disagree for force ${force}`)
          }
          for (const concurrency of options.concurrency) {
            await measure('dashboardFigures (app)', 'PostgreSQL', concurrency, (force) =>
              dashboardFigures(app.db, { forceId: force, unitIds: null }, MONTHS),
            )
            await measure('dashboardFigures (app)', 'DuckDB', concurrency, (force) =>
              theirs.run(dashboardFiguresQuery, [...period, force]),
            )
          }
        } else
          log('No dashboard_rollup table: run `npm run db:migrate` against the database to time the app’s dashboards')

        // The statistics engine's whole table set (tables 1–17), nationally, against DuckDB's table set above.
        if (await hasTable(app.db, 'report_statistics')) {
          const query = { scope: { kind: 'national' as const }, period: MONTHS }
          const table1 = (await statisticsTableSet(app.db, query))[0]
          const duckRow = (await theirs.run(table1ByLayout(table1Rows), period))[0] ?? {}
          // Every row's "reports involving" against DuckDB counting the same reports by the layout's definition.
          const compared = (table1?.rows ?? []).map((row, i) => ({
            key: row.key,
            ours: row.values[1],
            duckdb: Number(duckRow[`row_${i}`]),
          }))
          const differ = compared.filter((row) => row.ours !== row.duckdb)
          checks.push({ query: 'statistics tableSet, Table 1', ok: !differ.length, rows: compared.length })
          if (compared.length !== table1Rows.length || differ.length)
            throw new Error(
              `The statistics engine's Table 1 and DuckDB's disagree: ` +
                differ.map((d) => `${d.key} ${String(d.ours)} ≠ ${d.duckdb}`).join(', '),
            )
          const times: number[] = []
          for (let round = 0; round <= options.rounds; round++) {
            const [, ms] = await timed(() => statisticsTableSet(app.db, query))
            if (round > 0) times.push(ms)
          }
          appTableSet = { postgresMs: median(times), duckdbMs: median(totals.duckdb), comparedRows: compared.length }
        } else
          log('No report_statistics view: run `npm run db:migrate` against the database to time the statistics engine')
      } finally {
        await app.close()
      }
      return {
        reports: options.reports,
        period: { from: PERIOD.from.toISOString(), to: PERIOD.to.toISOString() },
        checks,
        tableSet: tableSetRows,
        tableSetTotal: { postgresMs: median(totals.postgres), duckdbMs: median(totals.duckdb) },
        appTableSet,
        dashboards: dashboardRows,
        setupSeconds: { duckdbExport: duckExport, dashboardRollup: rollupSeconds },
        loadAverage: loadavg().map((n) => Number(n.toFixed(2))),
      }
    } finally {
      for (const c of connections) c.closeSync()
      duck.close()
    }
  } finally {
    await pool.end()
  }
}

const ms = (n: number) => (n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString('en-GB'))
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`

export function printNational(result: NationalResult): void {
  const line = '='.repeat(100)
  console.log(`\n${line}\nnational: ${result.reports.toLocaleString('en-GB')} reports, financial year 2025/26`)
  console.log(
    `\n${'Table set query'.padEnd(32)} ${'PostgreSQL ms'.padStart(14)} ${'DuckDB ms'.padStart(10)} ${'ours ÷ DuckDB'.padStart(14)}`,
  )
  for (const r of result.tableSet)
    console.log(
      `${r.query.padEnd(32)} ${ms(r.postgresMs).padStart(14)} ${ms(r.duckdbMs).padStart(10)} ${ratio(r.postgresMs, r.duckdbMs).padStart(14)}`,
    )
  const t = result.tableSetTotal
  console.log(
    `${'Whole set (median of rounds)'.padEnd(32)} ${ms(t.postgresMs).padStart(14)} ${ms(t.duckdbMs).padStart(10)} ${ratio(t.postgresMs, t.duckdbMs).padStart(14)}`,
  )
  const app = result.appTableSet
  if (app)
    console.log(
      `${'tableSet (statistics engine)'.padEnd(32)} ${ms(app.postgresMs).padStart(14)} ${ms(app.duckdbMs).padStart(10)} ${ratio(app.postgresMs, app.duckdbMs).padStart(14)}`,
    )
  const target = TARGETS.tableSet[result.reports]
  const timed = app ?? t
  if (target)
    console.log(
      `Target (${app ? 'the statistics engine' : 'the plain SQL'}): whole set < ${target} ms and ≤ ${TARGETS.tableSetRatio}× DuckDB: ` +
        (timed.postgresMs < target && timed.postgresMs / timed.duckdbMs <= TARGETS.tableSetRatio ? 'MET' : 'NOT MET'),
    )

  console.log(
    `\n${'Dashboard query'.padEnd(24)} ${'users'.padStart(5)} ${'PG p50'.padStart(8)} ${'PG p95'.padStart(8)} ${'Duck p50'.padStart(9)} ${'Duck p95'.padStart(9)} ${'p95 ÷ DuckDB'.padStart(13)}`,
  )
  for (const r of result.dashboards.filter((d) => d.engine === 'PostgreSQL')) {
    const d = result.dashboards.find(
      (x) => x.engine === 'DuckDB' && x.query === r.query && x.concurrency === r.concurrency,
    )
    if (!d) continue
    const limit = TARGETS.dashboardP95[r.concurrency]
    console.log(
      `${r.query.padEnd(24)} ${String(r.concurrency).padStart(5)} ${ms(r.p50).padStart(8)} ${ms(r.p95).padStart(8)} ${ms(d.p50).padStart(9)} ${ms(d.p95).padStart(9)} ${ratio(r.p95, d.p95).padStart(13)}` +
        (limit
          ? `  ${r.p95 < limit && r.p95 <= d.p95 * TARGETS.dashboardRatio ? 'met' : 'not met'} (< ${limit} ms, ≤ 1× DuckDB)`
          : ''),
    )
  }
  console.log(`\nLoad average at the end: ${result.loadAverage.join(' ')} (2 cores: above 2 means others were working)`)
}
