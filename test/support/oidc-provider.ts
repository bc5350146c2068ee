import { generateKeyPairSync } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import Provider, { type KoaContextWithOIDC } from 'oidc-provider'
import type { LightMyRequestResponse } from 'fastify'
import type { Browser } from './app.js'

/**
 * A real OpenID provider (oidc-provider, the certified Node implementation) on 127.0.0.1 inside the test process,
 * for the single sign-on tests. The person who signs in is chosen by the test (`signInAs`), in place of a login
 * form; consent is given in advance, as a force's own provider does for its own applications.
 */
export interface TestProvider {
  issuer: string
  /** The environment that points ForceLedger at this provider. */
  env(overrides?: Record<string, string>): Record<string, string>
  /** People the provider knows: subject → their claims. */
  people: Map<string, Record<string, unknown>>
  /** Who signs in at the next login prompt, or `cancel` for a person who gives up (error=access_denied). */
  signInAs(subject: string | 'cancel'): void
  close(): Promise<void>
}

export const CLIENT_ID = 'forceledger'
const CLIENT_SECRET = 'test-client-secret-not-for-production'
const REDIRECT_PATH = '/sign-in/sso/callback'
/** The app under test is driven with inject(); this is only the URL registered for it (a real server's may differ). */
export const APP_ORIGIN = 'http://127.0.0.1:3000'

export async function startTestProvider(appOrigin = APP_ORIGIN): Promise<TestProvider> {
  const people = new Map<string, Record<string, unknown>>()
  let next: string | null = null
  const server = http.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [`${appOrigin}${REDIRECT_PATH}`],
        token_endpoint_auth_method: 'client_secret_post',
        // Say when the person authenticated (auth_time) in every ID token, as Keycloak and others do.
        require_auth_time: true,
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: ['test-cookie-key'] },
    // Claims ForceLedger maps, released with the openid scope; in the ID token too, as Entra ID sends roles.
    claims: { openid: ['sub', 'preferred_username', 'email', 'email_verified', 'name', 'roles', 'unit'] },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    // Short lives for the provider's own records (it warns when left to its defaults).
    ttl: { Interaction: 600, Grant: 600, Session: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    async findAccount(_ctx: KoaContextWithOIDC, sub: string) {
      const claims = people.get(sub)
      return claims ? { accountId: sub, claims: () => ({ sub, ...claims }) } : undefined
    },
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const accountId = ctx.oidc.session?.accountId
      const clientId = ctx.oidc.client?.clientId
      if (!accountId || !clientId) return undefined
      const grant = new ctx.oidc.provider.Grant({ clientId, accountId })
      grant.addOIDCScope('openid profile email')
      await grant.save()
      return grant
    },
  })
  const callback = provider.callback()
  server.on('request', (req, res) => {
    if (!req.url?.startsWith('/interaction/')) return callback(req, res)
    // The login prompt: the person the test chose signs in, now (so auth_time is now).
    const login = async () => {
      if (!next) throw new Error('test provider: signInAs() was not called')
      await provider.interactionDetails(req, res)
      const result =
        next === 'cancel'
          ? { error: 'access_denied', error_description: 'The person cancelled' }
          : { login: { accountId: next } }
      await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false })
    }
    login().catch((error: unknown) => {
      res.statusCode = 500
      res.end(String(error))
    })
  })

  return {
    issuer,
    people,
    env: (overrides = {}) => ({
      SSO_ISSUER_URL: issuer,
      SSO_CLIENT_ID: CLIENT_ID,
      SSO_CLIENT_SECRET: CLIENT_SECRET,
      SSO_REDIRECT_URL: `${appOrigin}${REDIRECT_PATH}`,
      SSO_PROVIDER_NAME: 'Test Constabulary account',
      SSO_FORCE: 'demo',
      SSO_ROLES_CLAIM: 'roles',
      SSO_ROLE_MAP: 'FL-Officers=officer,FL-Supervisors=supervisor,FL-Admins=admin,FL-PSD=psd',
      ...overrides,
    }),
    signInAs: (subject) => (next = subject),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/**
 * A browser that follows redirects through the provider (real HTTP, with the provider's cookies) and back into
 * the app (inject, with the app's cookies), stopping at the app's first answer after the callback.
 */
export class SsoBrowser {
  private readonly providerCookies = new Map<string, string>()

  constructor(readonly browser: Browser) {}

  /** Follows the provider's redirects from `url` until it sends the browser to the app's callback; returns that URL. */
  async throughProvider(url: string): Promise<string> {
    let location = url
    for (let hop = 0; hop < 10; hop++) {
      if (location.startsWith(APP_ORIGIN)) return location.slice(APP_ORIGIN.length)
      const response = await fetch(location, {
        redirect: 'manual',
        headers: { cookie: [...this.providerCookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      })
      for (const header of response.headers.getSetCookie()) {
        const [pair = ''] = header.split(';')
        const eq = pair.indexOf('=')
        this.providerCookies.set(pair.slice(0, eq), pair.slice(eq + 1))
      }
      const next = response.headers.get('location')
      if (!next) throw new Error(`provider stopped at ${location}: ${response.status} ${await response.text()}`)
      location = new URL(next, location).href
    }
    throw new Error('provider: too many redirects')
  }

  /** Starts at an app URL that sends the browser to the provider; returns the callback URL it comes back to. */
  async startAt(appUrl: string): Promise<string> {
    const started = await this.browser.get(appUrl)
    const location = String(started.headers.location ?? '')
    if (started.statusCode !== 303 || !location.startsWith('http'))
      throw new Error(`${appUrl} did not send the browser to the provider: ${started.statusCode} ${location}`)
    return this.throughProvider(location)
  }

  /** The whole round trip: start, the provider, and the app's answer to the callback. */
  async signIn(appUrl = '/sign-in/sso'): Promise<LightMyRequestResponse> {
    return this.browser.get(await this.startAt(appUrl))
  }
}
