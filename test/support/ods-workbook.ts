import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { strToU8, zipSync } from 'fflate'

/** Builds a minimal OpenDocument spreadsheet in memory, for tests of code that reads workbooks. */
export type TestCell = string | number | null

export function odsWorkbook(sheets: { name: string; rows: TestCell[][] }[]): Uint8Array {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  const cell = (c: TestCell) =>
    c === null
      ? '<table:table-cell/>'
      : typeof c === 'number'
        ? `<table:table-cell office:value-type="float" office:value="${c}"><text:p>${c}</text:p></table:table-cell>`
        : `<table:table-cell office:value-type="string"><text:p>${escape(c)}</text:p></table:table-cell>`
  const tables = sheets
    .map(
      (s) =>
        `<table:table table:name="${escape(s.name)}">` +
        s.rows.map((r) => `<table:table-row>${r.map(cell).join('')}</table:table-row>`).join('') +
        '</table:table>',
    )
    .join('')
  return odsFromContent(`<office:spreadsheet>${tables}</office:spreadsheet>`)
}

/** An .ods around the given body of content.xml (inside office:body). */
export function odsFromContent(body: string, mimetype = 'application/vnd.oasis.opendocument.spreadsheet'): Uint8Array {
  const content =
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ' +
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" ' +
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">' +
    `<office:body>${body}</office:body></office:document-content>`
  return zipSync({ mimetype: [strToU8(mimetype), { level: 0 }], 'content.xml': strToU8(content) })
}

/**
 * A published data file from ../shared/data (relative to the project), or null with a message when it is absent:
 * `const file = sharedData('x.ods'); it.skipIf(!file)(…)`.
 */
export function sharedData(name: string): Buffer | null {
  const path = resolve(import.meta.dirname, '../../../shared/data', name)
  if (existsSync(path)) return readFileSync(path)
  console.warn(`reference data not found at ../shared/data/${name} – skipping`)
  return null
}
