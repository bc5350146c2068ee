import { describe, expect, it } from 'vitest'
import { disproportionality, ratePer1000, readingOf, relativeRate, share } from './disproportionality.js'

/**
 * Hand-worked figures. For a = 30 in n1 = 10,000 against b = 100 in n2 = 100,000:
 * rates 3 and 1 per 1,000, RR = 3; variance of ln RR = 1/30 − 1/10,000 + 1/100 − 1/100,000 = 0.0432233,
 * SE = 0.207902; ln 3 = 1.098612; 1.96 × SE = 0.407482; interval e^0.691130 to e^1.506094 = 1.99597 to 4.50908.
 */
describe('relativeRate (log method)', () => {
  it.each([
    // a, n1, b, n2, rate, lower, upper (worked by hand, as above)
    [30, 10_000, 100, 100_000, 3, 1.99597, 4.50908],
    // 0.02 − 0.00001 + 0.001 − 0.000001 = 0.020989, SE 0.144876, ±0.283954: 0.5 × e^∓0.283954
    [50, 100_000, 1000, 1_000_000, 0.5, 0.3764, 0.66418],
    // 1/12 − 0.0001 + 0.01 − 0.00001 = 0.0932233, SE 0.305325, ±0.598431: 1.2 × e^∓0.598431
    [12, 10_000, 100, 100_000, 1.2, 0.65961, 2.1831],
    // Equal rates, small counts: 2 × (1/5 − 1/1000) = 0.398, SE 0.630872, ±1.236490
    [5, 1000, 5, 1000, 1, 0.2904, 3.4435],
  ])('%i in %i against %i in %i: RR %d (%d to %d)', (a, n1, b, n2, rate, lower, upper) => {
    const rr = relativeRate(a, n1, b, n2)
    expect(rr?.rate).toBeCloseTo(rate, 6)
    expect(rr?.lower).toBeCloseTo(lower, 4)
    expect(rr?.upper).toBeCloseTo(upper, 4)
  })

  it.each([
    ['no events in the group', 0, 1000, 10, 1000],
    ['no events in the reference group', 10, 1000, 0, 1000],
    ['no population', 10, 0, 10, 1000],
    ['more events than people', 2000, 1000, 10, 1000],
  ])('has no rate or interval with %s', (_, a, n1, b, n2) => {
    expect(relativeRate(a, n1, b, n2)).toBeNull()
  })

  it('has a zero-width interval when everyone in both groups is counted (binomial variance 0)', () => {
    expect(relativeRate(1000, 1000, 500, 500)).toEqual({ rate: 1, lower: 1, upper: 1 })
  })
})

describe('readingOf', () => {
  it.each([
    [{ rate: 3, lower: 1.996, upper: 4.509 }, 'higher'],
    [{ rate: 0.5, lower: 0.376, upper: 0.664 }, 'lower'],
    [{ rate: 1.2, lower: 0.66, upper: 2.18 }, 'no-clear-difference'],
    // Upper over lower: 3.4435 / 0.2904 = 11.9, more than 10
    [{ rate: 1, lower: 0.2904, upper: 3.4435 }, 'too-uncertain'],
    // Wholly above 1 but 30 times wide: still too uncertain to put a size on it
    [{ rate: 6, lower: 1.1, upper: 33 }, 'too-uncertain'],
    // Exactly 10 times wide is not "more than ten times"
    [{ rate: 3, lower: 1.5, upper: 15 }, 'higher'],
  ] as const)('%o reads %s', (rr, reading) => {
    expect(readingOf(rr)).toBe(reading)
  })
})

describe('ratePer1000 and share', () => {
  it('divides by the population per thousand, and gives nothing without one', () => {
    expect(ratePer1000(30, 10_000)).toBe(3)
    expect(ratePer1000(0, 10_000)).toBe(0)
    expect(ratePer1000(30, 0)).toBeNull()
    expect(ratePer1000(30, null)).toBeNull()
  })

  it('gives a share only of a whole that is not empty', () => {
    expect(share(1, 4)).toBe(0.25)
    expect(share(0, 0)).toBeNull()
  })
})

describe('disproportionality', () => {
  it('rates every group and compares each with the reference group, never the reference with itself', () => {
    const result = disproportionality(
      [
        { group: 'white', count: 100, population: 100_000 },
        { group: 'black', count: 30, population: 10_000 },
        { group: 'mixed', count: 0, population: 5_000 },
        { group: 'not_reported', count: 7, population: null },
      ],
      'white',
    )
    expect(result.map((r) => [r.group, r.ratePer1000, r.relative?.reading ?? null])).toEqual([
      ['white', 1, null],
      ['black', 3, 'higher'],
      ['mixed', 0, null],
      ['not_reported', null, null],
    ])
    expect(result[1]?.relative?.lower).toBeCloseTo(1.99597, 4)
  })

  it('compares nothing when the reference group has no events', () => {
    const result = disproportionality(
      [
        { group: 'white', count: 0, population: 100_000 },
        { group: 'black', count: 3, population: 10_000 },
      ],
      'white',
    )
    expect(result[1]?.relative).toBeNull()
    expect(result[1]?.ratePer1000).toBeCloseTo(0.3, 10)
  })
})
