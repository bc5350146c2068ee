import type { FastifyRequest } from 'fastify'

/**
 * Whether a request matched a route of the JSON API. The matched route decides, never the raw URL: the router
 * decodes percent-escapes, so /%61pi/v1/reports reaches the same routes as /api/v1/reports.
 */
export function isApiRoute(request: FastifyRequest): boolean {
  return request.routeOptions.url?.startsWith('/api/') ?? false
}
