import type { FastifyInstance } from 'fastify'
import type { Db } from '../../db/database.js'
import { periodLabel } from './figures.js'
import { listImports } from './comparators.service.js'

/** The analyst's list of imported national comparators: which years, from which file, and whether they add up. */
export async function comparatorRoutes(app: FastifyInstance, { db }: { db: Db }) {
  app.get('/comparators', { config: { access: 'comparators.view' } }, async (_request, reply) => {
    const imports = (await listImports(db)).map((i) => ({
      ...i,
      periods: i.periods.map((p) => periodLabel(p.start, p.end)),
      failed: i.checks.filter((c) => !c.ok),
      // In groups of 16 so the hash wraps on a phone and can still be compared by eye.
      shaGroups: i.sha256.match(/.{1,16}/g)?.join(' ') ?? i.sha256,
    }))
    return reply.render('comparators/views/imports.njk', { pageTitle: 'National comparators', imports })
  })
}
