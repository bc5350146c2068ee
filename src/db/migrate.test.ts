import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabase } from '../../test/support/database.js'
import type { DatabaseHandle } from './database.js'
import { migrateDown, migrateToLatest } from './migrate.js'
import { seedDemoForce } from './seed/seed-demo.js'
import { systemClock } from '../clock.js'

let handle: DatabaseHandle
beforeAll(async () => {
  handle = await testDatabase()
})
afterAll(() => handle.close())

async function tables(): Promise<string[]> {
  const result = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = 'public' order by table_name`.execute(
    handle.db,
  )
  return result.rows.map((r) => r.table_name)
}

describe('migrations', () => {
  it('are already applied to the test database, so migrating again does nothing', async () => {
    const { results } = await migrateToLatest(handle.db)
    expect(results).toEqual([])
  })

  it('seed the demo force only once', async () => {
    expect(await seedDemoForce(handle.db, systemClock)).toBe(false)
    const forces = await handle.db.selectFrom('forces').select('code').execute()
    expect(forces).toEqual([{ code: 'demo' }])
  })

  it('go down and up again cleanly', async () => {
    expect(await tables()).toContain('audit_log')
    // All the way down, one migration at a time, newest first.
    while ((await migrateDown(handle.db)).results?.length) {
      /* keep going */
    }
    expect((await tables()).filter((t) => !t.startsWith('kysely_'))).toEqual([])
    await migrateToLatest(handle.db)
    expect(await tables()).toEqual(expect.arrayContaining(['audit_log', 'users', 'sessions', 'personnel', 'org_units']))
  })
})
