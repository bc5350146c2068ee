import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabase } from '../../test/support/database.js'
import { canActOn, scopeFilter, type Principal } from '../features/auth/policy.js'
import { findAccountByUsername, toPrincipal } from '../features/auth/users.repository.js'
import type { DatabaseHandle } from './database.js'
import { scopeCondition } from './scope.js'

let handle: DatabaseHandle
let people: { id: string; forceId: string; unitPath: string[] }[]

beforeAll(async () => {
  handle = await testDatabase()
  // Every person with their unit and its ancestors, for canActOn.
  const { rows } = await sql<{ id: string; force_id: string; unit_path: string[] }>`
    with recursive up as (
      select p.id as person_id, o.id, o.parent_id from personnel p join org_units o on o.id = p.unit_id
      union all
      select up.person_id, o.id, o.parent_id from up join org_units o on o.id = up.parent_id)
    select p.id, p.force_id, array_agg(up.id::text) as unit_path
    from personnel p join up on up.person_id = p.id group by p.id, p.force_id`.execute(handle.db)
  people = rows.map((r) => ({ id: r.id, forceId: r.force_id, unitPath: r.unit_path }))
})

afterAll(async () => {
  await handle.close()
})

async function principalOf(username: string): Promise<Principal> {
  const account = await findAccountByUsername(handle.db, username)
  if (!account) throw new Error(`no demo account ${username}`)
  return toPrincipal(account)
}

async function personnelIn(condition: ReturnType<typeof scopeCondition>): Promise<string[]> {
  const rows = await handle.db.selectFrom('personnel as p').select('p.id').where(condition).execute()
  return rows.map((r) => r.id).sort()
}

describe('scopeCondition', () => {
  it.each([
    ['officer', 'reports.view', 'own'],
    ['supervisor', 'people.view', 'subtree'],
    ['authorising-officer', 'people.view', 'subtree'],
    ['psd', 'people.view', 'force'],
  ] as const)('keeps to the rows canActOn allows one by one: %s, %s', async (username, permission, kind) => {
    const principal = await principalOf(username)
    const scope = scopeFilter(principal, permission)
    expect(scope.kind).toBe(kind)
    const listed = await personnelIn(scopeCondition(scope, { force: 'p.force_id', unit: 'p.unit_id', person: 'p.id' }))
    const allowed = people
      .filter((p) => canActOn(principal, permission, { forceId: p.forceId, unitPath: p.unitPath, ownerPersonId: p.id }))
      .map((p) => p.id)
      .sort()
    expect(listed.length).toBeGreaterThan(0)
    expect(listed).toEqual(allowed)
    // A real narrowing, not the whole force.
    if (kind !== 'force') expect(listed.length).toBeLessThan(people.length)
  })

  it('matches nothing for no scope, another force, or rows without the column the scope is judged by', async () => {
    const supervisor = scopeFilter(await principalOf('supervisor'), 'people.view')
    const officer = scopeFilter(await principalOf('officer'), 'reports.view')
    if (supervisor.kind !== 'subtree' || officer.kind !== 'own') throw new Error('unexpected demo scopes')
    const columns = { force: 'p.force_id', unit: 'p.unit_id', person: 'p.id' }
    expect(await personnelIn(scopeCondition({ kind: 'none' }, columns))).toEqual([])
    const elsewhere = '00000000-0000-0000-0000-000000000000'
    expect(await personnelIn(scopeCondition({ ...supervisor, forceId: elsewhere }, columns))).toEqual([])
    expect(await personnelIn(scopeCondition({ ...officer, forceId: elsewhere }, columns))).toEqual([])
    expect(await personnelIn(scopeCondition({ kind: 'force', forceId: elsewhere }, columns))).toEqual([])
    expect(await personnelIn(scopeCondition(supervisor, { ...columns, unit: null }))).toEqual([])
    expect(await personnelIn(scopeCondition(officer, { ...columns, person: null }))).toEqual([])
  })
})
