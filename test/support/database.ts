import { readFile } from 'node:fs/promises'
import { inject } from 'vitest'
import { openMemoryPglite, type DatabaseHandle } from '../../src/db/database.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { copyOfTemplate, freshDatabase } from './postgres.js'

/**
 * A migrated database holding the demo force, private to the caller: on PostgreSQL when DATABASE_URL is set,
 * otherwise an in-memory PGlite loaded from the run's snapshot.
 */
export async function testDatabase(): Promise<DatabaseHandle> {
  const url = process.env.DATABASE_URL
  if (url) return copyOfTemplate(url, inject('postgresTemplate'))
  const snapshot = await readFile(inject('pgliteSnapshot'))
  return openMemoryPglite(new Blob([snapshot]))
}

/** A migrated database with nothing in it, on the same backend as testDatabase. */
export async function emptyTestDatabase(): Promise<DatabaseHandle> {
  const url = process.env.DATABASE_URL
  if (url) return freshDatabase(url)
  const handle = await openMemoryPglite()
  await migrateToLatest(handle.db)
  return handle
}
