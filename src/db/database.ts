import { mkdir } from 'node:fs/promises'
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PGliteDialect, PostgresDialect, type LogConfig } from 'kysely'
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

/** `log` is Kysely's query log, for the benchmark's count of round trips. */
export async function openDatabase(database: Config['database'], log?: LogConfig): Promise<DatabaseHandle> {
  if (database.kind === 'postgres') return openPostgres(database.url, database.poolMax ?? DEFAULT_POOL_MAX, log)
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

/** Connections per app process: on 2 cores, 8 to 10 busy connections already keep both cores at work. */
export const DEFAULT_POOL_MAX = 10

/** A statement marked with this comment at its start runs as a prepared statement of that name. */
const PREPARED = /^\/\* prepared: (\w+) \*\//

/**
 * pg's client, except that a statement whose text starts with `/* prepared: name *\/` is sent as a named prepared
 * statement: PostgreSQL parses and plans it once per connection instead of on every call. Only for statements
 * whose text never changes (one name, one text: pg refuses a name reused for another text); PGlite ignores the mark.
 */
class PreparingClient extends pg.Client {
  // pg's query() has many overloads; Kysely uses query(text, values), and everything else passes straight through.
  // @ts-expect-error -- one signature standing for all of pg's overloads
  override query(config: unknown, values?: unknown, callback?: unknown) {
    const query = super.query.bind(this) as (...args: unknown[]) => unknown
    const name = typeof config === 'string' ? PREPARED.exec(config)?.[1] : undefined
    return name ? query({ name, text: config, values }, callback) : query(config, values, callback)
  }
}

function openPostgres(url: string, max: number, log?: LogConfig): DatabaseHandle {
  const pool = new pg.Pool({
    Client: PreparingClient as unknown as typeof pg.Client,
    connectionString: url,
    max,
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
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...(log ? { log } : {}) })
  return { db, kind: 'postgres', close: () => db.destroy() }
}
