import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { once } from 'node:events'
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { openDatabase, type Db } from '../../src/db/database.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { mulberry32 } from '../../src/db/seed/random.js'
import type { CedDeviceModel } from '../../src/domain/use-of-force/ced.js'
import { chunks } from '../../src/db/batches.js'
import { withDatabase } from '../lib/postgres.js'
import { forceProfiles } from './forces.js'
import { Progress } from './progress.js'
import { span, syntheticIncidents, type IncidentRecord, type LoadedForce, type SyntheticOptions } from './synthetic.js'

/**
 * Writes national-scale synthetic use-of-force data into PostgreSQL through the application's schema (its
 * migrations, its own row mapping): 43 forces with their BCUs, officers (each with a user account) and CED device
 * register, then incidents, people, reports, tactics, CED uses and cycles by COPY. Indexes and constraints are
 * dropped for the load and built afterwards, and constraints re-validate every row, so the data is as consistent
 * as the application's own.
 *
 *   npx tsx bench/national/generate.ts --reports 1000000 --database-url postgres://…/forceledger_national_1m
 *
 * The database is created when missing; one that already holds reports is refused. Reports are not audited one by
 * one and have no stored versions: nothing the statistics read depends on either (bench/national/README.md).
 */

export interface GenerateOptions extends SyntheticOptions {
  /** Share of each force's officer FTE that have used force (and so have a user account here). */
  officerShare: number
  /** Incidents per COPY batch. */
  batch: number
  quiet?: boolean
}

export const defaultEnd = new Date('2026-03-31T23:00:00Z') // 1 April 2026 00:00 in London (BST)

/** Tables written by COPY, in the order their constraints are rebuilt. */
const loadedTables = ['incidents', 'subjects', 'reports', 'report_tactics', 'report_ced_uses', 'report_ced_cycles']

const firmware: Record<CedDeviceModel, string[]> = {
  x26: ['18', '19'],
  x2: ['2.50.2', '2.70.1', '2.80.0'],
  taser_7: ['1.6.2', '1.8.0'],
  taser_10: ['1.1.0'],
}

/** Seeded ids for the organisation (the records use their own stream): same seed, same ids. */
function seededIds(seed: number) {
  const u = mulberry32(seed ^ 0x5eed)
  const hex = () => (u() * 0x100000000).toString(16).padStart(8, '0')
  return () => {
    const [a, b, c, d] = [hex(), hex(), hex(), hex()]
    return `${a}-${b.slice(0, 4)}-4${b.slice(5)}-${((parseInt(c[0] ?? '0', 16) & 3) | 8).toString(16)}${c.slice(1, 4)}-${c.slice(4)}${d}`
  }
}

/** Forces, BCUs, officers with user accounts and devices: what every record points at. */
export async function writeOrganisation(db: Db, options: GenerateOptions): Promise<LoadedForce[]> {
  const id = seededIds(options.seed)
  const u = mulberry32(options.seed ^ 0x0bc0)
  const profiles = forceProfiles()
  const largest = Math.max(...profiles.map((p) => p.share))
  const createdAt = span(options).start
  const forces: LoadedForce[] = []
  const units: {
    id: string
    force_id: string
    parent_id: string | null
    kind: 'force' | 'bcu'
    code: string
    name: string
  }[] = []
  const personnel: object[] = []
  const users: object[] = []
  const devices: object[] = []
  for (const profile of profiles) {
    const forceId = id()
    const forceUnit = id()
    units.push({
      id: forceUnit,
      force_id: forceId,
      parent_id: null,
      kind: 'force',
      code: profile.code,
      name: profile.name,
    })
    const bcus = Array.from({ length: 3 + Math.round(7 * Math.sqrt(profile.share / largest)) }, (_, k) => {
      const unit = {
        id: id(),
        force_id: forceId,
        parent_id: forceUnit,
        kind: 'bcu' as const,
        code: `BCU${k + 1}`,
        name: `${profile.name} BCU ${k + 1}`,
      }
      units.push(unit)
      return unit.id
    })
    const officers = Array.from(
      { length: Math.max(3, Math.round(profile.officers * options.officerShare)) },
      (_, k) => {
        const personId = id()
        const userId = id()
        const unitId = bcus[Math.floor(u() * bcus.length)] as string
        personnel.push({
          id: personId,
          force_id: forceId,
          unit_id: unitId,
          collar_number: String(1000 + k),
          given_name: 'Officer',
          family_name: `${profile.code} ${1000 + k}`,
          rank: 'PC',
          status: 'regular',
          joined_on: '2012-09-01',
        })
        users.push({
          id: userId,
          force_id: forceId,
          username: `${profile.code.toLowerCase()}.${1000 + k}`,
          display_name: `Officer ${profile.code} ${1000 + k}`,
          person_id: personId,
          unit_id: unitId,
          created_at: createdAt,
          updated_at: createdAt,
        })
        return { personId, userId, unitId }
      },
    )
    // About one device per five officers who use force; X2 the most common model.
    const register = Array.from({ length: Math.max(2, Math.round(officers.length / 5)) }, (_, k) => {
      const r = u()
      const model: CedDeviceModel = r < 0.7 ? 'x2' : r < 0.8 ? 'x26' : r < 0.95 ? 'taser_7' : 'taser_10'
      const versions = firmware[model]
      const serial = `${model.toUpperCase().replace('_', '')}-${profile.code.slice(0, 6)}-${String(k).padStart(5, '0')}`
      devices.push({
        id: id(),
        force_id: forceId,
        serial,
        model,
        firmware: versions[Math.floor(u() * versions.length)] as string,
        status: 'in_service',
        home_unit_id: bcus[k % bcus.length] as string,
      })
      return { serial, model }
    })
    await db.insertInto('forces').values({ id: forceId, code: profile.code, name: profile.name }).execute()
    await db.insertInto('force_settings').values({ force_id: forceId }).execute()
    forces.push({ id: forceId, profile, officers, devices: register })
  }
  for (const batch of chunks(units)) await db.insertInto('org_units').values(batch).execute()
  for (const batch of chunks(personnel))
    await db
      .insertInto('personnel')
      .values(batch as never)
      .execute()
  for (const batch of chunks(users))
    await db
      .insertInto('users')
      .values(batch as never)
      .execute()
  for (const batch of chunks(users))
    await db
      .insertInto('user_roles')
      .values(batch.map((user) => ({ user_id: (user as { id: string }).id, role: 'officer' })))
      .execute()
  for (const batch of chunks(devices))
    await db
      .insertInto('ced_devices')
      .values(batch as never)
      .execute()
  return forces
}

/** jsonb columns among the loaded tables' (arrays elsewhere are text[]). */
const jsonColumns = new Set(['cartridges'])

/** A value in COPY's text format. text[] arrays here hold codes only, so need no quoting inside the braces. */
function copyValue(value: unknown, json: boolean): string {
  if (value === null || value === undefined) return '\\N'
  if (typeof value === 'boolean') return value ? 't' : 'f'
  if (typeof value === 'number') return String(value)
  if (value instanceof Date) return value.toISOString()
  if (Array.isArray(value) && !json) return `{${value.join(',')}}`
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  return /[\\\t\n\r]/.test(text)
    ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : text
}

/** One table's COPY: columns fixed by the first row, each row a line. */
class CopyTable {
  columns: string[] | null = null
  buffer: string[] = []
  stream: ReturnType<typeof copyFrom> | null = null
  constructor(
    readonly table: string,
    readonly client: pg.Client,
  ) {}

  add(row: Record<string, unknown>) {
    if (!this.columns) this.columns = Object.keys(row)
    const cols = this.columns
    let line = ''
    for (let i = 0; i < cols.length; i++) {
      const column = cols[i] as string
      line += (i ? '\t' : '') + copyValue(row[column], jsonColumns.has(column))
    }
    this.buffer.push(line)
  }

  async flush() {
    if (!this.buffer.length) return
    if (!this.stream) {
      // FREEZE: rows written frozen and pages marked all-visible, so no vacuum pass is needed before index-only scans.
      await this.client.query('begin')
      await this.client.query(`truncate ${this.table}`)
      const columns = (this.columns ?? []).join(', ')
      this.stream = this.client.query(copyFrom(`copy ${this.table} (${columns}) from stdin with (freeze)`))
    }
    const chunk = this.buffer.join('\n') + '\n'
    this.buffer = []
    if (!this.stream.write(chunk)) await once(this.stream, 'drain')
  }

  async finish() {
    await this.flush()
    if (!this.stream) return
    const done = once(this.stream, 'finish')
    this.stream.end()
    await done
    await this.client.query('commit')
  }
}

interface SavedDefinitions {
  constraints: { table: string; name: string; definition: string; type: string }[]
  indexes: string[]
}

/** Drops the loaded tables' indexes and constraints (and foreign keys into them), returning how to rebuild them. */
async function dropIndexesAndConstraints(client: pg.Client): Promise<SavedDefinitions> {
  const { rows: constraints } = await client.query<SavedDefinitions['constraints'][number]>(
    `select c.conrelid::regclass::text as table, c.conname as name, pg_get_constraintdef(c.oid) as definition,
        c.contype as type
      from pg_constraint c
      where c.contype in ('p', 'u', 'f')
        and (c.conrelid = any($1::regclass[]) or (c.contype = 'f' and c.confrelid = any($1::regclass[])))`,
    [loadedTables],
  )
  const { rows: indexes } = await client.query<{ name: string; definition: string }>(
    `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as definition
      from pg_index i
      where i.indrelid = any($1::regclass[])
        and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`,
    [loadedTables],
  )
  for (const c of constraints.filter((c) => c.type === 'f'))
    await client.query(`alter table ${c.table} drop constraint ${c.name}`)
  for (const c of constraints.filter((c) => c.type !== 'f'))
    await client.query(`alter table ${c.table} drop constraint ${c.name}`)
  for (const i of indexes) await client.query(`drop index ${i.name}`)
  return { constraints, indexes: indexes.map((i) => i.definition) }
}

/** Rebuilds them: keys first, then the other indexes, then foreign keys (each checks every row), two at a time. */
async function rebuild(clients: pg.Client[], saved: SavedDefinitions, quiet: boolean) {
  const keys = saved.constraints.filter((c) => c.type !== 'f')
  const foreign = saved.constraints.filter((c) => c.type === 'f')
  const phases: string[][] = [
    keys.map((c) => `alter table ${c.table} add constraint ${c.name} ${c.definition}`),
    saved.indexes,
    foreign.map((c) => `alter table ${c.table} add constraint ${c.name} ${c.definition}`),
  ]
  const total = phases.reduce((n, p) => n + p.length, 0)
  const progress = new Progress('Indexes and constraints', total, 'statements')
  let done = 0
  for (const phase of phases) {
    const queue = [...phase]
    await Promise.all(
      clients.map(async (client) => {
        for (let statement = queue.shift(); statement; statement = queue.shift()) {
          await client.query(statement)
          if (!quiet) progress.update(++done)
        }
      }),
    )
  }
  if (!quiet) progress.done()
}

export interface GenerateResult {
  reports: number
  incidents: number
  /** The COPY alone: records generated in Node and written, without indexes. */
  loadSeconds: number
  rebuildSeconds: number
  analyseSeconds: number
  totalSeconds: number
}

/** Creates the database when it does not exist. */
async function ensureDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1))
  const admin = new pg.Client({ connectionString: withDatabase(url, 'postgres') })
  await admin.connect()
  try {
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [name])
    if (!rowCount) await admin.query(`create database "${name.replace(/"/g, '""')}"`)
  } finally {
    await admin.end()
  }
}

export async function generateNational(url: string, options: GenerateOptions): Promise<GenerateResult> {
  const log = (text: string) => options.quiet || console.log(text)
  const started = performance.now()
  await ensureDatabase(url)
  const handle = await openDatabase({ kind: 'postgres', url })
  const clients: pg.Client[] = []
  try {
    const { db } = handle
    await migrateToLatest(db)
    const existing = await db
      .selectFrom('reports')
      .select((e) => e.fn.countAll<number>().as('n'))
      .executeTakeFirst()
    if (Number(existing?.n ?? 0) > 0)
      throw new Error(`The database already holds ${existing?.n} reports: use a new one`)
    const forces = await writeOrganisation(db, options)
    const officers = forces.reduce((n, f) => n + f.officers.length, 0)
    log(`Organisation: 43 forces, ${officers.toLocaleString('en-GB')} officers with user accounts`)

    for (let i = 0; i < loadedTables.length; i++) {
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      // A 5 M load is one COPY per table: longer than the cluster's reporting statement_timeout.
      await client.query('set statement_timeout = 0')
      clients.push(client)
    }
    const saved = await dropIndexesAndConstraints(clients[0] as pg.Client)
    const loadStarted = performance.now()
    const tables = new Map(loadedTables.map((t, i) => [t, new CopyTable(t, clients[i] as pg.Client)]))
    const table = (name: string) => tables.get(name) as CopyTable
    const progress = new Progress('Reports', options.reports, 'reports')
    let reports = 0
    let incidents = 0
    let pending = 0
    let maxReference = 0
    const flushAll = async () => {
      await Promise.all([...tables.values()].map((t) => t.flush()))
      if (!options.quiet) progress.update(reports)
    }
    for (const record of syntheticIncidents(forces, options) as Generator<IncidentRecord>) {
      table('incidents').add(record.incident)
      maxReference = Math.max(maxReference, Number(record.incident.reference.slice(5)))
      for (const subject of record.subjects) table('subjects').add(subject)
      for (const { rows } of record.reports) {
        table('reports').add(rows.report)
        for (const t of rows.tactics) table('report_tactics').add(t)
        for (const c of rows.cedUses) table('report_ced_uses').add(c)
        for (const c of rows.cedCycles) table('report_ced_cycles').add(c)
      }
      reports += record.reports.length
      incidents++
      if (++pending === options.batch) {
        pending = 0
        await flushAll()
      }
    }
    await Promise.all([...tables.values()].map((t) => t.finish()))
    if (!options.quiet) {
      progress.update(reports)
      progress.done()
    }
    const loaded = performance.now()
    const loadSeconds = (loaded - loadStarted) / 1000
    log(
      `Loaded ${reports.toLocaleString('en-GB')} reports in ${loadSeconds.toFixed(1)} s (${Math.round(reports / loadSeconds).toLocaleString('en-GB')} reports/s)`,
    )

    await rebuild(clients.slice(0, 2), saved, options.quiet === true)
    const rebuilt = performance.now()
    // New incidents the app records later must not reuse a generated reference.
    await clients[0]?.query(`select setval('incident_reference_seq', $1)`, [maxReference + 1])
    await clients[0]?.query(`analyze ${loadedTables.join(', ')}, personnel, users, org_units, forces, ced_devices`)
    const finished = performance.now()
    const result = {
      reports,
      incidents,
      loadSeconds,
      rebuildSeconds: (rebuilt - loaded) / 1000,
      analyseSeconds: (finished - rebuilt) / 1000,
      totalSeconds: (finished - started) / 1000,
    }
    log(
      `Indexes and constraints ${result.rebuildSeconds.toFixed(1)} s, analyse ${result.analyseSeconds.toFixed(1)} s; ` +
        `${reports.toLocaleString('en-GB')} reports in ${incidents.toLocaleString('en-GB')} incidents, ` +
        `${result.totalSeconds.toFixed(1)} s in all (${Math.round(reports / result.totalSeconds).toLocaleString('en-GB')} reports/s)`,
    )
    return result
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)))
    await handle.close()
  }
}

const usage = `Usage: npx tsx bench/national/generate.ts --reports 1000000 --database-url postgres://…/db [options]

  --reports N          reports to write (default 1000000)
  --database-url URL   the database (created when missing; default $DATABASE_URL)
  --seed N             random seed (default 2026)
  --end YYYY-MM-DD     the day after the last financial year (London midnight; default 2026-04-01)
  --per-year N         reports per year nationally (default 829000): sets how many years the data covers
  --officer-share F    share of officer FTE with a user account (default 0.6)
  --batch N            incidents per COPY batch (default 2000)`

async function main() {
  const { values } = parseArgs({
    options: {
      reports: { type: 'string', default: '1000000' },
      'database-url': { type: 'string' },
      seed: { type: 'string', default: '2026' },
      end: { type: 'string' },
      'per-year': { type: 'string', default: '829000' },
      'officer-share': { type: 'string', default: '0.6' },
      batch: { type: 'string', default: '2000' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  const url = values['database-url'] ?? process.env.DATABASE_URL
  if (values.help || !url) {
    console.log(usage)
    process.exit(values.help ? 0 : 2)
  }
  const end = values.end ? new Date(`${values.end}T00:00:00+01:00`) : defaultEnd
  const number = (name: string, v: string) => {
    const n = Number(v)
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, not ${v}`)
    return n
  }
  await generateNational(url, {
    reports: Math.round(number('reports', values.reports)),
    seed: Math.round(number('seed', values.seed)),
    end,
    perYear: number('per-year', values['per-year']),
    officerShare: number('officer-share', values['officer-share']),
    batch: Math.round(number('batch', values.batch)),
  })
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  })
}
