import type { FastifyInstance } from 'fastify'
import type { Clock } from '../../../clock.js'
import type { Db } from '../../../db/database.js'
import { draftRoutes } from './drafts.routes.js'
import { reportPageRoutes } from './report-pages.routes.js'

/** The officer's use-of-force form and the pages of submitted reports. */
export async function reportFormRoutes(app: FastifyInstance, deps: { db: Db; clock: Clock }) {
  await app.register(draftRoutes, deps)
  await app.register(reportPageRoutes, deps)
}
