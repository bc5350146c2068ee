import type { Db } from '../../db/database.js'
import type { SsoSignInRequestsTable } from '../../db/schema/sso.js'
import type { RoundTrip } from './oidc-client.js'

export type PendingSignIn = SsoSignInRequestsTable

/** Keeps a round trip until the browser that started it comes back; sweeps the expired ones as it goes. */
export async function savePendingSignIn(
  db: Db,
  input: {
    browserKeyHash: string
    roundTrip: RoundTrip
    returnTo: string
    purpose: PendingSignIn['purpose']
    userId: string | null
    now: Date
    expiresAt: Date
  },
): Promise<void> {
  await db.deleteFrom('sso_sign_in_requests').where('expires_at', '<=', input.now).execute()
  await db
    .insertInto('sso_sign_in_requests')
    .values({
      browser_key_hash: input.browserKeyHash,
      state: input.roundTrip.state,
      nonce: input.roundTrip.nonce,
      code_verifier: input.roundTrip.codeVerifier,
      return_to: input.returnTo,
      purpose: input.purpose,
      user_id: input.userId,
      created_at: input.now,
      expires_at: input.expiresAt,
    })
    .execute()
}

/** Takes a round trip out as it reads it, so one callback can be used once only. */
export async function takePendingSignIn(db: Db, browserKeyHash: string, now: Date): Promise<PendingSignIn | null> {
  const row = await db
    .deleteFrom('sso_sign_in_requests')
    .where('browser_key_hash', '=', browserKeyHash)
    .returningAll()
    .executeTakeFirst()
  return row && row.expires_at > now ? row : null
}

export async function linkedUserId(db: Db, issuer: string, subject: string): Promise<string | null> {
  const row = await db
    .selectFrom('sso_identities')
    .select('user_id')
    .where('issuer', '=', issuer)
    .where('subject', '=', subject)
    .executeTakeFirst()
  return row?.user_id ?? null
}

/** The subject an account is already linked to at this provider, if any. */
export async function linkedSubject(db: Db, issuer: string, userId: string): Promise<string | null> {
  const row = await db
    .selectFrom('sso_identities')
    .select('subject')
    .where('issuer', '=', issuer)
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return row?.subject ?? null
}

/** Accounts of a force whose username (or email) is the claimed value, compared without regard to case. */
export async function accountIdsMatching(
  db: Db,
  forceId: string,
  column: 'username' | 'email',
  value: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('force_id', '=', forceId)
    .where((eb) => eb(eb.fn('lower', [column]), '=', value.toLowerCase()))
    .limit(2)
    .execute()
  return rows.map((r) => r.id)
}

export async function forceIdByCode(db: Db, code: string): Promise<string | null> {
  const row = await db.selectFrom('forces').select('id').where('code', '=', code).executeTakeFirst()
  return row?.id ?? null
}

export async function openUnitIdByCode(db: Db, forceId: string, code: string): Promise<string | null> {
  const row = await db
    .selectFrom('org_units')
    .select('id')
    .where('force_id', '=', forceId)
    .where('code', '=', code)
    .where('closed_at', 'is', null)
    .executeTakeFirst()
  return row?.id ?? null
}
