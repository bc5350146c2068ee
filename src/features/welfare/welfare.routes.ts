import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import { formatMonth, londonDate, shiftMonth } from '../../domain/calendar.js'
import { calendarDate, dateBoxes } from '../../web/date-input.js'
import { stepOutcomes, welfareSteps, type WelfareStep } from '../../domain/welfare/welfare.js'
import { actorOf, principalOf } from '../../web/access.js'
import { paging } from '../../web/pagination.js'
import { HttpError } from '../../web/errors.js'
import { parseForm } from '../../web/forms.js'
import { errorContext, type FieldError } from '../../web/render.js'
import { canActOn, scopeFilter } from '../auth/policy.js'
import { unitPathOf } from '../reports/reports.repository.js'
import { findFollowUp, listFollowUps, officerAssaultsByMonth, stepEntries } from './welfare.repository.js'
import { recordWelfareStep } from './welfare.service.js'

const PAGE_SIZE = 50

const listQuery = z.object({
  status: z.enum(['open', 'completed', 'all']).catch('open'),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
})
const idParams = z.object({ id: z.uuid() })
const doneQuery = z.object({ done: z.enum(['recorded']).optional().catch(undefined) })
const stepParams = z.object({ id: z.uuid(), step: z.enum(welfareSteps.values) })

const stepForm = z.object({
  outcome: z.enum(stepOutcomes.values, { error: 'Select whether the step was done or is not needed' }),
  carriedOutBy: z
    .string({ error: 'Enter who carried out the step' })
    .trim()
    .min(1, 'Enter who carried out the step')
    .max(200, 'Who carried out the step must be 200 characters or fewer'),
  carriedOutOn: z.string({ error: 'Enter the date as a real date, like 27 3 2026' }),
  notes: z.string().trim().max(2000, 'The notes must be 2,000 characters or fewer'),
})

const fieldOrder = ['outcome', 'carriedOutBy', 'carriedOutOn-day', 'notes']

const textOf = (body: Record<string, unknown>, key: string) => (typeof body[key] === 'string' ? body[key] : '')

/**
 * Officer welfare: follow-ups after an officer is recorded as assaulted or injured (created by the scheduled jobs, src/features/jobs/),
 * each step recorded with who, when and notes, and assaults and injuries by month.
 */
export async function welfareRoutes(app: FastifyInstance, { db, clock }: { db: Db; clock: Clock }) {
  const deps = { db, clock }

  app.get('/welfare', { config: { access: 'welfare.view' } }, async (request, reply) => {
    const query = listQuery.parse(request.query)
    const principal = principalOf(request)
    const scope = scopeFilter(principal, 'welfare.view')
    const month = londonDate(clock()).slice(0, 7)
    const [{ followUps, total }, trend] = await Promise.all([
      listFollowUps(db, scope, { status: query.status, page: query.page, pageSize: PAGE_SIZE }),
      scope.kind === 'own'
        ? Promise.resolve([])
        : officerAssaultsByMonth(db, scope, { from: shiftMonth(month, -11), to: month }),
    ])
    const href = (page: number) => `/welfare?${new URLSearchParams({ status: query.status, page: `${page}` })}`
    return reply.render('welfare/views/follow-ups.njk', {
      pageTitle: 'Officer welfare',
      followUps: followUps.map((f) => ({ ...f, stepCount: welfareSteps.values.length })),
      total,
      query,
      own: scope.kind === 'own',
      trend: trend.map((t) => ({ ...t, label: formatMonth(t.month) })),
      trendScope: scope.kind === 'force' ? 'the force' : 'your team',
      paging: paging({ page: query.page, pageSize: PAGE_SIZE }, total, href),
      statusItems: [
        { value: 'open', text: 'Open' },
        { value: 'completed', text: 'Completed' },
        { value: 'all', text: 'All' },
      ].map((i) => ({ ...i, selected: i.value === query.status })),
    })
  })

  /** The follow-up, if the caller may see it: out of scope reads as not found. */
  async function visibleFollowUp(request: FastifyRequest, id: string) {
    const principal = principalOf(request)
    const followUp = await findFollowUp(db, principal.forceId, id)
    if (!followUp) throw new HttpError(404, 'Page not found')
    const where = {
      forceId: principal.forceId,
      unitPath: await unitPathOf(db, followUp.unit_id),
      ownerPersonId: followUp.person_id,
    }
    if (!canActOn(principal, 'welfare.view', where)) throw new HttpError(404, 'Page not found')
    return { followUp, canManage: canActOn(principal, 'welfare.manage', where) }
  }

  app.get('/welfare/:id', { config: { access: 'welfare.view' } }, async (request, reply) => {
    const parsed = idParams.safeParse(request.params)
    if (!parsed.success) throw new HttpError(404, 'Page not found')
    const { followUp, canManage } = await visibleFollowUp(request, parsed.data.id)
    const entries = await stepEntries(db, followUp.id)
    const latest = new Map(entries.map((e) => [e.step, e]))
    return reply.render('welfare/views/follow-up.njk', {
      pageTitle: `Welfare follow-up: ${followUp.given_name} ${followUp.family_name}`,
      followUp: { ...followUp, officer: `${followUp.given_name} ${followUp.family_name}` },
      steps: welfareSteps.codes.map((s) => {
        const entry = latest.get(s.value)
        return {
          ...s,
          entry: entry && { ...entry, outcomeLabel: stepOutcomes.label(entry.outcome) },
        }
      }),
      history: entries.map((e) => ({
        ...e,
        stepLabel: welfareSteps.label(e.step as never),
        outcomeLabel: stepOutcomes.label(e.outcome),
      })),
      canManage,
      notice: doneQuery.parse(request.query).done === 'recorded' ? 'Step recorded' : null,
    })
  })

  async function renderStep(
    request: FastifyRequest,
    reply: FastifyReply,
    options: { errors?: FieldError[]; values?: Record<string, string> } = {},
  ) {
    const params = stepParams.safeParse(request.params)
    if (!params.success) throw new HttpError(404, 'Page not found')
    const { followUp, canManage } = await visibleFollowUp(request, params.data.id)
    if (!canManage) throw new HttpError(404, 'Page not found')
    const step = welfareSteps.byValue(params.data.step)
    const values = options.values ?? {
      outcome: '',
      carriedOutBy: request.account?.displayName ?? '',
      notes: '',
      ...prefixed(dateBoxes(londonDate(clock()))),
    }
    return reply.code(options.errors?.length ? 400 : 200).render('welfare/views/step.njk', {
      pageTitle: `${step.label}: ${followUp.given_name} ${followUp.family_name}`,
      followUp: { ...followUp, officer: `${followUp.given_name} ${followUp.family_name}` },
      step,
      values,
      outcomeItems: stepOutcomes.codes.map((o) => ({
        value: o.value,
        text: o.label,
        checked: o.value === values.outcome,
      })),
      ...errorContext(options.errors ?? []),
    })
  }

  app.get('/welfare/:id/steps/:step', { config: { access: 'welfare.manage' } }, (request, reply) =>
    renderStep(request, reply),
  )

  app.post('/welfare/:id/steps/:step', { config: { access: 'welfare.manage' } }, async (request, reply) => {
    const params = stepParams.safeParse(request.params)
    if (!params.success) throw new HttpError(404, 'Page not found')
    const { followUp } = await visibleFollowUp(request, params.data.id)
    const body = (request.body ?? {}) as Record<string, unknown>
    const values = Object.fromEntries(
      ['outcome', 'carriedOutBy', 'notes', 'carriedOutOn-day', 'carriedOutOn-month', 'carriedOutOn-year'].map((k) => [
        k,
        textOf(body, k),
      ]),
    )
    const day = calendarDate(
      values['carriedOutOn-day'] ?? '',
      values['carriedOutOn-month'] ?? '',
      values['carriedOutOn-year'] ?? '',
    )
    const parsed = parseForm(stepForm, { ...values, carriedOutOn: day ?? '' })
    const found: FieldError[] = parsed.ok ? [] : parsed.errors.filter((e) => e.field !== 'carriedOutOn')
    const dateError = !day
      ? 'Enter the date as a real date, like 27 3 2026'
      : day > londonDate(clock())
        ? 'The date must be today or in the past'
        : day < londonDate(followUp.occurred_at)
          ? 'The date must be on or after the day of the incident'
          : null
    if (dateError) found.push({ field: 'carriedOutOn-day', text: dateError })
    // In the order the page asks, so the error summary follows it.
    const errors = fieldOrder.flatMap((field) => found.filter((e) => e.field === field))
    if (!parsed.ok || errors.length) return renderStep(request, reply, { errors, values })
    const outcome = await recordWelfareStep(deps, actorOf(request), principalOf(request), {
      followUpId: followUp.id,
      step: params.data.step as WelfareStep,
      outcome: parsed.value.outcome,
      carriedOutBy: parsed.value.carriedOutBy,
      carriedOutOn: day ?? '',
      notes: parsed.value.notes,
    })
    if (!outcome.ok) throw new HttpError(404, 'Page not found')
    return reply.redirect(`/welfare/${followUp.id}?done=recorded`, 303)
  })
}

/** Date boxes named as the form names them. */
function prefixed(boxes: { day: string; month: string; year: string }) {
  return {
    'carriedOutOn-day': boxes.day,
    'carriedOutOn-month': boxes.month,
    'carriedOutOn-year': boxes.year,
  }
}
