import { createHash, randomBytes } from 'node:crypto'
import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import { appendAudit, type Actor } from '../audit/ledger.js'

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
  return deps.db.transaction().execute(async (trx) => {
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
