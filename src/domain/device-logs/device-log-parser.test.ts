import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseDeviceLog, type DeviceLogParse } from './device-log-parser.js'
import { MAX_LINE_ERRORS } from '../imports/line-errors.js'

const header = [
  'Format: forceledger-device-log/1',
  'Device serial: X29-001204',
  'Device model: x2',
  'Firmware: 2.31.0',
  'Downloaded at: 2026-11-20T09:14:03Z',
  'Device clock at download: 2026-11-20T09:15:10Z',
  'Downloaded by: taser-lead',
  '',
  'seq,timestamp,event,duration_s,battery_pct,temperature_c,cartridge_bay,cartridge_serial,detail',
]
const events = [
  '1201,2026-11-01T06:58:12Z,armed,,87,21,1,X2C-00123456,',
  '1202,2026-11-01T06:58:14Z,arc,1.2,87,,1,X2C-00123456,',
  '1203,2026-11-01T06:58:20.250Z,trigger,5.0,86,,1,X2C-00123456,',
  '1204,2026-11-01T06:58:20Z,cartridge_deployed,,,,1,X2C-00123456,',
  '1205,2026-11-01T06:59:30Z,safe,78,86,21,1,X2C-00123456,',
  '1206,2026-11-03T11:59:02Z,usb_connection,,,,,,',
  '1207,2026-11-03T12:00:00Z,time_sync,,,,,,2026-11-03T11:59:02Z',
  '1208,2026-11-03T12:00:05Z,firmware_update,,,,,,2.32.0',
]
const file = (lines: string[] = events, head: string[] = header) => [...head, ...lines].join('\n') + '\n'

/** The errors of a file that must not parse. */
function errorsOf(result: DeviceLogParse) {
  if (result.ok) throw new Error('expected the file to be rejected')
  return result.errors
}

/** A file with one event line replaced; the line number it lands on is header.length + 1. */
const withEvent = (line: string) => file([line])
const EVENT_LINE = header.length + 1

describe('parseDeviceLog', () => {
  it('reads the header and every event, as columns', () => {
    const result = parseDeviceLog(file())
    if (!result.ok) throw new Error(JSON.stringify(result.errors))
    expect(result.header).toMatchObject({
      deviceSerial: 'X29-001204',
      deviceModel: 'x2',
      firmware: '2.31.0',
      downloadedAt: Date.parse('2026-11-20T09:14:03Z'),
      deviceClockAtDownload: Date.parse('2026-11-20T09:15:10Z'),
      downloadedBy: 'taser-lead',
    })
    expect(result.header.lines.downloadedBy).toBe(7)
    const e = result.events
    expect(e.count).toBe(8)
    expect(e.seq).toEqual([1201, 1202, 1203, 1204, 1205, 1206, 1207, 1208])
    expect(e.line[0]).toBe(10)
    expect(e.kind[2]).toBe('trigger')
    expect(e.at[2]).toBe(Date.parse('2026-11-01T06:58:20.250Z'))
    expect(e.durationMs.slice(0, 5)).toEqual([null, 1200, 5000, null, 78000])
    expect(e.battery[0]).toBe(87)
    expect(e.temperature[0]).toBe(21)
    expect(e.cartridgeBay[3]).toBe(1)
    expect(e.cartridgeSerial[3]).toBe('X2C-00123456')
    expect(e.trueAt[6]).toBe(Date.parse('2026-11-03T11:59:02Z'))
    expect(e.detail[7]).toBe('2.32.0')
  })

  it('accepts CRLF line ends, a byte-order mark and blank lines at the end', () => {
    const bytes = new TextEncoder().encode('\uFEFF' + file().replace(/\n/g, '\r\n') + '\r\n\r\n')
    const result = parseDeviceLog(bytes)
    expect(result.ok && result.events.count).toBe(8)
  })

  it('rejects bytes that are not UTF-8 on line 1', () => {
    expect(errorsOf(parseDeviceLog(new Uint8Array([0x46, 0xff, 0xfe, 0x0a])))).toEqual([
      { line: 1, message: 'The file must be UTF-8 text' },
    ])
  })

  const headerCases: [string, (h: string[]) => string[], number, string][] = [
    ['wrong format', (h) => h.with(0, 'Format: something-else/2'), 1, '“Format” must be forceledger-device-log/1'],
    [
      'bad serial',
      (h) => h.with(1, 'Device serial: X29 001204'),
      2,
      '“Device serial” must be letters, digits and hyphens',
    ],
    [
      'unknown model',
      (h) => h.with(2, 'Device model: x3'),
      3,
      '“Device model” must be one of x26, x2, taser_7, taser_10',
    ],
    ['empty firmware', (h) => h.with(3, 'Firmware:'), 4, '“Firmware” must be 1 to 40 characters'],
    [
      'bad download time',
      (h) => h.with(4, 'Downloaded at: 2026-11-20 09:14'),
      5,
      '“Downloaded at” must be a UTC time like 2026-11-20T09:14:03Z',
    ],
    [
      'impossible clock reading',
      (h) => h.with(5, 'Device clock at download: 2026-02-30T09:15:10Z'),
      6,
      '“Device clock at download” must be a UTC time like 2026-11-20T09:15:10Z',
    ],
    ['unknown field', (h) => [...h.slice(0, 7), 'Colour: blue', ...h.slice(7)], 8, 'Unknown header field “Colour”'],
    [
      'not a header line',
      (h) => [...h.slice(0, 7), 'just words', ...h.slice(7)],
      8,
      'A header line must look like “Name: value”',
    ],
    ['field twice', (h) => [...h.slice(0, 7), 'Firmware: 2.0', ...h.slice(7)], 8, '“Firmware” is given twice'],
    ['missing field', (h) => h.toSpliced(6, 1), 7, 'The header has no “Downloaded by” line'],
    [
      'wrong column line',
      (h) => h.with(8, 'seq,time,event'),
      9,
      'The line after the header must be “seq,timestamp,event,duration_s,battery_pct,temperature_c,cartridge_bay,cartridge_serial,detail”',
    ],
  ]
  it.each(headerCases)('header: %s', (_, change, line, message) => {
    expect(errorsOf(parseDeviceLog(file(events, change(header))))).toContainEqual({ line, message })
  })

  const eventCases: [string, string, string][] = [
    [
      'too few fields',
      '1,2026-11-01T06:58:12Z,armed',
      'An event line has 9 fields separated by commas; this one has 3',
    ],
    ['seq not a number', 'x,2026-11-01T06:58:12Z,armed,,,,,,', 'seq must be a whole number'],
    ['local time', '1,2026-11-01 06:58:12,armed,,,,,,', 'timestamp must be a UTC time like 2026-11-01T06:58:12Z'],
    [
      'unknown event',
      '1,2026-11-01T06:58:12Z,fire,,,,,,',
      '“fire” is not an event this format knows (see docs/device-log-format.md)',
    ],
    ['duration on armed', '1,2026-11-01T06:58:12Z,armed,3.0,,,,,', 'duration_s must be empty for a armed event'],
    ['trigger without duration', '1,2026-11-01T06:58:12Z,trigger,,,,,,', 'a trigger event needs duration_s'],
    [
      'trigger too long',
      '1,2026-11-01T06:58:12Z,trigger,61,,,,,',
      'duration_s must be seconds from 0 to 60, to 0.1 s at most',
    ],
    [
      'duration to 0.01 s',
      '1,2026-11-01T06:58:12Z,arc,1.25,,,,,',
      'duration_s must be seconds from 0 to 60, to 0.1 s at most',
    ],
    ['battery over 100', '1,2026-11-01T06:58:12Z,armed,,101,,,,', 'battery_pct must be a whole number from 0 to 100'],
    [
      'battery on usb',
      '1,2026-11-01T06:58:12Z,usb_connection,,50,,,,',
      'battery_pct must be empty for a usb_connection event',
    ],
    [
      'temperature on trigger',
      '1,2026-11-01T06:58:12Z,trigger,5.0,,20,,,',
      'temperature_c must be empty for a trigger event',
    ],
    [
      'temperature too hot',
      '1,2026-11-01T06:58:12Z,armed,,,90,,,',
      'temperature_c must be a whole number from -40 to 85',
    ],
    ['bay without serial', '1,2026-11-01T06:58:12Z,armed,,,,1,,', 'cartridge_bay and cartridge_serial go together'],
    ['bay 3 on an X2', '1,2026-11-01T06:58:12Z,armed,,,,3,C-1,', 'cartridge_bay must be from 1 to 2 for a TASER X2'],
    [
      'bad cartridge serial',
      '1,2026-11-01T06:58:12Z,armed,,,,1,C 1,',
      'cartridge_serial must be letters, digits and hyphens, up to 40',
    ],
    [
      'cartridge on time sync',
      '1,2026-11-01T06:58:12Z,power_save,,,,1,C-1,',
      'cartridge_bay and cartridge_serial must be empty for a power_save event',
    ],
    [
      'deployed without cartridge',
      '1,2026-11-01T06:58:12Z,cartridge_deployed,,,,,,',
      'a cartridge_deployed event needs cartridge_bay and cartridge_serial',
    ],
    [
      'sync without time',
      '1,2026-11-01T06:58:12Z,time_sync,,,,,,',
      'a time_sync event needs detail: the time it was set to, like 2026-11-03T11:59:02Z',
    ],
    [
      'firmware without version',
      '1,2026-11-01T06:58:12Z,firmware_update,,,,,,',
      'a firmware_update event needs detail: the new version',
    ],
    ['detail on armed', '1,2026-11-01T06:58:12Z,armed,,,,,,hello', 'detail must be empty for a armed event'],
  ]
  it.each(eventCases)('event line: %s', (_, line, message) => {
    expect(errorsOf(parseDeviceLog(withEvent(line)))).toEqual([{ line: EVENT_LINE, message }])
  })

  it('rejects a seq that does not increase, on the later line', () => {
    const lines = [events[0]!, events[1]!.replace('1202', '1201')]
    expect(errorsOf(parseDeviceLog(file(lines)))).toEqual([
      { line: EVENT_LINE + 1, message: 'seq must be greater than 1201 on the line before' },
    ])
  })

  it('rejects a file with a header and no events', () => {
    expect(errorsOf(parseDeviceLog(file([])))).toEqual([{ line: 9, message: 'The file has no events' }])
    expect(errorsOf(parseDeviceLog(header.slice(0, 7).join('\n')))[0]?.message).toMatch(/^The file has no events/)
  })

  it('reports every bad line, up to the limit', () => {
    const bad = Array.from({ length: 500 }, (_, i) => `${i},nonsense,armed,,,,,,`)
    const errors = errorsOf(parseDeviceLog(file(bad)))
    expect(errors).toHaveLength(MAX_LINE_ERRORS)
    expect(errors[1]).toEqual({
      line: EVENT_LINE + 1,
      message: 'timestamp must be a UTC time like 2026-11-01T06:58:12Z',
    })
  })

  it('never throws, and every error names a line of the file', () => {
    const lineArb = fc.oneof(
      fc.constantFrom(...events, ...header),
      fc.string({ maxLength: 60 }),
      fc
        .tuple(
          ...Array.from({ length: 9 }, () =>
            fc.oneof(
              fc.constantFrom('', '1', '5.0', 'arc', 'trigger', 'time_sync', '2026-11-01T06:58:12Z', 'X2C-1', '-3'),
              fc.string({ maxLength: 8 }),
            ),
          ),
        )
        .map((cells) => cells.join(',')),
    )
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 30 }), fc.boolean(), (lines, withHeader) => {
        const text = (withHeader ? [...header, ...lines] : lines).join('\n')
        const result = parseDeviceLog(text)
        const lineCount = text.split('\n').length
        if (!result.ok) {
          expect(result.errors.length).toBeGreaterThan(0)
          for (const e of result.errors) {
            expect(e.line).toBeGreaterThanOrEqual(1)
            expect(e.line).toBeLessThanOrEqual(lineCount)
            expect(e.message).not.toBe('')
          }
        } else {
          expect(result.events.count).toBeGreaterThan(0)
        }
      }),
      { numRuns: 500 },
    )
  })
})
