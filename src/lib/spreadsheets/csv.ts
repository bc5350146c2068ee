import type { StatTable } from '../../domain/statistics/stat-table.js'
import { columnHeading, headerCells, type CellFormat, type SheetCell } from './layout.js'

/**
 * CSV as GOV.UK publishes it: RFC 4180 (fields separated by commas, CRLF line ends, a field quoted when it holds a
 * comma, a double quote or a line break, quotes doubled inside), UTF-8 with a byte-order mark so that Excel reads
 * accented names correctly, every line with the same number of fields.
 *
 * Formula injection: a spreadsheet opening a CSV treats a field starting with = + - @ as a formula, and a leading tab
 * or carriage return can hide one. Every text field that starts with one of those six characters is written with an
 * apostrophe in front ('=SUM(A1) stays text), the OWASP advice. Numbers are written from numbers, never from text, so
 * a negative number such as -3 is written as it is and stays a number.
 */
export const CSV_MEDIA_TYPE = 'text/csv; charset=utf-8'
export const CSV_BOM = '\uFEFF'
const NEWLINE = '\r\n'
const FORMULA_START = /^[=+\-@\t\r]/

export function csvField(cell: SheetCell): string {
  if (cell === null) return ''
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : ''
  const text = FORMULA_START.test(cell) ? `'${cell}` : cell
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** A whole CSV file from rows of cells, header first; rows shorter than the header are padded with empty fields. */
export function csvFile(rows: readonly (readonly SheetCell[])[]): string {
  const width = Math.max(0, ...rows.map((r) => r.length))
  const line = (row: readonly SheetCell[]) =>
    Array.from({ length: width }, (_, i) => csvField(row[i] ?? null)).join(',')
  return CSV_BOM + rows.map(line).join(NEWLINE) + NEWLINE
}

/** One table, laid out as on the page: a header row, then one line per row. The title and notes are not data. */
export function tableToCsv<V>(table: StatTable<V>, format: CellFormat<V>): string {
  return csvFile([
    headerCells(table),
    ...table.rows.map((row) => [row.label, ...row.values.map((v) => (v === null ? null : format(v)))]),
  ])
}

/**
 * Several tables in one file, one line per cell ("tidy" or long form, as the Home Office's open data tables are):
 * table_id, table_title, row_label, row_depth, row_total, column_label, value. Cells that do not apply are left out.
 */
export const LONG_CSV_HEADER = [
  'table_id',
  'table_title',
  'row_label',
  'row_depth',
  'row_total',
  'column_label',
  'value',
] as const

export function tablesToCsv<V>(tables: readonly StatTable<V>[], format: CellFormat<V>): string {
  const lines: SheetCell[][] = [[...LONG_CSV_HEADER]]
  for (const table of tables)
    for (const row of table.rows)
      row.values.forEach((value, c) => {
        const column = table.columns[c]
        if (value === null || !column) return
        lines.push([
          table.id,
          table.title,
          row.label,
          row.depth,
          row.total ? 'yes' : 'no',
          columnHeading(column),
          format(value),
        ])
      })
  return csvFile(lines)
}
