import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { systemClock } from '../../src/clock.js'
import { openDatabase, type DatabaseHandle } from '../../src/db/database.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { seedDemoForce } from '../../src/db/seed/seed-demo.js'

const TEMPLATE = 'forceledger_test_template'

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}

async function onServer<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres') })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/** Builds the migrated, seeded template database that each test file copies. */
export async function prepareTemplateDatabase(url: string): Promise<string> {
  await onServer(url, async (client) => {
    await client.query(`drop database if exists ${TEMPLATE} with (force)`)
    await client.query(`create database ${TEMPLATE}`)
  })
  const handle = await openDatabase({ kind: 'postgres', url: withDatabase(url, TEMPLATE) })
  await migrateToLatest(handle.db)
  await seedDemoForce(handle.db, systemClock)
  await handle.close()
  return TEMPLATE
}

/** A fresh copy of the template for one test file, dropped when closed. */
export async function copyOfTemplate(url: string, template: string): Promise<DatabaseHandle> {
  const name = `forceledger_test_${randomBytes(6).toString('hex')}`
  await onServer(url, (client) => client.query(`create database ${name} template ${template}`))
  const handle = await openDatabase({ kind: 'postgres', url: withDatabase(url, name) })
  return {
    ...handle,
    async close() {
      await handle.close()
      await onServer(url, (client) => client.query(`drop database if exists ${name} with (force)`))
    },
  }
}

/** A new, empty database on the server, migrated but not seeded; dropped when closed. */
export async function freshDatabase(url: string): Promise<DatabaseHandle> {
  const name = `forceledger_test_${randomBytes(6).toString('hex')}`
  await onServer(url, (client) => client.query(`create database ${name}`))
  const handle = await openDatabase({ kind: 'postgres', url: withDatabase(url, name) })
  await migrateToLatest(handle.db)
  return {
    ...handle,
    async close() {
      await handle.close()
      await onServer(url, (client) => client.query(`drop database if exists ${name} with (force)`))
    },
  }
}
