import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { onsRounding, protectTable, type DisclosedValue, type DisclosureMethod } from './disclosure.js'
import { oneWayTable, twoWayTable, type CountTable, type TableSum } from './table.js'

/*
 * The oracle: an exhaustive whole-number search, written without reference to the method's own linear programming.
 * For each hidden value it looks for a whole-number table that agrees with everything the reader can see (shown
 * values, the ranges that rounded values stand for, the sums, what the method says a hidden value can be) but
 * gives that hidden value a different number. If none exists, the value could be worked out: a disclosure.
 */

interface Interval {
  lo: number
  hi: number
}

/** Narrows the intervals until every sum is consistent with them; false when no table fits. */
function propagate(domains: Interval[], sums: readonly TableSum[]): boolean {
  for (let changed = true; changed;) {
    changed = false
    for (const { total, parts } of sums) {
      const members = [total, ...parts]
      const d = members.map((i) => domains[i]!)
      const partsLo = d.slice(1).reduce((a, x) => a + x.lo, 0)
      const partsHi = d.slice(1).reduce((a, x) => a + x.hi, 0)
      const narrowed: Interval[] = [
        { lo: Math.max(d[0]!.lo, partsLo), hi: Math.min(d[0]!.hi, partsHi) },
        ...d.slice(1).map((x) => ({
          lo: Math.max(x.lo, d[0]!.lo - (partsHi - x.hi)),
          hi: Math.min(x.hi, d[0]!.hi - (partsLo - x.lo)),
        })),
      ]
      for (let k = 0; k < members.length; k++) {
        const n = narrowed[k]!
        if (n.lo > n.hi) return false
        const i = members[k]!
        if (n.lo !== domains[i]!.lo || n.hi !== domains[i]!.hi) {
          domains[i] = n
          changed = true
        }
      }
    }
  }
  return true
}

function solutionExists(domains: Interval[], sums: readonly TableSum[]): boolean {
  const d = domains.map((x) => ({ ...x }))
  if (!propagate(d, sums)) return false
  let split = -1
  d.forEach((x, i) => {
    if (x.lo < x.hi && (split < 0 || x.hi - x.lo < d[split]!.hi - d[split]!.lo)) split = i
  })
  if (split < 0) return true
  const { lo, hi } = d[split]!
  const mid = Math.floor((lo + hi) / 2)
  return (
    solutionExists(
      d.map((x, i) => (i === split ? { lo, hi: mid } : x)),
      sums,
    ) ||
    solutionExists(
      d.map((x, i) => (i === split ? { lo: mid + 1, hi } : x)),
      sums,
    )
  )
}

/**
 * What the reader knows of each value, from the protected table and the method, cut down to within `WINDOW` of the
 * true value. The cut keeps the search small; it can only make the oracle stricter (a value protected only by
 * tables further from the truth would be reported as given away).
 */
const WINDOW = 3

function readerDomains(table: CountTable, shown: DisclosedValue[], method: DisclosureMethod): Interval[] {
  return shown.map((v, i) => {
    const truth = table.values[i]!
    const known = readerKnows(v, method)
    return { lo: Math.max(known.lo, truth - WINDOW), hi: Math.min(known.hi, truth + WINDOW) }
  })
}

function readerKnows(v: DisclosedValue, method: DisclosureMethod): Interval {
  if (v.status === 'shown') return { lo: v.value, hi: v.value }
  // Zeros are never hidden, and a hidden value may be a large complement: at least 1, no upper limit.
  if (v.status === 'suppressed' || method.kind === 'suppression') return { lo: 1, hi: Infinity }
  // Every whole number that rounds to the value shown, and is large enough to be rounded rather than hidden.
  let lo = v.value
  while (Math.round((lo - 1) / method.base) * method.base === v.value) lo--
  let hi = v.value
  while (Math.round((hi + 1) / method.base) * method.base === v.value) hi++
  return { lo: Math.max(lo, method.hideBelow), hi }
}

/** The hidden values that only one whole-number table allows. */
function recoverable(table: CountTable, shown: DisclosedValue[], method: DisclosureMethod): number[] {
  const domains = readerDomains(table, shown, method)
  return shown.flatMap((v, i) => {
    if (v.status !== 'suppressed') return []
    const truth = table.values[i]!
    const other = (lo: number, hi: number) =>
      lo <= hi &&
      solutionExists(
        domains.map((d, k) => (k === i ? { lo, hi } : d)),
        table.sums,
      )
    return other(domains[i]!.lo, truth - 1) || other(truth + 1, domains[i]!.hi) ? [] : [i]
  })
}

describe('the oracle', () => {
  it('finds a count given away by a row total', () => {
    const { table, cell } = twoWayTable([[2, 7]])
    const shown: DisclosedValue[] = table.values.map((value, i) =>
      i === cell(0, 0) ? { status: 'suppressed' } : { status: 'shown', value },
    )
    expect(recoverable(table, shown, { kind: 'suppression', threshold: 4 })).toEqual([cell(0, 0)])
  })

  it('finds a block of ones given away because hidden values are at least 1', () => {
    const { table, cell } = twoWayTable([
      [1, 1, 9],
      [1, 1, 8],
    ])
    const hiddenCells = [cell(0, 0), cell(0, 1), cell(1, 0), cell(1, 1)]
    const shown: DisclosedValue[] = table.values.map((value, i) =>
      hiddenCells.includes(i) ? { status: 'suppressed' } : { status: 'shown', value },
    )
    expect(recoverable(table, shown, { kind: 'suppression', threshold: 4 })).toEqual(hiddenCells)
  })

  it('accepts a count hidden with a complement', () => {
    const table = oneWayTable([2, 7, 30])
    const shown: DisclosedValue[] = table.values.map((value, i) =>
      i < 2 ? { status: 'suppressed' } : { status: 'shown', value },
    )
    expect(recoverable(table, shown, { kind: 'suppression', threshold: 4 })).toEqual([])
  })
})

const count = fc.oneof(
  { weight: 2, arbitrary: fc.constant(0) },
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 4 }) },
  { weight: 1, arbitrary: fc.constant(1) },
  { weight: 4, arbitrary: fc.integer({ min: 5, max: 30 }) },
)

const twoWay = fc
  .record({ rows: fc.integer({ min: 1, max: 4 }), columns: fc.integer({ min: 1, max: 4 }) })
  .chain(({ rows, columns }) =>
    fc.array(fc.array(count, { minLength: columns, maxLength: columns }), { minLength: rows, maxLength: rows }),
  )
  .map((cells) => twoWayTable(cells).table)

const oneWay = fc.array(count, { minLength: 1, maxLength: 6 }).map(oneWayTable)

/** Rows × columns where the first `group` columns also have a subtotal per row, like CED non-discharge. */
const withSubtotals = fc
  .record({ rows: fc.integer({ min: 1, max: 3 }), columns: fc.integer({ min: 2, max: 4 }) })
  .chain(({ rows, columns }) =>
    fc.record({
      cells: fc.array(fc.array(count, { minLength: columns, maxLength: columns }), {
        minLength: rows,
        maxLength: rows,
      }),
      group: fc.integer({ min: 2, max: columns }),
    }),
  )
  .map(({ cells, group }): CountTable => {
    const base = twoWayTable(cells)
    const values = [...base.table.values]
    const sums: TableSum[] = [...base.table.sums]
    const subtotalOf = (parts: number[]) => {
      values.push(parts.reduce((a, i) => a + values[i]!, 0))
      sums.push({ total: values.length - 1, parts })
      return values.length - 1
    }
    const columns = Array.from({ length: group }, (_, c) => c)
    const rowSubtotals = cells.map((_, r) => subtotalOf(columns.map((c) => base.cell(r, c))))
    const overall = subtotalOf(rowSubtotals)
    sums.push({ total: overall, parts: columns.map((c) => base.columnTotal(c)) })
    return { values, sums }
  })

/** Larger rows × columns tables, up to 7 × 7: long cycles of complements, and more ways to close one. */
const largerTwoWay = fc
  .record({ rows: fc.integer({ min: 4, max: 7 }), columns: fc.integer({ min: 4, max: 7 }) })
  .chain(({ rows, columns }) =>
    fc.array(fc.array(count, { minLength: columns, maxLength: columns }), { minLength: rows, maxLength: rows }),
  )
  .map((cells) => twoWayTable(cells).table)

/**
 * The shape of Home Office tables 14 to 17: for each area a block of rows (a parent row and its two parts, then other
 * rows) by columns with a row total, and a block for the whole force that is the sum of the areas' blocks, cell by
 * cell. A three-way table, not a network: linear-programming bounds need not be whole numbers there, so it is the
 * whole-number oracle that has the last word.
 */
const byArea = fc
  .record({
    areas: fc.integer({ min: 2, max: 3 }),
    others: fc.integer({ min: 0, max: 1 }),
    columns: fc.integer({ min: 2, max: 3 }),
  })
  .chain(({ areas, others, columns }) =>
    fc.array(
      fc.array(fc.array(count, { minLength: columns, maxLength: columns }), {
        minLength: 2 + others,
        maxLength: 2 + others,
      }),
      { minLength: areas, maxLength: areas },
    ),
  )
  .map((areaBlocks): CountTable => {
    const values: number[] = []
    const sums: TableSum[] = []
    const add = (value: number) => values.push(value) - 1
    const total = (parts: number[]) => {
      const at = add(parts.reduce((a, i) => a + values[i]!, 0))
      sums.push({ total: at, parts })
      return at
    }
    /** One block from its leaf rows' cells: the parent row first, then the leaves; each row with its total. */
    const block = (leaves: number[][]) => {
      const leafCells = leaves.map((row) => row.map(add))
      const rows = leafCells.map((cells) => [...cells, total(cells)])
      const parent = rows[0]!.map((_, c) => total([rows[0]![c]!, rows[1]![c]!]))
      sums.push({ total: parent[parent.length - 1]!, parts: parent.slice(0, -1) })
      return [parent, ...rows]
    }
    const blocks = areaBlocks.map(block)
    // The force's block: each cell is the sum of the areas' cells; its rows keep their own identities too.
    const force = blocks[0]!.map((row, r) => row.map((_, c) => total(blocks.map((b) => b[r]![c]!))))
    force.forEach((row) => sums.push({ total: row[row.length - 1]!, parts: row.slice(0, -1) }))
    force[0]!.forEach((cell, c) => sums.push({ total: cell, parts: [force[1]![c]!, force[2]![c]!] }))
    return { values, sums }
  })

describe('no hidden value can be worked out from what is shown', () => {
  const tables = fc.oneof(twoWay, oneWay, withSubtotals)
  const runs = { numRuns: 300 }

  it('with suppression (counts 1 to 4)', () => {
    const method: DisclosureMethod = { kind: 'suppression', threshold: 4 }
    fc.assert(
      fc.property(tables, (table) => {
        const result = protectTable(table, method)
        expect(recoverable(table, result.values, method)).toEqual([])
        result.values.forEach((v, i) => {
          const truth = table.values[i]!
          if (truth >= 1 && truth <= 4) expect(v.status).toBe('suppressed')
          if (v.status === 'shown') expect(v.value).toBe(truth)
          if (truth === 0) expect(v).toEqual({ status: 'shown', value: 0 })
        })
      }),
      runs,
    )
  })

  it('with suppression at another threshold (counts 1 to 9)', () => {
    const method: DisclosureMethod = { kind: 'suppression', threshold: 9 }
    fc.assert(
      fc.property(tables, (table) => {
        expect(recoverable(table, protectTable(table, method).values, method)).toEqual([])
      }),
      runs,
    )
  })

  it('with ONS 10-5 rounding', () => {
    fc.assert(
      fc.property(tables, (table) => {
        const result = protectTable(table, onsRounding)
        expect(recoverable(table, result.values, onsRounding)).toEqual([])
        result.values.forEach((v, i) => {
          const truth = table.values[i]!
          if (v.status === 'rounded') expect(Math.abs(v.value - truth)).toBeLessThanOrEqual(2)
          if (truth >= 1 && truth <= 9) expect(v.status).toBe('suppressed')
          if (truth === 0) expect(v).toEqual({ status: 'shown', value: 0 })
        })
      }),
      runs,
    )
  })

  describe('on larger tables', () => {
    const larger = fc.oneof(largerTwoWay, byArea)
    const fewer = { numRuns: 60 }
    for (const method of [{ kind: 'suppression', threshold: 4 } as const, onsRounding])
      it(`with ${method.kind}`, () => {
        fc.assert(
          fc.property(larger, (table) => {
            expect(recoverable(table, protectTable(table, method).values, method)).toEqual([])
          }),
          fewer,
        )
      })
  })
})
