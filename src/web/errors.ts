import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { isApiRoute } from './api-route.js'

/** An error a handler raises on purpose, shown to the user with its status and a GOV.UK error page. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message)
  }
}

const pages: Record<number, string> = { 403: 'errors/403.njk', 404: 'errors/404.njk', 429: 'errors/429.njk' }

/** The health checks answer load balancers, not people. */
const jsonRoutes = new Set(['/healthz', '/readyz'])

/**
 * JSON for the API and the health checks, a page for everything else, decided by the route the request matched.
 * With no route (a 404) there is only what the client asked for: JSON when it accepts JSON and not HTML, or when
 * it was after the API.
 */
function wantsJson(request: FastifyRequest): boolean {
  const route = request.routeOptions.url
  if (route !== undefined) return isApiRoute(request) || jsonRoutes.has(route)
  const accept = request.headers.accept ?? ''
  const asksForJson = accept.includes('application/json') && !accept.includes('text/html')
  return asksForJson || new URL(request.url, 'http://localhost').pathname.startsWith('/api/')
}

function sendError(request: FastifyRequest, reply: FastifyReply, status: number, message: string) {
  reply.code(status)
  // The API's one error shape, whatever went wrong: a summary and a list of problems.
  if (wantsJson(request)) return reply.send({ error: message, errors: [{ path: '', message }] })
  const template = pages[status] ?? (status >= 500 ? 'errors/500.njk' : 'errors/400.njk')
  try {
    return reply.render(template, { pageTitle: message, message })
  } catch (renderError) {
    // The layout itself failed: fall back to plain text rather than a second error.
    request.log.error({ err: renderError }, 'error page failed to render')
    return reply.type('text/plain; charset=utf-8').send(message)
  }
}

/**
 * GOV.UK error pages for people, JSON for the API. Nothing from an unexpected error (stack, SQL, message) ever
 * reaches the user; it goes to the log with the request id.
 */
export const errorsPlugin = fp(async (app: FastifyInstance) => {
  app.setNotFoundHandler((request, reply) => sendError(request, reply, 404, 'Page not found'))
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500
    if (error.code?.startsWith('FST_CSRF_')) {
      request.log.warn({ code: error.code }, 'request refused: CSRF token missing or invalid')
      return sendError(request, reply, 403, 'You do not have permission to do that')
    }
    if (status >= 500) {
      request.log.error({ err: error }, 'unexpected error')
      return sendError(request, reply, 500, 'Sorry, there is a problem with the service')
    }
    if (error instanceof HttpError) return sendError(request, reply, status, error.message)
    if (status === 403) return sendError(request, reply, 403, 'You do not have permission to view this page')
    if (status === 404) return sendError(request, reply, 404, 'Page not found')
    // Other client errors from Fastify itself (malformed body, too large, bad content type).
    request.log.info({ code: error.code, statusCode: status }, 'request refused')
    return sendError(
      request,
      reply,
      status,
      status === 413 ? 'The request was too large' : 'The request could not be understood',
    )
  })
})
