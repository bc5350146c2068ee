import { createHash } from 'node:crypto'
import { strToU8 } from 'fflate'
import { publishedCell } from '../../domain/disclosure/stat-table.js'
import type { PublishedTable } from '../../db/schema/transparency.js'
import { CSV_MEDIA_TYPE, tablesToCsv } from '../../lib/spreadsheets/csv.js'
import { tablesToJson } from '../../lib/spreadsheets/json.js'
import { ODS_MEDIA_TYPE, tablesToOds } from '../../lib/spreadsheets/ods.js'
import { tablesToXlsx, XLSX_MEDIA_TYPE } from '../../lib/spreadsheets/xlsx.js'

/** The downloads of every published version, by file name, in the order the page lists them. */
export const DOWNLOADS = [
  { name: 'tables.ods', label: 'Tables (OpenDocument spreadsheet, ODS)', mediaType: ODS_MEDIA_TYPE },
  {
    name: 'tables.xlsx',
    label: 'Tables (Excel workbook, XLSX)',
    mediaType: XLSX_MEDIA_TYPE,
  },
  { name: 'tables.csv', label: 'Tables (CSV, one line per figure)', mediaType: CSV_MEDIA_TYPE },
  { name: 'tables.json', label: 'Tables (JSON)', mediaType: 'application/json; charset=utf-8' },
  {
    name: 'open-data.csv',
    label: 'Record-level open data (CSV, Metropolitan Police layout)',
    mediaType: CSV_MEDIA_TYPE,
  },
] as const

export type DownloadName = (typeof DOWNLOADS)[number]['name']

export interface RenderedFile {
  name: DownloadName
  mediaType: string
  bytes: Uint8Array
  sha256: string
}

/** Every download of a version, written once when it is published. */
export async function renderDownloads(tables: readonly PublishedTable[], openDataCsv: string): Promise<RenderedFile[]> {
  const bytes: Record<DownloadName, Uint8Array> = {
    'tables.ods': tablesToOds(tables, publishedCell),
    'tables.xlsx': await tablesToXlsx(tables, publishedCell),
    'tables.csv': strToU8(tablesToCsv(tables, publishedCell)),
    'tables.json': strToU8(tablesToJson(tables, publishedCell)),
    'open-data.csv': strToU8(openDataCsv),
  }
  return DOWNLOADS.map(({ name, mediaType }) => ({
    name,
    mediaType,
    bytes: bytes[name],
    sha256: createHash('sha256').update(bytes[name]).digest('hex'),
  }))
}
