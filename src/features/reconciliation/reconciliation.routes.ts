import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import { deviceEvents } from '../../domain/device-logs/device-events.js'
import { exceptionKinds, resolutionOutcomes } from '../../domain/reconciliation/exception-kinds.js'
import { actorOf, principalOf } from '../../web/access.js'
import { paging } from '../../web/pagination.js'
import { HttpError } from '../../web/errors.js'
import { parseForm } from '../../web/forms.js'
import { errorContext, type FieldError } from '../../web/render.js'
import { hasPermission, permissions } from '../auth/policy.js'
import {
  assignableUsers,
  eventsAround,
  exceptionHistory,
  findException,
  lastRun,
  listExceptions,
  loadSettings,
  type SettingsValues,
} from './reconciliation.repository.js'
import { assignException, resolveException, runReconciliation, saveSettings } from './reconciliation.service.js'

const PAGE_SIZE = 50

const queueQuery = z.object({
  status: z.enum(['open', 'resolved', 'cleared', 'all']).catch('open'),
  kind: z.enum(exceptionKinds.values).optional().catch(undefined),
  assigned: z.enum(['me', 'none']).optional().catch(undefined),
  device: z.string().trim().max(40).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
  done: z.enum(['run', 'settings']).optional().catch(undefined),
})

const idParams = z.object({ id: z.uuid() })
const exceptionNotices = { assigned: 'Assignment saved', resolved: 'Exception resolved' } as const
const exceptionQuery = z.object({
  done: z.enum(['assigned', 'resolved']).optional().catch(undefined),
})

const resolveForm = z.object({
  outcome: z.enum(resolutionOutcomes.values, { error: 'Select how the exception was resolved' }),
  note: z
    .string({ error: 'Explain how the exception was resolved' })
    .trim()
    .min(1, 'Explain how the exception was resolved')
    .max(2000, 'The explanation must be 2,000 characters or fewer'),
})

const whole = (name: string, min: number, max: number) =>
  z.coerce
    .number({ error: `Enter the ${name} as a whole number` })
    .int(`Enter the ${name} as a whole number`)
    .min(min, `The ${name} must be from ${min} to ${max}`)
    .max(max, `The ${name} must be from ${min} to ${max}`)

export const settingsForm = z.object({
  windowMinutes: whole('time window', 1, 1440),
  driftThresholdSeconds: whole('drift threshold', 1, 86400),
  downloadPeriodDays: whole('download period', 1, 366),
  sparkTestMinutes: whole('spark test allowance', 1, 120),
})

const detailLabels: Record<string, string> = {
  cycles: 'Trigger cycles on the device',
  cycleSeconds: 'Seconds of discharge on the device',
  arcs: 'Arcs on the device',
  issued: 'Device issued to an officer at the time',
  driftSeconds: 'Clock drift in seconds (positive: the device was fast)',
  measuredAt: 'Measured at',
  deviceCycles: 'Cycles on the device',
  reportedCycles: 'Cycles reported',
  deviceSeconds: 'Seconds of discharge on the device',
  reportedSeconds: 'Seconds of discharge reported',
  longestSeconds: 'Longest cycle on the device, seconds',
  reportedExtended: 'Cycles reported as extended',
  lastDownloaded: 'Last downloaded',
  daysOverdue: 'Days overdue',
  armedSeconds: 'Seconds armed',
  reported: 'What the report records',
  deviceArcs: 'Arcs on the device near that time',
}

function detailValue(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'Yes' : 'No'
  return String(value)
}

const historyLabels: Record<string, string> = {
  'reconciliation_exception.raised': 'Raised by reconciliation',
  'reconciliation_exception.reopened': 'Reopened',
  'reconciliation_exception.cleared': 'Cleared by reconciliation',
  'reconciliation_exception.assigned': 'Assigned',
  'reconciliation_exception.unassigned': 'Assignment removed',
  'reconciliation_exception.resolved': 'Resolved',
}

function idOf(request: FastifyRequest): string {
  const parsed = idParams.safeParse(request.params)
  if (!parsed.success) throw new HttpError(404, 'Page not found')
  return parsed.data.id
}

/** Roles that may read the queue: the people an exception can be given to. */
const queueRoles = Object.keys(permissions['reconciliation.view'])

/** The Taser lead's exceptions queue: reconciliation runs, the queue, each exception, and the force's settings. */
export async function reconciliationRoutes(app: FastifyInstance, { db, clock }: { db: Db; clock: Clock }) {
  const deps = { db, clock }

  app.get('/reconciliation', { config: { access: 'reconciliation.view' } }, async (request, reply) => {
    const query = queueQuery.parse(request.query)
    const principal = principalOf(request)
    const filter = {
      status: query.status,
      kind: query.kind ?? null,
      assigned: query.assigned ?? null,
      device: query.device || null,
      userId: principal.userId,
    }
    const { exceptions, total } = await listExceptions(db, principal.forceId, filter, {
      page: query.page,
      pageSize: PAGE_SIZE,
    })
    const params = (page: number) =>
      new URLSearchParams({
        status: query.status,
        ...(query.kind ? { kind: query.kind } : {}),
        ...(query.assigned ? { assigned: query.assigned } : {}),
        ...(query.device ? { device: query.device } : {}),
        page: String(page),
      })
    return reply.render('reconciliation/views/queue.njk', {
      pageTitle: 'Reconciliation exceptions',
      query,
      exceptions: exceptions.map((e) => ({ ...e, kindLabel: exceptionKinds.label(e.kind as never) })),
      total,
      paging: paging({ page: query.page, pageSize: PAGE_SIZE }, total, (page) => `/reconciliation?${params(page)}`),
      statusItems: [
        { value: 'open', text: 'Open' },
        { value: 'resolved', text: 'Resolved' },
        { value: 'cleared', text: 'Cleared by reconciliation' },
        { value: 'all', text: 'All' },
      ].map((i) => ({ ...i, selected: i.value === query.status })),
      kindItems: [
        { value: '', text: 'Any kind' },
        ...exceptionKinds.codes.map((k) => ({ value: k.value, text: k.label })),
      ].map((i) => ({ ...i, selected: i.value === (query.kind ?? '') })),
      assignedItems: [
        { value: '', text: 'Anyone or no one' },
        { value: 'me', text: 'Assigned to me' },
        { value: 'none', text: 'Not assigned' },
      ].map((i) => ({ ...i, selected: i.value === (query.assigned ?? '') })),
      lastRun: await lastRun(db, principal.forceId),
      canManage: hasPermission(principal, 'reconciliation.manage'),
      notice:
        query.done === 'run'
          ? 'Reconciliation finished: the queue is up to date'
          : query.done === 'settings'
            ? 'Settings saved. They apply from the next reconciliation'
            : null,
    })
  })

  app.post('/reconciliation/run', { config: { access: 'reconciliation.manage' } }, async (request, reply) => {
    await runReconciliation(deps, actorOf(request), principalOf(request).forceId)
    return reply.redirect('/reconciliation?done=run', 303)
  })

  async function renderException(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    options: { errors?: FieldError[]; values?: { outcome?: string; note?: string; assignee?: string } } = {},
  ) {
    const principal = principalOf(request)
    const exception = await findException(db, principal.forceId, id)
    if (!exception) throw new HttpError(404, 'Page not found')
    const canManage = hasPermission(principal, 'reconciliation.manage')
    const [events, history, users] = await Promise.all([
      exception.deviceId ? eventsAround(db, exception.deviceId, exception.occurredAt, 30) : Promise.resolve([]),
      exceptionHistory(db, principal.forceId, exception.id),
      canManage ? assignableUsers(db, principal.forceId, queueRoles) : Promise.resolve([]),
    ])
    const { done } = exceptionQuery.parse(request.query)
    const values = options.values ?? {}
    const assignee = values.assignee ?? exception.assigneeId ?? ''
    return reply.code(options.errors?.length ? 400 : 200).render('reconciliation/views/exception.njk', {
      pageTitle: exceptionKinds.label(exception.kind as never),
      exception: {
        ...exception,
        kindLabel: exceptionKinds.label(exception.kind as never),
        description: exceptionKinds.byValue(exception.kind)?.description ?? '',
        resolutionLabel: exception.resolution ? resolutionOutcomes.label(exception.resolution as never) : null,
      },
      detailRows: Object.entries(exception.details).map(([key, value]) => ({
        key: { text: detailLabels[key] ?? key },
        value: { text: detailValue(value) },
      })),
      events: events.map((e) => ({ ...e, kindLabel: deviceEvents.label(e.kind as never) })),
      history: history.map((h) => ({
        ...h,
        label: historyLabels[h.action] ?? h.action,
        reason: typeof h.details.reason === 'string' ? h.details.reason : null,
        note: typeof h.details.note === 'string' ? h.details.note : null,
        outcome: typeof h.details.outcome === 'string' ? resolutionOutcomes.label(h.details.outcome as never) : null,
      })),
      canManage,
      assigneeItems: [{ value: '', text: 'Not assigned' }, ...users.map((u) => ({ value: u.id, text: u.name }))].map(
        (i) => ({ ...i, selected: i.value === assignee }),
      ),
      outcomeItems: resolutionOutcomes.codes.map((o) => ({
        value: o.value,
        text: o.label,
        checked: o.value === values.outcome,
      })),
      values,
      notice: done ? exceptionNotices[done] : null,
      ...errorContext(options.errors ?? []),
    })
  }

  app.get('/reconciliation/exceptions/:id', { config: { access: 'reconciliation.view' } }, async (request, reply) =>
    renderException(request, reply, idOf(request)),
  )

  app.post(
    '/reconciliation/exceptions/:id/assign',
    { config: { access: 'reconciliation.manage' } },
    async (request, reply) => {
      const id = idOf(request)
      const principal = principalOf(request)
      const raw = (request.body as Record<string, unknown> | undefined)?.assignee
      const assigneeId = typeof raw === 'string' && raw !== '' ? raw : null
      const eligible = new Set((await assignableUsers(db, principal.forceId, queueRoles)).map((u) => u.id))
      const outcome = await assignException(deps, actorOf(request), principal.forceId, {
        exceptionId: id,
        assigneeId,
        eligible,
      })
      if (!outcome.ok)
        return renderException(request, reply, id, {
          errors: [{ field: outcome.field, text: outcome.message }],
          values: { assignee: assigneeId ?? '' },
        })
      return reply.redirect(`/reconciliation/exceptions/${id}?done=assigned`, 303)
    },
  )

  app.post(
    '/reconciliation/exceptions/:id/resolve',
    { config: { access: 'reconciliation.manage' } },
    async (request, reply) => {
      const id = idOf(request)
      const body = (request.body ?? {}) as Record<string, unknown>
      const values = {
        outcome: typeof body.outcome === 'string' ? body.outcome : '',
        note: typeof body.note === 'string' ? body.note : '',
      }
      const parsed = parseForm(resolveForm, body)
      if (!parsed.ok) return renderException(request, reply, id, { errors: parsed.errors, values })
      const outcome = await resolveException(deps, actorOf(request), principalOf(request).forceId, {
        exceptionId: id,
        ...parsed.value,
      })
      if (!outcome.ok)
        return renderException(request, reply, id, {
          errors: [{ field: outcome.field, text: outcome.message }],
          values,
        })
      return reply.redirect(`/reconciliation/exceptions/${id}?done=resolved`, 303)
    },
  )

  function renderSettings(
    reply: FastifyReply,
    values: Record<keyof SettingsValues, string | number>,
    errors: FieldError[] = [],
  ) {
    return reply.code(errors.length ? 400 : 200).render('reconciliation/views/settings.njk', {
      pageTitle: 'Reconciliation settings',
      values,
      ...errorContext(errors),
    })
  }

  app.get('/reconciliation/settings', { config: { access: 'reconciliation.manage' } }, async (request, reply) =>
    renderSettings(reply, await loadSettings(db, principalOf(request).forceId)),
  )

  app.post('/reconciliation/settings', { config: { access: 'reconciliation.manage' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>
    const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : '')
    const values = {
      windowMinutes: text('windowMinutes'),
      driftThresholdSeconds: text('driftThresholdSeconds'),
      downloadPeriodDays: text('downloadPeriodDays'),
      sparkTestMinutes: text('sparkTestMinutes'),
    }
    const parsed = parseForm(settingsForm, values)
    if (!parsed.ok) return renderSettings(reply, values, parsed.errors)
    await saveSettings(deps, actorOf(request), principalOf(request).forceId, parsed.value)
    return reply.redirect('/reconciliation?done=settings', 303)
  })
}
