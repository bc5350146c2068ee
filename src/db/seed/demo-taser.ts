/**
 * The demo force's Taser governance: what its officers' authority is derived from (assessments, prerequisites,
 * suspensions, the force's policy) and its armoury (devices, cartridges, issue and return history). Written after
 * the reports, because the armoury's history must agree with them: every reported CED use's device was issued to
 * the reporting officer over a shift covering the use (device-log reconciliation relies on it).
 *
 * The situations it plants, on top of demo-force.ts's lapse cases: a prerequisite about to expire and one expired,
 * one officer suspended and one whose suspension was lifted, student officers barred by force policy (specials are
 * allowed), a defective device, expired cartridges in stock, a few devices out on today's shift, one refused issue
 * (an officer whose authority lapsed last week) and one unintentional discharge.
 */
import { randomUUID } from 'node:crypto'
import { sql, type Insertable, type Transaction } from 'kysely'
import {
  deriveAuthority,
  type AuthorityInput,
  type PrerequisiteInput,
  type SuspensionInput,
} from '../../domain/taser/authority.js'
import { addDays, addMonths, londonDate } from '../../domain/calendar.js'
import { issueRefusals } from '../../domain/taser/issue-rules.js'
import { cedPrerequisites, type CedPrerequisite } from '../../domain/taser/training.js'
import type { CedDeviceModel } from '../../domain/use-of-force/ced.js'
import { appendAuditBatch, systemActor, type AuditEvent } from '../../features/audit/ledger.js'
import { chunks } from '../batches.js'
import type { Database } from '../schema.js'
import type { CedTrainingModel, DemoForce } from './demo-force.js'
import { demoAccounts } from './demo-force.js'
import { demoDevices, type DemoReports } from './demo-reports.js'
import { createRandom, type Random } from './random.js'

/** The demo generator names models as trainers say them; the database stores the code (cedDeviceModels). */
export function demoModelCode(model: CedTrainingModel): CedDeviceModel {
  return model === 'X2' ? 'x2' : model === 'TASER 7' ? 'taser_7' : 'taser_10'
}

export interface DemoTaserContext {
  forceId: string
  demo: DemoForce
  reports: DemoReports
  personIds: Map<string, string>
  unitIds: Map<string, string>
  /** Person key → their account. */
  userIds: Map<string, string>
  now: Date
}

const minute = 60_000
const hour = 60 * minute
const dayMs = 24 * hour

/** How long each prerequisite is valid, in months. */
const validityMonths: Record<CedPrerequisite, number> = {
  eyesight_test: 24,
  first_aid: 36,
  officer_safety: 12,
  fitness_test: 12,
  superintendent_endorsement: 36,
}

/** Instructors trial the TASER 10; the operational training unit keeps these for them. */
const taser10Serials = ['T10-000311', 'T10-000312', 'T10-000313', 'T10-000314']

interface Use {
  personKey: string
  serial: string
  model: CedDeviceModel
  at: number
  cartridges: { serial: string; bay: number | null }[]
}

interface Shift {
  id: string
  personKey: string
  serial: string
  issuedAt: number
  returnedAt: number | null
  firstUse: number
  lastUse: number
  cartridges: { serial: string; bay: number; used: boolean | null }[]
}

export async function seedDemoTaser(
  trx: Transaction<Database>,
  ctx: DemoTaserContext,
): Promise<Record<string, number>> {
  const plan = planDemoTaser(ctx)
  const { forceId } = ctx
  await trx
    .updateTable('force_settings')
    .set({
      ced_probationers_allowed: plan.policy.probationersAllowed,
      ced_specials_allowed: plan.policy.specialsAllowed,
    })
    .where('force_id', '=', forceId)
    .execute()
  for (const batch of chunks(plan.prerequisites)) await trx.insertInto('ced_prerequisites').values(batch).execute()
  await trx.insertInto('ced_suspensions').values(plan.suspensions).execute()
  // Every course was assessed on all three; the failed refresher was failed on its written test.
  await sql`
    insert into ced_training_assessments (training_record_id, kind, passed)
    select t.id, k.kind, t.passed or k.kind <> 'written_test'
    from ced_training_records t
    cross join (values ('qualification_shoot'), ('written_test'), ('scenarios')) as k (kind)
    where t.force_id = ${forceId}`.execute(trx)
  for (const batch of chunks(plan.devices)) await trx.insertInto('ced_devices').values(batch).execute()
  for (const batch of chunks(plan.history)) await trx.insertInto('ced_device_history').values(batch).execute()
  await trx.insertInto('ced_device_defects').values(plan.defect).execute()
  for (const batch of chunks(plan.cartridges)) await trx.insertInto('ced_cartridges').values(batch).execute()
  for (const batch of chunks(plan.issues)) await trx.insertInto('ced_device_issues').values(batch).execute()
  for (const batch of chunks(plan.issueCartridges))
    await trx.insertInto('ced_device_issue_cartridges').values(batch).execute()
  await trx.insertInto('ced_issue_refusals').values(plan.refusal).execute()
  await trx.insertInto('ced_unintentional_discharges').values(plan.discharge).execute()
  await appendAuditBatch(trx, plan.events, ctx.now)
  return {
    prerequisites: plan.prerequisites.length,
    devices: plan.devices.length,
    cartridges: plan.cartridges.length,
    issues: plan.issues.length,
  }
}

/** What the Taser seed writes, planned without the database so that it can be checked at any date quickly. */
export function planDemoTaser(ctx: DemoTaserContext) {
  const rng = createRandom(7)
  const { forceId, demo, now } = ctx
  const nowMs = now.getTime()
  const today = londonDate(now)
  const personId = (key: string): string => required(ctx.personIds, key)
  const people = new Map(demo.people.map((p) => [p.key, p]))
  const taserLeadKey = demoAccounts.find((a) => a.username === 'taser-lead')?.personKey ?? ''
  const armourer = ctx.userIds.get(taserLeadKey) ?? null
  const policy = { probationersAllowed: false, specialsAllowed: true }

  // What each officer reported, to keep the planted cases clear of their own reported Taser uses.
  const uses: Use[] = ctx.reports.incidents.flatMap((incident) =>
    incident.reports.flatMap((report) =>
      report.body.cedUses.map((u) => ({
        personKey: report.officerPersonKey,
        serial: u.deviceSerial,
        model: (u.deviceModel ?? 'x2') as CedDeviceModel,
        at: Date.parse(incident.occurredAt),
        cartridges: u.cartridges,
      })),
    ),
  )
  const lastUseOf = new Map<string, number>()
  for (const u of uses) lastUseOf.set(u.personKey, Math.max(lastUseOf.get(u.personKey) ?? 0, u.at))
  const quietFor = (key: string, days: number): boolean => (lastUseOf.get(key) ?? 0) < nowMs - days * dayMs

  // Prerequisites: a chain of records per kind going back over the year of reports, the current one valid for at
  // least another 45 days, so that only the planted cases lapse within 30 days.
  const trainedKeys = [...new Set(demo.cedTraining.map((t) => t.personKey))]
  const prerequisites = new Map<string, PrerequisiteInput[]>()
  for (const key of trainedKeys) {
    const records: PrerequisiteInput[] = []
    for (const kind of cedPrerequisites.values) {
      const months = validityMonths[kind]
      let achievedOn = addDays(today, -rng.int(1, Math.round(months * 30.4) - 46))
      for (;;) {
        records.push({ kind, achievedOn, expiresOn: addDays(addMonths(achievedOn, months), -1) })
        if (achievedOn <= addMonths(today, -14)) break
        achievedOn = addMonths(achievedOn, -months)
      }
    }
    prerequisites.set(key, records)
  }
  const suspensions = new Map<string, SuspensionInput[]>()
  const training = new Map<string, AuthorityInput['training']>()
  for (const t of demo.cedTraining) {
    const list = [...(training.get(t.personKey) ?? [])]
    list.push({
      course: t.course,
      deviceModel: demoModelCode(t.deviceModel),
      completedOn: t.completedOn,
      hours: t.hours,
      passed: t.passed,
    })
    training.set(t.personKey, list)
  }
  const authorityOf = (key: string, asAt: string) => {
    const person = people.get(key)
    return deriveAuthority(
      {
        status: person?.status ?? 'police_staff',
        training: training.get(key) ?? [],
        prerequisites: prerequisites.get(key) ?? [],
        suspensions: suspensions.get(key) ?? [],
        policy,
      },
      asAt,
    )
  }
  const authorisedRegulars = rng.shuffle(
    trainedKeys.filter((key) => {
      const a = authorityOf(key, today)
      const lapses = a.models.find((m) => m.authorised)?.lapsesOn
      return people.get(key)?.status === 'regular' && !!lapses && lapses > addDays(today, 45)
    }),
  )
  const demoOfficerKey = demoAccounts.find((a) => a.username === 'officer')?.personKey
  const planted = new Set<string>([demoOfficerKey ?? ''])
  const plant = (quietDays: number): string => {
    const key = authorisedRegulars.find((k) => !planted.has(k) && quietFor(k, quietDays))
    if (!key) throw new Error('demo seed: no officer left for a planted Taser case')
    planted.add(key)
    return key
  }
  const replacePrerequisite = (key: string, kind: CedPrerequisite, expiresOn: string): void => {
    const others = (prerequisites.get(key) ?? []).filter((p) => p.kind !== kind)
    prerequisites.set(key, [
      ...others,
      { kind, achievedOn: addDays(addMonths(expiresOn, -validityMonths[kind]), 1), expiresOn },
    ])
  }
  replacePrerequisite(plant(60), 'fitness_test', addDays(today, 12))
  replacePrerequisite(plant(60), 'eyesight_test', addDays(today, -9))
  const suspendedKey = plant(40)
  suspensions.set(suspendedKey, [
    {
      reason: 'Suspended pending a misconduct investigation by Professional Standards (PSD-2026-0142).',
      suspendedOn: addDays(today, -18),
      liftedOn: null,
    },
  ])
  const liftedKey = plant(1)
  const liftedFrom = addDays(today, -rng.int(15, 25))
  suspensions.set(liftedKey, [
    {
      reason: 'Medical restriction after a shoulder injury: no Taser until fit for full duties.',
      suspendedOn: addDays(liftedFrom, -30),
      liftedOn: liftedFrom,
    },
  ])

  // What authority is derived from.
  const prerequisiteRows = [...prerequisites].flatMap(([key, records]) =>
    records.map((p) => ({
      force_id: forceId,
      person_id: personId(key),
      kind: p.kind,
      achieved_on: p.achievedOn,
      expires_on: p.expiresOn,
    })),
  )
  const suspensionRows = [...suspensions].flatMap(([key, list]) =>
    list.map((s) => ({
      id: randomUUID(),
      force_id: forceId,
      person_id: personId(key),
      reason: s.reason,
      suspended_on: s.suspendedOn,
      suspended_by_user_id: armourer,
      lifted_on: s.liftedOn,
      lifted_reason: s.liftedOn ? 'Fit for full duties (occupational health report).' : null,
      lifted_by_user_id: s.liftedOn ? armourer : null,
    })),
  )

  // The armoury: devices with their history.
  const devices = [
    ...demoDevices.map((d) => ({ serial: d.serial, model: d.model as CedDeviceModel, unitKey: d.bcuKey })),
    ...taser10Serials.map((serial) => ({ serial, model: 'taser_10' as const, unitKey: 'dept-operational-training' })),
  ]
  const deviceIds = new Map(devices.map((d) => [d.serial, randomUUID()]))
  const deviceId = (serial: string): string => required(deviceIds, serial)
  const history: Insertable<Database['ced_device_history']>[] = []
  const events: AuditEvent[] = []
  const lead = { userId: armourer, label: 'demo seed' }
  const deviceRows = devices.map((d) => {
    const registeredAt = new Date(
      nowMs -
        (d.model === 'taser_10' ? rng.int(200, 260) : d.model === 'taser_7' ? rng.int(930, 990) : rng.int(1200, 1800)) *
          dayMs,
    )
    const initialFirmware = firmwareOf(d.model, false)
    const updated = d.model === 'x2' && rng.chance(0.6)
    history.push({
      force_id: forceId,
      device_id: deviceId(d.serial),
      occurred_at: registeredAt,
      user_id: armourer,
      change: 'registered',
      details: JSON.stringify({ serial: d.serial, model: d.model, firmware: initialFirmware, status: 'in_service' }),
    })
    if (updated)
      history.push({
        force_id: forceId,
        device_id: deviceId(d.serial),
        occurred_at: new Date(nowMs - rng.int(150, 250) * dayMs),
        user_id: armourer,
        change: 'firmware_updated',
        details: JSON.stringify({ from: initialFirmware, to: firmwareOf(d.model, true) }),
      })
    events.push({
      forceId,
      actor: lead,
      action: 'ced_device.registered',
      entityType: 'ced_device',
      entityId: deviceId(d.serial),
      details: { serial: d.serial, model: d.model },
    })
    return {
      id: deviceId(d.serial),
      force_id: forceId,
      serial: d.serial,
      model: d.model,
      firmware: updated ? firmwareOf(d.model, true) : initialFirmware,
      status: 'in_service' as 'in_service' | 'defective',
      home_unit_id: required(ctx.unitIds, d.unitKey),
      created_at: registeredAt,
      updated_at: registeredAt,
    }
  })

  // Issue and return over each reported use: a shift of about ten hours around it, drawn and handed back at the
  // armoury, one officer and one device per shift.
  const shifts = planShifts(rng, uses, nowMs)
  const usedSerials = new Set(shifts.map((s) => s.serial))
  const lastIssueOf = new Map<string, number>()
  for (const s of shifts) lastIssueOf.set(s.serial, Math.max(lastIssueOf.get(s.serial) ?? 0, s.returnedAt ?? nowMs))

  // A defective X2, reported six days ago and not issued since.
  const defective = deviceRows.find(
    (d) => d.model === 'x2' && (lastIssueOf.get(d.serial) ?? 0) < nowMs - 10 * dayMs && usedSerials.has(d.serial),
  )
  if (!defective) throw new Error('demo seed: no device to make defective')
  const defectAt = new Date(nowMs - 6 * dayMs)
  defective.status = 'defective'
  defective.updated_at = defectAt
  const defectDescription = 'Cartridge bay 2 does not lock: the cartridge can be pulled out by hand.'
  history.push(
    {
      force_id: forceId,
      device_id: defective.id,
      occurred_at: defectAt,
      user_id: armourer,
      change: 'defect_reported',
      details: JSON.stringify({ description: defectDescription }),
    },
    {
      force_id: forceId,
      device_id: defective.id,
      occurred_at: defectAt,
      user_id: armourer,
      change: 'status_changed',
      details: JSON.stringify({ from: 'in_service', to: 'defective', reason: 'Defect reported' }),
    },
  )
  events.push({
    forceId,
    actor: lead,
    action: 'ced_device.defect_reported',
    entityType: 'ced_device',
    entityId: defective.id,
    details: { serial: defective.serial, description: defectDescription },
  })

  // The officers on today's shift with a device out, and the unintentional discharge five weeks ago.
  const serviceable = (serial: string, from: number, to: number): boolean =>
    serial !== defective.serial &&
    shifts.every((s) => s.serial !== serial || (s.returnedAt ?? Infinity) <= from || s.issuedAt >= to)
  // Teams draw from their basic command unit's armoury; departments keep their own devices.
  const bcuOf = (key: string): string => {
    const unitKey = people.get(key)?.unitKey ?? ''
    return unitKey.startsWith('bcu-') ? unitKey.split('-').slice(0, 2).join('-') : unitKey
  }
  const deviceFor = (model: CedDeviceModel, bcu: string, from: number, to = Infinity): string | undefined =>
    devices.find((d) => d.model === model && d.unitKey === bcu && serviceable(d.serial, from, to))?.serial
  for (let i = 0; i < 6; i++) {
    const key = plant(1)
    const model = authorityOf(key, today).authorisedModels[0] ?? 'x2'
    const issuedAt = nowMs - rng.int(60, 300) * minute
    const serial = deviceFor(model, bcuOf(key), issuedAt)
    if (!serial) continue
    shifts.push({
      id: randomUUID(),
      personKey: key,
      serial,
      issuedAt,
      returnedAt: null,
      firstUse: nowMs,
      lastUse: nowMs,
      cartridges: [1, 2].map((bay) => ({ serial: '', bay, used: null })),
    })
  }
  const dischargeKey = plant(50)
  const dischargeModel = authorityOf(dischargeKey, today).authorisedModels[0] ?? 'x2'
  const dischargeDay = Date.parse(`${addDays(today, -36)}T00:00:00Z`)
  const dischargeAt = dischargeDay + 6 * hour + 52 * minute
  const dischargeShift = { issuedAt: dischargeDay - 2 * hour, returnedAt: dischargeAt + 10 * minute }
  const dischargeSerial = deviceFor(
    dischargeModel,
    bcuOf(dischargeKey),
    dischargeShift.issuedAt,
    dischargeShift.returnedAt,
  )
  if (!dischargeSerial) throw new Error('demo seed: no device for the unintentional discharge')
  shifts.push({
    id: randomUUID(),
    personKey: dischargeKey,
    serial: dischargeSerial,
    ...dischargeShift,
    firstUse: dischargeAt,
    lastUse: dischargeAt,
    cartridges: [
      { serial: '', bay: 1, used: true },
      { serial: '', bay: 2, used: false },
    ],
  })

  // Cartridges: those the reports name, those loaded on the shifts above, and the armouries' stock.
  const serials = new Set<string>()
  const cartridgeRows: Insertable<Database['ced_cartridges']>[] = []
  const cartridgeIds = new Map<string, string>()
  const addCartridge = (
    serial: string,
    type: string,
    expiresOn: string,
    status: 'in_stock' | 'issued' | 'spent',
  ): string => {
    const id = randomUUID()
    serials.add(serial)
    cartridgeIds.set(serial, id)
    cartridgeRows.push({ id, force_id: forceId, serial, cartridge_type: type, expires_on: expiresOn, status })
    return id
  }
  const newSerial = (model: CedDeviceModel): string => {
    for (;;) {
      const serial = `${cartridgePrefix[model]}${rng.int(1_000_000, 9_999_999)}`
      if (!serials.has(serial)) return serial
    }
  }
  const modelOf = new Map(devices.map((d) => [d.serial, d.model]))
  const issueCartridges: Insertable<Database['ced_device_issue_cartridges']>[] = []
  for (const shift of shifts) {
    const model = modelOf.get(shift.serial) ?? 'x2'
    const day = londonDate(new Date(shift.issuedAt))
    for (const c of shift.cartridges) {
      const serial = c.serial || newSerial(model)
      const status = c.used === null ? 'issued' : c.used ? 'spent' : 'in_stock'
      const id =
        cartridgeIds.get(serial) ??
        addCartridge(serial, standardCartridge[model], addDays(day, rng.int(200, 900)), status)
      issueCartridges.push({ issue_id: shift.id, cartridge_id: id, bay: c.bay, used: c.used })
    }
  }
  const stock: [CedDeviceModel, string, number][] = [
    ['x2', 'x2_smart', 220],
    ['taser_7', 'taser7_standard', 40],
    ['taser_7', 'taser7_close', 20],
    ['taser_10', 'taser10_magazine', 20],
  ]
  for (const [model, type, count] of stock)
    for (let i = 0; i < count; i++) addCartridge(newSerial(model), type, addDays(today, rng.int(60, 1400)), 'in_stock')
  // Expired cartridges still on the shelf: the armoury refuses to issue them.
  for (let i = 0; i < 12; i++) addCartridge(newSerial('x2'), 'x2_smart', addDays(today, -rng.int(3, 150)), 'in_stock')

  // The refused issue: an officer whose authority lapsed about a week ago tried to draw an X2 two days ago.
  const refusedKey = trainedKeys.find((key) => {
    const x2 = authorityOf(key, today).models.find((m) => m.model === 'x2')
    return x2?.reasons.some((r) => r.code === 'training_lapsed' && r.lapsedOn >= addDays(today, -10))
  })
  if (!refusedKey) throw new Error('demo seed: no officer whose authority lapsed last week')
  const refusedAt = Date.parse(`${addDays(today, -2)}T06:55:00Z`)
  const refusedSerial = deviceFor('x2', bcuOf(refusedKey), refusedAt)
  if (!refusedSerial) throw new Error('demo seed: no device for the refused issue')
  const refusedAuthority = authorityOf(refusedKey, londonDate(new Date(refusedAt))).models.find((m) => m.model === 'x2')
  if (!refusedAuthority) throw new Error('demo seed: no X2 authority for the refused officer')
  const refusedReasons = issueRefusals({
    today: londonDate(new Date(refusedAt)),
    device: { serial: refusedSerial, model: 'x2', status: 'in_service' },
    authority: refusedAuthority,
    deviceHeldBy: null,
    officerHolds: null,
    cartridges: [],
    sparkTestPassed: true,
  })

  // The armoury's rows.
  const defect = {
    force_id: forceId,
    device_id: defective.id,
    reported_at: defectAt,
    reported_by_user_id: armourer,
    description: defectDescription,
  }
  const issueRows = shifts.map((s) => ({
    id: s.id,
    force_id: forceId,
    device_id: deviceId(s.serial),
    person_id: personId(s.personKey),
    issued_at: new Date(s.issuedAt),
    issued_by_user_id: armourer,
    spark_test_at: new Date(s.issuedAt + Math.min(2 * minute, Math.floor((s.firstUse - s.issuedAt) / 2))),
    spark_test_passed: true,
    returned_at: s.returnedAt === null ? null : new Date(s.returnedAt),
    returned_by_user_id: s.returnedAt === null ? null : armourer,
  }))
  const refusal = {
    id: randomUUID(),
    force_id: forceId,
    device_id: deviceId(refusedSerial),
    person_id: personId(refusedKey),
    attempted_at: new Date(refusedAt),
    attempted_by_user_id: armourer,
    reasons: refusedReasons,
  }
  const discharge = {
    id: randomUUID(),
    force_id: forceId,
    device_id: deviceId(dischargeSerial),
    person_id: personId(dischargeKey),
    occurred_at: new Date(dischargeAt),
    circumstances:
      'Discharged into the unloading bay at the armoury while making the device safe at the end of a night shift. ' +
      'Probes recovered; no one hurt. Officer reminded of the unloading drill.',
    recorded_by_user_id: armourer,
  }

  for (const s of issueRows)
    events.push({
      forceId,
      actor: lead,
      action: 'ced_device.issued',
      entityType: 'ced_device',
      entityId: s.device_id,
      details: { issueId: s.id, personId: s.person_id, returned: s.returned_at !== null },
    })
  for (const s of suspensionRows)
    events.push({
      forceId,
      actor: lead,
      action: 'ced_authority.suspended',
      entityType: 'person',
      entityId: s.person_id,
      details: { suspensionId: s.id, lifted: s.lifted_on !== null },
    })
  events.push(
    {
      forceId,
      actor: lead,
      action: 'ced_device.issue_refused',
      entityType: 'person',
      entityId: personId(refusedKey),
      details: { refusalId: refusal.id, reasons: refusedReasons },
    },
    {
      forceId,
      actor: lead,
      action: 'ced_device.unintentional_discharge',
      entityType: 'ced_device',
      entityId: deviceId(dischargeSerial),
      details: { dischargeId: discharge.id },
    },
    {
      forceId,
      actor: systemActor,
      action: 'force.taser_seeded',
      entityType: 'force',
      entityId: forceId,
      details: { devices: deviceRows.length, cartridges: cartridgeRows.length, issues: issueRows.length },
    },
  )
  return {
    policy,
    prerequisites: prerequisiteRows,
    suspensions: suspensionRows,
    devices: deviceRows,
    history,
    defect,
    cartridges: cartridgeRows,
    issues: issueRows,
    issueCartridges,
    refusal,
    discharge,
    events,
  }
}

const cartridgePrefix: Record<CedDeviceModel, string> = { x26: 'XC', x2: 'XP', taser_7: 'T7', taser_10: 'TM' }
const standardCartridge: Record<CedDeviceModel, string> = {
  x26: 'x26_standard',
  x2: 'x2_smart',
  taser_7: 'taser7_standard',
  taser_10: 'taser10_magazine',
}

function firmwareOf(model: CedDeviceModel, updated: boolean): string {
  switch (model) {
    case 'x2':
      return updated ? '3.2.1' : '3.1.8'
    case 'taser_7':
      return '1.32'
    case 'taser_10':
      return '1.4.0'
    case 'x26':
      return '24'
  }
}

/**
 * A shift per reported use: drawn 1–7 hours before, handed back about ten hours after drawing (and after the use).
 * Uses by one officer on one device share a shift while neither the officer nor the device has started another
 * since, so the uses each shift covers never interleave with another shift of the same officer or device. Where two
 * shifts would still overlap, the one with the earlier uses ends, and the other starts, between their uses.
 */
function planShifts(rng: Random, uses: readonly Use[], nowMs: number): Shift[] {
  const sorted = [...uses].sort((a, b) => a.at - b.at)
  const shifts: Shift[] = []
  const latestOfOfficer = new Map<string, Shift>()
  const latestOfDevice = new Map<string, Shift>()
  for (const use of sorted) {
    const current = latestOfOfficer.get(use.personKey)
    if (
      current &&
      current === latestOfDevice.get(use.serial) &&
      current.returnedAt !== null &&
      use.at < current.returnedAt
    ) {
      current.lastUse = use.at
      current.returnedAt = Math.max(current.returnedAt, use.at + 30 * minute)
      addCartridges(current, use)
      continue
    }
    const issuedAt = use.at - rng.int(60, 420) * minute
    const shift: Shift = {
      id: randomUUID(),
      personKey: use.personKey,
      serial: use.serial,
      issuedAt,
      returnedAt: Math.max(issuedAt + 10 * hour, use.at + 30 * minute),
      firstUse: use.at,
      lastUse: use.at,
      cartridges: [],
    }
    addCartridges(shift, use)
    latestOfOfficer.set(use.personKey, shift)
    latestOfDevice.set(use.serial, shift)
    shifts.push(shift)
  }
  for (const key of ['serial', 'personKey'] as const) {
    const byKey = new Map<string, Shift[]>()
    for (const s of shifts) byKey.set(s[key], [...(byKey.get(s[key]) ?? []), s])
    for (const list of byKey.values()) {
      // In order of use, not of drawing: a shift drawn early for a later use must not come first (it did, and
      // cutting the pair the wrong way round left an officer holding two devices at once).
      list.sort((a, b) => a.firstUse - b.firstUse)
      for (let i = 1; i < list.length; i++) {
        const before = list[i - 1] as Shift
        const after = list[i] as Shift
        const returnedAt = before.returnedAt ?? nowMs
        if (returnedAt <= after.issuedAt) continue
        // Within both shifts as they stand, so a cut on the officer never stretches a shift over a device's other one.
        const halfway = Math.floor((before.lastUse + after.firstUse) / 2 / minute) * minute
        const cut = Math.min(Math.max(halfway, before.lastUse, after.issuedAt), after.firstUse, returnedAt)
        before.returnedAt = cut
        after.issuedAt = Math.min(cut + minute, after.firstUse)
      }
    }
  }
  for (const s of shifts)
    if (s.returnedAt !== null) s.returnedAt = Math.min(s.returnedAt, Math.max(nowMs - 5 * minute, s.lastUse))
  return shifts
}

function addCartridges(shift: Shift, use: Use): void {
  for (const c of use.cartridges) {
    if (shift.cartridges.some((x) => x.serial === c.serial)) continue
    let bay = c.bay ?? 1
    while (shift.cartridges.some((x) => x.bay === bay)) bay++
    shift.cartridges.push({ serial: c.serial, bay, used: true })
  }
}

function required(ids: Map<string, string>, key: string): string {
  const id = ids.get(key)
  if (!id) throw new Error(`demo seed: no id for ${key}`)
  return id
}
