import { sql, type Transaction } from 'kysely'
import type { Clock } from '../../clock.js'
import { CAMERA_COLUMNS } from '../../domain/device-logs/camera-events-parser.js'
import { writeDeviceLog, type DeviceLogLine } from '../../domain/device-logs/device-log-writer.js'
import { isDischarge, type CedLevel } from '../../domain/use-of-force/ced.js'
import { systemActor } from '../../features/audit/ledger.js'
import { importCameraEventsIn, importDeviceLogIn } from '../../features/device-logs/device-logs.service.js'
import { runReconciliationIn } from '../../features/reconciliation/reconciliation.service.js'
import type { Database } from '../schema.js'
import { createRandom } from './random.js'

/**
 * Device logs and camera recordings for the demo force, written after the armoury (demo-taser.ts) because they must
 * agree with it: every reported CED use appears in its device's log, at the reported time, with the reported cycles,
 * while the device was issued to the reporting officer, and its holder's camera was recording. Then a few things
 * that do not add up, for the Taser lead to chase:
 *
 * - one shift with a trigger pull nobody reported (an unreported discharge);
 * - one device whose clock runs fast, found six minutes out at download (its uses still match, corrected);
 * - one device last downloaded 45 days ago (not downloaded within the policy period);
 * - one armed session with no camera recording.
 *
 * The unintentional discharge the armoury recorded is in its device's log, and is accounted for by that record.
 *
 * The files go through the same import as an upload, and reconciliation runs at the end, so the queue is real.
 */

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

interface Use {
  serial: string
  personId: string
  at: number
  levels: CedLevel[]
  cycles: number[]
  cartridges: { serial: string; bay: number | null }[]
}

interface Issue {
  deviceId: string
  personId: string
  collar: string | null
  issuedAt: number
  returnedAt: number | null
  sparkTestAt: number | null
}

export async function seedDemoDeviceLogs(
  trx: Transaction<Database>,
  context: { forceId: string; clock: Clock },
): Promise<Record<string, number>> {
  const { forceId, clock } = context
  const now = clock().getTime()
  const rng = createRandom(11)
  const ms = (column: string) => sql<number>`(extract(epoch from ${sql.ref(column)}) * 1000)::float8`

  const devices = await trx
    .selectFrom('ced_devices')
    .select(['id', 'serial', 'model', 'firmware', 'status'])
    .where('force_id', '=', forceId)
    .orderBy('serial')
    .execute()
  const issueRows: Issue[] = await trx
    .selectFrom('ced_device_issues as i')
    .innerJoin('personnel as p', 'p.id', 'i.person_id')
    .select([
      'i.device_id as deviceId',
      'i.person_id as personId',
      'p.collar_number as collar',
      ms('i.issued_at').as('issuedAt'),
      ms('i.returned_at').as('returnedAt'),
      ms('i.spark_test_at').as('sparkTestAt'),
    ])
    .where('i.force_id', '=', forceId)
    .orderBy('i.issued_at')
    .execute()
  const { rows: useRows } = await sql<{
    serial: string
    person_id: string
    at: number
    levels: CedLevel[]
    cycles: number[] | null
    cartridges: { serial: string; bay: number | null }[]
  }>`
    select u.device_serial as serial, r.officer_person_id as person_id,
      (extract(epoch from r.occurred_at) * 1000)::float8 as at, u.levels, u.cartridges,
      (select array_agg(c.seconds::float8 order by c.seq) from report_ced_cycles c where c.ced_use_id = u.id) as cycles
    from report_ced_uses u join reports r on r.id = u.report_id
    where r.force_id = ${forceId}::uuid and r.officer_person_id is not null
    order by r.occurred_at`.execute(trx)
  const uses: Use[] = useRows.map((u) => ({
    serial: u.serial,
    personId: u.person_id,
    at: u.at,
    levels: u.levels,
    cycles: u.cycles ?? [],
    cartridges: u.cartridges,
  }))
  const unintentional = await trx
    .selectFrom('ced_unintentional_discharges')
    .select(['device_id as deviceId', ms('occurred_at').as('at')])
    .where('force_id', '=', forceId)
    .execute()
  const lead = await trx
    .selectFrom('users')
    .select('username')
    .where('force_id', '=', forceId)
    .where('username', '=', 'taser-lead')
    .executeTakeFirst()
  if (!lead) return { deviceLogs: 0 }

  const issuesOf = new Map<string, Issue[]>()
  for (const issue of issueRows) issuesOf.set(issue.deviceId, [...(issuesOf.get(issue.deviceId) ?? []), issue])
  const usesOf = new Map<string, Use[]>()
  for (const use of uses) usesOf.set(use.serial, [...(usesOf.get(use.serial) ?? []), use])
  // Every device in service is downloaded monthly, so only the planted one is overdue.
  const used = devices.filter((d) => d.status === 'in_service')
  // The planted cases, on devices chosen by what they hold rather than by chance, so each is clear to see.
  const byUses = [...used.filter((d) => issuesOf.has(d.id))].sort(
    (a, b) => (usesOf.get(b.serial)?.length ?? 0) - (usesOf.get(a.serial)?.length ?? 0),
  )
  const drifted = byUses[0]
  // Not the device of the recorded unintentional discharge: its log must hold that discharge.
  const stale = byUses.filter((d) => !unintentional.some((u) => u.deviceId === d.id)).at(-1)
  const unreportedOn = byUses[1]
  let unreportedAt: number | null = null
  if (unreportedOn) {
    // A returned shift on that device, late in it and two hours clear of any use reported on the device.
    const reported = usesOf.get(unreportedOn.serial) ?? []
    for (const issue of [...(issuesOf.get(unreportedOn.id) ?? [])].reverse()) {
      if (issue.returnedAt === null || issue.returnedAt > now - 3 * DAY) continue
      const at = Math.floor((issue.returnedAt - 40 * MINUTE) / MINUTE) * MINUTE
      if (at > issue.issuedAt + 10 * MINUTE && reported.every((u) => Math.abs(u.at - at) > 2 * HOUR)) {
        unreportedAt = at
        break
      }
    }
  }
  // A non-discharge use on a regular device, from the middle of the year: armed, but the camera did not record.
  const quiet = uses.filter(
    (u) =>
      u.serial !== drifted?.serial &&
      u.serial !== stale?.serial &&
      !u.levels.some((l) => l === 'arced' || isDischarge(l)) &&
      u.at < now - 3 * DAY,
  )
  const unrecorded = quiet[Math.floor(quiet.length / 2)]

  const recordings: string[] = []
  let imported = 0
  let events = 0
  for (const device of used) {
    const deviceUses = usesOf.get(device.serial) ?? []
    const issues = issuesOf.get(device.id) ?? []
    const downloadedAt =
      device === stale ? now - 45 * DAY : device === drifted ? now - 2 * DAY : now - rng.int(1, 20) * DAY
    const firstAt = Math.min(downloadedAt - 30 * DAY, ...issues.map((i) => i.issuedAt)) - DAY
    // Drift in ms per ms since the log's only sync: the drifted device gains ~6 minutes over its log; the rest drift
    // a few seconds, well inside the force's threshold.
    const rate = device === drifted ? 372_000 / (downloadedAt - firstAt) : rng.int(-20, 20) / 1e7
    const clockOf = (t: number) => Math.round(t + rate * (t - firstAt))

    const planned: { at: number; line: Omit<DeviceLogLine, 'seq' | 'at'> }[] = []
    const add = (at: number, line: Omit<DeviceLogLine, 'seq' | 'at'>) => planned.push({ at, line })
    const issueAt = (at: number) => issues.find((i) => i.issuedAt <= at && (i.returnedAt === null || at < i.returnedAt))
    const armedSession = (start: number, end: number, record: boolean, footage: string | null) => {
      add(start, { kind: 'armed', battery: 90, temperature: 18 })
      add(end, { kind: 'safe', durationS: Math.round((end - start) / 100) / 10, battery: 89, temperature: 18 })
      const issue = issueAt(start)
      if (record && issue?.collar)
        recordings.push(
          [
            `BWV-${issue.collar}`,
            issue.collar,
            iso(start - 10 * SECOND),
            iso(end + MINUTE),
            'taser_armed',
            footage ?? '',
          ].join(','),
        )
    }
    add(firstAt, { kind: 'time_sync', trueAt: firstAt })
    for (const issue of issues) {
      if (issue.sparkTestAt === null) continue
      add(issue.sparkTestAt - 3 * SECOND, { kind: 'armed', battery: 97, temperature: 19 })
      add(issue.sparkTestAt, { kind: 'arc', durationS: 1, battery: 97 })
      add(issue.sparkTestAt + 5 * SECOND, { kind: 'safe', durationS: 8, battery: 97, temperature: 19 })
    }
    for (const use of deviceUses) {
      let t = use.at
      const cartridge = use.cartridges[0]
      const loaded = cartridge ? { cartridgeBay: cartridge.bay ?? 1, cartridgeSerial: cartridge.serial } : {}
      if (use.levels.includes('arced')) {
        add(t, { kind: 'arc', durationS: 1.5, battery: 88, ...loaded })
        t += 3 * SECOND
      }
      if (use.levels.includes('fired') && cartridge) add(t, { kind: 'cartridge_deployed', ...loaded })
      if (use.levels.some(isDischarge))
        for (const seconds of use.cycles) {
          add(t, { kind: 'trigger', durationS: seconds, battery: 88, ...loaded })
          t += seconds * SECOND + 2 * SECOND
        }
      armedSession(use.at - 20 * SECOND, t + 20 * SECOND, use !== unrecorded, null)
    }
    if (device === unreportedOn && unreportedAt !== null) {
      add(unreportedAt, { kind: 'trigger', durationS: 5, battery: 76 })
      armedSession(unreportedAt - 15 * SECOND, unreportedAt + 30 * SECOND, true, null)
    }
    // The unintentional discharge the armoury recorded is in the log too, and reconciliation accepts it.
    for (const u of unintentional.filter((x) => x.deviceId === device.id)) {
      add(u.at, { kind: 'trigger', durationS: 5, battery: 84 })
      armedSession(u.at - 10 * SECOND, u.at + 20 * SECOND, true, null)
    }
    add(downloadedAt - MINUTE, { kind: 'usb_connection' })

    const lines = planned
      .filter((p) => p.at < downloadedAt)
      .sort((a, b) => a.at - b.at)
      .map((p, i) => ({ ...p.line, seq: 1001 + i, at: clockOf(p.at) }) as DeviceLogLine)
    const text = writeDeviceLog(
      {
        deviceSerial: device.serial,
        deviceModel: device.model,
        firmware: device.firmware,
        downloadedAt,
        deviceClockAtDownload: clockOf(downloadedAt),
        downloadedBy: lead.username,
      },
      lines,
    )
    await importDeviceLogIn(trx, clock, systemActor, forceId, {
      name: `${device.serial}-${iso(downloadedAt).slice(0, 10)}.log`,
      bytes: new TextEncoder().encode(text),
    })
    imported++
    events += lines.length
  }

  if (recordings.length)
    await importCameraEventsIn(trx, clock, systemActor, forceId, {
      name: 'bwv-recordings-demo.csv',
      bytes: new TextEncoder().encode([CAMERA_COLUMNS, ...recordings].join('\n') + '\n'),
    })
  const run = await runReconciliationIn(trx, clock, systemActor, forceId)
  return { deviceLogs: imported, deviceEvents: events, cameraRecordings: recordings.length, exceptions: run.openAfter }
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z')
}
