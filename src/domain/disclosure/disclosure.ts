import { linearAudit, type Range } from './bounds.js'
import { intervalRanges, sumsByValue } from './intervals.js'
import { checkTable, type CountTable } from './table.js'

/**
 * Statistical disclosure control: the one place that decides which counts may leave the force and how. Every table
 * that is published or shared goes through `protectTable`, prints each value with `displayValue`, derives rates with
 * `protectedRate`, and prints `statement` under the table.
 *
 * Two methods, chosen by setting:
 *
 * - **Suppression** (the default): counts from 1 to `threshold` are hidden (primary suppression). Then, while any
 *   hidden value could be worked out exactly from the values shown and the table's sums, the smallest non-zero
 *   value that shares a sum with it is hidden as well (secondary suppression), totals included, until nothing
 *   hidden can be worked out. "Worked out" is judged as a reader who knows this method would: a hidden value is at
 *   least 1, because zeros are never hidden (a zero discloses nothing about a person, and hiding zeros would hide
 *   most of a sparse table). Cells are preferred to totals as complements, so totals stay visible where possible.
 * - **Rounding**, ONS "10-5" style: zero is shown as 0; counts from 1 to 9 are hidden; every other count, totals
 *   included, is rounded to the nearest 5 independently from the unrounded figure (13 → 15, 12 → 10; whole counts
 *   never fall half-way). Rounded parts may therefore not add up to their rounded total. Rounding alone can still
 *   give a hidden count away (a row of hidden ones beside a hidden total), so the same secondary suppression
 *   follows, judged with what each rounded value stands for (e.g. a shown 15 is 13 to 17).
 *
 * Hidden values look the same whichever step hid them, so a reader cannot tell a small count from a complement.
 */
export type DisclosureMethod =
  { kind: 'suppression'; threshold: number } | { kind: 'rounding'; base: number; hideBelow: number }

export const defaultMethod: DisclosureMethod = { kind: 'suppression', threshold: 4 }
export const onsRounding: DisclosureMethod = { kind: 'rounding', base: 5, hideBelow: 10 }

/** What the reader sees in place of a count. */
export type DisclosedValue =
  { status: 'shown'; value: number } | { status: 'rounded'; value: number } | { status: 'suppressed' }

export interface ProtectedTable {
  /** One per value of the table, at the same positions. */
  values: DisclosedValue[]
  method: DisclosureMethod
  /** Plain English, for printing under the table. */
  statement: string
}

/** The Government Statistical Service symbol for a value withheld to protect confidentiality. */
export const SUPPRESSED_SYMBOL = '[c]'

export function protectTable(table: CountTable, method: DisclosureMethod = defaultMethod): ProtectedTable {
  checkTable(table)
  checkMethod(method)
  const first = table.values.map((value) => firstPass(value, method))
  return { values: addComplements(table, first, method), method, statement: methodStatement(method) }
}

/** The plain-English statement of a method, for printing under a table. */
export function methodStatement(method: DisclosureMethod): string {
  if (method.kind === 'suppression')
    return (
      `To protect the people counted, counts from 1 to ${method.threshold} are not shown (${SUPPRESSED_SYMBOL}). ` +
      `Some other counts, and totals where needed, are also not shown so that a hidden count cannot be worked out ` +
      `from the totals. Zero counts are shown. No rate is given where the count is not shown.`
    )
  return (
    `To protect the people counted, counts from 1 to ${method.hideBelow - 1} are not shown (${SUPPRESSED_SYMBOL}) ` +
    `and all other counts except zero are rounded to the nearest ${method.base}. Some other counts, and totals ` +
    `where needed, are also not shown so that a hidden count cannot be worked out from the totals. Totals are ` +
    `rounded from the unrounded figures, so rounded counts may not add up to the rounded total. Rates are worked ` +
    `out from the rounded counts. No rate is given where the count is not shown.`
  )
}

/** How a value is printed: a count with thousands separators, or the suppression symbol. */
export function displayValue(value: DisclosedValue): string {
  return value.status === 'suppressed' ? SUPPRESSED_SYMBOL : value.value.toLocaleString('en-GB')
}

/**
 * A rate per `per` (e.g. per 1,000 population) from a protected count, or 'suppressed' when the count is hidden.
 * Worked out from the value as shown: a rate from an unrounded count, beside a published denominator, would give
 * the unrounded count back.
 */
export function protectedRate(
  count: DisclosedValue,
  denominator: number,
  per: number,
): { status: 'shown'; rate: number } | { status: 'suppressed' } | { status: 'not-applicable' } {
  if (count.status === 'suppressed') return { status: 'suppressed' }
  if (!(denominator > 0)) return { status: 'not-applicable' }
  return { status: 'shown', rate: (count.value / denominator) * per }
}

function checkMethod(method: DisclosureMethod): void {
  const whole = (n: number) => Number.isSafeInteger(n) && n >= 1
  if (method.kind === 'suppression' ? !whole(method.threshold) : !whole(method.base) || !whole(method.hideBelow))
    throw new RangeError('Disclosure settings must be whole numbers, 1 or more.')
}

/** Each value on its own: shown, rounded or hidden. */
function firstPass(value: number, method: DisclosureMethod): DisclosedValue {
  if (value === 0) return { status: 'shown', value: 0 }
  if (method.kind === 'suppression')
    return value <= method.threshold ? { status: 'suppressed' } : { status: 'shown', value }
  if (value < method.hideBelow) return { status: 'suppressed' }
  return { status: 'rounded', value: Math.round(value / method.base) * method.base }
}

/**
 * What a reader who knows the method can say about a value from the value alone. A hidden value is at least 1 (zeros
 * are never hidden) and may be a complement of any size; a rounded value is within half a base of what is shown and
 * at least the smallest count that is rounded rather than hidden.
 */
function readerKnows(value: DisclosedValue, method: DisclosureMethod): Range {
  if (value.status === 'shown') return { min: value.value, max: value.value }
  if (value.status === 'suppressed' || method.kind === 'suppression') return { min: 1, max: Infinity }
  // Math.round(v / base) * base = r exactly when r − base/2 ≤ v < r + base/2.
  const [low, high] = [value.value - method.base / 2, value.value + method.base / 2]
  return { min: Math.max(method.hideBelow, Math.ceil(low)), max: Math.ceil(high) - 1 }
}

/**
 * Secondary suppression. Hidden values are checked in two steps, the quick one first: interval bounds (each sum on
 * its own, `intervals.ts`) find most values a reader could work out, in well under a millisecond; only when they
 * find none does linear programming (`bounds.ts`) look for what takes several sums at once, and only in the parts
 * of the table that changed since it last looked. Each value found gets one complement: another value sharing a sum
 * with it. Several are handled in one pass, except where a complement has just gone into one of their sums (that
 * complement may already protect them, so they wait for the next check rather than cost a second one).
 */
function addComplements(table: CountTable, first: DisclosedValue[], method: DisclosureMethod): DisclosedValue[] {
  const { values, sums } = table
  const result = [...first]
  const hidden = (i: number) => result[i]?.status === 'suppressed'
  const members = sums.map((s) => [s.total, ...s.parts])
  const isTotal = new Set(sums.map((s) => s.total))
  const sumsOf = sumsByValue(table)
  const hiddenIn = members.map((m) => m.filter(hidden).length)
  const hide = (i: number) => {
    result[i] = { status: 'suppressed' }
    for (const k of sumsOf[i] ?? []) hiddenIn[k] = (hiddenIn[k] ?? 0) + 1
  }
  // Complements: cells before totals; then one that also completes another sum with a single hidden member (so
  // complements close up into cycles rather than spreading); then the smallest; then the first (stable results).
  const rank = (i: number, within: number) => [
    isTotal.has(i) ? 1 : 0,
    (sumsOf[i] ?? []).some((k) => k !== within && hiddenIn[k] === 1) ? 0 : 1,
    values[i] ?? 0,
    i,
  ]
  const better = (a: number, b: number, within: number) => {
    const [x, y] = [rank(a, within), rank(b, within)]
    for (let k = 0; k < x.length; k++) if ((x[k] ?? 0) !== (y[k] ?? 0)) return (x[k] ?? 0) < (y[k] ?? 0)
    return false
  }
  /** The best complement among a sum's members (`within`), or `best` when none beats it. */
  const bestIn = (within: number, best: number) =>
    (members[within] ?? []).reduce(
      (b, i) => (!hidden(i) && (values[i] ?? 0) > 0 && (b < 0 || better(i, b, within)) ? i : b),
      best,
    )
  /** Hides a complement for each exposed value it can in one pass; false when there is nothing left to hide. */
  const protect = (exposed: readonly number[]): boolean => {
    const touched = new Set<number>()
    let added = false
    for (const i of exposed) {
      if ((sumsOf[i] ?? []).some((k) => touched.has(k))) continue
      let complement = -1
      for (const k of sumsOf[i] ?? []) complement = bestIn(k, complement)
      // Every neighbour is hidden or zero: widen the search to any value that shares a sum with a hidden one.
      if (complement < 0) members.forEach((_, k) => (hiddenIn[k] ?? 0) > 0 && (complement = bestIn(k, complement)))
      if (complement < 0) continue
      hide(complement)
      for (const k of sumsOf[complement] ?? []) touched.add(k)
      added = true
    }
    return added
  }
  const audit = linearAudit(table)
  for (;;) {
    const known = result.map((v) => readerKnows(v, method))
    const hiddenValues = result.flatMap((_, i) => (hidden(i) ? [i] : []))
    const ranges = intervalRanges(table, known)
    let exposed = hiddenValues.filter((i) => (ranges[i]?.max ?? 0) - (ranges[i]?.min ?? 0) < 1)
    if (exposed.length === 0) exposed = audit(known, hiddenValues)
    // Nothing exposed, or nothing left to hide: every non-zero value in reach of an exposed one is hidden already.
    if (exposed.length === 0 || !protect(exposed)) return result
  }
}
