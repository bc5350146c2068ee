import type { FastifyInstance, FastifyReply } from 'fastify'
import { z } from 'zod'
import type { Clock } from '../../clock.js'
import type { Config } from '../../config.js'
import type { Db } from '../../db/database.js'
import { demoAccounts } from '../../db/seed/demo-force.js'
import { DEMO_PASSWORD } from '../../db/seed/seed-demo.js'
import { roleLabel } from '../../domain/roles.js'
import { parseForm, safeReturnPath } from '../../web/forms.js'
import { errorContext } from '../../web/render.js'
import { endSession, startSession } from '../../web/session.js'
import { recordAudit } from '../audit/ledger.js'
import { confirmPassword, signIn } from './auth.service.js'
import { accountOf } from '../../web/access.js'

const signInForm = z.object({
  username: z.string().trim().min(1, 'Enter your username').max(200, 'Username must be 200 characters or fewer'),
  password: z.string().min(1, 'Enter your password').max(1000, 'Password must be 1,000 characters or fewer'),
  returnTo: z.string().optional(),
})

const messages = {
  invalid: 'Enter a correct username and password',
  throttled: 'There have been too many attempts to sign in. Wait 15 minutes and try again',
}

export async function authRoutes(
  app: FastifyInstance,
  { db, clock, config }: { db: Db; clock: Clock; config: Config },
) {
  // Demo passwords exist only in demo mode, so only then does the page list the accounts.
  const demo = config.demoMode
    ? {
        demoPassword: DEMO_PASSWORD,
        demoAccounts: demoAccounts.map((a) => ({ username: a.username, roleLabel: roleLabel(a.role) })),
      }
    : { demoAccounts: [] }
  const signInPage = { ...demo, ssoProviderName: config.sso?.providerName ?? null }

  app.get('/sign-in', { config: { access: 'public' } }, async (request, reply) => {
    const { returnTo } = request.query as { returnTo?: string }
    if (request.principal) return reply.redirect(safeReturnPath(returnTo))
    return reply.render('auth/views/sign-in.njk', { ...signInPage, values: {}, returnTo: safeReturnPath(returnTo) })
  })

  app.post('/sign-in', { config: { access: 'public' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>
    const returnTo = safeReturnPath(body.returnTo)
    // Never echo the password back into the page.
    const values = { username: typeof body.username === 'string' ? body.username : '' }
    const parsed = parseForm(signInForm, body)
    if (!parsed.ok) {
      return reply
        .code(400)
        .render('auth/views/sign-in.njk', { ...signInPage, values, returnTo, ...errorContext(parsed.errors) })
    }
    const result = await signIn(
      { db, clock },
      {
        username: parsed.value.username,
        password: parsed.value.password,
        address: request.ip,
        requestId: request.id,
        passwordAllowed: config.sso?.passwordUsers?.has(parsed.value.username.toLowerCase()) ?? true,
      },
    )
    if (!result.ok) {
      const status = result.reason === 'throttled' ? 429 : 401
      const text =
        result.reason === 'single_sign_on_only'
          ? `This account signs in with ${config.sso?.providerName ?? 'single sign-on'}, not a password`
          : messages[result.reason]
      const errors = errorContext([{ field: 'username', text }])
      return reply.code(status).render('auth/views/sign-in.njk', { ...signInPage, values, returnTo, ...errors })
    }
    await startSession(request, result.account, clock())
    return reply.redirect(returnTo, 303)
  })

  // Confirming the password before an administrative action (needsRecentPassword in policy.ts).
  const renderConfirm = (reply: FastifyReply, returnTo: string, error?: string) =>
    reply.code(error ? 400 : 200).render('auth/views/confirm-password.njk', {
      pageTitle: 'Confirm your password',
      returnTo,
      ...errorContext(error ? [{ field: 'password', text: error }] : []),
    })
  app.get('/confirm-password', { config: { access: 'signed-in' } }, async (request, reply) => {
    const returnTo = safeReturnPath((request.query as { returnTo?: string }).returnTo)
    // A session made by single sign-on confirms at the provider (src/features/sso/).
    if (request.session.sso) return reply.redirect(`/sign-in/sso/confirm?returnTo=${encodeURIComponent(returnTo)}`)
    return renderConfirm(reply, returnTo)
  })
  app.post('/confirm-password', { config: { access: 'signed-in' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>
    const returnTo = safeReturnPath(body.returnTo)
    // Nor can it confirm with a local password (that would get round the provider's own checks).
    if (request.session.sso) return reply.redirect(`/sign-in/sso/confirm?returnTo=${encodeURIComponent(returnTo)}`, 303)
    const password = typeof body.password === 'string' ? body.password : ''
    if (!password) return renderConfirm(reply, returnTo, 'Enter your password')
    const result = await confirmPassword({ db, clock }, accountOf(request), {
      password: password.slice(0, 1000),
      address: request.ip,
      requestId: request.id,
    })
    if (!result.ok)
      return renderConfirm(
        reply.code(result.reason === 'throttled' ? 429 : 400),
        returnTo,
        result.reason === 'throttled' ? messages.throttled : 'Enter your correct password',
      )
    request.session.passwordGivenAt = clock().getTime()
    return reply.redirect(returnTo, 303)
  })

  app.post('/sign-out', { config: { access: 'signed-in' } }, async (request, reply) => {
    const account = accountOf(request)
    await recordAudit(
      db,
      {
        forceId: account.forceId,
        actor: { userId: account.id, label: account.username },
        action: 'session.signed_out',
        entityType: 'user',
        entityId: account.id,
        requestId: request.id,
      },
      clock(),
    )
    await endSession(request, reply)
    return reply.redirect('/signed-out', 303)
  })

  app.get('/signed-out', { config: { access: 'public' } }, async (_request, reply) =>
    reply.render('auth/views/signed-out.njk'),
  )
}
