import type { FastifyInstance } from 'fastify'
import type { Db } from '../../src/db/database.js'
import { createApiToken } from '../../src/features/auth/api-tokens.js'

/** A JSON API client signed in with a fresh API token for one of the demo accounts. */
export async function apiClientFor(app: FastifyInstance, db: Db, username: string) {
  const user = await db
    .selectFrom('users')
    .select(['id', 'force_id'])
    .where('username', '=', username)
    .executeTakeFirstOrThrow()
  const { token } = await createApiToken(
    { db, clock: () => new Date() },
    { userId: user.id, label: username },
    { userId: user.id, forceId: user.force_id },
    'tests',
  )
  const headers = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, ...extra })
  return {
    token,
    userId: user.id,
    get: (url: string) => app.inject({ method: 'GET', url, headers: headers() }),
    post: (url: string, payload: unknown, extra: Record<string, string> = {}) =>
      app.inject({
        method: 'POST',
        url,
        headers: headers({ 'content-type': 'application/json', ...extra }),
        payload: JSON.stringify(payload),
      }),
  }
}

export async function countRows(db: Db, table: 'reports' | 'incidents' | 'subjects' | 'report_versions') {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
