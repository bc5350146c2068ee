/**
 * A table of counts as a reader sees it: every number that will be printed (inner cells and totals alike, in one
 * flat list) and the sums that tie them together. Treating totals as ordinary values is what lets one disclosure
 * method serve a one-way list with a total, a rows × columns table with its margins, and a table with several
 * margins (subtotals such as "CED non-discharge" beside their parts, or a second grouping of the same rows).
 */
export interface CountTable {
  /** Whole, non-negative counts. Index positions are the table's own business (see the builders below). */
  readonly values: readonly number[]
  /** Each published identity: values[total] = Σ values[parts]. */
  readonly sums: readonly TableSum[]
}

export interface TableSum {
  readonly total: number
  readonly parts: readonly number[]
}

/** A rows × columns table with row totals, column totals and a grand total, and where each of them sits. */
export interface TwoWayTable {
  readonly table: CountTable
  cell(row: number, column: number): number
  rowTotal(row: number): number
  columnTotal(column: number): number
  readonly grandTotal: number
}

/**
 * Builds the table and its margins from the inner cells. Layout of `values`: the cells row by row, then the row
 * totals, then the column totals, then the grand total.
 */
export function twoWayTable(cells: readonly (readonly number[])[]): TwoWayTable {
  const rows = cells.length
  const columns = cells[0]?.length ?? 0
  if (rows === 0 || columns === 0) throw new RangeError('A table needs at least one row and one column.')
  if (cells.some((row) => row.length !== columns)) throw new RangeError('Every row needs the same number of cells.')
  const cell = (r: number, c: number) => r * columns + c
  const rowTotal = (r: number) => rows * columns + r
  const columnTotal = (c: number) => rows * columns + rows + c
  const grandTotal = rows * columns + rows + columns
  const inner = cells.flat()
  const rowSums = cells.map((row) => sum(row))
  const columnSums = Array.from({ length: columns }, (_, c) => sum(cells.map((row) => row[c] ?? 0)))
  const values = [...inner, ...rowSums, ...columnSums, sum(inner)]
  checkCounts(values)
  const range = (n: number) => Array.from({ length: n }, (_, i) => i)
  const sums: TableSum[] = [
    ...range(rows).map((r) => ({ total: rowTotal(r), parts: range(columns).map((c) => cell(r, c)) })),
    ...range(columns).map((c) => ({ total: columnTotal(c), parts: range(rows).map((r) => cell(r, c)) })),
    { total: grandTotal, parts: range(rows).map(rowTotal) },
    { total: grandTotal, parts: range(columns).map(columnTotal) },
  ]
  return { table: { values, sums }, cell, rowTotal, columnTotal, grandTotal }
}

/** A list of counts and their total; the total is the last value. */
export function oneWayTable(counts: readonly number[]): CountTable {
  if (counts.length === 0) throw new RangeError('A table needs at least one count.')
  const values = [...counts, sum(counts)]
  checkCounts(values)
  return { values, sums: [{ total: counts.length, parts: counts.map((_, i) => i) }] }
}

/** Checks a hand-built table: whole non-negative counts, indices in range, and every sum true. */
export function checkTable(table: CountTable): void {
  checkCounts(table.values)
  for (const { total, parts } of table.sums) {
    const at = (i: number) => {
      const value = table.values[i]
      if (value === undefined) throw new RangeError(`A sum refers to value ${i}, which the table does not have.`)
      return value
    }
    if (at(total) !== sum(parts.map(at))) throw new RangeError(`Value ${total} is not the sum of its parts.`)
  }
}

function checkCounts(values: readonly number[]): void {
  if (values.some((v) => !Number.isSafeInteger(v) || v < 0))
    throw new RangeError('Counts must be whole numbers, zero or more.')
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0)
}
