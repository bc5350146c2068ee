import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, testApp, type TestApp } from '../../../test/support/app.js'
import { DEMO_PASSWORD } from '../../db/seed/seed-demo.js'
import { RECENT_PASSWORD_MINUTES } from './policy.js'

let t: TestApp
let now = new Date('2026-11-22T09:00:00Z')
const later = (minutes: number) => (now = new Date(now.getTime() + minutes * 60_000))

beforeAll(async () => {
  t = await testApp({ clock: () => now })
})

afterAll(async () => {
  await t.close()
})

const audited = async (action: string) =>
  (await t.database.db.selectFrom('audit_log').select('id').where('action', '=', action).execute()).length

describe('confirming the password before administrative actions', () => {
  it('asks an administrator whose password is older than the limit, and carries on after a correct one', async () => {
    const admin = new Browser(t.app)
    await admin.signIn('admin')
    expect((await admin.get('/admin/users')).statusCode).toBe(200)

    later(RECENT_PASSWORD_MINUTES + 1)
    const asked = await admin.get('/admin/users?q=smith')
    expect(asked.statusCode).toBe(303)
    expect(asked.headers.location).toBe('/confirm-password?returnTo=%2Fadmin%2Fusers%3Fq%3Dsmith')
    // Not administrative: no question.
    expect((await admin.get('/audit')).statusCode).toBe(200)

    // A form sent meanwhile changes nothing until the password is confirmed.
    const users = (await t.database.db.selectFrom('users').select('id').execute()).length
    const sent = await admin.post('/admin/users', { username: 'new.person' }, '/account')
    expect(sent.statusCode).toBe(303)
    expect(sent.headers.location).toMatch(/^\/confirm-password\?returnTo=/)
    expect((await t.database.db.selectFrom('users').select('id').execute()).length).toBe(users)

    const failures = await audited('session.password_confirmation_failed')
    const wrong = await admin.post(
      '/confirm-password',
      { password: 'not-the-password', returnTo: '/admin/users?q=smith' },
      '/confirm-password?returnTo=%2Fadmin%2Fusers',
    )
    expect(wrong.statusCode).toBe(400)
    expect(wrong.body).toContain('Enter your correct password')
    expect(wrong.body).toContain('govuk-error-summary')
    expect(await audited('session.password_confirmation_failed')).toBe(failures + 1)
    expect((await admin.get('/admin/users')).statusCode).toBe(303)

    const confirmed = await audited('session.password_confirmed')
    const right = await admin.post(
      '/confirm-password',
      { password: DEMO_PASSWORD, returnTo: '/admin/users?q=smith' },
      '/confirm-password?returnTo=%2Fadmin%2Fusers',
    )
    expect(right.statusCode).toBe(303)
    expect(right.headers.location).toBe('/admin/users?q=smith')
    expect(await audited('session.password_confirmed')).toBe(confirmed + 1)
    expect((await admin.get('/admin/users')).statusCode).toBe(200)

    // Good for the limit again, then asked again.
    later(RECENT_PASSWORD_MINUTES - 1)
    expect((await admin.get('/admin/users')).statusCode).toBe(200)
    later(2)
    expect((await admin.get('/admin/users')).statusCode).toBe(303)
  })

  it('never sends anyone elsewhere than a page of this service afterwards', async () => {
    const admin = new Browser(t.app)
    await admin.signIn('admin')
    const response = await admin.post(
      '/confirm-password',
      { password: DEMO_PASSWORD, returnTo: 'https://evil.example/' },
      '/confirm-password',
    )
    expect(response.statusCode).toBe(303)
    expect(response.headers.location).toBe('/')
  })
})
