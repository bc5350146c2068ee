import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { CellSum, StatTable } from '../statistics/stat-table.js'
import { feasibleRanges, type Range } from './bounds.js'
import { methodStatement, onsRounding, type DisclosureMethod } from './disclosure.js'
import { protectStatTable, publishedCell, publishedText, type PublishedValue } from './stat-table.js'
import type { CountTable } from './table.js'

/**
 * A rows × columns table laid out as the Home Office lays its tables out: the total row first and the "all" column
 * first, each the sum of the cells after it. `cells` are the inner counts.
 */
function marginTable(cells: number[][]): { table: StatTable; counts: CountTable; width: number } {
  const parts = cells[0]?.length ?? 0
  const grid = [
    [0, ...Array.from({ length: parts }, () => 0)],
    ...cells.map((row) => [row.reduce((a, b) => a + b, 0), ...row]),
  ]
  grid.slice(1).forEach((row) => row.forEach((v, c) => (grid[0]![c]! += v)))
  const width = parts + 1
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i)
  const sums: CellSum[] = [
    ...range(1, grid.length).map((r) => ({
      total: [r, 0] as const,
      parts: range(1, width).map((c) => [r, c] as const),
    })),
    ...range(0, width).map((c) => ({
      total: [0, c] as const,
      parts: range(1, grid.length).map((r) => [r, c] as const),
    })),
    { total: [0, 0], parts: range(1, width).map((c) => [0, c] as const) },
  ]
  const table: StatTable = {
    id: 'random',
    title: 'Random table',
    rowHeading: 'Group',
    columns: range(0, width).map((c) => ({ key: `c${c}`, label: c === 0 ? 'All' : `Part ${c}` })),
    rows: grid.map((values, r) => ({
      key: `r${r}`,
      label: r === 0 ? 'Total' : `Row ${r}`,
      depth: 0,
      total: r === 0,
      values,
    })),
    sums,
    notes: ['A note.'],
  }
  const at = ([r, c]: readonly [number, number]) => r * width + c
  return {
    table,
    counts: { values: grid.flat(), sums: sums.map((s) => ({ total: at(s.total), parts: s.parts.map(at) })) },
    width,
  }
}

/** What a reader who knows the method can say of a published value before using the table's sums. */
function readerKnows(value: PublishedValue, method: DisclosureMethod): Range {
  if (value.status === 'shown') return { min: value.value, max: value.value }
  if (value.status === 'suppressed' || method.kind === 'suppression' || value.status === 'rate')
    return { min: 1, max: Infinity }
  const half = method.base / 2
  return { min: Math.max(method.hideBelow, Math.ceil(value.value - half)), max: Math.ceil(value.value + half) - 1 }
}

const count = fc.oneof(
  { weight: 2, arbitrary: fc.constant(0) },
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 4 }) },
  { weight: 4, arbitrary: fc.integer({ min: 5, max: 40 }) },
)
const cellsArb = fc
  .record({ rows: fc.integer({ min: 1, max: 4 }), columns: fc.integer({ min: 1, max: 4 }) })
  .chain(({ rows, columns }) =>
    fc.array(fc.array(count, { minLength: columns, maxLength: columns }), { minLength: rows, maxLength: rows }),
  )

describe('protectStatTable', () => {
  for (const method of [{ kind: 'suppression', threshold: 4 } as const, onsRounding]) {
    it(`leaves no hidden count that the published values and sums pin down (${method.kind})`, () => {
      fc.assert(
        fc.property(cellsArb, (cells) => {
          const { table, counts, width } = marginTable(cells)
          const published = protectStatTable(table, method)
          const flat = published.rows.flatMap((row) => row.values.map((v) => v!))
          expect(flat).toHaveLength(counts.values.length)
          const ranges = feasibleRanges(
            counts,
            flat.map((v) => readerKnows(v, method)),
          )
          flat.forEach((v, i) => {
            const truth = counts.values[i]!
            const where = `cell (${Math.floor(i / width)}, ${i % width}) = ${truth}`
            if (v.status === 'suppressed') expect(ranges[i]!.max - ranges[i]!.min, where).toBeGreaterThanOrEqual(1)
            if (v.status === 'shown') expect(v.value, where).toBe(truth)
            const small = method.kind === 'suppression' ? truth <= method.threshold : truth < method.hideBelow
            if (truth > 0 && small) expect(v.status, where).toBe('suppressed')
          })
          expect(published.notes).toEqual(['A note.', methodStatement(method)])
        }),
        { numRuns: 200 },
      )
    })
  }

  it('gives no rate on a hidden count, and a rate from the count as shown otherwise', () => {
    const { table } = marginTable([
      [2, 50],
      [30, 60],
      [40, 70],
    ])
    const published = protectStatTable(table, { kind: 'suppression', threshold: 4 }, [
      {
        key: 'rate',
        label: 'Rate per 1,000',
        count: 'c1',
        per: 1000,
        denominator: (row) => (row.key === 'r2' ? null : 3000),
      },
    ])
    const rate = (r: number) => published.rows[r]!.values.at(-1)
    expect(published.columns.at(-1)).toEqual({ key: 'rate', label: 'Rate per 1,000' })
    expect(published.rows[1]!.values[1]).toEqual({ status: 'suppressed' })
    expect(rate(1)).toEqual({ status: 'suppressed' })
    expect(rate(2)).toBeNull()
    const shown = published.rows.flatMap((row, r) => {
      const count = row.values[1]
      return r !== 2 && count?.status === 'shown' ? [[count.value, rate(r)] as const] : []
    })
    expect(shown.length).toBeGreaterThan(0)
    for (const [value, r] of shown) expect(r).toEqual({ status: 'rate', value: Math.round(value / 0.3) / 10 })
    expect(publishedText({ status: 'rate', value: 10.66 })).toBe('10.7')
    expect(publishedCell({ status: 'suppressed' })).toBe('[c]')
    expect(publishedText({ status: 'shown', value: 12345 })).toBe('12,345')
  })

  it('refuses a sum over a cell that does not apply', () => {
    const { table } = marginTable([[5, 6]])
    const blank = { ...table, rows: table.rows.map((r, i) => (i === 1 ? { ...r, values: [11, null, 6] } : r)) }
    expect(() => protectStatTable(blank, onsRounding)).toThrow(/blank/)
  })
})
