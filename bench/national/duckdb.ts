import { createWriteStream, existsSync } from 'node:fs'
import { mkdir, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api'
import pg from 'pg'
import { to as copyTo } from 'pg-copy-streams'

/**
 * The same data in DuckDB, for the benchmark's comparison: the columns the statistics and dashboards read, copied
 * out of PostgreSQL as CSV and read by DuckDB into a database file beside the cluster. Booleans travel as 0/1.
 */
const tables: { name: string; columns: [name: string, type: string][] }[] = [
  {
    name: 'forces',
    columns: [
      ['id', 'UUID'],
      ['code', 'VARCHAR'],
      ['name', 'VARCHAR'],
    ],
  },
  {
    name: 'org_units',
    columns: [
      ['id', 'UUID'],
      ['force_id', 'UUID'],
      ['parent_id', 'UUID'],
      ['kind', 'VARCHAR'],
      ['code', 'VARCHAR'],
      ['name', 'VARCHAR'],
    ],
  },
  {
    name: 'incidents',
    columns: [
      ['id', 'UUID'],
      ['force_id', 'UUID'],
      ['occurred_at', 'TIMESTAMPTZ'],
      ['location_mask', 'INTEGER'],
      ['area', 'VARCHAR'],
      ['planned', 'BOOLEAN'],
    ],
  },
  {
    name: 'subjects',
    columns: [
      ['id', 'UUID'],
      ['force_id', 'UUID'],
      ['incident_id', 'UUID'],
      ['age_band', 'VARCHAR'],
      ['gender', 'VARCHAR'],
      ['perceived_ethnicity', 'VARCHAR'],
      ['health_condition', 'VARCHAR'],
    ],
  },
  {
    name: 'reports',
    columns: [
      ['id', 'UUID'],
      ['force_id', 'UUID'],
      ['incident_id', 'UUID'],
      ['subject_id', 'UUID'],
      ['officer_person_id', 'UUID'],
      ['officer_unit_id', 'UUID'],
      ['occurred_at', 'TIMESTAMPTZ'],
      ['tactic_mask', 'INTEGER'],
      ['reason_mask', 'INTEGER'],
      ['impact_mask', 'INTEGER'],
      ['outcome_mask', 'INTEGER'],
      ['ced_highest_level', 'VARCHAR'],
      ['main_duty', 'VARCHAR'],
      ['subject_conduct', 'VARCHAR'],
      ['officer_injured', 'VARCHAR'],
      ['intentional_assault', 'VARCHAR'],
      ['officer_injury_level', 'VARCHAR'],
      ['subject_injured', 'VARCHAR'],
      ['subject_injury_level', 'VARCHAR'],
      ['assaulted_by_subject', 'BOOLEAN'],
      ['assaulted_with_weapon', 'BOOLEAN'],
    ],
  },
  {
    name: 'report_tactics',
    columns: [
      ['report_id', 'UUID'],
      ['seq', 'SMALLINT'],
      ['tactic', 'VARCHAR'],
      ['effective', 'BOOLEAN'],
    ],
  },
  {
    name: 'report_ced_uses',
    columns: [
      ['report_id', 'UUID'],
      ['seq', 'SMALLINT'],
      ['device_serial', 'VARCHAR'],
      ['device_model', 'VARCHAR'],
      ['highest_level', 'VARCHAR'],
      ['cycle_count', 'SMALLINT'],
      ['longest_cycle_seconds', 'DECIMAL(5,1)'],
      ['probe_miss', 'VARCHAR'],
      ['effective', 'BOOLEAN'],
    ],
  },
]

export async function openDuckDb(file: string): Promise<{ connect(): Promise<DuckDBConnection>; close(): void }> {
  const instance = await DuckDBInstance.create(file)
  return { connect: () => instance.connect(), close: () => instance.closeSync() }
}

/** Copies the tables out of PostgreSQL into a new DuckDB file. Returns the seconds it took. */
export async function exportToDuckDb(pgUrl: string, file: string, log: (text: string) => void): Promise<number> {
  const started = performance.now()
  if (existsSync(file)) throw new Error(`${file} exists already`)
  const scratch = `${file}.csv`
  await mkdir(scratch, { recursive: true })
  const client = new pg.Client({ connectionString: pgUrl })
  await client.connect()
  const duck = await openDuckDb(file)
  try {
    const connection = await duck.connect()
    for (const table of tables) {
      const csv = path.join(scratch, `${table.name}.csv`)
      const select = table.columns
        .map(([name, type]) => (type === 'BOOLEAN' ? `${name}::int as ${name}` : name))
        .join(', ')
      await pipeline(
        client.query(copyTo(`copy (select ${select} from ${table.name}) to stdout with (format csv)`)),
        createWriteStream(csv),
      )
      const columns = table.columns.map(([name, type]) => `${name} ${type}`).join(', ')
      await connection.run(`create table ${table.name} (${columns})`)
      await connection.run(`copy ${table.name} from '${csv}' (format csv, header false)`)
      log(`DuckDB: ${table.name} (${((await stat(csv)).size / 1e6).toFixed(0)} MB of CSV)`)
      await rm(csv)
    }
    connection.closeSync()
  } finally {
    duck.close()
    await client.end()
    await rm(scratch, { recursive: true, force: true })
  }
  return (performance.now() - started) / 1000
}
