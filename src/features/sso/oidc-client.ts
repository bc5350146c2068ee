import * as oidc from 'openid-client'
import type { SsoConfig } from './sso.config.js'

/**
 * The OpenID Connect conversation with the provider, through openid-client (a certified relying party): discovery,
 * the authorisation URL, and the code exchange with every check the protocol asks for (PKCE S256, state, nonce,
 * the ID token's signature, issuer, audience and times, the userinfo subject). Nothing here decides who may sign in.
 */

/** What the service keeps between sending someone to the provider and their coming back. */
export interface RoundTrip {
  state: string
  nonce: string
  codeVerifier: string
}

/** Why a round trip failed, as recorded in the audit ledger and explained on the page. */
export type ProviderFailure =
  'provider_unavailable' | 'provider_error' | 'bad_nonce' | 'token_refused' | 'invalid_response' | 'not_recent'

export class ProviderFailed extends Error {
  constructor(
    readonly reason: ProviderFailure,
    /** The provider's own error code (`access_denied`, `invalid_grant`, …), when it gave one. */
    readonly providerCode: string | null = null,
  ) {
    super(`single sign-on: ${reason}${providerCode ? ` (${providerCode})` : ''}`)
  }
}

export interface SignedInIdentity {
  issuer: string
  subject: string
  /** The ID token's claims with the userinfo response's beneath them (the signed token wins where both say). */
  claims: Record<string, unknown>
  /** When the person last actually authenticated at the provider (ms), when it says. */
  authenticatedAt: number | null
}

export interface OidcClient {
  /** Where to send the browser, and what to keep until it comes back. */
  start(options: { reauthenticate: boolean }): Promise<{ url: URL; roundTrip: RoundTrip }>
  /**
   * Checks the provider's answer (`query`: the callback's query string) against the round trip and exchanges the
   * code. `startedAt`: when the round trip began, so a re-authentication must have happened after it.
   */
  finish(query: string, roundTrip: RoundTrip, reauthenticate: { startedAt: Date } | null): Promise<SignedInIdentity>
}

const TIMEOUT_SECONDS = 10
/** Clocks disagree a little: the provider's auth_time may be this much before our start of the round trip. */
const SKEW_MS = 30_000

export function oidcClient(config: SsoConfig): OidcClient {
  // Discovered once and kept; a failed discovery is tried again on the next sign-in, so a provider that was down
  // at start-up does not need a restart.
  let discovered: Promise<oidc.Configuration> | null = null
  const configuration = (): Promise<oidc.Configuration> => {
    if (!discovered) {
      const attempt = oidc
        .discovery(
          config.issuerUrl,
          config.clientId,
          { client_secret: config.clientSecret },
          oidc.ClientSecretPost(config.clientSecret),
          { timeout: TIMEOUT_SECONDS, ...(config.allowHttp ? { execute: [oidc.allowInsecureRequests] } : {}) },
        )
        .then((c) => {
          c.timeout = TIMEOUT_SECONDS
          return c
        })
        .catch((error: unknown) => {
          if (discovered === attempt) discovered = null
          throw classify(error)
        })
      discovered = attempt
    }
    return discovered
  }

  return {
    async start({ reauthenticate }) {
      const c = await configuration()
      const roundTrip = {
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        codeVerifier: oidc.randomPKCECodeVerifier(),
      }
      const url = oidc.buildAuthorizationUrl(c, {
        redirect_uri: config.redirectUrl.href,
        scope: config.scopes,
        state: roundTrip.state,
        nonce: roundTrip.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(roundTrip.codeVerifier),
        code_challenge_method: 'S256',
        // Re-authentication: the person must prove who they are again now, not ride the provider's own session.
        ...(reauthenticate ? { prompt: 'login', max_age: '0' } : {}),
      })
      return { url, roundTrip }
    },

    async finish(query, roundTrip, reauthenticate) {
      const c = await configuration()
      // The registered redirect URL with the query the provider sent: the exact redirect_uri the code was issued to.
      const callbackUrl = new URL(config.redirectUrl)
      callbackUrl.search = query
      try {
        const tokens = await oidc.authorizationCodeGrant(c, callbackUrl, {
          pkceCodeVerifier: roundTrip.codeVerifier,
          expectedState: roundTrip.state,
          expectedNonce: roundTrip.nonce,
          idTokenExpected: true,
        })
        const idToken = tokens.claims()
        if (!idToken) throw new ProviderFailed('invalid_response')
        const authenticatedAt = typeof idToken.auth_time === 'number' ? idToken.auth_time * 1000 : null
        // max_age=0 was sent: the provider must say when the person authenticated, and it must be during this trip.
        if (
          reauthenticate &&
          (authenticatedAt === null || authenticatedAt < reauthenticate.startedAt.getTime() - SKEW_MS)
        )
          throw new ProviderFailed('not_recent')
        const userinfo = c.serverMetadata().userinfo_endpoint
          ? await oidc.fetchUserInfo(c, tokens.access_token, idToken.sub)
          : {}
        return {
          issuer: idToken.iss,
          subject: idToken.sub,
          claims: { ...userinfo, ...idToken },
          authenticatedAt,
        }
      } catch (error) {
        throw classify(error)
      }
    },
  }
}

/** openid-client's errors, sorted into what a person (and the audit ledger) needs to know. */
function classify(error: unknown): ProviderFailed {
  if (error instanceof ProviderFailed) return error
  if (error instanceof oidc.AuthorizationResponseError) return new ProviderFailed('provider_error', error.error)
  if (error instanceof oidc.ResponseBodyError) return new ProviderFailed('token_refused', error.error)
  if (error instanceof oidc.ClientError) {
    if (error.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM') return new ProviderFailed('provider_unavailable')
    const claim = (error.cause as { cause?: { claim?: unknown } } | undefined)?.cause?.claim
    if (claim === 'nonce') return new ProviderFailed('bad_nonce')
    return new ProviderFailed('invalid_response')
  }
  // fetch's own failures (refused, reset, DNS) and our timeout: the provider cannot be reached.
  const coded = (error as { code?: unknown }).code !== undefined
  if ((error instanceof TypeError && !coded) || (error instanceof Error && error.name === 'TimeoutError'))
    return new ProviderFailed('provider_unavailable')
  return new ProviderFailed('invalid_response')
}
