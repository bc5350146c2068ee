import session from '@fastify/session'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { isApiRoute } from './api-route.js'
import type { Clock } from '../clock.js'
import type { Config } from '../config.js'
import type { Db } from '../db/database.js'
import { isPermission, needsRecentPassword, RECENT_PASSWORD_MINUTES, type Principal } from '../features/auth/policy.js'
import { databaseSessionStore } from '../features/auth/session-store.js'
import { accountForApiToken, forgetApiToken, hashToken, touchApiToken } from '../features/auth/api-tokens.js'
import {
  findAccountById,
  findAccountByTokenHash,
  toPrincipal,
  type AccountRow,
} from '../features/auth/users.repository.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in account, loaded afresh on every request so a disabled account or a changed role counts now. */
    account: AccountRow | null
    principal: Principal | null
    /** The hash of the API token the request was let in with, for writes that re-check it. */
    apiTokenHash: string | null
  }
  interface FastifyContextConfig {
    /**
     * The handler's write re-checks, in its own statement, that the API token is unrevoked and the account enabled,
     * so the request may be let in on a cached account (accountForApiToken).
     */
    rechecksApiToken?: boolean
  }
}

export const sessionCookieName = (secure: boolean) => (secure ? '__Host-forceledger-session' : 'forceledger-session')

/** Database-backed sessions, and the signed-in account on every request. */
export const sessionPlugin = fp(async (app: FastifyInstance, deps: { config: Config; db: Db; clock: Clock }) => {
  const { config, db, clock } = deps
  const secure = config.session.secureCookies
  await app.register(session, {
    secret: config.session.secret,
    cookieName: sessionCookieName(secure),
    store: databaseSessionStore(db, clock, config.session),
    saveUninitialized: false,
    // Rolling: every request pushes the idle expiry on, in the cookie and the store alike.
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: config.session.idleMinutes * 60_000 },
  })
  app.decorateRequest('account', null)
  app.decorateRequest('principal', null)
  app.decorateRequest('apiTokenHash', null)
  // A write that found the token revoked or the account disabled after the request was let in: forget it now.
  app.addHook('onError', async (request, _reply, error) => {
    if (request.apiTokenHash && (error as { statusCode?: number }).statusCode === 401) {
      forgetApiToken(db, request.apiTokenHash)
    }
  })
  // An administrative route with a password given too long ago: confirm it first, then carry on where you were.
  // A form posted meanwhile is not lost silently: its page is shown again after confirming, to be sent again.
  app.addHook('preHandler', async (request, reply) => {
    const access = request.routeOptions.config.access
    if (!request.session.userId || !request.account || access === undefined || !isPermission(access)) return
    if (!needsRecentPassword.has(access) || passwordIsRecent(request, clock())) return
    const returnTo = encodeURIComponent(request.url)
    return reply.redirect(`/confirm-password?returnTo=${returnTo}`, 303)
  })
  app.addHook('onRequest', async (request) => {
    // The JSON API is for programs: it takes an API token and nothing else, so a browser's cookie can never be
    // used to call it (which is also why API routes need no CSRF token).
    if (isApiRoute(request)) {
      const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1]
      if (!token) return
      const tokenHash = hashToken(token)
      const cached = request.method === 'GET' || request.routeOptions.config.rechecksApiToken === true
      const account = cached ? await accountForApiToken(db, tokenHash) : await findAccountByTokenHash(db, tokenHash)
      if (!account || account.disabledAt) return
      await touchApiToken(db, tokenHash, clock())
      request.account = account
      request.principal = toPrincipal(account)
      request.apiTokenHash = tokenHash
      return
    }
    const userId = request.session.userId
    if (!userId) return
    const account = await findAccountById(db, userId)
    const absoluteLimit = (request.session.signedInAt ?? 0) + config.session.absoluteHours * 3_600_000
    if (!account || account.disabledAt || clock().getTime() >= absoluteLimit) {
      await request.session.destroy()
      return
    }
    request.account = account
    request.principal = toPrincipal(account)
  })
})

/** Starts a fresh session for a signed-in user (a new id, so a session fixed before sign-in is worthless). */
export async function startSession(request: FastifyRequest, account: AccountRow, now: Date): Promise<void> {
  await request.session.regenerate()
  request.session.userId = account.id
  request.session.signedInAt = now.getTime()
  request.session.passwordGivenAt = now.getTime()
}

/** Whether the session's password is recent enough for an administrative action (policy.ts). */
export function passwordIsRecent(request: FastifyRequest, now: Date): boolean {
  const given = request.session.passwordGivenAt ?? request.session.signedInAt ?? 0
  return now.getTime() - given <= RECENT_PASSWORD_MINUTES * 60_000
}

export async function endSession(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  await request.session.destroy()
  reply.clearCookie(sessionCookieName(request.protocol === 'https'), { path: '/' })
}
