import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabase } from '../../../test/support/database.js'
import { verifyAuditLedger } from '../../features/audit/ledger.js'
import type { DatabaseHandle } from '../database.js'
import { demoAccounts } from './demo-force.js'

let handle: DatabaseHandle
beforeAll(async () => {
  handle = await testDatabase()
})
afterAll(() => handle.close())

describe('the seeded demo force', () => {
  it('has three basic command units with teams, and about 1,500 officers and staff', async () => {
    const units = await sql<{ kind: string; n: number }>`
      select kind, count(*)::int as n from org_units group by kind order by kind`.execute(handle.db)
    const byKind = Object.fromEntries(units.rows.map((r) => [r.kind, r.n]))
    expect(byKind.force).toBe(1)
    expect(byKind.bcu).toBe(3)
    expect(byKind.team).toBeGreaterThanOrEqual(9)
    const people = await sql<{ n: number; statuses: number }>`
      select count(*)::int as n, count(distinct status)::int as statuses from personnel`.execute(handle.db)
    expect(people.rows[0]!.n).toBeGreaterThanOrEqual(1400)
    expect(people.rows[0]!.n).toBeLessThanOrEqual(1600)
    expect(people.rows[0]!.statuses).toBe(4)
  })

  it('has about 350 Taser-trained officers', async () => {
    const trained = await sql<{ n: number }>`
      select count(distinct person_id)::int as n from ced_training_records where passed`.execute(handle.db)
    expect(trained.rows[0]!.n).toBeGreaterThanOrEqual(330)
    expect(trained.rows[0]!.n).toBeLessThanOrEqual(370)
  })

  it('has one account per role to sign in with, and password-less accounts for the other officers', async () => {
    const accounts = await handle.db
      .selectFrom('users')
      .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
      .select(['users.username', 'user_roles.role', 'users.unit_id', 'users.password_hash'])
      .execute()
    const withPassword = accounts.filter((a) => a.password_hash !== null)
    expect(withPassword.map((a) => a.role).sort()).toEqual(demoAccounts.map((a) => a.role).sort())
    for (const account of withPassword) {
      if (account.role === 'scrutiny_panel') expect(account.unit_id).toBeNull()
      else expect(account.unit_id).not.toBeNull()
    }
    const others = accounts.filter((a) => a.password_hash === null)
    expect(others.length).toBeGreaterThan(900)
    expect(others.every((a) => a.role === 'officer' || a.role === 'supervisor')).toBe(true)
  })

  it('has a year of reports that read back through the same rules', async () => {
    const counts = await sql<{ reports: number; incidents: number; ced: number; fired: number; versions: number }>`
      select (select count(*)::int from reports) as reports, (select count(*)::int from incidents) as incidents,
        (select count(*)::int from reports where ced_highest_level is not null) as ced,
        (select count(*)::int from reports where ced_highest_level = 'fired') as fired,
        (select count(*)::int from report_versions) as versions`.execute(handle.db)
    const c = counts.rows[0]!
    expect(c.reports).toBeGreaterThan(2500)
    expect(c.incidents).toBeLessThan(c.reports)
    expect(c.ced).toBeGreaterThanOrEqual(180)
    expect(c.ced).toBeLessThanOrEqual(240)
    expect(c.fired).toBeGreaterThanOrEqual(10)
    expect(c.versions).toBe(c.reports)
  })

  it('recorded the seeding in an intact audit ledger', async () => {
    const seeded = await handle.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'force.seeded')
      .execute()
    expect(seeded).toHaveLength(1)
    expect((await verifyAuditLedger(handle.db)).ok).toBe(true)
  })
})
