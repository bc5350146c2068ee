import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, testApp, testConfig, type TestApp } from '../../test/support/app.js'
import { buildApp } from '../app.js'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

describe('web security', () => {
  it('sends a nonce-based CSP without unsafe-inline, and framing and referrer rules', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/sign-in' })
    const csp = String(response.headers['content-security-policy'])
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/)
    expect(csp).not.toContain('unsafe-inline')
    expect(csp).toContain("frame-ancestors 'none'")
    expect(response.headers['referrer-policy']).toBe('same-origin')
    expect(response.headers['x-content-type-options']).toBe('nosniff')
    // The template's one inline script carries the nonce from the header.
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]
    expect(response.body).toContain(`nonce="${nonce}"`)
    expect(response.headers['x-request-id']).toBeTruthy()
  })

  it('sends the JSON API fixed headers that forbid running or framing anything, with no nonce', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'")
    expect(response.headers['x-content-type-options']).toBe('nosniff')
    expect(response.headers['referrer-policy']).toBe('same-origin')
  })

  it('refuses a form post with a missing or forged CSRF token and changes nothing', async () => {
    const browser = new Browser(t.app)
    await browser.signIn('admin')
    const cookie = browser.jar.header()
    const headers = { cookie, 'content-type': 'application/x-www-form-urlencoded' }
    const missing = await t.app.inject({ method: 'POST', url: '/sign-out', headers, payload: '' })
    expect(missing.statusCode).toBe(403)
    expect(missing.body).toContain('You do not have permission')
    const forged = await t.app.inject({ method: 'POST', url: '/sign-out', headers, payload: '_csrf=forged-token' })
    expect(forged.statusCode).toBe(403)
    // Still signed in: the refused sign-out changed nothing.
    expect((await t.app.inject({ method: 'GET', url: '/', headers: { cookie } })).statusCode).toBe(200)
  })

  it('shows the GOV.UK 404 page for an unknown route', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/no/such/page' })
    expect(response.statusCode).toBe(404)
    expect(response.headers['content-type']).toMatch(/text\/html/)
    expect(response.body).toContain('Page not found')
  })

  it('shows the 403 page to a signed-in account without the permission', async () => {
    const browser = new Browser(t.app)
    await browser.signIn('officer')
    const response = await browser.get('/admin/users')
    expect(response.statusCode).toBe(403)
    expect(response.body).toContain('You do not have permission')
  })

  it('answers a malformed body with a 4xx page, never a 500', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": ',
    })
    expect(response.statusCode).toBeGreaterThanOrEqual(400)
    expect(response.statusCode).toBeLessThan(500)
    // A GOV.UK page saying what went wrong, not the plain-text fallback for a page that failed to render.
    expect(response.headers['content-type']).toContain('text/html')
    expect(response.body).toContain('The request could not be understood')
    expect(response.body).toContain('govuk-heading-l')
    const huge = await t.app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `username=${'a'.repeat(2 * 1024 * 1024)}`,
    })
    expect(huge.statusCode).toBe(413)
    expect(huge.body).toContain('<h1 class="govuk-heading-l">The request was too large</h1>')
  })

  it('shows the GOV.UK 500 page for an unexpected error, with nothing of the error itself', async () => {
    const app = await buildApp({ config: testConfig(), db: t.database.db, logger: false })
    app.get('/explode', { config: { access: 'public' } }, async () => {
      throw new Error('secret detail: relation "users" password_hash')
    })
    const response = await app.inject({ method: 'GET', url: '/explode' })
    await app.close()
    expect(response.statusCode).toBe(500)
    expect(response.body).toContain('Sorry, there is a problem with the service')
    expect(response.body).not.toContain('secret detail')
    expect(response.body).not.toContain('password_hash')
    expect(response.body).not.toMatch(/at .*\.ts:\d+/)
  })

  it('refuses to start when a route does not declare who may use it', async () => {
    const app = await buildApp({ config: testConfig(), db: t.database.db, logger: false })
    expect(() => app.get('/undeclared', async () => 'hello')).toThrow(/must declare config.access/)
    await app.close()
  })

  it('reports liveness and readiness', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' })
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ok', database: 'ok' })
  })

  it('declares the access of every route', () => {
    expect(t.app.routeTable.length).toBeGreaterThan(10)
    for (const route of t.app.routeTable) expect(route.access).toBeTruthy()
  })
})
