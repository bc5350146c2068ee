import { createHash } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import { decodeUtf8 } from '../../domain/imports/line-errors.js'
import { formatMonth, londonDate, monthOf, shiftMonth } from '../../domain/calendar.js'
import { dateBoxes } from '../../web/date-input.js'
import { cedLevels, type CedLevel } from '../../domain/use-of-force/ced.js'
import { rankAbbreviation, type Rank } from '../../domain/workforce.js'
import { actorOf, principalOf } from '../../web/access.js'
import { paging } from '../../web/pagination.js'
import { HttpError } from '../../web/errors.js'
import { parseForm } from '../../web/forms.js'
import { errorContext, type FieldError } from '../../web/render.js'
import { acceptFileUploads, uploadedFile } from '../../web/uploads.js'
import { hasPermission, scopeFilter } from '../auth/policy.js'
import {
  findAuthorisation,
  listAccreditations,
  listAuthorisations,
  type AuthorisationDetail,
} from './authorisations.repository.js'
import {
  accreditationForm,
  authorisationForm,
  gradeLabel,
  grades,
  linkForm,
  onFirstBox,
  periodQuery,
} from './authorisations.schema.js'
import { canView, grantAccreditation, linkIncident, recordAuthorisation } from './authorisations.service.js'
import { funnelStages, loadFunnel } from './funnel.js'
import {
  importIncidentCounts,
  INCIDENT_COUNT_COLUMNS,
  listIncidentCounts,
  parseIncidentCounts,
} from './incident-counts.js'

const PAGE_SIZE = 50
const MAX_UPLOAD_BYTES = 1024 * 1024

const idParams = z.object({ id: z.uuid() })
const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1) })

function idOf(request: FastifyRequest): string {
  const parsed = idParams.safeParse(request.params)
  if (!parsed.success) throw new HttpError(404, 'Page not found')
  return parsed.data.id
}

const text = (value: unknown) => (typeof value === 'string' ? value : '')

/** What was typed, to put back in the form (every field is text on the way in). */
function typed(body: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries((body ?? {}) as Record<string, unknown>).map(([k, v]) => [k, text(v)]))
}

const officerLabel = (rank: string | null, name: string) => (rank ? `${rankAbbreviation(rank as Rank)} ${name}` : name)

const cedLevelLabel = (level: string | null) => (level ? cedLevels.byValue(level as CedLevel).label : 'No CED use')

const gradeItems = (selected: string) =>
  grades.map((g) => ({ value: g.value, text: g.label, hint: { text: g.hint }, checked: g.value === selected }))

/**
 * Deployment authorisations (record, list, view, link to the incident), the accreditations that allow them, the
 * deployment funnel and the import of the incident counts it starts from.
 */
export async function authorisationRoutes(app: FastifyInstance, { db, clock }: { db: Db; clock: Clock }) {
  const deps = { db, clock }
  await acceptFileUploads(app, MAX_UPLOAD_BYTES)

  // --- Authorisations -------------------------------------------------------------------------------------------

  app.get('/authorisations', { config: { access: 'authorisations.view' } }, async (request, reply) => {
    const principal = principalOf(request)
    const { page } = pageQuery.parse(request.query)
    const scope = scopeFilter(principal, 'authorisations.view')
    const { items, total } = await listAuthorisations(db, scope, { page, pageSize: PAGE_SIZE })
    return reply.render('authorisations/views/authorisations.njk', {
      pageTitle: 'Deployment authorisations',
      items: items.map((i) => ({ ...i, gradeLabel: gradeLabel(i.grade) })),
      total,
      paging: paging({ page, pageSize: PAGE_SIZE }, total, (p) => `/authorisations?page=${p}`),
      own: scope.kind === 'own',
      canRecord: hasPermission(principal, 'authorisations.record'),
      canManageAccreditations: hasPermission(principal, 'accreditations.manage'),
      canViewFunnel: hasPermission(principal, 'funnel.view'),
    })
  })

  async function renderNew(reply: FastifyReply, values: Record<string, string>, errors: FieldError[] = []) {
    return reply.render('authorisations/views/authorisation-new.njk', {
      pageTitle: 'Record a deployment authorisation',
      values,
      gradeItems: gradeItems(values.grade ?? ''),
      ...errorContext(errors),
    })
  }

  app.get('/authorisations/new', { config: { access: 'authorisations.record' } }, async (_request, reply) => {
    const now = clock()
    const today = dateBoxes(londonDate(now))
    const time = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(now)
    return renderNew(reply, {
      'authorisedOn-day': today.day,
      'authorisedOn-month': today.month,
      'authorisedOn-year': today.year,
      authorisedTime: time,
    })
  })

  app.post('/authorisations', { config: { access: 'authorisations.record' } }, async (request, reply) => {
    const values = typed(request.body)
    const parsed = parseForm(authorisationForm, request.body)
    if (!parsed.ok) return renderNew(reply.code(400), values, onFirstBox(parsed.errors, ['authorisedOn']))
    const outcome = await recordAuthorisation(deps, actorOf(request), principalOf(request), parsed.value)
    if (!outcome.ok) return renderNew(reply.code(400), values, outcome.errors)
    return reply.redirect(`/authorisations/${outcome.value}?done=recorded`, 303)
  })

  async function viewable(request: FastifyRequest): Promise<AuthorisationDetail> {
    const detail = await findAuthorisation(db, idOf(request))
    const principal = principalOf(request)
    // Out of scope reads exactly like missing, so ids cannot be probed.
    if (!detail || !canView(principal, { force_id: detail.forceId, authoriser_person_id: detail.authoriserPersonId }))
      throw new HttpError(404, 'Page not found')
    return detail
  }

  async function renderAuthorisation(
    request: FastifyRequest,
    reply: FastifyReply,
    detail: AuthorisationDetail,
    options: { values?: Record<string, string>; errors?: FieldError[]; notice?: string } = {},
  ) {
    const principal = principalOf(request)
    const canLink =
      !detail.incident &&
      hasPermission(principal, 'authorisations.record') &&
      principal.personId === detail.authoriserPersonId
    return reply.render('authorisations/views/authorisation.njk', {
      pageTitle: `Authorisation for incident ${detail.incidentReference}`,
      a: {
        ...detail,
        authoriserLabel: officerLabel(detail.authoriserRank, detail.authoriser),
        gradeLabel: gradeLabel(detail.grade),
        officers: detail.officers.map((o) => ({ ...o, label: officerLabel(o.rank, o.name) })),
        reports: detail.reports.map((r) => ({ ...r, levelLabel: cedLevelLabel(r.cedLevel) })),
      },
      canLink,
      canViewReports: hasPermission(principal, 'reports.view'),
      values: options.values ?? { reference: '' },
      notice: options.notice,
      ...errorContext(options.errors ?? []),
    })
  }

  const notices = { recorded: 'Authorisation recorded', linked: 'Linked to the incident' }
  const noticeQuery = z.object({ done: z.enum(['recorded', 'linked']).optional().catch(undefined) })

  app.get('/authorisations/:id', { config: { access: 'authorisations.view' } }, async (request, reply) => {
    const detail = await viewable(request)
    const { done } = noticeQuery.parse(request.query)
    return renderAuthorisation(request, reply, detail, { notice: done ? notices[done] : undefined })
  })

  app.post('/authorisations/:id/incident', { config: { access: 'authorisations.record' } }, async (request, reply) => {
    const detail = await viewable(request)
    const values = typed(request.body)
    const parsed = parseForm(linkForm, request.body)
    if (!parsed.ok) return renderAuthorisation(request, reply.code(400), detail, { values, errors: parsed.errors })
    const outcome = await linkIncident(deps, actorOf(request), principalOf(request), detail.id, parsed.value.reference)
    if (!outcome.ok && 'status' in outcome) throw new HttpError(404, 'Page not found')
    if (!outcome.ok) return renderAuthorisation(request, reply.code(400), detail, { values, errors: outcome.errors })
    return reply.redirect(`/authorisations/${detail.id}?done=linked`, 303)
  })

  // --- Accreditations -------------------------------------------------------------------------------------------

  app.get('/authorisations/accreditations', { config: { access: 'accreditations.manage' } }, async (request, reply) => {
    const today = londonDate(clock())
    const rows = await listAccreditations(db, principalOf(request).forceId)
    const { done } = z.object({ done: z.literal('granted').optional().catch(undefined) }).parse(request.query)
    return reply.render('authorisations/views/accreditations.njk', {
      pageTitle: 'Accreditations to authorise deployments',
      notice: done ? 'Accreditation added' : undefined,
      rows: rows.map((r) => ({
        ...r,
        label: officerLabel(r.rank, r.name),
        status: r.validFrom > today ? 'Not started' : r.expiresOn < today ? 'Expired' : 'Valid',
      })),
    })
  })

  async function renderAccreditationForm(
    reply: FastifyReply,
    values: Record<string, string>,
    errors: FieldError[] = [],
  ) {
    return reply.render('authorisations/views/accreditation-new.njk', {
      pageTitle: 'Add an accreditation',
      values,
      ...errorContext(errors),
    })
  }

  app.get('/authorisations/accreditations/new', { config: { access: 'accreditations.manage' } }, async (_r, reply) =>
    renderAccreditationForm(reply, {}),
  )

  app.post(
    '/authorisations/accreditations',
    { config: { access: 'accreditations.manage' } },
    async (request, reply) => {
      const values = typed(request.body)
      const parsed = parseForm(accreditationForm, request.body)
      if (!parsed.ok)
        return renderAccreditationForm(reply.code(400), values, onFirstBox(parsed.errors, ['validFrom', 'expiresOn']))
      const outcome = await grantAccreditation(deps, actorOf(request), principalOf(request).forceId, parsed.value)
      if (!outcome.ok) return renderAccreditationForm(reply.code(400), values, outcome.errors)
      return reply.redirect('/authorisations/accreditations?done=granted', 303)
    },
  )

  // --- The funnel and incident counts ---------------------------------------------------------------------------

  app.get('/deployment-funnel', { config: { access: 'funnel.view' } }, async (request, reply) => {
    const principal = principalOf(request)
    const query = periodQuery.parse(request.query)
    // The last 12 complete months unless a period is chosen.
    const thisMonth = monthOf(londonDate(clock()))
    let to = query.to ?? shiftMonth(thisMonth, -1)
    let from = query.from ?? shiftMonth(to, -11)
    if (from > to) [from, to] = [to, from]
    const funnel = await loadFunnel(db, principal.forceId, from, to)
    const monthItems = (selected: string) => {
      const items = []
      for (let m = thisMonth, n = 0; n < 60; m = shiftMonth(m, -1), n++)
        items.push({ value: m, text: formatMonth(m), selected: m === selected })
      return items
    }
    return reply.render('authorisations/views/funnel.njk', {
      pageTitle: 'Deployment funnel',
      funnel,
      period: from === to ? formatMonth(from) : `${formatMonth(from)} to ${formatMonth(to)}`,
      stages: funnelStages(funnel),
      missing: funnel.monthsWithoutCounts.map(formatMonth),
      fromItems: monthItems(from),
      toItems: monthItems(to),
      canImport: hasPermission(principal, 'incident-counts.import'),
    })
  })

  async function renderCounts(
    request: FastifyRequest,
    reply: FastifyReply,
    options: { errors?: FieldError[]; lineErrors?: { line: number; message: string }[]; notice?: string } = {},
  ) {
    const counts = await listIncidentCounts(db, principalOf(request).forceId)
    return reply.render('authorisations/views/incident-counts.njk', {
      pageTitle: 'Incident counts',
      counts: counts.map((c) => ({ ...c, label: formatMonth(c.month), total: c.immediate + c.prompt })),
      columns: INCIDENT_COUNT_COLUMNS,
      lineErrors: options.lineErrors ?? [],
      notice: options.notice,
      ...errorContext(options.errors ?? []),
    })
  }

  app.get(
    '/deployment-funnel/incident-counts',
    { config: { access: 'incident-counts.import' } },
    async (request, reply) => {
      const { added, replaced } = z
        .object({
          added: z.coerce.number().int().min(0).optional().catch(undefined),
          replaced: z.coerce.number().int().min(0).optional().catch(undefined),
        })
        .parse(request.query)
      const notice =
        added !== undefined && replaced !== undefined
          ? `Imported: ${added} ${added === 1 ? 'month' : 'months'} added, ${replaced} replaced`
          : undefined
      return renderCounts(request, reply, { notice })
    },
  )

  app.post(
    '/deployment-funnel/incident-counts',
    { config: { access: 'incident-counts.import' } },
    async (request, reply) => {
      const fileError = (message: string) =>
        renderCounts(request, reply.code(400), { errors: [{ field: 'file', text: message }] })
      const file = uploadedFile(request.body)
      if (file === 'missing') return fileError('Select a CSV file')
      if (file === 'too-large') return fileError('The file must be smaller than 1 MB')
      const text = decodeUtf8(file.bytes)
      if (text === null) return fileError('The file must be a CSV file saved as UTF-8')
      const parsed = parseIncidentCounts(text, monthOf(londonDate(clock())))
      if (!parsed.ok)
        return renderCounts(request, reply.code(400), {
          errors: [{ field: 'file', text: 'The file has errors. Nothing was imported' }],
          lineErrors: parsed.errors,
        })
      const result = await importIncidentCounts(
        deps,
        actorOf(request),
        principalOf(request).forceId,
        parsed.rows,
        createHash('sha256').update(file.bytes).digest('hex'),
      )
      return reply.redirect(`/deployment-funnel/incident-counts?added=${result.added}&replaced=${result.replaced}`, 303)
    },
  )
}
