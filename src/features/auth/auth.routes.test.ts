import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, testApp, type TestApp } from '../../../test/support/app.js'

let t: TestApp
let now = new Date()
beforeAll(async () => {
  t = await testApp({ clock: () => now })
})
afterAll(() => t.close())

async function auditActions(username: string): Promise<string[]> {
  const rows = await t.database.db
    .selectFrom('audit_log')
    .select('action')
    .where('action', 'like', 'session.%')
    .where((eb) => eb(eb.ref('details', '->>').key('username'), '=', username))
    .orderBy('id')
    .execute()
  return rows.map((r) => r.action)
}

describe('signing in and out', () => {
  it('sends a signed-out visitor to sign in, then back where they were going', async () => {
    const browser = new Browser(t.app)
    const home = await browser.get('/people')
    expect(home.statusCode).toBe(302)
    expect(home.headers.location).toBe('/sign-in?returnTo=%2Fpeople')
    const signIn = await browser.post(
      '/sign-in',
      { username: 'supervisor', password: 'demo-password', returnTo: '/people' },
      '/sign-in?returnTo=%2Fpeople',
    )
    expect(signIn.statusCode).toBe(303)
    expect(signIn.headers.location).toBe('/people')
    const people = await browser.get('/people')
    expect(people.statusCode).toBe(200)
    expect(people.body).toContain('Officers and staff in your team')
  })

  it('never redirects off the site after sign-in', async () => {
    const browser = new Browser(t.app)
    const response = await browser.post(
      '/sign-in',
      { username: 'officer', password: 'demo-password', returnTo: '//evil.example' },
      '/sign-in',
    )
    expect(response.headers.location).toBe('/')
  })

  it('gives the same answer for a wrong password and an unknown user, and records both', async () => {
    const wrongPassword = await new Browser(t.app).post(
      '/sign-in',
      { username: 'analyst', password: 'not-the-password' },
      '/sign-in',
    )
    const unknownUser = await new Browser(t.app).post(
      '/sign-in',
      { username: 'nobody-at-all', password: 'not-the-password' },
      '/sign-in',
    )
    expect(wrongPassword.statusCode).toBe(401)
    expect(unknownUser.statusCode).toBe(401)
    const message = 'Enter a correct username and password'
    expect(wrongPassword.body).toContain(message)
    expect(unknownUser.body).toContain(message)
    // Beyond the echoed username and the per-request tokens, the two pages are identical.
    const normalise = (html: string, username: string) =>
      html
        .replace(`value="${username}"`, 'value="USERNAME"')
        .replace(/value="[^"]{20,}"/g, 'value="TOKEN"')
        .replace(/nonce="[^"]+"/g, 'nonce=""')
    expect(normalise(wrongPassword.body, 'analyst')).toBe(normalise(unknownUser.body, 'nobody-at-all'))
    expect(await auditActions('analyst')).toContain('session.sign_in_failed')
    expect(await auditActions('nobody-at-all')).toContain('session.sign_in_failed')
  })

  it('keeps the username and shows field errors when the form is incomplete', async () => {
    const response = await new Browser(t.app).post('/sign-in', { username: 'psd', password: '' }, '/sign-in')
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('Enter your password')
    expect(response.body).toContain('href="#password"')
    expect(response.body).toMatch(/<title>\s*Error: Sign in/)
    expect(response.body).toContain('value="psd"')
  })

  it('locks a username after five failures, whether or not it exists, and lets it in again later', async () => {
    for (const username of ['scrutiny', 'no-such-user']) {
      for (let i = 0; i < 5; i++) {
        const failed = await new Browser(t.app).post('/sign-in', { username, password: 'wrong-password' }, '/sign-in')
        expect(failed.statusCode).toBe(401)
      }
      const locked = await new Browser(t.app).post('/sign-in', { username, password: 'demo-password' }, '/sign-in')
      expect(locked.statusCode).toBe(429)
      expect(locked.body).toContain('too many attempts')
    }
    now = new Date(now.getTime() + 16 * 60_000)
    const later = await new Browser(t.app).post(
      '/sign-in',
      { username: 'scrutiny', password: 'demo-password' },
      '/sign-in',
    )
    expect(later.statusCode).toBe(303)
    expect(await auditActions('scrutiny')).toEqual(
      expect.arrayContaining(['session.sign_in_throttled', 'session.signed_in']),
    )
  })

  it('issues a new session id at sign-in and ends the session at sign-out', async () => {
    const browser = new Browser(t.app)
    await browser.signIn('taser-lead')
    const cookie = browser.jar.header()
    expect(cookie).toMatch(/forceledger-session=/)
    const signedOut = await browser.post('/sign-out', {}, '/')
    expect(signedOut.statusCode).toBe(303)
    expect(signedOut.headers.location).toBe('/signed-out')
    // The old cookie is worthless now, even if someone kept a copy.
    const replay = await t.app.inject({ method: 'GET', url: '/', headers: { cookie } })
    expect(replay.statusCode).toBe(302)
  })

  it('sets HttpOnly and SameSite on the session cookie', async () => {
    const browser = new Browser(t.app)
    const response = await browser.signIn('psd')
    const setCookie = [response.headers['set-cookie']].flat().find((c) => c?.startsWith('forceledger-session='))
    expect(setCookie).toMatch(/HttpOnly/)
    expect(setCookie).toMatch(/SameSite=Lax/)
  })

  it('ends a session after the idle timeout, and after the absolute limit however busy', async () => {
    const browser = new Browser(t.app)
    await browser.signIn('analyst')
    now = new Date(now.getTime() + 29 * 60_000)
    expect((await browser.get('/')).statusCode).toBe(200)
    now = new Date(now.getTime() + 31 * 60_000)
    expect((await browser.get('/')).statusCode).toBe(302)

    await browser.signIn('analyst')
    // Active every 20 minutes for 12 hours: still ended at the absolute limit.
    for (let minutes = 20; minutes < 12 * 60; minutes += 20) {
      now = new Date(now.getTime() + 20 * 60_000)
      expect((await browser.get('/')).statusCode).toBe(200)
    }
    now = new Date(now.getTime() + 20 * 60_000)
    expect((await browser.get('/')).statusCode).toBe(302)
  })
})
