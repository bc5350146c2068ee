import { sql } from 'kysely'
import type { Db } from '../../db/database.js'
import { reportFlagSql } from '../../db/report-flags.js'
import type { ReferralOutcome } from '../../domain/review/review-rules.js'

export interface ReferralRow {
  id: string
  reportId: string
  reviewId: string | null
  referredAt: Date
  referredBy: string
  reason: string
  complaint: boolean
  conductMatter: boolean
  outcome: ReferralOutcome | null
  outcomeNotes: string | null
  decidedOn: string | null
  iopcReferredOn: string | null
  outcomeRecordedBy: string | null
  outcomeRecordedAt: Date | null
}

function referrals(db: Db, forceId: string) {
  return db
    .selectFrom('referrals as f')
    .innerJoin('users as by', 'by.id', 'f.referred_by_user_id')
    .leftJoin('users as rec', 'rec.id', 'f.outcome_recorded_by_user_id')
    .select([
      'f.id',
      'f.report_id',
      'f.review_id',
      'f.referred_at',
      'by.display_name as referred_by',
      'f.reason',
      'f.complaint',
      'f.conduct_matter',
      'f.outcome',
      'f.outcome_notes',
      'f.decided_on',
      'f.iopc_referred_on',
      'rec.display_name as recorded_by',
      'f.outcome_recorded_at',
    ])
    .where('f.force_id', '=', forceId)
}

function toReferral(r: Awaited<ReturnType<ReturnType<typeof referrals>['execute']>>[number]): ReferralRow {
  return {
    id: r.id,
    reportId: r.report_id,
    reviewId: r.review_id,
    referredAt: r.referred_at,
    referredBy: r.referred_by,
    reason: r.reason,
    complaint: r.complaint,
    conductMatter: r.conduct_matter,
    outcome: r.outcome,
    outcomeNotes: r.outcome_notes,
    decidedOn: r.decided_on,
    iopcReferredOn: r.iopc_referred_on,
    outcomeRecordedBy: r.recorded_by,
    outcomeRecordedAt: r.outcome_recorded_at,
  }
}

/** Every referral in the force, those still open first, then the newest. */
export async function listReferrals(db: Db, forceId: string): Promise<ReferralRow[]> {
  const rows = await referrals(db, forceId)
    .orderBy(sql`f.outcome is null`, 'desc')
    .orderBy('f.referred_at', 'desc')
    .execute()
  return rows.map(toReferral)
}

export async function findReferral(db: Db, forceId: string, id: string): Promise<ReferralRow | undefined> {
  const row = await referrals(db, forceId).where('f.id', '=', id).executeTakeFirst()
  return row && toReferral(row)
}

/** Reports meeting the mandatory-referral flag (death or serious injury) with no referral yet. */
export async function unreferredMandatoryReports(db: Db, forceId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('reports as r')
    .select('r.id')
    .where('r.force_id', '=', forceId)
    .where(reportFlagSql.mandatoryReferral('r'))
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('referrals as f').select('f.id').whereRef('f.report_id', '=', 'r.id'))),
    )
    .orderBy('r.occurred_at', 'desc')
    .execute()
  return rows.map((r) => r.id)
}
