import { publishedText } from '../../domain/disclosure/stat-table.js'
import type { CellChange, PublishedTable } from '../../db/schema/transparency.js'
import { columnHeading } from '../../lib/spreadsheets/layout.js'

/**
 * The cells that differ between two versions of a publication, as a reader would see them: tables matched by id,
 * rows and columns by key, values compared as printed (so a count hidden in one version and shown in the next is a
 * change). A row or column only in one version gives changes with the other side null; a table only in one version
 * is one change (the whole table added or removed) rather than one per cell, which would bury the figures that did
 * change.
 */
export function tableChanges(before: readonly PublishedTable[], after: readonly PublishedTable[]): CellChange[] {
  const changes: CellChange[] = []
  const ids = unique([...after.map((t) => t.id), ...before.map((t) => t.id)])
  for (const id of ids) {
    const [old, now] = [before.find((t) => t.id === id), after.find((t) => t.id === id)]
    const table = now ?? old
    if (!table) continue
    if (!old || !now) {
      const [row, column, shown] = ['The whole table', 'All', 'Published']
      changes.push({
        table: id,
        tableTitle: table.title,
        row,
        column,
        before: old ? shown : null,
        after: now ? shown : null,
      })
      continue
    }
    const rowKeys = unique([...(now?.rows ?? []), ...(old?.rows ?? [])].map((r) => r.key))
    const columns = unique([...(now?.columns ?? []), ...(old?.columns ?? [])].map((c) => c.key))
    for (const rowKey of rowKeys)
      for (const columnKey of columns) {
        const [a, b] = [cellText(old, rowKey, columnKey), cellText(now, rowKey, columnKey)]
        if (a === b) continue
        const row = [...(now?.rows ?? []), ...(old?.rows ?? [])].find((r) => r.key === rowKey)
        const column = [...(now?.columns ?? []), ...(old?.columns ?? [])].find((c) => c.key === columnKey)
        changes.push({
          table: table.id,
          tableTitle: table.title,
          row: row?.label ?? rowKey,
          column: column ? columnHeading(column) : columnKey,
          before: a,
          after: b,
        })
      }
  }
  return changes
}

function cellText(table: PublishedTable | undefined, rowKey: string, columnKey: string): string | null {
  const column = table?.columns.findIndex((c) => c.key === columnKey) ?? -1
  const value = table?.rows.find((r) => r.key === rowKey)?.values[column]
  return value ? publishedText(value) : null
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)]
}
