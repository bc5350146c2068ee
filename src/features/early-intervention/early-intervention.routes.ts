import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import {
  flagOutcomes,
  metrics,
  MIN_COUNT,
  WINDOW_DAYS,
  type Metric,
} from '../../domain/early-intervention/early-intervention.js'
import { addDays } from '../../domain/calendar.js'
import { cedLevels } from '../../domain/use-of-force/ced.js'
import { actorOf, principalOf } from '../../web/access.js'
import { paging } from '../../web/pagination.js'
import { HttpError } from '../../web/errors.js'
import { parseForm } from '../../web/forms.js'
import { errorContext, type FieldError } from '../../web/render.js'
import { canActOn, hasPermission, scopeFilter } from '../auth/policy.js'
import { unitPathOf } from '../reports/reports.repository.js'
import { countedReports, findFlag, flagActions, listFlags, listThresholds } from './early-intervention.repository.js'
import { recordFlagAction, saveThreshold } from './early-intervention.service.js'

const PAGE_SIZE = 50

const listQuery = z.object({
  status: z.enum(['open', 'closed', 'all']).catch('open'),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
})
const idParams = z.object({ id: z.uuid() })
const done = z.object({ done: z.enum(['recorded', 'saved']).optional().catch(undefined) })

const actionForm = z.object({
  outcome: z.enum(flagOutcomes.values, { error: 'Select what was done' }),
  notes: z
    .string({ error: 'Describe what was done' })
    .trim()
    .min(1, 'Describe what was done')
    .max(2000, 'The notes must be 2,000 characters or fewer'),
  close: z.enum(['yes', 'no'], { error: 'Select whether this closes the flag' }),
})

const whole = (name: string, { min, max }: { min: number; max: number }) =>
  z.coerce
    .number({ error: `Enter the ${name} as a whole number` })
    .int(`Enter the ${name} as a whole number`)
    .min(min, `The ${name} must be from ${min} to ${max}`)
    .max(max, `The ${name} must be from ${min} to ${max}`)

const thresholdForm = z.object({
  metric: z.enum(metrics.values, { error: 'Select what the threshold counts' }),
  minCount: whole('number of reports', MIN_COUNT),
  windowDays: whole('number of days', WINDOW_DAYS),
  active: z.enum(['yes', 'no'], { error: 'Select whether the threshold is in use' }),
})

function idOf(request: FastifyRequest): string {
  const parsed = idParams.safeParse(request.params)
  if (!parsed.success) throw new HttpError(404, 'Page not found')
  return parsed.data.id
}

/** "3 or more in 90 days", the way every page words a threshold. */
export function ruleText(metric: Metric, minCount: number, windowDays: number): string {
  return `${metrics.label(metric)}: ${minCount} or more in ${windowDays} ${windowDays === 1 ? 'day' : 'days'}`
}

const textOf = (body: Record<string, unknown>, key: string) => (typeof body[key] === 'string' ? body[key] : '')

/**
 * Early intervention: the flags list (raised by the scheduled jobs, src/features/jobs/), each flag with its counted reports,
 * the team comparison and what was done, and the force's thresholds for Professional Standards.
 */
export async function earlyInterventionRoutes(app: FastifyInstance, { db, clock }: { db: Db; clock: Clock }) {
  const deps = { db, clock }

  app.get('/early-intervention', { config: { access: 'early-intervention.view' } }, async (request, reply) => {
    const query = listQuery.parse(request.query)
    const principal = principalOf(request)
    const { flags, total } = await listFlags(db, scopeFilter(principal, 'early-intervention.view'), {
      status: query.status,
      page: query.page,
      pageSize: PAGE_SIZE,
    })
    const href = (page: number) =>
      `/early-intervention?${new URLSearchParams({ status: query.status, page: `${page}` })}`
    return reply.render('early-intervention/views/flags.njk', {
      pageTitle: 'Early intervention',
      flags: flags.map((f) => ({ ...f, rule: ruleText(f.metric, f.minCount, f.windowDays) })),
      total,
      query,
      paging: paging({ page: query.page, pageSize: PAGE_SIZE }, total, href),
      statusItems: [
        { value: 'open', text: 'Open' },
        { value: 'closed', text: 'Closed' },
        { value: 'all', text: 'All' },
      ].map((i) => ({ ...i, selected: i.value === query.status })),
      canConfigure: hasPermission(principal, 'early-intervention.configure'),
    })
  })

  async function renderFlag(
    request: FastifyRequest,
    reply: FastifyReply,
    options: { errors?: FieldError[]; values?: Record<string, string> } = {},
  ) {
    const principal = principalOf(request)
    const flag = await findFlag(db, principal.forceId, idOf(request))
    const unitPath = flag ? await unitPathOf(db, flag.unit_id) : []
    // Out of scope reads as not found, so a URL reveals nothing about another team.
    if (!flag || !canActOn(principal, 'early-intervention.view', { forceId: principal.forceId, unitPath }))
      throw new HttpError(404, 'Page not found')
    const metric = flag.metric as Metric
    const [reports, actions] = await Promise.all([
      countedReports(db, flag.person_id, metric, flag.window_days, flag.as_of),
      flagActions(db, flag.id),
    ])
    const values = options.values ?? {}
    const canManage =
      flag.status === 'open' &&
      canActOn(principal, 'early-intervention.manage', { forceId: principal.forceId, unitPath })
    const officer = `${flag.given_name} ${flag.family_name}`
    return reply.code(options.errors?.length ? 400 : 200).render('early-intervention/views/flag.njk', {
      pageTitle: `Early intervention: ${officer}`,
      flag: {
        ...flag,
        officer,
        rule: ruleText(metric, flag.min_count, flag.window_days),
        description: metrics.byValue(metric)?.description ?? '',
        windowFrom: addDays(flag.as_of, 1 - flag.window_days),
        timesMean: flag.team_mean > 0 ? Math.round((flag.event_count / flag.team_mean) * 10) / 10 : null,
      },
      reports: reports.map((r) => ({
        ...r,
        cedLabel: r.cedHighestLevel ? cedLevels.label(r.cedHighestLevel as never) : 'No CED use',
      })),
      actions: actions.map((a) => ({ ...a, outcomeLabel: flagOutcomes.label(a.outcome as never) })),
      canManage,
      outcomeItems: flagOutcomes.codes.map((o) => ({
        value: o.value,
        text: o.label,
        checked: o.value === values.outcome,
      })),
      closeItems: [
        { value: 'yes', text: 'Yes, close the flag', checked: values.close === 'yes' },
        { value: 'no', text: 'No, keep it open', checked: values.close === 'no' },
      ],
      values,
      notice: done.parse(request.query).done === 'recorded' ? 'What was done has been recorded' : null,
      ...errorContext(options.errors ?? []),
    })
  }

  app.get('/early-intervention/flags/:id', { config: { access: 'early-intervention.view' } }, (request, reply) =>
    renderFlag(request, reply),
  )

  app.post(
    '/early-intervention/flags/:id/actions',
    { config: { access: 'early-intervention.manage' } },
    async (request, reply) => {
      const id = idOf(request)
      const body = (request.body ?? {}) as Record<string, unknown>
      const values = { outcome: textOf(body, 'outcome'), notes: textOf(body, 'notes'), close: textOf(body, 'close') }
      const parsed = parseForm(actionForm, values)
      if (!parsed.ok) return renderFlag(request, reply, { errors: parsed.errors, values })
      const outcome = await recordFlagAction(deps, actorOf(request), principalOf(request), {
        flagId: id,
        outcome: parsed.value.outcome,
        notes: parsed.value.notes,
        close: parsed.value.close === 'yes',
      })
      if (!outcome.ok) {
        if (outcome.status !== 400) throw new HttpError(404, 'Page not found')
        return renderFlag(request, reply, { errors: [{ field: outcome.field, text: outcome.message }], values })
      }
      return reply.redirect(`/early-intervention/flags/${id}?done=recorded`, 303)
    },
  )

  async function renderThresholds(
    request: FastifyRequest,
    reply: FastifyReply,
    options: { errors?: FieldError[]; values?: Record<string, string>; editing?: string | null } = {},
  ) {
    const principal = principalOf(request)
    const thresholds = await listThresholds(db, principal.forceId)
    const editing = options.editing ? thresholds.find((t) => t.id === options.editing) : null
    if (options.editing && !editing) throw new HttpError(404, 'Page not found')
    const values = options.values ?? {
      metric: editing?.metric ?? '',
      minCount: editing ? `${editing.min_count}` : '',
      windowDays: editing ? `${editing.window_days}` : '',
      active: editing ? (editing.active ? 'yes' : 'no') : 'yes',
    }
    return reply
      .code(options.errors?.length ? 400 : 200)
      .render(`early-intervention/views/${editing ? 'threshold' : 'thresholds'}.njk`, {
        pageTitle: editing ? 'Change a threshold' : 'Early-intervention thresholds',
        thresholds: thresholds.map((t) => ({ ...t, rule: ruleText(t.metric as Metric, t.min_count, t.window_days) })),
        editing,
        action: editing ? `/early-intervention/thresholds/${editing.id}` : '/early-intervention/thresholds',
        metricItems: metrics.codes.map((m) => ({
          value: m.value,
          text: m.label,
          hint: { text: m.description },
          checked: m.value === values.metric,
        })),
        activeItems: [
          { value: 'yes', text: 'In use', checked: values.active === 'yes' },
          { value: 'no', text: 'Retired: raises no new flags', checked: values.active === 'no' },
        ],
        values,
        notice: done.parse(request.query).done === 'saved' ? 'Threshold saved' : null,
        ...errorContext(options.errors ?? []),
      })
  }

  app.get('/early-intervention/thresholds', { config: { access: 'early-intervention.configure' } }, (request, reply) =>
    renderThresholds(request, reply),
  )
  app.get(
    '/early-intervention/thresholds/:id',
    { config: { access: 'early-intervention.configure' } },
    (request, reply) => renderThresholds(request, reply, { editing: idOf(request) }),
  )

  async function saveThresholdFrom(request: FastifyRequest, reply: FastifyReply, id: string | null) {
    const body = (request.body ?? {}) as Record<string, unknown>
    const values = {
      metric: textOf(body, 'metric'),
      minCount: textOf(body, 'minCount'),
      windowDays: textOf(body, 'windowDays'),
      active: id ? textOf(body, 'active') : 'yes',
    }
    const parsed = parseForm(thresholdForm, values)
    if (!parsed.ok) return renderThresholds(request, reply, { errors: parsed.errors, values, editing: id })
    const outcome = await saveThreshold(deps, actorOf(request), principalOf(request).forceId, {
      id,
      metric: parsed.value.metric,
      minCount: parsed.value.minCount,
      windowDays: parsed.value.windowDays,
      active: parsed.value.active === 'yes',
    })
    if (!outcome.ok) {
      if (outcome.status === 404) throw new HttpError(404, 'Page not found')
      return renderThresholds(request, reply, {
        errors: [{ field: outcome.field, text: outcome.message }],
        values,
        editing: id,
      })
    }
    return reply.redirect('/early-intervention/thresholds?done=saved', 303)
  }

  app.post('/early-intervention/thresholds', { config: { access: 'early-intervention.configure' } }, (request, reply) =>
    saveThresholdFrom(request, reply, null),
  )
  app.post(
    '/early-intervention/thresholds/:id',
    { config: { access: 'early-intervention.configure' } },
    (request, reply) => saveThresholdFrom(request, reply, idOf(request)),
  )
}
