import { z } from 'zod'
import { roleValues, type Role } from '../../domain/roles.js'

/**
 * Single sign-on settings (docs/sso.md). SSO is on exactly when SSO_ISSUER_URL is set; then the client, the
 * redirect URL, the force and the role mapping are required, so a half-configured provider stops start-up rather
 * than letting people in with no roles or the wrong ones.
 */
export interface SsoConfig {
  /** Shown on the button: "Sign in with <providerName>". */
  providerName: string
  issuerUrl: URL
  clientId: string
  clientSecret: string
  /** The callback registered with the provider: …/sign-in/sso/callback on this service. */
  redirectUrl: URL
  scopes: string
  /** The code of the one force whose accounts this provider signs in. */
  forceCode: string
  /** How an identity seen for the first time meets an account: its username, or its email address. */
  matchOn: 'username' | 'email'
  /** The claim compared with the account's username or email. */
  matchClaim: string
  /** The claim holding role or group values (a dotted path reaches into objects, e.g. realm_access.roles). */
  rolesClaim: string
  /** Claim value → the ForceLedger roles it grants. Values not listed grant nothing. */
  roleMap: ReadonlyMap<string, readonly Role[]>
  /** The claim holding the code of the person's unit, when the provider carries one. */
  unitClaim: string | null
  /**
   * The usernames (lower case) that may still sign in with a password while SSO is on, e.g. the administrator's
   * break-glass account; null: every account with a password may, as without SSO.
   */
  passwordUsers: ReadonlySet<string> | null
  /** http:// to a loopback provider, outside production only (the tests' provider). */
  allowHttp: boolean
}

const loopback = new Set(['127.0.0.1', 'localhost', '[::1]'])

const url = z.string().refine((value) => URL.canParse(value), 'must be an absolute URL')

const schema = z.object({
  SSO_ISSUER_URL: url,
  SSO_CLIENT_ID: z.string().min(1, 'is required when SSO_ISSUER_URL is set'),
  SSO_CLIENT_SECRET: z.string().min(1, 'is required when SSO_ISSUER_URL is set'),
  SSO_REDIRECT_URL: url.refine(
    (value) => URL.canParse(value) && new URL(value).pathname === '/sign-in/sso/callback',
    'must end in /sign-in/sso/callback',
  ),
  SSO_PROVIDER_NAME: z.string().trim().min(1).max(60).default('your force account'),
  SSO_SCOPES: z
    .string()
    .regex(/(^|\s)openid(\s|$)/, 'must include openid')
    .default('openid profile email'),
  SSO_FORCE: z.string().min(1, 'is required when SSO_ISSUER_URL is set: the code of the force it signs in to'),
  SSO_MATCH_ON: z.enum(['username', 'email']).default('username'),
  SSO_MATCH_CLAIM: z.string().min(1).optional(),
  SSO_ROLES_CLAIM: z.string().min(1).default('roles'),
  SSO_ROLE_MAP: z.string().min(1, 'is required when SSO_ISSUER_URL is set, e.g. "FL-Officers=officer"'),
  SSO_UNIT_CLAIM: z.string().min(1).optional(),
  SSO_PASSWORD_USERS: z.string().optional(),
})

type Parsed = { ok: true; value: SsoConfig | null } | { ok: false; issues: string[] }

/**
 * `SSO_ROLE_MAP`: comma-separated `claim value=role` pairs; a value listed twice grants both roles. Spaces around
 * the separators are ignored; a claim value may itself contain spaces but not `,` or `=`.
 */
export function parseRoleMap(text: string): { ok: true; map: Map<string, Role[]> } | { ok: false; problem: string } {
  const map = new Map<string, Role[]>()
  for (const pair of text.split(',')) {
    if (pair.trim() === '') continue
    const [value, role, extra] = pair.split('=').map((part) => part.trim())
    if (!value || !role || extra !== undefined) return { ok: false, problem: `"${pair.trim()}" is not value=role` }
    if (!(roleValues as string[]).includes(role))
      return { ok: false, problem: `"${role}" is not a role (one of ${roleValues.join(', ')})` }
    map.set(value, [...new Set([...(map.get(value) ?? []), role as Role])])
  }
  return map.size > 0 ? { ok: true, map } : { ok: false, problem: 'maps no claim value to a role' }
}

export function parseSsoConfig(env: Record<string, string | undefined>, production: boolean): Parsed {
  if (!env.SSO_ISSUER_URL) {
    const stray = Object.keys(env).filter((name) => name.startsWith('SSO_') && env[name])
    // A client id with no issuer is a typo'd issuer variable, not a wish to turn SSO off.
    return stray.length === 0
      ? { ok: true, value: null }
      : { ok: false, issues: [`SSO_ISSUER_URL: is required when ${stray.join(', ')} is set`] }
  }
  const parsed = schema.safeParse(env)
  if (!parsed.success) {
    return { ok: false, issues: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) }
  }
  const e = parsed.data
  const issues: string[] = []
  const issuerUrl = new URL(e.SSO_ISSUER_URL)
  const redirectUrl = new URL(e.SSO_REDIRECT_URL)
  const insecure = [issuerUrl, redirectUrl].filter((u) => u.protocol !== 'https:')
  const allowHttp =
    insecure.length > 0 && !production && insecure.every((u) => u.protocol === 'http:' && loopback.has(u.hostname))
  if (insecure.length > 0 && !allowHttp) {
    issues.push('SSO_ISSUER_URL / SSO_REDIRECT_URL: must be https:// (http:// only to 127.0.0.1 outside production)')
  }
  const roleMap = parseRoleMap(e.SSO_ROLE_MAP)
  if (!roleMap.ok) issues.push(`SSO_ROLE_MAP: ${roleMap.problem}`)
  if (issues.length > 0 || !roleMap.ok) return { ok: false, issues }
  return {
    ok: true,
    value: {
      providerName: e.SSO_PROVIDER_NAME,
      issuerUrl,
      clientId: e.SSO_CLIENT_ID,
      clientSecret: e.SSO_CLIENT_SECRET,
      redirectUrl,
      scopes: e.SSO_SCOPES,
      forceCode: e.SSO_FORCE,
      matchOn: e.SSO_MATCH_ON,
      matchClaim: e.SSO_MATCH_CLAIM ?? (e.SSO_MATCH_ON === 'email' ? 'email' : 'preferred_username'),
      rolesClaim: e.SSO_ROLES_CLAIM,
      roleMap: roleMap.map,
      unitClaim: e.SSO_UNIT_CLAIM ?? null,
      passwordUsers:
        e.SSO_PASSWORD_USERS === undefined
          ? null
          : new Set(
              e.SSO_PASSWORD_USERS.split(',')
                .map((name) => name.trim().toLowerCase())
                .filter(Boolean),
            ),
      allowHttp,
    },
  }
}
