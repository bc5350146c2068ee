import type { Transaction } from 'kysely'
import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import type { Database } from '../../db/schema.js'
import type { DeviceStatus } from '../../domain/taser/armoury.js'
import { londonDate } from '../../domain/calendar.js'
import { issueRefusals } from '../../domain/taser/issue-rules.js'
import type { CedDeviceModel } from '../../domain/use-of-force/ced.js'
import { rankAbbreviation, type Rank } from '../../domain/workforce.js'
import type { FieldError } from '../../web/render.js'
import { appendAudit, type Actor, type AuditEvent } from '../audit/ledger.js'
import { canActOn, type Principal } from '../auth/policy.js'
import { cedAuthorityAsAt } from '../training/authority.repository.js'
import { findPersonByCollar } from '../training/training.repository.js'

/** Changes to the device and cartridge register, and issue and return at the armoury. Every one is audited. */

interface Deps {
  db: Db
  clock: Clock
}

type Trx = Transaction<Database>

const who = (p: { rank: string | null; given_name: string; family_name: string; collar_number: string | null }) =>
  `${p.rank ? `${rankAbbreviation(p.rank as Rank)} ` : ''}${p.given_name} ${p.family_name}${p.collar_number ? ` (${p.collar_number})` : ''}`

async function audit(trx: Trx, event: AuditEvent, now: Date): Promise<void> {
  await appendAudit(trx, event, now)
}

async function history(
  trx: Trx,
  forceId: string,
  deviceId: string,
  actor: Actor,
  now: Date,
  change: 'registered' | 'status_changed' | 'firmware_updated' | 'defect_reported' | 'defect_resolved',
  details: Record<string, unknown>,
) {
  await trx
    .insertInto('ced_device_history')
    .values({
      force_id: forceId,
      device_id: deviceId,
      occurred_at: now,
      user_id: actor.userId,
      change,
      details: JSON.stringify(details),
    })
    .execute()
  await audit(
    trx,
    {
      forceId,
      actor,
      action: `ced_device.${change}`,
      entityType: 'ced_device',
      entityId: deviceId,
      details,
      requestId: actor.requestId,
    },
    now,
  )
}

export async function registerDevice(
  { db, clock }: Deps,
  actor: Actor,
  forceId: string,
  input: { serial: string; model: CedDeviceModel; firmware: string; homeUnitId: string | null },
): Promise<{ ok: true; id: string } | { ok: false; errors: FieldError[] }> {
  const now = clock()
  return db.transaction().execute(async (trx) => {
    if (input.homeUnitId) {
      const unit = await trx
        .selectFrom('org_units')
        .select('id')
        .where('id', '=', input.homeUnitId)
        .where('force_id', '=', forceId)
        .executeTakeFirst()
      if (!unit) return { ok: false, errors: [{ field: 'homeUnitId', text: 'Select a unit from the list' }] }
    }
    const row = await trx
      .insertInto('ced_devices')
      .values({
        force_id: forceId,
        serial: input.serial,
        model: input.model,
        firmware: input.firmware,
        status: 'in_service',
        home_unit_id: input.homeUnitId,
        updated_at: now,
      })
      .onConflict((oc) => oc.columns(['force_id', 'serial']).doNothing())
      .returning('id')
      .executeTakeFirst()
    if (!row)
      return {
        ok: false,
        errors: [{ field: 'serial', text: 'A device with this serial number is already registered' }],
      }
    await history(trx, forceId, row.id, actor, now, 'registered', { ...input, status: 'in_service' })
    return { ok: true, id: row.id }
  })
}

/** Changes a device's status and firmware. A device that is out cannot change status until it is returned. */
export async function changeDevice(
  { db, clock }: Deps,
  actor: Actor,
  forceId: string,
  deviceId: string,
  input: { status: DeviceStatus; firmware: string; reason: string },
): Promise<{ ok: true } | { ok: false; errors: FieldError[] }> {
  const now = clock()
  return db.transaction().execute(async (trx) => {
    const device = await trx
      .selectFrom('ced_devices')
      .select(['status', 'firmware'])
      .where('id', '=', deviceId)
      .where('force_id', '=', forceId)
      .forUpdate()
      .executeTakeFirstOrThrow()
    if (input.status !== device.status) {
      const out = await trx
        .selectFrom('ced_device_issues')
        .select('id')
        .where('device_id', '=', deviceId)
        .where('returned_at', 'is', null)
        .executeTakeFirst()
      if (out) return { ok: false, errors: [{ field: 'status', text: 'The device is out: record its return first' }] }
      await history(trx, forceId, deviceId, actor, now, 'status_changed', {
        from: device.status,
        to: input.status,
        reason: input.reason,
      })
    }
    if (input.firmware !== device.firmware)
      await history(trx, forceId, deviceId, actor, now, 'firmware_updated', {
        from: device.firmware,
        to: input.firmware,
      })
    await trx
      .updateTable('ced_devices')
      .set({ status: input.status, firmware: input.firmware, updated_at: now })
      .where('id', '=', deviceId)
      .execute()
    return { ok: true }
  })
}

/** A defect takes the device out of service at once. */
export async function reportDefect(
  { db, clock }: Deps,
  actor: Actor,
  forceId: string,
  deviceId: string,
  description: string,
) {
  const now = clock()
  await db.transaction().execute(async (trx) => {
    const device = await trx
      .selectFrom('ced_devices')
      .select('status')
      .where('id', '=', deviceId)
      .where('force_id', '=', forceId)
      .forUpdate()
      .executeTakeFirstOrThrow()
    const defect = await trx
      .insertInto('ced_device_defects')
      .values({
        force_id: forceId,
        device_id: deviceId,
        reported_at: now,
        reported_by_user_id: actor.userId,
        description,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await history(trx, forceId, deviceId, actor, now, 'defect_reported', { defectId: defect.id, description })
    if (device.status === 'in_service') {
      await trx
        .updateTable('ced_devices')
        .set({ status: 'defective', updated_at: now })
        .where('id', '=', deviceId)
        .execute()
      await history(trx, forceId, deviceId, actor, now, 'status_changed', {
        from: 'in_service',
        to: 'defective',
        reason: 'Defect reported',
      })
    }
  })
}

export async function resolveDefect(
  { db, clock }: Deps,
  actor: Actor,
  forceId: string,
  deviceId: string,
  defectId: string,
  input: { resolution: string; returnToService: boolean },
): Promise<boolean> {
  const now = clock()
  return db.transaction().execute(async (trx) => {
    const defect = await trx
      .updateTable('ced_device_defects')
      .set({ resolved_at: now, resolved_by_user_id: actor.userId, resolution: input.resolution })
      .where('id', '=', defectId)
      .where('device_id', '=', deviceId)
      .where('force_id', '=', forceId)
      .where('resolved_at', 'is', null)
      .returning('id')
      .executeTakeFirst()
    if (!defect) return false
    await history(trx, forceId, deviceId, actor, now, 'defect_resolved', { defectId, resolution: input.resolution })
    const open = await trx
      .selectFrom('ced_device_defects')
      .select('id')
      .where('device_id', '=', deviceId)
      .where('resolved_at', 'is', null)
      .executeTakeFirst()
    const device = await trx
      .selectFrom('ced_devices')
      .select('status')
      .where('id', '=', deviceId)
      .executeTakeFirstOrThrow()
    if (input.returnToService && !open && device.status !== 'in_service') {
      await trx
        .updateTable('ced_devices')
        .set({ status: 'in_service', updated_at: now })
        .where('id', '=', deviceId)
        .execute()
      await history(trx, forceId, deviceId, actor, now, 'status_changed', {
        from: device.status,
        to: 'in_service',
        reason: 'Defect resolved',
      })
    }
    return true
  })
}

/** Adds cartridges to stock; serials already registered are errors, and nothing is added unless all are new. */
export async function addCartridges(
  { db, clock }: Deps,
  actor: Actor,
  forceId: string,
  input: { cartridgeType: string; expiresOn: string; serials: string[] },
): Promise<{ ok: true; added: number } | { ok: false; errors: FieldError[] }> {
  const now = clock()
  return db.transaction().execute(async (trx) => {
    const taken = await trx
      .selectFrom('ced_cartridges')
      .select('serial')
      .where('force_id', '=', forceId)
      .where('serial', 'in', input.serials)
      .execute()
    if (taken.length > 0)
      return {
        ok: false,
        errors: [{ field: 'serials', text: `Already registered: ${taken.map((t) => t.serial).join(', ')}` }],
      }
    await trx
      .insertInto('ced_cartridges')
      .values(
        input.serials.map((serial) => ({
          force_id: forceId,
          serial,
          cartridge_type: input.cartridgeType,
          expires_on: input.expiresOn,
          status: 'in_stock' as const,
        })),
      )
      .execute()
    await audit(
      trx,
      {
        forceId,
        actor,
        action: 'ced_cartridge.added',
        entityType: 'force',
        entityId: forceId,
        details: input,
        requestId: actor.requestId,
      },
      now,
    )
    return { ok: true, added: input.serials.length }
  })
}

export interface IssueInput {
  collarNumber: string
  deviceSerial: string
  cartridgeSerials: string[]
  sparkTestPassed: boolean
}

export type IssueOutcome =
  | { kind: 'issued'; issueId: string }
  | { kind: 'refused'; refusalId: string; reasons: string[] }
  | { kind: 'invalid'; errors: FieldError[] }

/**
 * Issues a device with its cartridges, or refuses with every reason (issue-rules.ts), applying the authority rule as
 * at the moment of issue. A refusal is recorded and audited in its own right. Typing mistakes (an unknown collar
 * number, serial or cartridge) are form errors, not refusals. The device row is locked while checking, and the open-
 * issue unique index stops two armourers issuing the same device at once.
 */
export async function issueDevice(
  { db, clock }: Deps,
  actor: Actor,
  principal: Principal,
  input: IssueInput,
): Promise<IssueOutcome> {
  const forceId = principal.forceId
  const now = clock()
  const today = londonDate(now)
  const errors: FieldError[] = []
  const person = await findPersonByCollar(db, forceId, input.collarNumber)
  if (!person) errors.push({ field: 'collarNumber', text: `No officer has collar number ${input.collarNumber}` })
  else if (!canActOn(principal, 'armoury.issue', { forceId, unitPath: person.unitPath, ownerPersonId: person.id }))
    errors.push({ field: 'collarNumber', text: 'You can issue devices only to officers in your basic command unit' })

  return db.transaction().execute(async (trx): Promise<IssueOutcome> => {
    const device = await trx
      .selectFrom('ced_devices')
      .select(['id', 'serial', 'model', 'status'])
      .where('force_id', '=', forceId)
      .where((eb) => eb(eb.fn('upper', ['serial']), '=', input.deviceSerial.toUpperCase()))
      .forUpdate()
      .executeTakeFirst()
    if (!device) errors.push({ field: 'deviceSerial', text: `No device has serial number ${input.deviceSerial}` })
    const cartridges = input.cartridgeSerials.length
      ? await trx
          .selectFrom('ced_cartridges')
          .select(['id', 'serial', 'cartridge_type', 'expires_on', 'status'])
          .where('force_id', '=', forceId)
          .where('serial', 'in', input.cartridgeSerials)
          .forUpdate()
          .execute()
      : []
    const unknown = input.cartridgeSerials.filter((s) => !cartridges.some((c) => c.serial === s))
    if (unknown.length > 0)
      errors.push({ field: 'cartridge1', text: `No cartridge has serial number ${unknown.join(', ')}` })
    if (errors.length > 0 || !person || !device) return { kind: 'invalid', errors }

    const [authority] = await cedAuthorityAsAt(trx, { forceId, asAt: today, personIds: [person.id] })
    const modelAuthority = authority?.authority.models.find((m) => m.model === device.model) ?? {
      model: device.model as CedDeviceModel,
      authorised: false,
      reasons: [{ code: 'not_qualified' as const }],
      qualifiedOn: null,
      lastTrainedOn: null,
      trainingLapsesOn: null,
      authorisedUntil: null,
      lapsesOn: null,
    }
    const held = await trx
      .selectFrom('ced_device_issues as i')
      .innerJoin('personnel as p', 'p.id', 'i.person_id')
      .innerJoin('ced_devices as d', 'd.id', 'i.device_id')
      .select(['i.device_id', 'i.person_id', 'd.serial', 'p.rank', 'p.given_name', 'p.family_name', 'p.collar_number'])
      .where('i.returned_at', 'is', null)
      .where((eb) => eb.or([eb('i.device_id', '=', device.id), eb('i.person_id', '=', person.id)]))
      .execute()
    const heldDevice = held.find((h) => h.device_id === device.id)
    const reasons = issueRefusals({
      today,
      device: { serial: device.serial, model: device.model as CedDeviceModel, status: device.status },
      authority: modelAuthority,
      deviceHeldBy: heldDevice ? who(heldDevice) : null,
      officerHolds: held.find((h) => h.person_id === person.id && h.device_id !== device.id)?.serial ?? null,
      cartridges: cartridges.map((c) => ({
        serial: c.serial,
        cartridgeType: c.cartridge_type,
        expiresOn: c.expires_on,
        status: c.status,
      })),
      sparkTestPassed: input.sparkTestPassed,
    })

    if (reasons.length > 0) {
      const refusal = await trx
        .insertInto('ced_issue_refusals')
        .values({
          force_id: forceId,
          device_id: device.id,
          person_id: person.id,
          attempted_at: now,
          attempted_by_user_id: actor.userId,
          reasons,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await audit(
        trx,
        {
          forceId,
          actor,
          action: 'ced_device.issue_refused',
          entityType: 'person',
          entityId: person.id,
          details: { refusalId: refusal.id, deviceSerial: device.serial, reasons },
          requestId: actor.requestId,
        },
        now,
      )
      return { kind: 'refused', refusalId: refusal.id, reasons }
    }

    const issue = await trx
      .insertInto('ced_device_issues')
      .values({
        force_id: forceId,
        device_id: device.id,
        person_id: person.id,
        issued_at: now,
        issued_by_user_id: actor.userId,
        spark_test_at: now,
        spark_test_passed: true,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    if (cartridges.length > 0) {
      await trx
        .insertInto('ced_device_issue_cartridges')
        .values(
          input.cartridgeSerials.map((serial, i) => ({
            issue_id: issue.id,
            cartridge_id: cartridges.find((c) => c.serial === serial)?.id ?? '',
            bay: i + 1,
          })),
        )
        .execute()
      await trx
        .updateTable('ced_cartridges')
        .set({ status: 'issued' })
        .where(
          'id',
          'in',
          cartridges.map((c) => c.id),
        )
        .execute()
    }
    await audit(
      trx,
      {
        forceId,
        actor,
        action: 'ced_device.issued',
        entityType: 'ced_device',
        entityId: device.id,
        details: { issueId: issue.id, personId: person.id, cartridges: input.cartridgeSerials, sparkTestPassed: true },
        requestId: actor.requestId,
      },
      now,
    )
    return { kind: 'issued', issueId: issue.id }
  })
}

/** Records a return: the time, which cartridges were fired (spent) and which go back on the shelf. */
export async function returnDevice(
  { db, clock }: Deps,
  actor: Actor,
  forceId: string,
  issueId: string,
  input: { usedCartridgeIds: string[]; notes: string | null },
): Promise<boolean> {
  const now = clock()
  return db.transaction().execute(async (trx) => {
    const issue = await trx
      .updateTable('ced_device_issues')
      .set({ returned_at: now, returned_by_user_id: actor.userId, return_notes: input.notes })
      .where('id', '=', issueId)
      .where('force_id', '=', forceId)
      .where('returned_at', 'is', null)
      .returning(['id', 'device_id'])
      .executeTakeFirst()
    if (!issue) return false
    const loaded = await trx
      .selectFrom('ced_device_issue_cartridges')
      .select('cartridge_id')
      .where('issue_id', '=', issueId)
      .execute()
    for (const { cartridge_id } of loaded) {
      const used = input.usedCartridgeIds.includes(cartridge_id)
      await trx
        .updateTable('ced_device_issue_cartridges')
        .set({ used })
        .where('issue_id', '=', issueId)
        .where('cartridge_id', '=', cartridge_id)
        .execute()
      await trx
        .updateTable('ced_cartridges')
        .set({ status: used ? 'spent' : 'in_stock' })
        .where('id', '=', cartridge_id)
        .execute()
    }
    await audit(
      trx,
      {
        forceId,
        actor,
        action: 'ced_device.returned',
        entityType: 'ced_device',
        entityId: issue.device_id,
        details: { issueId, usedCartridgeIds: input.usedCartridgeIds, notes: input.notes },
        requestId: actor.requestId,
      },
      now,
    )
    return true
  })
}

export async function recordDischarge(
  { db, clock }: Deps,
  actor: Actor,
  principal: Principal,
  input: { deviceSerial: string; collarNumber: string; occurredAt: Date; circumstances: string },
): Promise<{ ok: true } | { ok: false; errors: FieldError[] }> {
  const forceId = principal.forceId
  const errors: FieldError[] = []
  const person = await findPersonByCollar(db, forceId, input.collarNumber)
  if (!person) errors.push({ field: 'collarNumber', text: `No officer has collar number ${input.collarNumber}` })
  else if (!canActOn(principal, 'armoury.issue', { forceId, unitPath: person.unitPath, ownerPersonId: person.id }))
    errors.push({
      field: 'collarNumber',
      text: 'You can record discharges only for officers in your basic command unit',
    })
  const device = await db
    .selectFrom('ced_devices')
    .select('id')
    .where('force_id', '=', forceId)
    .where((eb) => eb(eb.fn('upper', ['serial']), '=', input.deviceSerial.toUpperCase()))
    .executeTakeFirst()
  if (!device) errors.push({ field: 'deviceSerial', text: `No device has serial number ${input.deviceSerial}` })
  if (errors.length > 0 || !person || !device) return { ok: false, errors }
  const now = clock()
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('ced_unintentional_discharges')
      .values({
        force_id: forceId,
        device_id: device.id,
        person_id: person.id,
        occurred_at: input.occurredAt,
        circumstances: input.circumstances,
        recorded_by_user_id: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await audit(
      trx,
      {
        forceId,
        actor,
        action: 'ced_device.unintentional_discharge',
        entityType: 'ced_device',
        entityId: device.id,
        details: { dischargeId: row.id, personId: person.id, occurredAt: input.occurredAt.toISOString() },
        requestId: actor.requestId,
      },
      now,
    )
  })
  return { ok: true }
}
