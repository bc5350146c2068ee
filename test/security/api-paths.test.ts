/**
 * The JSON API takes API tokens and nothing else, whatever spelling of its path reaches its routes: a browser's
 * session cookie must never authenticate an API call, since API routes carry no CSRF check.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { countRows } from '../support/api.js'
import { Browser, testApp, type TestApp } from '../support/app.js'
import { validSubmission } from '../support/report-fixtures.js'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t?.close())

describe('the JSON API and session cookies', () => {
  it('refuses a session cookie on any spelling of an API path, and writes nothing', async () => {
    const officer = new Browser(t.app)
    await officer.signIn('officer')
    const cookie = officer.jar.header()
    const before = await countRows(t.database.db, 'reports')
    // Percent-encoded letters are decoded by the router, so these reach the API's routes.
    for (const prefix of ['/api', '/%61pi', '/%61%70%69', '/ap%69']) {
      const list = await t.app.inject({ method: 'GET', url: `${prefix}/v1/reports`, headers: { cookie } })
      expect(list.statusCode, `GET ${prefix}`).toBe(401)
      const post = await t.app.inject({
        method: 'POST',
        url: `${prefix}/v1/reports`,
        headers: { cookie, 'content-type': 'application/json', 'idempotency-key': `cookie-${prefix.length}-test` },
        payload: JSON.stringify(validSubmission({}, new Date())),
      })
      expect(post.statusCode, `POST ${prefix}`).toBe(401)
    }
    expect(await countRows(t.database.db, 'reports')).toBe(before)
  })
})
