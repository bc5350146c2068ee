import type { Clock } from '../../../clock.js'
import type { Db } from '../../../db/database.js'
import { reportBody, reportSubmission } from '../../../domain/use-of-force/report.js'
import type { RuleIssue } from '../../../domain/use-of-force/rules.js'
import type { ScopeFilter } from '../../auth/policy.js'
import { findIncidentByReference, loadReport } from '../reports.repository.js'
import { amendReport, submitReport, type Caller } from '../reports.service.js'
import { emptyDraft, existingReference, type DraftData } from './draft-data.js'
import {
  draftDeadlineHours,
  findAmendmentDraft,
  insertDraft,
  overdueDraftRows,
  type Draft,
  type Owner,
} from './drafts.repository.js'
import {
  bodyInput,
  issuesOf,
  reviewDraft,
  submissionIssues,
  type DraftContext,
  type DraftReview,
} from './validation.js'

interface Deps {
  db: Db
  clock: Clock
}

export const ownerOf = (caller: Caller): Owner => ({
  userId: caller.principal.userId,
  forceId: caller.principal.forceId,
})

export function startDraft(deps: Deps, caller: Caller): Promise<string> {
  return insertDraft(deps.db, ownerOf(caller), { reportId: null, data: emptyDraft(), now: deps.clock() })
}

/**
 * A draft for amending a submitted report, filled in from its current version (a report's answers are valid input
 * as they stand). Only the officer who made the report may amend it, as amendReport insists; an unfinished
 * amendment of the same report is continued rather than a second one started.
 */
export async function startAmendment(
  deps: Deps,
  caller: Caller,
  reportId: string,
): Promise<{ ok: true; draftId: string } | { ok: false }> {
  const { principal } = caller
  const report = await loadReport(deps.db, principal.forceId, reportId)
  if (!report || !principal.personId || report.officerPersonId !== principal.personId) return { ok: false }
  const owner = ownerOf(caller)
  const existing = await findAmendmentDraft(deps.db, owner, reportId)
  if (existing) return { ok: true, draftId: existing }
  const data: DraftData = { ...report.body, basedOnVersion: report.version }
  return { ok: true, draftId: await insertDraft(deps.db, owner, { reportId, data, now: deps.clock() }) }
}

/** What checking a draft needs besides its answers: the time, and the incident it names by reference. */
export async function contextFor(deps: Deps, draft: Pick<Draft, 'forceId' | 'reportId'>, data: DraftData) {
  const reference = existingReference(data)
  const incident = reference ? await findIncidentByReference(deps.db, draft.forceId, reference.slice(0, 40)) : undefined
  return { now: deps.clock(), incident: incident ?? null, amendment: draft.reportId !== null } satisfies DraftContext
}

export async function reviewOf(deps: Deps, draft: Draft): Promise<{ review: DraftReview; context: DraftContext }> {
  const context = await contextFor(deps, draft, draft.data)
  return { review: reviewDraft(draft.data, context), context }
}

/** The idempotency key of a draft's submission: a second press of "Submit" finds the report the first made. */
export const submissionKey = (draftId: string) => `draft-${draftId}`

export type DraftOutcome =
  | { ok: true; kind: 'submitted'; reportId: string }
  | { ok: true; kind: 'amended'; reportId: string; version: number }
  | { ok: false; status: 400 | 403 | 404 | 409 | 422; issues: RuleIssue[] }

const REASON_MAX = 2000

function reasonIssues(reason: string): RuleIssue[] {
  if (reason.trim() === '') return [{ path: ['reason'], message: 'Enter the reason for the amendment' }]
  if (reason.trim().length > REASON_MAX) {
    return [{ path: ['reason'], message: `The reason must be ${REASON_MAX} characters or fewer` }]
  }
  return []
}

/**
 * Submits a new report's draft (the draft is deleted with the submission), or an amendment's with its reason
 * (deleted once the amendment is saved). Every problem comes back with its path, for the error summary.
 */
export async function submitDraft(
  deps: Deps,
  caller: Caller,
  draft: Draft,
  options: { reason?: string } = {},
): Promise<DraftOutcome> {
  const { review } = await reviewOf(deps, draft)
  const problems = submissionIssues(review, draft.data)

  if (draft.reportId !== null) {
    const reason = options.reason ?? ''
    const issues = [...problems, ...reasonIssues(reason)]
    const body = reportBody.safeParse(bodyInput(draft.data))
    if (issues.length) return { ok: false, status: 400, issues }
    if (!body.success) return { ok: false, status: 400, issues: issuesOf(body.error) }
    const outcome = await amendReport(deps, caller, draft.reportId, {
      expectedVersion: draft.data.basedOnVersion ?? 0,
      reason: reason.trim(),
      body: body.data,
      draftId: draft.id,
    })
    if (!outcome.ok) return { ok: false, status: outcome.status, issues: outcome.errors }
    return { ok: true, kind: 'amended', reportId: draft.reportId, version: outcome.version }
  }

  if (problems.length) return { ok: false, status: 400, issues: problems }
  const submission = reportSubmission.safeParse(draft.data)
  // The sections' checks are the schema's own parts, so this holds unless the draft has answers no page asks.
  if (!submission.success) return { ok: false, status: 400, issues: issuesOf(submission.error) }
  const outcome = await submitReport(deps, caller, submission.data, {
    draftId: draft.id,
    idempotencyKey: submissionKey(draft.id),
  })
  if (!outcome.ok) return { ok: false, status: outcome.status, issues: outcome.errors }
  return { ok: true, kind: 'submitted', reportId: outcome.report.id }
}

export interface OverdueDraft {
  id: string
  ownerUserId: string
  ownerName: string
  startedAt: Date
  /** How long ago it was started, in whole minutes. */
  ageMinutes: number
}

/**
 * Drafts of new reports in the scope that are overdue: started at least the force's deadline ago
 * (`force_settings.draft_deadline_hours`, 24 by default), measured with the injected clock. A draft exactly at the
 * deadline is overdue: "within 24 hours" means it is late at 24 hours, not a minute after.
 */
export async function overdueDrafts(
  db: Db,
  scope: ScopeFilter,
  now: Date,
): Promise<{ deadlineHours: number; drafts: OverdueDraft[] }> {
  if (scope.kind === 'none') return { deadlineHours: 0, drafts: [] }
  const deadlineHours = await draftDeadlineHours(db, scope.forceId)
  const startedBy = new Date(now.getTime() - deadlineHours * 3_600_000)
  const rows = await overdueDraftRows(db, scope, startedBy)
  return {
    deadlineHours,
    drafts: rows.map((r) => ({
      id: r.id,
      ownerUserId: r.ownerUserId,
      ownerName: r.ownerName,
      startedAt: r.createdAt,
      ageMinutes: Math.floor((now.getTime() - r.createdAt.getTime()) / 60_000),
    })),
  }
}

/** Whether a draft started at `startedAt` is overdue at `now`, by the same rule as overdueDrafts. */
export function isOverdue(startedAt: Date, now: Date, deadlineHours: number): boolean {
  return now.getTime() - startedAt.getTime() >= deadlineHours * 3_600_000
}

/** A draft's age for people: hours up to two days, then days. */
export function ageText(minutes: number): string {
  const hours = Math.floor(minutes / 60)
  if (hours < 1) return `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`
  if (hours < 48) return `${hours} ${hours === 1 ? 'hour' : 'hours'}`
  const days = Math.floor(hours / 24)
  return `${days} days`
}
