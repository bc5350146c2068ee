import { describe, expect, it } from 'vitest'
import { feasibleRanges, linearAudit, pinnedValues } from './bounds.js'
import {
  displayValue,
  methodStatement,
  onsRounding,
  protectTable,
  protectedRate,
  type DisclosedValue,
} from './disclosure.js'
import { intervalRanges } from './intervals.js'
import { oneWayTable, twoWayTable, type CountTable } from './table.js'

const printed = (values: DisclosedValue[]) => values.map(displayValue)

describe('suppression', () => {
  it('hides a small count and the smallest other count in a list with a total', () => {
    expect(printed(protectTable(oneWayTable([2, 7, 30])).values)).toEqual(['[c]', '[c]', '30', '39'])
  })

  it('shows zeros and leaves a table with no small counts alone', () => {
    expect(printed(protectTable(oneWayTable([0, 12, 1_250])).values)).toEqual(['0', '12', '1,250', '1,262'])
  })

  it('closes the hidden cells of a rows × columns table into a cycle, keeping every total', () => {
    const t = twoWayTable([
      [3, 10, 20],
      [15, 12, 8],
      [9, 14, 11],
    ])
    const result = protectTable(t.table)
    const hidden = result.values.flatMap((v, i) => (v.status === 'suppressed' ? [i] : []))
    // The cheapest cycle through the 3: its row's smallest, its column's smallest, and where they meet.
    expect(hidden).toEqual([t.cell(0, 0), t.cell(0, 1), t.cell(2, 0), t.cell(2, 1)])
  })

  it('hides a total when it is a small count itself', () => {
    const t = twoWayTable([
      [1, 2],
      [20, 30],
    ])
    const result = protectTable(t.table)
    expect(result.values[t.rowTotal(0)]).toEqual({ status: 'suppressed' })
    expect(result.values[t.grandTotal]).toEqual({ status: 'shown', value: 53 })
  })

  it('hides more than the row and column rule would for a block of ones, which "at least 1" would give away', () => {
    const t = twoWayTable([
      [1, 1, 9],
      [1, 1, 8],
      [6, 7, 0],
    ])
    const result = protectTable(t.table)
    const known = result.values.map((v) =>
      v.status === 'shown' ? { min: v.value, max: v.value } : { min: 1, max: Infinity },
    )
    for (const [i, range] of feasibleRanges(t.table, known).entries())
      if (result.values[i]?.status === 'suppressed') expect(range.max).toBeGreaterThan(range.min)
  })

  it('uses the threshold set', () => {
    expect(printed(protectTable(oneWayTable([6, 7, 30]), { kind: 'suppression', threshold: 9 }).values)).toEqual([
      '[c]',
      '[c]',
      '30',
      '43',
    ])
  })

  it('works on a table with several margins (a subtotal of some columns)', () => {
    // Drawn, fired and their subtotal for two forces, with totals: the subtotal is a sum the reader can use too.
    const table: CountTable = {
      values: [2, 40, 42, 30, 50, 80, 32, 90, 122],
      sums: [
        { total: 2, parts: [0, 1] },
        { total: 5, parts: [3, 4] },
        { total: 6, parts: [0, 3] },
        { total: 7, parts: [1, 4] },
        { total: 8, parts: [2, 5] },
        { total: 8, parts: [6, 7] },
      ],
    }
    expect(printed(protectTable(table).values)).toEqual(['[c]', '[c]', '42', '[c]', '[c]', '80', '32', '90', '122'])
  })
})

describe('ONS 10-5 rounding', () => {
  it('shows zero, hides 1 to 9 and rounds the rest to the nearest 5, totals from unrounded figures', () => {
    const result = protectTable(oneWayTable([0, 7, 12, 13, 102]), onsRounding)
    expect(printed(result.values)).toEqual(['0', '[c]', '10', '15', '100', '135'])
    expect(result.values[2]).toEqual({ status: 'rounded', value: 10 })
  })

  it('hides more when rounding alone would give a hidden count away', () => {
    // 1 + 1 = a hidden 2 beside a shown zero: the reader knows each hidden count is at least 1, so all are 1.
    const result = protectTable(oneWayTable([1, 1, 0]), onsRounding)
    expect(printed(result.values)).toEqual(['[c]', '[c]', '0', '[c]'])
  })
})

describe('statements, display and rates', () => {
  it('states each method in plain English', () => {
    expect(methodStatement({ kind: 'suppression', threshold: 4 })).toContain('counts from 1 to 4 are not shown ([c])')
    expect(methodStatement(onsRounding)).toContain('counts from 1 to 9 are not shown ([c])')
    expect(methodStatement(onsRounding)).toContain('rounded to the nearest 5')
    expect(protectTable(oneWayTable([5])).statement).toBe(methodStatement({ kind: 'suppression', threshold: 4 }))
  })

  it('gives no rate on a hidden count, and a rate from the rounded count otherwise', () => {
    expect(protectedRate({ status: 'suppressed' }, 50_000, 1_000)).toEqual({ status: 'suppressed' })
    expect(protectedRate({ status: 'rounded', value: 15 }, 10_000, 1_000)).toEqual({ status: 'shown', rate: 1.5 })
    expect(protectedRate({ status: 'shown', value: 0 }, 0, 1_000)).toEqual({ status: 'not-applicable' })
  })
})

describe('bad input', () => {
  it('refuses counts that are not whole and non-negative, and sums that do not add up', () => {
    expect(() => oneWayTable([1.5])).toThrow(/whole numbers/)
    expect(() => twoWayTable([[-1, 2]])).toThrow(/whole numbers/)
    expect(() => twoWayTable([[1, 2], [3]])).toThrow(/same number of cells/)
    expect(() => protectTable({ values: [1, 2, 4], sums: [{ total: 2, parts: [0, 1] }] })).toThrow(/not the sum/)
    expect(() => protectTable({ values: [1], sums: [{ total: 3, parts: [0] }] })).toThrow(/does not have/)
    expect(() => protectTable(oneWayTable([1]), { kind: 'suppression', threshold: 0 })).toThrow(/settings/)
  })
})

describe('the two checks behind secondary suppression', () => {
  const hiddenAt = (table: CountTable, hidden: number[]) =>
    table.values.map((v, i) => (hidden.includes(i) ? { min: 1, max: Infinity } : { min: v, max: v }))

  it('interval bounds narrow a hidden value by each sum it is in', () => {
    // 2 and 7 hidden beside a shown 30 and total 39: each is at least 1, so at most 9 − 1 = 8.
    const table = oneWayTable([2, 7, 30])
    expect(intervalRanges(table, hiddenAt(table, [0, 1])).slice(0, 2)).toEqual([
      { min: 1, max: 8 },
      { min: 1, max: 8 },
    ])
  })

  it('interval bounds pin a block of ones', () => {
    const { table, cell, rowTotal } = twoWayTable([
      [1, 1, 9],
      [1, 1, 8],
    ])
    const block = [cell(0, 0), cell(0, 1), cell(1, 0), cell(1, 1), rowTotal(0)]
    const ranges = intervalRanges(table, hiddenAt(table, block))
    expect(block.map((i) => ranges[i])).toContainEqual({ min: 1, max: 1 })
  })

  it('the linear check counts a value that can grow without limit as not worked out', () => {
    // A small cell with its row total, column total and the grand total hidden: all four can rise together, so only
    // the row total of two shown 1s is given away.
    const { table, cell, rowTotal, columnTotal, grandTotal } = twoWayTable([
      [2, 1],
      [1, 1],
    ])
    const hidden = [cell(0, 1), rowTotal(0), rowTotal(1), columnTotal(1), grandTotal]
    const known = hiddenAt(table, hidden)
    expect(pinnedValues(table, known, hidden)).toEqual([rowTotal(1)])
    expect(linearAudit(table)(known, hidden)).toEqual([rowTotal(1)])
    expect(feasibleRanges(table, known)[cell(0, 1)]).toEqual({ min: 1, max: Infinity })
  })

  it('the grouped, remembered linear check finds what the one-off check finds', () => {
    const { table, cell } = twoWayTable([
      [2, 7, 30, 0],
      [9, 1, 4, 12],
      [0, 0, 3, 8],
    ])
    const audit = linearAudit(table)
    for (const hidden of [[cell(0, 0)], [cell(0, 0), cell(0, 1)], [cell(1, 1), cell(1, 2), cell(2, 2)]]) {
      const known = hiddenAt(table, hidden)
      expect(audit(known, hidden)).toEqual(pinnedValues(table, known, hidden))
      // Asked again, it answers from what it remembers, and the same.
      expect(audit(known, hidden)).toEqual(pinnedValues(table, known, hidden))
    }
  })
})
