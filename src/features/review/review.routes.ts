import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import {
  checklistAnswers,
  checklistQuestions,
  reviewDecisions,
  reviewPolicies,
  reviewStates,
  type ReviewChecklist,
} from '../../domain/review/review-rules.js'
import type { DraftData } from '../reports/form/draft-data.js'
import { reportSummary } from '../reports/form/summary.js'
import type { SectionKey } from '../reports/form/field-map.js'
import { callerOf } from '../reports/caller.js'
import { readReport } from '../reports/reports.service.js'
import { actorOf, principalOf } from '../../web/access.js'
import { HttpError } from '../../web/errors.js'
import { parseForm } from '../../web/forms.js'
import { errorContext, type FieldError } from '../../web/render.js'
import { reviewRounds, reviewSetting, type ReviewRound } from './review.repository.js'
import { decideReview, isOpenForDecision, reviewableReport, reviewQueue, saveReviewSetting } from './review.service.js'

const idParams = z.object({ id: z.uuid() })
const doneQuery = z.object({
  done: z.enum(['approved', 'returned', 'referred', 'settings']).optional().catch(undefined),
})

const requirementText = { 'every-report': 'Force setting: every report', sampled: 'Drawn in the review sample' }

const answer = <const A extends readonly [string, ...string[]]>(answers: A, question: string) =>
  z.enum(answers, { error: `Answer “${question}”` })
const yesNo = ['yes', 'no'] as const
const text = (message: string) =>
  z.string({ error: message }).trim().min(1, message).max(5000, 'Write 5,000 characters or fewer')

/** The decision form, in page order so the error summary follows the page. */
const decisionForm = z
  .object({
    expectedVersion: z.coerce.number().int().min(1),
    justified: answer(yesNo, checklistQuestions.label('justified')),
    proportionate: answer(yesNo, checklistQuestions.label('proportionate')),
    necessary: answer(yesNo, checklistQuestions.label('necessary')),
    bwvReviewed: answer(['yes', 'no', 'no_footage'], checklistQuestions.label('bwvReviewed')),
    aftercare: answer(['yes', 'no', 'not_needed'], checklistQuestions.label('aftercare')),
    policyFollowed: answer(yesNo, checklistQuestions.label('policyFollowed')),
    learning: answer(yesNo, checklistQuestions.label('learning')),
    rationale: text('Give the reasons for your decision'),
    decision: z.enum(reviewDecisions.values, { error: 'Select your decision' }),
    corrections: z.string().trim().max(5000, 'Write 5,000 characters or fewer').optional(),
    complaint: z.literal('yes').optional(),
    conductMatter: z.literal('yes').optional(),
  })
  .superRefine((form, ctx) => {
    if (form.decision === 'returned' && !form.corrections) {
      ctx.addIssue({ code: 'custom', path: ['corrections'], message: 'Tell the officer what to correct' })
    }
  })

const settingsForm = z
  .object({
    policy: z.enum(reviewPolicies.values, { error: 'Select which reports are reviewed' }),
    samplePercent: z.string().optional(),
  })
  .transform((form, ctx) => {
    if (form.policy !== 'sample') return { policy: form.policy, samplePercent: null }
    const percent = Number(form.samplePercent)
    if (!form.samplePercent || !Number.isInteger(percent) || percent < 1 || percent > 100) {
      ctx.addIssue({ code: 'custom', path: ['samplePercent'], message: 'Enter a whole percentage from 1 to 100' })
      return z.NEVER
    }
    return { policy: form.policy, samplePercent: percent }
  })

/** Capitalises only the first letter (Nunjucks' capitalize lowercases the rest, which would turn CED into ced). */
const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

function idOf(request: FastifyRequest): string {
  const parsed = idParams.safeParse(request.params)
  if (!parsed.success) throw new HttpError(404, 'Page not found')
  return parsed.data.id
}

/** Review rounds as every page that shows them wants them: labels for the decision and each checklist answer. */
export function roundsForView(rounds: ReviewRound[]) {
  return rounds.map((r) => ({
    ...r,
    decisionLabel: reviewDecisions.byValue(r.decision).done,
    answers: checklistQuestions.codes.map((q) => ({
      key: { text: q.label },
      value: { text: checklistAnswers.has(r.checklist[q.value]) ? checklistAnswers.label(r.checklist[q.value]) : '' },
    })),
  }))
}

/** The supervisor's review queue, the review page of one report with its decision form, and the force setting. */
export async function reviewRoutes(app: FastifyInstance, { db, clock }: { db: Db; clock: Clock }) {
  const deps = { db, clock }

  app.get('/review', { config: { access: 'reports.review' } }, async (request, reply) => {
    const { setting, reports } = await reviewQueue(db, principalOf(request))
    const { done } = doneQuery.parse(request.query)
    return reply.render('review/views/queue.njk', {
      pageTitle: 'Reports awaiting review',
      reports: reports.map((r) => ({
        ...r,
        why: sentence(
          r.status.requirement === 'mandatory'
            ? r.status.reasons.join('; ')
            : requirementText[r.status.requirement ?? 'sampled'],
        ),
      })),
      policyLabel: reviewPolicies.label(setting.policy),
      samplePercent: setting.policy === 'sample' ? setting.samplePercent : null,
      notice:
        done && done !== 'settings' ? `Review recorded: ${reviewDecisions.byValue(done).done.toLowerCase()}` : null,
    })
  })

  async function renderReview(
    request: FastifyRequest,
    reply: FastifyReply,
    options: { errors?: FieldError[]; values?: Record<string, string>; status?: number } = {},
  ) {
    const id = idOf(request)
    const principal = principalOf(request)
    const found = await reviewableReport(db, principal, id)
    if (!found.ok) throw new HttpError(found.status, found.message)
    // Reading the report for a review is a read of a sensitive record: readReport audits it.
    const read = await readReport(deps, callerOf(request), id)
    if (!read.ok) throw new HttpError(404, 'Page not found')
    const { report } = read
    const data: DraftData = { incident: report.incident, subject: report.subject, ...report.body }
    const sections: SectionKey[] = ['incident', 'person', 'tactics', 'reasons', 'outcomes', 'about-you', 'account']
    if (report.body.cedUses.length) sections.splice(3, 0, 'ced')
    const { status } = found
    const values = options.values ?? {}
    const radios = (name: string, answers: readonly string[]) =>
      answers.map((a) => ({ value: a, text: checklistAnswers.label(a as never), checked: values[name] === a }))
    return reply.code(options.status ?? (options.errors?.length ? 400 : 200)).render('review/views/review.njk', {
      pageTitle: `Review report ${report.incident.reference}`,
      report,
      officer: found.facts.officerName,
      collarNumber: found.facts.collarNumber,
      status,
      stateLabel: reviewStates.label(status.state),
      stateTag: reviewStates.byValue(status.state).tag,
      requirementText:
        status.requirement && status.requirement !== 'mandatory' ? requirementText[status.requirement] : null,
      open: isOpenForDecision(status),
      rounds: roundsForView(await reviewRounds(db, id)),
      sections: reportSummary(data, { sections }),
      questions: checklistQuestions.codes.map((q) => ({
        name: q.value,
        label: q.label,
        items: radios(q.value, q.answers),
      })),
      decisionItems: reviewDecisions.codes.map((d) => ({
        value: d.value,
        text: d.label,
        checked: values.decision === d.value,
      })),
      values,
      ...errorContext(options.errors ?? []),
    })
  }

  app.get('/review/reports/:id', { config: { access: 'reports.review' } }, async (request, reply) =>
    renderReview(request, reply),
  )

  app.post('/review/reports/:id', { config: { access: 'reports.review' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>
    const values = Object.fromEntries(
      Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== '_csrf'),
    )
    const parsed = parseForm(decisionForm, body)
    if (!parsed.ok) return renderReview(request, reply, { errors: parsed.errors, values })
    const form = parsed.value
    const checklist: ReviewChecklist = {
      justified: form.justified,
      proportionate: form.proportionate,
      necessary: form.necessary,
      bwvReviewed: form.bwvReviewed,
      aftercare: form.aftercare,
      policyFollowed: form.policyFollowed,
      learning: form.learning,
    }
    const outcome = await decideReview(
      deps,
      { principal: principalOf(request), actor: actorOf(request) },
      idOf(request),
      {
        expectedVersion: form.expectedVersion,
        decision: form.decision,
        checklist,
        rationale: form.rationale,
        corrections: form.corrections || null,
        complaint: form.complaint === 'yes',
        conductMatter: form.conductMatter === 'yes',
      },
    )
    if (!outcome.ok) {
      if (outcome.status === 404 || outcome.status === 403) throw new HttpError(outcome.status, outcome.message)
      return renderReview(request, reply, {
        errors: [{ field: outcome.field, text: outcome.message }],
        values,
        status: outcome.status,
      })
    }
    return reply.redirect(`/review?done=${form.decision}`, 303)
  })

  async function renderSettings(
    reply: FastifyReply,
    values: Record<string, string>,
    options: { errors?: FieldError[]; notice?: string } = {},
  ) {
    const errors = options.errors ?? []
    return reply.code(errors.length ? 400 : 200).render('review/views/settings.njk', {
      pageTitle: 'Which reports are reviewed',
      policyItems: reviewPolicies.codes.map((p) => ({
        value: p.value,
        text: p.label,
        checked: values.policy === p.value,
      })),
      values,
      notice: options.notice,
      ...errorContext(errors),
    })
  }

  app.get('/review/settings', { config: { access: 'review-settings.manage' } }, async (request, reply) => {
    const setting = await reviewSetting(db, principalOf(request).forceId)
    const { done } = doneQuery.parse(request.query)
    return renderSettings(
      reply,
      { policy: setting.policy, samplePercent: String(setting.samplePercent) },
      { notice: done === 'settings' ? 'Setting saved' : undefined },
    )
  })

  app.post('/review/settings', { config: { access: 'review-settings.manage' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>
    const values = {
      policy: typeof body.policy === 'string' ? body.policy : '',
      samplePercent: typeof body.samplePercent === 'string' ? body.samplePercent : '',
    }
    const parsed = parseForm(settingsForm, values)
    if (!parsed.ok) return renderSettings(reply, values, { errors: parsed.errors })
    const principal = principalOf(request)
    const current = await reviewSetting(db, principal.forceId)
    await saveReviewSetting(deps, actorOf(request), principal.forceId, {
      policy: parsed.value.policy,
      samplePercent: parsed.value.samplePercent ?? current.samplePercent,
    })
    return reply.redirect('/review/settings?done=settings', 303)
  })
}
