import { publishedText } from '../../domain/disclosure/stat-table.js'
import type { PublishedTable } from '../../db/schema/transparency.js'
import { columnHeading } from '../../lib/spreadsheets/layout.js'

/** A published table as the page prints it: every value as text, blank where a cell does not apply. */
export function tableView(table: PublishedTable) {
  return {
    id: table.id,
    title: table.title,
    rowHeading: table.rowHeading,
    columns: table.columns.map(columnHeading),
    rows: table.rows.map((row) => ({
      label: row.label,
      depth: Math.min(row.depth, 3),
      total: row.total ?? false,
      cells: row.values.map((v) => (v === null ? '' : publishedText(v))),
    })),
    notes: table.notes,
  }
}

/** '12 KB', for the size of a download. */
export function fileSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} bytes` : `${Math.ceil(bytes / 1024).toLocaleString('en-GB')} KB`
}
