import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import { recordAudit, verifyAuditLedger } from './ledger.js'
import { actorOf, principalOf } from '../../web/access.js'

const PAGE_SIZE = 50
const query = z.object({ page: z.coerce.number().int().min(1).max(1_000_000).catch(1) })

/** The ledger for those who may inspect it, and the end-to-end check of its hash chains. */
export async function auditRoutes(app: FastifyInstance, { db, clock }: { db: Db; clock: Clock }) {
  app.get('/audit', { config: { access: 'audit.view' } }, async (request, reply) => {
    const { page } = query.parse(request.query)
    const forceId = principalOf(request).forceId
    const entries = await db
      .selectFrom('audit_log')
      .select(['id', 'occurred_at', 'actor', 'action', 'entity_type', 'entity_id', 'hash'])
      .where((eb) => eb.or([eb('force_id', '=', forceId), eb('force_id', 'is', null)]))
      .orderBy('id', 'desc')
      .limit(PAGE_SIZE + 1)
      .offset((page - 1) * PAGE_SIZE)
      .execute()
    return reply.render('audit/views/ledger.njk', {
      pageTitle: 'Audit ledger',
      entries: entries.slice(0, PAGE_SIZE),
      page,
      hasNext: entries.length > PAGE_SIZE,
    })
  })

  app.post('/audit/verify', { config: { access: 'audit.view' } }, async (request, reply) => {
    const result = await verifyAuditLedger(db)
    await recordAudit(
      db,
      {
        forceId: principalOf(request).forceId,
        actor: actorOf(request),
        action: 'audit.verified',
        entityType: 'audit_log',
        details: {
          ok: result.ok,
          entriesChecked: result.entriesChecked,
          firstBroken: result.ok ? null : result.firstBroken,
        },
      },
      clock(),
    )
    return reply.render('audit/views/verified.njk', { pageTitle: 'Audit ledger check', result })
  })
}
