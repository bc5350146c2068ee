import { sql, type Transaction } from 'kysely'
import type { Db } from '../../db/database.js'
import { pageOf } from '../../db/paging.js'
import type { Database } from '../../db/schema.js'
import type { DeviceEventKind } from '../../domain/device-logs/device-events.js'
import type { ReconciliationSettings } from '../../domain/reconciliation/matcher.js'
import type { CedLevel } from '../../domain/use-of-force/ced.js'

type Executor = Db | Transaction<Database>

/** The force's settings, or the defaults the migration gives when the force has never changed them. */
export async function loadSettings(db: Executor, forceId: string) {
  const row = await db
    .selectFrom('reconciliation_settings')
    .selectAll()
    .where('force_id', '=', forceId)
    .executeTakeFirst()
  return {
    windowMinutes: row?.window_minutes ?? 60,
    driftThresholdSeconds: row?.drift_threshold_seconds ?? 60,
    downloadPeriodDays: row?.download_period_days ?? 31,
    sparkTestMinutes: row?.spark_test_minutes ?? 10,
  }
}

export type SettingsValues = Awaited<ReturnType<typeof loadSettings>>

export function matcherSettings(values: SettingsValues): ReconciliationSettings {
  return {
    windowMs: values.windowMinutes * 60_000,
    driftThresholdMs: values.driftThresholdSeconds * 1000,
    sparkTestMs: values.sparkTestMinutes * 60_000,
    downloadPeriodDays: values.downloadPeriodDays,
  }
}

/** Serialises reconciliation runs of one force: two at once would race to raise the same exceptions. */
export async function lockForce(trx: Transaction<Database>, forceId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`reconciliation:${forceId}`}))`.execute(trx)
}

const ms = (column: string) => sql<number>`(extract(epoch from ${sql.ref(column)}) * 1000)::float8`

export async function loadDevices(db: Executor, forceId: string, deviceId: string | null) {
  let query = db
    .selectFrom('ced_devices')
    .select(['id', 'serial', 'status', ms('created_at').as('createdAt')])
    .where('force_id', '=', forceId)
  if (deviceId) query = query.where('id', '=', deviceId)
  return query.execute()
}

export async function loadDownloads(db: Executor, forceId: string, deviceId: string | null) {
  let query = db
    .selectFrom('device_log_imports')
    .select([
      'id',
      'device_id as deviceId',
      'first_seq as firstSeq',
      'last_seq as lastSeq',
      ms('first_event_at').as('firstAt'),
      ms('downloaded_at').as('downloadedAt'),
      ms('device_clock_at_download').as('deviceClockAtDownload'),
    ])
    .where('force_id', '=', forceId)
  if (deviceId) query = query.where('device_id', '=', deviceId)
  return query.execute()
}

/**
 * The events reconciliation reads, for every device at once, one array per column per device: a million events
 * come back as a few thousand rows rather than a million row objects. The arrays of one row are aligned (one input
 * order for every aggregate) but not sorted: the caller puts them in seq order, cheaper than a sort in the query.
 */
export async function loadEvents(db: Executor, forceId: string, deviceId: string | null) {
  const { rows } = await sql<{
    device_id: string
    seqs: number[]
    ats: number[]
    kinds: DeviceEventKind[]
    durations: (number | null)[]
    trues: (number | null)[]
  }>`
    select device_id, array_agg(seq::float8) as seqs, array_agg((extract(epoch from device_time) * 1000)::float8) as ats,
      array_agg(kind) as kinds, array_agg(duration_ms) as durations,
      array_agg((extract(epoch from true_time) * 1000)::float8) as trues
    from device_events
    where force_id = ${forceId}::uuid
      and kind in ('armed', 'safe', 'trigger', 'arc', 'time_sync')
      ${deviceId ? sql`and device_id = ${deviceId}::uuid` : sql``}
    group by device_id`.execute(db)
  return rows
}

export async function loadIssues(db: Executor, forceId: string, deviceId: string | null) {
  let query = db
    .selectFrom('ced_device_issues')
    .select([
      'device_id as deviceId',
      'person_id as personId',
      ms('issued_at').as('issuedAt'),
      ms('returned_at').as('returnedAt'),
      ms('spark_test_at').as('sparkTestAt'),
    ])
    .where('force_id', '=', forceId)
    .orderBy('device_id')
    .orderBy('issued_at')
  if (deviceId) query = query.where('device_id', '=', deviceId)
  return query.execute()
}

/** Every reported CED use in the force, with the serial as typed (trimmed, upper case) to match the register. */
export async function loadReportedUses(db: Executor, forceId: string, serial: string | null) {
  const { rows } = await sql<{
    report_id: string
    seq: number
    serial: string
    officer_person_id: string | null
    occurred_at: number
    levels: CedLevel[]
    cycle_count: number
    total_ms: number
    extended: number
    footage_reference: string | null
  }>`
    select u.report_id, u.seq, upper(btrim(u.device_serial)) as serial, r.officer_person_id,
      (extract(epoch from r.occurred_at) * 1000)::float8 as occurred_at, u.levels, u.cycle_count,
      (coalesce(u.total_cycle_seconds, 0) * 1000)::float8 as total_ms, coalesce(x.extended, 0)::int as extended,
      u.footage_reference
    from report_ced_uses u
    join reports r on r.id = u.report_id
    left join (
      select c.ced_use_id, count(*) as extended from report_ced_cycles c where c.extended group by c.ced_use_id
    ) x on x.ced_use_id = u.id
    where r.force_id = ${forceId}::uuid
      ${serial ? sql`and upper(btrim(u.device_serial)) = ${serial.toUpperCase()}` : sql``}`.execute(db)
  return rows
}

/** Unintentional discharges the armoury recorded, which account for the trigger pulls near them. */
export async function loadUnintentionalDischarges(db: Executor, forceId: string, deviceId: string | null) {
  let query = db
    .selectFrom('ced_unintentional_discharges')
    .select(['device_id as deviceId', ms('occurred_at').as('at')])
    .where('force_id', '=', forceId)
  if (deviceId) query = query.where('device_id', '=', deviceId)
  return query.execute()
}

export async function loadCameraData(db: Executor, forceId: string) {
  const recordings = await db
    .selectFrom('camera_recordings')
    .select(['person_id as personId', ms('started_at').as('startedAt'), ms('ended_at').as('endedAt')])
    .where('force_id', '=', forceId)
    .orderBy('person_id')
    .orderBy('started_at')
    .execute()
  const coverage = await db
    .selectFrom('camera_event_imports')
    .select([ms('covers_from').as('from'), ms('covers_to').as('to')])
    .where('force_id', '=', forceId)
    .execute()
  return { recordings, coverage }
}

export async function loadExistingExceptions(db: Executor, forceId: string, deviceId: string | null) {
  let query = db
    .selectFrom('reconciliation_exceptions')
    .select(['id', 'key', 'status', 'evidence_hash as evidenceHash', 'device_id as deviceId'])
    .where('force_id', '=', forceId)
  if (deviceId) query = query.where('device_id', '=', deviceId)
  return query.execute()
}

export interface QueueFilter {
  status: 'open' | 'resolved' | 'cleared' | 'all'
  kind: string | null
  /** 'me' (the caller), 'none' (unassigned) or null (anyone). */
  assigned: 'me' | 'none' | null
  device: string | null
}

function queueQuery(db: Db, forceId: string) {
  return db
    .selectFrom('reconciliation_exceptions as e')
    .leftJoin('ced_devices as d', 'd.id', 'e.device_id')
    .leftJoin('personnel as p', 'p.id', 'e.person_id')
    .leftJoin('users as a', 'a.id', 'e.assigned_to_user_id')
    .where('e.force_id', '=', forceId)
}

export async function listExceptions(
  db: Db,
  forceId: string,
  filter: QueueFilter & { userId: string },
  options: { page: number; pageSize: number },
) {
  let query = queueQuery(db, forceId)
  if (filter.status !== 'all') query = query.where('e.status', '=', filter.status)
  if (filter.kind) query = query.where('e.kind', '=', filter.kind)
  if (filter.assigned === 'me') query = query.where('e.assigned_to_user_id', '=', filter.userId)
  if (filter.assigned === 'none') query = query.where('e.assigned_to_user_id', 'is', null)
  if (filter.device) query = query.where(sql<string>`upper(d.serial)`, '=', filter.device.toUpperCase())
  const { rows, total } = await pageOf(
    query,
    (q) =>
      q
        .select([
          'e.id',
          'e.kind',
          'e.status',
          'e.occurred_at as occurredAt',
          'd.serial as deviceSerial',
          sql<string | null>`nullif(concat_ws(' ', p.given_name, p.family_name), '')`.as('officer'),
          'a.display_name as assignee',
        ])
        .orderBy('e.occurred_at', 'desc')
        .orderBy('e.id'),
    options,
  )
  return { exceptions: rows, total }
}

export async function findException(db: Db, forceId: string, id: string) {
  return queueQuery(db, forceId)
    .leftJoin('users as r', 'r.id', 'e.resolved_by_user_id')
    .leftJoin('reports as rep', 'rep.id', 'e.report_id')
    .select([
      'e.id',
      'e.key',
      'e.kind',
      'e.status',
      'e.occurred_at as occurredAt',
      'e.details',
      'e.raised_at as raisedAt',
      'e.last_found_at as lastFoundAt',
      'e.device_id as deviceId',
      'd.serial as deviceSerial',
      'd.model as deviceModel',
      'e.report_id as reportId',
      'rep.occurred_at as reportOccurredAt',
      'p.collar_number as collarNumber',
      sql<string | null>`nullif(concat_ws(' ', p.given_name, p.family_name), '')`.as('officer'),
      'e.assigned_to_user_id as assigneeId',
      'a.display_name as assignee',
      'e.assigned_at as assignedAt',
      'e.resolution',
      'e.resolution_note as resolutionNote',
      'r.display_name as resolvedBy',
      'e.resolved_at as resolvedAt',
      'e.reopened_count as reopenedCount',
    ])
    .where('e.id', '=', id)
    .executeTakeFirst()
}

/** The device's energy and armed events around a moment, for the exception page. */
export async function eventsAround(db: Db, deviceId: string, at: Date, spanMinutes: number) {
  return db
    .selectFrom('device_events')
    .select(['seq', 'device_time as deviceTime', 'kind', 'duration_ms as durationMs', 'cartridge_serial as cartridge'])
    .where('device_id', '=', deviceId)
    .where('device_time', '>=', new Date(at.getTime() - spanMinutes * 60_000))
    .where('device_time', '<=', new Date(at.getTime() + spanMinutes * 60_000))
    .where('kind', 'in', ['armed', 'safe', 'trigger', 'arc', 'cartridge_deployed', 'time_sync'])
    .orderBy('seq')
    .limit(50)
    .execute()
}

/** The exception's history, from the audit ledger: the ledger is the record of who did what. */
export async function exceptionHistory(db: Db, forceId: string, id: string) {
  return db
    .selectFrom('audit_log')
    .select(['occurred_at as at', 'actor', 'action', 'details'])
    .where('force_id', '=', forceId)
    .where('entity_type', '=', 'reconciliation_exception')
    .where('entity_id', '=', id)
    .orderBy('id')
    .execute()
}

/** Who may be given exceptions: accounts of the force that may work the queue or read it. */
export async function assignableUsers(db: Db, forceId: string, roles: readonly string[]) {
  return db
    .selectFrom('users as u')
    .innerJoin('user_roles as r', 'r.user_id', 'u.id')
    .select(['u.id', 'u.display_name as name'])
    .distinct()
    .where('u.force_id', '=', forceId)
    .where('u.disabled_at', 'is', null)
    .where('r.role', 'in', [...roles])
    .orderBy('u.display_name')
    .execute()
}

export async function lastRun(db: Db, forceId: string) {
  return db
    .selectFrom('reconciliation_runs')
    .selectAll()
    .where('force_id', '=', forceId)
    .where('device_id', 'is', null)
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst()
}
