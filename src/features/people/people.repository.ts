import { sql } from 'kysely'
import type { Db } from '../../db/database.js'
import type { ScopeFilter } from '../auth/policy.js'

export interface PersonListItem {
  id: string
  collarNumber: string | null
  name: string
  rank: string | null
  status: string
  unitName: string
}

/** The units at or below a unit: the set a team or unit scope covers. */
export function subtreeOf(unitId: string) {
  return sql<{ id: string }>`(
    with recursive down as (
      select id from org_units where id = ${unitId}
      union all
      select o.id from org_units o join down on o.parent_id = down.id)
    select id from down)`
}

export async function listPeople(
  db: Db,
  scope: ScopeFilter,
  options: { search?: string; page: number; pageSize: number },
): Promise<{ people: PersonListItem[]; total: number }> {
  if (scope.kind === 'none') return { people: [], total: 0 }
  let query = db
    .selectFrom('personnel as p')
    .innerJoin('org_units as u', 'u.id', 'p.unit_id')
    .where('p.force_id', '=', scope.forceId)
    .where('p.left_on', 'is', null)
  if (scope.kind === 'subtree') query = query.where(sql<boolean>`p.unit_id in ${subtreeOf(scope.unitId)}`)
  if (scope.kind === 'own') query = query.where('p.id', '=', scope.personId)
  const search = options.search?.trim()
  if (search) {
    const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    query = query.where((eb) =>
      eb.or([
        eb('p.family_name', 'ilike', pattern),
        eb('p.given_name', 'ilike', pattern),
        eb('p.collar_number', 'ilike', pattern),
      ]),
    )
  }
  const [rows, count] = await Promise.all([
    query
      .select(['p.id', 'p.collar_number', 'p.given_name', 'p.family_name', 'p.rank', 'p.status', 'u.name as unit_name'])
      .orderBy('p.family_name')
      .orderBy('p.given_name')
      .orderBy('p.id')
      .limit(options.pageSize)
      .offset((options.page - 1) * options.pageSize)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ])
  return {
    total: Number(count.total),
    people: rows.map((r) => ({
      id: r.id,
      collarNumber: r.collar_number,
      name: `${r.given_name} ${r.family_name}`,
      rank: r.rank,
      status: r.status,
      unitName: r.unit_name,
    })),
  }
}
