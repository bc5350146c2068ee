import { addMonths, isCalendarDate } from '../../domain/taser/calendar.js'

/**
 * Date boxes and months as the forms give them ('YYYY-MM' for months). Calendar-date arithmetic and the London date
 * of an instant are in src/domain/taser/calendar.ts.
 */

const pad = (n: number) => String(n).padStart(2, '0')

/** Day, month and year boxes as 'YYYY-MM-DD', or undefined when they do not make a real date. */
export function calendarDate(day: string, month: string, year: string): string | undefined {
  if (!/^\d{1,2}$/.test(day.trim()) || !/^\d{1,2}$/.test(month.trim()) || !/^\d{4}$/.test(year.trim())) return undefined
  const date = `${year.trim()}-${pad(Number(month))}-${pad(Number(day))}`
  return isCalendarDate(date) ? date : undefined
}

/** The boxes for a 'YYYY-MM-DD' value, to put back in a form. */
export function dateBoxes(value: string | null | undefined): { day: string; month: string; year: string } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value ?? '')
  return match
    ? { day: String(Number(match[3])), month: String(Number(match[2])), year: match[1] ?? '' }
    : { day: '', month: '', year: '' }
}

export const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/

/** 'YYYY-MM' plus a number of months (negative to go back). */
export function shiftMonth(month: string, n: number): string {
  return addMonths(`${month}-01`, n).slice(0, 7)
}

/** The month of a 'YYYY-MM-DD' date. */
export function monthOf(date: string): string {
  return date.slice(0, 7)
}

const monthLabel = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'long', year: 'numeric' })

/** 'March 2026' for '2026-03'. */
export function formatMonth(month: string): string {
  return monthLabel.format(new Date(`${month}-01T00:00:00Z`))
}
