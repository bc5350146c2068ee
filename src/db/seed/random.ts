/**
 * Seeded pseudo-random numbers for demo and test data. The same seed always gives the same sequence, so a seeded
 * demo force (and any test built on it) is reproducible. Not for anything security-related.
 */
export interface Random {
  /** A float in [0, 1). */
  next(): number
  /** An integer in [min, max], both ends included. */
  int(min: number, max: number): number
  /** True with the given probability (0–1). */
  chance(probability: number): boolean
  pick<T>(items: readonly T[]): T
  /** Picks one item, each as likely as its weight. */
  weighted<T>(items: readonly (readonly [item: T, weight: number])[]): T
  /** A shuffled copy; the input is left alone. */
  shuffle<T>(items: readonly T[]): T[]
}

/** mulberry32: tiny, fast and well distributed enough for synthetic data. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function createRandom(seed: number): Random {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`Seed must be an integer, got ${seed}`)
  const next = mulberry32(seed)

  const int = (min: number, max: number): number => {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new RangeError(`Bad integer range [${min}, ${max}]`)
    }
    return min + Math.floor(next() * (max - min + 1))
  }

  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new RangeError('Cannot pick from an empty list')
    return items[int(0, items.length - 1)] as T
  }

  return {
    next,
    int,
    chance: (probability) => next() < probability,
    pick,
    weighted: (items) => {
      const total = items.reduce((sum, [, weight]) => sum + weight, 0)
      if (!(total > 0)) throw new RangeError('Weights must add up to more than zero')
      let target = next() * total
      for (const [item, weight] of items) {
        target -= weight
        if (target < 0) return item
      }
      // Only reachable through floating-point rounding: the last item is the one the target fell short of.
      return (items[items.length - 1] as (typeof items)[number])[0]
    },
    shuffle: <T>(items: readonly T[]): T[] => {
      // Fisher–Yates.
      const copy = [...items]
      for (let i = copy.length - 1; i > 0; i--) {
        const j = int(0, i)
        ;[copy[i], copy[j]] = [copy[j] as T, copy[i] as T]
      }
      return copy
    },
  }
}
