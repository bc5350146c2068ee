import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import type { Authority, ModelAuthority } from '../../domain/taser/authority.js'
import { addDays, londonDate } from '../../domain/calendar.js'
import type { LineError } from '../../domain/imports/line-errors.js'
import { cedAssessments, cedCourses, cedPrerequisites } from '../../domain/taser/training.js'
import { cedDeviceModels } from '../../domain/use-of-force/ced.js'
import { actorOf, principalOf } from '../../web/access.js'
import { HttpError } from '../../web/errors.js'
import { errorContext, type FieldError } from '../../web/render.js'
import { acceptFileUploads, rejectedFileSummary, uploadedFile } from '../../web/uploads.js'
import { canActOn, hasPermission, scopeFilter } from '../auth/policy.js'
import { cedAuthorityAsAt, forcePolicy, type PersonAuthority } from './authority.repository.js'
import { modelLabel, personName, reasonsText, statusLabel } from './authority-text.js'
import { dateItems, dateValues, readDate } from '../../web/date-input.js'
import { text, type FormBody } from '../../web/forms.js'
import { findPerson, findPersonByCollar, taserRecordOf, type PersonSummary } from './training.repository.js'
import {
  importTraining,
  liftSuspension,
  recordCourse,
  recordPrerequisite,
  setTaserPolicy,
  suspendAuthority,
  type CourseRecord,
} from './training.service.js'

/** 20,000 courses (the parser's limit) at ~60 bytes a line, with room to spare. */
const MAX_TRAINING_FILE_BYTES = 2 * 1024 * 1024

const personParams = z.object({ id: z.uuid() })
const liftParams = z.object({ id: z.uuid(), suspensionId: z.uuid() })
const noticeQuery = z.object({
  done: z.enum(['course', 'prerequisite', 'suspended', 'lifted']).optional().catch(undefined),
})
const notices = {
  course: 'Course recorded',
  prerequisite: 'Prerequisite recorded',
  suspended: 'Taser authority suspended',
  lifted: 'Suspension lifted',
}

/** The models worth showing for someone: those they have trained on. */
function trainedModels(authority: Authority): ModelAuthority[] {
  return authority.models.filter((m) => m.lastTrainedOn !== null || m.qualifiedOn !== null || m.authorised)
}

/** Taser training and authority: who may carry, who lapses soon, and each officer's record. */
export async function trainingRoutes(app: FastifyInstance, { db, clock }: { db: Db; clock: Clock }) {
  const deps = { db, clock }

  /** The person in the URL, if the reader's scope covers them; otherwise the page does not exist for them. */
  async function personInScope(request: FastifyRequest, permission: 'training.view' | 'training.manage') {
    const parsed = personParams.safeParse(request.params)
    if (!parsed.success) throw new HttpError(404, 'Page not found')
    const principal = principalOf(request)
    const person = await findPerson(db, principal.forceId, parsed.data.id)
    if (
      !person ||
      !canActOn(principal, permission, {
        forceId: principal.forceId,
        unitPath: person.unitPath,
        ownerPersonId: person.id,
      })
    )
      throw new HttpError(404, 'Page not found')
    return person
  }

  app.get('/taser/training', { config: { access: 'training.view' } }, async (request, reply) => {
    const principal = principalOf(request)
    const today = londonDate(clock())
    const people = await cedAuthorityAsAt(db, {
      forceId: principal.forceId,
      asAt: today,
      scope: scopeFilter(principal, 'training.view'),
    })
    const inForce = people.filter((p) => !p.input.leftOn)
    const soon = addDays(today, 30)
    const lapsing = inForce
      .map((p) => ({ p, lapsesOn: earliestLapse(p) }))
      .filter((x): x is { p: PersonAuthority; lapsesOn: string } => x.lapsesOn !== null && x.lapsesOn <= soon)
      .sort((a, b) => a.lapsesOn.localeCompare(b.lapsesOn))
    const notAuthorised = inForce.filter(
      (p) => p.authority.authorisedModels.length === 0 && p.authority.models.some((m) => m.qualifiedOn !== null),
    )
    return reply.render('training/views/overview.njk', {
      pageTitle: 'Taser training and authority',
      today,
      trained: inForce.length,
      authorised: inForce.filter((p) => p.authority.authorisedModels.length > 0).length,
      lapsing: lapsing.map(({ p, lapsesOn }) => ({
        ...row(p),
        lapsesOn,
        models: p.authority.models
          .filter((m) => m.authorised && m.lapsesOn === lapsesOn)
          .map((m) => modelLabel(m.model)),
      })),
      notAuthorised: notAuthorised.map((p) => ({
        ...row(p),
        reasons: [
          ...new Set(
            trainedModels(p.authority).flatMap((m) => reasonsText(m).map((r) => `${modelLabel(m.model)}: ${r}`)),
          ),
        ],
      })),
      canManage: hasPermission(principal, 'training.manage'),
    })
  })

  app.get('/taser/training/find', { config: { access: 'training.view' } }, async (request, reply) => {
    const collar = z
      .object({ collar: z.string().max(20).catch('') })
      .parse(request.query)
      .collar.trim()
    const principal = principalOf(request)
    const person = collar ? await findPersonByCollar(db, principal.forceId, collar) : null
    if (
      person &&
      canActOn(principal, 'training.view', {
        forceId: principal.forceId,
        unitPath: person.unitPath,
        ownerPersonId: person.id,
      })
    )
      return reply.redirect(`/taser/training/people/${person.id}`, 303)
    return reply.render('training/views/find.njk', {
      pageTitle: 'Find an officer',
      collar,
      ...errorContext([
        {
          field: 'collar',
          text: collar ? `No officer you can see has collar number ${collar}` : 'Enter a collar number',
        },
      ]),
    })
  })

  app.get('/taser/training/people/:id', { config: { access: 'training.view' } }, async (request, reply) => {
    const person = await personInScope(request, 'training.view')
    const principal = principalOf(request)
    const today = londonDate(clock())
    const [authority] = await cedAuthorityAsAt(db, { forceId: principal.forceId, asAt: today, personIds: [person.id] })
    const record = await taserRecordOf(db, person.id)
    const { done } = noticeQuery.parse(request.query)
    const models = authority ? trainedModels(authority.authority) : []
    return reply.render('training/views/person.njk', {
      pageTitle: `Taser authority: ${personName(person)}`,
      notice: done ? notices[done] : null,
      person: { ...person, name: personName(person), status: statusLabel(person.status) },
      today,
      models: models.map((m) => ({ ...m, label: modelLabel(m.model), reasons: reasonsText(m) })),
      untrained: authority
        ? authority.authority.models.filter((m) => !models.includes(m)).map((m) => modelLabel(m.model))
        : cedDeviceModels.codes.map((c) => c.label),
      prerequisites: (authority?.authority.prerequisites ?? []).map((p) => ({
        ...p,
        label: cedPrerequisites.label(p.kind),
      })),
      courses: record.courses.map((c) => ({
        ...c,
        course: cedCourses.label(c.course),
        model: modelLabel(c.device_model),
        assessments: c.assessments.map((a) => `${cedAssessments.label(a.kind)}: ${a.passed ? 'pass' : 'fail'}`),
      })),
      suspensions: record.suspensions,
      canManage: hasPermission(principal, 'training.manage'),
    })
  })

  // Recording a course.
  const courseItems = cedCourses.codes.map((c) => ({
    value: c.value,
    text: c.label,
    hint: { text: `At least ${c.minimumHours} hours` },
  }))
  const modelItems = cedDeviceModels.codes.map((c) => ({ value: c.value, text: c.label }))
  async function renderCourse(reply: FastifyReply, person: PersonSummary, body: FormBody, errors: FieldError[] = []) {
    const context = errorContext(errors)
    return reply.render('training/views/course-form.njk', {
      pageTitle: 'Record a course',
      person: { ...person, name: personName(person) },
      values: { course: text(body, 'course'), deviceModel: text(body, 'deviceModel'), hours: text(body, 'hours') },
      passed: text(body, 'passed'),
      courseItems,
      modelItems,
      assessments: cedAssessments.codes.map((a) => ({ value: a.value, label: a.label, selected: text(body, a.value) })),
      dateItems: dateItems(dateValues(body, 'completedOn'), 'completedOn-day' in context.fieldErrors),
      ...context,
    })
  }
  app.get('/taser/training/people/:id/courses/new', { config: { access: 'training.manage' } }, async (request, reply) =>
    renderCourse(reply, await personInScope(request, 'training.manage'), {}),
  )
  app.post(
    '/taser/training/people/:id/courses/new',
    { config: { access: 'training.manage' } },
    async (request, reply) => {
      const person = await personInScope(request, 'training.manage')
      const body = (request.body ?? {}) as FormBody
      const errors: FieldError[] = []
      const course = cedCourses.byValue(text(body, 'course'))
      if (!course) errors.push({ field: 'course', text: 'Select the course' })
      const model = text(body, 'deviceModel')
      if (!cedDeviceModels.has(model)) errors.push({ field: 'deviceModel', text: 'Select the device model' })
      const completedOn = readDate(body, 'completedOn', 'the date the course finished', errors)
      if (completedOn && completedOn > londonDate(clock()))
        errors.push({ field: 'completedOn-day', text: 'The date the course finished must be today or in the past' })
      const hoursText = text(body, 'hours')
      const hours = /^\d{1,2}(\.\d)?$/.test(hoursText) ? Number(hoursText) : Number.NaN
      if (Number.isNaN(hours) || hours <= 0)
        errors.push({ field: 'hours', text: 'Enter the hours as a number, like 7 or 7.5' })
      else if (course && hours < course.minimumHours)
        errors.push({ field: 'hours', text: `${course.label} must be at least ${course.minimumHours} hours` })
      const assessments = cedAssessments.values.flatMap((kind) => {
        const value = text(body, kind)
        return value === 'pass' || value === 'fail' ? [{ kind, passed: value === 'pass' }] : []
      })
      const passedText = text(body, 'passed')
      if (passedText !== 'yes' && passedText !== 'no')
        errors.push({ field: 'passed', text: 'Select whether they passed' })
      else if (passedText === 'yes' && assessments.some((a) => !a.passed))
        errors.push({ field: 'passed', text: 'A course with a failed assessment cannot be passed' })
      if (errors.length > 0 || !course || !completedOn) return renderCourse(reply.code(400), person, body, errors)
      const principal = principalOf(request)
      const record: CourseRecord = {
        course: course.value,
        deviceModel: model as CourseRecord['deviceModel'],
        completedOn,
        hours,
        passed: passedText === 'yes',
        assessments,
      }
      if (!(await recordCourse(deps, actorOf(request), principal.forceId, person.id, record)))
        return renderCourse(reply.code(400), person, body, [
          { field: 'course', text: 'This course on this date is already recorded for this officer' },
        ])
      return reply.redirect(`/taser/training/people/${person.id}?done=course`, 303)
    },
  )

  // Recording a prerequisite.
  async function renderPrerequisite(
    reply: FastifyReply,
    person: PersonSummary,
    body: FormBody,
    errors: FieldError[] = [],
  ) {
    const context = errorContext(errors)
    return reply.render('training/views/prerequisite-form.njk', {
      pageTitle: 'Record a prerequisite',
      person: { ...person, name: personName(person) },
      kind: text(body, 'kind'),
      kindItems: cedPrerequisites.codes.map((c) => ({ value: c.value, text: c.label })),
      achievedItems: dateItems(dateValues(body, 'achievedOn'), 'achievedOn-day' in context.fieldErrors),
      expiresItems: dateItems(dateValues(body, 'expiresOn'), 'expiresOn-day' in context.fieldErrors),
      ...context,
    })
  }
  app.get(
    '/taser/training/people/:id/prerequisites/new',
    { config: { access: 'training.manage' } },
    async (request, reply) => renderPrerequisite(reply, await personInScope(request, 'training.manage'), {}),
  )
  app.post(
    '/taser/training/people/:id/prerequisites/new',
    { config: { access: 'training.manage' } },
    async (request, reply) => {
      const person = await personInScope(request, 'training.manage')
      const body = (request.body ?? {}) as FormBody
      const errors: FieldError[] = []
      const kind = text(body, 'kind')
      if (!cedPrerequisites.has(kind)) errors.push({ field: 'kind', text: 'Select the prerequisite' })
      const achievedOn = readDate(body, 'achievedOn', 'the date it was achieved', errors)
      const expiresOn = readDate(body, 'expiresOn', 'the last day it is valid', errors)
      if (achievedOn && achievedOn > londonDate(clock()))
        errors.push({ field: 'achievedOn-day', text: 'The date it was achieved must be today or in the past' })
      if (achievedOn && expiresOn && expiresOn < achievedOn)
        errors.push({
          field: 'expiresOn-day',
          text: 'The last day it is valid must be on or after the date it was achieved',
        })
      if (errors.length > 0 || !cedPrerequisites.has(kind) || !achievedOn || !expiresOn)
        return renderPrerequisite(reply.code(400), person, body, errors)
      await recordPrerequisite(deps, actorOf(request), principalOf(request).forceId, person.id, {
        kind,
        achievedOn,
        expiresOn,
      })
      return reply.redirect(`/taser/training/people/${person.id}?done=prerequisite`, 303)
    },
  )

  // Suspending and lifting.
  async function renderSuspend(reply: FastifyReply, person: PersonSummary, body: FormBody, errors: FieldError[] = []) {
    const context = errorContext(errors)
    return reply.render('training/views/suspend-form.njk', {
      pageTitle: 'Suspend Taser authority',
      person: { ...person, name: personName(person) },
      reason: text(body, 'reason'),
      dateItems: dateItems(dateValues(body, 'suspendedOn'), 'suspendedOn-day' in context.fieldErrors),
      ...context,
    })
  }
  app.get(
    '/taser/training/people/:id/suspensions/new',
    { config: { access: 'training.manage' } },
    async (request, reply) => renderSuspend(reply, await personInScope(request, 'training.manage'), {}),
  )
  app.post(
    '/taser/training/people/:id/suspensions/new',
    { config: { access: 'training.manage' } },
    async (request, reply) => {
      const person = await personInScope(request, 'training.manage')
      const body = (request.body ?? {}) as FormBody
      const errors: FieldError[] = []
      const reason = text(body, 'reason')
      if (!reason) errors.push({ field: 'reason', text: 'Enter the reason for the suspension' })
      else if (reason.length > 1000)
        errors.push({ field: 'reason', text: 'The reason must be 1,000 characters or fewer' })
      const suspendedOn = readDate(body, 'suspendedOn', 'the date the suspension starts', errors)
      if (errors.length > 0 || !suspendedOn) return renderSuspend(reply.code(400), person, body, errors)
      await suspendAuthority(deps, actorOf(request), principalOf(request).forceId, person.id, { reason, suspendedOn })
      return reply.redirect(`/taser/training/people/${person.id}?done=suspended`, 303)
    },
  )

  async function renderLift(
    reply: FastifyReply,
    person: PersonSummary,
    suspensionId: string,
    body: FormBody,
    errors: FieldError[] = [],
  ) {
    const context = errorContext(errors)
    return reply.render('training/views/lift-form.njk', {
      pageTitle: 'Lift the suspension',
      person: { ...person, name: personName(person) },
      suspensionId,
      reason: text(body, 'reason'),
      dateItems: dateItems(dateValues(body, 'liftedOn'), 'liftedOn-day' in context.fieldErrors),
      ...context,
    })
  }
  const liftIds = (request: FastifyRequest) => {
    const parsed = liftParams.safeParse(request.params)
    if (!parsed.success) throw new HttpError(404, 'Page not found')
    return parsed.data.suspensionId
  }
  app.get(
    '/taser/training/people/:id/suspensions/:suspensionId/lift',
    { config: { access: 'training.manage' } },
    async (request, reply) => renderLift(reply, await personInScope(request, 'training.manage'), liftIds(request), {}),
  )
  app.post(
    '/taser/training/people/:id/suspensions/:suspensionId/lift',
    { config: { access: 'training.manage' } },
    async (request, reply) => {
      const person = await personInScope(request, 'training.manage')
      const suspensionId = liftIds(request)
      const body = (request.body ?? {}) as FormBody
      const errors: FieldError[] = []
      const reason = text(body, 'reason')
      if (!reason) errors.push({ field: 'reason', text: 'Enter why the suspension is lifted' })
      else if (reason.length > 1000)
        errors.push({ field: 'reason', text: 'The reason must be 1,000 characters or fewer' })
      const liftedOn = readDate(body, 'liftedOn', 'the date authority is restored', errors)
      if (errors.length > 0 || !liftedOn) return renderLift(reply.code(400), person, suspensionId, body, errors)
      const outcome = await liftSuspension(
        deps,
        actorOf(request),
        principalOf(request).forceId,
        person.id,
        suspensionId,
        {
          liftedOn,
          reason,
        },
      )
      if (outcome === 'not_found') throw new HttpError(404, 'Page not found')
      if (outcome === 'before_start')
        return renderLift(reply.code(400), person, suspensionId, body, [
          { field: 'liftedOn-day', text: 'The date authority is restored must be on or after the suspension started' },
        ])
      return reply.redirect(`/taser/training/people/${person.id}?done=lifted`, 303)
    },
  )

  // Importing training records: its own scope, so only these routes accept a file upload.
  await app.register(async (imports) => {
    await acceptFileUploads(imports, MAX_TRAINING_FILE_BYTES)
    const renderImport = (reply: FastifyReply, problem?: { summary: string; lines?: LineError[]; fileName?: string }) =>
      reply.code(problem ? 400 : 200).render('training/views/import.njk', {
        pageTitle: 'Import training records',
        maxMegabytes: MAX_TRAINING_FILE_BYTES / 1024 / 1024,
        lineErrors: problem?.lines ?? [],
        fileName: problem?.fileName,
        ...errorContext(problem ? [{ field: 'file', text: problem.summary }] : []),
      })

    imports.get('/taser/training/import', { config: { access: 'training.manage' } }, async (_request, reply) =>
      renderImport(reply),
    )
    imports.post('/taser/training/import', { config: { access: 'training.manage' } }, async (request, reply) => {
      const file = uploadedFile(request.body)
      if (file === 'missing') return renderImport(reply, { summary: 'Select a CSV file of training records' })
      if (file === 'too-large')
        return renderImport(reply, {
          summary: `The file must be smaller than ${MAX_TRAINING_FILE_BYTES / 1024 / 1024} MB`,
        })
      const result = await importTraining(deps, actorOf(request), principalOf(request).forceId, file)
      if (!result.ok) {
        return renderImport(reply, {
          summary: rejectedFileSummary(result.errors.length),
          lines: result.errors,
          fileName: file.name,
        })
      }
      return reply.render('training/views/imported.njk', { pageTitle: 'Training records imported', ...result })
    })
  })

  // The force's policy on who may carry.
  async function renderPolicy(reply: FastifyReply, forceId: string, done = false) {
    const policy = await forcePolicy(db, forceId)
    return reply.render('training/views/policy.njk', {
      pageTitle: 'Taser policy',
      notice: done ? 'Taser policy saved' : null,
      probationers: policy.probationersAllowed ? 'yes' : 'no',
      specials: policy.specialsAllowed ? 'yes' : 'no',
    })
  }
  app.get('/taser/policy', { config: { access: 'taser-policy.manage' } }, async (request, reply) =>
    renderPolicy(
      reply,
      principalOf(request).forceId,
      z.object({ done: z.string().optional() }).parse(request.query).done === '1',
    ),
  )
  app.post('/taser/policy', { config: { access: 'taser-policy.manage' } }, async (request, reply) => {
    const body = (request.body ?? {}) as FormBody
    const errors: FieldError[] = []
    const yesNo = (name: string, message: string) => {
      const value = text(body, name)
      if (value !== 'yes' && value !== 'no') errors.push({ field: name, text: message })
      return value === 'yes'
    }
    const probationersAllowed = yesNo('probationers', 'Select whether student officers may carry Taser')
    const specialsAllowed = yesNo('specials', 'Select whether special constables may carry Taser')
    if (errors.length > 0)
      return reply.code(400).render('training/views/policy.njk', {
        pageTitle: 'Taser policy',
        probationers: text(body, 'probationers'),
        specials: text(body, 'specials'),
        ...errorContext(errors),
      })
    await setTaserPolicy(deps, actorOf(request), principalOf(request).forceId, { probationersAllowed, specialsAllowed })
    return reply.redirect('/taser/policy?done=1', 303)
  })
}

function earliestLapse(p: PersonAuthority): string | null {
  const dates = p.authority.models.flatMap((m) => (m.authorised && m.lapsesOn ? [m.lapsesOn] : []))
  return dates.length > 0 ? (dates.sort()[0] ?? null) : null
}

function row(p: PersonAuthority) {
  return {
    id: p.personId,
    name: personName(p),
    collarNumber: p.collarNumber,
    unitName: p.unitName,
    status: statusLabel(p.status),
  }
}
