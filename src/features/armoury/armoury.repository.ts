import { sql } from 'kysely'
import type { Db } from '../../db/database.js'
import { scopeCondition } from '../../db/scope.js'
import type { ScopeFilter } from '../auth/policy.js'

/** Reads for the device and cartridge register and the armoury. */

export async function listDevices(db: Db, forceId: string, filter: { status?: string; model?: string }) {
  let query = db
    .selectFrom('ced_devices as d')
    .leftJoin('org_units as u', 'u.id', 'd.home_unit_id')
    .leftJoin('ced_device_issues as i', (join) =>
      join.onRef('i.device_id', '=', 'd.id').on('i.returned_at', 'is', null),
    )
    .leftJoin('personnel as p', 'p.id', 'i.person_id')
    .select([
      'd.id',
      'd.serial',
      'd.model',
      'd.firmware',
      'd.status',
      'u.name as unit_name',
      'i.id as issue_id',
      'p.collar_number as holder_collar',
      'p.rank as holder_rank',
      'p.given_name as holder_given_name',
      'p.family_name as holder_family_name',
    ])
    .where('d.force_id', '=', forceId)
  if (filter.status) query = query.where('d.status', '=', filter.status as 'in_service')
  if (filter.model) query = query.where('d.model', '=', filter.model)
  return query.orderBy('d.model').orderBy('d.serial').execute()
}

export async function findDevice(db: Db, forceId: string, id: string) {
  return db
    .selectFrom('ced_devices as d')
    .leftJoin('org_units as u', 'u.id', 'd.home_unit_id')
    .select(['d.id', 'd.serial', 'd.model', 'd.firmware', 'd.status', 'd.home_unit_id', 'u.name as unit_name'])
    .where('d.force_id', '=', forceId)
    .where('d.id', '=', id)
    .executeTakeFirst()
}

export async function findDeviceBySerial(db: Db, forceId: string, serial: string) {
  return db
    .selectFrom('ced_devices')
    .select(['id', 'serial', 'model', 'status'])
    .where('force_id', '=', forceId)
    .where((eb) => eb(eb.fn('upper', ['serial']), '=', serial.trim().toUpperCase()))
    .executeTakeFirst()
}

export async function deviceRecord(db: Db, deviceId: string) {
  const [history, defects, issues, discharges] = await Promise.all([
    db
      .selectFrom('ced_device_history as h')
      .leftJoin('users as us', 'us.id', 'h.user_id')
      .select(['h.occurred_at', 'h.change', 'h.details', 'us.display_name'])
      .where('h.device_id', '=', deviceId)
      .orderBy('h.occurred_at', 'desc')
      .orderBy('h.id', 'desc')
      .execute(),
    db
      .selectFrom('ced_device_defects')
      .select(['id', 'reported_at', 'description', 'resolved_at', 'resolution'])
      .where('device_id', '=', deviceId)
      .orderBy('reported_at', 'desc')
      .execute(),
    db
      .selectFrom('ced_device_issues as i')
      .innerJoin('personnel as p', 'p.id', 'i.person_id')
      .select([
        'i.id',
        'i.issued_at',
        'i.returned_at',
        'i.spark_test_at',
        'i.spark_test_passed',
        'p.collar_number',
        'p.rank',
        'p.given_name',
        'p.family_name',
      ])
      .where('i.device_id', '=', deviceId)
      .orderBy('i.issued_at', 'desc')
      .limit(50)
      .execute(),
    db
      .selectFrom('ced_unintentional_discharges as x')
      .innerJoin('personnel as p', 'p.id', 'x.person_id')
      .select(['x.occurred_at', 'x.circumstances', 'p.collar_number', 'p.rank', 'p.given_name', 'p.family_name'])
      .where('x.device_id', '=', deviceId)
      .orderBy('x.occurred_at', 'desc')
      .execute(),
  ])
  return { history, defects, issues, discharges }
}

/** Devices out now, to officers within the reader's scope. */
export async function openIssues(db: Db, scope: ScopeFilter) {
  if (scope.kind === 'none') return []
  const query = db
    .selectFrom('ced_device_issues as i')
    .innerJoin('ced_devices as d', 'd.id', 'i.device_id')
    .innerJoin('personnel as p', 'p.id', 'i.person_id')
    .select([
      'i.id',
      'i.issued_at',
      'i.spark_test_at',
      'i.spark_test_passed',
      'd.serial',
      'd.model',
      'p.collar_number',
      'p.rank',
      'p.given_name',
      'p.family_name',
    ])
    .where(scopeCondition(scope, { force: 'i.force_id', unit: 'p.unit_id', person: 'p.id' }))
    .where('i.returned_at', 'is', null)
  return query.orderBy('i.issued_at').execute()
}

export async function recentRefusals(db: Db, scope: ScopeFilter, limit = 20) {
  if (scope.kind === 'none') return []
  const query = db
    .selectFrom('ced_issue_refusals as r')
    .innerJoin('personnel as p', 'p.id', 'r.person_id')
    .leftJoin('ced_devices as d', 'd.id', 'r.device_id')
    .select([
      'r.id',
      'r.attempted_at',
      'r.reasons',
      'd.serial',
      'p.collar_number',
      'p.rank',
      'p.given_name',
      'p.family_name',
    ])
    .where(scopeCondition(scope, { force: 'r.force_id', unit: 'p.unit_id', person: 'p.id' }))
  return query.orderBy('r.attempted_at', 'desc').limit(limit).execute()
}

export async function recentDischarges(db: Db, scope: ScopeFilter, limit = 20) {
  if (scope.kind === 'none') return []
  const query = db
    .selectFrom('ced_unintentional_discharges as x')
    .innerJoin('personnel as p', 'p.id', 'x.person_id')
    .innerJoin('ced_devices as d', 'd.id', 'x.device_id')
    .select([
      'x.id',
      'x.occurred_at',
      'x.circumstances',
      'd.id as device_id',
      'd.serial',
      'p.collar_number',
      'p.rank',
      'p.given_name',
      'p.family_name',
    ])
    .where(scopeCondition(scope, { force: 'x.force_id', unit: 'p.unit_id', person: 'p.id' }))
  return query.orderBy('x.occurred_at', 'desc').limit(limit).execute()
}

export async function findIssue(db: Db, forceId: string, issueId: string) {
  const issue = await db
    .selectFrom('ced_device_issues as i')
    .innerJoin('ced_devices as d', 'd.id', 'i.device_id')
    .innerJoin('personnel as p', 'p.id', 'i.person_id')
    .select([
      'i.id',
      'i.person_id',
      'p.unit_id',
      'i.issued_at',
      'i.returned_at',
      'd.serial',
      'd.model',
      'p.collar_number',
      'p.rank',
      'p.given_name',
      'p.family_name',
    ])
    .where('i.force_id', '=', forceId)
    .where('i.id', '=', issueId)
    .executeTakeFirst()
  if (!issue) return null
  const cartridges = await db
    .selectFrom('ced_device_issue_cartridges as ic')
    .innerJoin('ced_cartridges as c', 'c.id', 'ic.cartridge_id')
    .select(['c.id', 'c.serial', 'ic.bay', 'ic.used'])
    .where('ic.issue_id', '=', issueId)
    .orderBy('ic.bay')
    .execute()
  return { ...issue, cartridges }
}

export async function cartridgeSummary(db: Db, forceId: string, today: string) {
  const { rows } = await sql<{ cartridge_type: string; status: string; expired: boolean; n: number }>`
    select cartridge_type, status, expires_on < ${today}::date as expired, count(*)::int as n
    from ced_cartridges where force_id = ${forceId}
    group by 1, 2, 3 order by 1, 2, 3`.execute(db)
  return rows
}

export async function expiredInStock(db: Db, forceId: string, today: string) {
  return db
    .selectFrom('ced_cartridges')
    .select(['serial', 'cartridge_type', 'expires_on'])
    .where('force_id', '=', forceId)
    .where('status', '=', 'in_stock')
    .where('expires_on', '<', today)
    .orderBy('expires_on')
    .execute()
}
