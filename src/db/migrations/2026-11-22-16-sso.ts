import { statements } from './statements.js'

/**
 * Single sign-on (src/features/sso/, docs/sso.md).
 *
 * `sso_identities` links a provider's stable subject to one account: once linked, that subject signs in to that
 * account and no other, whatever its username or email claim later says, and the account takes no other subject
 * from the same provider.
 *
 * `sso_sign_in_requests` holds each round trip to the provider until it comes back: the state, nonce and PKCE
 * verifier, keyed by the sha-256 of a random value in a cookie on the browser that started it. The callback deletes
 * its row as it reads it, so a callback works once. Rows are short-lived (minutes) and swept as new ones are made.
 */
const up = [
  `create table sso_identities (
    issuer text not null,
    subject text not null,
    user_id uuid not null references users (id) on delete cascade,
    linked_at timestamptz not null,
    last_signed_in_at timestamptz not null,
    primary key (issuer, subject)
  )`,
  `create unique index sso_identities_user_issuer_key on sso_identities (user_id, issuer)`,
  `create table sso_sign_in_requests (
    browser_key_hash text primary key,
    state text not null,
    nonce text not null,
    code_verifier text not null,
    return_to text not null,
    purpose text not null check (purpose in ('sign-in', 'reauthenticate')),
    user_id uuid references users (id) on delete cascade,
    created_at timestamptz not null,
    expires_at timestamptz not null,
    check ((purpose = 'reauthenticate') = (user_id is not null))
  )`,
  `create index sso_sign_in_requests_expires_at_idx on sso_sign_in_requests (expires_at)`,
]

const down = ['drop table sso_sign_in_requests', 'drop table sso_identities']

export const sso = statements(up, down)
