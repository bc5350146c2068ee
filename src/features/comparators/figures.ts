import { regions, type Region } from './police-force-areas.js'

/**
 * National comparator figures in one long shape, whatever file they came from: one number per measure, period,
 * area and (for population) category. A null value is "not available" (':' or '..' in Home Office tables), never 0.
 */
export const measures = {
  incidents: 'Use-of-force incidents (one officer, one person)',
  ced_total: 'CED use, highest per incident (per use before April 2017)',
  ced_non_discharge: 'CED non-discharge (drawn, aimed, red-dot, arced)',
  ced_drawn: 'CED drawn',
  ced_aimed: 'CED aimed',
  ced_red_dot: 'CED red-dot',
  ced_arced: 'CED arced',
  ced_discharge: 'CED discharge (drive stun, fired, angled drive stun)',
  ced_drive_stun: 'CED drive stun',
  ced_fired: 'CED fired',
  ced_angled_drive_stun: 'CED angled drive stun',
  ced_not_stated: 'CED level of use not stated',
  officer_fte: 'Police officers, full-time equivalent, at 31 March',
  population_2011: '2011 Census usual residents, by census ethnic group',
  population_2011_ho_groups: '2011 Census usual residents, in the Home Office officer-perceived ethnic groups',
} as const

export type Measure = keyof typeof measures
export type AreaKind = 'force' | 'region' | 'national'

export interface Figure {
  measure: Measure
  /** Calendar dates, 'YYYY-MM-DD'; a snapshot (workforce at 31 March, census day) has start = end. */
  periodStart: string
  periodEnd: string
  areaKind: AreaKind
  area: string
  /** '' unless the measure is broken down (e.g. an ethnic group). */
  category: string
  value: number | null
  /** Marked as revised in the source ("(R)" after a name, or an "R" beside a value). */
  revised: boolean
}

/** One consistency check on an imported file, e.g. "forces add up to England and Wales". */
export interface Check {
  name: string
  expected: number
  actual: number
  ok: boolean
}

/** What one file gave: its figures, the checks run on them, and anything set aside on the way. */
export interface ParsedSource {
  source: 'ho-use-of-force-workbook' | 'police-workforce' | 'census-2011-ethnicity' | 'census-2011-ho-ethnicity'
  title: string
  publishedOn: string | null
  figures: Figure[]
  checks: Check[]
  notes: string[]
}

export function check(name: string, expected: number, actual: number, tolerance = 0): Check {
  return { name, expected, actual, ok: Math.abs(expected - actual) <= tolerance + 1e-9 }
}

/** How a period is named on pages and in messages: 2017/18, 2016, 31 March 2019, or 1 January to 31 March 2017. */
export function periodLabel(start: string, end: string): string {
  const [sy, sm, sd] = start.split('-')
  const [ey, em, ed] = end.split('-')
  if (sm === '04' && sd === '01' && em === '03' && ed === '31' && Number(ey) === Number(sy) + 1)
    return `${sy}/${(ey ?? '').slice(2)}`
  if (sm === '01' && sd === '01' && em === '12' && ed === '31' && sy === ey) return sy ?? start
  if (start === end) return longDate.format(new Date(`${start}T00:00:00Z`))
  const from = longDate.format(new Date(`${start}T00:00:00Z`))
  return `${sy === ey ? from.replace(/ \d{4}$/, '') : from} to ${longDate.format(new Date(`${end}T00:00:00Z`))}`
}

const longDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })

const groupKey = (f: Figure) => `${f.measure}|${f.periodStart}|${f.periodEnd}|${f.category}`

/**
 * For every measure, period and category that has an England and Wales figure: the forces add up to it, and each
 * region figure equals its forces (one check over all the regions, naming any that do not). Figures not available
 * count as nothing in a sum.
 */
export function sumChecks(figures: readonly Figure[], describe: (f: Figure) => string, tolerance = 0): Check[] {
  const groups = new Map<string, Figure[]>()
  for (const f of figures) groups.set(groupKey(f), [...(groups.get(groupKey(f)) ?? []), f])
  const checks: Check[] = []
  const total = (list: Figure[]) => Math.round(list.reduce((a, f) => a + (f.value ?? 0), 0) * 100) / 100
  for (const group of groups.values()) {
    const forces = group.filter((f) => f.areaKind === 'force')
    for (const national of group.filter((f) => f.areaKind === 'national' && f.value !== null))
      checks.push(
        check(
          `${describe(national)}: forces add up to England and Wales`,
          national.value ?? 0,
          total(forces),
          tolerance,
        ),
      )
    checks.push(
      ...rowsThatHold(
        group.filter((f) => f.areaKind === 'region' && f.value !== null),
        describe,
        'regions equal the sum of their forces',
        (r) => {
          const members: readonly string[] = regions[r.area as Region] ?? []
          return Math.abs((r.value ?? 0) - total(forces.filter((f) => members.includes(f.area)))) <= tolerance + 1e-9
        },
      ),
    )
  }
  return checks
}

/** One check over many rows: how many of them hold, naming the first few that do not. */
export function rowsThatHold(
  rows: readonly Figure[],
  describe: (f: Figure) => string,
  what: string,
  holds: (f: Figure) => boolean,
): Check[] {
  const first = rows[0]
  if (!first) return []
  const failing = rows.filter((f) => !holds(f)).map((f) => f.area)
  const named = failing.length ? ` (not: ${failing.slice(0, 5).join(', ')}${failing.length > 5 ? ', …' : ''})` : ''
  return [check(`${describe(first)}: ${what}${named}`, rows.length, rows.length - failing.length)]
}
