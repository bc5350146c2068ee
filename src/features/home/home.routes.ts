import type { FastifyInstance } from 'fastify'
import { roles } from '../../domain/roles.js'
import { sectionsFor } from '../../web/navigation.js'
import { principalOf } from '../../web/access.js'

/** The home page for each role, the account page, and the public information pages. */
export async function homeRoutes(app: FastifyInstance) {
  app.get('/', { config: { access: 'signed-in' } }, async (request, reply) => {
    const held = roles.filter((r) => principalOf(request).roles.includes(r.value))
    const sections = sectionsFor(request.principal).filter((s) => s.href !== '/')
    return reply.render('home/views/home.njk', { pageTitle: 'Home', held, sections })
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
