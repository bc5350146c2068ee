import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../config.js'

const sso = {
  SSO_ISSUER_URL: 'https://login.example.police.uk/tenant/v2.0',
  SSO_CLIENT_ID: 'forceledger',
  SSO_CLIENT_SECRET: 'secret',
  SSO_REDIRECT_URL: 'https://forceledger.example.police.uk/sign-in/sso/callback',
  SSO_FORCE: 'demo',
  SSO_ROLE_MAP: 'FL-Officers=officer,FL-Admins=admin',
}
const production = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) }

describe('single sign-on settings', () => {
  it('is off with no SSO variables', () => {
    expect(loadConfig({}).sso).toBeNull()
  })

  it('reads a whole configuration, with defaults for the claims', () => {
    const config = loadConfig({ ...production, ...sso }).sso
    expect(config).toMatchObject({
      providerName: 'your force account',
      clientId: 'forceledger',
      forceCode: 'demo',
      scopes: 'openid profile email',
      matchOn: 'username',
      matchClaim: 'preferred_username',
      rolesClaim: 'roles',
      unitClaim: null,
      allowHttp: false,
    })
    expect(config?.roleMap.get('FL-Admins')).toEqual(['admin'])
    expect(loadConfig({ ...sso, SSO_MATCH_ON: 'email' }).sso?.matchClaim).toBe('email')
    expect(config?.passwordUsers).toBeNull()
    expect(loadConfig({ ...sso, SSO_PASSWORD_USERS: ' Admin,break.glass ,' }).sso?.passwordUsers).toEqual(
      new Set(['admin', 'break.glass']),
    )
  })

  it('names each missing or wrong variable, and will not start half-configured', () => {
    const { SSO_CLIENT_SECRET: _secret, SSO_ROLE_MAP: _map, ...partial } = sso
    expect(() => loadConfig(partial)).toThrow(ConfigError)
    expect(() => loadConfig(partial)).toThrow(/SSO_CLIENT_SECRET/)
    expect(() => loadConfig(partial)).toThrow(/SSO_ROLE_MAP/)
    expect(() => loadConfig({ ...sso, SSO_ROLE_MAP: 'FL=chief' })).toThrow(/SSO_ROLE_MAP: "chief" is not a role/)
    expect(() => loadConfig({ ...sso, SSO_REDIRECT_URL: 'https://x.uk/callback' })).toThrow(/SSO_REDIRECT_URL/)
    expect(() => loadConfig({ ...sso, SSO_SCOPES: 'profile email' })).toThrow(/SSO_SCOPES: must include openid/)
    // A client id without an issuer is a mistake, not SSO turned off.
    expect(() => loadConfig({ SSO_CLIENT_ID: 'x' })).toThrow(/SSO_ISSUER_URL: is required when SSO_CLIENT_ID/)
  })

  it('takes http:// only to a loopback provider, and never in production', () => {
    const local = {
      ...sso,
      SSO_ISSUER_URL: 'http://127.0.0.1:4000',
      SSO_REDIRECT_URL: 'http://127.0.0.1:3000/sign-in/sso/callback',
    }
    expect(loadConfig(local).sso?.allowHttp).toBe(true)
    expect(() => loadConfig({ ...production, ...local })).toThrow(/must be https/)
    expect(() => loadConfig({ ...sso, SSO_ISSUER_URL: 'http://login.example.police.uk' })).toThrow(/must be https/)
  })
})
