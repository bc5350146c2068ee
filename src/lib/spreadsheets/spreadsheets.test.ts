import ExcelJS from 'exceljs'
import { unzipSync, strFromU8 } from 'fflate'
import { describe, expect, it } from 'vitest'
import { readOds } from '../../features/comparators/ods.js'
import { csvField, tableToCsv, tablesToCsv, LONG_CSV_HEADER } from './csv.js'
import { sampleTable, secondTable } from './fixtures.js'
import { tablesToJsonValue } from './json.js'
import { asNumber, sheetRows, type SheetCell } from './layout.js'
import { tablesToOds, ODS_MEDIA_TYPE } from './ods.js'
import { tablesToXlsx } from './xlsx.js'
import { parseCsv } from './parse-csv.js'

const tables = [sampleTable, secondTable]
/** The cells each sheet should hold, as the readers give them back (trailing empty cells dropped). */
const expectedSheet = (i: number): SheetCell[][] =>
  sheetRows(tables[i]!, asNumber).map((row) => trimEnd([...row.cells]))
const trimEnd = (cells: SheetCell[]) => {
  while (cells.length > 0 && (cells.at(-1) === null || cells.at(-1) === '')) cells.pop()
  return cells
}

describe('CSV', () => {
  it('starts with a byte-order mark, ends lines with CRLF and reads back to the table', () => {
    const csv = tableToCsv(sampleTable, asNumber)
    expect(csv.startsWith('\uFEFFTactic,All incidents,CED non-discharge: Drawn,CED discharge: Fired\r\n')).toBe(true)
    expect(csv.replace(/\r\n/g, '').includes('\n')).toBe(true) // the label's own line break, inside quotes
    const rows = parseCsv(csv)
    expect(rows[0]).toEqual(['Tactic', 'All incidents', 'CED non-discharge: Drawn', 'CED discharge: Fired'])
    expect(rows.slice(1)).toEqual(
      sampleTable.rows.map((r) => [
        /^[=+\-@]/.test(r.label) ? `'${r.label}` : r.label,
        ...r.values.map((v) => (v === null ? '' : String(v))),
      ]),
    )
  })

  it('neutralises every text field that a spreadsheet would read as a formula, and only those', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(csvField(`${start}1+1`)).toMatch(/^"?'/)
    expect(csvField('=1')).toBe("'=1")
    expect(csvField('a=1')).toBe('a=1')
    expect(csvField(-3)).toBe('-3')
    expect(csvField('say "hi", then')).toBe('"say ""hi"", then"')
    expect(csvField(null)).toBe('')
  })

  it('writes several tables in long form, one line per cell that applies', () => {
    const rows = parseCsv(tablesToCsv(tables, asNumber))
    expect(rows[0]).toEqual([...LONG_CSV_HEADER])
    const cells = tables.flatMap((t) => t.rows.flatMap((r) => r.values.filter((v) => v !== null)))
    expect(rows.length - 1).toBe(cells.length)
    expect(rows[1]).toEqual(['table-x', sampleTable.title, 'Total', '0', 'yes', 'All incidents', '12345'])
    expect(rows.at(-1)).toEqual(['table-y', 'Table Y: Rates', 'North', '0', 'no', 'Rate per 1,000', '1.25'])
    expect(new Set(rows.map((r) => r.length))).toEqual(new Set([7]))
  })
})

describe('OpenDocument', () => {
  const bytes = tablesToOds(tables, asNumber)

  it('stores the mimetype first and uncompressed, as the packaging rules require', () => {
    const view = new DataView(bytes.buffer, bytes.byteOffset)
    expect(view.getUint32(0, true)).toBe(0x04034b50) // a local file header
    expect(view.getUint16(8, true)).toBe(0) // compression method: stored
    expect(strFromU8(bytes.subarray(30, 38))).toBe('mimetype')
    expect(strFromU8(bytes.subarray(38, 38 + ODS_MEDIA_TYPE.length))).toBe(ODS_MEDIA_TYPE)
    expect(Object.keys(unzipSync(bytes))).toEqual(['mimetype', 'META-INF/manifest.xml', 'content.xml'])
  })

  it('reads back, sheet by sheet, to the table with its title, header, rows and notes', () => {
    const sheets = readOds(bytes)
    expect(sheets.map((s) => s.name)).toEqual(['table-x', 'table-y'])
    sheets.forEach((sheet, i) => expect(sheet.rows.map((r) => trimEnd([...r]))).toEqual(expectedSheet(i)))
  })

  it('gives the same bytes for the same tables', () => {
    expect(tablesToOds(tables, asNumber)).toEqual(bytes)
  })

  it('puts totals and headings in bold', () => {
    const xml = strFromU8(unzipSync(bytes)['content.xml']!)
    expect(xml).toContain(
      '<table:table-cell table:style-name="int-bold" office:value-type="float" office:value="12345">',
    )
    expect(xml).toContain('<table:table-cell table:style-name="header" office:value-type="string"><text:p>Tactic<')
  })
})

describe('Excel', () => {
  it('reads back with exceljs to the same cells, totals in bold, labels never formulas', async () => {
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(Buffer.from(await tablesToXlsx(tables, asNumber)) as never)
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['table-x', 'table-y'])
    workbook.worksheets.forEach((sheet, i) => {
      const rows: SheetCell[][] = []
      sheet.eachRow({ includeEmpty: true }, (row, n) => {
        const values = Array.from(row.values as unknown[])
          .slice(1)
          .map((v) => (v === undefined ? null : (v as SheetCell)))
        rows[n - 1] = trimEnd(values)
      })
      expect(Array.from(rows, (r) => r ?? [])).toEqual(expectedSheet(i))
    })
    const sheet = workbook.worksheets[0]!
    expect(sheet.getCell('B3').font?.bold).toBe(true) // the Total row
    expect(sheet.getCell('B4').font?.bold).toBeFalsy()
    expect(sheet.getCell('A5').type).toBe(ExcelJS.ValueType.String)
  })
})

describe('JSON', () => {
  it('keeps every value beside its column, with the heading and notes', () => {
    const json = JSON.parse(JSON.stringify(tablesToJsonValue(tables, asNumber)))
    expect(json.format).toBe('forceledger-stat-tables')
    expect(json.tables[0].columns[1]).toEqual({
      key: 'drawn',
      label: 'Drawn',
      group: 'CED non-discharge',
      heading: 'CED non-discharge: Drawn',
    })
    expect(json.tables[0].rows.map((r: { values: unknown[] }) => r.values)).toEqual(
      sampleTable.rows.map((r) => r.values),
    )
    expect(json.tables[0].notes).toEqual(sampleTable.notes)
  })
})
