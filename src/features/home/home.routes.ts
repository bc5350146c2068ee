import type { FastifyInstance } from 'fastify'
import { roles } from '../../domain/roles.js'
import type { Principal } from '../auth/policy.js'
import { groupsFor } from '../../web/navigation.js'
import { principalOf } from '../../web/access.js'

/**
 * Something another feature shows on the home page for the signed-in account (such as overdue drafts): a template
 * and its context, or null to show nothing. The feature decides who sees what; the home page only places it.
 */
export type HomePanel = (principal: Principal) => Promise<{ template: string; context: Record<string, unknown> } | null>

/** The home page for each role, the account page, and the public information pages. */
export async function homeRoutes(app: FastifyInstance, { panels = [] }: { panels?: HomePanel[] } = {}) {
  app.get('/', { config: { access: 'signed-in' } }, async (request, reply) => {
    const principal = principalOf(request)
    const held = roles.filter((r) => principal.roles.includes(r.value))
    const groups = groupsFor(request.principal).filter((g) => g.items.some((item) => item.href !== '/'))
    const shown = (await Promise.all(panels.map((panel) => panel(principal)))).filter((p) => p !== null)
    return reply.render('home/views/home.njk', { pageTitle: 'Home', held, groups, panels: shown })
  })

  app.get('/account', { config: { access: 'signed-in' } }, async (request, reply) => {
    const held = roles.filter((r) => principalOf(request).roles.includes(r.value))
    return reply.render('home/views/account.njk', { pageTitle: 'Your account', account: request.account, held })
  })

  app.get('/accessibility', { config: { access: 'public' } }, async (_request, reply) =>
    reply.render('pages/accessibility.njk'),
  )
  app.get('/privacy', { config: { access: 'public' } }, async (_request, reply) => reply.render('pages/privacy.njk'))
}
