import { cedDeviceModels, type CedDeviceModel } from '../use-of-force/ced.js'
import { deviceEvents, type DeviceEventKind } from './device-events.js'
import { decodeUtf8, LineErrors, type LineError } from '../imports/line-errors.js'
import { parseUtc } from './timestamps.js'

/** The device-log file format (docs/device-log-format.md): a header, a blank line, then one CSV line per event. */
export const DEVICE_LOG_FORMAT = 'forceledger-device-log/1'
export const EVENT_COLUMNS =
  'seq,timestamp,event,duration_s,battery_pct,temperature_c,cartridge_bay,cartridge_serial,detail'

const headerFields = {
  Format: 'format',
  'Device serial': 'deviceSerial',
  'Device model': 'deviceModel',
  Firmware: 'firmware',
  'Downloaded at': 'downloadedAt',
  'Device clock at download': 'deviceClockAtDownload',
  'Downloaded by': 'downloadedBy',
} as const
type HeaderKey = (typeof headerFields)[keyof typeof headerFields]

export interface DeviceLogHeader {
  deviceSerial: string
  deviceModel: CedDeviceModel
  firmware: string
  /** Milliseconds since the epoch, by the download station's clock. */
  downloadedAt: number
  /** The device clock's reading at the same moment. */
  deviceClockAtDownload: number
  downloadedBy: string
  /** The line each header field is on, so checks against the database can name it. */
  lines: Record<HeaderKey, number>
}

/**
 * The events as columns, one array per field: a million events are a dozen arrays rather than a million objects,
 * and go to the database as `unnest` arrays without being reshaped.
 */
export interface DeviceLogEvents {
  count: number
  line: number[]
  seq: number[]
  /** The device clock's reading as written in the file (UTC ISO 8601). */
  timestamp: string[]
  /** The same, in milliseconds since the epoch. */
  at: number[]
  kind: DeviceEventKind[]
  durationMs: (number | null)[]
  battery: (number | null)[]
  temperature: (number | null)[]
  cartridgeBay: (number | null)[]
  cartridgeSerial: (string | null)[]
  detail: (string | null)[]
  /** time_sync only: the true time the clock was set to, in milliseconds. */
  trueAt: (number | null)[]
}

export type DeviceLogParse =
  { ok: true; header: DeviceLogHeader; events: DeviceLogEvents } | { ok: false; errors: LineError[] }

const SERIAL = /^[A-Za-z0-9][A-Za-z0-9-]{0,39}$/
const SECONDS = /^\d{1,5}(\.\d)?$/
const WHOLE = /^-?\d{1,9}$/

function emptyEvents(): DeviceLogEvents {
  return {
    count: 0,
    line: [],
    seq: [],
    timestamp: [],
    at: [],
    kind: [],
    durationMs: [],
    battery: [],
    temperature: [],
    cartridgeBay: [],
    cartridgeSerial: [],
    detail: [],
    trueAt: [],
  }
}

/** Parses a device-log file. Never throws on bad input: every problem comes back as a line error. */
export function parseDeviceLog(input: Uint8Array | string): DeviceLogParse {
  const text = typeof input === 'string' ? input : decodeUtf8(input)
  if (text === null) return { ok: false, errors: [{ line: 1, message: 'The file must be UTF-8 text' }] }
  const lines = text.split('\n')
  const errors = new LineErrors()

  // ---- Header: "Name: value" lines up to the first blank line.
  const values: Partial<Record<HeaderKey, string>> = {}
  const headerLines: Partial<Record<HeaderKey, number>> = {}
  let i = 0
  for (; i < lines.length; i++) {
    const raw = stripCr(lines[i] ?? '')
    if (raw.trim() === '') break
    const colon = raw.indexOf(':')
    const name = colon > 0 ? raw.slice(0, colon).trim() : ''
    const key = Object.hasOwn(headerFields, name) ? headerFields[name as keyof typeof headerFields] : null
    if (!key) {
      errors.add(i + 1, colon > 0 ? `Unknown header field “${name}”` : 'A header line must look like “Name: value”')
      continue
    }
    if (values[key] !== undefined) errors.add(i + 1, `“${name}” is given twice`)
    values[key] = raw.slice(colon + 1).trim()
    headerLines[key] = i + 1
  }
  const headerEnd = i + 1
  for (const [name, key] of Object.entries(headerFields)) {
    if (values[key] === undefined) errors.add(Math.min(headerEnd, lines.length), `The header has no “${name}” line`)
  }
  const field = (key: HeaderKey) => ({ value: values[key] ?? '', line: headerLines[key] ?? 1 })
  const check = (key: HeaderKey, ok: boolean, message: string) => {
    if (values[key] !== undefined && !ok) errors.add(field(key).line, message)
  }
  check('format', field('format').value === DEVICE_LOG_FORMAT, `“Format” must be ${DEVICE_LOG_FORMAT}`)
  check('deviceSerial', SERIAL.test(field('deviceSerial').value), '“Device serial” must be letters, digits and hyphens')
  const model = cedDeviceModels.byValue(field('deviceModel').value)
  check('deviceModel', model !== undefined, `“Device model” must be one of ${cedDeviceModels.values.join(', ')}`)
  const firmware = field('firmware').value
  check('firmware', firmware.length > 0 && firmware.length <= 40, '“Firmware” must be 1 to 40 characters')
  const downloadedAt = parseUtc(field('downloadedAt').value)
  check('downloadedAt', downloadedAt !== null, '“Downloaded at” must be a UTC time like 2026-11-20T09:14:03Z')
  const deviceClock = parseUtc(field('deviceClockAtDownload').value)
  check(
    'deviceClockAtDownload',
    deviceClock !== null,
    '“Device clock at download” must be a UTC time like 2026-11-20T09:15:10Z',
  )
  const downloadedBy = field('downloadedBy').value
  check('downloadedBy', downloadedBy.length > 0 && downloadedBy.length <= 100, '“Downloaded by” must be a username')

  // ---- The column line, then events.
  let columnLine = headerEnd
  while (columnLine <= lines.length && stripCr(lines[columnLine - 1] ?? '').trim() === '') columnLine++
  if (columnLine > lines.length) {
    errors.add(lines.length, 'The file has no events: after the header comes the line “' + EVENT_COLUMNS + '”')
    return { ok: false, errors: errors.list }
  }
  if (stripCr(lines[columnLine - 1] ?? '').trim() !== EVENT_COLUMNS) {
    errors.add(columnLine, `The line after the header must be “${EVENT_COLUMNS}”`)
  }
  const bays = model?.cartridgeBays ?? 10
  const events = emptyEvents()
  let previousSeq = -1
  let lastLine = lines.length
  while (lastLine > columnLine && stripCr(lines[lastLine - 1] ?? '').trim() === '') lastLine--
  for (let n = columnLine + 1; n <= lastLine && !errors.full; n++) {
    const line = stripCr(lines[n - 1] ?? '')
    const parsed = parseEvent(line, n, bays, model?.label ?? 'device', errors)
    if (!parsed) continue
    if (parsed.seq <= previousSeq) errors.add(n, `seq must be greater than ${previousSeq} on the line before`)
    previousSeq = parsed.seq
    events.line.push(n)
    events.seq.push(parsed.seq)
    events.timestamp.push(parsed.timestamp)
    events.at.push(parsed.at)
    events.kind.push(parsed.kind)
    events.durationMs.push(parsed.durationMs)
    events.battery.push(parsed.battery)
    events.temperature.push(parsed.temperature)
    events.cartridgeBay.push(parsed.cartridgeBay)
    events.cartridgeSerial.push(parsed.cartridgeSerial)
    events.detail.push(parsed.detail)
    events.trueAt.push(parsed.trueAt)
    events.count++
  }
  if (!errors.any && events.count === 0) errors.add(columnLine, 'The file has no events')
  if (errors.any || !model || downloadedAt === null || deviceClock === null) return { ok: false, errors: errors.list }
  return {
    ok: true,
    header: {
      deviceSerial: field('deviceSerial').value,
      deviceModel: model.value,
      firmware,
      downloadedAt,
      deviceClockAtDownload: deviceClock,
      downloadedBy,
      lines: headerLines as Record<HeaderKey, number>,
    },
    events,
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line
}

interface ParsedEvent {
  seq: number
  timestamp: string
  at: number
  kind: DeviceEventKind
  durationMs: number | null
  battery: number | null
  temperature: number | null
  cartridgeBay: number | null
  cartridgeSerial: string | null
  detail: string | null
  trueAt: number | null
}

/** An optional whole number in a range, allowed only on some events; null (after adding an error) when wrong. */
function wholeIn(
  text: string,
  rule: { name: string; min: number; max: number; allowed: boolean; kind: string },
  n: number,
  errors: LineErrors,
): number | null {
  if (text === '') return null
  if (!rule.allowed) {
    errors.add(n, `${rule.name} must be empty for a ${rule.kind} event`)
    return null
  }
  const value = WHOLE.test(text) ? Number(text) : NaN
  if (!(value >= rule.min && value <= rule.max)) {
    errors.add(n, `${rule.name} must be a whole number from ${rule.min} to ${rule.max}`)
    return null
  }
  return value
}

/** One event line, or null after adding its errors. */
function parseEvent(line: string, n: number, bays: number, modelLabel: string, errors: LineErrors): ParsedEvent | null {
  const cells = line.split(',')
  if (cells.length !== 9) {
    errors.add(n, `An event line has 9 fields separated by commas; this one has ${cells.length}`)
    return null
  }
  // Fields are trimmed, so a file padded with spaces reads the same; most are empty or short.
  const field = (i: number) => (cells[i] ?? '').trim()
  const seqText = field(0)
  const timestamp = field(1)
  const kindText = field(2)
  const duration = field(3)
  const battery = field(4)
  const temperature = field(5)
  const bay = field(6)
  const cartridge = field(7)
  const detail = field(8)
  const before = errors.list.length
  const seq = /^\d{1,15}$/.test(seqText) ? Number(seqText) : null
  if (seq === null) errors.add(n, 'seq must be a whole number')
  const at = parseUtc(timestamp)
  if (at === null) errors.add(n, 'timestamp must be a UTC time like 2026-11-01T06:58:12Z')
  const event = deviceEvents.byValue(kindText)
  if (!event) {
    errors.add(n, `“${kindText}” is not an event this format knows (see docs/device-log-format.md)`)
    return null
  }
  const kind = event.value

  let durationMs: number | null = null
  if (event.duration === null) {
    if (duration !== '') errors.add(n, `duration_s must be empty for a ${kind} event`)
  } else if (duration === '') {
    errors.add(n, `a ${kind} event needs duration_s`)
  } else if (!SECONDS.test(duration) || Number(duration) > event.duration) {
    errors.add(n, `duration_s must be seconds from 0 to ${event.duration}, to 0.1 s at most`)
  } else {
    durationMs = Math.round(Number(duration) * 1000)
  }

  const batteryPct = wholeIn(
    battery,
    { name: 'battery_pct', min: 0, max: 100, allowed: event.armedState, kind },
    n,
    errors,
  )
  const temperatureC = wholeIn(
    temperature,
    { name: 'temperature_c', min: -40, max: 85, allowed: event.temperature, kind },
    n,
    errors,
  )

  const carriesCartridge = event.armedState || kind === 'cartridge_deployed'
  let cartridgeBay: number | null = null
  let cartridgeSerial: string | null = null
  if (bay !== '' || cartridge !== '') {
    if (!carriesCartridge) errors.add(n, `cartridge_bay and cartridge_serial must be empty for a ${kind} event`)
    else if (bay === '' || cartridge === '') errors.add(n, 'cartridge_bay and cartridge_serial go together')
    else {
      const bayNumber = /^\d{1,2}$/.test(bay) ? Number(bay) : 0
      if (bayNumber >= 1 && bayNumber <= bays) cartridgeBay = bayNumber
      else errors.add(n, `cartridge_bay must be from 1 to ${bays} for a ${modelLabel}`)
      if (SERIAL.test(cartridge)) cartridgeSerial = cartridge
      else errors.add(n, 'cartridge_serial must be letters, digits and hyphens, up to 40')
    }
  } else if (kind === 'cartridge_deployed') {
    errors.add(n, 'a cartridge_deployed event needs cartridge_bay and cartridge_serial')
  }

  let trueAt: number | null = null
  let detailValue: string | null = null
  if (kind === 'time_sync') {
    trueAt = parseUtc(detail)
    if (trueAt === null)
      errors.add(n, 'a time_sync event needs detail: the time it was set to, like 2026-11-03T11:59:02Z')
    else detailValue = detail
  } else if (kind === 'firmware_update') {
    if (detail === '' || detail.length > 40 || detail.includes('"'))
      errors.add(n, 'a firmware_update event needs detail: the new version')
    else detailValue = detail
  } else if (detail !== '') {
    errors.add(n, `detail must be empty for a ${kind} event`)
  }

  if (errors.list.length > before || seq === null || at === null) return null
  return {
    seq,
    timestamp,
    at,
    kind,
    durationMs,
    battery: batteryPct,
    temperature: temperatureC,
    cartridgeBay,
    cartridgeSerial,
    detail: detailValue,
    trueAt,
  }
}
