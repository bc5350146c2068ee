import type { ColumnType, Generated } from 'kysely'
import type { ReferralOutcome, ReviewDecision, ReviewPolicy } from '../../domain/review/review-rules.js'

export type { ReviewPolicy }

/** Table types for supervisor review and referrals to Professional Standards (migration 2026-11-22-08-reviews). */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
/** 'YYYY-MM-DD' on both backends (see database.ts). */
type CalendarDate = string

export interface ReportReviewsTable {
  id: Generated<string>
  force_id: string
  report_id: string
  /** The version of the report the decision was made on. */
  report_version: number
  /** 1 for the first decision on a report, 2 for the next, … */
  round: number
  reviewer_user_id: string
  decision: ReviewDecision
  /** The checklist answers (`ReviewChecklist` in src/domain/review/review-rules.ts). */
  checklist: ColumnType<Record<string, string>, string, never>
  rationale: string
  /** What the officer must correct: set exactly when the report was returned. */
  corrections: string | null
  decided_at: Timestamp
}

export interface ReferralsTable {
  id: Generated<string>
  force_id: string
  report_id: string
  /** The review round that referred it; null when Professional Standards opened it from the mandatory flag. */
  review_id: string | null
  referred_by_user_id: string
  referred_at: Timestamp
  reason: string
  complaint: ColumnType<boolean, boolean | undefined, boolean>
  conduct_matter: ColumnType<boolean, boolean | undefined, boolean>
  outcome: ReferralOutcome | null
  outcome_notes: string | null
  decided_on: CalendarDate | null
  iopc_referred_on: CalendarDate | null
  outcome_recorded_by_user_id: string | null
  outcome_recorded_at: Timestamp | null
  updated_at: Timestamp
}

export interface ReviewTables {
  report_reviews: ReportReviewsTable
  referrals: ReferralsTable
}
