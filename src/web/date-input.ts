import { isCalendarDate } from '../domain/calendar.js'
import { text, type FormBody } from './forms.js'
import type { FieldError } from './render.js'

/**
 * The GOV.UK date input: three boxes named `<name>-day`, `-month` and `-year`, read into a 'YYYY-MM-DD' date and
 * written back from one. Errors are keyed to the first box so the error summary links to it.
 */

export interface DateValues {
  day: string
  month: string
  year: string
}

const pad = (n: number) => String(n).padStart(2, '0')

/** Day, month and year boxes as 'YYYY-MM-DD', or undefined when they do not make a real date. */
export function calendarDate(day: string, month: string, year: string): string | undefined {
  if (!/^\d{1,2}$/.test(day.trim()) || !/^\d{1,2}$/.test(month.trim()) || !/^\d{4}$/.test(year.trim())) return undefined
  const date = `${year.trim()}-${pad(Number(month))}-${pad(Number(day))}`
  return isCalendarDate(date) ? date : undefined
}

/** The boxes for a 'YYYY-MM-DD' value, to put back in a form. */
export function dateBoxes(value: string | null | undefined): DateValues {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value ?? '')
  return match
    ? { day: String(Number(match[3])), month: String(Number(match[2])), year: match[1] ?? '' }
    : { day: '', month: '', year: '' }
}

/** The boxes of the date input `name` as submitted, trimmed. */
export function dateValues(body: FormBody, name: string): DateValues {
  return { day: text(body, `${name}-day`), month: text(body, `${name}-month`), year: text(body, `${name}-year`) }
}

/** The date typed into a date input, or null with an error added. */
export function readDate(body: FormBody, name: string, label: string, errors: FieldError[]): string | null {
  const { day, month, year } = dateValues(body, name)
  if (!day && !month && !year) {
    errors.push({ field: `${name}-day`, text: `Enter ${label}` })
    return null
  }
  const date = calendarDate(day, month, year)
  if (!date) {
    errors.push({ field: `${name}-day`, text: `${label[0]?.toUpperCase()}${label.slice(1)} must be a real date` })
    return null
  }
  return date
}

/** The items of a govukDateInput, with the error class on every box when the date is wrong. */
export function dateItems(values: DateValues, hasError: boolean) {
  const error = hasError ? ' govuk-input--error' : ''
  return [
    { name: 'day', value: values.day, classes: `govuk-input--width-2${error}` },
    { name: 'month', value: values.month, classes: `govuk-input--width-2${error}` },
    { name: 'year', value: values.year, classes: `govuk-input--width-4${error}` },
  ]
}
