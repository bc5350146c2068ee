import { check, rowsThatHold, type Check, type Figure, type ParsedSource } from './figures.js'
import { UnreadableWorkbookError } from './ods.js'
import { forceArea, forceAreas, type ForceArea } from './police-force-areas.js'

/**
 * The comparator CSV files: police officer FTE by force (Home Office Police workforce tables) and the 2011 Census
 * population by police force area and ethnic group (ONS QS201EW aggregated to force areas, in census groups or in
 * the Home Office officer-perceived groups). Which file it is comes from the header line; columns are found by name.
 * Any line that cannot be read stops the import with its line number.
 */

/** Home Office "Total 43 forces" officer FTE at 31 March, Police workforce tables (see shared data README). */
const publishedFteTotals: Record<string, number> = {
  '2015': 126_818.09,
  '2016': 124_066.25,
  '2017': 123_142.03,
  '2018': 122_403.8,
  '2019': 123_170.86,
}

/** 2011 Census usual residents, England and Wales (ONS). */
const CENSUS_2011_TOTAL = 56_075_912
const CENSUS_DAY = '2011-03-27'

export function readComparatorCsv(text: string): ParsedSource {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  const header = splitLine(lines[0] ?? '', 1)
  const rows = lines
    .map((line, i) => ({ line: i + 1, cells: line.trim() === '' ? null : splitLine(line, i + 1) }))
    .slice(1)
    .flatMap((r) => (r.cells ? [{ line: r.line, cells: r.cells }] : []))
  for (const r of rows)
    if (r.cells.length !== header.length)
      throw new UnreadableWorkbookError(
        `Line ${r.line}: ${r.cells.length} fields, but the header has ${header.length}.`,
      )
  if (header.includes('FTE Count')) return readWorkforce(header, rows)
  if (header[0] === 'PFA16NM') return readCensus(header, rows)
  if (header[0] === 'Police force' && header.includes('White')) return readCensusHomeOfficeGroups(header, rows)
  throw new UnreadableWorkbookError(
    `The CSV file's header (${header.slice(0, 4).join(', ')}, …) is not one of the comparator files: police ` +
      'workforce FTE by force, or the 2011 Census population by force area and ethnic group.',
  )
}

interface Row {
  line: number
  cells: string[]
}

function splitLine(line: string, lineNumber: number): string[] {
  // The published files have no quoted fields; refusing them beats misreading a comma inside quotes.
  if (line.includes('"'))
    throw new UnreadableWorkbookError(`Line ${lineNumber}: quoted fields are not supported in comparator files.`)
  return line.split(',').map((c) => c.trim())
}

function numberAt(row: Row, index: number, column: string): number {
  const text = row.cells[index] ?? ''
  const value = Number(text)
  if (text === '' || !Number.isFinite(value) || value < 0)
    throw new UnreadableWorkbookError(`Line ${row.line}, column "${column}": "${text}" is not a number.`)
  return value
}

function forceAt(row: Row, index: number): ForceArea {
  const name = row.cells[index] ?? ''
  const force = forceArea(name)
  if (!force) throw new UnreadableWorkbookError(`Line ${row.line}: "${name}" is not one of the 43 police force areas.`)
  return force
}

/**
 * Officer FTE. Each year also has Central Service Secondments and British Transport Police (not in the use-of-force
 * figures before YE March 2024), set aside, and a second West Midlands row that is the West Midlands *region*: it is
 * the one equal to its four forces' sum, and is kept as the region.
 */
function readWorkforce(header: string[], rows: Row[]): ParsedSource {
  const [nameColumn, fteColumn, yearColumn] = ['Police force', 'FTE Count', 'Year'].map((c) => header.indexOf(c))
  if (
    nameColumn === undefined ||
    fteColumn === undefined ||
    yearColumn === undefined ||
    [nameColumn, fteColumn, yearColumn].includes(-1)
  )
    throw new UnreadableWorkbookError('The workforce file needs the columns Police force, FTE Count and Year.')
  const byYear = new Map<string, Row[]>()
  for (const row of rows) {
    const year = row.cells[yearColumn] ?? ''
    if (!/^\d{4}$/.test(year)) throw new UnreadableWorkbookError(`Line ${row.line}: "${year}" is not a year.`)
    byYear.set(year, [...(byYear.get(year) ?? []), row])
  }
  const figures: Figure[] = []
  const checks: Check[] = []
  const notes = new Set<string>()
  for (const [year, yearRows] of byYear) {
    const date = `${year}-03-31`
    // Kept unrounded until stored, so the 43-force sum is the Home Office's to the penny.
    const fte = (row: Row) => numberAt(row, fteColumn, 'FTE Count')
    const forces = new Map<ForceArea, number[]>()
    for (const row of yearRows) {
      const name = row.cells[nameColumn] ?? ''
      if (/^(Central Service Secondments|British Transport Police)$/i.test(name)) {
        notes.add(`${name} rows set aside: not one of the 43 forces in the use-of-force figures.`)
        continue
      }
      const force = forceAt(row, nameColumn)
      forces.set(force, [...(forces.get(force) ?? []), fte(row)])
    }
    const westMidlands = forces.get('West Midlands') ?? []
    if (westMidlands.length === 2) {
      const others = (['Staffordshire', 'Warwickshire', 'West Mercia'] as const).map((f) => forces.get(f)?.[0] ?? 0)
      const [a = 0, b = 0] = westMidlands
      const isRegion = (candidate: number, force: number) =>
        Math.abs(candidate - (force + others.reduce((x, y) => x + y, 0))) < 0.05
      const regionValue = isRegion(a, b) ? a : isRegion(b, a) ? b : null
      if (regionValue === null)
        throw new UnreadableWorkbookError(
          `${year}: two West Midlands rows, and neither is the West Midlands region (the sum of its four forces).`,
        )
      forces.set('West Midlands', [regionValue === a ? b : a])
      figures.push(figure('officer_fte', date, date, 'region', 'West Midlands', '', pennies(regionValue)))
      notes.add('The second West Midlands row of each year is the West Midlands region, kept as the region.')
    }
    for (const [force, values] of forces) {
      if (values.length > 1) throw new UnreadableWorkbookError(`${year}: ${force} appears ${values.length} times.`)
      figures.push(figure('officer_fte', date, date, 'force', force, '', pennies(values[0] ?? 0)))
    }
    checks.push(check(`Officer FTE at 31 March ${year}: number of forces`, 43, forces.size))
    const total = pennies([...forces.values()].reduce((a, [v = 0]) => a + v, 0))
    const published = publishedFteTotals[year]
    if (published !== undefined)
      checks.push(
        check(`Officer FTE at 31 March ${year}: forces add up to the published 43-force total`, published, total, 0.01),
      )
  }
  return {
    source: 'police-workforce',
    title: 'Police workforce: officer FTE by force at 31 March',
    publishedOn: null,
    figures,
    checks,
    notes: [...notes],
  }
}

/** Census groups and their categories, from headers like "Ethnic Group: Asian/Asian British: Indian; measures: Value". */
function readCensus(header: string[], rows: Row[]): ParsedSource {
  const categories = header.slice(1).map((h) => {
    const match = /^Ethnic Group: (.+); measures: Value$/.exec(h)
    if (!match?.[1]) throw new UnreadableWorkbookError(`Column "${h}" is not a census ethnic group.`)
    return match[1] === 'All categories: Ethnic group' ? 'All' : match[1]
  })
  const figures = rows.flatMap((row) => {
    const force = forceAt(row, 0)
    return categories.map((category, i) =>
      figure(
        'population_2011',
        CENSUS_DAY,
        CENSUS_DAY,
        'force',
        force,
        category,
        numberAt(row, i + 1, header[i + 1] ?? ''),
      ),
    )
  })
  const value = (f: Figure, category: string) =>
    figures.find((g) => g.area === f.area && g.category === category)?.value ?? 0
  const groups = categories.filter((c) => c !== 'All' && !c.includes(':'))
  const describe = () => '2011 Census'
  const alls = figures.filter((f) => f.category === 'All')
  const checks = [
    ...rowsThatHold(
      alls,
      describe,
      'in every area the five groups add up to all usual residents',
      (f) => groups.reduce((a, g) => a + value(f, g), 0) === f.value,
    ),
    ...rowsThatHold(alls, describe, 'in every area each group equals the sum of its categories', (f) =>
      groups.every((g) => {
        // Categories name their group by its first word: "Asian/Asian British: Indian", "Other ethnic group: Arab".
        const parts = categories.filter((c) => c.includes(':') && c.split(/[\s:/]/)[0] === g)
        return parts.reduce((a, c) => a + value(f, c), 0) === value(f, g)
      }),
    ),
    ...populationChecks(alls),
  ]
  return {
    source: 'census-2011-ethnicity',
    title: '2011 Census: usual residents by ethnic group and police force area',
    publishedOn: '2013-01-30',
    figures,
    checks,
    notes: [],
  }
}

/** The same census counts in the Home Office groups (White, Black, Asian, Chinese, Mixed, Other). */
function readCensusHomeOfficeGroups(header: string[], rows: Row[]): ParsedSource {
  const groups = header.slice(1)
  const figures = rows.flatMap((row) => {
    const force = forceAt(row, 0)
    return groups.map((group, i) =>
      figure('population_2011_ho_groups', CENSUS_DAY, CENSUS_DAY, 'force', force, group, numberAt(row, i + 1, group)),
    )
  })
  const totals = forceAreas.flatMap((force) => {
    const own = figures.filter((f) => f.area === force)
    return own.length
      ? [
          {
            ...figure('population_2011_ho_groups', CENSUS_DAY, CENSUS_DAY, 'force', force, 'All', 0),
            value: own.reduce((a, f) => a + (f.value ?? 0), 0),
          },
        ]
      : []
  })
  return {
    source: 'census-2011-ho-ethnicity',
    title: '2011 Census: usual residents by police force area, in the Home Office ethnic groups',
    publishedOn: '2013-01-30',
    figures,
    checks: populationChecks(totals),
    notes: [],
  }
}

/** FTE is published to two decimal places; the file carries floating-point noise (2986.4700000000007). */
function pennies(n: number): number {
  return Math.round(n * 100) / 100
}

function populationChecks(perArea: Figure[]): Check[] {
  return [
    check('2011 Census: number of police force areas', 43, new Set(perArea.map((f) => f.area)).size),
    check(
      '2011 Census: areas add up to the England and Wales population',
      CENSUS_2011_TOTAL,
      perArea.reduce((a, f) => a + (f.value ?? 0), 0),
    ),
  ]
}

function figure(
  measure: Figure['measure'],
  periodStart: string,
  periodEnd: string,
  areaKind: Figure['areaKind'],
  area: string,
  category: string,
  value: number,
): Figure {
  return { measure, periodStart, periodEnd, areaKind, area, category, value, revised: false }
}
