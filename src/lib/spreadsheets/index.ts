/**
 * Writers for statistical tables: CSV, OpenDocument (.ods), Excel (.xlsx) and JSON, each from the same `StatTable[]`
 * and the same value formatter, so every download of a table says the same thing.
 */
export { asNumber, type CellFormat, type CellValue } from './layout.js'
export { tableToCsv, tablesToCsv, csvFile, LONG_CSV_HEADER, CSV_MEDIA_TYPE } from './csv.js'
export { tablesToOds, ODS_MEDIA_TYPE } from './ods.js'
export { tablesToXlsx, XLSX_MEDIA_TYPE } from './xlsx.js'
export { tablesToJson, tablesToJsonValue, JSON_FORMAT, type JsonTables } from './json.js'
