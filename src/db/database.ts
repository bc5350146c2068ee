import { mkdir } from 'node:fs/promises'
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { Config } from '../config.js'
import type { Database } from './schema.js'

export type Db = Kysely<Database>

export interface DatabaseHandle {
  db: Db
  kind: 'pglite' | 'postgres'
  close(): Promise<void>
  /** PGlite only: the data directory as a tarball, which `openMemoryPglite` can load. */
  dump?: () => Promise<Blob>
}

// Postgres type OIDs whose JavaScript form differs between pg and PGlite by default. We pin one form for both
// so the same code and tests run on either: counts as numbers, calendar dates as 'YYYY-MM-DD' strings.
const INT8 = 20
const NUMERIC = 1700
const DATE = 1082
const sharedParsers = {
  [INT8]: (value: string) => Number(value),
  [NUMERIC]: (value: string) => Number(value),
  [DATE]: (value: string) => value,
}

export async function openDatabase(database: Config['database']): Promise<DatabaseHandle> {
  if (database.kind === 'postgres') return openPostgres(database.url)
  await mkdir(database.dataDir, { recursive: true })
  return openPglite(new PGlite(database.dataDir, { parsers: sharedParsers }))
}

/** An in-memory PGlite, optionally loaded from a dumped data directory (how tests reuse one migrated snapshot). */
export async function openMemoryPglite(snapshot?: Blob): Promise<DatabaseHandle> {
  return openPglite(new PGlite({ parsers: sharedParsers, ...(snapshot ? { loadDataDir: snapshot } : {}) }))
}

async function openPglite(pglite: PGlite): Promise<DatabaseHandle> {
  await pglite.waitReady
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) })
  return {
    db,
    kind: 'pglite',
    dump: () => pglite.dumpDataDir('gzip'),
    async close() {
      await db.destroy()
      if (!pglite.closed) await pglite.close()
    },
  }
}

function openPostgres(url: string): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    // JIT compilation costs more than it saves on our short queries (measured: 20-80% slower at 10-80 ms).
    options: '-c jit=off',
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid in sharedParsers
          ? sharedParsers[oid as keyof typeof sharedParsers]
          : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
    },
  })
  // An idle connection the server closed (restart, failover, a dropped test database) is discarded by the pool and
  // the next query opens a new one. Without a listener Node would treat the event as a crash.
  pool.on('error', (error) => console.warn(`PostgreSQL closed an idle connection: ${error.message}`))
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return { db, kind: 'postgres', close: () => db.destroy() }
}
