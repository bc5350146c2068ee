import { systemClock } from '../../src/clock.js'
import type { Db } from '../../src/db/database.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { seedDemoForce } from '../../src/db/seed/seed-demo.js'
import { createApiToken, hashToken } from '../../src/features/auth/api-tokens.js'
import { findAccountByTokenHash, toPrincipal } from '../../src/features/auth/users.repository.js'
import type { Caller } from '../../src/features/reports/reports.service.js'

/** Who submits: the demo force's 'officer' account, as the JSON API sees it and as the service is called. */
export interface Submitter {
  token: string
  caller: Caller
}

/** Migrates, seeds the demo force and gives the demo officer an API token. */
export async function prepareDatabase(db: Db): Promise<Submitter> {
  await migrateToLatest(db)
  await seedDemoForce(db, systemClock)
  const user = await db
    .selectFrom('users')
    .select(['id', 'force_id'])
    .where('username', '=', 'officer')
    .executeTakeFirstOrThrow()
  const actor = { userId: user.id, label: 'officer' }
  const { token } = await createApiToken(
    { db, clock: systemClock },
    actor,
    { userId: user.id, forceId: user.force_id },
    'benchmark',
  )
  return { token, caller: await callerFor(db, token) }
}

/** The caller an API request with this token becomes (the same lookup the session plugin makes). */
export async function callerFor(db: Db, token: string): Promise<Caller> {
  const account = await findAccountByTokenHash(db, hashToken(token))
  if (!account) throw new Error('benchmark: the API token does not resolve to an account')
  return {
    principal: toPrincipal(account),
    actor: { userId: account.id, label: account.username },
    officerUnitId: account.personUnitId,
    apiTokenHash: hashToken(token),
  }
}

export interface StoredCounts {
  reports: number
  versions: number
  idempotencyKeys: number
  auditSubmitted: number
}

/** What the database holds after a phase, to compare with what was acknowledged. */
export async function storedCounts(db: Db): Promise<StoredCounts> {
  const count = async (table: 'reports' | 'report_versions' | 'idempotency_keys') => {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }
  const audit = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', 'report.submitted')
    .executeTakeFirstOrThrow()
  return {
    reports: await count('reports'),
    versions: await count('report_versions'),
    idempotencyKeys: await count('idempotency_keys'),
    auditSubmitted: Number(audit.n),
  }
}
