import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { systemClock } from '../../src/clock.js'
import { openMemoryPglite } from '../../src/db/database.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { seedDemoForce } from '../../src/db/seed/seed-demo.js'
import { prepareTemplateDatabase } from './postgres.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** PGlite: a dumped data directory, migrated and seeded, that each test file loads afresh. */
    pgliteSnapshot: string
    /** PostgreSQL: the migrated and seeded database each test file copies as a template. */
    postgresTemplate: string
  }
}

/** Migrates and seeds once per run; every test file then starts from a copy of that database. */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL
  if (url) {
    project.provide('postgresTemplate', await prepareTemplateDatabase(url))
    project.provide('pgliteSnapshot', '')
    return
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'forceledger-test-'))
  const handle = await openMemoryPglite()
  await migrateToLatest(handle.db)
  await seedDemoForce(handle.db, systemClock)
  const snapshot = path.join(dir, 'snapshot.tar.gz')
  await writeFile(snapshot, Buffer.from(await (await handle.dump!()).arrayBuffer()))
  await handle.close()
  project.provide('pgliteSnapshot', snapshot)
  project.provide('postgresTemplate', '')
  return async () => rm(dir, { recursive: true, force: true })
}
