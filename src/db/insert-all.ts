import { sql, type Kysely, type OperationNodeSource, type RawBuilder, type Transaction } from 'kysely'
import type { Database } from './schema.js'

/**
 * Runs several writes as ONE statement, each a data-modifying CTE: `with q0 as (insert …), q1 as (insert …) select …`.
 * One round trip instead of one per table is most of what makes a write fast. PostgreSQL runs every CTE whether or
 * not the final select reads it.
 */
export async function writeAll(
  db: Kysely<Database> | Transaction<Database>,
  statements: OperationNodeSource[],
): Promise<void> {
  const ctes = statements.map((statement, i) => sql`${sql.raw(`q${i}`)} as (${statement})`)
  await sql`with ${sql.join(ctes)} select 0`.execute(db)
}

/**
 * Inserts rows into a table from ONE jsonb parameter, each element read against the table's own row type: the
 * statement text is the same whatever the number of rows (so PostgreSQL can keep its plan) and there is one
 * parameter, not one per value. Rows must carry every column the table requires: a missing key is NULL, not the
 * column's default; keys that are not columns are ignored. With `when` (a condition in SQL), a row is inserted only
 * if it holds; it may read the row's JSON as `e` (e.g. a tag saying which submission the row belongs to).
 */
export function insertJsonRows(
  table: keyof Database & string,
  rows: readonly object[],
  when: RawBuilder<unknown> = sql`true`,
): RawBuilder<unknown> {
  const target = sql.table(table)
  return sql`insert into ${target}
    select r.* from jsonb_array_elements(${JSON.stringify(rows)}::jsonb) e
      cross join lateral jsonb_populate_record(null::${target}, e) r
    where ${when}`
}
