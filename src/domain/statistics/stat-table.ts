/**
 * A statistical table as every output receives it: the analyst's pages, the CSV, ODS, XLSX and JSON downloads, the
 * annual return and the public publications. The counting engine (src/features/statistics/) builds tables of
 * counts; disclosure control (src/domain/disclosure/) turns the values into what a reader may see; the writers lay
 * either out without knowing which they were given.
 */
export interface StatTable<V = number> {
  /** Stable, e.g. 'table-1'; used in file and sheet names. */
  readonly id: string
  /** As the Home Office words it, e.g. 'Table 1: Number of times tactics used and number of incidents…'. */
  readonly title: string
  /** The heading of the row-label column, e.g. 'Tactic'. */
  readonly rowHeading: string
  readonly columns: readonly StatColumn[]
  readonly rows: readonly StatRow<V>[]
  /** The identities the published numbers keep (a total row is the sum of its parts…), for disclosure control. */
  readonly sums: readonly CellSum[]
  /** Footnotes printed under the table: counting rules, caveats, the disclosure method. */
  readonly notes: readonly string[]
}

export interface StatColumn {
  readonly key: string
  readonly label: string
  /** A heading spanning adjacent columns with the same group, e.g. 'CED non-discharge'. */
  readonly group?: string
}

export interface StatRow<V = number> {
  readonly key: string
  readonly label: string
  /** 0 for a top-level row, 1 for an "of which" row beneath it, and so on. */
  readonly depth: number
  /** Totals are shown in bold and are never a complement of their own parts. */
  readonly total?: boolean
  /** One per column; null where the cell does not apply (shown blank, never as zero). */
  readonly values: readonly (V | null)[]
}

/** A cell by its row and column index. */
export type CellRef = readonly [row: number, column: number]

/** values at `total` = Σ values at `parts`. */
export interface CellSum {
  readonly total: CellRef
  readonly parts: readonly CellRef[]
}
