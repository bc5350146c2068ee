/**
 * Correcting a device's clock. A measurement is a moment when both the device clock and the true time are known: a
 * time sync (after which the device clock is right) or a download (which leaves the clock alone). Drift is device
 * clock minus true time.
 *
 * Between a sync and the next measurement the drift grows in proportion to the time elapsed (a quartz clock runs
 * fast or slow at a steady rate), so an event's drift is interpolated. Before the first sync we cannot know when
 * the clock was last right, so the first measured drift applies unchanged (a step). Measurements are placed by the
 * device's record number (`seq`), not by its clock, which may jump at a sync or a reset.
 */
export interface ClockMeasurement {
  /** The device record number it comes after: a sync's own seq, or a download's last seq plus a half. */
  seq: number
  /** The device clock's reading, milliseconds. */
  deviceAt: number
  /** The true time, milliseconds. */
  trueAt: number
  /** A sync sets the device clock right; a download does not. */
  resets: boolean
}

export function driftOf(m: ClockMeasurement): number {
  return m.deviceAt - m.trueAt
}

/**
 * A corrector for one device: give it events in increasing seq, it returns each event's true time. Linear in the
 * number of events and measurements together.
 */
export function clockCorrector(measurements: readonly ClockMeasurement[]) {
  const sorted = [...measurements].sort((a, b) => a.seq - b.seq)
  let next = 0
  let lastSync: ClockMeasurement | null = null
  let lastSeq = -Infinity
  return (seq: number, deviceAt: number): number => {
    if (seq < lastSeq) throw new Error('clockCorrector: events must come in increasing seq')
    lastSeq = seq
    while (next < sorted.length && (sorted[next]?.seq ?? Infinity) <= seq) {
      const m = sorted[next] as ClockMeasurement
      if (m.resets) lastSync = m
      next++
    }
    const ahead = sorted[next]
    if (!ahead) {
      // After the last measurement: right after a sync, the clock is right; with no sync at all we know nothing.
      return deviceAt
    }
    const drift = driftOf(ahead)
    if (!lastSync) return deviceAt - drift
    // Right after the sync the device clock read lastSync.trueAt; it then drifted steadily until `ahead`.
    const span = ahead.deviceAt - lastSync.trueAt
    if (span <= 0) return deviceAt - drift
    const fraction = Math.min(1, Math.max(0, (deviceAt - lastSync.trueAt) / span))
    return deviceAt - Math.round(drift * fraction)
  }
}
