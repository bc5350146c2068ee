import type { StatTable } from '../../domain/statistics/stat-table.js'
import { columnHeading, type CellFormat, type CellValue } from './layout.js'

/**
 * The tables as JSON, for programs. The shape (version 1):
 *
 *     { "format": "forceledger-stat-tables", "version": 1,
 *       "tables": [{ "id", "title", "rowHeading",
 *                    "columns": [{ "key", "label", "group"?, "heading" }],
 *                    "rows": [{ "key", "label", "depth", "total", "values": [number | string | null, …] }],
 *                    "notes": [string, …] }] }
 *
 * `values` follow `columns` one for one; null where a cell does not apply; a string where the value is not a number
 * (after disclosure control, "[c]" for a count withheld to protect confidentiality). `heading` is the column's label
 * with its group, as in the CSV and spreadsheet headers.
 */
export const JSON_FORMAT = 'forceledger-stat-tables'

export interface JsonTables {
  format: typeof JSON_FORMAT
  version: 1
  tables: {
    id: string
    title: string
    rowHeading: string
    columns: { key: string; label: string; group?: string; heading: string }[]
    rows: { key: string; label: string; depth: number; total: boolean; values: (CellValue | null)[] }[]
    notes: string[]
  }[]
}

export function tablesToJsonValue<V>(tables: readonly StatTable<V>[], format: CellFormat<V>): JsonTables {
  return {
    format: JSON_FORMAT,
    version: 1,
    tables: tables.map((table) => ({
      id: table.id,
      title: table.title,
      rowHeading: table.rowHeading,
      columns: table.columns.map((c) => ({
        key: c.key,
        label: c.label,
        ...(c.group ? { group: c.group } : {}),
        heading: columnHeading(c),
      })),
      rows: table.rows.map((r) => ({
        key: r.key,
        label: r.label,
        depth: r.depth,
        total: r.total ?? false,
        values: r.values.map((v) => (v === null ? null : format(v))),
      })),
      notes: [...table.notes],
    })),
  }
}

export function tablesToJson<V>(tables: readonly StatTable<V>[], format: CellFormat<V>): string {
  return JSON.stringify(tablesToJsonValue(tables, format), null, 2) + '\n'
}
