import { sql, type Transaction } from 'kysely'
import type { Db } from '../../db/database.js'
import type { Database } from '../../db/schema.js'
import type { DeviceLogEvents } from '../../domain/device-logs/device-log-parser.js'

type Executor = Db | Transaction<Database>

/** Rows per INSERT: larger batches did not help (shared/docs/performance-notes.md), smaller ones cost round trips. */
export const EVENT_BATCH = 5000

/** What an import checks before it writes, in one round trip: the device, the downloader and an earlier import. */
export async function findImportContext(
  db: Executor,
  forceId: string,
  keys: { serial: string; username: string; sha256: string },
) {
  const { rows } = await sql<{
    device: { id: string; model: string } | null
    downloader: { id: string } | null
    previous: { id: string; importedAt: string; importedBy: string | null } | null
  }>`
    select
      (select json_build_object('id', d.id, 'model', d.model) from ced_devices d
        where d.force_id = ${forceId}::uuid and d.serial = ${keys.serial}) as device,
      (select json_build_object('id', u.id) from users u
        where u.force_id = ${forceId}::uuid and lower(u.username) = ${keys.username.toLowerCase()}) as downloader,
      (select json_build_object('id', i.id, 'importedAt', i.imported_at, 'importedBy', u.display_name)
        from device_log_imports i left join users u on u.id = i.imported_by_user_id
        where i.force_id = ${forceId}::uuid and i.file_sha256 = ${keys.sha256}) as previous`.execute(db)
  const row = rows[0]
  return {
    device: row?.device ?? null,
    downloader: row?.downloader ?? null,
    previous: row?.previous ? { ...row.previous, importedAt: new Date(row.previous.importedAt) } : null,
  }
}

export async function findDeviceLogImportBySha(db: Executor, forceId: string, sha256: string) {
  return db
    .selectFrom('device_log_imports as i')
    .leftJoin('users as u', 'u.id', 'i.imported_by_user_id')
    .select(['i.id', 'i.imported_at', 'u.display_name as imported_by'])
    .where('i.force_id', '=', forceId)
    .where('i.file_sha256', '=', sha256)
    .executeTakeFirst()
}

/** Serialises imports of one device, so two uploads of overlapping logs cannot both think an event is new. */
export async function lockDevice(trx: Transaction<Database>, deviceId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`device-log:${deviceId}`}))`.execute(trx)
}

/**
 * Inserts events[from, to) in one statement of `unnest` arrays. Events the device already has (an earlier download
 * overlapping this one) are skipped; returns how many were new.
 */
export async function insertEventBatch(
  trx: Transaction<Database>,
  ids: { forceId: string; deviceId: string; importId: string },
  events: DeviceLogEvents,
  from: number,
  to: number,
): Promise<number> {
  const slice = <T>(column: T[]) => column.slice(from, to)
  const trueTimes = slice(events.kind).map((kind, i) => (kind === 'time_sync' ? events.detail[from + i] : null))
  const { rows } = await sql<{ n: number }>`
    with inserted as (
      insert into device_events (device_id, seq, force_id, import_id, device_time, kind, duration_ms, battery_pct,
        temperature_c, cartridge_bay, cartridge_serial, detail, true_time)
      select ${ids.deviceId}::uuid, t.seq, ${ids.forceId}::uuid, ${ids.importId}::uuid, t.device_time, t.kind,
        t.duration_ms, t.battery_pct, t.temperature_c, t.cartridge_bay, t.cartridge_serial, t.detail, t.true_time
      from unnest(${slice(events.seq)}::bigint[], ${slice(events.timestamp)}::timestamptz[], ${slice(events.kind)}::text[],
          ${slice(events.durationMs)}::int[], ${slice(events.battery)}::smallint[],
          ${slice(events.temperature)}::smallint[], ${slice(events.cartridgeBay)}::smallint[],
          ${slice(events.cartridgeSerial)}::text[], ${slice(events.detail)}::text[], ${trueTimes}::timestamptz[])
        as t(seq, device_time, kind, duration_ms, battery_pct, temperature_c, cartridge_bay, cartridge_serial, detail,
          true_time)
      on conflict (device_id, seq) do nothing
      returning 1
    )
    select count(*)::int as n from inserted`.execute(trx)
  return rows[0]?.n ?? 0
}

/**
 * Of events[from, to), the indexes of those the device already holds with different content: the same record
 * number meaning something else is a corrupt or mislabelled file.
 */
export async function conflictingEvents(
  trx: Transaction<Database>,
  deviceId: string,
  events: DeviceLogEvents,
  from: number,
  to: number,
): Promise<number[]> {
  const slice = <T>(column: T[]) => column.slice(from, to)
  const { rows } = await sql<{ i: number }>`
    select (t.n - 1)::int as i
    from unnest(${slice(events.seq)}::bigint[], ${slice(events.timestamp)}::timestamptz[], ${slice(events.kind)}::text[],
        ${slice(events.durationMs)}::int[]) with ordinality as t(seq, device_time, kind, duration_ms, n)
    join device_events e on e.device_id = ${deviceId}::uuid and e.seq = t.seq
    where (e.device_time, e.kind, e.duration_ms) is distinct from (t.device_time, t.kind, t.duration_ms)
    order by t.n`.execute(trx)
  return rows.map((r) => from + r.i)
}

export interface DeviceLogImportRow {
  id: string
  deviceId: string
  deviceSerial: string
  deviceModel: string
  firmware: string
  fileName: string
  fileSha256: string
  byteSize: number
  downloadedAt: Date
  deviceClockAtDownload: Date
  downloadedBy: string
  importedBy: string | null
  importedAt: Date
  firstEventAt: Date
  lastEventAt: Date
  eventCount: number
  newEventCount: number
}

function importQuery(db: Executor, forceId: string) {
  return db
    .selectFrom('device_log_imports as i')
    .innerJoin('ced_devices as d', 'd.id', 'i.device_id')
    .innerJoin('users as dl', 'dl.id', 'i.downloaded_by_user_id')
    .leftJoin('users as im', 'im.id', 'i.imported_by_user_id')
    .select([
      'i.id',
      'i.device_id as deviceId',
      'd.serial as deviceSerial',
      'i.device_model as deviceModel',
      'i.firmware',
      'i.file_name as fileName',
      'i.file_sha256 as fileSha256',
      'i.byte_size as byteSize',
      'i.downloaded_at as downloadedAt',
      'i.device_clock_at_download as deviceClockAtDownload',
      'dl.display_name as downloadedBy',
      'im.display_name as importedBy',
      'i.imported_at as importedAt',
      'i.first_event_at as firstEventAt',
      'i.last_event_at as lastEventAt',
      'i.event_count as eventCount',
      'i.new_event_count as newEventCount',
    ])
    .where('i.force_id', '=', forceId)
}

export async function listDeviceLogImports(
  db: Db,
  forceId: string,
  options: { page: number; pageSize: number },
): Promise<{ imports: DeviceLogImportRow[]; total: number }> {
  const [imports, count] = await Promise.all([
    importQuery(db, forceId)
      .orderBy('i.imported_at', 'desc')
      .orderBy('i.id')
      .limit(options.pageSize)
      .offset((options.page - 1) * options.pageSize)
      .execute(),
    db
      .selectFrom('device_log_imports')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('force_id', '=', forceId)
      .executeTakeFirstOrThrow(),
  ])
  return { imports, total: Number(count.n) }
}

export async function findDeviceLogImport(
  db: Db,
  forceId: string,
  id: string,
): Promise<DeviceLogImportRow | undefined> {
  return importQuery(db, forceId).where('i.id', '=', id).executeTakeFirst()
}

export async function listCameraImports(db: Db, forceId: string, limit: number) {
  return db
    .selectFrom('camera_event_imports as i')
    .leftJoin('users as u', 'u.id', 'i.imported_by_user_id')
    .select([
      'i.id',
      'i.file_name as fileName',
      'i.file_sha256 as fileSha256',
      'i.imported_at as importedAt',
      'u.display_name as importedBy',
      'i.recording_count as recordingCount',
      'i.new_recording_count as newRecordingCount',
      'i.covers_from as coversFrom',
      'i.covers_to as coversTo',
    ])
    .where('i.force_id', '=', forceId)
    .orderBy('i.imported_at', 'desc')
    .limit(limit)
    .execute()
}
