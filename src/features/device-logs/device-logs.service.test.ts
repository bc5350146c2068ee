import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../db/database.js'
import { writeDeviceLog, type DeviceLogLine } from '../../domain/device-logs/device-log-writer.js'
import { testDatabase } from '../../../test/support/database.js'
import type { Actor } from '../audit/ledger.js'
import { importCameraEvents, importDeviceLog } from './device-logs.service.js'

let database: DatabaseHandle
let forceId: string
let actor: Actor
let collar: string
const clock = () => new Date('2026-11-20T10:00:00Z')
const SERIAL = 'TST-100001'
const T = Date.parse('2026-11-01T08:00:00Z')

beforeAll(async () => {
  database = await testDatabase()
  const { db } = database
  const lead = await db
    .selectFrom('users')
    .select(['id', 'force_id', 'username'])
    .where('username', '=', 'taser-lead')
    .executeTakeFirstOrThrow()
  forceId = lead.force_id
  actor = { userId: lead.id, label: lead.username }
  await db
    .insertInto('ced_devices')
    .values({ force_id: forceId, serial: SERIAL, model: 'x2', firmware: '2.31.0', status: 'in_service' })
    .execute()
  const officer = await db
    .selectFrom('personnel')
    .select('collar_number')
    .where('force_id', '=', forceId)
    .where('collar_number', 'is not', null)
    .executeTakeFirstOrThrow()
  collar = officer.collar_number ?? ''
})
afterAll(() => database.close())

const events = (first: number, count: number): DeviceLogLine[] =>
  Array.from({ length: count }, (_, i) => ({
    seq: first + i,
    at: T + (first + i) * 60_000,
    kind: 'power_save' as const,
  }))

const log = (lines: DeviceLogLine[], serial = SERIAL) =>
  new TextEncoder().encode(
    writeDeviceLog(
      {
        deviceSerial: serial,
        deviceModel: 'x2',
        firmware: '2.31.0',
        downloadedAt: T + 86_400_000,
        deviceClockAtDownload: T + 86_400_000,
        downloadedBy: 'taser-lead',
      },
      lines,
    ),
  )

async function counts() {
  const { db } = database
  const n = async (table: 'device_log_imports' | 'device_events' | 'camera_recordings' | 'audit_log') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  return {
    imports: await n('device_log_imports'),
    events: await n('device_events'),
    recordings: await n('camera_recordings'),
    audit: await n('audit_log'),
  }
}

describe('importDeviceLog on the database', () => {
  it('imports every event with the file’s hash, downloader and device, once', async () => {
    const deps = { db: database.db, clock }
    const before = await counts()
    const file = { name: 'x29.log', bytes: log(events(1, 12_000)) }
    const first = await importDeviceLog(deps, actor, forceId, file)
    expect(first).toMatchObject({ status: 'imported', events: 12_000, newEvents: 12_000 })
    const row = await database.db
      .selectFrom('device_log_imports')
      .selectAll()
      .where('file_name', '=', 'x29.log')
      .executeTakeFirstOrThrow()
    expect(row.file_sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(row.downloaded_by_user_id).toBe(actor.userId)
    expect(row.event_count).toBe(12_000)
    const after = await counts()
    expect(after).toEqual({
      ...before,
      imports: before.imports + 1,
      events: before.events + 12_000,
      audit: before.audit + 1,
    })

    const again = await importDeviceLog(deps, actor, forceId, file)
    expect(again).toMatchObject({ status: 'duplicate', importId: first.status === 'imported' ? first.importId : '' })
    expect(await counts()).toEqual(after)
  })

  it('adds only the new events of a later download that overlaps an earlier one', async () => {
    const outcome = await importDeviceLog({ db: database.db, clock }, actor, forceId, {
      name: 'x29-later.log',
      bytes: log(events(11_001, 2000)),
    })
    expect(outcome).toMatchObject({ status: 'imported', events: 2000, newEvents: 1000 })
  })

  it('rejects a file whose overlapping events differ, and commits nothing', async () => {
    const before = await counts()
    const changed = events(12_990, 20).map((e) => (e.seq === 13_000 ? { ...e, at: e.at + 1000 } : e))
    const outcome = await importDeviceLog({ db: database.db, clock }, actor, forceId, {
      name: 'bad.log',
      bytes: log(changed),
    })
    expect(outcome).toEqual({
      status: 'rejected',
      errors: [
        {
          line: 9 + 11,
          message: 'Event 13000 differs from the event with that number imported before: is this the right device?',
        },
      ],
    })
    expect(await counts()).toEqual(before)
  })

  it('rejects a malformed file with line errors, an unknown device or downloader, and commits nothing', async () => {
    const before = await counts()
    const deps = { db: database.db, clock }
    const text = new TextDecoder().decode(log(events(20_000, 5))).replace(',power_save,', ',power_save,9.9')
    expect(
      await importDeviceLog(deps, actor, forceId, { name: 'a.log', bytes: new TextEncoder().encode(text) }),
    ).toEqual({
      status: 'rejected',
      errors: [{ line: 10, message: 'duration_s must be empty for a power_save event' }],
    })
    expect(
      await importDeviceLog(deps, actor, forceId, { name: 'b.log', bytes: log(events(20_000, 5), 'NOPE-1') }),
    ).toEqual({
      status: 'rejected',
      errors: [{ line: 2, message: 'Device NOPE-1 is not in the device register' }],
    })
    const stranger = new TextDecoder()
      .decode(log(events(20_000, 5)))
      .replace('Downloaded by: taser-lead', 'Downloaded by: nobody')
    expect(
      await importDeviceLog(deps, actor, forceId, { name: 'c.log', bytes: new TextEncoder().encode(stranger) }),
    ).toEqual({
      status: 'rejected',
      errors: [{ line: 7, message: 'No account in this force has the username nobody' }],
    })
    expect(await counts()).toEqual(before)
  })
})

describe('importCameraEvents on the database', () => {
  const csv = (lines: string[]) =>
    new TextEncoder().encode(
      [
        'camera_serial,officer_collar_number,recording_started_at,recording_ended_at,activation,footage_reference',
        ...lines,
      ].join('\n'),
    )

  it('imports recordings once, skips ones already held, and rejects unknown officers with their lines', async () => {
    const deps = { db: database.db, clock }
    const before = await counts()
    const line = (minute: number) =>
      `BWV-1,${collar},2026-11-01T08:${String(minute).padStart(2, '0')}:00Z,2026-11-01T08:${String(minute).padStart(2, '0')}:30Z,taser_armed,EVD-${minute}`
    const file = { name: 'bwv.csv', bytes: csv([line(1), line(2)]) }
    expect(await importCameraEvents(deps, actor, forceId, file)).toMatchObject({
      status: 'imported',
      recordings: 2,
      newRecordings: 2,
    })
    expect(await importCameraEvents(deps, actor, forceId, file)).toMatchObject({ status: 'duplicate' })
    expect(
      await importCameraEvents(deps, actor, forceId, { name: 'more.csv', bytes: csv([line(2), line(3)]) }),
    ).toMatchObject({
      status: 'imported',
      newRecordings: 1,
    })
    const middle = (await counts()).recordings
    expect(middle).toBe(before.recordings + 3)
    const unknown = csv([line(4), line(5).replace(`,${collar},`, ',NO9999,')])
    expect(await importCameraEvents(deps, actor, forceId, { name: 'x.csv', bytes: unknown })).toEqual({
      status: 'rejected',
      errors: [{ line: 3, message: 'No officer in this force has the collar number NO9999' }],
    })
    expect((await counts()).recordings).toBe(middle)
  })
})
