import type { Db } from '../../db/database.js'
import {
  mandatoryReviewReasons,
  reviewRequirement,
  reviewState,
  type ReviewRequirement,
  type ReviewSetting,
  type ReviewState,
} from '../../domain/review/review-rules.js'
import { reportFlags, type ReportFlags } from '../../domain/use-of-force/rules.js'
import { reviewFacts, reviewSetting, type ReviewFacts } from './review.repository.js'

/**
 * A report's current review state, for any feature that needs it (scrutiny case packs, the officer's list, home
 * panels): `reviewStateOf` for one report, `reviewStatesOf` for many. The state is derived, never stored: from the
 * report's latest decision in `report_reviews`, its current version and whether it needs review (the force's
 * setting and the report's flags). See `reviewState` in src/domain/review/review-rules.ts for the rule.
 */
export async function reviewStateOf(db: Db, forceId: string, reportId: string): Promise<ReviewState | null> {
  return (await reviewStatesOf(db, forceId, [reportId])).get(reportId) ?? null
}

export async function reviewStatesOf(db: Db, forceId: string, reportIds: string[]): Promise<Map<string, ReviewState>> {
  const [facts, setting] = await Promise.all([reviewFacts(db, { forceId, reportIds }), reviewSetting(db, forceId)])
  return new Map(facts.map((f) => [f.id, reviewStatus(f, setting).state]))
}

export interface ReviewStatus {
  state: ReviewState
  flags: ReportFlags
  requirement: ReviewRequirement
  /** Why review is mandatory, in words; empty when it is not. */
  reasons: string[]
  /** The round the next decision will be: 1 for a report never decided on. */
  nextRound: number
}

export function reviewStatus(facts: ReviewFacts, setting: ReviewSetting): ReviewStatus {
  const flags = reportFlags(facts.flagInputs, facts.ageBand)
  const requirement = reviewRequirement(flags, setting, facts.id)
  return {
    state: reviewState(facts.latest, facts.version, requirement !== null),
    flags,
    requirement,
    reasons: mandatoryReviewReasons(flags),
    nextRound: (facts.latest?.round ?? 0) + 1,
  }
}
