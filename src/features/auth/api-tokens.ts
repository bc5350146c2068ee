import { createHash, randomBytes } from 'node:crypto'
import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import { appendAudit, type Actor } from '../audit/ledger.js'
import { findAccountByTokenHash, type AccountRow } from './users.repository.js'

/**
 * API tokens for the JSON API: random, shown once, stored only as a sha-256 hash (a 256-bit random secret needs
 * no slow hash), revocable at once. The prefix makes a leaked token easy to recognise in logs and code scanners.
 */
const PREFIX = 'flt_'

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export async function createApiToken(
  deps: { db: Db; clock: Clock },
  actor: Actor,
  owner: { userId: string; forceId: string },
  name: string,
): Promise<{ id: string; token: string }> {
  const token = `${PREFIX}${randomBytes(32).toString('base64url')}`
  const now = deps.clock()
  const id = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('api_tokens')
      .values({ user_id: owner.userId, name, token_hash: hashToken(token), created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow()
    await appendAudit(
      trx,
      {
        forceId: owner.forceId,
        actor,
        action: 'api_token.created',
        entityType: 'api_token',
        entityId: row.id,
        details: { name },
      },
      now,
    )
    return row.id
  })
  return { id, token }
}

export async function revokeApiToken(
  deps: { db: Db; clock: Clock },
  actor: Actor,
  owner: { userId: string; forceId: string },
  tokenId: string,
): Promise<boolean> {
  const now = deps.clock()
  const revoked = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('api_tokens')
      .set({ revoked_at: now })
      .where('id', '=', tokenId)
      .where('user_id', '=', owner.userId)
      .where('revoked_at', 'is', null)
      .returning('id')
      .executeTakeFirst()
    if (!row) return false
    await appendAudit(
      trx,
      { forceId: owner.forceId, actor, action: 'api_token.revoked', entityType: 'api_token', entityId: tokenId },
      now,
    )
    return true
  })
  forgetApiAccount(deps.db, owner.userId)
  return revoked
}

export function listApiTokens(db: Db, userId: string) {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'created_at', 'last_used_at', 'revoked_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute()
}

const TOUCH_EVERY_MS = 60_000
const lastTouched = new Map<string, number>()

/**
 * Marks a token used, at most once a minute per token and process, so the API's hot path does not write on every
 * request. "Last used" is therefore accurate to about a minute.
 */
export async function touchApiToken(db: Db, tokenHash: string, now: Date): Promise<void> {
  const last = lastTouched.get(tokenHash)
  if (last !== undefined && now.getTime() - last < TOUCH_EVERY_MS) return
  lastTouched.set(tokenHash, now.getTime())
  await db.updateTable('api_tokens').set({ last_used_at: now }).where('token_hash', '=', tokenHash).execute()
}

/**
 * Accounts by API token, kept for a few seconds so that most API requests make no database round trip for their
 * token. What keeps that safe:
 * - only reads, and writes that re-check in their own statement that the token is unrevoked and the account not
 *   disabled (a report submission: see writeSubmission), use it; every other write looks the token up afresh;
 * - revoking a token, disabling an account or changing its roles or unit in this process forgets the account at
 *   once (forgetApiAccount);
 * - anything else (a read after a change made by another process) sees the change within TOKEN_CACHE_MS.
 */
const TOKEN_CACHE_MS = 5_000
const TOKEN_CACHE_MAX = 10_000

interface TokenCache {
  accounts: Map<string, { account: AccountRow; until: number }>
  /** Moves on whenever an account is forgotten, so a lookup that began before then does not store what it read. */
  generation: number
}
const tokenCaches = new WeakMap<Db, TokenCache>()

function tokenCacheOf(db: Db): TokenCache {
  let cache = tokenCaches.get(db)
  if (!cache) tokenCaches.set(db, (cache = { accounts: new Map(), generation: 0 }))
  return cache
}

/** The active account an unrevoked API token belongs to, from the cache when it is fresh (see TOKEN_CACHE_MS). */
export async function accountForApiToken(db: Db, tokenHash: string): Promise<AccountRow | undefined> {
  const cache = tokenCacheOf(db)
  // Process time, not the app's clock: how long an entry lives has nothing to do with the time of recorded events.
  const now = performance.now()
  const hit = cache.accounts.get(tokenHash)
  if (hit && hit.until > now) return hit.account
  const generation = cache.generation
  const account = await findAccountByTokenHash(db, tokenHash)
  if (!account || account.disabledAt) {
    cache.accounts.delete(tokenHash)
    return undefined
  }
  if (generation === cache.generation) {
    if (cache.accounts.size >= TOKEN_CACHE_MAX) cache.accounts.clear()
    cache.accounts.set(tokenHash, { account, until: now + TOKEN_CACHE_MS })
  }
  return account
}

/** Forgets an account's cached tokens: call after revoking one, or changing the account, once committed. */
export function forgetApiAccount(db: Db, userId: string): void {
  const cache = tokenCacheOf(db)
  cache.generation++
  for (const [hash, entry] of cache.accounts) if (entry.account.id === userId) cache.accounts.delete(hash)
}

/** Forgets one token, e.g. when a write found it revoked. */
export function forgetApiToken(db: Db, tokenHash: string): void {
  const cache = tokenCacheOf(db)
  cache.generation++
  cache.accounts.delete(tokenHash)
}
