import { createHash } from 'node:crypto'
import type { ReportFlags } from '../use-of-force/rules.js'
import { codeList, type ValueOf } from '../use-of-force/code-list.js'

/**
 * Supervisor review and referral to Professional Standards, as pure rules. Which reports must be reviewed reads the
 * flags every report already carries (`reportFlags` in use-of-force/rules.ts: CED discharge, child, subject injury,
 * a cycle over 5 seconds, a firearm); the force setting decides the rest.
 */

/** The force setting (force_settings.review_policy): which reports are reviewed besides the mandatory ones. */
export const reviewPolicies = codeList([
  { value: 'mandatory', label: 'Only the reports that must be reviewed', order: 1 },
  { value: 'sample', label: 'The reports that must be reviewed and a sample of the rest', order: 2 },
  { value: 'all', label: 'Every report', order: 3 },
])
export type ReviewPolicy = ValueOf<typeof reviewPolicies>

export interface ReviewSetting {
  policy: ReviewPolicy
  /** 1 to 100: the share of the other reports drawn when the policy is 'sample'. */
  samplePercent: number
}

/** Why a report must be reviewed, in the order the product lists them; empty when review is not mandatory. */
export function mandatoryReviewReasons(flags: ReportFlags): string[] {
  return [
    flags.cedDischarge && 'it records a CED discharge',
    flags.child && 'the person was a child',
    flags.subjectInjured && 'the person was injured',
    flags.prolongedDischarge && 'a CED cycle lasted more than 5 seconds',
    flags.firearm && 'a firearm was aimed or fired',
  ].filter((reason): reason is string => typeof reason === 'string')
}

/**
 * Whether a report falls in the sample: the first 32 bits of the sha-256 of its id, modulo 100, below the percentage.
 * Drawn from the id rather than at random so the answer never changes between page loads and anyone can check it.
 */
export function inReviewSample(reportId: string, percent: number): boolean {
  const bucket = createHash('sha256').update(reportId).digest().readUInt32BE(0) % 100
  return bucket < percent
}

export type ReviewRequirement = 'mandatory' | 'every-report' | 'sampled' | null

/** Why a report needs a supervisor's review, or null when it does not. */
export function reviewRequirement(flags: ReportFlags, setting: ReviewSetting, reportId: string): ReviewRequirement {
  if (flags.mandatoryReview) return 'mandatory'
  if (setting.policy === 'all') return 'every-report'
  if (setting.policy === 'sample' && inReviewSample(reportId, setting.samplePercent)) return 'sampled'
  return null
}

export const reviewDecisions = codeList([
  { value: 'approved', label: 'Approve', done: 'Approved', order: 1 },
  { value: 'returned', label: 'Return to the officer for correction', done: 'Returned for correction', order: 2 },
  { value: 'referred', label: 'Refer to Professional Standards', done: 'Referred to Professional Standards', order: 3 },
])
export type ReviewDecision = ValueOf<typeof reviewDecisions>

/** The review checklist: each question with the answers a reviewer may give. */
export const checklistQuestions = codeList([
  { value: 'justified', label: 'Was the use of force justified?', answers: ['yes', 'no'], order: 1 },
  { value: 'proportionate', label: 'Was it proportionate?', answers: ['yes', 'no'], order: 2 },
  { value: 'necessary', label: 'Was it necessary?', answers: ['yes', 'no'], order: 3 },
  {
    value: 'bwvReviewed',
    label: 'Have you reviewed the body-worn video?',
    answers: ['yes', 'no', 'no_footage'],
    order: 4,
  },
  { value: 'aftercare', label: 'Was aftercare given?', answers: ['yes', 'no', 'not_needed'], order: 5 },
  { value: 'policyFollowed', label: 'Was force policy followed?', answers: ['yes', 'no'], order: 6 },
  { value: 'learning', label: 'Is there learning for the officer or the force?', answers: ['yes', 'no'], order: 7 },
])
export type ChecklistQuestion = ValueOf<typeof checklistQuestions>

export const checklistAnswers = codeList([
  { value: 'yes', label: 'Yes', order: 1 },
  { value: 'no', label: 'No', order: 2 },
  { value: 'no_footage', label: 'There is no footage', order: 3 },
  { value: 'not_needed', label: 'Not needed', order: 4 },
])
export type ChecklistAnswer = ValueOf<typeof checklistAnswers>
export type ReviewChecklist = Record<ChecklistQuestion, ChecklistAnswer>

/** The questions a reviewer cannot answer "no" to and still approve. */
const mustBeYesToApprove: ChecklistQuestion[] = ['justified', 'proportionate', 'necessary', 'policyFollowed']

export interface ReviewIssue {
  field: string
  message: string
}

/** The rules across a decision's fields: an approval needs a yes to each of the four; a return needs corrections. */
export function reviewDecisionIssues(decision: {
  decision: ReviewDecision
  checklist: ReviewChecklist
  corrections: string | null
}): ReviewIssue[] {
  const issues: ReviewIssue[] = []
  if (decision.decision === 'approved') {
    for (const question of mustBeYesToApprove) {
      if (decision.checklist[question] !== 'yes') {
        issues.push({
          field: 'decision',
          message: `You answered no to “${checklistQuestions.label(question)}”: return the report or refer it, rather than approve it`,
        })
        break
      }
    }
  }
  if (decision.decision === 'returned' && !decision.corrections) {
    issues.push({ field: 'corrections', message: 'Tell the officer what to correct' })
  }
  return issues
}

/** A report's place in review: derived from its latest decision and its current version, never stored. */
export type ReviewState = 'not_required' | 'awaiting_review' | 'returned' | 'approved' | 'referred'

export const reviewStates = codeList([
  { value: 'awaiting_review', label: 'Awaiting review', tag: 'govuk-tag--blue', order: 1 },
  { value: 'returned', label: 'Returned', tag: 'govuk-tag--orange', order: 2 },
  { value: 'approved', label: 'Approved', tag: 'govuk-tag--green', order: 3 },
  { value: 'referred', label: 'Referred', tag: 'govuk-tag--red', order: 4 },
  { value: 'not_required', label: 'No review needed', tag: 'govuk-tag--grey', order: 5 },
])

/**
 * The review state. An amendment after a return resubmits the report (back to awaiting review, the next round);
 * an amendment after an approval does too, since the approval was of an earlier version. A referral stays with
 * Professional Standards whatever is amended.
 */
export function reviewState(
  latest: { decision: ReviewDecision; reportVersion: number } | null,
  currentVersion: number,
  required: boolean,
): ReviewState {
  if (latest === null) return required ? 'awaiting_review' : 'not_required'
  if (latest.decision === 'referred') return 'referred'
  if (currentVersion > latest.reportVersion) return 'awaiting_review'
  return latest.decision
}

/** The outcomes Professional Standards record on a referral. */
export const referralOutcomes = codeList([
  { value: 'referred_to_iopc', label: 'Referred to the IOPC', order: 1 },
  { value: 'handled_locally', label: 'Handled locally by Professional Standards', order: 2 },
  { value: 'no_further_action', label: 'No further action', order: 3 },
])
export type ReferralOutcome = ValueOf<typeof referralOutcomes>

/** What is known about a referral beyond the report: recorded by the referring supervisor or by PSD. */
export interface ReferralFacts {
  complaint: boolean
  conductMatter: boolean
}

export const iopcCriteria = codeList([
  { value: 'death_or_serious_injury', label: 'Death or serious injury', order: 1 },
  { value: 'complaint', label: 'A complaint has been made', order: 2 },
  { value: 'conduct_matter', label: 'There is a conduct matter', order: 3 },
  {
    value: 'child_ced_discharge',
    label: 'CED discharged on a child, with a complaint or conduct matter',
    order: 4,
  },
])
export type IopcCriterion = ValueOf<typeof iopcCriteria>

/**
 * The IOPC mandatory-referral criteria a case meets, in the order listed. Death or serious injury is the report's
 * own `mandatoryReferral` flag (a fatality, or a severe or fatal injury); the rest need the facts on the referral.
 */
export function iopcCriteriaMet(flags: ReportFlags, facts: ReferralFacts): IopcCriterion[] {
  const met: IopcCriterion[] = []
  if (flags.mandatoryReferral) met.push('death_or_serious_injury')
  if (facts.complaint) met.push('complaint')
  if (facts.conductMatter) met.push('conduct_matter')
  if (flags.cedDischarge && flags.child && (facts.complaint || facts.conductMatter)) met.push('child_ced_discharge')
  return met
}
