import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../app.js'
import { systemClock } from '../../clock.js'
import { Browser, testApp, testConfig, type TestApp } from '../../../test/support/app.js'
import { SsoBrowser, startTestProvider, type TestProvider } from '../../../test/support/oidc-provider.js'
import { systemActor } from '../audit/ledger.js'
import { setUserDisabled } from '../admin/admin.service.js'
import { findAccountByUsername } from '../auth/users.repository.js'
import { RECENT_PASSWORD_MINUTES } from '../auth/policy.js'
import { DEMO_PASSWORD } from '../../db/seed/seed-demo.js'

/**
 * Single sign-on end to end: the app (inject) and a real OpenID provider on 127.0.0.1 in this process, on the
 * demo database. Each test signs in as its own provider identity, so links made by one do not meet another's.
 */
let t: TestApp
let idp: TestProvider

beforeAll(async () => {
  idp = await startTestProvider()
  t = await testApp({ env: idp.env() })
})

afterAll(async () => {
  await t?.close()
  await idp?.close()
})

const db = () => t.database.db

/** A provider identity for a demo username, with role or group values. */
function person(subject: string, claims: Record<string, unknown>) {
  idp.people.set(subject, { email_verified: true, ...claims })
  idp.signInAs(subject)
}

async function auditOf(action: string, subject?: string) {
  return db()
    .selectFrom('audit_log')
    .select(['action', 'actor', 'details', 'force_id'])
    .where('action', '=', action)
    .where((eb) => (subject ? eb(sql`details->>'subject'`, '=', subject) : eb.val(true)))
    .orderBy('id')
    .execute()
}

async function refusals(reason: string) {
  return (
    await db()
      .selectFrom('audit_log')
      .select('id')
      .where('action', 'in', ['session.sign_in_failed', 'session.sso_reauthentication_failed'])
      .where(sql`details->>'method'`, '=', 'sso')
      .where(sql`details->>'reason'`, '=', reason)
      .execute()
  ).length
}

const rolesOf = async (username: string) => (await findAccountByUsername(db(), username))?.roles

describe('single sign-on', () => {
  it('shows the button on the sign-in page, and signs in through the provider with the mapped role', async () => {
    const page = await new Browser(t.app).get('/sign-in?returnTo=%2Freports')
    expect(page.body).toContain('Sign in with Test Constabulary account')
    expect(page.body).toContain('href="/sign-in/sso?returnTo=%2Freports"')

    person('sub-officer', { preferred_username: 'OFFICER', roles: ['FL-Officers', 'Some-Other-Group'] })
    const browser = new Browser(t.app)
    const started = await browser.get('/sign-in/sso?returnTo=%2Freports')
    expect(started.statusCode).toBe(303)
    const authorise = new URL(String(started.headers.location))
    expect(authorise.origin).toBe(idp.issuer)
    expect(authorise.searchParams.get('code_challenge_method')).toBe('S256')
    expect(authorise.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/)
    expect(authorise.searchParams.get('state')).toMatch(/^[\w-]{20,}$/)
    expect(authorise.searchParams.get('nonce')).toMatch(/^[\w-]{20,}$/)
    expect(authorise.searchParams.get('prompt')).toBeNull()

    const sso = new SsoBrowser(browser)
    const callback = await sso.throughProvider(authorise.href)
    expect(callback).toMatch(/^\/sign-in\/sso\/callback\?code=/)
    const done = await browser.get(callback)
    expect(done.statusCode, done.body).toBe(303)
    expect(done.headers.location).toBe('/reports')
    const home = await browser.get('/')
    expect(home.statusCode).toBe(200)
    expect(home.body).toContain('Sign out')
    expect(await rolesOf('officer')).toEqual(['officer'])

    const officer = await findAccountByUsername(db(), 'officer')
    const link = await db().selectFrom('sso_identities').selectAll().where('subject', '=', 'sub-officer').execute()
    expect(link).toMatchObject([{ issuer: idp.issuer, user_id: officer?.id }])
    const signedIn = await auditOf('session.signed_in', 'sub-officer')
    expect(signedIn).toHaveLength(1)
    expect(signedIn[0]).toMatchObject({ actor: 'officer', force_id: officer?.forceId })
    expect(signedIn[0]?.details).toMatchObject({ method: 'sso', username: 'officer', issuer: idp.issuer })
    expect(await auditOf('sso.identity_linked', 'sub-officer')).toHaveLength(1)
    // The round trip is used up.
    expect(await db().selectFrom('sso_sign_in_requests').select('state').execute()).toEqual([])
  })

  it('refuses a callback whose state was changed, a replayed callback, and one from another browser', async () => {
    person('sub-state', { preferred_username: 'analyst', roles: ['FL-PSD'] })
    const browser = new Browser(t.app)
    const sso = new SsoBrowser(browser)
    const callback = await sso.startAt('/sign-in/sso')
    // One character changed (to another character: a random state may begin with either).
    const tampered = callback.replace(/state=(.)/, (_, first: string) => `state=${first === 'x' ? 'y' : 'x'}`)
    const badState = await refusals('bad_state')
    const refused = await browser.get(tampered)
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain('did not match this sign-in')
    expect(await refusals('bad_state')).toBe(badState + 1)
    // The real callback after that: the round trip was used up by the tampered one.
    const expired = await refusals('expired')
    expect((await browser.get(callback)).statusCode).toBe(400)
    expect(await refusals('expired')).toBe(expired + 1)

    // A good callback works once; the same URL again is refused and signs nobody in.
    idp.signInAs('sub-state')
    const good = await sso.startAt('/sign-in/sso')
    expect((await browser.get(good)).statusCode).toBe(303)
    const stranger = new Browser(t.app)
    const replayed = await stranger.get(good)
    expect(replayed.statusCode).toBe(400)
    expect(replayed.body).toContain('Your sign-in has expired')
    expect((await stranger.get('/')).headers.location).toMatch(/^\/sign-in/)
    expect(await refusals('expired')).toBe(expired + 2)

    // A callback carried to another browser (login CSRF: someone else's code in your browser) is refused.
    idp.signInAs('sub-state')
    const theirs = await new SsoBrowser(new Browser(t.app)).startAt('/sign-in/sso')
    const victim = new Browser(t.app)
    expect((await victim.get(theirs)).statusCode).toBe(400)
    expect((await victim.get('/')).headers.location).toMatch(/^\/sign-in/)
  })

  it('refuses when the nonce or the PKCE verifier kept for the round trip does not match', async () => {
    person('sub-pkce', { preferred_username: 'psd', roles: ['FL-PSD'] })
    const browser = new Browser(t.app)
    const sso = new SsoBrowser(browser)

    let callback = await sso.startAt('/sign-in/sso')
    await db().updateTable('sso_sign_in_requests').set({ nonce: 'not-the-nonce-that-was-sent' }).execute()
    const badNonce = await refusals('bad_nonce')
    expect((await browser.get(callback)).statusCode).toBe(400)
    expect(await refusals('bad_nonce')).toBe(badNonce + 1)

    idp.signInAs('sub-pkce')
    callback = await sso.startAt('/sign-in/sso')
    await db()
      .updateTable('sso_sign_in_requests')
      .set({ code_verifier: 'x'.repeat(64) })
      .execute()
    const refusedByProvider = await refusals('token_refused')
    const refused = await browser.get(callback)
    expect(refused.statusCode).toBe(400)
    expect(await refusals('token_refused')).toBe(refusedByProvider + 1)
    const entry = (await auditOf('session.sign_in_failed')).at(-1)
    expect(entry?.details).toMatchObject({ method: 'sso', reason: 'token_refused', providerCode: 'invalid_grant' })
    expect((await browser.get('/')).headers.location).toMatch(/^\/sign-in/)
    expect(await auditOf('session.signed_in', 'sub-pkce')).toEqual([])
  })

  it('refuses someone with no account, with a page that says so', async () => {
    person('sub-nobody', { preferred_username: 'no.such.person', roles: ['FL-Officers'] })
    const before = await refusals('no_account')
    const browser = new Browser(t.app)
    const refused = await new SsoBrowser(browser).signIn()
    expect(refused.statusCode).toBe(403)
    expect(refused.body).toContain('You do not have a ForceLedger account')
    expect(await refusals('no_account')).toBe(before + 1)
    expect((await auditOf('session.sign_in_failed', 'sub-nobody'))[0]?.details).toMatchObject({
      claimed: 'no.such.person',
    })
    expect(await db().selectFrom('users').select('id').where('username', '=', 'no.such.person').execute()).toEqual([])
  })

  it('refuses someone whose claims give no ForceLedger role, and leaves their roles alone', async () => {
    person('sub-norole', { preferred_username: 'taser-lead', roles: ['Domain Users', 'fl-officers'] })
    const before = await refusals('no_role')
    const refused = await new SsoBrowser(new Browser(t.app)).signIn()
    expect(refused.statusCode).toBe(403)
    expect(refused.body).toContain('does not give you a role in ForceLedger')
    expect(await refusals('no_role')).toBe(before + 1)
    expect(await rolesOf('taser-lead')).toEqual(['taser_lead'])

    person('sub-noclaim', { preferred_username: 'authorising-officer' })
    expect((await new SsoBrowser(new Browser(t.app)).signIn()).statusCode).toBe(403)
    expect(await refusals('no_role')).toBe(before + 2)
  })

  it('makes the roles what the claims say on every sign-in, and records the change', async () => {
    person('sub-roles', { preferred_username: 'scrutiny', roles: ['FL-Supervisors', 'FL-Officers'] })
    const browser = new Browser(t.app)
    expect((await new SsoBrowser(browser).signIn()).statusCode).toBe(303)
    expect(await rolesOf('scrutiny')).toEqual(['officer', 'supervisor'])
    const change = await db()
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'user.updated_from_sso')
      .where('actor', '=', 'scrutiny')
      .execute()
    expect(change.map((c) => c.details)).toEqual([
      { roles: { from: ['scrutiny_panel'], to: ['officer', 'supervisor'] } },
    ])
    // The link, not the username claim, decides the account from now on.
    idp.people.set('sub-roles', { preferred_username: 'admin', roles: ['FL-Officers'] })
    idp.signInAs('sub-roles')
    expect((await new SsoBrowser(new Browser(t.app)).signIn()).statusCode).toBe(303)
    expect(await rolesOf('scrutiny')).toEqual(['officer'])
    expect(await rolesOf('admin')).toEqual(['admin'])
    // Another identity claiming an already linked account's username is refused.
    person('sub-impostor', { preferred_username: 'scrutiny', roles: ['FL-Admins'] })
    const impostor = await new SsoBrowser(new Browser(t.app)).signIn()
    expect(impostor.statusCode).toBe(403)
    expect(await refusals('linked_to_another')).toBe(1)
    expect(await rolesOf('scrutiny')).toEqual(['officer'])
  })

  it('refuses a disabled account, and disabling ends an SSO session at once', async () => {
    person('sub-disabled', { preferred_username: 'supervisor', roles: ['FL-Supervisors'] })
    const browser = new Browser(t.app)
    expect((await new SsoBrowser(browser).signIn()).statusCode).toBe(303)
    expect((await browser.get('/')).statusCode).toBe(200)
    const supervisor = await findAccountByUsername(db(), 'supervisor')
    const deps = { db: db(), clock: systemClock }
    await setUserDisabled(deps, systemActor, supervisor!.forceId, supervisor!.id, true)
    expect((await browser.get('/')).headers.location).toMatch(/^\/sign-in/)

    idp.signInAs('sub-disabled')
    const refused = await new SsoBrowser(new Browser(t.app)).signIn()
    expect(refused.statusCode).toBe(403)
    expect(refused.body).toContain('Your account is disabled')
    expect(await refusals('disabled')).toBe(1)
    await setUserDisabled(deps, systemActor, supervisor!.forceId, supervisor!.id, false)
  })

  it('explains a cancelled sign-in (an error from the provider), and records it', async () => {
    idp.signInAs('cancel')
    const browser = new Browser(t.app)
    const callback = await new SsoBrowser(browser).startAt('/sign-in/sso')
    expect(callback).toContain('error=access_denied')
    const refused = await browser.get(callback)
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain('Test Constabulary account did not sign you in')
    const entry = (await auditOf('session.sign_in_failed')).at(-1)
    expect(entry?.details).toMatchObject({ method: 'sso', reason: 'provider_error', providerCode: 'access_denied' })
  })

  it('shows a clear page, not an error, when the provider cannot be reached', async () => {
    // Discovery fails: nothing listens where the issuer should be.
    const closed = await startTestProvider()
    await closed.close()
    const down = await buildApp({
      config: testConfig(closed.env()),
      db: db(),
      clock: systemClock,
      logger: false,
    })
    try {
      const before = await refusals('provider_unavailable')
      const refused = await new Browser(down).get('/sign-in/sso')
      expect(refused.statusCode).toBe(503)
      expect(refused.body).toContain('Sign-in is not available at the moment')
      expect(await refusals('provider_unavailable')).toBe(before + 1)
    } finally {
      await down.close()
    }

    // The provider goes down between sending the person back and the code exchange.
    const flaky = await startTestProvider()
    const app = await buildApp({ config: testConfig(flaky.env()), db: db(), clock: systemClock, logger: false })
    try {
      flaky.people.set('sub-flaky', { preferred_username: 'officer', roles: ['FL-Officers'] })
      flaky.signInAs('sub-flaky')
      const browser = new Browser(app)
      const callback = await new SsoBrowser(browser).startAt('/sign-in/sso')
      await flaky.close()
      const refused = await browser.get(callback)
      expect(refused.statusCode).toBe(503)
      expect(refused.body).toContain('cannot be reached')
    } finally {
      await app.close()
    }
  })

  it('sends an SSO session back to the provider (prompt=login) to confirm it is them before admin actions', async () => {
    person('sub-admin', { preferred_username: 'admin', roles: ['FL-Admins'] })
    const browser = new Browser(t.app)
    const sso = new SsoBrowser(browser)
    expect((await sso.signIn()).statusCode).toBe(303)
    // The provider authenticated them just now: administrative pages open.
    expect((await browser.get('/admin/users')).statusCode).toBe(200)

    // Later: the last authentication is older than the limit.
    const stale = Date.now() - (RECENT_PASSWORD_MINUTES + 1) * 60_000
    await sql`update sessions set data = jsonb_set(data, '{passwordGivenAt}', to_jsonb(${stale}::bigint))`.execute(db())
    const asked = await browser.get('/admin/users')
    expect(asked.headers.location).toBe('/confirm-password?returnTo=%2Fadmin%2Fusers')
    const confirm = await browser.get(String(asked.headers.location))
    expect(confirm.headers.location).toBe('/sign-in/sso/confirm?returnTo=%2Fadmin%2Fusers')
    const page = await browser.get(String(confirm.headers.location))
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Sign in again with Test Constabulary account')
    // The account's local password does not confirm an SSO session either: it goes to the provider.
    const byPassword = await browser.post(
      '/confirm-password',
      { password: DEMO_PASSWORD, returnTo: '/admin/users' },
      '/account',
    )
    expect(byPassword.headers.location).toBe('/sign-in/sso/confirm?returnTo=%2Fadmin%2Fusers')
    expect((await browser.get('/admin/users')).statusCode).toBe(303)

    // Someone else at the provider cannot confirm for them.
    person('sub-other-admin', { preferred_username: 'psd', roles: ['FL-PSD'] })
    const elsewhere = new SsoBrowser(browser) // the same app session, someone else's session at the provider
    expect(page.body).toContain('href="/sign-in/sso/reauthenticate?returnTo=%2Fadmin%2Fusers"')
    const wrongCallback = await elsewhere.startAt('/sign-in/sso/reauthenticate?returnTo=%2Fadmin%2Fusers')
    const wrong = await browser.get(wrongCallback)
    expect(wrong.statusCode).toBe(403)
    expect(await refusals('different_account')).toBe(1)
    expect((await browser.get('/admin/users')).statusCode).toBe(303)

    idp.signInAs('sub-admin')
    const started = await browser.get('/sign-in/sso/reauthenticate?returnTo=%2Fadmin%2Fusers')
    const authorise = new URL(String(started.headers.location))
    expect(authorise.searchParams.get('prompt')).toBe('login')
    expect(authorise.searchParams.get('max_age')).toBe('0')
    const back = await browser.get(await sso.throughProvider(authorise.href))
    expect(back.statusCode).toBe(303)
    expect(back.headers.location).toBe('/admin/users')
    expect((await browser.get('/admin/users')).statusCode).toBe(200)
    expect(await auditOf('session.sso_reauthenticated', 'sub-admin')).toHaveLength(1)
  })

  it('refuses a re-authentication whose auth_time is older than the round trip (the provider did not ask again)', async () => {
    idp.signInAs('sub-admin')
    const browser = new Browser(t.app)
    const sso = new SsoBrowser(browser)
    expect((await sso.signIn()).statusCode).toBe(303)
    const started = await browser.get('/sign-in/sso/reauthenticate?returnTo=%2Fadmin%2Fusers')
    // As if the round trip had begun five minutes after the provider last checked the person.
    await sql`update sso_sign_in_requests set created_at = created_at + interval '5 minutes'`.execute(db())
    const refused = await browser.get(await sso.throughProvider(String(started.headers.location)))
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain('did not ask for your password again')
    expect(await refusals('not_recent')).toBe(1)
  })

  it('keeps password sign-in beside it, and a password session confirms with its password', async () => {
    const browser = new Browser(t.app)
    await browser.signIn('analyst')
    expect((await browser.get('/sign-in/sso/confirm?returnTo=%2Fadmin')).headers.location).toBe(
      '/confirm-password?returnTo=%2Fadmin',
    )
    expect((await browser.get('/sign-in/sso/reauthenticate?returnTo=%2Fadmin')).headers.location).toBe(
      '/confirm-password?returnTo=%2Fadmin',
    )
    // Signed out, the confirmation page asks for sign-in first.
    expect((await new Browser(t.app).get('/sign-in/sso/confirm')).headers.location).toMatch(/^\/sign-in\?returnTo=/)
  })

  it('lets only the listed break-glass accounts sign in with a password when SSO_PASSWORD_USERS is set', async () => {
    const app = await buildApp({
      config: testConfig(idp.env({ SSO_PASSWORD_USERS: 'Admin, nobody-else' })),
      db: db(),
      clock: systemClock,
      logger: false,
    })
    try {
      const passwordRefusals = async () =>
        (
          await db()
            .selectFrom('audit_log')
            .select('id')
            .where('action', '=', 'session.sign_in_failed')
            .where(sql`details->>'reason'`, '=', 'single_sign_on_only')
            .execute()
        ).length
      const before = await passwordRefusals()
      const officer = new Browser(app)
      const refused = await officer.post('/sign-in', { username: 'analyst', password: DEMO_PASSWORD }, '/sign-in')
      expect(await passwordRefusals()).toBe(before + 1)
      expect(refused.statusCode).toBe(401)
      expect(refused.body).toContain('This account signs in with Test Constabulary account, not a password')
      expect(refused.body).toContain('govuk-error-summary')
      expect((await officer.get('/')).headers.location).toMatch(/^\/sign-in/)
      const entry = (await auditOf('session.sign_in_failed')).at(-1)
      expect(entry?.details).toMatchObject({ username: 'analyst', reason: 'single_sign_on_only' })
      // The same answer whether the password was right, wrong or the account does not exist.
      const unknown = await officer.post('/sign-in', { username: 'no.one', password: 'x' }, '/sign-in')
      expect(unknown.body).toContain('not a password')
      expect(await passwordRefusals()).toBe(before + 2)

      const admin = new Browser(app)
      expect((await admin.signIn('admin')).statusCode).toBe(303)
      expect((await admin.get('/')).statusCode).toBe(200)
    } finally {
      await app.close()
    }
  })

  it('takes the unit from the claims when configured, and refuses a unit it does not know', async () => {
    const app = await buildApp({
      config: testConfig(idp.env({ SSO_UNIT_CLAIM: 'unit' })),
      db: db(),
      clock: systemClock,
      logger: false,
    })
    try {
      const team = await db()
        .selectFrom('org_units')
        .select(['id', 'code'])
        .where('kind', '=', 'team')
        .orderBy('code', 'desc')
        .executeTakeFirstOrThrow()
      person('sub-unit', { preferred_username: 'authorising-officer', roles: ['FL-Supervisors'], unit: team.code })
      expect((await new SsoBrowser(new Browser(app)).signIn()).statusCode).toBe(303)
      const account = await findAccountByUsername(db(), 'authorising-officer')
      expect(account?.unitId).toBe(team.id)
      expect(account?.roles).toEqual(['supervisor'])

      person('sub-unit', { preferred_username: 'authorising-officer', roles: ['FL-Supervisors'], unit: 'NO-SUCH' })
      const refused = await new SsoBrowser(new Browser(app)).signIn()
      expect(refused.statusCode).toBe(403)
      expect(refused.body).toContain('did not give a unit that ForceLedger knows')
      expect((await findAccountByUsername(db(), 'authorising-officer'))?.unitId).toBe(team.id)
    } finally {
      await app.close()
    }
  })

  it('starts a new session on sign-in, so a session id planted beforehand is worthless', async () => {
    person('sub-fixation', { preferred_username: 'taser-lead', roles: ['FL-Officers'] })
    const browser = new Browser(t.app)
    browser.jar.store('forceledger-session=planted-by-someone-else; Path=/')
    const done = await new SsoBrowser(browser).signIn()
    expect(done.statusCode).toBe(303)
    expect(browser.jar.header()).not.toContain('planted-by-someone-else')
    expect((await browser.get('/')).statusCode).toBe(200)
  })
})

describe('single sign-on switched off', () => {
  it('answers 404 on every SSO route and shows no button', async () => {
    const app = await buildApp({ config: testConfig(), db: db(), clock: systemClock, logger: false })
    try {
      const browser = new Browser(app)
      expect((await browser.get('/sign-in')).body).not.toContain('Sign in with')
      for (const url of ['/sign-in/sso', '/sign-in/sso/callback?code=x&state=y'])
        expect((await browser.get(url)).statusCode).toBe(404)
      await browser.signIn('officer')
      expect((await browser.get('/sign-in/sso/confirm')).statusCode).toBe(404)
      expect((await browser.get('/sign-in/sso/reauthenticate')).statusCode).toBe(404)
    } finally {
      await app.close()
    }
  })
})
