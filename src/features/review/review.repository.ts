import { sql, type Transaction } from 'kysely'
import type { Db } from '../../db/database.js'
import { scopeCondition } from '../../db/scope.js'
import type { Database } from '../../db/schema.js'
import type { ReviewChecklist, ReviewDecision, ReviewSetting } from '../../domain/review/review-rules.js'
import type { FlagInputs } from '../../domain/use-of-force/rules.js'
import type { ScopeFilter } from '../auth/policy.js'

type Executor = Db | Transaction<Database>

export async function reviewSetting(db: Executor, forceId: string): Promise<ReviewSetting> {
  const row = await db
    .selectFrom('force_settings')
    .select(['review_policy', 'review_sample_percent'])
    .where('force_id', '=', forceId)
    .executeTakeFirst()
  return { policy: row?.review_policy ?? 'mandatory', samplePercent: row?.review_sample_percent ?? 10 }
}

/** What deciding a report's review state needs: the report, the answers its flags come from, its latest round. */
export interface ReviewFacts {
  id: string
  reference: string
  version: number
  occurredAt: Date
  submittedAt: Date
  officerPersonId: string | null
  officerUnitId: string | null
  reporterUserId: string
  officerName: string | null
  collarNumber: string | null
  ageBand: string
  flagInputs: FlagInputs
  latest: { decision: ReviewDecision; reportVersion: number; round: number; corrections: string | null } | null
}

type FactsFilter =
  | { scope: ScopeFilter; undecided: true }
  | { forceId: string; reportIds: string[] }
  | { forceId: string; officerPersonId: string; latestDecision: ReviewDecision }

/**
 * Review facts for a set of reports. The flags are computed in TypeScript by `reportFlags` (one rule), from the
 * current version's payload; only the four answers the flags read are fetched. `undecided` keeps reports with no
 * decision yet or amended since one that was not a referral: the only ones that can be awaiting review.
 */
export async function reviewFacts(db: Executor, filter: FactsFilter): Promise<ReviewFacts[]> {
  let query = db
    .selectFrom('reports as r')
    .innerJoin('incidents as i', 'i.id', 'r.incident_id')
    .innerJoin('subjects as s', 's.id', 'r.subject_id')
    .innerJoin('report_versions as v', (join) =>
      join.onRef('v.report_id', '=', 'r.id').onRef('v.version', '=', 'r.version'),
    )
    .leftJoin('personnel as p', 'p.id', 'r.officer_person_id')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('report_reviews as rr')
          .select(['rr.decision', 'rr.report_version', 'rr.round', 'rr.corrections'])
          .whereRef('rr.report_id', '=', 'r.id')
          .orderBy('rr.round', 'desc')
          .limit(1)
          .as('lr'),
      (join) => join.onTrue(),
    )
    .select([
      'r.id',
      'i.reference',
      'r.version',
      'r.occurred_at',
      'r.submitted_at',
      'r.officer_person_id',
      'r.officer_unit_id',
      'r.reporter_user_id',
      'p.given_name',
      'p.family_name',
      'p.collar_number',
      's.age_band',
      'lr.decision',
      'lr.report_version',
      'lr.round',
      'lr.corrections',
      sql<FlagInputs>`jsonb_build_object(
        'cedUses', v.payload->'cedUses', 'tactics', v.payload->'tactics',
        'outcomes', v.payload->'outcomes', 'subjectInjury', v.payload->'subjectInjury')`.as('flag_inputs'),
    ])
  if ('scope' in filter) {
    const { scope } = filter
    if (scope.kind === 'none') return []
    query = query
      .where(scopeCondition(scope, { force: 'r.force_id', unit: 'r.officer_unit_id', person: 'r.officer_person_id' }))
      .where((eb) =>
        eb.or([
          eb('lr.decision', 'is', null),
          eb.and([eb('lr.decision', '<>', 'referred'), eb('r.version', '>', eb.ref('lr.report_version'))]),
        ]),
      )
  } else if ('reportIds' in filter) {
    if (filter.reportIds.length === 0) return []
    query = query.where('r.force_id', '=', filter.forceId).where('r.id', 'in', filter.reportIds)
  } else {
    query = query
      .where('r.force_id', '=', filter.forceId)
      .where('r.officer_person_id', '=', filter.officerPersonId)
      .where('lr.decision', '=', filter.latestDecision)
  }
  const rows = await query.orderBy('r.submitted_at').orderBy('r.id').execute()
  return rows.map((r) => ({
    id: r.id,
    reference: r.reference,
    version: r.version,
    occurredAt: r.occurred_at,
    submittedAt: r.submitted_at,
    officerPersonId: r.officer_person_id,
    officerUnitId: r.officer_unit_id,
    reporterUserId: r.reporter_user_id,
    officerName: r.given_name ? `${r.given_name} ${r.family_name}` : null,
    collarNumber: r.collar_number,
    ageBand: r.age_band,
    flagInputs: r.flag_inputs,
    latest:
      r.decision && r.report_version !== null && r.round !== null
        ? { decision: r.decision, reportVersion: r.report_version, round: r.round, corrections: r.corrections }
        : null,
  }))
}

export interface ReviewRound {
  id: string
  round: number
  reportVersion: number
  decision: ReviewDecision
  checklist: ReviewChecklist
  rationale: string
  corrections: string | null
  decidedAt: Date
  reviewer: string
}

/** Every round on a report, first first: the whole history, which nothing ever changes. */
export async function reviewRounds(db: Executor, reportId: string): Promise<ReviewRound[]> {
  const rows = await db
    .selectFrom('report_reviews as rr')
    .innerJoin('users as u', 'u.id', 'rr.reviewer_user_id')
    .select([
      'rr.id',
      'rr.round',
      'rr.report_version',
      'rr.decision',
      'rr.checklist',
      'rr.rationale',
      'rr.corrections',
      'rr.decided_at',
      'u.display_name',
    ])
    .where('rr.report_id', '=', reportId)
    .orderBy('rr.round')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    round: r.round,
    reportVersion: r.report_version,
    decision: r.decision,
    checklist: r.checklist as ReviewChecklist,
    rationale: r.rationale,
    corrections: r.corrections,
    decidedAt: r.decided_at,
    reviewer: r.display_name,
  }))
}
