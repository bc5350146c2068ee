import { sql, type Kysely } from 'kysely'

/** A migration as a list of SQL statements, each run on its own (PGlite's extended protocol takes one at a time). */
export function statements(up: string[], down: string[]) {
  const run = async (db: Kysely<unknown>, list: string[]) => {
    for (const statement of list) await sql.raw(statement).execute(db)
  }
  return { up: (db: Kysely<unknown>) => run(db, up), down: (db: Kysely<unknown>) => run(db, down) }
}
