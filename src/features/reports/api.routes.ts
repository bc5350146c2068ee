import type { FastifyInstance, FastifyReply } from 'fastify'
import { z } from 'zod'
import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import * as codeLists from '../../domain/use-of-force/index.js'
import { reportBody, reportSubmission } from '../../domain/use-of-force/report.js'
import type { RuleIssue } from '../../domain/use-of-force/rules.js'
import { principalOf } from '../../web/access.js'
import { callerOf } from './caller.js'
import { scopeFilter } from '../auth/policy.js'
import { findIncidentByReference, listReports, type StoredReport } from './reports.repository.js'
import { amendReport, readReport, reportVersions, requestHash, submitReport } from './reports.service.js'

/** API errors: one entry per problem, each with the dotted path of the field and a message for a person. */
export function apiErrors(reply: FastifyReply, status: number, errors: RuleIssue[]) {
  return reply.code(status).send({
    error: status === 400 ? 'The request has problems: see errors' : (errors[0]?.message ?? 'Refused'),
    errors: errors.map((e) => ({ path: e.path.join('.'), message: e.message })),
  })
}

function zodErrors(error: z.ZodError): RuleIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message: issue.message,
  }))
}

const idParams = z.object({ id: z.uuid() })
const idempotencyKeyMessage = 'Idempotency-Key must be 8 to 100 letters, digits or _ : . -'
const idempotencyKey = z.string().regex(/^[A-Za-z0-9_:.-]{8,100}$/, idempotencyKeyMessage)
const page = z.object({ page: z.coerce.number().int().min(1).max(100_000).catch(1) })
export const amendmentRequest = z.object({
  expectedVersion: z.number({ error: 'Give the version you are amending' }).int().min(1),
  reason: z
    .string({ error: 'Give the reason for the amendment' })
    .trim()
    .min(1, 'Give the reason for the amendment')
    .max(2000),
  report: reportBody,
})

/** The JSON representation of a report: what a client sent, plus what the service added. */
export function reportJson(report: StoredReport) {
  return {
    id: report.id,
    version: report.version,
    submittedAt: report.submittedAt.toISOString(),
    amendedAt: report.amendedAt?.toISOString() ?? null,
    incident: report.incident,
    subject: report.subject,
    ...report.body,
  }
}

const json = { csrf: false } as const

/** The JSON API for mobile apps and other systems: the same schema and rules as the form. */
export async function reportsApiRoutes(app: FastifyInstance, { db, clock }: { db: Db; clock: Clock }) {
  const deps = { db, clock }

  // submitReport re-checks the token and account in its one statement, so the token may come from the cache.
  const submit = { ...json, access: 'reports.create', rechecksApiToken: true } as const
  app.post('/api/v1/reports', { config: submit }, async (request, reply) => {
    const header = request.headers['idempotency-key']
    const key = header === undefined ? undefined : idempotencyKey.safeParse(header)
    if (key && !key.success)
      return apiErrors(reply, 400, [{ path: ['Idempotency-Key'], message: idempotencyKeyMessage }])
    const parsed = reportSubmission.safeParse(request.body)
    if (!parsed.success) return apiErrors(reply, 400, zodErrors(parsed.error))
    const outcome = await submitReport(deps, callerOf(request), parsed.data, {
      idempotencyKey: key?.data,
      requestHash: requestHash(request.body),
    })
    if (!outcome.ok) return apiErrors(reply, outcome.status, outcome.errors)
    reply.header('location', `/api/v1/reports/${outcome.report.id}`)
    if (outcome.replayed) reply.header('idempotent-replayed', 'true')
    return reply.code(outcome.replayed ? 200 : 201).send(outcome.report)
  })

  app.get('/api/v1/reports', { config: { ...json, access: 'reports.view' } }, async (request) => {
    const principal = principalOf(request)
    const { page: n } = page.parse(request.query)
    const { reports, total } = await listReports(db, scopeFilter(principal, 'reports.view'), { page: n, pageSize: 100 })
    return { page: n, pageSize: 100, total, reports }
  })

  app.get('/api/v1/reports/:id', { config: { ...json, access: 'reports.view' } }, async (request, reply) => {
    const params = idParams.safeParse(request.params)
    const outcome = params.success ? await readReport(deps, callerOf(request), params.data.id) : { ok: false as const }
    if (!outcome.ok) return apiErrors(reply, 404, [{ path: [], message: 'Report not found' }])
    return reportJson(outcome.report)
  })

  app.get('/api/v1/reports/:id/versions', { config: { ...json, access: 'reports.view' } }, async (request, reply) => {
    const params = idParams.safeParse(request.params)
    const outcome = params.success ? await readReport(deps, callerOf(request), params.data.id) : { ok: false as const }
    if (!outcome.ok) return apiErrors(reply, 404, [{ path: [], message: 'Report not found' }])
    return { versions: await reportVersions(db, outcome.report.id) }
  })

  app.post(
    '/api/v1/reports/:id/amendments',
    { config: { ...json, access: 'reports.create' } },
    async (request, reply) => {
      const params = idParams.safeParse(request.params)
      if (!params.success) return apiErrors(reply, 404, [{ path: [], message: 'Report not found' }])
      const parsed = amendmentRequest.safeParse(request.body)
      if (!parsed.success) return apiErrors(reply, 400, zodErrors(parsed.error))
      const outcome = await amendReport(deps, callerOf(request), params.data.id, {
        expectedVersion: parsed.data.expectedVersion,
        reason: parsed.data.reason,
        body: parsed.data.report,
      })
      if (!outcome.ok) return apiErrors(reply, outcome.status, outcome.errors)
      return { id: params.data.id, version: outcome.version, changes: outcome.changes }
    },
  )

  app.get('/api/v1/incidents/:reference', { config: { ...json, access: 'reports.create' } }, async (request, reply) => {
    const { reference } = request.params as { reference: string }
    const incident = await findIncidentByReference(db, principalOf(request).forceId, reference.slice(0, 40))
    if (!incident)
      return apiErrors(reply, 404, [{ path: ['reference'], message: 'There is no incident with that reference' }])
    return incident
  })

  app.get('/api/v1/code-lists', { config: { ...json, access: 'signed-in' } }, async () => codeListsJson)
}

/** Every code list, as the form shows them: for clients that build their own forms. */
const codeListsJson = Object.fromEntries(
  Object.entries(codeLists as Record<string, unknown>).flatMap(([name, list]) =>
    typeof list === 'object' && list !== null && 'codes' in list
      ? [[name, (list.codes as { value: string; label: string }[]).map((c) => ({ value: c.value, label: c.label }))]]
      : [],
  ),
)
