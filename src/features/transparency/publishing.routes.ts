import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import {
  defaultMethod,
  methodStatement,
  onsRounding,
  type DisclosureMethod,
} from '../../domain/disclosure/disclosure.js'
import { londonDate } from '../../domain/calendar.js'
import { actorOf, principalOf } from '../../web/access.js'
import { HttpError } from '../../web/errors.js'
import { parseForm } from '../../web/forms.js'
import { errorContext, type FieldError } from '../../web/render.js'
import { listPreparations, PreparationRunner, requestPreparation } from './preparation-jobs.js'
import {
  findDraft,
  findVersion,
  listDrafts,
  listPublications,
  publish,
  type TableSource,
} from './publications.service.js'
import { endedQuarters, quarterLabel, quarterStarting } from './quarters.js'
import { tableView } from './table-view.js'

/**
 * The analyst's side of transparency: ask for a quarter to be prepared (a job: preparation-jobs.ts), preview the
 * draft beside the last version, publish it.
 */
const methods = {
  suppression: defaultMethod,
  rounding: onsRounding,
} satisfies Record<string, DisclosureMethod>
type MethodKey = keyof typeof methods
const methodKeyOf = (method: DisclosureMethod): MethodKey => (method.kind === 'rounding' ? 'rounding' : 'suppression')

const QUARTERS_OFFERED = 8

const prepareForm = z.object({
  quarter: z
    .string('Select the quarter to publish')
    .refine((q) => quarterStarting(q) !== null, 'Select the quarter to publish'),
  method: z.enum(['suppression', 'rounding'], 'Select how small numbers are protected'),
})
const publishForm = z.object({ revisionNote: z.string().default('') })
const idParams = z.object({ id: z.uuid() })

export async function publishingRoutes(
  app: FastifyInstance,
  { db, clock, tables }: { db: Db; clock: Clock; tables: TableSource },
) {
  const deps = { db, clock, tables }
  const runner = new PreparationRunner(deps, app.log)
  app.addHook('onClose', () => runner.idle())

  async function renderIndex(
    request: FastifyRequest,
    reply: FastifyReply,
    options: { errors?: FieldError[]; values?: Record<string, string> } = {},
  ) {
    const { forceId } = principalOf(request)
    const [publications, drafts, preparations] = await Promise.all([
      listPublications(db, forceId),
      listDrafts(db, forceId),
      listPreparations(db, forceId),
    ])
    const lastMethod = publications[0] ? (await findVersion(db, publications[0].id, null))?.method : undefined
    const values = options.values ?? { method: methodKeyOf(lastMethod ?? defaultMethod) }
    return reply.render('transparency/views/publishing.njk', {
      pageTitle: 'Publishing',
      publications: publications.map((p) => ({ ...p, label: quarterLabel(p.period) })),
      drafts: drafts.map((d) => ({ ...d, label: quarterLabel(d.period) })),
      preparations: preparations.map((p) => ({ ...p, label: quarterLabel(p.period) })),
      preparing: preparations.some((p) => p.status !== 'failed'),
      quarters: endedQuarters(londonDate(clock()), QUARTERS_OFFERED).map((q) => ({
        value: q.from,
        text: quarterLabel(q),
        checked: values.quarter === q.from,
      })),
      methods: (Object.keys(methods) as MethodKey[]).map((key) => ({
        value: key,
        text:
          key === 'suppression'
            ? 'Hide counts from 1 to 4 (suppression)'
            : 'Round to the nearest 5 (ONS 10-5 rounding)',
        hint: { text: methodStatement(methods[key]) },
        checked: values.method === key,
      })),
      ...errorContext(options.errors ?? []),
    })
  }

  app.get('/publishing', { config: { access: 'publications.manage' } }, (request, reply) => renderIndex(request, reply))

  app.post('/publishing', { config: { access: 'publications.manage' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>
    const parsed = parseForm(prepareForm, body)
    if (!parsed.ok) {
      const values = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? v : '']))
      return renderIndex(request, reply.code(400), { errors: parsed.errors, values })
    }
    const period = quarterStarting(parsed.value.quarter)
    if (!period) throw new HttpError(400, 'Select the quarter to publish')
    await requestPreparation(deps, actorOf(request), principalOf(request).forceId, period, methods[parsed.value.method])
    runner.kick()
    return reply.redirect('/publishing', 303)
  })

  async function renderDraft(
    request: FastifyRequest,
    reply: FastifyReply,
    options: { errors?: FieldError[]; values?: Record<string, string> } = {},
  ) {
    const parsed = idParams.safeParse(request.params)
    const draft = parsed.success ? await findDraft(db, principalOf(request).forceId, parsed.data.id) : undefined
    if (!draft) throw new HttpError(404, 'Page not found')
    const label = quarterLabel(draft.period)
    return reply.render('transparency/views/draft.njk', {
      pageTitle: `Preview: ${label}`,
      d: draft,
      label,
      methodStatement: methodStatement(draft.method),
      tables: draft.tables.map(tableView),
      values: options.values ?? {},
      ...errorContext(options.errors ?? []),
    })
  }

  app.get('/publishing/drafts/:id', { config: { access: 'publications.manage' } }, (request, reply) =>
    renderDraft(request, reply),
  )

  app.post('/publishing/drafts/:id/publish', { config: { access: 'publications.manage' } }, async (request, reply) => {
    const { id } = idParams.safeParse(request.params).data ?? { id: '' }
    if (!id) throw new HttpError(404, 'Page not found')
    const { revisionNote } = publishForm.parse(
      typeof (request.body as Record<string, unknown> | undefined)?.revisionNote === 'string' ? request.body : {},
    )
    const result = await publish(deps, actorOf(request), principalOf(request).forceId, id, revisionNote)
    if (!result) throw new HttpError(404, 'Page not found')
    if (!result.ok) return renderDraft(request, reply.code(400), { errors: result.errors, values: { revisionNote } })
    return reply.redirect(`/transparency/${id}/versions/${result.value}`, 303)
  })
}
