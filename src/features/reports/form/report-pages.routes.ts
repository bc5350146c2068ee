import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { Clock } from '../../../clock.js'
import type { Db } from '../../../db/database.js'
import { cedLevels } from '../../../domain/use-of-force/ced.js'
import { mandatoryReviewReasons, reviewStates, type ReviewState } from '../../../domain/review/review-rules.js'
import { reportFlags } from '../../../domain/use-of-force/rules.js'
import { principalOf } from '../../../web/access.js'
import { paging } from '../../../web/pagination.js'
import { HttpError } from '../../../web/errors.js'
import { hasPermission, scopeFilter } from '../../auth/policy.js'
import { reviewRounds } from '../../review/review.repository.js'
import { roundsForView } from '../../review/review.routes.js'
import { returnedReports } from '../../review/review.service.js'
import { reviewStatesOf } from '../../review/review-state.js'
import { listReports, loadReport } from '../reports.repository.js'
import { callerOf } from '../caller.js'
import { readReport, reportVersions } from '../reports.service.js'
import type { DraftData } from './draft-data.js'
import { draftDeadlineHours, findAmendmentDraft, listOwnDrafts, otherReportsOnIncident } from './drafts.repository.js'
import { isOverdue, ownerOf, startAmendment } from './drafts.service.js'
import { draftPath } from './drafts.routes.js'
import type { SectionKey } from './field-map.js'
import { describeChanges, reportSummary } from './summary.js'

const PAGE_SIZE = 25

const idParams = z.object({ id: z.uuid() })
const listQuery = z.object({
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
  done: z.enum(['deleted']).optional().catch(undefined),
})
const reportQuery = z.object({ done: z.enum(['amended']).optional().catch(undefined) })

function idOf(params: unknown): string {
  const parsed = idParams.safeParse(params)
  if (!parsed.success) throw new HttpError(404, 'Page not found')
  return parsed.data.id
}

/** A review state as a tag, or null for a report that needs no review and has had none. */
function reviewTag(state: ReviewState | undefined) {
  if (!state || state === 'not_required') return null
  const code = reviewStates.byValue(state)
  return { text: code.label, classes: code.tag }
}

/** The officer's own reports and drafts, the submitted-report page, its confirmation and amending it. */
export async function reportPageRoutes(app: FastifyInstance, { db, clock }: { db: Db; clock: Clock }) {
  const deps = { db, clock }

  app.get('/reports', { config: { access: 'reports.create' } }, async (request, reply) => {
    const principal = principalOf(request)
    const { page, done } = listQuery.parse(request.query)
    const now = clock()
    const [drafts, deadlineHours, { reports, total }] = await Promise.all([
      listOwnDrafts(db, ownerOf(callerOf(request))),
      draftDeadlineHours(db, principal.forceId),
      listReports(db, scopeFilter(principal, 'reports.create'), { page, pageSize: PAGE_SIZE }),
    ])
    const [states, returned] = await Promise.all([
      reviewStatesOf(
        db,
        principal.forceId,
        reports.map((r) => r.id),
      ),
      returnedReports(db, principal),
    ])
    return reply.render('reports/form/views/your-reports.njk', {
      pageTitle: 'Your reports',
      notice: done === 'deleted' ? 'Draft deleted' : undefined,
      deadlineHours,
      drafts: drafts.map((d) => ({
        ...d,
        href: draftPath(d.id),
        // Only a new report can be late: an amendment corrects one already submitted.
        overdue: d.reportId === null && isOverdue(d.createdAt, now, deadlineHours),
      })),
      reports: reports.map((r) => ({
        ...r,
        cedLabel: r.cedHighestLevel && cedLevels.has(r.cedHighestLevel) ? cedLevels.label(r.cedHighestLevel) : null,
        review: reviewTag(states.get(r.id)),
      })),
      returned: returned.map((r) => ({ id: r.id, reference: r.reference, corrections: r.latest?.corrections ?? '' })),
      total,
      paging: paging({ page, pageSize: PAGE_SIZE }, total, (p) => `/reports?page=${p}`),
    })
  })

  app.get('/reports/:id/submitted', { config: { access: 'reports.create' } }, async (request, reply) => {
    const principal = principalOf(request)
    const report = await loadReport(db, principal.forceId, idOf(request.params))
    // The confirmation is for the officer who submitted it; no one else has anything to confirm.
    if (!report || report.reporterUserId !== principal.userId) throw new HttpError(404, 'Page not found')
    const flags = reportFlags(report.body, report.subject.ageBand)
    return reply.render('reports/form/views/submitted.njk', {
      pageTitle: 'Report submitted',
      report,
      reference: report.incident.reference,
      flags,
      reviewReasons: mandatoryReviewReasons(flags),
    })
  })

  app.get('/reports/:id', { config: { access: 'reports.view' } }, async (request, reply) => {
    const principal = principalOf(request)
    const outcome = await readReport(deps, callerOf(request), idOf(request.params))
    if (!outcome.ok) throw new HttpError(404, 'Page not found')
    const { report } = outcome
    const data: DraftData = { incident: report.incident, subject: report.subject, ...report.body }
    const sections: SectionKey[] = ['incident', 'person', 'tactics', 'reasons', 'outcomes', 'about-you', 'account']
    if (report.body.cedUses.length) sections.splice(3, 0, 'ced')
    const isReporter =
      hasPermission(principal, 'reports.create') &&
      principal.personId !== null &&
      report.officerPersonId === principal.personId
    const [versions, rounds, states] = await Promise.all([
      reportVersions(db, report.id),
      reviewRounds(db, report.id),
      reviewStatesOf(db, principal.forceId, [report.id]),
    ])
    const state = states.get(report.id)
    const { done } = reportQuery.parse(request.query)
    return reply.render('reports/form/views/report.njk', {
      pageTitle: `Use of force report ${report.incident.reference}`,
      report,
      reference: report.incident.reference,
      otherReports: await otherReportsOnIncident(db, report.incident.id, report.id),
      sections: reportSummary(data, { sections }),
      versions: versions.map((v) => ({ ...v, changes: describeChanges(v.changes) })).reverse(),
      isReporter,
      review: reviewTag(state),
      rounds: roundsForView(rounds),
      returnedFor: state === 'returned' ? (rounds.at(-1)?.corrections ?? null) : null,
      amendmentDraft: isReporter ? await findAmendmentDraft(db, ownerOf(callerOf(request)), report.id) : undefined,
      notice: done === 'amended' ? `Report amended: this is version ${report.version}` : undefined,
    })
  })

  app.post('/reports/:id/amend', { config: { access: 'reports.create' } }, async (request, reply) => {
    const outcome = await startAmendment(deps, callerOf(request), idOf(request.params))
    if (!outcome.ok) throw new HttpError(404, 'Page not found')
    return reply.redirect(draftPath(outcome.draftId), 303)
  })
}
