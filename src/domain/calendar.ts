/**
 * Calendar dates as 'YYYY-MM-DD' strings, the way the database returns them, and months as 'YYYY-MM'. Arithmetic is
 * done on UTC midnights, so it is free of time zones and clock changes; the only time zone is in `londonDate` and
 * `londonInstant`, which turn an instant into the date it is in the UK and back. Day, month and year boxes on forms
 * are read in src/web/date-input.ts.
 */

const dayMs = 86_400_000

const londonDateFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
})

/** The calendar date in the UK at this instant: just after midnight BST is already tomorrow there. */
export function londonDate(instant: Date): string {
  const parts = Object.fromEntries(londonDateFormat.formatToParts(instant).map((p) => [p.type, p.value]))
  return `${parts.year}-${parts.month}-${parts.day}`
}

function toUtc(date: string): Date {
  return new Date(`${date}T00:00:00Z`)
}

function fromUtc(date: Date): string {
  return date.toISOString().slice(0, 10)
}

export function addDays(date: string, days: number): string {
  return fromUtc(new Date(toUtc(date).getTime() + days * dayMs))
}

/**
 * The same day `months` later; when that month is shorter, its last day (29 February + 12 months is 28 February),
 * so a period measured this way is never longer than the months it names.
 */
export function addMonths(date: string, months: number): string {
  const d = toUtc(date)
  const month = d.getUTCMonth() + months
  const lastOfMonth = new Date(Date.UTC(d.getUTCFullYear(), month + 1, 0)).getUTCDate()
  return fromUtc(new Date(Date.UTC(d.getUTCFullYear(), month, Math.min(d.getUTCDate(), lastOfMonth))))
}

export function isCalendarDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && fromUtc(toUtc(value)) === value
}

/** A month as forms and query strings give it: 'YYYY-MM'. */
export const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/

/** 'YYYY-MM' plus a number of months (negative to go back). */
export function shiftMonth(month: string, n: number): string {
  return addMonths(`${month}-01`, n).slice(0, 7)
}

/** The month of a 'YYYY-MM-DD' date. */
export function monthOf(date: string): string {
  return date.slice(0, 7)
}

const longDateFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', dateStyle: 'long' })

/** '2026-11-22' as '22 November 2026', GOV.UK style. */
export function longDate(date: string): string {
  return longDateFormat.format(toUtc(date))
}

const monthLabel = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'long', year: 'numeric' })

/** '2026-03' as 'March 2026'. */
export function formatMonth(month: string): string {
  return monthLabel.format(toUtc(`${month}-01`))
}

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  hourCycle: 'h23',
})

/** Minutes the UK is ahead of UTC at an instant: 0 in winter, 60 in summer. */
function londonOffsetMinutes(ms: number): number {
  const p = Object.fromEntries(londonParts.formatToParts(new Date(ms)).map((x) => [x.type, Number(x.value)]))
  const wall = Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0)
  return Math.round((wall - Math.floor(ms / 60_000) * 60_000) / 60_000)
}

/** The instant of a UK wall-clock date and time ('HH:MM'); in the hour the clocks go back, the earlier one. */
export function londonInstant(date: string, time: string): Date {
  const guess = Date.parse(`${date}T${time}:00Z`)
  const first = londonOffsetMinutes(guess - 60 * 60_000)
  return new Date(guess - londonOffsetMinutes(guess - first * 60_000) * 60_000)
}
