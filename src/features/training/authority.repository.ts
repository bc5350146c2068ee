import type { Db } from '../../db/database.js'
import { scopeCondition } from '../../db/scope.js'
import type { EmploymentStatus } from '../../domain/workforce.js'
import {
  deriveAuthority,
  type Authority,
  type AuthorityInput,
  type AuthorityPolicy,
  type TrainingInput,
} from '../../domain/taser/authority.js'
import type { CedAssessment } from '../../domain/taser/training.js'
import type { ScopeFilter } from '../auth/policy.js'

export interface PersonAuthority {
  personId: string
  collarNumber: string | null
  givenName: string
  familyName: string
  rank: string | null
  status: EmploymentStatus
  unitId: string
  unitName: string
  /** The records the authority was derived from, as the rule read them. */
  input: AuthorityInput
  authority: Authority
}

export async function forcePolicy(db: Db, forceId: string): Promise<AuthorityPolicy> {
  const row = await db
    .selectFrom('force_settings')
    .select(['ced_probationers_allowed', 'ced_specials_allowed'])
    .where('force_id', '=', forceId)
    .executeTakeFirst()
  return {
    probationersAllowed: row?.ced_probationers_allowed ?? false,
    specialsAllowed: row?.ced_specials_allowed ?? false,
  }
}

/**
 * Taser authority of every Taser-trained person (anyone with a CED training record) of a force, derived on a date
 * (a UK calendar date, 'YYYY-MM-DD') by the one rule in src/domain/taser/authority.ts. Narrow it with a scope (the
 * reader's) or to given people. Sorted by family name.
 *
 * This is the query other capabilities use for "who may carry": the armoury at the moment of issue, the threat and
 * risk assessment's count of authorised officers by unit (group by `unitId`, count `authority.authorisedModels`).
 */
export async function cedAuthorityAsAt(
  db: Db,
  options: { forceId: string; asAt: string; scope?: ScopeFilter; personIds?: readonly string[] },
): Promise<PersonAuthority[]> {
  const { forceId, asAt, scope } = options
  if (scope && (scope.kind === 'none' || scope.forceId !== forceId)) return []
  if (options.personIds && options.personIds.length === 0) return []

  let people = db
    .selectFrom('personnel as p')
    .innerJoin('org_units as u', 'u.id', 'p.unit_id')
    .where('p.force_id', '=', forceId)
    .where((eb) =>
      eb.exists(eb.selectFrom('ced_training_records as t').select('t.id').whereRef('t.person_id', '=', 'p.id')),
    )
  if (scope) people = people.where(scopeCondition(scope, { force: 'p.force_id', unit: 'p.unit_id', person: 'p.id' }))
  if (options.personIds) people = people.where('p.id', 'in', options.personIds)
  const rows = await people
    .select([
      'p.id',
      'p.collar_number',
      'p.given_name',
      'p.family_name',
      'p.rank',
      'p.status',
      'p.left_on',
      'p.unit_id',
      'u.name as unit_name',
    ])
    .orderBy('p.family_name')
    .orderBy('p.given_name')
    .orderBy('p.id')
    .execute()
  if (rows.length === 0) return []
  // The same selection of people as a subquery: cheaper for the database than hundreds of ids as parameters.
  const ids = people.select('p.id')

  const [policy, training, assessments, prerequisites, suspensions] = await Promise.all([
    forcePolicy(db, forceId),
    db
      .selectFrom('ced_training_records')
      .select(['id', 'person_id', 'course', 'device_model', 'completed_on', 'hours', 'passed'])
      .where('person_id', 'in', ids)
      .execute(),
    db
      .selectFrom('ced_training_assessments as a')
      .innerJoin('ced_training_records as t', 't.id', 'a.training_record_id')
      .select(['a.training_record_id', 'a.kind', 'a.passed'])
      .where('t.force_id', '=', forceId)
      .where('t.person_id', 'in', ids)
      .execute(),
    db
      .selectFrom('ced_prerequisites')
      .select(['person_id', 'kind', 'achieved_on', 'expires_on'])
      .where('person_id', 'in', ids)
      .execute(),
    db
      .selectFrom('ced_suspensions')
      .select(['person_id', 'reason', 'suspended_on', 'lifted_on'])
      .where('person_id', 'in', ids)
      .execute(),
  ])

  const assessmentsOf = groupBy(assessments, (a) => a.training_record_id)
  const trainingOf = groupBy(training, (t) => t.person_id)
  const prerequisitesOf = groupBy(prerequisites, (p) => p.person_id)
  const suspensionsOf = groupBy(suspensions, (s) => s.person_id)

  return rows.map((r) => {
    const input: AuthorityInput = {
      status: r.status,
      leftOn: r.left_on,
      policy,
      training: (trainingOf.get(r.id) ?? []).map((t): TrainingInput => ({
        course: t.course,
        deviceModel: t.device_model,
        completedOn: t.completed_on,
        hours: Number(t.hours),
        passed: t.passed,
        assessments: (assessmentsOf.get(t.id) ?? []).map((a) => ({ kind: a.kind as CedAssessment, passed: a.passed })),
      })),
      prerequisites: (prerequisitesOf.get(r.id) ?? []).map((p) => ({
        kind: p.kind,
        achievedOn: p.achieved_on,
        expiresOn: p.expires_on,
      })),
      suspensions: (suspensionsOf.get(r.id) ?? []).map((s) => ({
        reason: s.reason,
        suspendedOn: s.suspended_on,
        liftedOn: s.lifted_on,
      })),
    }
    return {
      personId: r.id,
      collarNumber: r.collar_number,
      givenName: r.given_name,
      familyName: r.family_name,
      rank: r.rank,
      status: r.status,
      unitId: r.unit_id,
      unitName: r.unit_name,
      input,
      authority: deriveAuthority(input, asAt),
    }
  })
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>()
  for (const item of items) {
    const k = key(item)
    const list = map.get(k)
    if (list) list.push(item)
    else map.set(k, [item])
  }
  return map
}
