import type { SessionStore } from '@fastify/session'
import type { Session } from 'fastify'
import type { Clock } from '../../clock.js'
import type { Transaction } from 'kysely'
import type { Db } from '../../db/database.js'
import type { Database } from '../../db/schema.js'

declare module 'fastify' {
  interface Session {
    userId?: string
    /** When the user signed in (ms since the epoch): the session ends a fixed time after this, active or not. */
    signedInAt?: number
    /** When the user last gave their password (ms since the epoch): at sign-in, or confirming it since. */
    passwordGivenAt?: number
  }
}

export interface SessionLimits {
  idleMinutes: number
  absoluteHours: number
}

/**
 * Sessions live in the database, so they survive restarts, are shared by every app instance, and can be ended
 * at once (sign-out, account disabled). A session expires after `idleMinutes` without a request, or
 * `absoluteHours` after sign-in, whichever is first. Only signed-in sessions are stored.
 */
export function databaseSessionStore(db: Db, clock: Clock, limits: SessionLimits): SessionStore {
  const expiry = (session: Session): Date => {
    const now = clock().getTime()
    const idle = now + limits.idleMinutes * 60_000
    const absolute = (session.signedInAt ?? now) + limits.absoluteHours * 3_600_000
    return new Date(Math.min(idle, absolute))
  }

  return {
    set(sessionId, session, callback) {
      if (!session.userId) return callback()
      const data = JSON.stringify(session)
      const expiresAt = expiry(session)
      db.insertInto('sessions')
        .values({
          id: sessionId,
          user_id: session.userId,
          data,
          created_at: new Date(session.signedInAt ?? clock().getTime()),
          expires_at: expiresAt,
        })
        .onConflict((oc) => oc.column('id').doUpdateSet({ data, expires_at: expiresAt }))
        .execute()
        .then(() => callback(), callback)
    },
    get(sessionId, callback) {
      db.selectFrom('sessions')
        .select('data')
        .where('id', '=', sessionId)
        .where('expires_at', '>', clock())
        .executeTakeFirst()
        .then((row) => callback(null, (row?.data as Session | undefined) ?? null), callback)
    },
    destroy(sessionId, callback) {
      db.deleteFrom('sessions')
        .where('id', '=', sessionId)
        .execute()
        .then(() => callback(), callback)
    },
  }
}

/** Removes sessions that have expired; run at start-up and from time to time. */
export async function deleteExpiredSessions(db: Db, now: Date): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst()
  return Number(result.numDeletedRows)
}

/** Ends every session of a user at once, e.g. when the account is disabled. */
export async function deleteSessionsOfUser(db: Db | Transaction<Database>, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute()
}
