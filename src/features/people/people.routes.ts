import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { Db } from '../../db/database.js'
import { employmentStatuses, ranks } from '../../domain/workforce.js'
import { scopeFilter, scopeOf } from '../auth/policy.js'
import { listPeople } from './people.repository.js'
import { principalOf } from '../../web/access.js'
import { paging } from '../../web/pagination.js'

const PAGE_SIZE = 50

const query = z.object({
  q: z.string().max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
})

const scopeDescriptions = {
  own: 'your own record',
  team: 'your team',
  unit: 'your basic command unit',
  force: 'the whole force',
}

/** The people directory, limited to the reader's scope. */
export async function peopleRoutes(app: FastifyInstance, { db }: { db: Db }) {
  app.get('/people', { config: { access: 'people.view' } }, async (request, reply) => {
    const { q, page } = query.parse(request.query)
    const principal = principalOf(request)
    const { people, total } = await listPeople(db, scopeFilter(principal, 'people.view'), {
      search: q,
      page,
      pageSize: PAGE_SIZE,
    })
    const rankLabels = new Map<string, string>(ranks.map((r) => [r.value, r.label]))
    const statusLabels = new Map<string, string>(employmentStatuses.map((s) => [s.value, s.label]))
    return reply.render('people/views/people.njk', {
      pageTitle: 'People',
      q: q ?? '',
      scope: scopeDescriptions[scopeOf(principal, 'people.view') ?? 'own'],
      people: people.map((p) => ({
        ...p,
        rank: p.rank ? (rankLabels.get(p.rank) ?? p.rank) : 'Police staff',
        status: statusLabels.get(p.status) ?? p.status,
      })),
      total,
      paging: paging(
        { page, pageSize: PAGE_SIZE },
        total,
        (p) => `/people?${new URLSearchParams({ ...(q ? { q } : {}), page: String(p) })}`,
      ),
    })
  })
}
