import {
  check,
  periodLabel,
  rowsThatHold,
  sumChecks,
  measures,
  type Check,
  type Figure,
  type Measure,
  type ParsedSource,
} from './figures.js'
import { readOds, UnreadableWorkbookError, type CellValue, type Sheet } from './ods.js'
import { ENGLAND_AND_WALES, forceArea, region, type ForceArea } from './police-force-areas.js'

/**
 * Reads a published Home Office use-of-force workbook (YE March 2018 onwards) or the older CED statistics workbook
 * (calendar years to 2016). Layouts differ between years, so nothing is read from a fixed cell: tables are found by
 * their titles ("Table 12. Incidents by police force"), columns by their header labels, areas by the names in the
 * rows. Takes:
 *
 * - incidents by police force (the workbook's own financial year);
 * - CED use by type and police force, for every period a table covers (a title period, or a "Financial year"
 *   column when one table spans several years; revised figures are marked).
 *
 * A workbook with neither table, or a table whose columns cannot be found, is refused with a message that says what
 * was missing. Figures are then checked: forces add up to England and Wales and to their regions, and every CED row
 * keeps total = non-discharge + discharge + not stated with each part the sum of its levels.
 */

const TACTICS_TITLE = /^Number of times tactics were used(?: and total number of incidents in which they were used)?$/i
const INCIDENTS_TITLE = /^(?:incidents|reports) by police force/i
const CED_TITLE = /use of (?:CED|TASER.*?X26) by type,? (?:and )?police force/i

const cedColumns: Record<string, Measure> = {
  total: 'ced_total',
  'total non discharge': 'ced_non_discharge',
  drawn: 'ced_drawn',
  aimed: 'ced_aimed',
  'red dot': 'ced_red_dot',
  arced: 'ced_arced',
  'total discharge': 'ced_discharge',
  'drive stun': 'ced_drive_stun',
  fired: 'ced_fired',
  'angled drive stun': 'ced_angled_drive_stun',
  'angle drive stun': 'ced_angled_drive_stun',
  'not stated': 'ced_not_stated',
}

interface Period {
  start: string
  end: string
}

export function readHomeOfficeWorkbook(bytes: Uint8Array): ParsedSource {
  const sheets = readOds(bytes)
  const tables = sheets.flatMap(findTitles)
  const incidentTables = tables.filter((t) => INCIDENTS_TITLE.test(t.title))
  const cedTables = tables.filter((t) => CED_TITLE.test(t.title))
  if (incidentTables.length === 0 && cedTables.length === 0)
    throw new UnreadableWorkbookError(
      'No table titled "Incidents by police force" or "Use of CED by type and police force" was found in any sheet ' +
        `(sheets: ${sheets.map((s) => s.name).join(', ')}). Is this a Home Office use-of-force workbook?`,
    )
  const title = workbookTitle(sheets)
  const workbookPeriod = financialYearIn(title)
  const figures: Figure[] = []
  for (const table of incidentTables) {
    const period = workbookPeriod ?? financialYearIn(table.title)
    if (!period)
      throw new UnreadableWorkbookError(
        `Sheet ${table.sheet.name}: the period of "${table.title}" could not be found (no "1 April … to 31 March …" in the workbook's title).`,
      )
    figures.push(...readForceTable(table, { total: 'incidents' }, () => period))
  }
  for (const table of cedTables) {
    const titlePeriod = periodIn(table.title)
    figures.push(
      ...readForceTable(table, cedColumns, (row, columns) => {
        const yearColumn = columns.get('financial year')
        const year = yearColumn === undefined ? null : row[yearColumn]
        const period = typeof year === 'string' ? financialYear(year) : titlePeriod
        if (!period)
          throw new UnreadableWorkbookError(
            `Sheet ${table.sheet.name}: the period of "${table.title}" could not be found in its title or a "Financial year" column.`,
          )
        return period
      }),
    )
  }
  refuseDuplicates(figures)
  const describe = (f: Figure) => `${measures[f.measure]}, ${periodLabel(f.periodStart, f.periodEnd)}`
  return {
    source: 'ho-use-of-force-workbook',
    title,
    publishedOn: publicationDate(sheets),
    figures,
    checks: [
      ...sumChecks(figures, describe),
      ...cedIdentities(figures, describe),
      ...forceCounts(figures, describe),
      ...tableOneChecks(tables, figures, workbookPeriod),
    ],
    notes: [],
  }
}

interface TitledTable {
  sheet: Sheet
  title: string
  titleRow: number
}

/** "Table 12. Incidents by police force" (or "Table 2: …") in the first rows of a sheet. */
function findTitles(sheet: Sheet): TitledTable[] {
  const found: TitledTable[] = []
  sheet.rows.slice(0, 10).forEach((row, r) =>
    row.forEach((cell) => {
      const match = typeof cell === 'string' ? /^Table\s*\d+[a-z]?\s*[.:]\s*(.+)$/is.exec(cell.trim()) : null
      if (match?.[1]) found.push({ sheet, title: match[1].replace(/\s+/g, ' ').trim(), titleRow: r })
    }),
  )
  return found
}

/** Header labels compared without case, footnote digits, asterisks, hyphens or "(R)". */
function label(cell: CellValue): string {
  return typeof cell === 'string'
    ? cell
        .toLowerCase()
        .replace(/\(r\)/g, '')
        .replace(/[*®]/g, '')
        .replace(/[-–/]/g, ' ')
        .replace(/(?<=[a-z])\d+$/, '')
        .replace(/\s+/g, ' ')
        .trim()
    : ''
}

/**
 * Reads one table of figures by police force: the header row is the first below the title with a "Police force"
 * column; rows follow until a blank row or the notes. Each row is an area; `columns` maps header labels to measures.
 */
function readForceTable(
  table: TitledTable,
  columns: Record<string, Measure>,
  periodOf: (row: CellValue[], header: Map<string, number>) => Period,
): Figure[] {
  const { sheet } = table
  const where = `Sheet ${sheet.name} ("${table.title}")`
  const headerIndex = sheet.rows.findIndex(
    (row, r) => r > table.titleRow && row.some((c) => ['police force', 'police force region'].includes(label(c))),
  )
  const headerRow = sheet.rows[headerIndex]
  if (!headerRow) throw new UnreadableWorkbookError(`${where}: no header row with a "Police force" column was found.`)
  const header = new Map<string, number>()
  headerRow.forEach((c, i) => label(c) && !header.has(label(c)) && header.set(label(c), i))
  const nameColumn = header.get('police force') ?? header.get('police force region') ?? 0
  const regionColumn = header.get('region')
  const valueColumns = Object.entries(columns).flatMap(([l, m]) => {
    const i = header.get(l)
    return i === undefined ? [] : [{ measure: m, column: i, label: l }]
  })
  const missing = [...new Set(Object.values(columns))].filter((m) => !valueColumns.some((v) => v.measure === m))
  if (missing.length > 0)
    throw new UnreadableWorkbookError(
      `${where}: no column for ${missing.map((m) => `"${measures[m]}"`).join(', ')} (columns found: ${[...header.keys()].join(', ')}).`,
    )
  const figures: Figure[] = []
  const regionsSeen = new Set<string>()
  for (let r = headerIndex + 1; r < sheet.rows.length; r++) {
    const row = sheet.rows[r] ?? []
    const rawName = row[nameColumn]
    if (row.every((c) => c === null) || typeof rawName !== 'string' || /^(notes?|source)\b/i.test(rawName)) break
    const area = resolveArea(rawName, regionColumn === undefined, regionsSeen)
    if (!area)
      throw new UnreadableWorkbookError(
        `${where}, row ${r + 1}: "${rawName}" is not a police force, region or England and Wales.`,
      )
    const period = periodOf(row, header)
    const revisedRow = /\(R\)/.test(rawName)
    for (const { measure, column, label: columnLabel } of valueColumns) {
      const value = figureValue(row[column], () => `${where}, row ${r + 1}, column "${columnLabel}"`)
      const flag = row[column + 1]
      const revised = revisedRow || (headerRow[column + 1] == null && typeof flag === 'string' && flag.trim() === 'R')
      figures.push({ measure, periodStart: period.start, periodEnd: period.end, ...area, category: '', value, revised })
    }
  }
  if (figures.length === 0) throw new UnreadableWorkbookError(`${where}: the table has no rows.`)
  return figures
}

function figureValue(cell: CellValue | undefined, where: () => string): number | null {
  if (typeof cell === 'number') return cell
  const text = (cell ?? '').trim()
  // ':' and '..' are the Home Office's "not available"; an empty cell is the same thing, never a zero.
  if (text === ':' || text === '..' || text === '') return null
  if (/^-?[\d,]+(\.\d+)?$/.test(text)) return Number(text.replace(/,/g, ''))
  throw new UnreadableWorkbookError(`${where()}: "${text}" is not a number or a not-available marker.`)
}

/**
 * "Total England and Wales" and "England and Wales" are the nation; "Total North East" a region. Where regions
 * and forces share one column with no "Total" prefix (the 2016 workbook), a region's row comes before its forces,
 * so West Midlands is the region the first time and the force the second.
 */
function resolveArea(
  raw: string,
  sharedColumn: boolean,
  regionsSeen: Set<string>,
): { areaKind: Figure['areaKind']; area: string } | undefined {
  const name = raw
    .replace(/\(R\)/g, '')
    .replace(/^\*/, '')
    .replace(/(?<=[a-z])\d+$/, '')
    .trim()
  const totalOf = /^Total\s+(.+)$/i.exec(name)?.[1]
  const bare = totalOf ?? name
  if (bare.toLowerCase() === ENGLAND_AND_WALES.toLowerCase()) return { areaKind: 'national', area: ENGLAND_AND_WALES }
  const asRegion = region(bare)
  if (asRegion && (totalOf || (sharedColumn && !regionsSeen.has(asRegion)))) {
    regionsSeen.add(asRegion)
    return { areaKind: 'region', area: asRegion }
  }
  const force: ForceArea | undefined = totalOf ? undefined : forceArea(bare)
  return force ? { areaKind: 'force', area: force } : undefined
}

function workbookTitle(sheets: Sheet[]): string {
  for (const sheet of sheets.slice(0, 3))
    for (const row of sheet.rows.slice(0, 5))
      for (const cell of row)
        if (typeof cell === 'string' && /statistics,? England and Wales/i.test(cell)) return cell.trim()
  return sheets.map((s) => s.name).join(', ')
}

function publicationDate(sheets: Sheet[]): string | null {
  for (const sheet of sheets.slice(0, 3))
    for (const row of sheet.rows.slice(0, 10))
      for (const cell of row) {
        if (typeof cell !== 'string') continue
        const long = /Publication date:\s*(\d{1,2}) (\w+) (\d{4})/i.exec(cell)
        if (long) return isoDate(Number(long[3]), monthNumber(long[2] ?? ''), Number(long[1]))
        const short = /last updated (\d{2})\/(\d{2})\/(\d{4})/i.exec(cell)
        if (short) return isoDate(Number(short[3]), Number(short[2]), Number(short[1]))
      }
  return null
}

function monthNumber(name: string): number {
  const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
  return months.indexOf(name.slice(0, 3).toLowerCase()) + 1
}

function isoDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/** "1 April 2017 to 31 March 2018" (one financial year only). */
function financialYearIn(text: string): Period | null {
  const match = /1 April (\d{4}) to 31 March (\d{4})/i.exec(text)
  return match && Number(match[2]) === Number(match[1]) + 1 ? fy(Number(match[1])) : null
}

/** "2017/18" or "2017-18". */
function financialYear(text: string): Period | null {
  const match = /^(\d{4})\s*[/-]\s*(\d{2})$/.exec(text.trim())
  return match && (Number(match[1]) + 1) % 100 === Number(match[2]) ? fy(Number(match[1])) : null
}

function fy(startYear: number): Period {
  return { start: `${startYear}-04-01`, end: `${startYear + 1}-03-31` }
}

/** The period in a CED table's title: a financial year, January to March, or a calendar year. */
function periodIn(title: string): Period | null {
  const quarter = /January to March (\d{4})/i.exec(title)
  if (quarter) return { start: `${quarter[1]}-01-01`, end: `${quarter[1]}-03-31` }
  const calendar = /January to December (\d{4})/i.exec(title) ?? /,\s*(\d{4})\s*$/.exec(title)
  if (calendar) return { start: `${calendar[1]}-01-01`, end: `${calendar[1]}-12-31` }
  return financialYearIn(title)
}

function refuseDuplicates(figures: Figure[]): void {
  const seen = new Set<string>()
  for (const f of figures) {
    const key = `${f.measure}|${f.periodStart}|${f.periodEnd}|${f.areaKind}|${f.area}|${f.category}`
    if (seen.has(key))
      throw new UnreadableWorkbookError(
        `The workbook gives ${measures[f.measure]} for ${f.area}, ${periodLabel(f.periodStart, f.periodEnd)} twice.`,
      )
    seen.add(key)
  }
}

/** Total = non-discharge + discharge + not stated, and each of those the sum of its levels, on every row. */
function cedIdentities(figures: Figure[], describe: (f: Figure) => string): Check[] {
  const value = new Map<string, number | null>()
  const rowKey = (f: Figure, m: Measure) => `${m}|${f.periodStart}|${f.periodEnd}|${f.areaKind}|${f.area}`
  for (const f of figures) value.set(rowKey(f, f.measure), f.value)
  const identities: [Measure, Measure[]][] = [
    ['ced_total', ['ced_non_discharge', 'ced_discharge', 'ced_not_stated']],
    ['ced_non_discharge', ['ced_drawn', 'ced_aimed', 'ced_red_dot', 'ced_arced']],
    ['ced_discharge', ['ced_drive_stun', 'ced_fired', 'ced_angled_drive_stun']],
  ]
  return identities.flatMap(([total, parts]) => {
    const periods = new Map<string, Figure[]>()
    for (const f of figures)
      if (f.measure === total && [total, ...parts].every((m) => value.get(rowKey(f, m)) != null))
        periods.set(f.periodStart + f.periodEnd, [...(periods.get(f.periodStart + f.periodEnd) ?? []), f])
    const what = `every row equals ${parts.map((p) => measures[p].split(' (')[0]).join(' + ')}`
    return [...periods.values()].flatMap((rows) =>
      rowsThatHold(rows, describe, what, (f) => {
        const sum = parts.reduce((a, m) => a + (value.get(rowKey(f, m)) ?? 0), 0)
        return sum === f.value
      }),
    )
  })
}

/**
 * Table 1's national totals against the tables by force: the incidents (a "Total number of incidents" row in YE
 * March 2018; the "Total Tactics" row's "Number of incidents involving tactic" column from YE March 2019) and the
 * CED uses (the "CED, of which" row's first figure), all found by their labels.
 */
function tableOneChecks(tables: TitledTable[], figures: Figure[], period: Period | null): Check[] {
  const table = tables.find((t) => TACTICS_TITLE.test(t.title))
  if (!table || !period) return []
  const rows = table.sheet.rows.slice(table.titleRow + 1)
  const rowLabelled = (pattern: RegExp) => rows.find((row) => row.some((c) => pattern.test(label(c))))
  const firstNumber = (row: CellValue[] | undefined) => row?.find((c): c is number => typeof c === 'number')
  const incidentsColumn = rowLabelled(/^number of incidents involving tactic$/)?.findIndex(
    (c) => label(c) === 'number of incidents involving tactic',
  )
  const totalRow = rowLabelled(/^total number of incidents$/)
  const tacticsRow = rowLabelled(/^total tactics$/)
  const incidents = totalRow
    ? firstNumber(totalRow)
    : incidentsColumn !== undefined && typeof tacticsRow?.[incidentsColumn] === 'number'
      ? tacticsRow[incidentsColumn]
      : undefined
  const ced = firstNumber(rowLabelled(/^ced,? of which$/))
  const national = (measure: Measure) =>
    figures.find(
      (f) =>
        f.measure === measure &&
        f.areaKind === 'national' &&
        f.periodStart === period.start &&
        f.periodEnd === period.end,
    )?.value
  const year = periodLabel(period.start, period.end)
  const checks: Check[] = []
  const incidentsByForce = national('incidents')
  if (typeof incidents === 'number' && typeof incidentsByForce === 'number')
    checks.push(
      check(`Table 1 incidents, ${year}: equal the England and Wales incidents by force`, incidentsByForce, incidents),
    )
  const cedByForce = national('ced_total')
  if (typeof ced === 'number' && typeof cedByForce === 'number')
    checks.push(check(`Table 1 CED uses, ${year}: equal the England and Wales CED total by force`, cedByForce, ced))
  return checks
}

/** Every table by force should name all 43 forces. */
function forceCounts(figures: Figure[], describe: (f: Figure) => string): Check[] {
  const groups = new Map<string, { first: Figure; count: number }>()
  for (const f of figures.filter((f) => f.areaKind === 'force')) {
    const key = `${f.measure}|${f.periodStart}|${f.periodEnd}`
    const group = groups.get(key)
    groups.set(key, { first: group?.first ?? f, count: (group?.count ?? 0) + 1 })
  }
  return [...groups.values()].map(({ first, count }) => check(`${describe(first)}: number of forces`, 43, count))
}
