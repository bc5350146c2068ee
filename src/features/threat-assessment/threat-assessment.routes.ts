import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import { formatMonth, londonDate, MONTH, shiftMonth } from '../../domain/calendar.js'
import { actorOf, principalOf } from '../../web/access.js'
import { HttpError } from '../../web/errors.js'
import { parseForm } from '../../web/forms.js'
import { errorContext, type FieldError } from '../../web/render.js'
import { hasPermission } from '../auth/policy.js'
import { onFirstBox, withDates, date } from '../authorisations/authorisations.schema.js'
import { formatPercent } from '../authorisations/funnel.js'
import {
  approve,
  findAssessment,
  generateEvidence,
  listAssessments,
  recordInformed,
  startVersion,
  targetUnits,
  updateDraft,
  type Assessment,
  type Refusal,
  type Target,
} from './threat-assessment.service.js'

const idParams = z.object({ id: z.uuid() })

function idOf(request: FastifyRequest): string {
  const parsed = idParams.safeParse(request.params)
  if (!parsed.success) throw new HttpError(404, 'Page not found')
  return parsed.data.id
}

const text = (value: unknown) => (typeof value === 'string' ? value : '')

function typed(body: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries((body ?? {}) as Record<string, unknown>).map(([k, v]) => [k, text(v)]))
}

function isRefusal(outcome: unknown): outcome is Refusal {
  return typeof outcome === 'object' && outcome !== null && 'status' in outcome
}

const draftForm = z.object({
  from: z.string('Select the first month of the period').regex(MONTH, 'Select the first month of the period'),
  to: z.string('Select the last month of the period').regex(MONTH, 'Select the last month of the period'),
  decision: z.string().trim().max(20_000, 'The decision must be 20,000 characters or fewer').default(''),
})

const targetValue = z
  .string()
  .trim()
  .regex(/^\d{0,5}$/, 'Enter a whole number of officers, like 40, or leave it blank')

const informedForm = z.preprocess(
  withDates(['pccInformedOn', 'communityInformedOn'], { optional: true }),
  z.object({
    pccInformedOn: date('', 'The date the PCC was told must be a real date, like 14 3 2026').nullable(),
    communityInformedOn: date('', 'The date the community was told must be a real date, like 14 3 2026').nullable(),
  }),
)

const notices = {
  started: 'New version started from the last one',
  saved: 'Draft saved',
  evidence: 'Evidence pack generated',
  approved: 'Assessment approved. It can no longer be changed',
  informed: 'Date recorded',
}
const noticeQuery = z.object({
  done: z
    .enum(Object.keys(notices) as [keyof typeof notices, ...(keyof typeof notices)[]])
    .optional()
    .catch(undefined),
})

/** The Taser strategic threat and risk assessment: versions, the evidence pack, the decision, approval. */
export async function threatAssessmentRoutes(app: FastifyInstance, { db, clock }: { db: Db; clock: Clock }) {
  const deps = { db, clock }

  async function assessmentOr404(request: FastifyRequest): Promise<Assessment> {
    const assessment = await findAssessment(db, principalOf(request).forceId, idOf(request))
    if (!assessment) throw new HttpError(404, 'Page not found')
    return assessment
  }

  function refused(refusal: Refusal): never {
    throw new HttpError(refusal.status, refusal.message)
  }

  app.get('/threat-assessments', { config: { access: 'threat-assessment.view' } }, async (request, reply) => {
    const principal = principalOf(request)
    const versions = await listAssessments(db, principal.forceId)
    return reply.render('threat-assessment/views/assessments.njk', {
      pageTitle: 'Threat and risk assessment',
      versions,
      canStart: hasPermission(principal, 'threat-assessment.manage') && !versions.some((v) => v.status === 'draft'),
    })
  })

  app.post('/threat-assessments', { config: { access: 'threat-assessment.manage' } }, async (request, reply) => {
    const result = await startVersion(deps, actorOf(request), principalOf(request).forceId)
    if (typeof result !== 'string') return refused(result)
    return reply.redirect(`/threat-assessments/${result}?done=started`, 303)
  })

  async function renderAssessment(
    request: FastifyRequest,
    reply: FastifyReply,
    assessment: Assessment,
    options: { errors?: FieldError[]; values?: Record<string, string>; notice?: string } = {},
  ) {
    const principal = principalOf(request)
    const evidence = assessment.evidence
    return reply.render('threat-assessment/views/assessment.njk', {
      pageTitle: `Threat and risk assessment, version ${assessment.version}`,
      a: assessment,
      period: `${formatMonth(assessment.periodFrom.slice(0, 7))} to ${formatMonth(assessment.periodTo.slice(0, 7))}`,
      evidence,
      funnelPercent: evidence
        ? {
            authorisations: formatPercent(evidence.funnel.authorisations, evidence.funnel.incidents),
            uses: formatPercent(evidence.funnel.uses, evidence.funnel.authorisations),
            discharges: formatPercent(evidence.funnel.discharges, evidence.funnel.authorisations),
          }
        : null,
      targets: assessment.targets.filter((t) => t.target !== null),
      canManage: assessment.status === 'draft' && hasPermission(principal, 'threat-assessment.manage'),
      canApprove: assessment.status === 'draft' && hasPermission(principal, 'threat-assessment.approve'),
      canRecordInformed:
        assessment.status === 'approved' &&
        hasPermission(principal, 'threat-assessment.manage') &&
        (assessment.pccInformedOn === null || assessment.communityInformedOn === null),
      values: options.values ?? {},
      notice: options.notice,
      ...errorContext(options.errors ?? []),
    })
  }

  app.get('/threat-assessments/:id', { config: { access: 'threat-assessment.view' } }, async (request, reply) => {
    const assessment = await assessmentOr404(request)
    const { done } = noticeQuery.parse(request.query)
    return renderAssessment(request, reply, assessment, { notice: done ? notices[done] : undefined })
  })

  async function renderEdit(
    request: FastifyRequest,
    reply: FastifyReply,
    assessment: Assessment,
    values: { from: string; to: string; decision: string; targets: Record<string, string> },
    errors: FieldError[] = [],
  ) {
    const units = await targetUnits(db, principalOf(request).forceId)
    const thisMonth = londonDate(clock()).slice(0, 7)
    const monthItems = (selected: string) =>
      Array.from({ length: 60 }, (_, n) => shiftMonth(thisMonth, -n)).map((m) => ({
        value: m,
        text: formatMonth(m),
        selected: m === selected,
      }))
    return reply.render('threat-assessment/views/edit.njk', {
      pageTitle: `Change draft version ${assessment.version}`,
      a: assessment,
      values,
      fromItems: monthItems(values.from),
      toItems: monthItems(values.to),
      units: units.map((u) => ({ ...u, value: values.targets[u.unitId] ?? '' })),
      ...errorContext(errors),
    })
  }

  app.get(
    '/threat-assessments/:id/edit',
    { config: { access: 'threat-assessment.manage' } },
    async (request, reply) => {
      const assessment = await assessmentOr404(request)
      if (assessment.status !== 'draft')
        throw new HttpError(409, `Version ${assessment.version} is approved and cannot be changed`)
      return renderEdit(request, reply, assessment, {
        from: assessment.periodFrom.slice(0, 7),
        to: assessment.periodTo.slice(0, 7),
        decision: assessment.decision,
        targets: Object.fromEntries(
          assessment.targets.map((t) => [t.unitId, t.target === null ? '' : String(t.target)]),
        ),
      })
    },
  )

  app.post(
    '/threat-assessments/:id/edit',
    { config: { access: 'threat-assessment.manage' } },
    async (request, reply) => {
      const assessment = await assessmentOr404(request)
      const body = typed(request.body)
      const units = await targetUnits(db, principalOf(request).forceId)
      const values = {
        from: body.from ?? '',
        to: body.to ?? '',
        decision: body.decision ?? '',
        targets: Object.fromEntries(units.map((u) => [u.unitId, body[`target-${u.unitId}`] ?? ''])),
      }
      const parsed = parseForm(draftForm, request.body)
      const errors: FieldError[] = parsed.ok ? [] : [...parsed.errors]
      const targets: Target[] = []
      for (const unit of units) {
        const value = targetValue.safeParse(values.targets[unit.unitId] ?? '')
        if (!value.success)
          errors.push({
            field: `target-${unit.unitId}`,
            text: `${unit.name}: enter a whole number of officers, like 40, or leave it blank`,
          })
        else
          targets.push({ unitId: unit.unitId, name: unit.name, target: value.data === '' ? null : Number(value.data) })
      }
      if (!parsed.ok || errors.length) return renderEdit(request, reply.code(400), assessment, values, errors)
      const outcome = await updateDraft(deps, actorOf(request), principalOf(request).forceId, assessment.id, {
        ...parsed.value,
        targets,
      })
      if (isRefusal(outcome)) return refused(outcome)
      if (!outcome.ok) return renderEdit(request, reply.code(400), assessment, values, outcome.errors)
      return reply.redirect(`/threat-assessments/${assessment.id}?done=saved`, 303)
    },
  )

  app.post(
    '/threat-assessments/:id/evidence',
    { config: { access: 'threat-assessment.manage' } },
    async (request, reply) => {
      const id = idOf(request)
      const outcome = await generateEvidence(deps, actorOf(request), principalOf(request).forceId, id)
      if (isRefusal(outcome)) return refused(outcome)
      return reply.redirect(`/threat-assessments/${id}?done=evidence`, 303)
    },
  )

  app.post(
    '/threat-assessments/:id/approve',
    { config: { access: 'threat-assessment.approve' } },
    async (request, reply) => {
      const assessment = await assessmentOr404(request)
      const outcome = await approve(deps, actorOf(request), principalOf(request).forceId, assessment.id)
      if (isRefusal(outcome)) return refused(outcome)
      if (!outcome.ok) return renderAssessment(request, reply.code(400), assessment, { errors: outcome.errors })
      return reply.redirect(`/threat-assessments/${assessment.id}?done=approved`, 303)
    },
  )

  app.post(
    '/threat-assessments/:id/informed',
    { config: { access: 'threat-assessment.manage' } },
    async (request, reply) => {
      const assessment = await assessmentOr404(request)
      const values = typed(request.body)
      const parsed = parseForm(informedForm, request.body)
      if (!parsed.ok)
        return renderAssessment(request, reply.code(400), assessment, {
          values,
          errors: onFirstBox(parsed.errors, ['pccInformedOn', 'communityInformedOn']),
        })
      const outcome = await recordInformed(
        deps,
        actorOf(request),
        principalOf(request).forceId,
        assessment.id,
        parsed.value,
      )
      if (isRefusal(outcome)) return refused(outcome)
      if (!outcome.ok) return renderAssessment(request, reply.code(400), assessment, { values, errors: outcome.errors })
      return reply.redirect(`/threat-assessments/${assessment.id}?done=informed`, 303)
    },
  )
}
