import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { gunzipSync, gzipSync } from 'node:zlib'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { emptyTestDatabase, testDatabase } from '../../../test/support/database.js'
import type { DatabaseHandle, Db } from '../../db/database.js'
import { appendAudit, systemActor, verifyAuditLedger } from '../audit/ledger.js'
import { backupDatabase, restoreDatabase, RestoreError } from './backup.js'

let source: DatabaseHandle
let dir: string
let file: string

beforeAll(async () => {
  source = await testDatabase()
  dir = await mkdtemp(`${tmpdir()}/forceledger-backup-`)
  file = `${dir}/demo.backup.gz`
  // Something the demo seed does not make: an entry appended after seeding, so the chain heads have moved.
  await source.db
    .transaction()
    .execute((trx) =>
      appendAudit(trx, { forceId: null, actor: systemActor, action: 'test.marked', entityType: 'test' }, new Date()),
    )
  await backupDatabase(source.db, file, new Date())
})

afterAll(async () => {
  await source.close()
})

/** Every table's rows as text, in a fixed order: two databases hold the same data when these are equal. */
async function contents(db: Db): Promise<Record<string, string>> {
  const { rows: tables } = await sql<{ name: string }>`
    select tablename as name from pg_tables where schemaname = current_schema()
      and tablename not like 'kysely_migration%' order by 1`.execute(db)
  const out: Record<string, string> = {}
  for (const { name } of tables) {
    const { rows } = await sql<{ text: string | null }>`
      select string_agg(r, E'\\n' order by r) as text
      from (select row_to_json(t)::text as r from ${sql.table(name)} t) x`.execute(db)
    out[name] = rows[0]?.text ?? ''
  }
  return out
}

const forces = async (db: Db) => (await db.selectFrom('forces').select('id').execute()).length

// Each test loads or compares the whole demo force: seconds on a quiet machine, far longer on a loaded one.
describe('backup and restore', { timeout: 120_000 }, () => {
  it('restores every row of every table exactly into an empty database, with the audit chains intact', async () => {
    const target = await emptyTestDatabase()
    try {
      const summary = await restoreDatabase(target.db, file)
      expect(summary.rows).toBeGreaterThan(10_000)
      const [before, after] = [await contents(source.db), await contents(target.db)]
      expect(Object.keys(after)).toEqual(Object.keys(before))
      for (const table of Object.keys(before)) expect(after[table], table).toBe(before[table])
      expect((await verifyAuditLedger(target.db)).ok).toBe(true)

      // The restored database carries on: sequences and chain heads continue where the source left off.
      await target.db
        .transaction()
        .execute((trx) =>
          appendAudit(trx, { forceId: null, actor: systemActor, action: 'test.after', entityType: 'test' }, new Date()),
        )
      expect(await verifyAuditLedger(target.db)).toMatchObject({ ok: true })
    } finally {
      await target.close()
    }
  })

  it('refuses a database that already holds data, and changes nothing', async () => {
    const busy = await testDatabase()
    try {
      const before = await contents(busy.db)
      await expect(restoreDatabase(busy.db, file)).rejects.toThrow(/already holds data/)
      expect(await contents(busy.db)).toEqual(before)
    } finally {
      await busy.close()
    }
  })

  it('restores nothing from a damaged or cut-short file', async () => {
    const lines = gunzipSync(await readFile(file))
      .toString('utf8')
      .split('\n')
    const cut = `${dir}/cut.backup.gz`
    await writeFile(cut, gzipSync(lines.slice(0, Math.floor(lines.length / 2)).join('\n')))
    // One value changed in a row: the table's checksum no longer matches.
    const altered = `${dir}/altered.backup.gz`
    const at = lines.findIndex((l) => l.includes('"collar_number":"'))
    lines[at] = (lines[at] ?? '').replace(/"collar_number":"([^"]*)"/, '"collar_number":"X$1"')
    await writeFile(altered, gzipSync(lines.join('\n')))

    for (const [damaged, message] of [
      [cut, /ends early/],
      [altered, /does not match the backup/],
    ] as const) {
      const target = await emptyTestDatabase()
      try {
        await expect(restoreDatabase(target.db, damaged)).rejects.toThrow(message)
        await expect(restoreDatabase(target.db, damaged)).rejects.toBeInstanceOf(RestoreError)
        expect(await forces(target.db)).toBe(0)
      } finally {
        await target.close()
      }
    }
  })
})
