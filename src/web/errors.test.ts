import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiClientFor } from '../../test/support/api.js'
import { testApp, type TestApp } from '../../test/support/app.js'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t?.close())

const browserAccept = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'
const isJson = (contentType: unknown) => String(contentType).startsWith('application/json')

describe('error responses', () => {
  it('answers the API in JSON by the route it matched, however its path is spelt', async () => {
    const api = await apiClientFor(t.app, t.database.db, 'officer')
    // A body that is not JSON: Fastify refuses it before the handler, so the error handler answers.
    for (const prefix of ['/api', '/%61pi']) {
      const response = await api.post(`${prefix}/v1/reports`, undefined, { 'idempotency-key': `errors-${prefix}` })
      expect(response.statusCode, prefix).toBe(400)
      expect(isJson(response.headers['content-type']), prefix).toBe(true)
      const message = 'The request could not be understood'
      expect(response.json()).toEqual({ error: message, errors: [{ path: '', message }] })
    }
  })

  it('shows a page for an unknown address, unless the client asks for JSON only or was after the API', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/no-such-page', headers: { accept: browserAccept } })
    expect(page.statusCode).toBe(404)
    expect(page.headers['content-type']).toMatch(/^text\/html/)
    expect(page.body).toContain('Page not found')

    const program = await t.app.inject({ method: 'GET', url: '/no-such-page', headers: { accept: 'application/json' } })
    expect(program.statusCode).toBe(404)
    expect(program.json()).toEqual({ error: 'Page not found', errors: [{ path: '', message: 'Page not found' }] })

    const api = await t.app.inject({ method: 'GET', url: '/api/v1/no-such-thing?x=1', headers: { accept: '*/*' } })
    expect(api.statusCode).toBe(404)
    expect(isJson(api.headers['content-type'])).toBe(true)
  })
})
