import { sql } from 'kysely'
import type { Db } from '../../db/database.js'

/**
 * Sign-in throttling. Failures are counted per username (whether or not the account exists, so the lock-out
 * reveals nothing) and per client address; reaching the limit within the window locks that key for a while.
 */
export const throttleRules = {
  username: { limit: 5, windowMinutes: 15, lockMinutes: 15 },
  address: { limit: 30, windowMinutes: 15, lockMinutes: 15 },
} as const

type KeyKind = keyof typeof throttleRules

export interface ThrottleKey {
  kind: KeyKind
  key: string
}

export function throttleKeys(username: string, address: string): ThrottleKey[] {
  return [
    { kind: 'username', key: `username:${username.trim().toLowerCase()}` },
    { kind: 'address', key: `address:${address}` },
  ]
}

export async function isLocked(db: Db, keys: ThrottleKey[], now: Date): Promise<boolean> {
  const row = await db
    .selectFrom('sign_in_throttle')
    .select('key')
    .where(
      'key',
      'in',
      keys.map((k) => k.key),
    )
    .where('locked_until', '>', now)
    .executeTakeFirst()
  return row !== undefined
}

export async function recordFailure(db: Db, keys: ThrottleKey[], now: Date): Promise<void> {
  for (const { kind, key } of keys) {
    const rule = throttleRules[kind]
    const windowStart = new Date(now.getTime() - rule.windowMinutes * 60_000)
    const lockUntil = new Date(now.getTime() + rule.lockMinutes * 60_000)
    // One statement: start a new window when the old one has passed, else count on; lock at the limit.
    await sql`
      insert into sign_in_throttle as t (key, failures, window_started_at, locked_until)
      values (${key}, 1, ${now}, ${rule.limit <= 1 ? lockUntil : null})
      on conflict (key) do update set
        failures = case when t.window_started_at < ${windowStart} then 1 else t.failures + 1 end,
        window_started_at = case when t.window_started_at < ${windowStart} then ${now} else t.window_started_at end,
        locked_until = case
          when t.window_started_at >= ${windowStart} and t.failures + 1 >= ${rule.limit} then ${lockUntil}
          else t.locked_until end`.execute(db)
  }
}

/** A successful sign-in clears the username's count (not the address's: one good account must not unlock it). */
export async function clearFailures(db: Db, keys: ThrottleKey[]): Promise<void> {
  const usernameKeys = keys.filter((k) => k.kind === 'username').map((k) => k.key)
  await db.deleteFrom('sign_in_throttle').where('key', 'in', usernameKeys).execute()
}
