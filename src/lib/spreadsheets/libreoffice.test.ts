import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { tableToCsv } from './csv.js'
import { sampleTable, secondTable } from './fixtures.js'
import { asNumber, sheetRows, type SheetCell } from './layout.js'
import { tablesToOds } from './ods.js'
import { parseCsv } from './parse-csv.js'
import { tablesToXlsx } from './xlsx.js'

/**
 * Opens every written format in LibreOffice (`soffice --headless --convert-to csv`) and compares what it reads with
 * the table. Skipped, with a message, where LibreOffice is not installed; `scripts/check-spreadsheets.sh` (run in CI)
 * sets REQUIRE_LIBREOFFICE=1 so that there a missing LibreOffice fails instead.
 */
const soffice = ['soffice', 'libreoffice'].find((name) => {
  try {
    execFileSync('which', [name], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})
if (!soffice && process.env.REQUIRE_LIBREOFFICE === '1')
  throw new Error('LibreOffice (soffice) is not on PATH: install libreoffice-calc-nogui to run the spreadsheet check.')
if (!soffice) console.warn('LibreOffice (soffice) is not on PATH – skipping the LibreOffice spreadsheet check')

// Comma-separated, double-quoted, UTF-8 (76), values as stored rather than as formatted, every sheet to its own file.
const CSV_OUT = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1'
const dir = mkdtempSync(join(tmpdir(), 'forceledger-lo-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function convert(file: string, infilter?: string): Record<string, string[][]> {
  const out = join(dir, `out-${file}`)
  execFileSync(
    soffice ?? 'soffice',
    [
      '--headless',
      `-env:UserInstallation=file://${join(dir, 'profile')}`,
      ...(infilter ? [`--infilter=${infilter}`] : []),
      '--convert-to',
      CSV_OUT,
      '--outdir',
      out,
      join(dir, file),
    ],
    { stdio: 'pipe', timeout: 120_000 },
  )
  return Object.fromEntries(
    readdirSync(out).map((name) => [name, parseCsv(readFileSync(join(out, name), 'utf8')).map(trim)]),
  )
}
/** LibreOffice pads every line to the sheet's width; the writers' rows are compared without trailing blanks. */
const trim = (cells: readonly SheetCell[]) => {
  const row = cells.map((c) => (c === null ? '' : String(c)))
  while (row.length > 0 && row.at(-1) === '') row.pop()
  return row
}
const tables = [sampleTable, secondTable]
const expected = (i: number) => sheetRows(tables[i]!, asNumber).map((r) => trim(r.cells))

describe.skipIf(!soffice)('LibreOffice opens every format', () => {
  it('reads the OpenDocument workbook, sheet by sheet', () => {
    writeFileSync(join(dir, 'tables.ods'), tablesToOds(tables, asNumber))
    const sheets = convert('tables.ods')
    expect(sheets['tables-table-x.csv']).toEqual(expected(0))
    expect(sheets['tables-table-y.csv']).toEqual(expected(1))
  })

  it('reads the Excel workbook, sheet by sheet', async () => {
    writeFileSync(join(dir, 'tables.xlsx'), await tablesToXlsx(tables, asNumber))
    const sheets = convert('tables.xlsx')
    expect(sheets['tables-table-x.csv']).toEqual(expected(0))
    expect(sheets['tables-table-y.csv']).toEqual(expected(1))
  })

  it('reads the CSV as UTF-8, keeps neutralised formulas as text and quoted line breaks within their cell', () => {
    const csv = tableToCsv(sampleTable, asNumber)
    writeFileSync(join(dir, 'table.csv'), csv)
    const sheets = convert('table.csv', 'CSV:44,34,76,1')
    expect(Object.values(sheets)[0]).toEqual(parseCsv(csv).map(trim))
    expect(JSON.stringify(sheets)).toContain('Zoë')
  })
})
