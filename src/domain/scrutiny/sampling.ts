import { createHash } from 'node:crypto'
import { strata, type Stratum } from './strata.js'

/**
 * Drawing a scrutiny sample so that anyone can draw it again and see it was not cherry-picked.
 *
 * The algorithm (version `sha256-ctr-fisher-yates-1`), written so it can be redone in any language:
 *
 * 1. Each candidate report has a stable key (its id) and one stratum (see `stratumOf`). Within each stratum the
 *    candidates are sorted by key, comparing the keys' characters by code point — never by the database's order.
 * 2. Each stratum has its own stream of random numbers. Block i of stratum s is SHA-256 of the UTF-8 text
 *    `<seed>:<s>:<i>` (i = 0, 1, 2, …); each 32-byte block gives eight unsigned 32-bit big-endian numbers, used in
 *    order. A number below n is drawn by rejection: take numbers until one, u, is below 2^32 − (2^32 mod n), and
 *    return u mod n (so every value is equally likely).
 * 3. The first k of the stratum's m sorted candidates are chosen by a partial Fisher–Yates shuffle: for i = 0 … k−1,
 *    j = i + (a number below m − i), swap positions i and j. The sample is positions 0 … k−1, in that order. When a
 *    stratum has k or fewer candidates, all are taken and the shortfall is recorded.
 *
 * Why SHA-256 as the generator rather than a fast PRNG such as Mulberry32 or xoshiro: it is available everywhere
 * (a spreadsheet user can check a step with `sha256sum`), has no state to carry or integer-overflow subtleties to
 * reproduce, and nobody can steer its output towards chosen reports. Speed does not matter for a few hundred draws.
 * Why a stream per stratum: changing one stratum's size leaves every other stratum's draw as it was.
 *
 * The seed is random (128 bits from the operating system) unless the force supplies one, e.g. announced before the
 * period closed; every draw is kept and audited, so drawing again and again to fish for a sample shows.
 */
export const SAMPLING_ALGORITHM = 'sha256-ctr-fisher-yates-1'

export interface Candidate {
  key: string
  stratum: Stratum
}

export interface StratumRequest {
  stratum: Stratum
  size: number
}

export interface Drawn {
  key: string
  stratum: Stratum
  /** 1-based position of the draw within its stratum. */
  position: number
}

export interface StratumResult {
  stratum: Stratum
  requested: number
  candidates: number
  drawn: number
}

export interface SampleResult {
  drawn: Drawn[]
  strata: StratumResult[]
  /** SHA-256 over the sorted candidates and their strata: the same list gives the same fingerprint. */
  fingerprint: string
}

/** A stream of uniform 32-bit numbers from SHA-256 in counter mode (step 2 above). */
export function randomStream(seed: string, stratum: string): () => number {
  let block = 0
  let buffer = Buffer.alloc(0)
  let offset = 0
  return () => {
    if (offset >= buffer.length) {
      buffer = createHash('sha256').update(`${seed}:${stratum}:${block}`, 'utf8').digest()
      block += 1
      offset = 0
    }
    const value = buffer.readUInt32BE(offset)
    offset += 4
    return value
  }
}

const TWO_32 = 2 ** 32

/** A number from 0 to n − 1, every one equally likely (rejection sampling; step 2 above). */
export function below(next: () => number, n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > TWO_32) throw new RangeError(`below: n must be 1 to 2^32, not ${n}`)
  const limit = TWO_32 - (TWO_32 % n)
  for (;;) {
    const u = next()
    if (u < limit) return u % n
  }
}

/** Code-point order, the same in every language and locale (unlike localeCompare). */
export function byKey(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

export function candidateFingerprint(candidates: readonly Candidate[]): string {
  const lines = [...candidates].sort((a, b) => byKey(a.key, b.key)).map((c) => `${c.key} ${c.stratum}\n`)
  return createHash('sha256').update(lines.join(''), 'utf8').digest('hex')
}

/** Draws the sample (steps 1 and 3 above). Deterministic: the same seed, requests and candidates, the same sample. */
export function drawSample(
  seed: string,
  requests: readonly StratumRequest[],
  candidates: readonly Candidate[],
): SampleResult {
  const sizes = new Map<Stratum, number>()
  for (const r of requests) {
    if (sizes.has(r.stratum)) throw new RangeError(`Stratum ${r.stratum} requested twice`)
    if (!Number.isInteger(r.size) || r.size < 1) throw new RangeError(`Stratum ${r.stratum}: size must be at least 1`)
    sizes.set(r.stratum, r.size)
  }
  const keys = new Set<string>()
  for (const c of candidates) {
    if (keys.has(c.key)) throw new RangeError(`Candidate ${c.key} appears twice`)
    keys.add(c.key)
  }
  const drawn: Drawn[] = []
  const results: StratumResult[] = []
  // Strata in code-list order, so the order the form listed them in changes nothing.
  for (const { value: stratum } of strata.codes) {
    const size = sizes.get(stratum)
    if (size === undefined) continue
    const pool = candidates
      .filter((c) => c.stratum === stratum)
      .map((c) => c.key)
      .sort(byKey)
    const k = Math.min(size, pool.length)
    const next = randomStream(seed, stratum)
    for (let i = 0; i < k; i++) {
      const j = i + below(next, pool.length - i)
      const chosen = pool[j] as string
      pool[j] = pool[i] as string
      pool[i] = chosen
      drawn.push({ key: chosen, stratum, position: i + 1 })
    }
    results.push({ stratum, requested: size, candidates: pool.length, drawn: k })
  }
  return { drawn, strata: results, fingerprint: candidateFingerprint(candidates) }
}

/** How a re-draw compares with the sample recorded: the keys only in one or the other. */
export function compareDraws(recorded: readonly { key: string; stratum: string }[], redrawn: readonly Drawn[]) {
  const label = (d: { key: string; stratum: string }) => `${d.stratum} ${d.key}`
  const a = new Set(recorded.map(label))
  const b = new Set(redrawn.map(label))
  return {
    same: a.size === b.size && [...a].every((x) => b.has(x)),
    onlyRecorded: [...a].filter((x) => !b.has(x)).length,
    onlyRedrawn: [...b].filter((x) => !a.has(x)).length,
  }
}
