import type { FieldError } from '../../web/render.js'
import { isCalendarDate } from '../../domain/taser/calendar.js'

/**
 * Reading the Taser forms' fields: GOV.UK date inputs (three boxes, `<name>-day`, `-month`, `-year`) into
 * 'YYYY-MM-DD', and plain text. Each reader adds at most one error, keyed to the field's first box so the error
 * summary links to it.
 */

export type FormBody = Record<string, unknown>

export const text = (body: FormBody, name: string): string => {
  const value = body[name]
  return typeof value === 'string' ? value.trim() : ''
}

export interface DateValues {
  day: string
  month: string
  year: string
}

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
  const digits = /^\d{1,2}$/
  const date = `${year.padStart(4, '0')}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`
  if (!digits.test(day) || !digits.test(month) || !/^\d{4}$/.test(year) || !isCalendarDate(date)) {
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
