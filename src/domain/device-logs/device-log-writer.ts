import { DEVICE_LOG_FORMAT, EVENT_COLUMNS } from './device-log-parser.js'
import type { DeviceEventKind } from './device-events.js'

/** One event to write into a device-log file; absent fields are written empty. */
export interface DeviceLogLine {
  seq: number
  at: number
  kind: DeviceEventKind
  durationS?: number
  battery?: number
  temperature?: number
  cartridgeBay?: number
  cartridgeSerial?: string
  /** time_sync: the true time in milliseconds. */
  trueAt?: number
  /** firmware_update: the new version. */
  detail?: string
}

export interface DeviceLogFileHeader {
  deviceSerial: string
  deviceModel: string
  firmware: string
  downloadedAt: number
  deviceClockAtDownload: number
  downloadedBy: string
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z')

/**
 * Writes a device-log file in the documented format, as a download station would. The demo seed, the tests and the
 * benchmark make their logs with it, so they exercise exactly the parser users' files go through.
 */
export function writeDeviceLog(header: DeviceLogFileHeader, events: Iterable<DeviceLogLine>): string {
  const out = [
    `Format: ${DEVICE_LOG_FORMAT}`,
    `Device serial: ${header.deviceSerial}`,
    `Device model: ${header.deviceModel}`,
    `Firmware: ${header.firmware}`,
    `Downloaded at: ${iso(header.downloadedAt)}`,
    `Device clock at download: ${iso(header.deviceClockAtDownload)}`,
    `Downloaded by: ${header.downloadedBy}`,
    '',
    EVENT_COLUMNS,
  ]
  const cell = (v: number | string | undefined) => (v === undefined ? '' : String(v))
  for (const e of events) {
    const detail = e.trueAt !== undefined ? iso(e.trueAt) : e.detail
    out.push(
      [
        e.seq,
        iso(e.at),
        e.kind,
        e.durationS === undefined ? '' : e.durationS.toFixed(1),
        cell(e.battery),
        cell(e.temperature),
        cell(e.cartridgeBay),
        cell(e.cartridgeSerial),
        cell(detail),
      ].join(','),
    )
  }
  return `${out.join('\n')}\n`
}
