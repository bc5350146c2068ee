import type { Clock } from '../../clock.js'
import { appendAudit, systemActor } from '../../features/audit/ledger.js'
import { hashPassword } from '../../features/auth/passwords.js'
import type { Db } from '../database.js'
import { demoAccounts, generateDemoForce } from './demo-force.js'

/** The demo accounts' password. It exists only in demo mode: production never seeds. */
export const DEMO_PASSWORD = 'demo-password'

const BATCH = 500

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
    const unitIds = new Map<string, string>()
    // Parents come before their children in the generated list, so each parent's id is known when needed.
    for (const unit of demo.units) {
      const row = await trx
        .insertInto('org_units')
        .values({
          force_id: force.id,
          parent_id: unit.parentKey ? unitIds.get(unit.parentKey)! : null,
          kind: unit.kind,
          code: unit.code,
          name: unit.name,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      unitIds.set(unit.key, row.id)
    }
    const personIds = new Map<string, string>()
    for (const batch of chunks(demo.people)) {
      const rows = await trx
        .insertInto('personnel')
        .values(
          batch.map((p) => ({
            force_id: force.id,
            unit_id: unitIds.get(p.unitKey)!,
            collar_number: p.collarNumber,
            given_name: p.givenName,
            family_name: p.familyName,
            rank: p.rank,
            status: p.status,
            joined_on: p.joinedOn,
          })),
        )
        .returning('id')
        .execute()
      batch.forEach((p, i) => personIds.set(p.key, rows[i]!.id))
    }
    for (const batch of chunks(demo.cedTraining)) {
      await trx
        .insertInto('ced_training_records')
        .values(
          batch.map((t) => ({
            force_id: force.id,
            person_id: personIds.get(t.personKey)!,
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
          password_hash: passwordHashes[index]!,
          person_id: account.personKey ? personIds.get(account.personKey)! : null,
          unit_id: person ? unitIds.get(person.unitKey)! : null,
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
