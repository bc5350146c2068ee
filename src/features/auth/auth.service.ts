import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import { recordAudit } from '../audit/ledger.js'
import { checkPassword } from './passwords.js'
import { clearFailures, isLocked, recordFailure, throttleKeys } from './throttle.js'
import { findAccountByUsername, type AccountRow } from './users.repository.js'

export type SignInResult =
  { ok: true; account: AccountRow } | { ok: false; reason: 'invalid' | 'throttled' | 'single_sign_on_only' }

/**
 * Checks a username and password. Every outcome is recorded in the audit ledger. A wrong password, an unknown
 * user and a disabled account all give the same answer, so the response never says whether an account exists.
 */
export async function signIn(
  deps: { db: Db; clock: Clock },
  input: {
    username: string
    password: string
    address: string
    requestId: string
    /** False when single sign-on is on and this username is not one that may still use a password (sso.config.ts). */
    passwordAllowed?: boolean
  },
): Promise<SignInResult> {
  const { db, clock } = deps
  const keys = throttleKeys(input.username, input.address)
  const username = input.username.trim()
  // Decided by the username alone, before any lookup or password check, so it reveals neither.
  if (input.passwordAllowed === false) {
    const event = signInEvent(null, 'session.sign_in_failed', username, input.requestId)
    await recordAudit(db, { ...event, details: { ...event.details, reason: 'single_sign_on_only' } }, clock())
    return { ok: false, reason: 'single_sign_on_only' }
  }
  if (await isLocked(db, keys, clock())) {
    await recordAudit(db, signInEvent(null, 'session.sign_in_throttled', username, input.requestId), clock())
    return { ok: false, reason: 'throttled' }
  }
  const account = await findAccountByUsername(db, username)
  const passwordMatches = await checkPassword(account?.passwordHash ?? null, input.password)
  if (!account || !passwordMatches || account.disabledAt) {
    await recordFailure(db, keys, clock())
    await recordAudit(db, signInEvent(account ?? null, 'session.sign_in_failed', username, input.requestId), clock())
    return { ok: false, reason: 'invalid' }
  }
  await clearFailures(db, keys)
  await recordAudit(db, signInEvent(account, 'session.signed_in', username, input.requestId), clock())
  return { ok: true, account }
}

/**
 * A signed-in person gives their password again before an administrative action. Throttled with sign-in (the same
 * keys, so guessing here does not get round the limit) and audited, success and failure alike.
 */
export async function confirmPassword(
  deps: { db: Db; clock: Clock },
  account: AccountRow,
  input: { password: string; address: string; requestId: string },
): Promise<{ ok: true } | { ok: false; reason: 'invalid' | 'throttled' }> {
  const { db, clock } = deps
  const keys = throttleKeys(account.username, input.address)
  const event = (action: string) => signInEvent(account, action, account.username, input.requestId)
  if (await isLocked(db, keys, clock())) {
    await recordAudit(db, event('session.password_confirmation_throttled'), clock())
    return { ok: false, reason: 'throttled' }
  }
  if (!(await checkPassword(account.passwordHash, input.password))) {
    await recordFailure(db, keys, clock())
    await recordAudit(db, event('session.password_confirmation_failed'), clock())
    return { ok: false, reason: 'invalid' }
  }
  await clearFailures(db, keys)
  await recordAudit(db, event('session.password_confirmed'), clock())
  return { ok: true }
}

function signInEvent(account: AccountRow | null, action: string, username: string, requestId: string) {
  return {
    forceId: account?.forceId ?? null,
    actor: account ? { userId: account.id, label: account.username } : { userId: null, label: 'anonymous' },
    action,
    entityType: 'user',
    entityId: account?.id ?? null,
    details: { username },
    requestId,
  }
}
