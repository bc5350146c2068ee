import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import type { Db } from '../../db/database.js'

/** Liveness (the process answers) and readiness (the database answers), for load balancers and orchestrators. */
export async function healthRoutes(app: FastifyInstance, { db }: { db: Db }) {
  app.get('/healthz', { config: { access: 'public' }, logLevel: 'warn' }, async () => ({ status: 'ok' }))

  app.get('/readyz', { config: { access: 'public' }, logLevel: 'warn' }, async (request, reply) => {
    try {
      await sql`select 1`.execute(db)
      return { status: 'ok', database: 'ok' }
    } catch (error) {
      request.log.error({ err: error }, 'readiness check: database unreachable')
      return reply.code(503).send({ status: 'unavailable', database: 'unreachable' })
    }
  })
}
