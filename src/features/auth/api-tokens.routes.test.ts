import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, testApp, type TestApp } from '../../../test/support/app.js'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

describe('API tokens page', () => {
  it('creates a token shown once, which then works on the API until revoked', async () => {
    const browser = new Browser(t.app)
    await browser.signIn('officer')
    const empty = await browser.post('/account/api-tokens', { name: '' }, '/account/api-tokens')
    expect(empty.statusCode).toBe(400)
    expect(empty.body).toContain('Enter a name for the token')

    const created = await browser.post('/account/api-tokens', { name: 'Phone app' }, '/account/api-tokens')
    expect(created.statusCode).toBe(200)
    expect(created.headers['cache-control']).toBe('no-store')
    const token = /<code class="app-token">(flt_[^<]+)<\/code>/.exec(created.body)?.[1]
    expect(token).toBeDefined()
    const listed = await browser.get('/account/api-tokens')
    expect(listed.body).toContain('Phone app')
    expect(listed.body).not.toContain(token)

    const headers = { authorization: `Bearer ${token}` }
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/reports', headers })).statusCode).toBe(200)
    const row = await t.database.db
      .selectFrom('api_tokens')
      .select('id')
      .where('name', '=', 'Phone app')
      .executeTakeFirstOrThrow()

    // Someone else cannot revoke it.
    const other = new Browser(t.app)
    await other.signIn('supervisor')
    expect((await other.post(`/account/api-tokens/${row.id}/revoke`, {}, '/account/api-tokens')).statusCode).toBe(404)
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/reports', headers })).statusCode).toBe(200)

    const revoked = await browser.post(`/account/api-tokens/${row.id}/revoke`, {}, '/account/api-tokens')
    expect(revoked.statusCode).toBe(303)
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/reports', headers })).statusCode).toBe(401)
    const audit = await t.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', row.id).execute()
    expect(audit.map((a) => a.action).sort()).toEqual(['api_token.created', 'api_token.revoked'])
  })
})
