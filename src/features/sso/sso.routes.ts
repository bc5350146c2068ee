import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Clock } from '../../clock.js'
import type { Config } from '../../config.js'
import type { Db } from '../../db/database.js'
import { HttpError } from '../../web/errors.js'
import { safeReturnPath } from '../../web/forms.js'
import { startSession } from '../../web/session.js'
import { accountOf } from '../../web/access.js'
import { oidcClient, ProviderFailed } from './oidc-client.js'
import type { SsoConfig } from './sso.config.js'
import { savePendingSignIn, takePendingSignIn } from './sso.repository.js'
import { completeSignIn, recordRefusal, type Purpose, type SsoRefusal } from './sso.service.js'

declare module 'fastify' {
  interface Session {
    /** Set when the session was made by single sign-on: re-authentication then goes back to the provider. */
    sso?: { issuer: string; subject: string }
  }
}

/** How long someone may spend at the provider before their round trip is forgotten. */
const ROUND_TRIP_MINUTES = 10

/** The page each refusal shows: its status and what the person can do about it. */
const refusals: Record<SsoRefusal, { status: number; title: string; text: (provider: string) => string }> = {
  expired: {
    status: 400,
    title: 'Your sign-in has expired',
    text: () => 'It took too long, or the link was used already. Start again.',
  },
  bad_state: {
    status: 400,
    title: 'You could not be signed in',
    text: (p) => `The answer from ${p} did not match this sign-in. Start again.`,
  },
  bad_nonce: {
    status: 400,
    title: 'You could not be signed in',
    text: (p) => `The answer from ${p} did not match this sign-in. Start again.`,
  },
  invalid_response: {
    status: 400,
    title: 'You could not be signed in',
    text: (p) => `${p} sent an answer that could not be checked. Start again, or contact your service desk.`,
  },
  token_refused: {
    status: 400,
    title: 'You could not be signed in',
    text: (p) => `${p} did not confirm this sign-in. Start again.`,
  },
  provider_error: {
    status: 400,
    title: 'You could not be signed in',
    text: (p) => `${p} did not sign you in. If you cancelled, start again when you are ready.`,
  },
  provider_unavailable: {
    status: 503,
    title: 'Sign-in is not available at the moment',
    text: (p) => `${p} cannot be reached. Try again in a few minutes, or contact your service desk.`,
  },
  not_recent: {
    status: 400,
    title: 'You could not be signed in',
    text: (p) => `${p} did not ask for your password again. Start again.`,
  },
  no_account: {
    status: 403,
    title: 'You do not have a ForceLedger account',
    text: (p) =>
      `You signed in to ${p}, but no ForceLedger account belongs to you. Ask your force’s ForceLedger administrator to create one.`,
  },
  linked_to_another: {
    status: 403,
    title: 'You could not be signed in',
    text: (p) =>
      `Your ForceLedger account is linked to a different ${p} identity. Ask your force’s ForceLedger administrator.`,
  },
  disabled: {
    status: 403,
    title: 'Your account is disabled',
    text: () => 'Your ForceLedger account has been disabled. Ask your force’s ForceLedger administrator.',
  },
  no_role: {
    status: 403,
    title: 'You do not have a ForceLedger role',
    text: (p) =>
      `Your ${p} account does not give you a role in ForceLedger. Ask your service desk to add you to the right group.`,
  },
  unknown_unit: {
    status: 403,
    title: 'Your unit is not in ForceLedger',
    text: (p) =>
      `${p} did not give a unit that ForceLedger knows. Ask your force’s ForceLedger administrator to check your unit.`,
  },
  different_account: {
    status: 403,
    title: 'You signed in as someone else',
    text: (p) => `To confirm it is you, sign in to ${p} as yourself.`,
  },
}

/**
 * Single sign-on with OpenID Connect (docs/sso.md). The routes always exist, so the access matrix sees them, and
 * answer 404 when SSO is not configured.
 */
export async function ssoRoutes(app: FastifyInstance, { db, clock, config }: { db: Db; clock: Clock; config: Config }) {
  const sso = config.sso
  const client = sso ? oidcClient(sso) : null
  const cookieName = config.session.secureCookies ? '__Host-forceledger-sso' : 'forceledger-sso'
  const enabled = (): { sso: SsoConfig; client: NonNullable<typeof client> } => {
    if (!sso || !client) throw new HttpError(404, 'Page not found')
    return { sso, client }
  }

  const refusalPage = (reply: FastifyReply, provider: string, reason: SsoRefusal, purpose: Purpose) => {
    const page = refusals[reason]
    const text = page.text(provider)
    return reply.code(page.status).render('sso/views/refused.njk', {
      pageTitle: page.title,
      title: page.title,
      // The provider's name may open the sentence ("your force account did not…").
      text: text.charAt(0).toUpperCase() + text.slice(1),
      retryHref: purpose === 'sign-in' ? '/sign-in/sso' : '/sign-in/sso/confirm',
    })
  }

  /** Sends the browser to the provider, remembering the round trip against a random value in a cookie. */
  const sendToProvider = async (
    request: FastifyRequest,
    reply: FastifyReply,
    purpose: Purpose,
    returnTo: string,
  ): Promise<FastifyReply> => {
    const { sso, client } = enabled()
    let started
    try {
      started = await client.start({ reauthenticate: purpose === 'reauthenticate' })
    } catch (error) {
      if (!(error instanceof ProviderFailed)) throw error
      await recordRefusal(
        { db, clock, sso },
        { purpose, reason: error.reason, account: request.account, requestId: request.id },
      )
      return refusalPage(reply, sso.providerName, error.reason, purpose)
    }
    const browserKey = randomBytes(32).toString('base64url')
    const now = clock()
    await savePendingSignIn(db, {
      browserKeyHash: hash(browserKey),
      roundTrip: started.roundTrip,
      returnTo,
      purpose,
      userId: purpose === 'reauthenticate' ? accountOf(request).id : null,
      now,
      expiresAt: new Date(now.getTime() + ROUND_TRIP_MINUTES * 60_000),
    })
    // Lax, not Strict: the provider sends the browser back with a top-level GET from its own site.
    reply.setCookie(cookieName, browserKey, {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.session.secureCookies,
      path: '/',
      maxAge: ROUND_TRIP_MINUTES * 60,
    })
    return reply.redirect(started.url.href, 303)
  }

  app.get('/sign-in/sso', { config: { access: 'public' } }, async (request, reply) => {
    enabled()
    const returnTo = safeReturnPath((request.query as { returnTo?: unknown }).returnTo)
    if (request.principal) return reply.redirect(returnTo)
    return sendToProvider(request, reply, 'sign-in', returnTo)
  })

  app.get('/sign-in/sso/callback', { config: { access: 'public' } }, async (request, reply) => {
    const { sso, client } = enabled()
    const deps = { db, clock, sso }
    const browserKey = request.cookies[cookieName]
    reply.clearCookie(cookieName, { path: '/', secure: config.session.secureCookies })
    const pending = browserKey ? await takePendingSignIn(db, hash(browserKey), clock()) : null
    const purpose: Purpose = pending?.purpose ?? 'sign-in'
    const refuse = async (reason: SsoRefusal, providerCode: string | null = null) => {
      await recordRefusal(deps, { purpose, reason, providerCode, account: request.account, requestId: request.id })
      return refusalPage(reply, sso.providerName, reason, purpose)
    }
    if (!pending) return refuse('expired')
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : ''
    const state = new URLSearchParams(query).get('state') ?? ''
    if (!sameText(state, pending.state)) return refuse('bad_state')
    // A re-authentication belongs to the session that asked for it, still signed in.
    const signedInUserId = request.session.userId ?? null
    if (purpose === 'reauthenticate' && (!request.account || signedInUserId !== pending.user_id))
      return refuse('different_account')

    let identity
    try {
      identity = await client.finish(
        query,
        { state: pending.state, nonce: pending.nonce, codeVerifier: pending.code_verifier },
        purpose === 'reauthenticate' ? { startedAt: pending.created_at } : null,
      )
    } catch (error) {
      if (!(error instanceof ProviderFailed)) throw error
      return refuse(error.reason, error.providerCode)
    }
    const result = await completeSignIn(deps, identity, { purpose, signedInUserId, requestId: request.id })
    if (!result.ok) return refusalPage(reply, sso.providerName, result.reason, purpose)
    if (purpose === 'sign-in') {
      await startSession(request, result.account, clock())
      request.session.sso = { issuer: identity.issuer, subject: identity.subject }
    }
    // Recent authentication (for administrative actions) is when the provider last really checked the person,
    // not when its own session let them through; a provider that does not say counts as not recent.
    request.session.passwordGivenAt = identity.authenticatedAt ?? 0
    return reply.redirect(safeReturnPath(pending.return_to), 303)
  })

  // Re-authentication before an administrative action (needsRecentPassword): /confirm-password sends SSO sessions
  // here, and sessions made with a password back there.
  app.get('/sign-in/sso/confirm', { config: { access: 'signed-in' } }, async (request, reply) => {
    const { sso } = enabled()
    const returnTo = safeReturnPath((request.query as { returnTo?: unknown }).returnTo)
    if (!request.session.sso) return reply.redirect(`/confirm-password?returnTo=${encodeURIComponent(returnTo)}`)
    return reply.render('sso/views/confirm.njk', {
      pageTitle: 'Confirm it is you',
      providerName: sso.providerName,
      startHref: `/sign-in/sso/reauthenticate?returnTo=${encodeURIComponent(returnTo)}`,
    })
  })

  // A link, not a form: the page's Content-Security-Policy allows forms to post only to this site, and browsers
  // apply that to the redirect a form's answer makes, which here goes to the provider.
  app.get('/sign-in/sso/reauthenticate', { config: { access: 'signed-in' } }, async (request, reply) => {
    enabled()
    const returnTo = safeReturnPath((request.query as { returnTo?: unknown }).returnTo)
    if (!request.session.sso) return reply.redirect(`/confirm-password?returnTo=${encodeURIComponent(returnTo)}`)
    return sendToProvider(request, reply, 'reauthenticate', returnTo)
  })
}

const hash = (value: string) => createHash('sha256').update(value).digest('hex')

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}
