import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Clock } from '../../../clock.js'
import type { Db } from '../../../db/database.js'
import type { RuleIssue } from '../../../domain/use-of-force/rules.js'
import { HttpError } from '../../../web/errors.js'
import { errorContext, type FieldError } from '../../../web/render.js'
import { callerOf } from '../caller.js'
import { cedUseCount, existingReference, list, usesCed, type DraftData } from './draft-data.js'
import {
  deleteOwnDraft,
  findOwnDraft,
  reportReference,
  reportSubmittedWithKey,
  updateDraftData,
  type Draft,
} from './drafts.repository.js'
import { contextFor, ownerOf, reviewOf, startDraft, submissionKey, submitDraft } from './drafts.service.js'
import { CHECK_PAGE, fieldFor } from './field-map.js'
import {
  aboutYouForm,
  accountForm,
  field,
  incidentChoice,
  incidentDetailsForm,
  NEW_PERSON,
  outcomesForm,
  parseCedUse,
  personChoice,
  personDetails,
  probesFired,
  readCedUse,
  reasonsForm,
  tacticsForm,
  withCedUse,
  type CedUseForm,
  type FormBody,
  type PageForm,
} from './form-values.js'
import { options } from './options.js'
import { describePerson, reportSummary } from './summary.js'
import { issuesOnPage, reviewDraft, type SectionStatus } from './validation.js'

const MAX_CED_USES = 4
/** The schema's limits: 20 tactics and 20 cycles, and a device holds at most 10 cartridges. */
const MAX_ROWS = 20
const MAX_CARTRIDGES = 10

const draftParams = z.object({ id: z.uuid() })
const cedParams = z.object({ id: z.uuid(), n: z.coerce.number().int().min(1).max(MAX_CED_USES) })

const access = { access: 'reports.create' } as const

export const draftPath = (id: string) => `/reports/drafts/${id}`

/** A page of a draft by its address within the draft; '' is the task list. */
const pageOf = (draft: Draft, page: string) => (page ? `${draftPath(draft.id)}/${page}` : draftPath(draft.id))

const statusText: Record<SectionStatus, string> = {
  'cannot-start': 'Cannot start yet',
  'not-started': 'Not yet started',
  incomplete: 'Incomplete',
  completed: 'Completed',
}

function taskStatus(status: SectionStatus) {
  switch (status) {
    case 'completed':
      return { text: statusText.completed }
    case 'cannot-start':
      return { text: statusText['cannot-start'], classes: 'govuk-task-list__status--cannot-start-yet' }
    case 'incomplete':
      return { tag: { text: statusText.incomplete, classes: 'govuk-tag--light-blue' } }
    case 'not-started':
      return { tag: { text: statusText['not-started'], classes: 'govuk-tag--blue' } }
  }
}

/** The officer's use-of-force form: drafts, the task list, each section's page, check your answers and submit. */
export async function draftRoutes(app: FastifyInstance, { db, clock }: { db: Db; clock: Clock }) {
  const deps = { db, clock }

  /** The draft in the URL, for its owner only: anyone else gets the same 404 as for a draft that does not exist. */
  async function ownDraft(request: FastifyRequest): Promise<Draft> {
    const params = draftParams.safeParse(request.params)
    const draft = params.success ? await findOwnDraft(db, ownerOf(callerOf(request)), params.data.id) : undefined
    if (!draft) throw new HttpError(404, 'Page not found')
    return draft
  }

  async function save(request: FastifyRequest, draft: Draft, data: DraftData): Promise<Draft> {
    const now = clock()
    await updateDraftData(db, ownerOf(callerOf(request)), draft.id, data, now)
    return { ...draft, data, updatedAt: now }
  }

  /** The section's problems on one page, after saving: schema, and rules when the whole body parses. */
  async function problemsOn(draft: Draft, page: string): Promise<FieldError[]> {
    const context = await contextFor(deps, draft, draft.data)
    const issues = reviewDraft(draft.data, context).sections.flatMap((s) => s.issues)
    return issuesOnPage(issues, page)
  }

  function pageContext(draft: Draft, extra: Record<string, unknown>) {
    return {
      base: draftPath(draft.id),
      isAmendment: draft.reportId !== null,
      caption: draft.reportId === null ? 'Use of force report' : 'Amend your use of force report',
      options,
      ...extra,
    }
  }

  interface SectionPage<F> {
    page: string
    template: string
    title: string
    form: PageForm<F>
    /** Problems only the form knows about (an unanswered choice that is not itself an answer). */
    formErrors?: (form: F) => FieldError[]
    /** Where to go once the page is saved without problems: a page of the draft, or '' for the task list. */
    next?: (form: F) => string
    /** More for the template, such as the people of an existing incident. */
    extra?: (draft: Draft) => Promise<Record<string, unknown>>
    /** Whether the page applies to this draft; if not, where to go instead. */
    redirect?: (draft: Draft) => string | undefined
  }

  function sectionPage<F>(spec: SectionPage<F>) {
    const url = `/reports/drafts/:id/${spec.page}`
    const render = async (reply: FastifyReply, draft: Draft, values: F, errors: FieldError[] = []) =>
      reply.render(
        spec.template,
        pageContext(draft, {
          pageTitle: spec.title,
          values,
          ...(spec.extra ? await spec.extra(draft) : {}),
          ...errorContext(errors),
        }),
      )

    app.get(url, { config: access }, async (request, reply) => {
      const draft = await ownDraft(request)
      const elsewhere = spec.redirect?.(draft)
      if (elsewhere !== undefined) return reply.redirect(pageOf(draft, elsewhere), 303)
      return render(reply, draft, spec.form.read(draft.data))
    })

    app.post(url, { config: access }, async (request, reply) => {
      const body = (request.body ?? {}) as FormBody
      const before = await ownDraft(request)
      const values = spec.form.parse(body)
      // Whatever was entered is kept, right or wrong: a draft holds partial work.
      const draft = await save(request, before, spec.form.write(before.data, values))
      if (field(body, 'action') === 'later') return reply.redirect(draftPath(draft.id), 303)
      const errors = [...(spec.formErrors?.(values) ?? []), ...(await problemsOn(draft, spec.page))]
      if (errors.length) return render(reply.code(400), draft, values, errors)
      return reply.redirect(pageOf(draft, spec.next?.(values) ?? ''), 303)
    })
  }

  // ---- Drafts and the task list

  app.post('/reports/drafts', { config: access }, async (request, reply) => {
    const id = await startDraft(deps, callerOf(request))
    return reply.redirect(draftPath(id), 303)
  })

  app.get('/reports/drafts/:id', { config: access }, async (request, reply) => {
    const draft = await ownDraft(request)
    const { review } = await reviewOf(deps, draft)
    const base = draftPath(draft.id)
    const applicable = review.sections.filter((s) => s.status !== 'cannot-start')
    return reply.render(
      'reports/form/views/task-list.njk',
      pageContext(draft, {
        pageTitle: draft.reportId === null ? 'Use of force report' : 'Amend your report',
        reference: draft.reportId === null ? null : await amendedReference(draft),
        startedAt: draft.createdAt,
        completed: applicable.filter((s) => s.status === 'completed').length,
        total: applicable.length,
        tasks: review.sections.map(({ section, status }) => ({
          title: { text: section.title },
          href: status === 'cannot-start' ? undefined : `${base}/${section.page(draft.data)}`,
          hint:
            section.key === 'ced' && status === 'cannot-start'
              ? { text: 'Add CED (Taser) to the force you used first' }
              : undefined,
          status: taskStatus(status),
        })),
      }),
    )
  })

  const amendedReference = async (draft: Draft) =>
    draft.reportId === null ? null : ((await reportReference(db, draft.reportId)) ?? null)

  app.get('/reports/drafts/:id/delete', { config: access }, async (request, reply) => {
    const draft = await ownDraft(request)
    return reply.render(
      'reports/form/views/delete-draft.njk',
      pageContext(draft, { pageTitle: 'Are you sure you want to delete this draft?', startedAt: draft.createdAt }),
    )
  })

  app.post('/reports/drafts/:id/delete', { config: access }, async (request, reply) => {
    const draft = await ownDraft(request)
    await deleteOwnDraft(db, ownerOf(callerOf(request)), draft.id)
    return reply.redirect('/reports?done=deleted', 303)
  })

  // ---- Incident

  sectionPage({
    page: 'incident',
    template: 'reports/form/views/incident.njk',
    title: 'Which incident is your report about?',
    form: incidentChoice,
    redirect: (draft) => (draft.reportId === null ? undefined : ''),
    formErrors: (form) =>
      form.incidentKind === 'new' || form.incidentKind === 'existing'
        ? []
        : [{ field: 'incidentKind', text: 'Select whether this is a new incident or one already recorded' }],
    next: (form) => (form.incidentKind === 'new' ? 'incident/details' : ''),
  })

  sectionPage({
    page: 'incident/details',
    template: 'reports/form/views/incident-details.njk',
    title: 'The incident',
    form: incidentDetailsForm,
    redirect: (draft) => (draft.reportId === null ? undefined : ''),
  })

  // ---- The person

  sectionPage({
    page: 'person',
    template: 'reports/form/views/person.njk',
    title: 'Who did you use force on?',
    form: personChoice,
    // Only a report added to an incident already recorded has people to choose from.
    redirect: (draft) =>
      draft.reportId !== null ? '' : existingReference(draft.data) === undefined ? 'person/details' : undefined,
    extra: async (draft) => {
      const { incident } = await contextFor(deps, draft, draft.data)
      return {
        incident,
        people: (incident?.subjects ?? []).map((s) => ({ value: s.id, text: describePerson(s) })),
        newPerson: NEW_PERSON,
      }
    },
    formErrors: (form) =>
      form.subjectId === ''
        ? [{ field: 'subjectId', text: 'Select the person you used force on, or that they are not yet recorded' }]
        : [],
    next: (form) => (form.subjectId === NEW_PERSON ? 'person/details' : ''),
  })

  sectionPage({
    page: 'person/details',
    template: 'reports/form/views/person-details.njk',
    title: 'The person you used force on',
    form: personDetails,
    redirect: (draft) => (draft.reportId === null ? undefined : ''),
  })

  // ---- Force used: an "add another" list, worked by buttons so it needs no JavaScript

  app.get('/reports/drafts/:id/tactics', { config: access }, async (request, reply) => {
    const draft = await ownDraft(request)
    return renderTactics(reply, draft, tacticsForm.read(draft.data).tactics)
  })

  function renderTactics(
    reply: FastifyReply,
    draft: Draft,
    rows: { tactic: string; effective: string }[],
    errors: FieldError[] = [],
  ) {
    return reply.render(
      'reports/form/views/tactics.njk',
      pageContext(draft, {
        pageTitle: 'What force did you use?',
        // There is always a row to fill in.
        rows: rows.length ? rows : [{ tactic: '', effective: '' }],
        maxRows: MAX_ROWS,
        ...errorContext(errors),
      }),
    )
  }

  app.post('/reports/drafts/:id/tactics', { config: access }, async (request, reply) => {
    const body = (request.body ?? {}) as FormBody
    const before = await ownDraft(request)
    const values = tacticsForm.parse(body)
    const draft = await save(request, before, tacticsForm.write(before.data, values))
    const action = field(body, 'action')
    const rows = values.tactics
    if (action === 'add')
      return renderTactics(reply, draft, [...rows, { tactic: '', effective: '' }].slice(0, MAX_ROWS))
    const remove = /^remove-(\d+)$/.exec(action)
    if (remove) {
      const kept = rows.filter((_, i) => i !== Number(remove[1]))
      const saved = await save(request, draft, tacticsForm.write(draft.data, { tactics: kept }))
      return renderTactics(reply, saved, kept)
    }
    if (action === 'later') return reply.redirect(draftPath(draft.id), 303)
    const errors = await problemsOn(draft, 'tactics')
    if (errors.length) return renderTactics(reply.code(400), draft, rows, errors)
    return reply.redirect(draftPath(draft.id), 303)
  })

  // ---- CED use: up to four, each on its own page

  async function cedDraft(request: FastifyRequest): Promise<{ draft: Draft; n: number }> {
    const params = cedParams.safeParse(request.params)
    if (!params.success) throw new HttpError(404, 'Page not found')
    const draft = await ownDraft(request)
    // A use that exists, or the next one to add.
    if (params.data.n > cedUseCount(draft.data) + 1) throw new HttpError(404, 'Page not found')
    return { draft, n: params.data.n }
  }

  app.get('/reports/drafts/:id/ced', { config: access }, async (request, reply) => {
    const draft = await ownDraft(request)
    const count = cedUseCount(draft.data)
    if (!usesCed(draft.data) && count === 0) return reply.redirect(draftPath(draft.id), 303)
    if (count === 0) return reply.redirect(`${draftPath(draft.id)}/ced/1`, 303)
    const { review } = await reviewOf(deps, draft)
    const issues = review.sections.flatMap((s) => s.issues)
    return reply.render(
      'reports/form/views/ced-uses.njk',
      pageContext(draft, {
        pageTitle: 'CED uses',
        uses: list(draft.data.cedUses).map((use, i) => {
          const form = readCedUse(use)
          return {
            n: i + 1,
            serial: form.deviceSerial,
            levels: options.cedLevels.filter((l) => form.levels.includes(l.value)).map((l) => l.text),
            complete: issuesOnPage(issues, `ced/${i + 1}`).length === 0,
          }
        }),
        canAdd: count < MAX_CED_USES,
      }),
    )
  })

  function renderCedUse(reply: FastifyReply, draft: Draft, n: number, values: CedUseForm, errors: FieldError[] = []) {
    const fired = values.levels.includes('fired')
    return reply.render(
      'reports/form/views/ced-use.njk',
      pageContext(draft, {
        pageTitle: `CED use ${n}`,
        n,
        values: {
          ...values,
          // There is always a row of each list to fill in.
          cartridges: values.cartridges.length ? values.cartridges : [{ serial: '', bay: '' }],
          cycles: values.cycles.length ? values.cycles : [{ seconds: '', extended: '', interrupted: '' }],
        },
        // The probe questions sit under "Fired", revealed when it is ticked. An angled drive-stun fires probes
        // too; without "Fired" they are shown on their own so the officer can answer them.
        probesUnderFired: fired || !probesFired(values.levels),
        maxRows: MAX_ROWS,
        maxCartridges: MAX_CARTRIDGES,
        ...errorContext(errors),
      }),
    )
  }

  app.get('/reports/drafts/:id/ced/:n', { config: access }, async (request, reply) => {
    const { draft, n } = await cedDraft(request)
    if (!usesCed(draft.data) && cedUseCount(draft.data) === 0) return reply.redirect(draftPath(draft.id), 303)
    return renderCedUse(reply, draft, n, readCedUse(list(draft.data.cedUses)[n - 1]))
  })

  app.post('/reports/drafts/:id/ced/:n', { config: access }, async (request, reply) => {
    const body = (request.body ?? {}) as FormBody
    const { draft: before, n } = await cedDraft(request)
    const values = parseCedUse(body)
    const draft = await save(request, before, withCedUse(before.data, n - 1, values))
    const action = field(body, 'action')
    const blankCartridge = { serial: '', bay: '' }
    const blankCycle = { seconds: '', extended: '', interrupted: '' }
    const edited = (changes: Partial<CedUseForm>) => ({ ...values, ...changes })
    const removeAt = <T>(rows: T[], at: string | undefined) => rows.filter((_, i) => i !== Number(at))
    let shown: CedUseForm | undefined
    if (action === 'add-cartridge') {
      shown = edited({
        cartridges: [...withBlank(values.cartridges, blankCartridge), blankCartridge].slice(0, MAX_CARTRIDGES),
      })
    } else if (action === 'add-cycle') {
      shown = edited({ cycles: [...withBlank(values.cycles, blankCycle), blankCycle].slice(0, MAX_ROWS) })
    } else if (/^remove-cartridge-\d+$/.test(action)) {
      shown = edited({ cartridges: removeAt(values.cartridges, action.split('-')[2]) })
    } else if (/^remove-cycle-\d+$/.test(action)) {
      shown = edited({ cycles: removeAt(values.cycles, action.split('-')[2]) })
    }
    if (shown) {
      const saved = await save(request, draft, withCedUse(draft.data, n - 1, shown))
      return renderCedUse(reply, saved, n, shown)
    }
    if (action === 'later') return reply.redirect(draftPath(draft.id), 303)
    const errors = await problemsOn(draft, `ced/${n}`)
    if (errors.length) return renderCedUse(reply.code(400), draft, n, values, errors)
    return reply.redirect(`${draftPath(draft.id)}/ced`, 303)
  })

  app.post('/reports/drafts/:id/ced/:n/remove', { config: access }, async (request, reply) => {
    const { draft, n } = await cedDraft(request)
    const uses = list(draft.data.cedUses).filter((_, i) => i !== n - 1)
    await save(request, draft, { ...draft.data, cedUses: uses })
    return reply.redirect(`${draftPath(draft.id)}/ced`, 303)
  })

  // ---- The rest of the sections

  sectionPage({
    page: 'reasons',
    template: 'reports/form/views/reasons.njk',
    title: 'Why did you use force?',
    form: reasonsForm,
  })

  sectionPage({
    page: 'outcomes',
    template: 'reports/form/views/outcomes.njk',
    title: 'Outcomes and injuries',
    form: outcomesForm,
  })

  sectionPage({
    page: 'about-you',
    template: 'reports/form/views/about-you.njk',
    title: 'About you',
    form: aboutYouForm,
  })

  sectionPage({ page: 'account', template: 'reports/form/views/account.njk', title: 'Your account', form: accountForm })

  // ---- Check your answers and submit

  async function renderCheck(
    reply: FastifyReply,
    draft: Draft,
    options_: { issues?: RuleIssue[]; reason?: string } = {},
  ) {
    const { review, context } = await reviewOf(deps, draft)
    const base = draftPath(draft.id)
    const issues = options_.issues ?? []
    // Each problem links to its field on its own page; the reason, on this page, to its box.
    const errors = issues.map((issue) => {
      const ref = fieldFor(issue.path)
      return {
        href: ref.page === CHECK_PAGE ? `#${ref.field}` : `${base}/${ref.page}#${ref.field}`,
        text: issue.message,
      }
    })
    const reasonError = issuesOnPage(issues, CHECK_PAGE).find((e) => e.field === 'reason')
    const shown = review.sections.filter((s) => s.status !== 'cannot-start')
    return reply.render(
      'reports/form/views/check.njk',
      pageContext(draft, {
        pageTitle: `Check your answers before submitting your ${draft.reportId === null ? 'report' : 'amendment'}`,
        reference: await amendedReference(draft),
        sections: reportSummary(draft.data, {
          changeBase: base,
          sections: shown.map((s) => s.section.key),
          incident: context.incident,
        }).map((summary) => {
          const reviewed = shown.find((s) => s.section.key === summary.key)
          return { ...summary, status: reviewed?.status, page: reviewed?.section.page(draft.data) }
        }),
        reason: options_.reason ?? '',
        errors,
        fieldErrors: reasonError ? { reason: { text: reasonError.text } } : {},
      }),
    )
  }

  app.get('/reports/drafts/:id/check', { config: access }, async (request, reply) =>
    renderCheck(reply, await ownDraft(request)),
  )

  app.post('/reports/drafts/:id/submit', { config: access }, async (request, reply) => {
    const body = (request.body ?? {}) as FormBody
    const params = draftParams.safeParse(request.params)
    if (!params.success) throw new HttpError(404, 'Page not found')
    const who = callerOf(request)
    const draft = await findOwnDraft(db, ownerOf(who), params.data.id)
    if (!draft) {
      // Pressed twice: the first press submitted the report and removed the draft.
      const reportId = await reportSubmittedWithKey(db, who.principal.userId, submissionKey(params.data.id))
      if (reportId) return reply.redirect(`/reports/${reportId}/submitted`, 303)
      throw new HttpError(404, 'Page not found')
    }
    const reason = field(body, 'reason')
    const outcome = await submitDraft(deps, who, draft, { reason })
    if (!outcome.ok) return renderCheck(reply.code(outcome.status), draft, { issues: outcome.issues, reason })
    if (outcome.kind === 'amended') return reply.redirect(`/reports/${outcome.reportId}?done=amended`, 303)
    return reply.redirect(`/reports/${outcome.reportId}/submitted`, 303)
  })
}

/** Rows as shown, which always include one to fill in: adding another adds to those, not to nothing. */
function withBlank<T>(rows: T[], blank: T): T[] {
  return rows.length ? rows : [blank]
}
