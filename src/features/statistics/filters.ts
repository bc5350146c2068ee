import { z } from 'zod'
import type { Db } from '../../db/database.js'
import { financialYear, MONTH_PATTERN, monthsOf, type Period } from '../../domain/statistics/period.js'
import type { FieldError } from '../../web/render.js'

/**
 * The analyst's choice of period and unit, from the query string. Periods are whole months (a financial year, a
 * quarter or any run of months); the unit is any unit of the force, counting it and everything below it.
 */
export interface StatisticsFilter {
  period: Period
  unitId: string | null
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]

export function monthLabel(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number]
  return `${MONTHS[m - 1] ?? ''} ${year}`
}

export function periodLabel(period: Period): string {
  return period.from === period.to ? monthLabel(period.from) : `${monthLabel(period.from)} to ${monthLabel(period.to)}`
}

export function shiftMonth(month: string, by: number): string {
  const [year, m] = month.split('-').map(Number) as [number, number]
  const index = year * 12 + (m - 1) + by
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`
}

/** The financial year (April to March) a month falls in, as its first year. */
export function financialYearOf(month: string): number {
  const [year, m] = month.split('-').map(Number) as [number, number]
  return m >= 4 ? year : year - 1
}

/** The default: the current financial year up to the last complete month (the whole of last year in April). */
export function defaultPeriod(thisMonth: string): Period {
  const last = shiftMonth(thisMonth, -1)
  return { from: financialYear(financialYearOf(last)).from, to: last }
}

const query = z.object({
  from: z.string().optional(),
  to: z.string().optional(),
  unit: z.string().optional(),
})

/** Reads the filter; anything wrong gives field errors and the default in its place, so the page still shows. */
export async function parseFilter(
  db: Db,
  forceId: string,
  raw: unknown,
  thisMonth: string,
): Promise<{ filter: StatisticsFilter; errors: FieldError[]; typed: Record<string, string> }> {
  const parsed = query.safeParse(raw)
  const q = parsed.success ? parsed.data : {}
  const errors: FieldError[] = []
  const fallback = defaultPeriod(thisMonth)
  const from = q.from?.trim() || fallback.from
  const to = q.to?.trim() || fallback.to
  let period: Period = { from, to }
  if (!MONTH_PATTERN.test(from)) errors.push({ field: 'from', text: 'Choose the first month from the list' })
  if (!MONTH_PATTERN.test(to)) errors.push({ field: 'to', text: 'Choose the last month from the list' })
  if (errors.length === 0 && from > to)
    errors.push({ field: 'to', text: 'The last month must be the same as or after the first month' })
  if (errors.length === 0 && to >= thisMonth)
    errors.push({ field: 'to', text: 'The last month must be a complete month, before this one' })
  if (errors.length > 0) period = fallback
  let unitId: string | null = q.unit?.trim() || null
  if (unitId !== null && !(await unitOfForce(db, forceId, unitId))) {
    errors.push({ field: 'unit', text: 'Choose a unit from the list' })
    unitId = null
  }
  return { filter: { period, unitId }, errors, typed: { from, to, unit: q.unit ?? '' } }
}

const uuid = z.uuid()

async function unitOfForce(db: Db, forceId: string, unitId: string): Promise<boolean> {
  if (!uuid.safeParse(unitId).success) return false
  const unit = await db
    .selectFrom('org_units')
    .select('id')
    .where('id', '=', unitId)
    .where('force_id', '=', forceId)
    .executeTakeFirst()
  return unit !== undefined
}

/** The force's units for the filter, each under its parent (a BCU, then its teams), closed ones left out. */
export async function unitChoices(db: Db, forceId: string): Promise<{ id: string; name: string; depth: number }[]> {
  const units = await db
    .selectFrom('org_units')
    .select(['id', 'parent_id', 'name', 'kind'])
    .where('force_id', '=', forceId)
    .where('closed_at', 'is', null)
    .orderBy('name')
    .execute()
  const children = new Map<string | null, typeof units>()
  for (const unit of units) children.set(unit.parent_id, [...(children.get(unit.parent_id) ?? []), unit])
  const ids = new Set(units.map((u) => u.id))
  const out: { id: string; name: string; depth: number }[] = []
  const walk = (parent: string | null, depth: number) => {
    for (const unit of children.get(parent) ?? []) {
      // The force's own top unit is "the whole force", which is the empty choice.
      if (unit.kind !== 'force') out.push({ id: unit.id, name: unit.name, depth })
      walk(unit.id, unit.kind === 'force' ? depth : depth + 1)
    }
  }
  for (const unit of units) if (unit.parent_id === null || !ids.has(unit.parent_id)) walk(unit.parent_id, 0)
  return uniqueById(out)
}

function uniqueById<T extends { id: string }>(items: T[]): T[] {
  const seen = new Set<string>()
  return items.filter((item) => !seen.has(item.id) && seen.add(item.id))
}

/** Quick choices: the last three financial years and the last four complete quarters. */
export function periodShortcuts(thisMonth: string): { label: string; period: Period }[] {
  const last = shiftMonth(thisMonth, -1)
  const fy = financialYearOf(last)
  const years = [fy, fy - 1, fy - 2].map((y) => {
    const whole = financialYear(y)
    const period = whole.to > last ? { from: whole.from, to: last } : whole
    const label = `Financial year ${y} to ${y + 1}${whole.to > last ? ' so far' : ''}`
    return { label, period }
  })
  // Quarters of the financial year: April to June, July to September, October to December, January to March.
  const quarters: { label: string; period: Period }[] = []
  let end = last
  while (!['03', '06', '09', '12'].includes(end.slice(5))) end = shiftMonth(end, -1)
  for (let i = 0; i < 4; i++) {
    const period = { from: shiftMonth(end, -2), to: end }
    quarters.push({ label: periodLabel(period), period })
    end = shiftMonth(end, -3)
  }
  return [...years, ...quarters]
}

/** The months offered in the selects: the last five years, newest first. */
export function monthChoices(thisMonth: string): string[] {
  return monthsOf({ from: shiftMonth(thisMonth, -60), to: shiftMonth(thisMonth, -1) }).reverse()
}
