import { sql } from 'kysely'
import type { Db } from '../../db/database.js'
import { pageOf } from '../../db/paging.js'
import type { UnitKind } from '../../db/schema.js'
import { isRole, type Role } from '../../domain/roles.js'

export interface UserListItem {
  id: string
  username: string
  displayName: string
  roles: Role[]
  unitId: string | null
  disabled: boolean
}

export interface UserRecord {
  id: string
  username: string
  displayName: string
  email: string | null
  unitId: string | null
  roles: Role[]
  disabledAt: Date | null
  createdAt: Date
  updatedAt: Date
}

export interface UnitRecord {
  id: string
  parentId: string | null
  kind: UnitKind
  code: string
  name: string
  closedAt: Date | null
  /** Serving officers and staff in the unit and every unit below it. */
  people: number
}

const rolesOf = (values: string[] | null): Role[] => (values ?? []).filter(isRole)

/** The force's accounts, by name, optionally matching a search on name or username. */
export async function listUsers(
  db: Db,
  forceId: string,
  options: { search?: string; page: number; pageSize: number },
): Promise<{ users: UserListItem[]; total: number }> {
  let query = db
    .selectFrom('users as u')
    .leftJoin('org_units as o', 'o.id', 'u.unit_id')
    .where('u.force_id', '=', forceId)
  const search = options.search?.trim()
  if (search) {
    const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    query = query.where((eb) => eb.or([eb('u.username', 'ilike', pattern), eb('u.display_name', 'ilike', pattern)]))
  }
  const { rows, total } = await pageOf(
    query,
    (q) =>
      q
        .select([
          'u.id',
          'u.username',
          'u.display_name',
          'u.disabled_at',
          'u.unit_id',
          sql<string[] | null>`(select array_agg(r.role order by r.role) from user_roles r where r.user_id = u.id)`.as(
            'roles',
          ),
        ])
        .orderBy('u.display_name')
        .orderBy('u.id'),
    options,
  )
  return {
    total,
    users: rows.map((r) => ({
      id: r.id,
      username: r.username,
      displayName: r.display_name,
      roles: rolesOf(r.roles),
      unitId: r.unit_id,
      disabled: r.disabled_at !== null,
    })),
  }
}

export async function findUser(db: Db, forceId: string, userId: string): Promise<UserRecord | undefined> {
  const row = await db
    .selectFrom('users as u')
    .select([
      'u.id',
      'u.username',
      'u.display_name',
      'u.email',
      'u.unit_id',
      'u.disabled_at',
      'u.created_at',
      'u.updated_at',
      sql<string[] | null>`(select array_agg(r.role order by r.role) from user_roles r where r.user_id = u.id)`.as(
        'roles',
      ),
    ])
    .where('u.id', '=', userId)
    .where('u.force_id', '=', forceId)
    .executeTakeFirst()
  return (
    row && {
      id: row.id,
      username: row.username,
      displayName: row.display_name,
      email: row.email,
      unitId: row.unit_id,
      roles: rolesOf(row.roles),
      disabledAt: row.disabled_at,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }
  )
}

/** Usernames are unique across every force, ignoring case (as the users_username_key index enforces). */
export async function usernameTaken(db: Db, username: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['username']), '=', username.trim().toLowerCase()))
    .executeTakeFirst()
  return row !== undefined
}

/** Every unit of the force with its headcount, counted in one pass over the tree. */
export async function listUnits(db: Db, forceId: string): Promise<UnitRecord[]> {
  const result = await sql<{
    id: string
    parent_id: string | null
    kind: UnitKind
    code: string
    name: string
    closed_at: Date | null
    people: number
  }>`
    with recursive reach as (
      select id as unit_id, id as ancestor_id from org_units where force_id = ${forceId}
      union all
      select reach.unit_id, o.parent_id from reach join org_units o on o.id = reach.ancestor_id
      where o.parent_id is not null
    ),
    headcount as (
      select reach.ancestor_id as unit_id, count(*)::int as people
      from reach join personnel p on p.unit_id = reach.unit_id and p.left_on is null
      group by reach.ancestor_id
    )
    select u.id, u.parent_id, u.kind, u.code, u.name, u.closed_at, coalesce(h.people, 0)::int as people
    from org_units u left join headcount h on h.unit_id = u.id
    where u.force_id = ${forceId}
    order by u.name`.execute(db)
  return result.rows.map((r) => ({
    id: r.id,
    parentId: r.parent_id,
    kind: r.kind,
    code: r.code,
    name: r.name,
    closedAt: r.closed_at,
    people: Number(r.people),
  }))
}
