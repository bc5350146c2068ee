import cookie from '@fastify/cookie'
import csrf from '@fastify/csrf-protection'
import helmet from '@fastify/helmet'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { isApiRoute } from './api-route.js'
import { HttpError } from './errors.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set false only on routes authenticated by an API token rather than a session cookie. */
    csrf?: boolean
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** Whether a parsed value (a string, or lists and objects of them) holds a NUL character anywhere. */
function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000')
  if (value !== null && typeof value === 'object') return Object.values(value).some(holdsNul)
  return false
}

/** Security headers with a nonce-based CSP, signed cookies, and a CSRF check on every state-changing request. */
export const securityPlugin = fp(async (app: FastifyInstance, { config }: { config: Config }) => {
  const secure = config.session.secureCookies
  await app.register(cookie, { secret: config.session.secret })
  // The JSON API renders nothing, so it needs no nonces: fixed headers that forbid running or framing anything in
  // its responses, rather than helmet's work on every request (two nonces and a CSP header built afresh). Before
  // helmet is registered, so that helmet's own onRoute hook sees the routes marked.
  const apiHeaders = {
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    ...(secure ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  }
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/')) route.helmet = false
  })
  app.addHook('onRequest', (request, reply, done) => {
    if (isApiRoute(request)) reply.headers(apiHeaders)
    done()
  })
  await app.register(helmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
        ...(secure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // HSTS only where the service is served over HTTPS; on a local http run it would do nothing useful.
    strictTransportSecurity: secure ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
  })
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    // The __Host- prefix makes the browser refuse the cookie unless it is Secure, host-only and for path "/".
    cookieKey: secure ? '__Host-forceledger-csrf' : 'forceledger-csrf',
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'strict', secure, path: '/' },
  })
  // No text column can store a NUL character, so a search or form holding one would fail in the database (a 500).
  // Nobody types one: refuse it here for every address, query string and form, before any handler. JSON bodies are
  // left to their schemas, which name the field (see `text` in src/domain/use-of-force/report.ts).
  app.addHook('preValidation', async (request) => {
    const form = request.headers['content-type']?.startsWith('application/x-www-form-urlencoded') === true
    if (holdsNul(request.params) || holdsNul(request.query) || (form && holdsNul(request.body)))
      throw new HttpError(400, 'Remove the unusual characters from what you entered and try again')
  })
  app.addHook('preHandler', (request, reply, done) => {
    if (SAFE_METHODS.has(request.method) || request.routeOptions.config.csrf === false) return done()
    app.csrfProtection(request, reply, done)
  })
})
