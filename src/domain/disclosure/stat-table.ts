import type { CellRef, StatColumn, StatRow, StatTable } from '../statistics/stat-table.js'
import {
  displayValue,
  protectedRate,
  protectTable,
  SUPPRESSED_SYMBOL,
  type DisclosedValue,
  type DisclosureMethod,
} from './disclosure.js'
import type { CountTable } from './table.js'

/**
 * Disclosure control for a whole statistical table, the form every published or shared table takes: the table's
 * cells and its `sums` become a `CountTable`, `protectTable` decides what may be shown, and the table comes back with
 * what the reader may see in each cell and the method stated in its notes.
 */

/** A cell of a table after disclosure control: a count as disclosed, or a rate worked out from one. */
export type PublishedValue = DisclosedValue | { status: 'rate'; value: number }

/** A rate column added after disclosure, from a count column of the same row (see `protectedRate`). */
export interface RateColumn {
  readonly key: string
  readonly label: string
  readonly group?: string
  /** The key of the count column the rate is worked out from. */
  readonly count: string
  /** Per how many of the denominator, e.g. 1,000 population. */
  readonly per: number
  /** The row's denominator (e.g. the population of the group), or null where there is none. */
  readonly denominator: (row: StatRow<number>) => number | null
}

const RATE_DECIMALS = 1

export function protectStatTable(
  table: StatTable<number>,
  method: DisclosureMethod,
  rates: readonly RateColumn[] = [],
): StatTable<PublishedValue> {
  const { counts, indexOf } = countTable(table)
  const disclosed = protectTable(counts, method)
  const rateColumns = rates.map((rate) => {
    const column = table.columns.findIndex((c) => c.key === rate.count)
    if (column < 0) throw new RangeError(`Rate ${rate.key} refers to column ${rate.count}, which the table lacks.`)
    return { ...rate, column }
  })
  const rows = table.rows.map((row, r): StatRow<PublishedValue> => {
    const values: (DisclosedValue | null)[] = row.values.map((v, c) => {
      const index = indexOf(r, c)
      return v === null || index === undefined ? null : (disclosed.values[index] ?? null)
    })
    const rateValues = rateColumns.map(({ column, denominator, per }): PublishedValue | null => {
      const count = values[column]
      const d = denominator(row)
      if (!count || d === null) return null
      const rate = protectedRate(count, d, per)
      return rate.status === 'suppressed'
        ? { status: 'suppressed' }
        : rate.status === 'shown'
          ? { status: 'rate', value: roundTo(rate.rate, RATE_DECIMALS) }
          : null
    })
    return { ...row, values: [...values, ...rateValues] }
  })
  const columns: StatColumn[] = [
    ...table.columns,
    ...rates.map(({ key, label, group }) => ({ key, label, ...(group ? { group } : {}) })),
  ]
  return { ...table, columns, rows, notes: [...table.notes, disclosed.statement] }
}

/** How a published value is written in a download: a number, or the suppression symbol as text. */
export function publishedCell(value: PublishedValue): number | string {
  return value.status === 'suppressed' ? SUPPRESSED_SYMBOL : value.value
}

/** How a published value is printed on a page: counts with thousands separators, rates to one decimal place. */
export function publishedText(value: PublishedValue): string {
  return value.status === 'rate' ? value.value.toFixed(RATE_DECIMALS) : displayValue(value)
}

/**
 * The table's non-null cells, row by row, as a `CountTable` with the table's sums. A sum may not refer to a cell that
 * does not apply: an identity over a blank would be no identity at all.
 */
export function countTable(table: StatTable<number>): {
  counts: CountTable
  indexOf: (row: number, column: number) => number | undefined
} {
  const index = new Map<string, number>()
  const values: number[] = []
  table.rows.forEach((row, r) =>
    row.values.forEach((v, c) => {
      if (v === null) return
      index.set(`${r},${c}`, values.length)
      values.push(v)
    }),
  )
  const indexOf = (r: number, c: number) => index.get(`${r},${c}`)
  const at = ([r, c]: CellRef) => {
    const i = indexOf(r, c)
    if (i === undefined) throw new RangeError(`Table ${table.id}: a sum refers to cell (${r}, ${c}), which is blank.`)
    return i
  }
  const sums = table.sums.map((s) => ({ total: at(s.total), parts: s.parts.map(at) }))
  return { counts: { values, sums }, indexOf }
}

function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals
  return Math.round(value * factor) / factor
}
