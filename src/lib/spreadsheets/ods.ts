import { strToU8, zipSync } from 'fflate'
import type { StatTable } from '../../domain/statistics/stat-table.js'
import { sheetNames, sheetRows, type CellFormat, type SheetCell, type SheetRow } from './layout.js'

/**
 * OpenDocument spreadsheet (.ods), written by hand. npm has no well-kept ODS writer: SheetJS's npm package stopped at
 * 0.18.5 in 2022 with known vulnerabilities (its maintainers now publish only from their own CDN), and the rest are
 * abandoned. A sheet of text and numbers needs only three small files, so it is simpler and safer to write them here.
 *
 * The zip follows the OpenDocument packaging rules: `mimetype` first, stored uncompressed, so that the type can be
 * read at a fixed offset; then `META-INF/manifest.xml` and `content.xml`. Entries carry a fixed date, so the same
 * tables always give the same bytes.
 */
export const ODS_MEDIA_TYPE = 'application/vnd.oasis.opendocument.spreadsheet'
const FIXED_DATE = new Date(Date.UTC(2000, 0, 1))

export function tablesToOds<V>(tables: readonly StatTable<V>[], format: CellFormat<V>): Uint8Array {
  if (tables.length === 0) throw new RangeError('A workbook needs at least one table.')
  const names = sheetNames(tables)
  const sheets = tables.map((table, i) =>
    sheetXml(names[i] ?? table.id, table.columns.length, sheetRows(table, format)),
  )
  const file = (text: string): [Uint8Array, { level: 0 | 6 }] => [strToU8(text), { level: 6 }]
  return zipSync(
    {
      mimetype: [strToU8(ODS_MEDIA_TYPE), { level: 0 }],
      'META-INF/manifest.xml': file(MANIFEST),
      'content.xml': file(content(sheets.join(''))),
    },
    { mtime: FIXED_DATE },
  )
}

const NS = {
  office: 'urn:oasis:names:tc:opendocument:xmlns:office:1.0',
  style: 'urn:oasis:names:tc:opendocument:xmlns:style:1.0',
  text: 'urn:oasis:names:tc:opendocument:xmlns:text:1.0',
  table: 'urn:oasis:names:tc:opendocument:xmlns:table:1.0',
  fo: 'urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0',
  number: 'urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0',
}

const MANIFEST =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">' +
  `<manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="${ODS_MEDIA_TYPE}"/>` +
  '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>' +
  '</manifest:manifest>'

/** Whole numbers get a thousands separator (12,345); other numbers keep the spreadsheet's general format. */
const STYLES =
  '<office:automatic-styles>' +
  '<number:number-style style:name="N0"><number:number number:decimal-places="0" number:min-integer-digits="1" ' +
  'number:grouping="true"/></number:number-style>' +
  '<style:style style:name="co-label" style:family="table-column">' +
  '<style:table-column-properties style:column-width="9cm"/></style:style>' +
  '<style:style style:name="co-value" style:family="table-column">' +
  '<style:table-column-properties style:column-width="3.5cm"/></style:style>' +
  '<style:style style:name="title" style:family="table-cell">' +
  '<style:text-properties fo:font-weight="bold" fo:font-size="13pt"/></style:style>' +
  '<style:style style:name="header" style:family="table-cell">' +
  '<style:table-cell-properties fo:wrap-option="wrap" style:vertical-align="bottom"/>' +
  '<style:text-properties fo:font-weight="bold"/></style:style>' +
  '<style:style style:name="bold" style:family="table-cell"><style:text-properties fo:font-weight="bold"/></style:style>' +
  '<style:style style:name="int" style:family="table-cell" style:data-style-name="N0"/>' +
  '<style:style style:name="int-bold" style:family="table-cell" style:data-style-name="N0">' +
  '<style:text-properties fo:font-weight="bold"/></style:style>' +
  [1, 2, 3]
    .map(
      (d) =>
        `<style:style style:name="indent-${d}" style:family="table-cell">` +
        `<style:paragraph-properties fo:margin-left="${d * 0.4}cm"/></style:style>`,
    )
    .join('') +
  '</office:automatic-styles>'

function content(body: string): string {
  const xmlns = Object.entries(NS)
    .map(([prefix, uri]) => `xmlns:${prefix}="${uri}"`)
    .join(' ')
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<office:document-content ${xmlns} office:version="1.3">${STYLES}` +
    `<office:body><office:spreadsheet>${body}</office:spreadsheet></office:body></office:document-content>`
  )
}

function sheetXml(name: string, valueColumns: number, rows: readonly SheetRow[]): string {
  const columns =
    '<table:table-column table:style-name="co-label"/>' +
    (valueColumns > 0
      ? `<table:table-column table:style-name="co-value" table:number-columns-repeated="${valueColumns}"/>`
      : '')
  return `<table:table table:name="${escapeXml(name)}">${columns}${rows.map(rowXml).join('')}</table:table>`
}

function rowXml(row: SheetRow): string {
  const bold = row.kind === 'title' || row.kind === 'header' || row.kind === 'total'
  const cells = row.cells.map((cell, i) => {
    const style =
      row.kind === 'title'
        ? 'title'
        : row.kind === 'header'
          ? 'header'
          : typeof cell === 'number' && Number.isInteger(cell)
            ? bold
              ? 'int-bold'
              : 'int'
            : bold
              ? 'bold'
              : i === 0 && row.depth > 0
                ? `indent-${Math.min(row.depth, 3)}`
                : null
    return cellXml(cell, style)
  })
  return `<table:table-row>${cells.join('') || '<table:table-cell/>'}</table:table-row>`
}

function cellXml(cell: SheetCell, style: string | null): string {
  const styleAttr = style ? ` table:style-name="${style}"` : ''
  if (cell === null) return `<table:table-cell${styleAttr}/>`
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return `<table:table-cell${styleAttr}/>`
    const shown = Number.isInteger(cell) ? cell.toLocaleString('en-GB') : String(cell)
    return (
      `<table:table-cell${styleAttr} office:value-type="float" office:value="${cell}">` +
      `<text:p>${shown}</text:p></table:table-cell>`
    )
  }
  return `<table:table-cell${styleAttr} office:value-type="string"><text:p>${escapeXml(cell)}</text:p></table:table-cell>`
}

/** Escapes markup and drops the control characters XML 1.0 cannot carry at all. */
export function escapeXml(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
  )
}
