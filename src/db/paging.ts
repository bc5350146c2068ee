import type { SelectQueryBuilder } from 'kysely'
import type { PageRequest } from '../web/pagination.js'

/**
 * One page of a list and how many rows the whole list has, as two statements run at once. `query` is the list
 * (its tables and conditions), counted as it stands; `columns` adds the page's columns and order to it.
 */
export async function pageOf<DB, TB extends keyof DB, Base, Row>(
  query: SelectQueryBuilder<DB, TB, Base>,
  columns: (query: SelectQueryBuilder<DB, TB, Base>) => SelectQueryBuilder<DB, TB, Row>,
  { page, pageSize }: PageRequest,
): Promise<{ rows: Row[]; total: number }> {
  const [rows, count] = await Promise.all([
    columns(query)
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    // Kysely cannot work out a generic query's selection, so the count's row type is stated.
    query
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .$castTo<{ total: number }>()
      .executeTakeFirstOrThrow(),
  ])
  return { rows, total: Number(count.total) }
}
