import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CAMERA_COLUMNS, parseCameraEvents } from './camera-events-parser.js'

const good = 'BWV-00412,4121,2026-11-01T06:58:10Z,2026-11-01T07:21:44Z,taser_armed,EVD-2026-118822'
const file = (...lines: string[]) => [CAMERA_COLUMNS, ...lines].join('\n') + '\n'

describe('parseCameraEvents', () => {
  it('reads each recording with its line', () => {
    const result = parseCameraEvents(file(good, 'BWV-1,99,2026-11-01T09:30:00Z,2026-11-01T09:34:12Z,manual,'))
    expect(result).toEqual({
      ok: true,
      recordings: [
        {
          line: 2,
          cameraSerial: 'BWV-00412',
          collarNumber: '4121',
          startedAt: Date.parse('2026-11-01T06:58:10Z'),
          endedAt: Date.parse('2026-11-01T07:21:44Z'),
          activation: 'taser_armed',
          footageReference: 'EVD-2026-118822',
        },
        expect.objectContaining({ line: 3, activation: 'manual', footageReference: null }),
      ],
    })
  })

  const cases: [string, string, string][] = [
    ['too few fields', 'BWV-1,99,2026-11-01T09:30:00Z', 'A line has 6 fields separated by commas; this one has 3'],
    [
      'bad serial',
      'BWV 1,99,2026-11-01T09:30:00Z,2026-11-01T09:34:12Z,manual,',
      'camera_serial must be letters, digits and hyphens, up to 40',
    ],
    [
      'bad collar',
      'BWV-1,9 9,2026-11-01T09:30:00Z,2026-11-01T09:34:12Z,manual,',
      'officer_collar_number must be letters and digits, up to 20',
    ],
    [
      'bad start',
      'BWV-1,99,yesterday,2026-11-01T09:34:12Z,manual,',
      'recording_started_at must be a UTC time like 2026-11-01T06:58:12Z',
    ],
    [
      'bad end',
      'BWV-1,99,2026-11-01T09:30:00Z,2026-11-31T09:34:12Z,manual,',
      'recording_ended_at must be a UTC time like 2026-11-01T07:20:00Z',
    ],
    [
      'ends before it starts',
      'BWV-1,99,2026-11-01T09:30:00Z,2026-11-01T09:00:00Z,manual,',
      'recording_ended_at must be after recording_started_at, and within 24 hours of it',
    ],
    [
      'unknown activation',
      'BWV-1,99,2026-11-01T09:30:00Z,2026-11-01T09:34:12Z,button,',
      'activation must be one of manual, taser_armed, other',
    ],
    [
      'bad reference',
      'BWV-1,99,2026-11-01T09:30:00Z,2026-11-01T09:34:12Z,manual,EVD 1',
      'footage_reference must be letters, digits and / _ . -, up to 100',
    ],
  ]
  it.each(cases)('rejects %s with its line', (_, line, message) => {
    expect(parseCameraEvents(file(good, line))).toEqual({ ok: false, errors: [{ line: 3, message }] })
  })

  it('rejects a file without the column line, or with no recordings', () => {
    expect(parseCameraEvents(good)).toEqual({
      ok: false,
      errors: [{ line: 1, message: `The first line must be “${CAMERA_COLUMNS}”` }],
    })
    expect(parseCameraEvents(file())).toEqual({
      ok: false,
      errors: [{ line: 1, message: 'The file has no recordings' }],
    })
  })

  it('never throws, and every error names a line of the file', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant(good), fc.string({ maxLength: 80 })), { maxLength: 20 }), (lines) => {
        const text = file(...lines)
        const result = parseCameraEvents(text)
        if (!result.ok) for (const e of result.errors) expect(e.line).toBeLessThanOrEqual(text.split('\n').length)
      }),
      { numRuns: 300 },
    )
  })
})
