import { randomUUID } from 'node:crypto'
import type { Insertable, Transaction } from 'kysely'
import type { ReviewChecklist } from '../../domain/review/review-rules.js'
import { appendAuditBatch, type AuditEvent } from '../../features/audit/ledger.js'
import { reviewFacts, reviewSetting, type ReviewFacts } from '../../features/review/review.repository.js'
import { reviewStatus } from '../../features/review/review-state.js'
import { chunks } from '../batches.js'
import type { Database } from '../schema.js'

const DAY = 86_400_000
/** Reports submitted in the last fortnight are still waiting: the demo supervisor's backlog. */
const BACKLOG_DAYS = 14

const satisfied: ReviewChecklist = {
  justified: 'yes',
  proportionate: 'yes',
  necessary: 'yes',
  bwvReviewed: 'yes',
  aftercare: 'yes',
  policyFollowed: 'yes',
  learning: 'no',
}

/**
 * Review for the demo supervisor's team, read from the reports already seeded: every report that needed review and
 * was submitted more than a fortnight ago approved (a day or two after submission), the rest left as a backlog; the
 * demo officer's latest reviewable report returned for correction, so they see one "Returned", and their one before
 * it left waiting whatever its age (the browser test walks it through a return and an amendment); and the newest CED
 * discharge referred to Professional Standards with a complaint (demo-reports.ts plants a recent one in the team, so
 * there is one whatever the date). Reports that record a death or serious injury
 * anywhere in the force appear on Professional Standards' list by their flags alone.
 */
export async function seedDemoReviews(
  trx: Transaction<Database>,
  ctx: { forceId: string; now: Date },
): Promise<Record<string, number>> {
  const { forceId, now } = ctx
  const accounts = await trx
    .selectFrom('users')
    .select(['id', 'username', 'unit_id', 'person_id'])
    .where('force_id', '=', forceId)
    .where('username', 'in', ['supervisor', 'officer'])
    .execute()
  const supervisor = accounts.find((a) => a.username === 'supervisor')
  const officer = accounts.find((a) => a.username === 'officer')
  if (!supervisor?.unit_id || !officer?.person_id) throw new Error('demo seed: no demo supervisor or officer')

  const setting = await reviewSetting(trx, forceId)
  const team = await reviewFacts(trx, {
    scope: { kind: 'subtree', forceId, unitId: supervisor.unit_id },
    undecided: true,
  })
  const needing = team
    .map((facts) => ({ facts, status: reviewStatus(facts, setting) }))
    .filter((r) => r.status.state === 'awaiting_review' && r.facts.officerPersonId !== supervisor.person_id)
  const cutoff = now.getTime() - BACKLOG_DAYS * DAY
  const officers = needing.filter((r) => r.facts.officerPersonId === officer.person_id)
  // The officer's newest reviewable report is returned; their next newest stays in the backlog for the walk-through.
  const returned = officers.at(-1)?.facts
  const waiting = officers.at(-2)?.facts
  const referred = needing.filter((r) => r.status.flags.cedDischarge && r.facts !== returned).at(-1)?.facts
  // Loud rather than a demo whose Professional Standards walk-through is silently empty.
  if (!referred) throw new Error('demo seed: no CED discharge awaiting review in the demo supervisor’s team')

  const rows: Insertable<Database['report_reviews']>[] = []
  const events: AuditEvent[] = []
  const actor = { userId: supervisor.id, label: 'demo seed' }
  const decide = (
    facts: ReviewFacts,
    decision: 'approved' | 'returned' | 'referred',
    extra: Partial<Insertable<Database['report_reviews']>>,
  ) => {
    const id = randomUUID()
    const decidedAt = new Date(Math.min(facts.submittedAt.getTime() + (1 + (rows.length % 2)) * DAY, now.getTime()))
    rows.push({
      id,
      force_id: forceId,
      report_id: facts.id,
      report_version: facts.version,
      round: 1,
      reviewer_user_id: supervisor.id,
      decision,
      checklist: JSON.stringify(satisfied),
      rationale: 'Force was necessary and proportionate to the threat described; the account matches the footage.',
      corrections: null,
      decided_at: decidedAt,
      ...extra,
    })
    events.push({
      forceId,
      actor,
      action: 'report.reviewed',
      entityType: 'report',
      entityId: facts.id,
      details: { round: 1, version: facts.version, decision },
    })
    return { id, decidedAt }
  }

  for (const { facts } of needing) {
    if ([returned, waiting, referred].includes(facts) || facts.submittedAt.getTime() >= cutoff) continue
    decide(facts, 'approved', {})
  }
  if (returned) {
    decide(returned, 'returned', {
      checklist: JSON.stringify({ ...satisfied, bwvReviewed: 'no' }),
      rationale:
        'The account does not say what the person did before force was used, and the footage is not referenced.',
      corrections: 'Add the body-worn video reference, and describe what the person did just before you used force.',
    })
  }
  const review = decide(referred, 'referred', {
    checklist: JSON.stringify({ ...satisfied, proportionate: 'no', learning: 'yes' }),
    rationale: 'The person complained that the CED was fired after they had stopped resisting; the footage is unclear.',
  })
  for (const batch of chunks(rows)) await trx.insertInto('report_reviews').values(batch).execute()
  const referralId = randomUUID()
  await trx
    .insertInto('referrals')
    .values({
      id: referralId,
      force_id: forceId,
      report_id: referred.id,
      review_id: review.id,
      referred_by_user_id: supervisor.id,
      referred_at: review.decidedAt,
      reason: 'The person complained that the CED was fired after they had stopped resisting.',
      complaint: true,
      updated_at: review.decidedAt,
    })
    .execute()
  events.push({
    forceId,
    actor,
    action: 'referral.opened',
    entityType: 'referral',
    entityId: referralId,
    details: { reportId: referred.id, round: 1, complaint: true, conductMatter: false },
  })
  await appendAuditBatch(trx, events, now)
  return { reviews: rows.length, backlog: needing.length - rows.length, referrals: 1 }
}
