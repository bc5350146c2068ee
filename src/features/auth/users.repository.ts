import { sql } from 'kysely'
import type { Db } from '../../db/database.js'
import { isRole, type Role } from '../../domain/roles.js'
import type { Principal } from './policy.js'

export interface AccountRow {
  id: string
  forceId: string
  username: string
  displayName: string
  passwordHash: string | null
  disabledAt: Date | null
  personId: string | null
  /** The unit on the account's personnel record, when it has one: where the officer works now. */
  personUnitId: string | null
  unitId: string | null
  roles: Role[]
  /** The account's unit and its ancestors, the force unit first. */
  unitPath: string[]
}

function toAccount(row: {
  id: string
  force_id: string
  username: string
  display_name: string
  password_hash: string | null
  disabled_at: Date | null
  person_id: string | null
  person_unit_id: string | null
  unit_id: string | null
  roles: string[] | null
  unit_path: string[] | null
}): AccountRow {
  return {
    id: row.id,
    forceId: row.force_id,
    username: row.username,
    displayName: row.display_name,
    passwordHash: row.password_hash,
    disabledAt: row.disabled_at,
    personId: row.person_id,
    personUnitId: row.person_unit_id,
    unitId: row.unit_id,
    roles: (row.roles ?? []).filter(isRole),
    unitPath: row.unit_path ?? [],
  }
}

/** One query: the account, its roles, and the chain of units from the force down to the account's unit. */
async function findAccount(db: Db, where: ReturnType<typeof sql>): Promise<AccountRow | undefined> {
  const result = await sql<Parameters<typeof toAccount>[0]>`
    select u.id, u.force_id, u.username, u.display_name, u.password_hash, u.disabled_at, u.person_id, u.unit_id,
      (select array_agg(r.role order by r.role) from user_roles r where r.user_id = u.id) as roles,
      (select p.unit_id from personnel p where p.id = u.person_id) as person_unit_id,
      (with recursive up as (
          select o.id, o.parent_id, 0 as depth from org_units o where o.id = u.unit_id
          union all
          select o.id, o.parent_id, up.depth + 1 from org_units o join up on o.id = up.parent_id)
        select array_agg(up.id::text order by up.depth desc) from up) as unit_path
    from users u
    where ${where}`.execute(db)
  const row = result.rows[0]
  return row ? toAccount(row) : undefined
}

export function findAccountByUsername(db: Db, username: string): Promise<AccountRow | undefined> {
  return findAccount(db, sql`lower(u.username) = lower(${username.trim()})`)
}

export function findAccountById(db: Db, id: string): Promise<AccountRow | undefined> {
  return findAccount(db, sql`u.id = ${id}`)
}

/** The account an unrevoked API token belongs to (the token's sha-256 hash, never the token itself). */
export function findAccountByTokenHash(db: Db, tokenHash: string): Promise<AccountRow | undefined> {
  return findAccount(
    db,
    sql`u.id = (select t.user_id from api_tokens t where t.token_hash = ${tokenHash} and t.revoked_at is null)`,
  )
}

export function toPrincipal(account: AccountRow): Principal {
  return {
    userId: account.id,
    forceId: account.forceId,
    roles: account.roles,
    personId: account.personId,
    unitPath: account.unitPath,
  }
}
