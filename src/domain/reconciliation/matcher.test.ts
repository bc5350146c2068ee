import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { CedLevel } from '../use-of-force/ced.js'
import { clockCorrector } from './device-clock.js'
import {
  downloadFindings,
  footageFindings,
  hasRecording,
  reconcileDevice,
  type CameraData,
  type DeviceEvent,
  type DeviceInput,
  type Finding,
  type ReconciliationSettings,
  type ReportedUse,
} from './matcher.js'

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
const T0 = Date.parse('2026-03-01T00:00:00Z')
const settings: ReconciliationSettings = {
  windowMs: 30 * MIN,
  driftThresholdMs: 60_000,
  sparkTestMs: 10 * MIN,
  downloadPeriodDays: 31,
}

/** A use as the generator plans it: what happened on the device, what the officer reported, and what we hide. */
interface PlannedUse {
  level: 'fired' | 'drive_stun' | 'arced'
  /** Trigger cycle lengths in tenths of a second (arced uses: arc lengths). */
  cycles: number[]
  /** How far the officer's reported time is from the true time, minutes. */
  reportedOffsetMinutes: number
  hidden: boolean
  /** The camera did not record this armed session. */
  noRecording: boolean
}

interface PlannedShift {
  person: number
  uses: PlannedUse[]
}

interface PlannedDevice {
  /** Clock drift rate, parts per million (fast if positive). */
  ppm: number
  /** How wrong the clock was before the first sync, seconds. */
  initialErrorSeconds: number
  midSync: boolean
  shifts: PlannedShift[]
}

const useArb: fc.Arbitrary<PlannedUse> = fc.record({
  level: fc.constantFrom('fired' as const, 'drive_stun' as const, 'arced' as const),
  cycles: fc.array(fc.constantFrom(50, 23, 65, 12, 51), { minLength: 1, maxLength: 3 }),
  reportedOffsetMinutes: fc.integer({ min: -25, max: 25 }),
  hidden: fc.boolean(),
  noRecording: fc.boolean(),
})

const deviceArb: fc.Arbitrary<PlannedDevice> = fc.record({
  // ±2000 ppm is ±173 s a day: far beyond any real clock, so correction is tested hard.
  ppm: fc.integer({ min: -2000, max: 2000 }),
  initialErrorSeconds: fc.integer({ min: -7200, max: 7200 }),
  midSync: fc.boolean(),
  shifts: fc.array(fc.record({ person: fc.integer({ min: 0, max: 2 }), uses: fc.array(useArb, { maxLength: 2 }) }), {
    minLength: 1,
    maxLength: 8,
  }),
})

interface Built {
  input: DeviceInput
  camera: CameraData
  /** Keys reconciliation must find, and nothing else but clock drift. */
  expected: Set<string>
  expectedDrift: number
}

/** Builds one device's log, issues, reports and camera data from a plan, with the clock drifting as planned. */
function build(plan: PlannedDevice, deviceId = 'device-1'): Built {
  const rate = plan.ppm / 1e6
  const syncs: { seq: number; deviceAt: number; trueAt: number }[] = []
  const events: (DeviceEvent & { trueAt: number })[] = []
  const uses: ReportedUse[] = []
  const recordings = new Map<string, { startedAt: number; endedAt: number }[]>()
  const expected = new Set<string>()
  let seq = 100
  let lastSync = T0 - HOUR
  let deviceClockWrong = plan.initialErrorSeconds * 1000
  const deviceTime = (t: number) => t + deviceClockWrong + rate * (t - lastSync)
  const push = (kind: DeviceEvent['kind'], t: number, durationMs: number | null = null) => {
    const event = { seq: seq++, at: Math.round(deviceTime(t)), kind, durationMs, trueAt: t }
    events.push(event)
    return event
  }
  const sync = (t: number) => {
    const event = push('time_sync', t)
    syncs.push({ seq: event.seq, deviceAt: event.at, trueAt: t })
    lastSync = t
    deviceClockWrong = 0
  }
  sync(T0 - HOUR)
  const measurements: number[] = [plan.initialErrorSeconds * 1000]
  const issues = plan.shifts.map((shift, day) => {
    if (plan.midSync && day === Math.floor(plan.shifts.length / 2)) {
      const t = T0 + day * DAY + 3 * HOUR
      measurements.push(Math.round(deviceTime(t)) - t)
      sync(t)
    }
    const issuedAt = T0 + day * DAY + 7 * HOUR
    const personId = `person-${shift.person}`
    const sparkTestAt = issuedAt + 2 * MIN
    push('armed', sparkTestAt - 5000)
    push('arc', sparkTestAt, 1000)
    push('safe', sparkTestAt + 10_000, 15_000)
    shift.uses.forEach((use, n) => {
      const at = issuedAt + HOUR + n * 5 * HOUR + (day % 3) * 20 * MIN
      const armed = push('armed', at - 20_000)
      let t = at
      let firstSeq: number | null = null
      for (const tenths of use.cycles) {
        const e = push(use.level === 'arced' ? 'arc' : 'trigger', t, tenths * 100)
        firstSeq ??= e.seq
        t += tenths * 100 + 1500
      }
      push('safe', t + 30_000, t + 30_000 - (at - 20_000))
      const durations = use.cycles.map((c) => c * 100)
      if (!use.noRecording) {
        const list = recordings.get(personId) ?? []
        list.push({ startedAt: at - 25_000, endedAt: t + 90_000 })
        recordings.set(personId, list)
      } else {
        expected.add(`no-recording:${deviceId}:${armed.seq}`)
      }
      if (use.hidden) {
        expected.add(`unreported:${deviceId}:${firstSeq}`)
        return
      }
      uses.push({
        reportId: `report-${day}-${n}`,
        seq: 1,
        officerPersonId: personId,
        occurredAt: at + use.reportedOffsetMinutes * MIN,
        levels: (use.level === 'arced' ? ['drawn', 'arced'] : ['drawn', 'aimed', use.level]) as CedLevel[],
        cycleCount: use.level === 'arced' ? 0 : durations.length,
        totalCycleMs: use.level === 'arced' ? 0 : durations.reduce((a, b) => a + b, 0),
        extendedCycles: use.level === 'arced' ? 0 : durations.filter((d) => d > 5000).length,
        footageReference: 'EVD-1',
      })
    })
    return { personId, issuedAt, returnedAt: issuedAt + 10 * HOUR, sparkTestAt }
  })
  const downloadedAt = T0 + plan.shifts.length * DAY + HOUR
  const deviceClockAtDownload = Math.round(deviceTime(downloadedAt))
  measurements.push(deviceClockAtDownload - downloadedAt)
  return {
    input: {
      deviceId,
      events,
      syncs,
      issues,
      uses,
      downloads: [
        {
          importId: 'import-1',
          firstAt: events[0]?.at ?? 0,
          lastSeq: seq - 1,
          downloadedAt,
          deviceClockAtDownload,
        },
      ],
    },
    camera: { recordings, coverage: [{ from: T0 - DAY, to: T0 + 30 * DAY }] },
    expected,
    expectedDrift: measurements.filter((m) => Math.abs(m) > settings.driftThresholdMs).length,
  }
}

const keysOf = (findings: Finding[]) => new Set(findings.filter((f) => f.kind !== 'clock_drift').map((f) => f.key))

describe('reconcileDevice (property)', () => {
  it('finds every hidden report as an unreported use and raises nothing for a reported one, despite drift', () => {
    fc.assert(
      fc.property(deviceArb, (plan) => {
        const built = build(plan)
        const findings = reconcileDevice(built.input, built.camera, settings)
        expect(keysOf(findings)).toEqual(built.expected)
        expect(findings.filter((f) => f.kind === 'clock_drift')).toHaveLength(built.expectedDrift)
        // Hidden uses are attributed to the officer who held the device.
        for (const f of findings.filter((f) => f.kind.startsWith('unreported'))) expect(f.personId).toMatch(/^person-/)
      }),
      { numRuns: 300 },
    )
  })

  it('gives the same keys when run again (stable keys)', () => {
    fc.assert(
      fc.property(deviceArb, (plan) => {
        const built = build(plan)
        const first = reconcileDevice(built.input, built.camera, settings).map((f) => f.key)
        const second = reconcileDevice(built.input, built.camera, settings).map((f) => f.key)
        expect(second).toEqual(first)
        expect(new Set(first).size).toBe(first.length)
      }),
      { numRuns: 50 },
    )
  })
})

describe('reconcileDevice (examples)', () => {
  const onePlan = (use: Partial<PlannedUse>, extra: Partial<PlannedDevice> = {}): PlannedDevice => ({
    ppm: 0,
    initialErrorSeconds: 0,
    midSync: false,
    shifts: [
      {
        person: 0,
        uses: [{ level: 'fired', cycles: [50], reportedOffsetMinutes: 0, hidden: false, noRecording: false, ...use }],
      },
    ],
    ...extra,
  })

  it('flags more cycles, a longer total and an unreported extended cycle than the report records', () => {
    const built = build(onePlan({ cycles: [50, 65] }))
    const use = built.input.uses[0]!
    const under = { ...use, cycleCount: 1, totalCycleMs: 5000, extendedCycles: 0 }
    const findings = reconcileDevice({ ...built.input, uses: [under] }, built.camera, settings)
    expect(findings.map((f) => [f.kind, f.details])).toEqual([
      ['more_cycles_than_reported', { deviceCycles: 2, reportedCycles: 1 }],
      ['longer_than_reported', { deviceSeconds: 11.5, reportedSeconds: 5 }],
      ['extended_cycle_not_reported', { longestSeconds: 6.5, reportedExtended: 0 }],
    ])
  })

  it('flags a reported discharge with no device event, but only where a downloaded log covers the time', () => {
    const built = build(onePlan({}))
    const use = built.input.uses[0]!
    const ghost = { ...use, reportId: 'ghost', occurredAt: use.occurredAt + 3 * HOUR }
    const outside = { ...use, reportId: 'before-the-log', occurredAt: T0 - 10 * DAY }
    const findings = reconcileDevice({ ...built.input, uses: [use, ghost, outside] }, built.camera, settings)
    expect(findings.map((f) => f.key)).toEqual(['no-event:ghost:1'])
  })

  it('does not match a use reported by an officer who did not hold the device', () => {
    const built = build(onePlan({}))
    const other = { ...built.input.uses[0]!, officerPersonId: 'person-9' }
    const kinds = reconcileDevice({ ...built.input, uses: [other] }, built.camera, settings).map((f) => f.kind)
    expect(kinds.sort()).toEqual(['reported_without_event', 'unreported_discharge'])
  })

  it('takes a recorded unintentional discharge as accounting for the trigger pulls near it', () => {
    const built = build(onePlan({ hidden: true }))
    const at = built.input.events.find((e) => e.kind === 'trigger')?.at ?? 0
    const alone = reconcileDevice(built.input, built.camera, settings).map((f) => f.kind)
    expect(alone).toEqual(['unreported_discharge'])
    const recorded = reconcileDevice({ ...built.input, unintentional: [at + 10 * MIN] }, built.camera, settings)
    expect(recorded).toEqual([])
    const tooFar = reconcileDevice({ ...built.input, unintentional: [at + 3 * HOUR] }, built.camera, settings)
    expect(tooFar.map((f) => f.kind)).toEqual(['unreported_discharge'])
  })

  it('matches nothing outside the window, and the spark test at issue is never an exception', () => {
    const built = build(onePlan({ reportedOffsetMinutes: 25 }))
    const late = { ...built.input.uses[0]!, occurredAt: built.input.uses[0]!.occurredAt + 10 * MIN }
    const kinds = reconcileDevice({ ...built.input, uses: [late] }, built.camera, settings).map((f) => f.kind)
    expect(kinds.sort()).toEqual(['reported_without_event', 'unreported_discharge'])
  })

  it('flags clock drift beyond the threshold at a sync or at download, with the drift in seconds', () => {
    const built = build(onePlan({}, { initialErrorSeconds: 90 }))
    const drift = reconcileDevice(built.input, built.camera, settings).filter((f) => f.kind === 'clock_drift')
    expect(drift.map((f) => f.details)).toEqual([{ driftSeconds: 90, measuredAt: 'time sync' }])
  })
})

describe('clockCorrector', () => {
  it('interpolates between a sync and the next measurement, and steps before the first sync', () => {
    const correct = clockCorrector([
      { seq: 10, deviceAt: 1_000_000 + 50_000, trueAt: 1_000_000, resets: true },
      { seq: 20.5, deviceAt: 2_000_000 + 10_000, trueAt: 2_000_000, resets: false },
    ])
    expect(correct(5, 500_000)).toBe(500_000 - 50_000)
    expect(correct(15, 1_500_000 + 5_000)).toBe(1_500_000)
    expect(correct(20, 2_000_000 + 10_000)).toBe(2_000_000)
    expect(correct(30, 3_000_000)).toBe(3_000_000)
  })
})

describe('hasRecording, footage and downloads', () => {
  it('counts a recording within 30 s either side of an armed session', () => {
    const recordings = [
      { startedAt: 0, endedAt: 1000 },
      { startedAt: 100_000, endedAt: 200_000 },
    ]
    expect(hasRecording(recordings, 210_000, 220_000)).toBe(true)
    expect(hasRecording(recordings, 240_000, 250_000)).toBe(false)
    expect(hasRecording(recordings, 50_000, 60_000)).toBe(false)
    expect(hasRecording([], 0, 1)).toBe(false)
  })

  it('flags a reported use with no footage reference', () => {
    const use: ReportedUse & { deviceId: string | null } = {
      reportId: 'r',
      seq: 2,
      officerPersonId: 'p',
      occurredAt: 0,
      levels: ['drawn'],
      cycleCount: 0,
      totalCycleMs: 0,
      extendedCycles: 0,
      footageReference: null,
      deviceId: null,
    }
    expect(footageFindings([use, { ...use, seq: 3, footageReference: 'EVD-1' }]).map((f) => f.key)).toEqual([
      'no-footage:r:2',
    ])
  })

  it('flags a device past its download period, keyed by the day it fell due', () => {
    const now = Date.parse('2026-05-10T12:00:00Z')
    const findings = downloadFindings(
      [
        { deviceId: 'late', lastDownloadAt: Date.parse('2026-04-01T09:00:00Z'), inServiceSince: 0 },
        { deviceId: 'fine', lastDownloadAt: Date.parse('2026-04-20T09:00:00Z'), inServiceSince: 0 },
      ],
      now,
      { downloadPeriodDays: 31 },
    )
    expect(findings.map((f) => [f.key, f.details])).toEqual([
      ['not-downloaded:late:2026-05-02', { lastDownloaded: '2026-04-01', daysOverdue: 8 }],
    ])
  })
})
