import { describe, expect, it } from 'vitest'
import { parseTrainingCsv, TRAINING_COLUMNS } from './training-csv.js'

const header = TRAINING_COLUMNS.join(',')
const parse = (...lines: string[]) => parseTrainingCsv([header, ...lines].join('\n'), '2026-11-22')

describe('the training records file', () => {
  it('reads good lines, with assessments where given, CRLF and a byte-order mark', () => {
    const result = parseTrainingCsv(
      `\uFEFF${header}\r\n4521,refresher,x2,2026-10-14,7.5,yes,pass,pass,\r\nsc0042,initial,taser_7,2026-11-22,28,no,fail,,\r\n`,
      '2026-11-22',
    )
    expect(result).toEqual({
      ok: true,
      lines: [
        {
          line: 2,
          collarNumber: '4521',
          course: 'refresher',
          deviceModel: 'x2',
          completedOn: '2026-10-14',
          hours: 7.5,
          passed: true,
          assessments: [
            { kind: 'qualification_shoot', passed: true },
            { kind: 'written_test', passed: true },
          ],
        },
        {
          line: 3,
          collarNumber: 'sc0042',
          course: 'initial',
          deviceModel: 'taser_7',
          completedOn: '2026-11-22',
          hours: 28,
          passed: false,
          assessments: [{ kind: 'qualification_shoot', passed: false }],
        },
      ],
    })
  })

  it.each([
    ['a wrong header', 'collar,course', 1, 'The first line must be'],
    ['too few fields', '4521,refresher,x2', 2, 'A line has 9 fields'],
    ['an unknown course', '4521,annual,x2,2026-10-14,7,yes,,,', 2, 'course must be one of'],
    ['a date that does not exist', '4521,refresher,x2,2026-02-29,7,yes,,,', 2, 'completed_on must be a date'],
    ['a date tomorrow', '4521,refresher,x2,2026-11-23,7,yes,,,', 2, 'completed_on cannot be in the future'],
    ['an initial course of 17.5 hours', '4521,initial,x2,2026-10-14,17.5,yes,,,', 2, 'at least 18 hours'],
    ['hours as words', '4521,refresher,x2,2026-10-14,seven,yes,,,', 2, 'hours must be a number'],
    ['passed with a failed assessment', '4521,refresher,x2,2026-10-14,7,yes,,fail,', 2, 'cannot be passed'],
    ['a bad assessment value', '4521,refresher,x2,2026-10-14,7,yes,ok,,', 2, 'qualification_shoot must be pass'],
  ])('reports %s on its line', (_name, line, lineNumber, message) => {
    const result = line.startsWith('collar,') ? parseTrainingCsv(`${line}\n`, '2026-11-22') : parse(line)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.errors[0]?.line).toBe(lineNumber)
    expect(result.errors[0]?.message).toContain(message)
  })

  it('names the earlier line of a duplicate, whatever the collar number’s case', () => {
    const result = parse('ab12,refresher,x2,2026-10-14,7,yes,,,', 'AB12,refresher,x2,2026-10-14,7,yes,,,')
    expect(result).toEqual({
      ok: false,
      errors: [{ line: 3, message: 'The same course for the same officer on the same day is on line 2' }],
    })
  })

  it('refuses an empty file and stops at 100 problems', () => {
    expect(parseTrainingCsv(`${header}\n`, '2026-11-22').ok).toBe(false)
    const result = parse(...Array.from({ length: 300 }, () => 'bad'))
    expect(result.ok ? 0 : result.errors.length).toBe(100)
  })
})
