import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { pipeline } from 'node:stream/promises'
import { createGunzip, createGzip } from 'node:zlib'
import { sql, type Transaction } from 'kysely'
import type { Db } from '../../db/database.js'
import type { Database } from '../../db/schema.js'
import { verifyAuditLedgerIn } from '../audit/ledger.js'

/**
 * Backup and restore, the same for PGlite and PostgreSQL: a gzip file of JSON lines holding every row of every table
 * as PostgreSQL itself renders it (`row_to_json`) and reads it back (`json_populate_recordset`), so every type
 * (timestamps, numerics, arrays, jsonb, bytea) comes back exactly without a mapping of our own. pg_dump would do
 * for PostgreSQL but not for the embedded database, and one format for both means a force can move between them.
 *
 * A backup is one consistent snapshot (a repeatable-read, read-only transaction). Each table carries its row count
 * and a checksum; a restore loads everything in one transaction, then checks every count and checksum and the
 * audit ledger's hash chains against the file, and commits only if all agree. A restore needs an empty database
 * migrated to the same version (so a mistake cannot overwrite a live force) and, on PostgreSQL, a role allowed to
 * set `session_replication_role` (the database owner as superuser, as a restore normally runs): triggers, including
 * the append-only guards and the statistics' change marks, are off while rows go back exactly as they were.
 */

const FORMAT = 'forceledger-backup'
const VERSION = 1
const BATCH = 2000

/** Migration bookkeeping belongs to the database, not the backup: the target has its own, which must match. */
const NOT_BACKED_UP = new Set(['kysely_migration', 'kysely_migration_lock'])

type Header = { format: string; version: number; createdAt: string; migrations: string[] }
type TableStart = { table: string; rows: number; checksum: string }
type Footer = { end: true; sequences: Record<string, number | null>; tables: Record<string, TableStart> }

export interface BackupSummary {
  tables: number
  rows: number
}

export async function backupDatabase(db: Db, file: string, now: Date): Promise<BackupSummary> {
  const gzip = createGzip()
  const done = pipeline(gzip, createWriteStream(file))
  const write = async (value: unknown) => {
    if (!gzip.write(`${JSON.stringify(value)}\n`)) await once(gzip, 'drain')
  }
  const summary = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      await write({ format: FORMAT, version: VERSION, createdAt: now.toISOString(), migrations: await migrations(trx) })
      const tables: Record<string, TableStart> = {}
      let rows = 0
      for (const table of await tableNames(trx)) {
        const start: TableStart = { table, ...(await tableFingerprint(trx, table)) }
        tables[table] = start
        await write(start)
        // Keyset on the physical row address: stable within the snapshot, and no OFFSET to rescan.
        let after = '(0,0)'
        for (;;) {
          const { rows: batch } = await sql<{ at: string; row: string }>`
            select ctid::text as at, row_to_json(t)::text as row from ${sql.table(table)} t
            where ctid > ${after}::tid order by ctid limit ${BATCH}`.execute(trx)
          for (const r of batch) gzip.write(`${r.row}\n`)
          rows += batch.length
          const last = batch.at(-1)
          if (!last || batch.length < BATCH) break
          after = last.at
        }
      }
      await write({ end: true, sequences: await sequenceValues(trx), tables } satisfies Footer)
      return { tables: Object.keys(tables).length, rows }
    })
  gzip.end()
  await done
  return summary
}

export class RestoreError extends Error {}

export async function restoreDatabase(db: Db, file: string): Promise<BackupSummary> {
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity })
  const iterator = lines[Symbol.asyncIterator]()
  const next = async (): Promise<string> => {
    const { value, done } = await iterator.next()
    if (done) throw new RestoreError('The backup file ends early: it is incomplete')
    return value
  }
  const parse = (line: string): unknown => {
    try {
      return JSON.parse(line)
    } catch {
      throw new RestoreError('The backup file is damaged: a line is not JSON')
    }
  }
  try {
    const header = parse(await next()) as Header
    if (header.format !== FORMAT || header.version !== VERSION)
      throw new RestoreError('This is not a ForceLedger backup')
    return await db.transaction().execute(async (trx) => {
      const ours = await migrations(trx)
      if (ours.join('\n') !== header.migrations.join('\n'))
        throw new RestoreError(
          `The database is at migration ${ours.at(-1) ?? '(none)'} but the backup is at ${header.migrations.at(-1) ?? '(none)'}: migrate to the same version first`,
        )
      const tables = await tableNames(trx)
      await refuseUnlessEmpty(trx)
      await sql`set local session_replication_role = replica`.execute(trx)
      // Rows the migrations made (e.g. a chain head) are replaced by the backup's own.
      for (const table of tables) await sql`delete from ${sql.table(table)}`.execute(trx)
      let rows = 0
      let footer: Footer | undefined
      while (!footer) {
        const item = parse(await next()) as TableStart | Footer
        if ('end' in item) {
          footer = item
          break
        }
        if (!tables.includes(item.table))
          throw new RestoreError(`The backup has a table this database does not: ${item.table}`)
        for (let left = item.rows; left > 0;) {
          const batch: string[] = []
          while (batch.length < Math.min(BATCH, left)) batch.push(await next())
          left -= batch.length
          await sql`insert into ${sql.table(item.table)} overriding system value
            select * from json_populate_recordset(null::${sql.table(item.table)}, ${`[${batch.join(',')}]`}::json)`.execute(
            trx,
          )
          rows += batch.length
        }
      }
      for (const [sequence, value] of Object.entries(footer.sequences))
        if (value !== null) await sql`select setval(${sequence}::regclass, ${value})`.execute(trx)
      await sql`set local session_replication_role = origin`.execute(trx)
      for (const table of tables) {
        const expected = footer.tables[table]
        const actual = await tableFingerprint(trx, table)
        if (!expected || expected.rows !== actual.rows || expected.checksum !== actual.checksum)
          throw new RestoreError(`Table ${table} does not match the backup after loading: nothing was restored`)
      }
      const ledger = await verifyAuditLedgerIn(trx)
      if (!ledger.ok)
        throw new RestoreError(
          `The restored audit ledger is broken at entry ${ledger.firstBroken.id}: nothing was restored`,
        )
      return { tables: tables.length, rows }
    })
  } finally {
    lines.close()
  }
}

async function migrations(trx: Transaction<Database>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(trx)
  return rows.map((r) => r.name)
}

async function tableNames(trx: Transaction<Database>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select tablename as name from pg_tables where schemaname = current_schema() order by tablename`.execute(trx)
  return rows.map((r) => r.name).filter((name) => !NOT_BACKED_UP.has(name))
}

/** Row count and a checksum of the rows' text in a fixed order: equal exactly when the rows are equal. */
async function tableFingerprint(
  trx: Transaction<Database>,
  table: string,
): Promise<{ rows: number; checksum: string }> {
  const { rows } = await sql<{ n: number; rows: string | null }>`
    select count(*)::int as n, string_agg(r, E'\n' order by r) as rows
    from (select row_to_json(t)::text as r from ${sql.table(table)} t) x`.execute(trx)
  const row = rows[0]
  return {
    rows: row?.n ?? 0,
    checksum: createHash('sha256')
      .update(row?.rows ?? '')
      .digest('hex'),
  }
}

async function sequenceValues(trx: Transaction<Database>): Promise<Record<string, number | null>> {
  const { rows } = await sql<{ name: string; value: number | null }>`
    select quote_ident(schemaname) || '.' || quote_ident(sequencename) as name, last_value as value
    from pg_sequences where schemaname = current_schema() order by 1`.execute(trx)
  return Object.fromEntries(rows.map((r) => [r.name, r.value === null ? null : Number(r.value)]))
}

/** Nothing a force has recorded: no force, account or audit entry. */
async function refuseUnlessEmpty(trx: Transaction<Database>): Promise<void> {
  const { rows } = await sql<{ used: boolean }>`
    select exists (select 1 from forces) or exists (select 1 from users) or exists (select 1 from audit_log) as used`.execute(
    trx,
  )
  if (rows[0]?.used)
    throw new RestoreError('The database already holds data: restore only into a new, empty, migrated database')
}
