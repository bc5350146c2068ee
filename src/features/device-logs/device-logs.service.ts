import { createHash, randomUUID } from 'node:crypto'
import { sql, type Transaction } from 'kysely'
import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import type { Database } from '../../db/schema.js'
import { parseDeviceLog } from '../../domain/device-logs/device-log-parser.js'
import { parseCameraEvents } from '../../domain/device-logs/camera-events-parser.js'
import { MAX_LINE_ERRORS, type LineError } from '../../domain/imports/line-errors.js'
import { cedDeviceModels } from '../../domain/use-of-force/ced.js'
import type { UploadedFile } from '../../web/uploads.js'
import { appendAudit, type Actor } from '../audit/ledger.js'
import {
  conflictingEvents,
  EVENT_BATCH,
  findDeviceLogImportBySha,
  findImportContext,
  insertEventBatch,
  lockDevice,
} from './device-logs.repository.js'

export type ImportOutcome =
  | { status: 'rejected'; errors: LineError[] }
  | { status: 'duplicate'; importId: string; importedAt: Date; importedBy: string | null }
  | { status: 'imported'; importId: string; deviceId: string; events: number; newEvents: number }

/** Thrown inside the transaction to roll it back with line errors. */
class Rejected extends Error {
  constructor(readonly errors: LineError[]) {
    super(`file rejected: ${errors.map((e) => `line ${e.line}: ${e.message}`).join('; ')}`)
  }
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/**
 * Imports a device-log file, all or nothing: a file with any problem is rejected with its line errors and writes
 * nothing; the same file twice is recognised by its sha-256 and changes nothing.
 */
export async function importDeviceLog(
  deps: { db: Db; clock: Clock },
  actor: Actor,
  forceId: string,
  file: UploadedFile,
): Promise<ImportOutcome> {
  try {
    return await deps.db.transaction().execute((trx) => importDeviceLogIn(trx, deps.clock, actor, forceId, file))
  } catch (error) {
    if (error instanceof Rejected) return { status: 'rejected', errors: error.errors }
    throw error
  }
}

/** The import inside a caller's transaction (the demo seed imports its logs inside its own). Throws Rejected. */
export async function importDeviceLogIn(
  trx: Transaction<Database>,
  clock: Clock,
  actor: Actor,
  forceId: string,
  file: UploadedFile,
): Promise<ImportOutcome> {
  const sha256 = sha256Hex(file.bytes)
  const parsed = parseDeviceLog(file.bytes)
  if (!parsed.ok) throw new Rejected(parsed.errors)
  const { header, events } = parsed

  const errors: LineError[] = []
  const { device, downloader, previous } = await findImportContext(trx, forceId, {
    serial: header.deviceSerial,
    username: header.downloadedBy,
    sha256,
  })
  if (!device)
    errors.push({
      line: header.lines.deviceSerial,
      message: `Device ${header.deviceSerial} is not in the device register`,
    })
  else if (device.model !== header.deviceModel)
    errors.push({
      line: header.lines.deviceModel,
      message: `The register has ${header.deviceSerial} as a ${cedDeviceModels.label(device.model as never)}, not a ${cedDeviceModels.label(header.deviceModel)}`,
    })
  if (!downloader)
    errors.push({
      line: header.lines.downloadedBy,
      message: `No account in this force has the username ${header.downloadedBy}`,
    })
  if (errors.length || !device || !downloader) throw new Rejected(errors)
  if (previous)
    return {
      status: 'duplicate',
      importId: previous.id,
      importedAt: previous.importedAt,
      importedBy: previous.importedBy,
    }

  await lockDevice(trx, device.id)
  // Again under the lock: an upload of the same file a moment ago may have committed while we waited for it.
  const racing = await findDeviceLogImportBySha(trx, forceId, sha256)
  if (racing)
    return { status: 'duplicate', importId: racing.id, importedAt: racing.imported_at, importedBy: racing.imported_by }

  const now = clock()
  const last = events.count - 1
  // The id is made here so the events can go in before the import row, which then carries the count of new ones.
  const importId = randomUUID()
  let newEvents = 0
  for (let from = 0; from < events.count; from += EVENT_BATCH) {
    const to = Math.min(events.count, from + EVENT_BATCH)
    const inserted = await insertEventBatch(trx, { forceId, deviceId: device.id, importId }, events, from, to)
    newEvents += inserted
    // Only a batch that overlapped an earlier download needs its old events compared with the new.
    if (inserted < to - from) {
      for (const i of await conflictingEvents(trx, device.id, events, from, to)) {
        errors.push({
          line: events.line[i] ?? 0,
          message: `Event ${events.seq[i]} differs from the event with that number imported before: is this the right device?`,
        })
        if (errors.length >= MAX_LINE_ERRORS) break
      }
      if (errors.length >= MAX_LINE_ERRORS) break
    }
  }
  if (errors.length) throw new Rejected(errors)

  await trx
    .insertInto('device_log_imports')
    .values({
      id: importId,
      force_id: forceId,
      device_id: device.id,
      file_sha256: sha256,
      file_name: file.name.slice(0, 200),
      byte_size: file.bytes.byteLength,
      device_model: header.deviceModel,
      firmware: header.firmware,
      downloaded_at: new Date(header.downloadedAt),
      device_clock_at_download: new Date(header.deviceClockAtDownload),
      downloaded_by_user_id: downloader.id,
      imported_by_user_id: actor.userId,
      imported_at: now,
      first_seq: events.seq[0] ?? 0,
      last_seq: events.seq[last] ?? 0,
      first_event_at: new Date(events.at[0] ?? 0),
      last_event_at: new Date(events.at[last] ?? 0),
      event_count: events.count,
      new_event_count: newEvents,
    })
    .execute()
  await appendAudit(
    trx,
    {
      forceId,
      actor,
      action: 'device_log.imported',
      entityType: 'device_log_import',
      entityId: importId,
      details: {
        deviceSerial: header.deviceSerial,
        fileName: file.name,
        sha256,
        events: events.count,
        newEvents,
        downloadedAt: new Date(header.downloadedAt).toISOString(),
        downloadedBy: header.downloadedBy,
      },
    },
    now,
  )
  return { status: 'imported', importId, deviceId: device.id, events: events.count, newEvents }
}

export type CameraImportOutcome =
  | { status: 'rejected'; errors: LineError[] }
  | { status: 'duplicate'; importId: string; importedAt: Date; importedBy: string | null }
  | { status: 'imported'; importId: string; recordings: number; newRecordings: number }

/** Imports a camera-recordings file: the same rules as a device log (line errors, all or nothing, idempotent). */
export async function importCameraEvents(
  deps: { db: Db; clock: Clock },
  actor: Actor,
  forceId: string,
  file: UploadedFile,
): Promise<CameraImportOutcome> {
  try {
    return await deps.db.transaction().execute((trx) => importCameraEventsIn(trx, deps.clock, actor, forceId, file))
  } catch (error) {
    if (error instanceof Rejected) return { status: 'rejected', errors: error.errors }
    throw error
  }
}

export async function importCameraEventsIn(
  trx: Transaction<Database>,
  clock: Clock,
  actor: Actor,
  forceId: string,
  file: UploadedFile,
): Promise<CameraImportOutcome> {
  const sha256 = sha256Hex(file.bytes)
  const parsed = parseCameraEvents(file.bytes)
  if (!parsed.ok) throw new Rejected(parsed.errors)
  const { recordings } = parsed

  const collars = [...new Set(recordings.map((r) => r.collarNumber))]
  const people = await trx
    .selectFrom('personnel')
    .select(['id', 'collar_number'])
    .where('force_id', '=', forceId)
    .where('collar_number', 'in', collars)
    .execute()
  const personOf = new Map(people.map((p) => [p.collar_number ?? '', p.id]))
  const errors: LineError[] = recordings
    .filter((r) => !personOf.has(r.collarNumber))
    .slice(0, MAX_LINE_ERRORS)
    .map((r) => ({ line: r.line, message: `No officer in this force has the collar number ${r.collarNumber}` }))
  if (errors.length) throw new Rejected(errors)

  await sql`select pg_advisory_xact_lock(hashtext(${`camera-events:${forceId}`}))`.execute(trx)
  const previous = await trx
    .selectFrom('camera_event_imports as i')
    .leftJoin('users as u', 'u.id', 'i.imported_by_user_id')
    .select(['i.id', 'i.imported_at', 'u.display_name'])
    .where('i.force_id', '=', forceId)
    .where('i.file_sha256', '=', sha256)
    .executeTakeFirst()
  if (previous)
    return {
      status: 'duplicate',
      importId: previous.id,
      importedAt: previous.imported_at,
      importedBy: previous.display_name,
    }

  const now = clock()
  const { id: importId } = await trx
    .insertInto('camera_event_imports')
    .values({
      force_id: forceId,
      file_sha256: sha256,
      file_name: file.name.slice(0, 200),
      byte_size: file.bytes.byteLength,
      imported_by_user_id: actor.userId,
      imported_at: now,
      recording_count: recordings.length,
      new_recording_count: 0,
      covers_from: new Date(recordings.reduce((min, r) => Math.min(min, r.startedAt), Infinity)),
      covers_to: new Date(recordings.reduce((max, r) => Math.max(max, r.endedAt), -Infinity)),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  let newRecordings = 0
  for (let from = 0; from < recordings.length; from += EVENT_BATCH) {
    const batch = recordings.slice(from, from + EVENT_BATCH)
    const iso = (ms: number) => new Date(ms).toISOString()
    const { rows } = await sql<{ n: number }>`
      with inserted as (
        insert into camera_recordings (force_id, camera_serial, started_at, ended_at, person_id, activation,
          footage_reference, import_id)
        select ${forceId}::uuid, t.camera_serial, t.started_at, t.ended_at, t.person_id, t.activation,
          t.footage_reference, ${importId}::uuid
        from unnest(${batch.map((r) => r.cameraSerial)}::text[], ${batch.map((r) => iso(r.startedAt))}::timestamptz[],
          ${batch.map((r) => iso(r.endedAt))}::timestamptz[], ${batch.map((r) => personOf.get(r.collarNumber))}::uuid[],
          ${batch.map((r) => r.activation)}::text[], ${batch.map((r) => r.footageReference)}::text[])
          as t(camera_serial, started_at, ended_at, person_id, activation, footage_reference)
        on conflict (force_id, camera_serial, started_at) do nothing
        returning 1
      )
      select count(*)::int as n from inserted`.execute(trx)
    newRecordings += rows[0]?.n ?? 0
  }
  await trx
    .updateTable('camera_event_imports')
    .set({ new_recording_count: newRecordings })
    .where('id', '=', importId)
    .execute()
  await appendAudit(
    trx,
    {
      forceId,
      actor,
      action: 'camera_events.imported',
      entityType: 'camera_event_import',
      entityId: importId,
      details: { fileName: file.name, sha256, recordings: recordings.length, newRecordings },
    },
    now,
  )
  return { status: 'imported', importId, recordings: recordings.length, newRecordings }
}
