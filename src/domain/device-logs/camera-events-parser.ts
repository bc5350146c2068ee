import { decodeUtf8, LineErrors, type LineError } from '../imports/line-errors.js'
import { parseUtc } from './timestamps.js'

/** The body-worn camera recordings file (docs/camera-events-format.md): a CSV with one recording per line. */
export const CAMERA_COLUMNS =
  'camera_serial,officer_collar_number,recording_started_at,recording_ended_at,activation,footage_reference'

export const cameraActivations = ['manual', 'taser_armed', 'other'] as const
export type CameraActivation = (typeof cameraActivations)[number]

/** A recording can run for a whole shift, not longer. */
const MAX_RECORDING_MS = 24 * 3600 * 1000

export interface CameraRecording {
  line: number
  cameraSerial: string
  collarNumber: string
  /** Milliseconds since the epoch. */
  startedAt: number
  endedAt: number
  activation: CameraActivation
  footageReference: string | null
}

export type CameraEventsParse = { ok: true; recordings: CameraRecording[] } | { ok: false; errors: LineError[] }

const SERIAL = /^[A-Za-z0-9][A-Za-z0-9-]{0,39}$/
const COLLAR = /^[A-Za-z0-9]{1,20}$/
const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9/_.-]{0,99}$/

/** Parses a camera-events file. Never throws on bad input: every problem comes back as a line error. */
export function parseCameraEvents(input: Uint8Array | string): CameraEventsParse {
  const text = typeof input === 'string' ? input : decodeUtf8(input)
  if (text === null) return { ok: false, errors: [{ line: 1, message: 'The file must be UTF-8 text' }] }
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l))
  while (lines.length > 1 && lines[lines.length - 1]?.trim() === '') lines.pop()
  const errors = new LineErrors()
  if ((lines[0] ?? '').trim() !== CAMERA_COLUMNS) {
    errors.add(1, `The first line must be “${CAMERA_COLUMNS}”`)
    return { ok: false, errors: errors.list }
  }
  const recordings: CameraRecording[] = []
  for (let n = 2; n <= lines.length && !errors.full; n++) {
    const cells = (lines[n - 1] ?? '').split(',').map((c) => c.trim())
    if (cells.length !== 6) {
      errors.add(n, `A line has 6 fields separated by commas; this one has ${cells.length}`)
      continue
    }
    const [cameraSerial, collarNumber, started, ended, activation, reference] = cells as [
      string,
      string,
      string,
      string,
      string,
      string,
    ]
    const before = errors.list.length
    if (!SERIAL.test(cameraSerial)) errors.add(n, 'camera_serial must be letters, digits and hyphens, up to 40')
    if (!COLLAR.test(collarNumber)) errors.add(n, 'officer_collar_number must be letters and digits, up to 20')
    const startedAt = parseUtc(started)
    if (startedAt === null) errors.add(n, 'recording_started_at must be a UTC time like 2026-11-01T06:58:12Z')
    const endedAt = parseUtc(ended)
    if (endedAt === null) errors.add(n, 'recording_ended_at must be a UTC time like 2026-11-01T07:20:00Z')
    if (startedAt !== null && endedAt !== null && (endedAt < startedAt || endedAt - startedAt > MAX_RECORDING_MS))
      errors.add(n, 'recording_ended_at must be after recording_started_at, and within 24 hours of it')
    if (!(cameraActivations as readonly string[]).includes(activation))
      errors.add(n, `activation must be one of ${cameraActivations.join(', ')}`)
    if (reference !== '' && !REFERENCE.test(reference))
      errors.add(n, 'footage_reference must be letters, digits and / _ . -, up to 100')
    if (errors.list.length > before || startedAt === null || endedAt === null) continue
    recordings.push({
      line: n,
      cameraSerial,
      collarNumber,
      startedAt,
      endedAt,
      activation: activation as CameraActivation,
      footageReference: reference === '' ? null : reference,
    })
  }
  if (!errors.any && recordings.length === 0) errors.add(1, 'The file has no recordings')
  return errors.any ? { ok: false, errors: errors.list } : { ok: true, recordings }
}
