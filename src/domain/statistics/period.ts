/**
 * The period of a statistic: whole months, 'YYYY-MM' to 'YYYY-MM' inclusive, in London time. Whole months because
 * every published figure is by month, quarter or financial year (April to March), and because monthly totals can be
 * kept up to date as reports arrive.
 */
export interface Period {
  readonly from: string
  readonly to: string
}

export const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/

/** The financial year starting in April of `startYear`: financialYear(2025) is April 2025 to March 2026. */
export function financialYear(startYear: number): Period {
  return { from: `${startYear}-04`, to: `${startYear + 1}-03` }
}

/** The months of a period, in order. */
export function monthsOf(period: Period): string[] {
  const months: string[] = []
  for (let month = period.from; month <= period.to; month = nextMonth(month)) months.push(month)
  return months
}

function nextMonth(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number]
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`
}
