import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import { cartridgeStatuses, cartridgeTypes, deviceStatuses } from '../../domain/taser/armoury.js'
import { isCalendarDate, londonDate, londonInstant } from '../../domain/calendar.js'
import { cedDeviceModels, type CedDeviceModel } from '../../domain/use-of-force/ced.js'
import { rankAbbreviation, type Rank } from '../../domain/workforce.js'
import { actorOf, principalOf } from '../../web/access.js'
import { HttpError } from '../../web/errors.js'
import { errorContext, type FieldError } from '../../web/render.js'
import { canActOn, hasPermission, scopeFilter } from '../auth/policy.js'
import { unitPathOf } from '../reports/reports.repository.js'
import { dateItems, dateValues, readDate } from '../../web/date-input.js'
import { text, type FormBody } from '../../web/forms.js'
import {
  cartridgeSummary,
  deviceRecord,
  expiredInStock,
  findDevice,
  findIssue,
  listDevices,
  openIssues,
  recentDischarges,
  recentRefusals,
} from './armoury.repository.js'
import {
  addCartridges,
  changeDevice,
  issueDevice,
  recordDischarge,
  registerDevice,
  reportDefect,
  resolveDefect,
  returnDevice,
} from './armoury.service.js'

const idParams = z.object({ id: z.uuid() })
const defectParams = z.object({ id: z.uuid(), defectId: z.uuid() })
const SERIAL = /^[A-Za-z0-9][A-Za-z0-9-]{0,39}$/

const modelLabel = (model: string): string => cedDeviceModels.byValue(model)?.label ?? model
const statusLabel = (status: string): string => deviceStatuses.byValue(status)?.label ?? status
const personName = (p: {
  rank: string | null
  given_name: string
  family_name: string
  collar_number: string | null
}) =>
  `${p.rank ? `${rankAbbreviation(p.rank as Rank)} ` : ''}${p.given_name} ${p.family_name}${p.collar_number ? ` (${p.collar_number})` : ''}`

const historyText: Record<string, (d: Record<string, unknown>) => string> = {
  registered: (d) => `Registered (firmware ${String(d.firmware)})`,
  status_changed: (d) =>
    `Status changed from ${statusLabel(String(d.from)).toLowerCase()} to ${statusLabel(String(d.to)).toLowerCase()}${d.reason ? `: ${String(d.reason)}` : ''}`,
  firmware_updated: (d) => `Firmware updated from ${String(d.from)} to ${String(d.to)}`,
  defect_reported: (d) => `Defect reported: ${String(d.description)}`,
  defect_resolved: (d) => `Defect resolved: ${String(d.resolution)}`,
}

function idOf(request: FastifyRequest): string {
  const parsed = idParams.safeParse(request.params)
  if (!parsed.success) throw new HttpError(404, 'Page not found')
  return parsed.data.id
}

/** The device register, cartridges, and issue and return at the armoury. */
export async function armouryRoutes(app: FastifyInstance, { db, clock }: { db: Db; clock: Clock }) {
  const deps = { db, clock }

  async function deviceOr404(request: FastifyRequest) {
    const device = await findDevice(db, principalOf(request).forceId, idOf(request))
    if (!device) throw new HttpError(404, 'Page not found')
    return device
  }

  // ---- The armoury --------------------------------------------------------------------------------------------

  app.get('/taser/armoury', { config: { access: 'armoury.issue' } }, async (request, reply) => {
    const scope = scopeFilter(principalOf(request), 'armoury.issue')
    const [out, refusals, discharges] = await Promise.all([
      openIssues(db, scope),
      recentRefusals(db, scope),
      recentDischarges(db, scope),
    ])
    return reply.render('armoury/views/armoury.njk', {
      pageTitle: 'Armoury',
      out: out.map((o) => ({ ...o, who: personName(o), model: modelLabel(o.model) })),
      refusals: refusals.map((r) => ({ ...r, who: personName(r) })),
      discharges: discharges.map((d) => ({ ...d, who: personName(d) })),
    })
  })

  async function renderIssue(reply: FastifyReply, body: FormBody, errors: FieldError[] = []) {
    return reply.render('armoury/views/issue.njk', {
      pageTitle: 'Issue a Taser',
      values: {
        collarNumber: text(body, 'collarNumber'),
        deviceSerial: text(body, 'deviceSerial'),
        cartridge1: text(body, 'cartridge1'),
        cartridge2: text(body, 'cartridge2'),
        sparkTest: text(body, 'sparkTest'),
      },
      ...errorContext(errors),
    })
  }
  app.get('/taser/armoury/issue', { config: { access: 'armoury.issue' } }, async (_request, reply) =>
    renderIssue(reply, {}),
  )
  app.post('/taser/armoury/issue', { config: { access: 'armoury.issue' } }, async (request, reply) => {
    const body = (request.body ?? {}) as FormBody
    const errors: FieldError[] = []
    const collarNumber = text(body, 'collarNumber')
    if (!collarNumber) errors.push({ field: 'collarNumber', text: 'Enter the officer’s collar number' })
    else if (!/^[A-Za-z0-9]{1,20}$/.test(collarNumber))
      errors.push({ field: 'collarNumber', text: 'A collar number is letters and digits only' })
    const deviceSerial = text(body, 'deviceSerial')
    if (!deviceSerial) errors.push({ field: 'deviceSerial', text: 'Enter the device serial number' })
    else if (!SERIAL.test(deviceSerial))
      errors.push({ field: 'deviceSerial', text: 'A serial number is letters, digits and hyphens only' })
    const cartridgeSerials: string[] = []
    for (const field of ['cartridge1', 'cartridge2']) {
      const serial = text(body, field)
      if (!serial) continue
      if (!SERIAL.test(serial)) errors.push({ field, text: 'A serial number is letters, digits and hyphens only' })
      else if (cartridgeSerials.includes(serial))
        errors.push({ field, text: 'Enter a different cartridge for each bay' })
      else cartridgeSerials.push(serial)
    }
    const sparkTest = text(body, 'sparkTest')
    if (sparkTest !== 'passed' && sparkTest !== 'failed')
      errors.push({ field: 'sparkTest', text: 'Select the result of the spark test' })
    if (errors.length > 0) return renderIssue(reply.code(400), body, errors)

    const outcome = await issueDevice(deps, actorOf(request), principalOf(request), {
      collarNumber,
      deviceSerial,
      cartridgeSerials,
      sparkTestPassed: sparkTest === 'passed',
    })
    if (outcome.kind === 'invalid') return renderIssue(reply.code(400), body, outcome.errors)
    if (outcome.kind === 'refused')
      return reply.code(409).render('armoury/views/refused.njk', {
        pageTitle: 'Issue refused',
        reasons: outcome.reasons,
        collarNumber,
        deviceSerial,
      })
    return reply.redirect(`/taser/armoury/issues/${outcome.issueId}`, 303)
  })

  async function issueInScope(request: FastifyRequest) {
    const principal = principalOf(request)
    const issue = await findIssue(db, principal.forceId, idOf(request))
    if (
      !issue ||
      !canActOn(principal, 'armoury.issue', {
        forceId: principal.forceId,
        unitPath: await unitPathOf(db, issue.unit_id),
        ownerPersonId: issue.person_id,
      })
    )
      throw new HttpError(404, 'Page not found')
    return issue
  }
  app.get('/taser/armoury/issues/:id', { config: { access: 'armoury.issue' } }, async (request, reply) => {
    const issue = await issueInScope(request)
    return reply.render('armoury/views/return.njk', {
      pageTitle: issue.returned_at ? 'Device returned' : `Device ${issue.serial} issued`,
      issue: { ...issue, who: personName(issue), model: modelLabel(issue.model) },
    })
  })
  app.post('/taser/armoury/issues/:id', { config: { access: 'armoury.issue' } }, async (request, reply) => {
    const issue = await issueInScope(request)
    const body = (request.body ?? {}) as FormBody
    const used = [body.used ?? []].flat().filter((v): v is string => typeof v === 'string')
    const notes = text(body, 'notes')
    if (used.some((id) => !issue.cartridges.some((c) => c.id === id)) || notes.length > 1000)
      return reply.code(400).render('armoury/views/return.njk', {
        pageTitle: `Device ${issue.serial} issued`,
        issue: { ...issue, who: personName(issue), model: modelLabel(issue.model) },
        notes,
        ...errorContext([
          notes.length > 1000
            ? { field: 'notes', text: 'Notes must be 1,000 characters or fewer' }
            : { field: 'used', text: 'Select only cartridges issued with this device' },
        ]),
      })
    const returned = await returnDevice(deps, actorOf(request), principalOf(request).forceId, issue.id, {
      usedCartridgeIds: used,
      notes: notes || null,
    })
    if (!returned) throw new HttpError(404, 'Page not found')
    return reply.redirect(`/taser/armoury/issues/${issue.id}`, 303)
  })

  async function renderDischarge(reply: FastifyReply, body: FormBody, errors: FieldError[] = []) {
    const context = errorContext(errors)
    return reply.render('armoury/views/discharge.njk', {
      pageTitle: 'Record an unintentional discharge',
      values: {
        collarNumber: text(body, 'collarNumber'),
        deviceSerial: text(body, 'deviceSerial'),
        time: text(body, 'time'),
        circumstances: text(body, 'circumstances'),
      },
      dateItems: dateItems(dateValues(body, 'occurredOn'), 'occurredOn-day' in context.fieldErrors),
      ...context,
    })
  }
  app.get('/taser/armoury/discharges/new', { config: { access: 'armoury.issue' } }, async (_request, reply) =>
    renderDischarge(reply, {}),
  )
  app.post('/taser/armoury/discharges/new', { config: { access: 'armoury.issue' } }, async (request, reply) => {
    const body = (request.body ?? {}) as FormBody
    const errors: FieldError[] = []
    const collarNumber = text(body, 'collarNumber')
    if (!/^[A-Za-z0-9]{1,20}$/.test(collarNumber))
      errors.push({ field: 'collarNumber', text: 'Enter the officer’s collar number' })
    const deviceSerial = text(body, 'deviceSerial')
    if (!SERIAL.test(deviceSerial)) errors.push({ field: 'deviceSerial', text: 'Enter the device serial number' })
    const occurredOn = readDate(body, 'occurredOn', 'the date of the discharge', errors)
    const time = text(body, 'time')
    const timeMatch = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(time)
    if (!timeMatch) errors.push({ field: 'time', text: 'Enter the time as hours and minutes, like 06:52' })
    const circumstances = text(body, 'circumstances')
    if (!circumstances) errors.push({ field: 'circumstances', text: 'Describe what happened' })
    else if (circumstances.length > 2000)
      errors.push({ field: 'circumstances', text: 'The circumstances must be 2,000 characters or fewer' })
    const occurredAt =
      occurredOn && timeMatch ? londonInstant(occurredOn, `${timeMatch[1]?.padStart(2, '0')}:${timeMatch[2]}`) : null
    if (occurredAt && occurredAt > clock())
      errors.push({ field: 'occurredOn-day', text: 'The date and time of the discharge must be in the past' })
    if (errors.length > 0 || !occurredAt) return renderDischarge(reply.code(400), body, errors)
    const outcome = await recordDischarge(deps, actorOf(request), principalOf(request), {
      collarNumber,
      deviceSerial,
      occurredAt,
      circumstances,
    })
    if (!outcome.ok) return renderDischarge(reply.code(400), body, outcome.errors)
    return reply.redirect('/taser/armoury', 303)
  })

  // ---- The device register ------------------------------------------------------------------------------------

  const listQuery = z.object({
    status: z.enum(deviceStatuses.values).optional().catch(undefined),
    model: z.enum(cedDeviceModels.values).optional().catch(undefined),
  })
  app.get('/taser/devices', { config: { access: 'devices.view' } }, async (request, reply) => {
    const filter = listQuery.parse(request.query)
    const devices = await listDevices(db, principalOf(request).forceId, filter)
    return reply.render('armoury/views/devices.njk', {
      pageTitle: 'Taser devices',
      filter,
      statusItems: [
        { value: '', text: 'Any status' },
        ...deviceStatuses.codes.map((c) => ({ value: c.value, text: c.label })),
      ],
      modelItems: [
        { value: '', text: 'Any model' },
        ...cedDeviceModels.codes.map((c) => ({ value: c.value, text: c.label })),
      ],
      devices: devices.map((d) => ({
        ...d,
        model: modelLabel(d.model),
        status: deviceStatuses.label(d.status),
        holder: d.issue_id
          ? personName({
              rank: d.holder_rank,
              given_name: d.holder_given_name ?? '',
              family_name: d.holder_family_name ?? '',
              collar_number: d.holder_collar,
            })
          : null,
      })),
      canManage: hasPermission(principalOf(request), 'devices.manage'),
    })
  })

  async function unitItems(forceId: string, selected: string) {
    const units = await db
      .selectFrom('org_units')
      .select(['id', 'name'])
      .where('force_id', '=', forceId)
      .where('kind', 'in', ['bcu', 'department'])
      .orderBy('name')
      .execute()
    return [
      { value: '', text: 'Select a unit' },
      ...units.map((u) => ({ value: u.id, text: u.name, selected: u.id === selected })),
    ]
  }
  async function renderNewDevice(
    request: FastifyRequest,
    reply: FastifyReply,
    body: FormBody,
    errors: FieldError[] = [],
  ) {
    return reply.render('armoury/views/device-new.njk', {
      pageTitle: 'Register a device',
      values: { serial: text(body, 'serial'), model: text(body, 'model'), firmware: text(body, 'firmware') },
      modelItems: cedDeviceModels.codes.map((c) => ({ value: c.value, text: c.label })),
      unitItems: await unitItems(principalOf(request).forceId, text(body, 'homeUnitId')),
      ...errorContext(errors),
    })
  }
  app.get('/taser/devices/new', { config: { access: 'devices.manage' } }, async (request, reply) =>
    renderNewDevice(request, reply, {}),
  )
  app.post('/taser/devices/new', { config: { access: 'devices.manage' } }, async (request, reply) => {
    const body = (request.body ?? {}) as FormBody
    const errors: FieldError[] = []
    const serial = text(body, 'serial')
    if (!SERIAL.test(serial))
      errors.push({ field: 'serial', text: 'Enter the serial number: letters, digits and hyphens' })
    const model = text(body, 'model')
    if (!cedDeviceModels.has(model)) errors.push({ field: 'model', text: 'Select the model' })
    const firmware = text(body, 'firmware')
    if (!firmware || firmware.length > 40) errors.push({ field: 'firmware', text: 'Enter the firmware version' })
    const homeUnitId = text(body, 'homeUnitId')
    if (!z.uuid().safeParse(homeUnitId).success)
      errors.push({ field: 'homeUnitId', text: 'Select the armoury that keeps it' })
    if (errors.length > 0) return renderNewDevice(request, reply.code(400), body, errors)
    const outcome = await registerDevice(deps, actorOf(request), principalOf(request).forceId, {
      serial,
      model: model as CedDeviceModel,
      firmware,
      homeUnitId,
    })
    if (!outcome.ok) return renderNewDevice(request, reply.code(400), body, outcome.errors)
    return reply.redirect(`/taser/devices/${outcome.id}`, 303)
  })

  app.get('/taser/devices/:id', { config: { access: 'devices.view' } }, async (request, reply) => {
    const device = await deviceOr404(request)
    const record = await deviceRecord(db, device.id)
    return reply.render('armoury/views/device.njk', {
      pageTitle: `Device ${device.serial}`,
      device: { ...device, modelLabel: modelLabel(device.model), statusLabel: deviceStatuses.label(device.status) },
      history: record.history.map((h) => ({
        ...h,
        text: (historyText[h.change] ?? (() => h.change))(h.details),
      })),
      defects: record.defects,
      issues: record.issues.map((i) => ({ ...i, who: personName(i) })),
      discharges: record.discharges.map((d) => ({ ...d, who: personName(d) })),
      canManage: hasPermission(principalOf(request), 'devices.manage'),
    })
  })

  async function renderChange(
    reply: FastifyReply,
    device: { id: string; serial: string },
    values: Record<string, string>,
    errors: FieldError[] = [],
  ) {
    return reply.render('armoury/views/device-change.njk', {
      pageTitle: `Change device ${device.serial}`,
      device,
      values,
      statusItems: deviceStatuses.codes.map((c) => ({ value: c.value, text: c.label })),
      ...errorContext(errors),
    })
  }
  app.get('/taser/devices/:id/change', { config: { access: 'devices.manage' } }, async (request, reply) => {
    const device = await deviceOr404(request)
    return renderChange(reply, device, { status: device.status, firmware: device.firmware, reason: '' })
  })
  app.post('/taser/devices/:id/change', { config: { access: 'devices.manage' } }, async (request, reply) => {
    const device = await deviceOr404(request)
    const body = (request.body ?? {}) as FormBody
    const values = { status: text(body, 'status'), firmware: text(body, 'firmware'), reason: text(body, 'reason') }
    const errors: FieldError[] = []
    if (!deviceStatuses.has(values.status)) errors.push({ field: 'status', text: 'Select the status' })
    if (!values.firmware || values.firmware.length > 40)
      errors.push({ field: 'firmware', text: 'Enter the firmware version' })
    if (values.status !== device.status && !values.reason)
      errors.push({ field: 'reason', text: 'Enter the reason for changing the status' })
    if (values.reason.length > 1000)
      errors.push({ field: 'reason', text: 'The reason must be 1,000 characters or fewer' })
    if (errors.length > 0 || !deviceStatuses.has(values.status))
      return renderChange(reply.code(400), device, values, errors)
    const outcome = await changeDevice(deps, actorOf(request), principalOf(request).forceId, device.id, {
      status: values.status,
      firmware: values.firmware,
      reason: values.reason,
    })
    if (!outcome.ok) return renderChange(reply.code(400), device, values, outcome.errors)
    return reply.redirect(`/taser/devices/${device.id}`, 303)
  })

  app.get('/taser/devices/:id/defects/new', { config: { access: 'devices.manage' } }, async (request, reply) => {
    const device = await deviceOr404(request)
    return reply.render('armoury/views/defect-new.njk', { pageTitle: 'Report a defect', device, description: '' })
  })
  app.post('/taser/devices/:id/defects/new', { config: { access: 'devices.manage' } }, async (request, reply) => {
    const device = await deviceOr404(request)
    const description = text((request.body ?? {}) as FormBody, 'description')
    if (!description || description.length > 2000)
      return reply.code(400).render('armoury/views/defect-new.njk', {
        pageTitle: 'Report a defect',
        device,
        description,
        ...errorContext([
          {
            field: 'description',
            text: description ? 'The description must be 2,000 characters or fewer' : 'Describe the defect',
          },
        ]),
      })
    await reportDefect(deps, actorOf(request), principalOf(request).forceId, device.id, description)
    return reply.redirect(`/taser/devices/${device.id}`, 303)
  })

  app.get(
    '/taser/devices/:id/defects/:defectId/resolve',
    { config: { access: 'devices.manage' } },
    async (request, reply) => {
      const params = defectParams.safeParse(request.params)
      if (!params.success) throw new HttpError(404, 'Page not found')
      const device = await deviceOr404(request)
      return reply.render('armoury/views/defect-resolve.njk', {
        pageTitle: 'Resolve a defect',
        device,
        defectId: params.data.defectId,
        values: { resolution: '', returnToService: '' },
      })
    },
  )
  app.post(
    '/taser/devices/:id/defects/:defectId/resolve',
    { config: { access: 'devices.manage' } },
    async (request, reply) => {
      const params = defectParams.safeParse(request.params)
      if (!params.success) throw new HttpError(404, 'Page not found')
      const device = await deviceOr404(request)
      const body = (request.body ?? {}) as FormBody
      const values = { resolution: text(body, 'resolution'), returnToService: text(body, 'returnToService') }
      const errors: FieldError[] = []
      if (!values.resolution || values.resolution.length > 2000)
        errors.push({ field: 'resolution', text: 'Enter what was done to resolve the defect' })
      if (values.returnToService !== 'yes' && values.returnToService !== 'no')
        errors.push({ field: 'returnToService', text: 'Select whether the device goes back into service' })
      if (errors.length > 0)
        return reply.code(400).render('armoury/views/defect-resolve.njk', {
          pageTitle: 'Resolve a defect',
          device,
          defectId: params.data.defectId,
          values,
          ...errorContext(errors),
        })
      const done = await resolveDefect(
        deps,
        actorOf(request),
        principalOf(request).forceId,
        device.id,
        params.data.defectId,
        {
          resolution: values.resolution,
          returnToService: values.returnToService === 'yes',
        },
      )
      if (!done) throw new HttpError(404, 'Page not found')
      return reply.redirect(`/taser/devices/${device.id}`, 303)
    },
  )

  // ---- Cartridges ---------------------------------------------------------------------------------------------

  app.get('/taser/cartridges', { config: { access: 'devices.view' } }, async (request, reply) => {
    const forceId = principalOf(request).forceId
    const today = londonDate(clock())
    const [summary, expired] = await Promise.all([
      cartridgeSummary(db, forceId, today),
      expiredInStock(db, forceId, today),
    ])
    return reply.render('armoury/views/cartridges.njk', {
      pageTitle: 'Taser cartridges',
      summary: summary.map((s) => ({
        ...s,
        type: cartridgeTypes.byValue(s.cartridge_type)?.label ?? s.cartridge_type,
        status: cartridgeStatuses.byValue(s.status)?.label ?? s.status,
      })),
      expired: expired.map((c) => ({
        ...c,
        type: cartridgeTypes.byValue(c.cartridge_type)?.label ?? c.cartridge_type,
      })),
      canManage: hasPermission(principalOf(request), 'devices.manage'),
    })
  })

  async function renderAddCartridges(reply: FastifyReply, body: FormBody, errors: FieldError[] = []) {
    const context = errorContext(errors)
    return reply.render('armoury/views/cartridges-new.njk', {
      pageTitle: 'Add cartridges',
      values: { cartridgeType: text(body, 'cartridgeType'), serials: text(body, 'serials') },
      typeItems: cartridgeTypes.codes.map((c) => ({ value: c.value, text: c.label })),
      dateItems: dateItems(dateValues(body, 'expiresOn'), 'expiresOn-day' in context.fieldErrors),
      ...context,
    })
  }
  app.get('/taser/cartridges/new', { config: { access: 'devices.manage' } }, async (_request, reply) =>
    renderAddCartridges(reply, {}),
  )
  app.post('/taser/cartridges/new', { config: { access: 'devices.manage' } }, async (request, reply) => {
    const body = (request.body ?? {}) as FormBody
    const errors: FieldError[] = []
    const cartridgeType = text(body, 'cartridgeType')
    if (!cartridgeTypes.has(cartridgeType)) errors.push({ field: 'cartridgeType', text: 'Select the cartridge type' })
    const expiresOn = readDate(body, 'expiresOn', 'the expiry date', errors)
    const serials = [
      ...new Set(
        text(body, 'serials')
          .split(/[\s,]+/)
          .filter(Boolean),
      ),
    ]
    if (serials.length === 0) errors.push({ field: 'serials', text: 'Enter at least one serial number' })
    else if (serials.length > 500) errors.push({ field: 'serials', text: 'Add at most 500 cartridges at once' })
    else if (!serials.every((s) => SERIAL.test(s)))
      errors.push({ field: 'serials', text: 'Serial numbers are letters, digits and hyphens, one per line' })
    if (errors.length > 0 || !expiresOn || !isCalendarDate(expiresOn))
      return renderAddCartridges(reply.code(400), body, errors)
    const outcome = await addCartridges(deps, actorOf(request), principalOf(request).forceId, {
      cartridgeType,
      expiresOn,
      serials,
    })
    if (!outcome.ok) return renderAddCartridges(reply.code(400), body, outcome.errors)
    return reply.redirect('/taser/cartridges', 303)
  })
}
