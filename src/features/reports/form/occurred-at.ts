import type { RuleIssue } from '../../../domain/use-of-force/rules.js'

/**
 * The date and time of an incident. Officers give a UK wall-clock time in four boxes (day, month, year, time); the
 * record keeps an ISO 8601 instant with its offset. While the boxes do not yet make a real time, the draft keeps
 * what was typed as `year-month-dayTtime`, which the schema rejects, so nothing typed is lost and the form can say
 * exactly which box is wrong.
 */

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  hourCycle: 'h23',
})

interface WallClock {
  year: number
  month: number
  day: number
  hour: number
  minute: number
}

function toLondon(instant: Date): WallClock {
  const parts = Object.fromEntries(londonParts.formatToParts(instant).map((p) => [p.type, Number(p.value)]))
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
  }
}

/** Minutes London is ahead of UTC at an instant: 0 in winter, 60 in summer. */
function offsetMinutes(instant: Date): number {
  const wall = toLondon(instant)
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute)
  return Math.round((asUtc - Math.floor(instant.getTime() / 60_000) * 60_000) / 60_000)
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/**
 * A London wall-clock time as an ISO 8601 string with its offset, such as 2025-06-14T21:30:00+01:00. In the hour
 * the clocks go back, the earlier of the two instants is taken; a time skipped when they go forward reads as BST.
 */
function londonIso(wall: WallClock): string {
  const guess = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute)
  const first = offsetMinutes(new Date(guess - 60 * 60_000))
  const offset = offsetMinutes(new Date(guess - first * 60_000))
  const sign = offset < 0 ? '-' : '+'
  const hours = pad(Math.floor(Math.abs(offset) / 60))
  const minutes = pad(Math.abs(offset) % 60)
  return (
    `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}:00` +
    `${sign}${hours}:${minutes}`
  )
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false
  if (month < 1 || month > 12 || day < 1) return false
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate()
}

export interface OccurredAtFields {
  day: string
  month: string
  year: string
  time: string
}

const TIME = /^([01]?\d|2[0-3])[:.]?([0-5]\d)$/
const RAW = /^(.*?)-(.*?)-(.*?)T(.*)$/s

function parseTime(time: string): { hour: number; minute: number } | undefined {
  const match = TIME.exec(time.trim())
  return match ? { hour: Number(match[1]), minute: Number(match[2]) } : undefined
}

function parseDate(fields: OccurredAtFields): { year: number; month: number; day: number } | undefined {
  const [day, month, year] = [fields.day, fields.month, fields.year].map((v) => v.trim())
  if (!/^\d{1,2}$/.test(day ?? '') || !/^\d{1,2}$/.test(month ?? '') || !/^\d{4}$/.test(year ?? '')) return undefined
  const date = { year: Number(year), month: Number(month), day: Number(day) }
  return isRealDate(date.year, date.month, date.day) ? date : undefined
}

/** The draft's value for the four boxes: an ISO instant when they make a real time, else what was typed. */
export function occurredAtFromFields(fields: OccurredAtFields): string | undefined {
  // Only the four boxes: a page's form passes more fields than these (the incident page its locations, a list).
  if ([fields.day, fields.month, fields.year, fields.time].every((v) => v.trim() === '')) return undefined
  const date = parseDate(fields)
  const time = parseTime(fields.time)
  if (date && time) return londonIso({ ...date, ...time })
  return `${fields.year.trim()}-${fields.month.trim()}-${fields.day.trim()}T${fields.time.trim()}`
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/

/** The four boxes for a draft's value: London time for an instant, the typed text otherwise. */
export function occurredAtFields(value: unknown): OccurredAtFields {
  if (typeof value !== 'string') return { day: '', month: '', year: '', time: '' }
  if (ISO.test(value) && !Number.isNaN(Date.parse(value))) {
    const wall = toLondon(new Date(value))
    return {
      day: String(wall.day),
      month: String(wall.month),
      year: String(wall.year),
      time: `${pad(wall.hour)}:${pad(wall.minute)}`,
    }
  }
  const match = RAW.exec(value)
  return match
    ? { year: match[1] ?? '', month: match[2] ?? '', day: match[3] ?? '', time: match[4] ?? '' }
    : { day: '', month: '', year: '', time: '' }
}

/**
 * What is wrong with typed boxes the schema rejected, box by box; none when nothing was typed (the schema's own
 * message, "Enter the date and time of the incident", says it best) or the value is not the boxes' text.
 */
export function occurredAtIssues(value: unknown): RuleIssue[] {
  if (typeof value !== 'string' || ISO.test(value) || !RAW.test(value)) return []
  const fields = occurredAtFields(value)
  const issues: RuleIssue[] = []
  const date = ['day', 'month', 'year'] as const
  const missing = date.filter((part) => fields[part].trim() === '')
  const at = ['incident', 'occurredAt']
  if (missing.length === 3) {
    issues.push({ path: at, message: 'Enter the date of the incident' })
  } else if (missing.length) {
    const parts = missing.join(' and ')
    issues.push({ path: at, message: `The date of the incident must include a ${parts}` })
  } else if (!/^\d{4}$/.test(fields.year.trim())) {
    issues.push({ path: at, message: 'The year must include 4 numbers, like 2025' })
  } else if (!parseDate(fields)) {
    issues.push({ path: at, message: 'The date of the incident must be a real date' })
  }
  if (fields.time.trim() === '') {
    issues.push({ path: [...at, 'time'], message: 'Enter the time of the incident' })
  } else if (!parseTime(fields.time)) {
    issues.push({ path: [...at, 'time'], message: 'Enter the time using the 24-hour clock, like 21:30' })
  }
  return issues
}
