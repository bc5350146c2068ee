/** Table types for single sign-on (migration 2026-11-22-16). */

export interface SsoIdentitiesTable {
  issuer: string
  subject: string
  user_id: string
  linked_at: Date
  last_signed_in_at: Date
}

export interface SsoSignInRequestsTable {
  browser_key_hash: string
  state: string
  nonce: string
  code_verifier: string
  return_to: string
  purpose: 'sign-in' | 'reauthenticate'
  user_id: string | null
  created_at: Date
  expires_at: Date
}

export interface SsoTables {
  sso_identities: SsoIdentitiesTable
  sso_sign_in_requests: SsoSignInRequestsTable
}
