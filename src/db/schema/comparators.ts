import type { ColumnType, Generated } from 'kysely'
import type { AreaKind, Check, Measure, ParsedSource } from '../../features/comparators/figures.js'

/** Table types for national comparators (migration 2026-11-22-07). */

type Timestamp = ColumnType<Date, Date | string, never>
/** 'YYYY-MM-DD' on both backends (see database.ts). */
type CalendarDate = string
type Json<T> = ColumnType<T, string, never>

export interface ComparatorImportsTable {
  id: Generated<string>
  file_name: string
  sha256: string
  source: ParsedSource['source']
  title: string
  published_on: CalendarDate | null
  checks: Json<Check[]>
  notes: Json<string[]>
  figure_count: number
  imported_at: Timestamp
  imported_by: string
}

export interface ComparatorFiguresTable {
  import_id: string
  measure: Measure
  period_start: CalendarDate
  period_end: CalendarDate
  area_kind: AreaKind
  area: string
  category: string
  value: number | null
  revised: boolean
}

export interface ComparatorTables {
  comparator_imports: ComparatorImportsTable
  comparator_figures: ComparatorFiguresTable
}
