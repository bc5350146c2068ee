/**
 * Security headers on every kind of response: every GET route of the route table without path parameters (public
 * pages, signed-in pages, downloads, the JSON API), redirects and error pages. HTML gets a nonce-based CSP with no
 * 'unsafe-inline'; everything gets frame-ancestors 'none', nosniff and the referrer policy; HSTS only in production.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiClientFor } from '../support/api.js'
import { Browser, testApp, type TestApp } from '../support/app.js'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t?.close())

type Headers = Record<string, string | string[] | number | undefined>

function expectCommonHeaders(where: string, headers: Headers) {
  const csp = String(headers['content-security-policy'] ?? '')
  expect(csp, where).toContain("frame-ancestors 'none'")
  expect(csp, where).not.toContain('unsafe-inline')
  expect(csp, where).not.toContain('unsafe-eval')
  expect(headers['x-content-type-options'], where).toBe('nosniff')
  expect(headers['referrer-policy'], where).toBe('same-origin')
}

function expectHtmlPolicy(where: string, headers: Headers) {
  const csp = String(headers['content-security-policy'])
  expect(csp, where).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/)
  expect(csp, where).toMatch(/style-src 'self' 'nonce-[A-Za-z0-9+/=]+'/)
  expect(csp, where).toContain("object-src 'none'")
  expect(csp, where).toContain("base-uri 'self'")
  expect(csp, where).toContain("form-action 'self'")
}

describe('security headers', () => {
  it('are on every GET route, signed out and signed in, HTML or not', async () => {
    const psd = new Browser(t.app)
    await psd.signIn('psd')
    const analyst = new Browser(t.app)
    await analyst.signIn('analyst')
    const api = await apiClientFor(t.app, t.database.db, 'psd')
    const routes = t.app.routeTable.filter((r) => r.method === 'GET' && !r.url.includes(':') && !r.url.includes('*'))
    expect(routes.length).toBeGreaterThan(40)
    let html = 0
    for (const route of routes) {
      const responses = route.url.startsWith('/api/')
        ? [await api.get(route.url)]
        : [
            await t.app.inject({ method: 'GET', url: route.url }),
            await psd.get(route.url),
            await analyst.get(route.url),
          ]
      for (const response of responses) {
        const where = `GET ${route.url} → ${response.statusCode}`
        expectCommonHeaders(where, response.headers)
        expect(response.headers['strict-transport-security'], where).toBeUndefined()
        if (String(response.headers['content-type']).startsWith('text/html')) {
          html++
          expectHtmlPolicy(where, response.headers)
        }
      }
    }
    expect(html).toBeGreaterThan(40)
  })

  it('are on error pages and redirects too', async () => {
    const officer = new Browser(t.app)
    await officer.signIn('officer')
    for (const response of [
      await t.app.inject({ method: 'GET', url: '/no/such/page' }),
      await t.app.inject({ method: 'GET', url: '/people' }),
      await officer.get('/admin/users'),
      await t.app.inject({ method: 'GET', url: '/api/v1/reports' }),
    ]) {
      expectCommonHeaders(`${response.statusCode}`, response.headers)
    }
  })

  it('sends HSTS in production and only there', async () => {
    const production = await testApp({
      env: { NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(40), DEMO_MODE: 'false' },
    })
    try {
      for (const url of ['/sign-in', '/transparency', '/api/v1/openapi.json', '/no/such/page']) {
        const response = await production.app.inject({ method: 'GET', url })
        expect(response.headers['strict-transport-security'], url).toBe('max-age=31536000; includeSubDomains')
        expectCommonHeaders(url, response.headers)
      }
    } finally {
      await production.close()
    }
    const development = await t.app.inject({ method: 'GET', url: '/sign-in' })
    expect(development.headers['strict-transport-security']).toBeUndefined()
  })
})
