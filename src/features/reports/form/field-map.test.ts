import { describe, expect, it } from 'vitest'
import { reportSubmission } from '../../../domain/use-of-force/report.js'
import { CHECK_PAGE, fieldFor, sectionOf } from './field-map.js'
import { occurredAtFields, occurredAtFromFields, occurredAtIssues } from './occurred-at.js'
import { rulePaths, schemaPaths } from '../../../../test/support/report-form.js'

describe('the field map', () => {
  const paths = [...schemaPaths(reportSubmission).filter((p) => p.length > 0), ...rulePaths]

  it('puts every path of the schema and the rules on a field of a section page', () => {
    const lost = paths.filter((path) => fieldFor(path).page === CHECK_PAGE || !sectionOf(path))
    expect(lost).toEqual([])
  })

  it('gives each page its own field ids, so a field is on exactly one page', () => {
    const pagesOf = new Map<string, Set<string>>()
    for (const path of paths) {
      const { page, field } = fieldFor(path)
      pagesOf.set(field, (pagesOf.get(field) ?? new Set()).add(page.startsWith('ced/') ? 'ced/n' : page))
    }
    expect([...pagesOf].filter(([, pages]) => pages.size > 1)).toEqual([])
  })

  it('numbers CED use pages from 1 and keeps the schema’s row numbers within a page', () => {
    expect(fieldFor(['cedUses', 0, 'cycles', 1, 'extended'])).toEqual({ page: 'ced/1', field: 'cycles-1-extended' })
    expect(fieldFor(['cedUses', 3, 'cartridges', 0, 'bay'])).toEqual({ page: 'ced/4', field: 'cartridges-0-bay' })
    expect(fieldFor(['cedUses', 1, 'probeSites', 4])).toEqual({ page: 'ced/2', field: 'probeSites' })
    expect(fieldFor(['cedUses', 1, 'cycles'])).toEqual({ page: 'ced/2', field: 'cycles-0-seconds' })
    expect(fieldFor(['tactics', 2, 'effective'])).toEqual({ page: 'tactics', field: 'tactics-2-effective' })
    expect(fieldFor(['incident', 'locationTypes', 3])).toEqual({ page: 'incident/details', field: 'locationTypes' })
    expect(fieldFor(['subject', 'id'])).toEqual({ page: 'person', field: 'subjectId' })
    expect(fieldFor(['reason'])).toEqual({ page: CHECK_PAGE, field: 'reason' })
    expect(fieldFor(['expectedVersion'])).toEqual({ page: CHECK_PAGE, field: 'submit' })
  })
})

describe('the date and time of an incident', () => {
  const boxes = (day: string, month: string, year: string, time: string) => ({ day, month, year, time })

  it('is kept as an instant with its UK offset, summer or winter', () => {
    expect(occurredAtFromFields(boxes('14', '6', '2025', '21:30'))).toBe('2025-06-14T21:30:00+01:00')
    expect(occurredAtFromFields(boxes('3', '1', '2025', '0905'))).toBe('2025-01-03T09:05:00+00:00')
    // The hour the clocks go back happens twice: the first, in summer time, is taken.
    expect(occurredAtFromFields(boxes('26', '10', '2025', '01:30'))).toBe('2025-10-26T01:30:00+01:00')
    expect(occurredAtFields('2025-06-14T20:30:00.000Z')).toEqual(boxes('14', '6', '2025', '21:30'))
  })

  it('keeps what was typed until it makes a real time, and says which box is wrong', () => {
    expect(occurredAtFromFields(boxes('', '', '', ''))).toBeUndefined()
    const typed = occurredAtFromFields(boxes('31', '2', '2025', '9pm'))
    expect(typed).toBe('2025-2-31T9pm')
    expect(occurredAtFields(typed)).toEqual(boxes('31', '2', '2025', '9pm'))
    expect(occurredAtIssues(typed)).toEqual([
      { path: ['incident', 'occurredAt'], message: 'The date of the incident must be a real date' },
      { path: ['incident', 'occurredAt', 'time'], message: 'Enter the time using the 24-hour clock, like 21:30' },
    ])
    expect(occurredAtIssues(occurredAtFromFields(boxes('14', '', '', '21:30')))).toEqual([
      { path: ['incident', 'occurredAt'], message: 'The date of the incident must include a month and year' },
    ])
    expect(occurredAtIssues(occurredAtFromFields(boxes('14', '6', '25', '')))).toEqual([
      { path: ['incident', 'occurredAt'], message: 'The year must include 4 numbers, like 2025' },
      { path: ['incident', 'occurredAt', 'time'], message: 'Enter the time of the incident' },
    ])
  })
})
