import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import { londonDate } from '../../domain/calendar.js'
import {
  iopcCriteria,
  iopcCriteriaMet,
  referralOutcomes,
  type ReferralOutcome,
} from '../../domain/review/review-rules.js'
import { reportFlags } from '../../domain/use-of-force/rules.js'
import { actorOf, principalOf } from '../../web/access.js'
import { HttpError } from '../../web/errors.js'
import { errorContext, type FieldError } from '../../web/render.js'
import { dateItems, dateValues, readDate } from '../../web/date-input.js'
import { text } from '../../web/forms.js'
import { reviewFacts, reviewRounds, type ReviewFacts } from '../review/review.repository.js'
import { roundsForView } from '../review/review.routes.js'
import { findReferral, listReferrals, unreferredMandatoryReports } from './referrals.repository.js'
import { openFlaggedReferral, recordReferralFacts, recordReferralOutcome } from './referrals.service.js'

const idParams = z.object({ id: z.uuid() })
const doneQuery = z.object({ done: z.enum(['opened', 'facts', 'outcome']).optional().catch(undefined) })
const notices = {
  opened: 'Referral opened',
  facts: 'Complaint and conduct recorded',
  outcome: 'Outcome recorded',
} as const

function idOf(request: FastifyRequest): string {
  const parsed = idParams.safeParse(request.params)
  if (!parsed.success) throw new HttpError(404, 'Page not found')
  return parsed.data.id
}

function criteriaOf(facts: ReviewFacts, referral: { complaint: boolean; conductMatter: boolean }) {
  const met = new Set(iopcCriteriaMet(reportFlags(facts.flagInputs, facts.ageBand), referral))
  return iopcCriteria.codes.map((c) => ({ value: c.value, label: c.label, met: met.has(c.value) }))
}

/** Professional Standards: referrals with the IOPC criteria, reports flagged for referral, facts and outcomes. */
export async function referralRoutes(app: FastifyInstance, { db, clock }: { db: Db; clock: Clock }) {
  const deps = { db, clock }

  app.get('/referrals', { config: { access: 'referrals.manage' } }, async (request, reply) => {
    const { forceId } = principalOf(request)
    const [referrals, candidates] = await Promise.all([
      listReferrals(db, forceId),
      unreferredMandatoryReports(db, forceId),
    ])
    const facts = await reviewFacts(db, { forceId, reportIds: [...referrals.map((r) => r.reportId), ...candidates] })
    const factsOf = new Map(facts.map((f) => [f.id, f]))
    const flagged = candidates.map((id) => factsOf.get(id)).filter((f): f is ReviewFacts => f !== undefined)
    return reply.render('referrals/views/referrals.njk', {
      pageTitle: 'Referrals to Professional Standards',
      flagged,
      referrals: referrals.flatMap((r) => {
        const report = factsOf.get(r.reportId)
        if (!report) return []
        const criteriaText = criteriaOf(report, r)
          .filter((c) => c.met)
          .map((c) => c.label)
          .join('; ')
        return [{ ...r, report, criteriaText, outcomeLabel: r.outcome ? referralOutcomes.label(r.outcome) : null }]
      }),
    })
  })

  app.post('/referrals/open', { config: { access: 'referrals.manage' } }, async (request, reply) => {
    const reportId = (request.body as Record<string, unknown> | undefined)?.reportId
    const parsed = z.uuid().safeParse(reportId)
    if (!parsed.success) throw new HttpError(404, 'Report not found')
    const principal = principalOf(request)
    const outcome = await openFlaggedReferral(
      deps,
      { ...actorOf(request), userId: principal.userId },
      principal.forceId,
      parsed.data,
    )
    if (!outcome.ok) throw new HttpError(outcome.status, outcome.message)
    return reply.redirect(`/referrals/${outcome.id}?done=opened`, 303)
  })

  async function renderReferral(
    request: FastifyRequest,
    reply: FastifyReply,
    options: { errors?: FieldError[]; values?: Record<string, unknown> } = {},
  ) {
    const { forceId } = principalOf(request)
    const referral = await findReferral(db, forceId, idOf(request))
    if (!referral) throw new HttpError(404, 'Page not found')
    const [facts] = await reviewFacts(db, { forceId, reportIds: [referral.reportId] })
    if (!facts) throw new HttpError(404, 'Page not found')
    const errors = options.errors ?? []
    const body = options.values ?? {}
    const { done } = doneQuery.parse(request.query)
    const criteria = criteriaOf(facts, referral)
    return reply.code(errors.length ? 400 : 200).render('referrals/views/referral.njk', {
      pageTitle: `Referral: incident ${facts.reference}`,
      referral,
      report: facts,
      flags: reportFlags(facts.flagInputs, facts.ageBand),
      criteria,
      mandatory: criteria.some((c) => c.met),
      outcomeLabel: referral.outcome ? referralOutcomes.label(referral.outcome) : null,
      rounds: roundsForView(await reviewRounds(db, referral.reportId)),
      outcomeItems: referralOutcomes.codes.map((o) => ({
        value: o.value,
        text: o.label,
        checked: body.outcome === o.value,
      })),
      notes: text(body, 'notes'),
      decidedOn: dateItems(dateValues(body, 'decidedOn'), Boolean(errorContext(errors).fieldErrors['decidedOn-day'])),
      iopcReferredOn: dateItems(
        dateValues(body, 'iopcReferredOn'),
        Boolean(errorContext(errors).fieldErrors['iopcReferredOn-day']),
      ),
      notice: done ? notices[done] : null,
      ...errorContext(errors),
    })
  }

  app.get('/referrals/:id', { config: { access: 'referrals.manage' } }, async (request, reply) =>
    renderReferral(request, reply),
  )

  app.post('/referrals/:id/facts', { config: { access: 'referrals.manage' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>
    const principal = principalOf(request)
    const outcome = await recordReferralFacts(deps, actorOf(request), principal.forceId, idOf(request), {
      complaint: body.complaint === 'yes',
      conductMatter: body.conductMatter === 'yes',
    })
    if (!outcome.ok) {
      if (outcome.status === 404) throw new HttpError(404, 'Page not found')
      return renderReferral(request, reply, { errors: [{ field: outcome.field, text: outcome.message }] })
    }
    return reply.redirect(`/referrals/${idOf(request)}?done=facts`, 303)
  })

  app.post('/referrals/:id/outcome', { config: { access: 'referrals.manage' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>
    const errors: FieldError[] = []
    const outcome = referralOutcomes.has(body.outcome) ? (body.outcome as ReferralOutcome) : null
    if (!outcome) errors.push({ field: 'outcome', text: 'Select the outcome' })
    const notes = text(body, 'notes')
    if (!notes) errors.push({ field: 'notes', text: 'Explain the outcome' })
    else if (notes.length > 5000) errors.push({ field: 'notes', text: 'Write 5,000 characters or fewer' })
    const today = londonDate(clock())
    const decidedOn = readDate(body, 'decidedOn', 'the date of the decision', errors)
    if (decidedOn && decidedOn > today)
      errors.push({ field: 'decidedOn-day', text: 'The decision date must be today or in the past' })
    let iopcReferredOn: string | null = null
    if (outcome === 'referred_to_iopc') {
      iopcReferredOn = readDate(body, 'iopcReferredOn', 'the date it was referred to the IOPC', errors)
      if (iopcReferredOn && iopcReferredOn > today) {
        errors.push({ field: 'iopcReferredOn-day', text: 'The date it was referred must be today or in the past' })
      }
    }
    if (errors.length || !outcome || !decidedOn) return renderReferral(request, reply, { errors, values: body })
    const principal = principalOf(request)
    const saved = await recordReferralOutcome(
      deps,
      { ...actorOf(request), userId: principal.userId },
      principal.forceId,
      idOf(request),
      { outcome, notes, decidedOn, iopcReferredOn },
    )
    if (!saved.ok) {
      if (saved.status === 404) throw new HttpError(404, 'Page not found')
      return renderReferral(request, reply, { errors: [{ field: saved.field, text: saved.message }], values: body })
    }
    return reply.redirect(`/referrals/${idOf(request)}?done=outcome`, 303)
  })
}
