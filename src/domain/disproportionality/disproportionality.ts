/**
 * Disproportionality: how often force is used on people of each ethnic group, per head of that group's population,
 * and how that compares with White people. Pure arithmetic; the figures come from the dashboards' rollup and the
 * imported 2011 Census counts.
 */

/** A rate per 1,000 population, or null when there is no population to divide by. */
export function ratePer1000(count: number, population: number | null): number | null {
  if (population === null || population <= 0) return null
  return (count / population) * 1000
}

export interface RelativeRate {
  /** The group's rate divided by the reference group's rate. */
  rate: number
  /** The 95% confidence interval of `rate`. */
  lower: number
  upper: number
}

/** 1.96: the 97.5th percentile of the standard normal distribution, for a two-sided 95% interval. */
const Z_95 = 1.959963984540054

/**
 * The relative rate of `a` events in a population of `n1` against `b` events in a population of `n2`, with a 95%
 * confidence interval by the log method (Katz et al., 1978):
 *
 *   RR = (a / n1) / (b / n2),   ln RR ± 1.96 · √(1/a − 1/n1 + 1/b − 1/n2)
 *
 * The standard error is that of the log of a ratio of two binomial proportions, a/n1 and b/n2. Use of force is
 * counted in reports, and one person can be in several, so a/n1 is a rate rather than a proportion of people; with
 * counts far below the population (always the case here) the 1/n terms are negligible and the interval is the
 * Poisson one, √(1/a + 1/b). Null (no rate, no interval) when either count is zero — the log of zero has no
 * interval — or a population is missing, or a count exceeds its population (not a proportion at all).
 */
export function relativeRate(a: number, n1: number, b: number, n2: number): RelativeRate | null {
  if (a <= 0 || b <= 0 || n1 <= 0 || n2 <= 0 || a > n1 || b > n2) return null
  const rate = a / n1 / (b / n2)
  const se = Math.sqrt(1 / a - 1 / n1 + 1 / b - 1 / n2)
  const log = Math.log(rate)
  return { rate, lower: Math.exp(log - Z_95 * se), upper: Math.exp(log + Z_95 * se) }
}

/**
 * What an interval lets us say, in plain words on the page: clearly higher or lower than the reference group (the
 * interval excludes 1), no clear difference (it includes 1), or too uncertain to say anything useful — when the
 * upper end is more than ten times the lower (a handful of reports), whatever side of 1 it lies.
 */
export type Reading = 'higher' | 'lower' | 'no-clear-difference' | 'too-uncertain'

export const TOO_WIDE_RATIO = 10

export function readingOf(rr: RelativeRate): Reading {
  if (rr.upper / rr.lower > TOO_WIDE_RATIO) return 'too-uncertain'
  if (rr.lower > 1) return 'higher'
  if (rr.upper < 1) return 'lower'
  return 'no-clear-difference'
}

export interface GroupFigures<G extends string> {
  group: G
  count: number
  population: number | null
}

export interface GroupResult<G extends string> extends GroupFigures<G> {
  ratePer1000: number | null
  /** Against the reference group; null for the reference group itself and when it cannot be worked out. */
  relative: (RelativeRate & { reading: Reading }) | null
}

/** Each group's rate per 1,000 and its relative rate against the reference group (e.g. White). */
export function disproportionality<G extends string>(
  groups: readonly GroupFigures<G>[],
  reference: G,
): GroupResult<G>[] {
  const ref = groups.find((g) => g.group === reference)
  return groups.map((g) => {
    const rr =
      g.group === reference || !ref || g.population === null || ref.population === null
        ? null
        : relativeRate(g.count, g.population, ref.count, ref.population)
    return {
      ...g,
      ratePer1000: ratePer1000(g.count, g.population),
      relative: rr && { ...rr, reading: readingOf(rr) },
    }
  })
}

/** A part of a whole as a fraction, or null when the whole is zero. */
export function share(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null
}
