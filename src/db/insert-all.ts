import { sql, type Kysely, type OperationNodeSource, type Transaction } from 'kysely'
import type { Database } from './schema.js'

/**
 * Runs several writes as ONE statement, each a data-modifying CTE: `with q0 as (insert …), q1 as (insert …) select …`.
 * One round trip instead of one per table is most of what makes a submission fast. PostgreSQL runs every CTE
 * whether or not the final select reads it. With `counted` (a write that says `returning`), returns how many rows
 * it wrote, which is how a caller learns that an `on conflict do nothing` did nothing.
 */
export async function writeAll(
  db: Kysely<Database> | Transaction<Database>,
  statements: OperationNodeSource[],
  counted?: OperationNodeSource,
): Promise<number> {
  const ctes = statements.map((statement, i) => sql`${sql.raw(`q${i}`)} as (${statement})`)
  if (counted) ctes.push(sql`q_counted as (${counted})`)
  const { rows } = await sql<{ written: number }>`
    with ${sql.join(ctes)}
    select ${counted ? sql`(select count(*)::int from q_counted)` : sql`0`} as written`.execute(db)
  return rows[0]?.written ?? 0
}
