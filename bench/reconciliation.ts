import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { systemClock } from '../src/clock.js'
import { openDatabase, type Db } from '../src/db/database.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { createRandom } from '../src/db/seed/random.js'
import { CAMERA_COLUMNS } from '../src/domain/device-logs/camera-events-parser.js'
import { writeDeviceLog, type DeviceLogLine } from '../src/domain/device-logs/device-log-writer.js'
import { createForce } from '../src/features/admin/admin.service.js'
import { systemActor, type Actor } from '../src/features/audit/ledger.js'
import { importCameraEvents, importDeviceLog } from '../src/features/device-logs/device-logs.service.js'
import { runReconciliation, type RunSummary } from '../src/features/reconciliation/reconciliation.service.js'
import { machine, revision } from './lib/machine.js'
import { repoRoot } from './lib/paths.js'
import { createDatabase, databaseName, dropDatabase } from './lib/postgres.js'

/**
 * The issue's targets: reconcile 1,000,000 device events against 100,000 reports on PostgreSQL in under 10 s, and
 * import device logs at 50,000 events/s or more. A synthetic force: 500 devices, each with a year of shifts (spark
 * test at issue, one reported use per shift), monthly time syncs, a clock drifting up to ±20 ppm, and routine events
 * (power save, USB, flashlight) filling each device's log to 2,000 events. One use in a hundred is not reported.
 */

export interface ReconciliationOptions {
  devices: number
  eventsPerDevice: number
  reports: number
  /** Concurrent importers for the second import measurement (download stations working at once). */
  importConcurrency: number
}

export const defaultReconciliationOptions: ReconciliationOptions = {
  devices: 500,
  eventsPerDevice: 2000,
  reports: 100_000,
  importConcurrency: 4,
}

export interface ReconciliationResult {
  skipped?: string
  events: number
  reports: number
  hidden: number
  import: { sequential: Phase; concurrent: Phase & { concurrency: number } }
  reconcile: { first: RunFigures; second: RunFigures }
  exceptions: Record<string, number>
  verified: { ok: boolean; problems: string[] }
}

interface Phase {
  events: number
  seconds: number
  eventsPerSecond: number
}

interface RunFigures {
  seconds: number
  raised: number
  loadMs: number
  matchMs: number
  writeMs: number
  load: Record<string, number>
}

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
const PEOPLE = 2000

interface PlannedUse {
  device: number
  at: number
  person: number
  level: 'fired' | 'drive_stun' | 'arced'
  cycles: number[]
  hidden: boolean
}

/** Every use, shift and log line of the synthetic force, from a fixed seed. */
function plan(options: ReconciliationOptions, now: number) {
  const rng = createRandom(2026)
  // One use in a hundred goes unreported, so plan enough uses for the reports wanted.
  const planned = Math.round(options.reports * 1.0101)
  const perDevice = Math.ceil(planned / options.devices)
  const start = now - 365 * DAY
  const step = (360 * DAY) / perDevice
  const uses: PlannedUse[] = []
  for (let d = 0; d < options.devices; d++) {
    for (let k = 0; k < perDevice && uses.length < planned; k++) {
      const level = rng.weighted([
        ['fired', 70],
        ['drive_stun', 15],
        ['arced', 15],
      ] as const)
      uses.push({
        device: d,
        at: Math.floor((start + k * step + ((d * 37) % 97) * MIN * 10 + rng.int(0, 3 * HOUR)) / 1000) * 1000,
        person: (d * 7 + k * 13) % PEOPLE,
        level,
        cycles: level === 'arced' ? [1.5] : level === 'fired' && rng.chance(0.1) ? [5, 5] : [level === 'fired' ? 5 : 3],
        hidden: rng.chance(0.01),
      })
    }
  }
  return { uses, start, rng }
}

function deviceSerial(d: number): string {
  return `BX2-${String(d).padStart(6, '0')}`
}

export async function reconciliationBenchmark(
  options: ReconciliationOptions,
  postgres: { url: string } | null,
): Promise<ReconciliationResult | { skipped: string }> {
  if (!postgres) return { skipped: 'PostgreSQL is not available: this benchmark runs on PostgreSQL only' }
  const name = databaseName('reconciliation')
  const url = await createDatabase(postgres.url, name)
  const handle = await openDatabase({ kind: 'postgres', url })
  try {
    return await measure(handle.db, options)
  } finally {
    await handle.close()
    await dropDatabase(postgres.url, name).catch(() => undefined)
  }
}

async function measure(db: Db, options: ReconciliationOptions): Promise<ReconciliationResult> {
  const now = Date.now()
  const clock = systemClock
  console.log('  set-up: migrating, and writing the force, its people, devices, shifts and reports…')
  await migrateToLatest(db)
  const forceId = await createForce(db, clock, { code: 'bench', name: 'Benchmark Constabulary' })
  const { uses, start, rng } = plan(options, now)
  const actor = await setUp(db, forceId, uses, options)
  const hidden = uses.filter((u) => u.hidden).length
  const reported = uses.length - hidden

  // Device logs, written as download stations would (not timed), then imported through the service (timed).
  console.log('  set-up: writing the device logs…')
  const files: { name: string; bytes: Uint8Array; events: number }[] = []
  const usesOf = new Map<number, PlannedUse[]>()
  for (const u of uses) usesOf.set(u.device, [...(usesOf.get(u.device) ?? []), u])
  const downloadedAt = now - DAY
  const cameraLines: string[] = []
  let expectedDrift = 0
  for (let d = 0; d < options.devices; d++) {
    const lines: { at: number; line: Omit<DeviceLogLine, 'seq' | 'at'> }[] = []
    const add = (at: number, line: Omit<DeviceLogLine, 'seq' | 'at'>) => lines.push({ at, line })
    for (const u of usesOf.get(d) ?? []) {
      const issued = u.at - 2 * HOUR
      add(issued + 2 * MIN - 3000, { kind: 'armed', battery: 95, temperature: 18 })
      add(issued + 2 * MIN, { kind: 'arc', durationS: 1, battery: 95 })
      add(issued + 2 * MIN + 5000, { kind: 'safe', durationS: 8, battery: 95, temperature: 18 })
      add(u.at - 20_000, { kind: 'armed', battery: 90, temperature: 18 })
      let t = u.at
      for (const seconds of u.cycles) {
        add(t, { kind: u.level === 'arced' ? 'arc' : 'trigger', durationS: seconds, battery: 90 })
        t += seconds * 1000 + 2000
      }
      add(t + 20_000, { kind: 'safe', durationS: Math.round((t + 40_000 - u.at) / 100) / 10, battery: 89 })
      cameraLines.push(
        [
          `BWV-${u.person}`,
          `B${u.person}`,
          iso(u.at - 30_000),
          iso(t + 60_000),
          'taser_armed',
          `EVD-${d}-${u.at}`,
        ].join(','),
      )
    }
    // Monthly syncs: the clock drifts steadily between them, up to ±20 ppm (±52 s a month).
    const ppm = rng.int(-20, 20)
    const syncs: number[] = []
    for (let s = start - DAY; s < downloadedAt; s += 30 * DAY) syncs.push(s)
    const filler = options.eventsPerDevice - lines.length - syncs.length
    const routine = ['power_save', 'usb_connection', 'flashlight_on', 'flashlight_off'] as const
    for (let i = 0; i < filler; i++)
      add(start + rng.int(0, 360) * DAY + rng.int(0, DAY - 1), { kind: routine[i % routine.length] ?? 'power_save' })
    lines.sort((a, b) => a.at - b.at)
    // Device clock: right at each sync, then drifting until the next.
    const clockOf = (t: number) => {
      let last = syncs[0] ?? t
      for (const s of syncs) if (s <= t) last = s
      return Math.round(t + ((t - last) * ppm) / 1e6)
    }
    const out: DeviceLogLine[] = []
    let seq = 1
    let next = 0
    for (const entry of lines) {
      while (next < syncs.length && (syncs[next] ?? Infinity) <= entry.at) {
        const s = syncs[next] as number
        out.push({ seq: seq++, at: clockOf(s - 1), kind: 'time_sync', trueAt: s })
        next++
      }
      out.push({ ...entry.line, seq: seq++, at: clockOf(entry.at) } as DeviceLogLine)
    }
    for (const s of syncs.slice(next)) out.push({ seq: seq++, at: clockOf(s - 1), kind: 'time_sync', trueAt: s })
    for (const line of out)
      if (line.kind === 'time_sync' && Math.abs(line.at - (line.trueAt ?? line.at)) > 60_000) expectedDrift++
    if (Math.abs(clockOf(downloadedAt) - downloadedAt) > 60_000) expectedDrift++
    const text = writeDeviceLog(
      {
        deviceSerial: deviceSerial(d),
        deviceModel: 'x2',
        firmware: '3.2.1',
        downloadedAt,
        deviceClockAtDownload: clockOf(downloadedAt),
        downloadedBy: 'bench-lead',
      },
      out,
    )
    files.push({ name: `${deviceSerial(d)}.log`, bytes: new TextEncoder().encode(text), events: out.length })
  }
  const totalEvents = files.reduce((n, f) => n + f.events, 0)

  // Sequential: one download station. Half the files, so the concurrent run has files of its own to import.
  const half = Math.floor(files.length / 2)
  const deps = { db, clock }
  console.log(`  importing ${half} device logs one at a time…`)
  const t0 = performance.now()
  let sequentialEvents = 0
  for (const file of files.slice(0, half)) {
    const outcome = await importDeviceLog(deps, actor, forceId, file)
    if (outcome.status !== 'imported') throw new Error(`benchmark: ${file.name} was ${outcome.status}`)
    sequentialEvents += outcome.newEvents
  }
  const sequentialSeconds = (performance.now() - t0) / 1000
  console.log(`  importing ${files.length - half} device logs, ${options.importConcurrency} at a time…`)
  const queue = files.slice(half)
  const t1 = performance.now()
  let concurrentEvents = 0
  await Promise.all(
    Array.from({ length: options.importConcurrency }, async () => {
      for (let file = queue.shift(); file; file = queue.shift()) {
        const outcome = await importDeviceLog(deps, actor, forceId, file)
        if (outcome.status !== 'imported') throw new Error(`benchmark: ${file.name} was ${outcome.status}`)
        concurrentEvents += outcome.newEvents
      }
    }),
  )
  const concurrentSeconds = (performance.now() - t1) / 1000

  console.log('  set-up: importing camera recordings…')
  const camera = await importCameraEvents(deps, actor, forceId, {
    name: 'bench-bwv.csv',
    bytes: new TextEncoder().encode([CAMERA_COLUMNS, ...cameraLines].join('\n')),
  })
  if (camera.status !== 'imported') throw new Error(`benchmark: camera recordings were ${camera.status}`)
  await sql`vacuum analyze`.execute(db)

  console.log('  reconciling the whole force…')
  const first = await timedRun(deps, actor, forceId)
  console.log('  reconciling again (nothing should change)…')
  const second = await timedRun(deps, actor, forceId)

  const { rows } = await sql<{ kind: string; n: number }>`
    select kind, count(*)::int as n from reconciliation_exceptions where force_id = ${forceId}::uuid group by kind`.execute(
    db,
  )
  const exceptions = Object.fromEntries(rows.map((r) => [r.kind, r.n]))
  const problems: string[] = []
  const unreported = (exceptions.unreported_discharge ?? 0) + (exceptions.unreported_arc ?? 0)
  if (unreported !== hidden) problems.push(`${unreported} unreported uses found, ${hidden} hidden`)
  if ((exceptions.clock_drift ?? 0) !== expectedDrift)
    problems.push(`${exceptions.clock_drift ?? 0} clock drift exceptions, ${expectedDrift} expected`)
  for (const kind of Object.keys(exceptions))
    if (!['unreported_discharge', 'unreported_arc', 'clock_drift'].includes(kind))
      problems.push(`${exceptions[kind]} unexpected ${kind} exceptions`)
  if (second.raised !== 0) problems.push(`the second run raised ${second.raised}`)
  if (totalEvents !== sequentialEvents + concurrentEvents) problems.push('not every event was imported')

  const phase = (events: number, seconds: number): Phase => ({ events, seconds, eventsPerSecond: events / seconds })
  return {
    events: totalEvents,
    reports: reported,
    hidden,
    import: {
      sequential: phase(sequentialEvents, sequentialSeconds),
      concurrent: { ...phase(concurrentEvents, concurrentSeconds), concurrency: options.importConcurrency },
    },
    reconcile: { first, second },
    exceptions,
    verified: { ok: problems.length === 0, problems },
  }
}

const IMPORT_TARGET = 50_000
const RECONCILE_TARGET_S = 10

/** Runs the benchmark, prints its figures against the issue's targets and saves them; false when it failed. */
export async function reconciliationMain(
  postgres: { url: string } | null,
  save: (data: unknown) => Promise<string>,
  options: ReconciliationOptions = defaultReconciliationOptions,
): Promise<boolean> {
  console.log(
    `\n${'='.repeat(100)}\nreconciliation: ${options.devices} devices × ${options.eventsPerDevice} events, ${options.reports.toLocaleString('en-GB')} reports`,
  )
  const result = await reconciliationBenchmark(options, postgres)
  if ('skipped' in result && result.skipped) {
    console.log(`  skipped: ${result.skipped}`)
    return true
  }
  const r = result as ReconciliationResult
  const n = (x: number) => Math.round(x).toLocaleString('en-GB')
  const s = (x: number) => x.toFixed(2)
  const verdict = (ok: boolean) => (ok ? 'MET' : 'MISSED')
  console.log(`  events ${n(r.events)}; reports ${n(r.reports)} (${n(r.hidden)} uses left unreported on purpose)`)
  console.log(
    `  import, one at a time:     ${n(r.import.sequential.events)} events in ${s(r.import.sequential.seconds)} s = ` +
      `${n(r.import.sequential.eventsPerSecond)} events/s — target ≥ ${n(IMPORT_TARGET)}/s: ` +
      verdict(r.import.sequential.eventsPerSecond >= IMPORT_TARGET),
  )
  console.log(
    `  import, ${r.import.concurrent.concurrency} at a time:       ${n(r.import.concurrent.events)} events in ` +
      `${s(r.import.concurrent.seconds)} s = ${n(r.import.concurrent.eventsPerSecond)} events/s`,
  )
  for (const [label, run] of [
    ['reconcile (first run)', r.reconcile.first],
    ['reconcile (second run)', r.reconcile.second],
  ] as const)
    console.log(
      `  ${label.padEnd(26)} ${s(run.seconds)} s (load ${s(run.loadMs / 1000)} s, match ${s(run.matchMs / 1000)} s, ` +
        `write ${s(run.writeMs / 1000)} s), ${n(run.raised)} raised — target < ${RECONCILE_TARGET_S} s: ` +
        verdict(run.seconds < RECONCILE_TARGET_S) +
        `\n      loads: ${Object.entries(run.load)
          .map(([k, v]) => `${k} ${s(v / 1000)} s`)
          .join(', ')}`,
    )
  console.log(
    `  exceptions: ${
      Object.entries(r.exceptions)
        .map(([k, v]) => `${k} ${n(v)}`)
        .join(', ') || 'none'
    }`,
  )
  console.log(
    r.verified.ok
      ? '  Verified: every hidden use found as unreported, nothing else raised but the drift expected, second run raised nothing.'
      : `  Verification FAILED: ${r.verified.problems.join('; ')}`,
  )
  const file = await save({ benchmark: 'reconciliation', machine: machine(), code: revision(repoRoot), options, ...r })
  console.log(`  Saved ${file}`)
  return r.verified.ok
}

async function timedRun(deps: { db: Db; clock: typeof systemClock }, actor: Actor, forceId: string) {
  const t = performance.now()
  const summary: RunSummary = await runReconciliation(deps, actor, forceId)
  return {
    seconds: (performance.now() - t) / 1000,
    raised: summary.raised,
    ...summary.timings,
  }
}

/** People, an account, devices, shifts and reports, written in bulk with `unnest` (not timed). */
async function setUp(db: Db, forceId: string, uses: PlannedUse[], options: ReconciliationOptions): Promise<Actor> {
  const unit = await db.selectFrom('org_units').select('id').where('force_id', '=', forceId).executeTakeFirstOrThrow()
  const userId = randomUUID()
  await db
    .insertInto('users')
    .values({
      id: userId,
      force_id: forceId,
      username: 'bench-lead',
      display_name: 'Bench lead',
      updated_at: new Date(),
    })
    .execute()
  await db.insertInto('user_roles').values({ user_id: userId, role: 'taser_lead' }).execute()
  const people = Array.from({ length: PEOPLE }, () => randomUUID())
  await sql`
    insert into personnel (id, force_id, unit_id, collar_number, given_name, family_name, rank, status, joined_on)
    select p.id, ${forceId}::uuid, ${unit.id}::uuid, 'B' || (p.n - 1), 'Officer', 'B' || (p.n - 1), 'constable',
      'regular', date '2015-04-01'
    from unnest(${people}::uuid[]) with ordinality as p(id, n)`.execute(db)
  const devices = Array.from({ length: options.devices }, () => randomUUID())
  await sql`
    insert into ced_devices (id, force_id, serial, model, firmware, status, created_at)
    select d.id, ${forceId}::uuid, 'BX2-' || lpad((d.n - 1)::text, 6, '0'), 'x2', '3.2.1', 'in_service',
      now() - interval '2 years'
    from unnest(${devices}::uuid[]) with ordinality as d(id, n)`.execute(db)

  const iso = (ms: number) => new Date(ms).toISOString()
  for (let i = 0; i < uses.length; i += 10_000) {
    const batch = uses.slice(i, i + 10_000)
    await sql`
      insert into ced_device_issues (force_id, device_id, person_id, issued_at, spark_test_at, spark_test_passed,
        returned_at)
      select ${forceId}::uuid, t.device_id, t.person_id, t.at - interval '2 hours', t.at - interval '118 minutes',
        true, t.at + interval '6 hours'
      from unnest(${batch.map((u) => devices[u.device])}::uuid[], ${batch.map((u) => people[u.person])}::uuid[],
        ${batch.map((u) => iso(u.at))}::timestamptz[]) as t(device_id, person_id, at)`.execute(db)
    const reported = batch.filter((u) => !u.hidden)
    const ids = reported.map(() => [randomUUID(), randomUUID(), randomUUID(), randomUUID()] as const)
    const levels = reported.map((u) => `{drawn,aimed,${u.level}}`)
    await sql`
      with t as (
        select * from unnest(${ids.map((x) => x[0])}::uuid[], ${ids.map((x) => x[1])}::uuid[],
          ${ids.map((x) => x[2])}::uuid[], ${ids.map((x) => x[3])}::uuid[],
          ${reported.map((u) => iso(u.at - (u.at % 7) * 60_000))}::timestamptz[],
          ${reported.map((u) => people[u.person])}::uuid[], ${reported.map((u) => deviceSerial(u.device))}::text[],
          ${levels}::text[], ${reported.map((u) => u.level)}::text[],
          ${reported.map((u) => (u.level === 'arced' ? 0 : u.cycles.length))}::int[],
          ${reported.map((u) => (u.level === 'arced' ? 0 : u.cycles.reduce((a, b) => a + b, 0)))}::numeric[],
          ${reported.map((u) => `EVD-${u.device}-${u.at}`)}::text[])
          with ordinality as t(incident_id, subject_id, report_id, use_id, occurred_at, person_id, serial, levels,
            highest, cycles, total, footage, n)
      ),
      i as (
        insert into incidents (id, force_id, reference, occurred_at, location_types, location_mask, area, planned,
          created_by)
        select incident_id, ${forceId}::uuid, 'B-' || ${i}::int + n, occurred_at, '{street}', 1, 'Bench', false,
          ${userId}::uuid from t
      ),
      s as (
        insert into subjects (id, force_id, incident_id, label, age_band, gender, perceived_ethnicity,
          health_condition)
        select subject_id, ${forceId}::uuid, incident_id, 'Person 1', 'age_18_34', 'male', 'white', 'none' from t
      ),
      r as (
        insert into reports (id, force_id, incident_id, subject_id, officer_person_id, officer_unit_id,
          reporter_user_id, version, occurred_at, submitted_at, tactic_mask, reasons, reason_mask, impact_factors,
          impact_mask, outcomes, outcome_mask, ced_highest_level, main_duty, single_crewed, ced_trained, ced_carried,
          assaulted_by_subject, threatened_with_weapon, assaulted_with_weapon, subject_conduct, officer_injured,
          intentional_assault, officer_medical_provided, subject_injured, subject_medical_offered,
          subject_medical_provided, bwv_activated, bwv_reference, justification, de_escalation)
        select report_id, ${forceId}::uuid, incident_id, subject_id, person_id, ${unit.id}::uuid, ${userId}::uuid, 1,
          occurred_at, occurred_at + interval '2 hours', 1, '{protect_self}', 1, '{}', 0, '{arrested}', 1, highest,
          'patrol', false, true, true, false, false, false, 'aggressive_resistance', 'no', 'no', false, 'no', true,
          false, true, footage, 'Benchmark.', 'Benchmark.'
        from t
      ),
      u as (
        insert into report_ced_uses (id, report_id, seq, device_serial, device_model, levels, highest_level,
          drive_stun_repeat, cartridges, cycle_count, longest_cycle_seconds, total_cycle_seconds,
          repeat_cycle_same_cartridge, probe_miss, probe_sites, warning_given, effective, medical_check,
          footage_reference)
        select use_id, report_id, 1, serial, 'x2', levels::text[], highest, false, '[]', cycles, null, total, false,
          'none', '{}', true, true, true, footage
        from t
      )
      insert into report_ced_cycles (ced_use_id, seq, seconds, extended, interrupted)
      select t.use_id, c.n, t.total / t.cycles, false, false from t cross join lateral generate_series(1, t.cycles) as c(n)`.execute(
      db,
    )
  }
  await sql`analyze`.execute(db)
  return { ...systemActor, userId, label: 'bench-lead' }
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z')
}
