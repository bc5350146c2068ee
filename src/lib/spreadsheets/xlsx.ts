import ExcelJS from 'exceljs'
import type { StatTable } from '../../domain/statistics/stat-table.js'
import { sheetNames, sheetRows, type CellFormat } from './layout.js'

/**
 * Excel workbook (.xlsx) through exceljs, one sheet per table, laid out as the OpenDocument file is. Text cells are
 * written as text, never as formulas, so a label starting with = stays a label.
 */
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

export async function tablesToXlsx<V>(tables: readonly StatTable<V>[], format: CellFormat<V>): Promise<Uint8Array> {
  if (tables.length === 0) throw new RangeError('A workbook needs at least one table.')
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'ForceLedger'
  const names = sheetNames(tables)
  tables.forEach((table, t) => {
    const sheet = workbook.addWorksheet(names[t] ?? table.id)
    sheet.columns = [{ width: 48 }, ...table.columns.map(() => ({ width: 16 }))]
    for (const row of sheetRows(table, format)) {
      const added = sheet.addRow([...row.cells])
      const bold = row.kind === 'title' || row.kind === 'header' || row.kind === 'total'
      added.eachCell((cell, column) => {
        if (bold) cell.font = { bold: true, size: row.kind === 'title' ? 13 : 11 }
        if (row.kind === 'header') cell.alignment = { wrapText: true, vertical: 'bottom' }
        if (column === 1 && row.depth > 0) cell.alignment = { indent: row.depth }
        if (typeof cell.value === 'number' && Number.isInteger(cell.value)) cell.numFmt = '#,##0'
      })
    }
  })
  return new Uint8Array(await workbook.xlsx.writeBuffer())
}
