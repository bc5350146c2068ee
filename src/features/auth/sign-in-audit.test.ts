import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, testApp, type TestApp } from '../../../test/support/app.js'
import { DEMO_PASSWORD } from '../../db/seed/seed-demo.js'

/**
 * Every sign-in, failure and sign-out is in the audit ledger, and a disabled account cannot be told apart from a
 * wrong password (auth.service.ts). The lock-out and the unknown user are in auth.routes.test.ts.
 */

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

async function actionsFor(username: string): Promise<string[]> {
  const rows = await t.database.db
    .selectFrom('audit_log')
    .select('action')
    .where('action', 'like', 'session.%')
    // A failure names the username typed; a sign-out names the account that signed out.
    .where((eb) => eb.or([eb(eb.ref('details', '->>').key('username'), '=', username), eb('actor', '=', username)]))
    .orderBy('id')
    .execute()
  return rows.map((r) => r.action)
}

describe('sign-in in the audit ledger', () => {
  it('records a failure, a sign-in and a sign-out, in that order', async () => {
    const browser = new Browser(t.app)
    const wrong = await browser.post('/sign-in', { username: 'psd', password: 'not-the-password' }, '/sign-in')
    expect(wrong.statusCode).toBe(401)
    await browser.signIn('psd')
    expect((await browser.post('/sign-out', {}, '/')).statusCode).toBe(303)
    expect(await actionsFor('psd')).toEqual(['session.sign_in_failed', 'session.signed_in', 'session.signed_out'])
  })

  it('answers a disabled account’s right password as a wrong one, and records the failure', async () => {
    await t.database.db
      .updateTable('users')
      .set({ disabled_at: new Date() })
      .where('username', '=', 'analyst')
      .execute()
    const analyst = new Browser(t.app)
    const disabled = await analyst.post('/sign-in', { username: 'analyst', password: DEMO_PASSWORD }, '/sign-in')
    const wrong = await new Browser(t.app).post(
      '/sign-in',
      { username: 'admin', password: 'wrong-password' },
      '/sign-in',
    )
    expect(disabled.statusCode).toBe(401)
    expect(wrong.statusCode).toBe(401)
    for (const page of [disabled.body, wrong.body]) expect(page).toContain('Enter a correct username and password')
    expect((await analyst.get('/')).headers.location).toMatch(/^\/sign-in/)
    expect(await actionsFor('analyst')).toEqual(['session.sign_in_failed'])
  })
})
