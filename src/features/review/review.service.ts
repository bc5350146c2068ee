import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import { reviewDecisionIssues, type ReviewChecklist, type ReviewDecision } from '../../domain/review/review-rules.js'
import { appendAudit, type Actor } from '../audit/ledger.js'
import { canActOn, scopeFilter, type Principal } from '../auth/policy.js'
import { unitPathOf } from '../reports/reports.repository.js'
import { reviewFacts, reviewSetting, type ReviewFacts } from './review.repository.js'
import { reviewStatus, type ReviewStatus } from './review-state.js'

interface Deps {
  db: Db
  clock: Clock
}

export interface Reviewer {
  principal: Principal
  actor: Actor
}

export interface ReviewInput {
  /** The version the reviewer read: a decision never lands on a version they have not seen. */
  expectedVersion: number
  decision: ReviewDecision
  checklist: ReviewChecklist
  rationale: string
  corrections: string | null
  /** Facts for Professional Standards, given when referring. */
  complaint: boolean
  conductMatter: boolean
}

export type ReviewFailure = { ok: false; status: 400 | 403 | 404 | 409; field: string; message: string }

const notFound: ReviewFailure = { ok: false, status: 404, field: 'form', message: 'Report not found' }

/**
 * A report the reviewer may decide on, with its review status: in their scope (out of scope looks like not
 * found), and not their own. Both checks run on the server for every read and every decision.
 */
export async function reviewableReport(
  db: Db,
  reviewer: Principal,
  reportId: string,
): Promise<{ ok: true; facts: ReviewFacts; status: ReviewStatus } | ReviewFailure> {
  const [facts] = await reviewFacts(db, { forceId: reviewer.forceId, reportIds: [reportId] })
  if (!facts) return notFound
  const inScope = canActOn(reviewer, 'reports.review', {
    forceId: reviewer.forceId,
    unitPath: await unitPathOf(db, facts.officerUnitId),
    ownerPersonId: facts.officerPersonId,
  })
  if (!inScope) return notFound
  if (facts.reporterUserId === reviewer.userId || (reviewer.personId && facts.officerPersonId === reviewer.personId)) {
    return { ok: false, status: 403, field: 'form', message: 'You cannot review your own report' }
  }
  return { ok: true, facts, status: reviewStatus(facts, await reviewSetting(db, reviewer.forceId)) }
}

/** Whether a decision can be made now: a report waiting for one, or one that needs none but may still be reviewed. */
export function isOpenForDecision(status: ReviewStatus): boolean {
  return status.state === 'awaiting_review' || status.state === 'not_required'
}

/**
 * Records one round: approve, return for correction or refer. The round is appended (never changed), the report row
 * is locked while it is written so two reviewers cannot both decide the same round, and a referral opens the case
 * for Professional Standards. Everything goes in the audit ledger in the same transaction.
 */
export async function decideReview(
  deps: Deps,
  reviewer: Reviewer,
  reportId: string,
  input: ReviewInput,
): Promise<{ ok: true; round: number } | ReviewFailure> {
  const { db, clock } = deps
  const { principal, actor } = reviewer
  const found = await reviewableReport(db, principal, reportId)
  if (!found.ok) return found
  const issue = reviewDecisionIssues(input)[0]
  if (issue) return { ok: false, status: 400, field: issue.field, message: issue.message }
  const stale: ReviewFailure = {
    ok: false,
    status: 409,
    field: 'form',
    message: 'The report has been amended or decided since you opened it: read it again before deciding',
  }
  if (!isOpenForDecision(found.status) || input.expectedVersion !== found.facts.version) return stale

  const now = clock()
  const round = await db.transaction().execute(async (trx) => {
    const locked = await trx
      .selectFrom('reports')
      .select('version')
      .where('id', '=', reportId)
      .forUpdate()
      .executeTakeFirstOrThrow()
    const last = await trx
      .selectFrom('report_reviews')
      .select((eb) => eb.fn.max('round').as('round'))
      .where('report_id', '=', reportId)
      .executeTakeFirstOrThrow()
    const round = Number(last.round ?? 0) + 1
    if (locked.version !== input.expectedVersion || round !== found.status.nextRound) return null
    const review = await trx
      .insertInto('report_reviews')
      .values({
        force_id: principal.forceId,
        report_id: reportId,
        report_version: locked.version,
        round,
        reviewer_user_id: principal.userId,
        decision: input.decision,
        checklist: JSON.stringify(input.checklist),
        rationale: input.rationale,
        corrections: input.decision === 'returned' ? input.corrections : null,
        decided_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await appendAudit(
      trx,
      {
        forceId: principal.forceId,
        actor,
        action: 'report.reviewed',
        entityType: 'report',
        entityId: reportId,
        details: { round, version: locked.version, decision: input.decision },
      },
      now,
    )
    if (input.decision === 'referred') {
      // A report Professional Standards already opened from its mandatory flag keeps that referral.
      const referral = await trx
        .insertInto('referrals')
        .values({
          force_id: principal.forceId,
          report_id: reportId,
          review_id: review.id,
          referred_by_user_id: principal.userId,
          referred_at: now,
          reason: input.rationale,
          complaint: input.complaint,
          conduct_matter: input.conductMatter,
          updated_at: now,
        })
        .onConflict((oc) => oc.column('report_id').doNothing())
        .returning('id')
        .executeTakeFirst()
      if (referral) {
        await appendAudit(
          trx,
          {
            forceId: principal.forceId,
            actor,
            action: 'referral.opened',
            entityType: 'referral',
            entityId: referral.id,
            details: { reportId, round, complaint: input.complaint, conductMatter: input.conductMatter },
          },
          now,
        )
      }
    }
    return round
  })
  return round === null ? stale : { ok: true, round }
}

/** Changes the force's review setting (audited with the old and new values). */
export async function saveReviewSetting(
  deps: Deps,
  actor: Actor,
  forceId: string,
  setting: { policy: 'all' | 'mandatory' | 'sample'; samplePercent: number },
): Promise<void> {
  const { db, clock } = deps
  const now = clock()
  await db.transaction().execute(async (trx) => {
    const before = await reviewSetting(trx, forceId)
    await trx
      .updateTable('force_settings')
      .set({ review_policy: setting.policy, review_sample_percent: setting.samplePercent })
      .where('force_id', '=', forceId)
      .execute()
    await appendAudit(
      trx,
      {
        forceId,
        actor,
        action: 'review_setting.changed',
        entityType: 'force',
        entityId: forceId,
        details: { before, after: setting },
      },
      now,
    )
  })
}

/** The reports waiting for a reviewer's decision in their scope, oldest submission first, each with its status. */
export async function reviewQueue(db: Db, reviewer: Principal) {
  const [facts, setting] = await Promise.all([
    reviewFacts(db, { scope: scopeFilter(reviewer, 'reports.review'), undecided: true }),
    reviewSetting(db, reviewer.forceId),
  ])
  return {
    setting,
    reports: facts
      .map((f) => ({
        ...f,
        status: reviewStatus(f, setting),
        own:
          f.reporterUserId === reviewer.userId ||
          (reviewer.personId !== null && f.officerPersonId === reviewer.personId),
      }))
      .filter((f) => f.status.state === 'awaiting_review'),
  }
}

/** The officer's reports returned for correction and not yet amended, with what to correct. */
export async function returnedReports(db: Db, officer: Principal) {
  if (!officer.personId) return []
  return reviewFacts(db, {
    forceId: officer.forceId,
    officerPersonId: officer.personId,
    latestDecision: 'returned',
  }).then((facts) => facts.filter((f) => f.latest && f.latest.reportVersion === f.version))
}
