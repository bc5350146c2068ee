import type { DeviceEventKind } from '../device-logs/device-events.js'
import { isDischarge, type CedLevel } from '../use-of-force/ced.js'
import { clockCorrector, driftOf, type ClockMeasurement } from './device-clock.js'
import type { ExceptionKind } from './exception-kinds.js'

/**
 * Reconciliation's rules, as pure functions over one device at a time: the database side loads a device's events,
 * issues and reported uses, streams them through here in seq order, and stores what comes out. The property tests
 * drive the same functions with generated logs.
 */

export interface ReconciliationSettings {
  /** How far a reported use's time may be from the device's (corrected) activation. */
  windowMs: number
  /** Drift beyond this at a sync or download is an exception. */
  driftThresholdMs: number
  /** An arc this close to the spark test recorded at issue is that test. */
  sparkTestMs: number
  /** A device not downloaded for this long is an exception. */
  downloadPeriodDays: number
}

/** Energy events closer together than this are one activation (the arcs and cycles of one incident). */
export const ACTIVATION_GAP_MS = 120_000
/** Device durations are exact to 0.1 s; an officer's account of the total may be this far under without remark. */
export const DURATION_TOLERANCE_MS = 500
/** A standard cycle lasts 5 s; anything longer was extended by holding the trigger. */
export const STANDARD_CYCLE_MS = 5000
/** A camera's pre-event buffer and the two clocks: a recording this close to an armed session covers it. */
export const CAMERA_SLACK_MS = 30_000

export interface DeviceEvent {
  seq: number
  /** The device clock's reading, milliseconds. */
  at: number
  kind: DeviceEventKind
  durationMs: number | null
}

export interface DeviceIssue {
  personId: string
  issuedAt: number
  returnedAt: number | null
  sparkTestAt: number | null
}

export interface ReportedUse {
  reportId: string
  /** The CED use's position in its report. */
  seq: number
  officerPersonId: string | null
  occurredAt: number
  levels: readonly CedLevel[]
  cycleCount: number
  totalCycleMs: number
  extendedCycles: number
  footageReference: string | null
}

/** An imported log of the device: its download is a clock measurement and it covers a span of time. */
export interface DeviceDownload {
  importId: string
  /** The last seq in that file. */
  lastSeq: number
  /** The device clock's reading at the file's first event. */
  firstAt: number
  downloadedAt: number
  deviceClockAtDownload: number
}

export interface DeviceInput {
  deviceId: string
  /** Events of interest (energy, armed/safe, time syncs), in increasing seq. */
  events: readonly DeviceEvent[]
  /** Time syncs: seq, device clock before, true time set. */
  syncs: readonly { seq: number; deviceAt: number; trueAt: number }[]
  downloads: readonly DeviceDownload[]
  /** In order of issue, not overlapping. */
  issues: readonly DeviceIssue[]
  /** The reported CED uses naming this device. */
  uses: readonly ReportedUse[]
  /** When the armoury recorded an unintentional discharge of this device: each accounts for trigger pulls near it. */
  unintentional?: readonly number[]
}

/** Body-worn camera data: each person's recordings sorted by start, and the spans the imports cover. */
export interface CameraData {
  recordings: ReadonlyMap<string, readonly { startedAt: number; endedAt: number }[]>
  coverage: readonly { from: number; to: number }[]
}

export interface Finding {
  /** Stable: the same fact found again gives the same key. */
  key: string
  kind: ExceptionKind
  deviceId: string | null
  reportId: string | null
  personId: string | null
  /** When it happened (corrected), milliseconds. */
  occurredAt: number
  /** The facts, shown on the exception page; a change in them reopens a resolved exception. */
  details: Record<string, string | number | boolean | null>
}

interface Activation {
  firstSeq: number
  start: number
  end: number
  triggers: number[]
  arcs: number[]
  issue: DeviceIssue | null
}

/** The issue covering a moment, by binary search over issues in order. */
export function issueAt(issues: readonly DeviceIssue[], at: number): DeviceIssue | null {
  let lo = 0
  let hi = issues.length - 1
  let found = -1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if ((issues[mid]?.issuedAt ?? Infinity) <= at) {
      found = mid
      lo = mid + 1
    } else hi = mid - 1
  }
  const issue = issues[found]
  return issue && (issue.returnedAt === null || at < issue.returnedAt) ? issue : null
}

function measurementsOf(input: DeviceInput): ClockMeasurement[] {
  return [
    ...input.syncs.map((s) => ({ seq: s.seq, deviceAt: s.deviceAt, trueAt: s.trueAt, resets: true })),
    ...input.downloads.map((d) => ({
      seq: d.lastSeq + 0.5,
      deviceAt: d.deviceClockAtDownload,
      trueAt: d.downloadedAt,
      resets: false,
    })),
  ]
}

const seconds = (ms: number) => Math.round(ms / 100) / 10
const sum = (list: readonly number[]) => list.reduce((a, b) => a + b, 0)

/** Everything reconciliation finds about one device's log against the reports naming it. */
export function reconcileDevice(input: DeviceInput, camera: CameraData, settings: ReconciliationSettings): Finding[] {
  const findings: Finding[] = []
  const { deviceId } = input
  const measurements = measurementsOf(input)
  const correct = clockCorrector(measurements)

  for (const m of measurements) {
    const drift = driftOf(m)
    if (Math.abs(drift) <= settings.driftThresholdMs) continue
    const download = m.resets ? null : input.downloads.find((d) => d.lastSeq + 0.5 === m.seq)
    findings.push({
      key: `drift:${deviceId}:${download ? `download:${download.importId}` : `sync:${m.seq}`}`,
      kind: 'clock_drift',
      deviceId,
      reportId: null,
      personId: null,
      occurredAt: m.trueAt,
      details: { driftSeconds: seconds(drift), measuredAt: m.resets ? 'time sync' : 'download' },
    })
  }

  // One pass in seq order: correct each event's time, group energy events into activations, pair armed and safe.
  const activations: Activation[] = []
  const sessions: { armedSeq: number; start: number; end: number }[] = []
  let current: Activation | null = null
  let armed: { seq: number; at: number } | null = null
  for (const event of input.events) {
    const at = correct(event.seq, event.at)
    const duration = event.durationMs ?? 0
    if (event.kind === 'trigger' || event.kind === 'arc') {
      if (!current || at - current.end > ACTIVATION_GAP_MS) {
        current = { firstSeq: event.seq, start: at, end: at, triggers: [], arcs: [], issue: issueAt(input.issues, at) }
        activations.push(current)
      }
      current.end = Math.max(current.end, at + duration)
      ;(event.kind === 'trigger' ? current.triggers : current.arcs).push(duration)
    } else if (event.kind === 'armed') {
      armed = { seq: event.seq, at }
    } else if (event.kind === 'safe') {
      // A safe event also says how long the device was armed, which stands in for an armed event lost off the log.
      const start = armed?.at ?? at - duration
      sessions.push({ armedSeq: armed?.seq ?? event.seq, start, end: at })
      armed = null
    }
  }

  const isSparkTest = (issue: DeviceIssue | null, from: number, to: number) =>
    issue?.sparkTestAt != null &&
    issue.sparkTestAt >= from - settings.sparkTestMs &&
    issue.sparkTestAt <= to + settings.sparkTestMs

  // Each activation goes to the nearest reported use by the officer holding the device, within the window.
  const matched = new Map<ReportedUse, Activation[]>()
  for (const activation of activations) {
    const issue = activation.issue
    if (activation.triggers.length === 0 && isSparkTest(issue, activation.start, activation.end)) continue
    let best: ReportedUse | null = null
    if (issue) {
      for (const use of input.uses) {
        if (use.officerPersonId !== issue.personId || !expectsEnergy(use)) continue
        const distance = Math.abs(use.occurredAt - activation.start)
        if (distance <= settings.windowMs && (!best || distance < Math.abs(best.occurredAt - activation.start)))
          best = use
      }
    }
    if (best) {
      matched.set(best, [...(matched.get(best) ?? []), activation])
      continue
    }
    if (input.unintentional?.some((at) => Math.abs(at - activation.start) <= settings.windowMs)) continue
    const discharge = activation.triggers.length > 0
    findings.push({
      key: `unreported:${deviceId}:${activation.firstSeq}`,
      kind: discharge ? 'unreported_discharge' : 'unreported_arc',
      deviceId,
      reportId: null,
      personId: issue?.personId ?? null,
      occurredAt: activation.start,
      details: {
        cycles: activation.triggers.length,
        cycleSeconds: seconds(sum(activation.triggers)),
        arcs: activation.arcs.length,
        issued: issue !== null,
      },
    })
  }

  for (const use of input.uses) {
    if (!expectsEnergy(use)) continue
    const found = matched.get(use) ?? []
    const triggers = found.flatMap((a) => a.triggers)
    const base = {
      deviceId,
      reportId: use.reportId,
      personId: use.officerPersonId,
      occurredAt: use.occurredAt,
    }
    const discharge = use.levels.some(isDischarge)
    if (found.length === 0 || (discharge && triggers.length === 0)) {
      if (covers(input.downloads, use.occurredAt))
        findings.push({
          ...base,
          key: `no-event:${use.reportId}:${use.seq}`,
          kind: 'reported_without_event',
          details: { reported: discharge ? 'discharge' : 'arc', deviceArcs: found.flatMap((a) => a.arcs).length },
        })
      continue
    }
    if (triggers.length > use.cycleCount)
      findings.push({
        ...base,
        key: `cycles:${use.reportId}:${use.seq}`,
        kind: 'more_cycles_than_reported',
        details: { deviceCycles: triggers.length, reportedCycles: use.cycleCount },
      })
    const total = sum(triggers)
    if (total > use.totalCycleMs + DURATION_TOLERANCE_MS)
      findings.push({
        ...base,
        key: `duration:${use.reportId}:${use.seq}`,
        kind: 'longer_than_reported',
        details: { deviceSeconds: seconds(total), reportedSeconds: seconds(use.totalCycleMs) },
      })
    const extended = triggers.filter((d) => d > STANDARD_CYCLE_MS)
    if (extended.length > use.extendedCycles)
      findings.push({
        ...base,
        key: `extended:${use.reportId}:${use.seq}`,
        kind: 'extended_cycle_not_reported',
        details: { longestSeconds: seconds(Math.max(...extended)), reportedExtended: use.extendedCycles },
      })
  }

  for (const session of sessions) {
    const issue = issueAt(input.issues, session.start)
    if (!issue || isSparkTest(issue, session.start, session.end)) continue
    if (!camera.coverage.some((c) => c.from <= session.start && session.end <= c.to)) continue
    if (hasRecording(camera.recordings.get(issue.personId) ?? [], session.start, session.end)) continue
    findings.push({
      key: `no-recording:${deviceId}:${session.armedSeq}`,
      kind: 'armed_without_recording',
      deviceId,
      reportId: null,
      personId: issue.personId,
      occurredAt: session.start,
      details: { armedSeconds: seconds(session.end - session.start) },
    })
  }
  return findings
}

/** A use at a level the device logs as energy: an arc, or a discharge (a trigger cycle). */
function expectsEnergy(use: ReportedUse): boolean {
  return use.levels.some((l) => l === 'arced' || isDischarge(l))
}

/**
 * Whether the imported logs cover a moment: from each log's first event (corrected by the drift measured at its
 * download) to the download. Outside them a missing event proves nothing (the overdue-download check covers that).
 */
function covers(downloads: readonly DeviceDownload[], at: number): boolean {
  return downloads.some((d) => d.firstAt - (d.deviceClockAtDownload - d.downloadedAt) <= at && at <= d.downloadedAt)
}

/** Whether any recording overlaps [from, to], allowing the camera slack either side. */
export function hasRecording(
  recordings: readonly { startedAt: number; endedAt: number }[],
  from: number,
  to: number,
): boolean {
  // Recordings are sorted by start; find the last that starts before the session ends and look back from there.
  let lo = 0
  let hi = recordings.length - 1
  let last = -1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if ((recordings[mid]?.startedAt ?? Infinity) <= to + CAMERA_SLACK_MS) {
      last = mid
      lo = mid + 1
    } else hi = mid - 1
  }
  for (let i = last; i >= 0; i--) {
    const r = recordings[i]
    if (!r) break
    if (r.endedAt >= from - CAMERA_SLACK_MS) return true
    // Recordings last at most a day: nothing earlier can reach this session.
    if (r.startedAt < from - 24 * 3600 * 1000) break
  }
  return false
}

/** Reported CED uses with no body-worn video footage reference. */
export function footageFindings(uses: readonly (ReportedUse & { deviceId: string | null })[]): Finding[] {
  return uses
    .filter((u) => u.footageReference === null)
    .map((u) => ({
      key: `no-footage:${u.reportId}:${u.seq}`,
      kind: 'no_footage_reference' as const,
      deviceId: u.deviceId,
      reportId: u.reportId,
      personId: u.officerPersonId,
      occurredAt: u.occurredAt,
      details: {},
    }))
}

/**
 * Devices in service not downloaded within the policy period. The key names the day the download fell due, so a
 * device that is downloaded and then falls overdue again raises a new exception rather than reopening the old one.
 */
export function downloadFindings(
  devices: readonly { deviceId: string; lastDownloadAt: number | null; inServiceSince: number }[],
  now: number,
  settings: Pick<ReconciliationSettings, 'downloadPeriodDays'>,
): Finding[] {
  const period = settings.downloadPeriodDays * 86_400_000
  const out: Finding[] = []
  for (const d of devices) {
    const last = d.lastDownloadAt ?? d.inServiceSince
    const due = last + period
    if (now <= due) continue
    out.push({
      key: `not-downloaded:${d.deviceId}:${new Date(due).toISOString().slice(0, 10)}`,
      kind: 'not_downloaded',
      deviceId: d.deviceId,
      reportId: null,
      personId: null,
      occurredAt: due,
      details: {
        lastDownloaded: d.lastDownloadAt === null ? 'never' : new Date(d.lastDownloadAt).toISOString().slice(0, 10),
        daysOverdue: Math.floor((now - due) / 86_400_000),
      },
    })
  }
  return out
}
