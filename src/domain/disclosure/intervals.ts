import type { Range } from './bounds.js'
import type { CountTable } from './table.js'

/**
 * Interval reasoning on a table's sums, the quick half of the disclosure check: from what the reader knows of each
 * value (shown exactly, a rounded range, or hidden: at least 1), each sum narrows its members — a total lies between
 * the least and the greatest its parts can add up to, and a part between the total's bounds less what the other
 * parts can hold — until nothing narrows further. Every step is a deduction any reader can make, so a value these
 * bounds pin is certainly given away; the linear-programming check (`bounds.ts`) then finds the rest, which takes
 * reasoning across several sums at once.
 *
 * A worklist revisits only the sums of a value that narrowed, so a table of hundreds of sums settles in well under
 * a millisecond. The bounds stay whole numbers (they are sums and differences of whole numbers), so a value is pinned
 * exactly when its least and greatest are equal.
 */
export function intervalRanges(table: CountTable, known: readonly Range[]): Range[] {
  const lo = known.map((r) => r.min)
  const hi = known.map((r) => r.max)
  const sumsOf = sumsByValue(table)
  const queued = new Uint8Array(table.sums.length).fill(1)
  const queue = table.sums.map((_, k) => k)
  const narrow = (i: number, min: number, max: number) => {
    if (min <= (lo[i] ?? 0) && max >= (hi[i] ?? 0)) return
    lo[i] = Math.max(lo[i] ?? 0, min)
    hi[i] = Math.min(hi[i] ?? 0, max)
    for (const k of sumsOf[i] ?? [])
      if (!queued[k]) {
        queued[k] = 1
        queue.push(k)
      }
  }
  for (let head = 0; head < queue.length; head++) {
    const k = queue[head] ?? 0
    queued[k] = 0
    const { total, parts } = table.sums[k] ?? { total: 0, parts: [] }
    // Σ of the parts' bounds; an unbounded part is counted apart, so that "all the others but this one" stays exact.
    let partsLo = 0
    let partsHi = 0
    let unbounded = 0
    for (const p of parts) {
      partsLo += lo[p] ?? 0
      if (Number.isFinite(hi[p])) partsHi += hi[p] ?? 0
      else unbounded++
    }
    narrow(total, partsLo, unbounded > 0 ? Infinity : partsHi)
    const totalLo = lo[total] ?? 0
    const totalHi = hi[total] ?? 0
    for (const p of parts) {
      const own = hi[p] ?? 0
      const othersUnbounded = unbounded - (Number.isFinite(own) ? 0 : 1)
      const othersHi = othersUnbounded > 0 ? Infinity : partsHi - (Number.isFinite(own) ? own : 0)
      narrow(p, totalLo - othersHi, totalHi - (partsLo - (lo[p] ?? 0)))
    }
  }
  return lo.map((min, i) => ({ min, max: hi[i] ?? min }))
}

/** For each value of the table, the sums it belongs to (as total or as part). */
export function sumsByValue(table: CountTable): number[][] {
  const sumsOf = table.values.map(() => [] as number[])
  table.sums.forEach((s, k) => {
    for (const i of [s.total, ...s.parts]) sumsOf[i]?.push(k)
  })
  return sumsOf
}
