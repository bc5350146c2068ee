import { randomUUID } from 'node:crypto'
import type { Clock } from '../../clock.js'
import { appendAudit, systemActor } from '../../features/audit/ledger.js'
import { hashPassword } from '../../features/auth/passwords.js'
import type { Db } from '../database.js'
import { demoAccounts, generateDemoForce } from './demo-force.js'

/** The demo accounts' password. It exists only in demo mode: production never seeds. */
export const DEMO_PASSWORD = 'demo-password'

const BATCH = 500

/** A key the generator itself produced: missing means a bug in the generator, so fail loudly. */
function idOf(ids: Map<string, string>, key: string): string {
  const id = ids.get(key)
  if (!id) throw new Error(`demo seed: no id for ${key}`)
  return id
}

function chunks<T>(rows: T[], size = BATCH): T[][] {
  const out: T[][] = []
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size))
  return out
}

/**
 * Seeds "Demo Constabulary" once: its units, about 1,500 officers and staff, Taser training records and one
 * account per role. Does nothing if the demo force exists already, so a second start seeds nothing twice.
 * Returns whether it seeded.
 */
export async function seedDemoForce(db: Db, clock: Clock): Promise<boolean> {
  const existing = await db.selectFrom('forces').select('id').where('code', '=', 'demo').executeTakeFirst()
  if (existing) return false
  const demo = generateDemoForce({ seed: 1, today: clock() })
  const passwordHashes = await Promise.all(demoAccounts.map(() => hashPassword(DEMO_PASSWORD)))

  await db.transaction().execute(async (trx) => {
    const force = await trx
      .insertInto('forces')
      .values({ code: demo.force.code, name: demo.force.name })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx.insertInto('force_settings').values({ force_id: force.id }).execute()
    // Ids are made here rather than returned by the inserts, so rows can go in batches and refer to each other.
    const unitIds = new Map(demo.units.map((u) => [u.key, randomUUID()]))
    const personIds = new Map(demo.people.map((p) => [p.key, randomUUID()]))
    await trx
      .insertInto('org_units')
      .values(
        demo.units.map((unit) => ({
          id: idOf(unitIds, unit.key),
          force_id: force.id,
          parent_id: unit.parentKey ? idOf(unitIds, unit.parentKey) : null,
          kind: unit.kind,
          code: unit.code,
          name: unit.name,
        })),
      )
      .execute()
    for (const batch of chunks(demo.people)) {
      await trx
        .insertInto('personnel')
        .values(
          batch.map((p) => ({
            id: idOf(personIds, p.key),
            force_id: force.id,
            unit_id: idOf(unitIds, p.unitKey),
            collar_number: p.collarNumber,
            given_name: p.givenName,
            family_name: p.familyName,
            rank: p.rank,
            status: p.status,
            joined_on: p.joinedOn,
          })),
        )
        .execute()
    }
    for (const batch of chunks(demo.cedTraining)) {
      await trx
        .insertInto('ced_training_records')
        .values(
          batch.map((t) => ({
            force_id: force.id,
            person_id: idOf(personIds, t.personKey),
            course: t.course,
            device_model: t.deviceModel,
            completed_on: t.completedOn,
            hours: t.hours,
            passed: t.passed,
          })),
        )
        .execute()
    }
    const peopleByKey = new Map(demo.people.map((p) => [p.key, p]))
    for (const [index, account] of demoAccounts.entries()) {
      const person = account.personKey ? peopleByKey.get(account.personKey) : undefined
      const user = await trx
        .insertInto('users')
        .values({
          force_id: force.id,
          username: account.username,
          display_name: account.displayName,
          password_hash: passwordHashes[index] ?? null,
          person_id: account.personKey ? idOf(personIds, account.personKey) : null,
          unit_id: person ? idOf(unitIds, person.unitKey) : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await trx.insertInto('user_roles').values({ user_id: user.id, role: account.role }).execute()
    }
    await appendAudit(
      trx,
      {
        forceId: force.id,
        actor: systemActor,
        action: 'force.seeded',
        entityType: 'force',
        entityId: force.id,
        details: {
          units: demo.units.length,
          people: demo.people.length,
          cedTrainingRecords: demo.cedTraining.length,
          accounts: demoAccounts.length,
        },
      },
      clock(),
    )
  })
  return true
}
