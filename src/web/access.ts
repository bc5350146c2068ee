import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { HttpError } from './errors.js'
import { isApiRoute } from './api-route.js'
import { canAccess, isPermission, type Access, type Principal } from '../features/auth/policy.js'
import type { AccountRow } from '../features/auth/users.repository.js'
import type { Actor } from '../features/audit/ledger.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may use this route. Every route must say; the app refuses to start if one does not. */
    access?: Access
  }
  interface FastifyInstance {
    /** Every route with its declared access: the source for the access-matrix test. */
    routeTable: RouteEntry[]
  }
}

export interface RouteEntry {
  method: string
  url: string
  access: Access
}

export class UndeclaredAccessError extends Error {}

/**
 * Enforces each route's declared access on every request, before the body is read. Signed-out visitors are sent
 * to sign in (or get 401 from the API); signed-in accounts without the permission get 403.
 */
export const accessPlugin = fp(async (app: FastifyInstance) => {
  const table: RouteEntry[] = []
  app.decorate('routeTable', table)
  app.addHook('onRoute', (route) => {
    const access = route.config?.access
    if (access === undefined || (access !== 'public' && access !== 'signed-in' && !isPermission(access))) {
      throw new UndeclaredAccessError(`Route ${String(route.method)} ${route.url} must declare config.access`)
    }
    for (const method of [route.method].flat()) table.push({ method, url: route.url, access })
  })
  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config.access
    // Unmatched URLs reach the 404 handler, which has no access of its own to check.
    if (access === undefined || canAccess(request.principal, access)) return
    if (request.principal) throw new HttpError(403, 'You do not have permission to view this page')
    if (isApiRoute(request))
      return reply
        .code(401)
        .send({ error: 'Send a valid API token', errors: [{ path: '', message: 'Send a valid API token' }] })
    if (request.method !== 'GET') throw new HttpError(401, 'Your session has ended. Sign in again')
    return reply.redirect(`/sign-in?returnTo=${encodeURIComponent(request.url)}`)
  })
})

/** The signed-in principal, in a handler whose route requires sign-in (the access hook has already checked). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new HttpError(401, 'Your session has ended. Sign in again')
  return request.principal
}

export function accountOf(request: FastifyRequest): AccountRow {
  if (!request.account) throw new HttpError(401, 'Your session has ended. Sign in again')
  return request.account
}

/** Who is acting, for the audit ledger: the signed-in account (or anonymous) and the request id. */
export function actorOf(request: FastifyRequest): Actor {
  const account = request.account
  return account
    ? { userId: account.id, label: account.username, requestId: request.id }
    : { userId: null, label: 'anonymous', requestId: request.id }
}
