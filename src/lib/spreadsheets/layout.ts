import type { StatColumn, StatTable } from '../../domain/statistics/stat-table.js'

/**
 * What every writer lays out, whatever the values are: a table of counts, or the same table after disclosure control.
 * The caller says how one value is written; a cell that does not apply (null) is always left blank.
 */
export type CellValue = number | string
export type CellFormat<V> = (value: V) => CellValue

/** A number is written as itself; a count after disclosure control is formatted by the caller (see disclosure). */
export const asNumber: CellFormat<number> = (value) => value

export type SheetCell = CellValue | null
export type SheetRowKind = 'title' | 'header' | 'body' | 'total' | 'blank' | 'note'

export interface SheetRow {
  readonly kind: SheetRowKind
  /** Indent of the row label ("of which" rows), 0 for top level. */
  readonly depth: number
  readonly cells: readonly SheetCell[]
}

/**
 * One table as a sheet, top to bottom: the title, the header row, one row per table row (totals in bold, "of which"
 * rows indented), then the notes under a "Notes" heading. Group headings are folded into the column headings
 * ("CED non-discharge: Drawn") rather than merged cells above them: merged cells trip screen readers and machine
 * readers alike (GOV.UK guidance on releasing statistics in spreadsheets).
 */
export function sheetRows<V>(table: StatTable<V>, format: CellFormat<V>): SheetRow[] {
  const rows: SheetRow[] = [
    { kind: 'title', depth: 0, cells: [table.title] },
    { kind: 'header', depth: 0, cells: headerCells(table) },
    ...table.rows.map((row): SheetRow => ({
      kind: row.total ? 'total' : 'body',
      depth: row.depth,
      cells: [row.label, ...row.values.map((v) => (v === null ? null : format(v)))],
    })),
  ]
  if (table.notes.length > 0)
    rows.push(
      { kind: 'blank', depth: 0, cells: [] },
      { kind: 'header', depth: 0, cells: ['Notes'] },
      ...table.notes.map((note): SheetRow => ({ kind: 'note', depth: 0, cells: [note] })),
    )
  return rows
}

export function headerCells(table: StatTable<unknown>): string[] {
  return [table.rowHeading, ...table.columns.map(columnHeading)]
}

export function columnHeading(column: StatColumn): string {
  return column.group ? `${column.group}: ${column.label}` : column.label
}

/**
 * Sheet names from table ids, valid in both OpenDocument and Excel: at most 31 characters, none of \ / ? * [ ] :,
 * and unique (a clash gets " (2)", " (3)"…).
 */
export function sheetNames(tables: readonly StatTable<unknown>[]): string[] {
  const used = new Set<string>()
  return tables.map((table) => {
    const base = table.id.replace(/[\\/?*[\]:']/g, '-').slice(0, 31) || 'Sheet'
    let name = base
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base.slice(0, 31 - ` (${n})`.length)} (${n})`
    used.add(name.toLowerCase())
    return name
  })
}
