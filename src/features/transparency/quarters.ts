import { MONTH_PATTERN, type Period } from '../../domain/statistics/period.js'
import { formatMonth, shiftMonth } from '../../domain/calendar.js'

/**
 * Publications are quarterly: April to June, July to September, October to December and January to March, the
 * quarters of the financial year in which the Home Office collects the data. A quarter is named by its first month.
 */
export function quarterStarting(month: string): Period | null {
  const match = MONTH_PATTERN.exec(month)
  if (!match || (Number(match[2]) - 1) % 3 !== 0) return null
  return { from: month, to: shiftMonth(month, 2) }
}

/** The quarters that have ended by `today` ('YYYY-MM-DD', London), latest first. */
export function endedQuarters(today: string, count: number): Period[] {
  const month = Number(today.slice(5, 7))
  const current = `${today.slice(0, 4)}-${String(month - ((month - 1) % 3)).padStart(2, '0')}`
  return Array.from({ length: count }, (_, i) => {
    const from = shiftMonth(current, -3 * (i + 1))
    return { from, to: shiftMonth(from, 2) }
  })
}

/** 'April to June 2026 (2026/27, quarter 1)'. */
export function quarterLabel(period: Period): string {
  const year = Number(period.from.slice(0, 4))
  const month = Number(period.from.slice(5, 7))
  const fyStart = month >= 4 ? year : year - 1
  const quarter = month >= 4 ? (month - 1) / 3 : 4
  const [first] = formatMonth(period.from).split(' ')
  return `${first} to ${formatMonth(period.to)} (${fyStart}/${String(fyStart + 1).slice(2)}, quarter ${quarter})`
}
