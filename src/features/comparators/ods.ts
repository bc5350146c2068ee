import { unzipSync, strFromU8 } from 'fflate'
import { SaxesParser } from 'saxes'

/**
 * Reads the cells of an OpenDocument spreadsheet (.ods): a zip whose `content.xml` holds every sheet. Only values are
 * read (numbers as numbers, everything else as its text); formatting, formulas and styles are ignored. Rows and
 * cells repeated with `number-*-repeated` are expanded, except trailing empty ones (sheets often end in a row
 * "repeated" a million times).
 */
export type CellValue = string | number | null

export interface Sheet {
  name: string
  /** Rows from the top, each cell from the left; empty cells are null. */
  rows: CellValue[][]
}

export class UnreadableWorkbookError extends Error {}

const MIMETYPE = 'application/vnd.oasis.opendocument.spreadsheet'
// Guards against a hostile file: a row "repeated" with content a million times would otherwise fill memory.
const MAX_REPEAT = 10_000

export function readOds(bytes: Uint8Array): Sheet[] {
  let files: Record<string, Uint8Array>
  try {
    files = unzipSync(bytes, { filter: (file) => file.name === 'mimetype' || file.name === 'content.xml' })
  } catch {
    throw new UnreadableWorkbookError('The file is not an OpenDocument spreadsheet (.ods): it is not a zip archive.')
  }
  const mimetype = files.mimetype ? strFromU8(files.mimetype).trim() : ''
  const content = files['content.xml']
  if (mimetype !== MIMETYPE || !content)
    throw new UnreadableWorkbookError(
      'The file is not an OpenDocument spreadsheet (.ods): ' +
        (mimetype ? `it says it is ${mimetype}.` : 'it has no mimetype entry.'),
    )
  return parseContent(strFromU8(content))
}

function parseContent(xml: string): Sheet[] {
  const sheets: Sheet[] = []
  let sheet: Sheet | null = null
  let row: CellValue[] = []
  let rowRepeat = 1
  let pendingEmptyRows = 0
  let pendingEmptyCells = 0
  let cell: { repeat: number; number: number | null; text: string[] } | null = null
  let paragraph: string | null = null

  const parser = new SaxesParser()
  parser.on('opentag', (tag) => {
    const attr = tag.attributes as Record<string, string>
    switch (tag.name) {
      case 'table:table':
        sheet = { name: attr['table:name'] ?? '', rows: [] }
        pendingEmptyRows = 0
        break
      case 'table:table-row':
        row = []
        pendingEmptyCells = 0
        rowRepeat = repeat(attr['table:number-rows-repeated'])
        break
      case 'table:table-cell':
      case 'table:covered-table-cell': {
        const type = attr['office:value-type']
        const numeric = type === 'float' || type === 'percentage' || type === 'currency'
        cell = { repeat: repeat(attr['table:number-columns-repeated']), number: null, text: [] }
        if (numeric) cell.number = Number(attr['office:value'])
        else if (type === 'boolean') cell.text.push(attr['office:boolean-value'] ?? '')
        break
      }
      case 'text:p':
        paragraph = ''
        break
      case 'text:s':
        if (paragraph !== null) paragraph += ' '.repeat(repeat(attr['text:c']))
        break
      case 'text:tab':
        if (paragraph !== null) paragraph += '\t'
        break
      case 'text:line-break':
        if (paragraph !== null) paragraph += '\n'
        break
    }
  })
  parser.on('text', (text) => {
    if (paragraph !== null) paragraph += text
  })
  parser.on('closetag', (tag) => {
    switch (tag.name) {
      case 'text:p':
        if (cell && paragraph !== null && cell.number === null) cell.text.push(paragraph)
        paragraph = null
        break
      case 'table:table-cell':
      case 'table:covered-table-cell': {
        if (!cell) break
        const text = cell.text.join('\n').trim()
        const value: CellValue = cell.number !== null && Number.isFinite(cell.number) ? cell.number : text || null
        if (value === null) pendingEmptyCells = Math.min(pendingEmptyCells + cell.repeat, MAX_REPEAT)
        else {
          for (; pendingEmptyCells > 0; pendingEmptyCells--) row.push(null)
          for (let i = 0; i < Math.min(cell.repeat, MAX_REPEAT); i++) row.push(value)
        }
        cell = null
        break
      }
      case 'table:table-row':
        if (!sheet) break
        if (row.length === 0) pendingEmptyRows = Math.min(pendingEmptyRows + rowRepeat, MAX_REPEAT)
        else {
          for (; pendingEmptyRows > 0; pendingEmptyRows--) sheet.rows.push([])
          for (let i = 0; i < Math.min(rowRepeat, MAX_REPEAT); i++) sheet.rows.push([...row])
        }
        break
      case 'table:table':
        if (sheet) sheets.push(sheet)
        sheet = null
        break
    }
  })
  try {
    parser.write(xml).close()
  } catch (error) {
    throw new UnreadableWorkbookError(
      `The spreadsheet's content is not well-formed XML (${error instanceof Error ? error.message : String(error)}).`,
    )
  }
  if (sheets.length === 0) throw new UnreadableWorkbookError('The spreadsheet has no sheets.')
  return sheets
}

function repeat(value: string | undefined): number {
  const n = Number(value ?? 1)
  return Number.isSafeInteger(n) && n > 0 ? n : 1
}
