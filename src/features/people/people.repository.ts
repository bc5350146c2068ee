import type { Db } from '../../db/database.js'
import { pageOf } from '../../db/paging.js'
import { scopeCondition } from '../../db/scope.js'
import type { ScopeFilter } from '../auth/policy.js'

export interface PersonListItem {
  id: string
  collarNumber: string | null
  name: string
  rank: string | null
  status: string
  unitName: string
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
    .where(scopeCondition(scope, { force: 'p.force_id', unit: 'p.unit_id', person: 'p.id' }))
    .where('p.left_on', 'is', null)
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
  const { rows, total } = await pageOf(
    query,
    (q) =>
      q
        .select([
          'p.id',
          'p.collar_number',
          'p.given_name',
          'p.family_name',
          'p.rank',
          'p.status',
          'u.name as unit_name',
        ])
        .orderBy('p.family_name')
        .orderBy('p.given_name')
        .orderBy('p.id'),
    options,
  )
  return {
    total,
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
