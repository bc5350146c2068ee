import {
  breakdownLayouts,
  breakdownRows,
  byAreaLayouts,
  leavesOf,
  officerInjuryRows,
  table1Rows,
  tacticNotes,
  tacticRowSums,
  type BreakdownLayout,
  type TacticRow,
} from '../../domain/statistics/ho-tables.js'
import type { CellRef, CellSum, StatColumn, StatRow, StatTable } from '../../domain/statistics/stat-table.js'
import { cedLevels, isDischarge } from '../../domain/use-of-force/ced.js'
import {
  officerInjuryLevels,
  subjectInjured,
  subjectInjuryLevels,
  yesNoNotReported,
} from '../../domain/use-of-force/context.js'
import type { Db } from '../../db/database.js'
import { countReports, type Area, type EngineCounts, type EngineQuery } from './engine.js'

/**
 * The Home Office table set (tables 1 to 17) as StatTables, laid out from the engine's counts. Nothing here decides
 * which report counts where (the engine does, in SQL); this only places counts in cells and adds up a parent row's
 * "times reported" from its parts, as the HO layout defines it, and states the identities the tables keep.
 */
export async function tableSet(db: Db, query: EngineQuery): Promise<StatTable[]> {
  return buildTables(await countReports(db, query))
}

export function buildTables(counts: EngineCounts): StatTable[] {
  const c = new Reader(counts)
  return [
    table1(c),
    ...breakdownLayouts.map((layout) => breakdownTable(c, layout)),
    table10(c),
    table11(c),
    table12(c),
    table13(c),
    ...byAreaLayouts.map((spec) => byAreaTable(c, spec)),
  ]
}

/** The engine's counts, with a row's "times reported" added up from its leaves as the HO layout defines it. */
class Reader {
  readonly areas: readonly Area[]

  constructor(readonly counts: EngineCounts) {
    this.areas = counts.areas
  }

  /** Reports matching one row, in one area (null: the scope), optionally only those in one breakdown column. */
  reports(area: string | null, rowKey: string, column?: { dimension: string; key: string }): number {
    return this.counts.reports(area, rowKey, column)
  }

  /** Times a row was reported: a leaf counts once per report, a parent is the sum of its parts. */
  times(rows: readonly TacticRow[], rowKey: string, area: string | null, column?: { dimension: string; key: string }) {
    return leavesOf(rows, rowKey).reduce((sum, leaf) => sum + this.counts.reports(area, leaf, column), 0)
  }
}

const COMMON_NOTES = [tacticNotes.coverage, tacticNotes.unit, tacticNotes.onceEach]

function table1(c: Reader): StatTable {
  const rows: StatRow[] = table1Rows.map((row) => ({
    key: row.key,
    label: row.label,
    depth: row.depth,
    ...(row.total ? { total: true } : {}),
    values: [c.times(table1Rows, row.key, null), c.reports(null, row.key)],
  }))
  const index = new Map(table1Rows.map((row, i) => [row.key, i]))
  const sums: CellSum[] = [
    ...tacticRowSums(table1Rows).map(({ total, parts }) =>
      sumOf(
        [total, 0],
        parts.map((p) => [p, 0] as const),
      ),
    ),
    // A leaf is counted once per report: its times are its reports.
    ...table1Rows.flatMap((row, i) => (row.parts.length === 0 ? [sumOf([i, 1], [[i, 0]])] : [])),
    // Each CED report has exactly one highest level or none ("Not stated").
    sumOf(
      [index.get('ced') ?? -1, 1],
      (table1Rows.find((r) => r.key === 'ced')?.parts ?? []).map((p) => [index.get(p) ?? -1, 1] as const),
    ),
  ]
  return {
    id: 'table-1',
    title: 'Table 1: Number of times tactics were used and total number of incidents in which they were used',
    rowHeading: 'Tactic',
    columns: [
      { key: 'times', label: 'Number of times tactic reported' },
      { key: 'reports', label: 'Number of incidents involving tactic' },
    ],
    rows,
    sums,
    notes: [
      ...COMMON_NOTES,
      'The number of incidents involving each tactic does not sum to the total number of incidents as multiple tactics can be used in an incident.',
      tacticNotes.highestCed,
      tacticNotes.cedNotStated,
      tacticNotes.notReported,
      'The total number of incidents on the Total Tactics row is every incident, those in which no tactic was reported included.',
      tacticNotes.tacticalCommunication,
      tacticNotes.totalExcludes,
    ],
  }
}

const sumOf = (total: CellRef, parts: readonly CellRef[]): CellSum => ({ total, parts })

const HEADER_ROW = 'Total number of incidents involving group'
const TIMES_COLUMN: StatColumn = { key: 'total', label: 'Number of times tactic reported' }

/** One block of tactic rows for a breakdown: the group header row, then the tactic rows, for an area or the scope. */
function breakdownBlock(
  c: Reader,
  layout: Pick<BreakdownLayout, 'dimension' | 'columns' | 'singleValued'>,
  area: string | null,
  labels: { header: string; keyPrefix: string; depthOffset: number },
): StatRow[] {
  const header: StatRow = {
    key: `${labels.keyPrefix}group-reports`,
    label: labels.header,
    depth: labels.depthOffset,
    total: true,
    values: [
      ...layout.columns.map((col) => c.reports(area, 'total', { dimension: layout.dimension, key: col.key })),
      c.reports(area, 'total'),
    ],
  }
  const tactic = breakdownRows.map((row) => ({
    key: `${labels.keyPrefix}${row.key}`,
    label: row.label,
    depth: row.depth + labels.depthOffset + 1,
    ...(row.total ? { total: true } : {}),
    values: [
      ...layout.columns.map((col) =>
        c.times(breakdownRows, row.key, area, { dimension: layout.dimension, key: col.key }),
      ),
      c.times(breakdownRows, row.key, area),
    ],
  }))
  return [header, ...tactic]
}

/** The identities within one block starting at row `offset`: parents, and for one-value-per-report answers, columns. */
function blockSums(offset: number, columns: number, singleValued: boolean): CellSum[] {
  const sums: CellSum[] = []
  for (const { total, parts } of tacticRowSums(breakdownRows)) {
    for (let col = 0; col <= columns; col++) {
      sums.push(
        sumOf(
          [offset + 1 + total, col],
          parts.map((p) => [offset + 1 + p, col] as const),
        ),
      )
    }
  }
  if (singleValued) {
    for (let row = 0; row <= breakdownRows.length; row++) {
      sums.push(
        sumOf(
          [offset + row, columns],
          Array.from({ length: columns }, (_, col) => [offset + row, col] as const),
        ),
      )
    }
  }
  return sums
}

function breakdownTable(c: Reader, layout: BreakdownLayout): StatTable {
  const rows = breakdownBlock(c, layout, null, { header: HEADER_ROW, keyPrefix: '', depthOffset: 0 })
  const columns: StatColumn[] = [
    ...layout.columns.map((col) => ({ key: col.key, label: col.label, group: layout.heading })),
    TIMES_COLUMN,
  ]
  return {
    id: `table-${layout.number}`,
    title: `Table ${layout.number}: ${layout.title}`,
    rowHeading: 'Tactic',
    columns,
    rows,
    sums: blockSums(0, layout.columns.length, layout.singleValued),
    notes: [
      ...COMMON_NOTES,
      ...layout.notes,
      ...(layout.singleValued
        ? []
        : [`Incidents with no ${layout.heading.toLowerCase()} recorded are not in the columns.`]),
      'CED is shown by its highest use in each incident: non-discharge (drawn, aimed, red-dot, arced), discharge (drive-stun, fired, angled drive-stun) or not stated.',
      tacticNotes.tacticalCommunication,
      tacticNotes.totalExcludes,
    ],
  }
}

function byAreaTable(c: Reader, spec: (typeof byAreaLayouts)[number]): StatTable {
  const layout = breakdownLayouts.find((l) => l.dimension === spec.of)
  if (!layout) throw new Error(`No layout for ${spec.of}`)
  const blocks: StatRow[][] = [
    breakdownBlock(c, layout, null, {
      header: `${scopeTotalLabel(c)}: ${HEADER_ROW.toLowerCase()}`,
      keyPrefix: 'all.',
      depthOffset: 0,
    }),
    ...c.areas.map((area) =>
      breakdownBlock(c, layout, area.key, {
        header: `${area.label}: ${HEADER_ROW.toLowerCase()}`,
        keyPrefix: `${area.key}.`,
        depthOffset: 0,
      }),
    ),
  ]
  const blockSize = breakdownRows.length + 1
  const columns = layout.columns.length
  const sums: CellSum[] = blocks.flatMap((_, b) => blockSums(b * blockSize, columns, true))
  // The scope's block is the sum of its areas' blocks, cell by cell.
  if (c.areas.length > 0) {
    for (let row = 0; row < blockSize; row++) {
      for (let col = 0; col <= columns; col++) {
        sums.push(
          sumOf(
            [row, col],
            c.areas.map((_, a) => [(a + 1) * blockSize + row, col] as const),
          ),
        )
      }
    }
  }
  return {
    id: `table-${spec.number}`,
    title: `Table ${spec.number}: ${spec.title}`,
    rowHeading: 'Police force and tactic',
    columns: [
      ...layout.columns.map((col) => ({ key: col.key, label: col.label, group: layout.heading })),
      TIMES_COLUMN,
    ],
    rows: blocks.flat(),
    sums,
    notes: [
      ...COMMON_NOTES,
      ...layout.notes,
      areaNote(c),
      tacticNotes.tacticalCommunication,
      tacticNotes.totalExcludes,
    ],
  }
}

const scopeTotalLabel = (c: Reader) => `Total ${c.counts.scopeLabel}`

function areaNote(c: Reader): string {
  return !c.counts.national
    ? 'Within one force the rows are its basic command units, by the unit of the reporting officer; Other units are force departments and reports with no unit.'
    : 'One row for each force in the database, with or without reports in the period.'
}

/** Rows for the scope and each area, with the sums that say the areas add up to the scope. */
function areaRows(c: Reader, values: (area: string | null) => (number | null)[], additive: boolean[]) {
  const rows: StatRow[] = [
    { key: 'all', label: scopeTotalLabel(c), depth: 0, total: true, values: values(null) },
    ...c.areas.map((area) => ({ key: area.key, label: area.label, depth: 1, values: values(area.key) })),
  ]
  const sums: CellSum[] = additive.flatMap((add, col) =>
    add && c.areas.length > 0
      ? [
          sumOf(
            [0, col],
            c.areas.map((_, a) => [a + 1, col] as const),
          ),
        ]
      : [],
  )
  return { rows, sums }
}

function table12(c: Reader): StatTable {
  const national = c.counts.national
  const totals = (area: string | null) => {
    const none = { reports: 0, incidents: 0, people: 0 }
    if (area !== null) return c.counts.areaTotals.get(area) ?? none
    if (!national) return c.counts.areaTotals.get('*') ?? none
    let reports = 0
    let incidents = 0
    let people = 0
    for (const t of c.counts.areaTotals.values()) {
      reports += t.reports
      incidents += t.incidents
      people += t.people
    }
    return { reports, incidents, people }
  }
  // Distinct incidents and people add up across forces (each belongs to one force) but not across BCUs: officers of
  // two BCUs can report on the same incident and person.
  const { rows, sums } = areaRows(
    c,
    (area) => {
      const t = totals(area)
      return [t.reports, t.incidents, t.people]
    },
    [true, national, national],
  )
  return {
    id: 'table-12',
    title: 'Table 12: Incidents by police force',
    rowHeading: 'Police force',
    columns: [
      { key: 'total', label: 'Total' },
      { key: 'incidents', label: 'Distinct incidents' },
      { key: 'people', label: 'Distinct people' },
    ],
    rows,
    sums,
    notes: [
      tacticNotes.coverage,
      tacticNotes.unit,
      'Total counts reports, as the Home Office’s “incidents” do. Distinct incidents counts each incident once however many officers reported on it; distinct people counts each person once per incident record.',
      areaNote(c),
    ],
  }
}

const nonDischarge = cedLevels.codes.filter((code) => !isDischarge(code.value))
const discharge = cedLevels.codes.filter((code) => isDischarge(code.value))

function table13(c: Reader): StatTable {
  const columns: StatColumn[] = [
    { key: 'total', label: 'Total' },
    { key: 'non-discharge', label: 'Total non-discharge', group: 'Non-discharge' },
    ...nonDischarge.map((code) => ({ key: code.value, label: code.hoColumn, group: 'Non-discharge' })),
    { key: 'discharge', label: 'Total discharge', group: 'Discharge' },
    ...discharge.map((code) => ({ key: code.value, label: code.hoColumn, group: 'Discharge' })),
    { key: 'not_stated', label: 'Not stated' },
  ]
  const values = (area: string | null) => {
    const level = (value: string) => c.reports(area, `ced.${value}`)
    const nd = nonDischarge.map((code) => level(code.value))
    const d = discharge.map((code) => level(code.value))
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)
    const notStated = c.reports(area, 'ced.not-stated')
    return [sum(nd) + sum(d) + notStated, sum(nd), ...nd, sum(d), ...d, notStated]
  }
  const { rows, sums } = areaRows(
    c,
    values,
    columns.map(() => true),
  )
  const ndIndex = 1
  const dIndex = 2 + nonDischarge.length
  const nsIndex = columns.length - 1
  const rowSums = rows.flatMap((_, r) => [
    sumOf(
      [r, 0],
      [
        [r, ndIndex],
        [r, dIndex],
        [r, nsIndex],
      ],
    ),
    sumOf(
      [r, ndIndex],
      nonDischarge.map((_, i) => [r, ndIndex + 1 + i] as const),
    ),
    sumOf(
      [r, dIndex],
      discharge.map((_, i) => [r, dIndex + 1 + i] as const),
    ),
  ])
  return {
    id: 'table-13',
    title: 'Table 13: Use of CED by type and police force',
    rowHeading: 'Police force',
    columns,
    rows,
    sums: [...sums, ...rowSums],
    notes: [
      tacticNotes.coverage,
      tacticNotes.unit,
      tacticNotes.highestCed,
      'Total = total non-discharge + total discharge + not stated. Non-discharge is drawn, aimed, red-dot and arced; discharge is drive stun, fired and angled drive stun.',
      tacticNotes.cedNotStated,
      areaNote(c),
    ],
  }
}

function table10(c: Reader): StatTable {
  const levels = officerInjuryLevels.codes.map((code) => code.value)
  const get = (injured: string, assault: string, level: string) =>
    c.counts.officerInjuries.get(`${injured}|${assault}|${level}`) ?? 0
  const rows: StatRow[] = []
  const sums: CellSum[] = []
  const injuredIndexes: number[] = []
  for (const injured of yesNoNotReported.codes) {
    const block = officerInjuryRows.filter((r) => r.injured === injured.value)
    const top = rows.length
    injuredIndexes.push(top)
    const blockValues = block.map((r) => levels.map((level) => get(r.injured, r.assault, level)))
    const summed = levels.map((_, i) => blockValues.reduce((s, v) => s + (v[i] ?? 0), 0))
    rows.push({
      key: injured.value,
      label: `Officer injured: ${injured.label}`,
      depth: 0,
      total: true,
      values: [summed.reduce((a, b) => a + b, 0), ...summed],
    })
    block.forEach((r, i) => {
      const v = blockValues[i] ?? []
      rows.push({
        key: `${r.injured}.${r.assault}`,
        label: `Intentional assault: ${yesNoNotReported.label(r.assault)}`,
        depth: 1,
        values: [v.reduce((a, b) => a + b, 0), ...v],
      })
    })
    for (let col = 0; col <= levels.length; col++) {
      sums.push(
        sumOf(
          [top, col],
          block.map((_, i) => [top + 1 + i, col] as const),
        ),
      )
    }
  }
  const totalIndex = rows.length
  const totalValues = Array.from({ length: levels.length + 1 }, (_, col) =>
    injuredIndexes.reduce((s, r) => s + (rows[r]?.values[col] ?? 0), 0),
  )
  rows.push({ key: 'total', label: 'Total incidents', depth: 0, total: true, values: totalValues })
  for (let col = 0; col <= levels.length; col++) {
    sums.push(
      sumOf(
        [totalIndex, col],
        injuredIndexes.map((r) => [r, col] as const),
      ),
    )
  }
  rows.forEach((_, r) =>
    sums.push(
      sumOf(
        [r, 0],
        levels.map((_, i) => [r, i + 1] as const),
      ),
    ),
  )
  return {
    id: 'table-10',
    title: 'Table 10: Injuries to officers',
    rowHeading: 'Officer injured as a result of incident, and intentional assault',
    columns: [
      { key: 'total', label: 'Total incidents' },
      ...officerInjuryLevels.codes.map((code) => ({
        key: code.value,
        label: code.label,
        group: 'Officer injury level',
      })),
    ],
    rows,
    sums,
    notes: [
      tacticNotes.coverage,
      tacticNotes.unit,
      'This table includes contradictory records, for example where an officer reported that they were not injured but also recorded an injury level. The annual data return’s validation report lists them.',
      'Intentional assault is shown as not reported where the officer was not injured and the question did not apply.',
    ],
  }
}

function table11(c: Reader): StatTable {
  const levels = subjectInjuryLevels.codes.map((code) => code.value)
  const rows: StatRow[] = subjectInjured.codes.map((injured) => {
    const v = levels.map((level) => c.counts.subjectInjuries.get(`${injured.value}|${level}`) ?? 0)
    return { key: injured.value, label: injured.label, depth: 0, values: [v.reduce((a, b) => a + b, 0), ...v] }
  })
  const totalValues = Array.from({ length: levels.length + 1 }, (_, col) =>
    rows.reduce((s, r) => s + (r.values[col] ?? 0), 0),
  )
  rows.push({ key: 'total', label: 'Total incidents', depth: 0, total: true, values: totalValues })
  const last = rows.length - 1
  const sums: CellSum[] = [
    ...rows.map((_, r) =>
      sumOf(
        [r, 0],
        levels.map((_, i) => [r, i + 1] as const),
      ),
    ),
    ...Array.from({ length: levels.length + 1 }, (_, col) =>
      sumOf(
        [last, col],
        subjectInjured.codes.map((_, r) => [r, col] as const),
      ),
    ),
  ]
  return {
    id: 'table-11',
    title: 'Table 11: Injuries to subjects',
    rowHeading: 'Subject injured as a result of officer use of force',
    columns: [
      { key: 'total', label: 'Total incidents' },
      ...subjectInjuryLevels.codes.map((code) => ({
        key: code.value,
        label: code.label,
        group: 'Subject injury level',
      })),
    ],
    rows,
    sums,
    notes: [
      tacticNotes.coverage,
      tacticNotes.unit,
      'This table includes contradictory records, for example where a subject was not injured but an injury level was recorded.',
      'These figures do not show how many people were injured: the injuries of one person may be reported by several officers.',
    ],
  }
}
