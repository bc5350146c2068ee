import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import { accountOf, actorOf } from '../../web/access.js'
import { HttpError } from '../../web/errors.js'
import { parseForm } from '../../web/forms.js'
import { errorContext } from '../../web/render.js'
import { createApiToken, listApiTokens, revokeApiToken } from './api-tokens.js'

const newToken = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Enter a name for the token, such as the app or system that will use it')
    .max(100, 'Name must be 100 characters or fewer'),
})
const tokenId = z.object({ id: z.uuid() })

/** Each account's own API tokens: create (shown once), list, revoke. */
export async function apiTokenRoutes(app: FastifyInstance, { db, clock }: { db: Db; clock: Clock }) {
  const deps = { db, clock }
  const page = async (userId: string, extra: Record<string, unknown> = {}) => ({
    pageTitle: 'API tokens',
    tokens: await listApiTokens(db, userId),
    values: {},
    ...extra,
  })

  app.get('/account/api-tokens', { config: { access: 'signed-in' } }, async (request, reply) =>
    reply.render('auth/views/api-tokens.njk', await page(accountOf(request).id)),
  )

  app.post('/account/api-tokens', { config: { access: 'signed-in' } }, async (request, reply) => {
    const account = accountOf(request)
    const parsed = parseForm(newToken, request.body)
    if (!parsed.ok) {
      const values = { name: String((request.body as { name?: unknown } | undefined)?.name ?? '') }
      return reply
        .code(400)
        .render('auth/views/api-tokens.njk', await page(account.id, { values, ...errorContext(parsed.errors) }))
    }
    const owner = { userId: account.id, forceId: account.forceId }
    const created = await createApiToken(deps, actorOf(request), owner, parsed.value.name)
    // The token is shown on this response only: it is not stored, so it cannot be shown again.
    reply.header('cache-control', 'no-store')
    return reply.render(
      'auth/views/api-tokens.njk',
      await page(account.id, { created: { name: parsed.value.name, token: created.token } }),
    )
  })

  app.post('/account/api-tokens/:id/revoke', { config: { access: 'signed-in' } }, async (request, reply) => {
    const account = accountOf(request)
    const params = tokenId.safeParse(request.params)
    const revoked =
      params.success &&
      (await revokeApiToken(deps, actorOf(request), { userId: account.id, forceId: account.forceId }, params.data.id))
    if (!revoked) throw new HttpError(404, 'Page not found')
    return reply.redirect('/account/api-tokens', 303)
  })
}
