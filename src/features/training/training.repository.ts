import type { Db } from '../../db/database.js'
import type { EmploymentStatus } from '../../domain/workforce.js'
import { unitPathOf } from '../reports/reports.repository.js'

export interface PersonSummary {
  id: string
  collarNumber: string | null
  givenName: string
  familyName: string
  rank: string | null
  status: EmploymentStatus
  unitName: string
  /** The person's unit and its ancestors, for checking the reader's scope. */
  unitPath: string[]
}

export async function findPerson(db: Db, forceId: string, personId: string): Promise<PersonSummary | null> {
  const row = await db
    .selectFrom('personnel as p')
    .innerJoin('org_units as u', 'u.id', 'p.unit_id')
    .select(['p.id', 'p.collar_number', 'p.given_name', 'p.family_name', 'p.rank', 'p.status', 'p.unit_id', 'u.name'])
    .where('p.force_id', '=', forceId)
    .where('p.id', '=', personId)
    .executeTakeFirst()
  if (!row) return null
  return {
    id: row.id,
    collarNumber: row.collar_number,
    givenName: row.given_name,
    familyName: row.family_name,
    rank: row.rank,
    status: row.status,
    unitName: row.name,
    unitPath: await unitPathOf(db, row.unit_id),
  }
}

/** The person with this collar number in the force, whatever its case. */
export async function findPersonByCollar(db: Db, forceId: string, collar: string): Promise<PersonSummary | null> {
  const row = await db
    .selectFrom('personnel')
    .select('id')
    .where('force_id', '=', forceId)
    .where((eb) => eb(eb.fn('upper', ['collar_number']), '=', collar.trim().toUpperCase()))
    .executeTakeFirst()
  return row ? findPerson(db, forceId, row.id) : null
}

/** Everything on an officer's Taser record, newest first, for their page. */
export async function taserRecordOf(db: Db, personId: string) {
  const [courses, assessments, prerequisites, suspensions] = await Promise.all([
    db
      .selectFrom('ced_training_records')
      .select(['id', 'course', 'device_model', 'completed_on', 'hours', 'passed'])
      .where('person_id', '=', personId)
      .orderBy('completed_on', 'desc')
      .execute(),
    db
      .selectFrom('ced_training_assessments as a')
      .innerJoin('ced_training_records as t', 't.id', 'a.training_record_id')
      .select(['a.training_record_id', 'a.kind', 'a.passed'])
      .where('t.person_id', '=', personId)
      .execute(),
    db
      .selectFrom('ced_prerequisites')
      .select(['id', 'kind', 'achieved_on', 'expires_on'])
      .where('person_id', '=', personId)
      .orderBy('achieved_on', 'desc')
      .execute(),
    db
      .selectFrom('ced_suspensions')
      .select(['id', 'reason', 'suspended_on', 'lifted_on', 'lifted_reason'])
      .where('person_id', '=', personId)
      .orderBy('suspended_on', 'desc')
      .execute(),
  ])
  return {
    courses: courses.map((c) => ({
      ...c,
      hours: Number(c.hours),
      assessments: assessments.filter((a) => a.training_record_id === c.id),
    })),
    prerequisites,
    suspensions,
  }
}
