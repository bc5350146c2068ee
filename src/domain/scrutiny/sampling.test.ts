import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { below, byKey, candidateFingerprint, drawSample, randomStream, type Candidate } from './sampling.js'
import { strata, stratumOf, type Stratum } from './strata.js'

const stratumArb = fc.constantFrom(...strata.values)
const candidatesArb = fc
  .uniqueArray(fc.tuple(fc.uuid(), stratumArb), { selector: ([key]) => key, maxLength: 120 })
  .map((list) => list.map(([key, stratum]): Candidate => ({ key, stratum })))
const requestsArb = fc
  .uniqueArray(fc.tuple(stratumArb, fc.integer({ min: 1, max: 30 })), { selector: ([s]) => s, minLength: 1 })
  .map((list) => list.map(([stratum, size]) => ({ stratum, size })))

describe('drawing a scrutiny sample', () => {
  it('follows the documented stream: block i of a stratum is SHA-256 of "seed:stratum:i", eight big-endian words', () => {
    const next = randomStream('abc', 'child')
    const block0 = createHash('sha256').update('abc:child:0').digest()
    const block1 = createHash('sha256').update('abc:child:1').digest()
    const words = Array.from({ length: 9 }, () => next())
    expect(words.slice(0, 8)).toEqual(Array.from({ length: 8 }, (_, i) => block0.readUInt32BE(i * 4)))
    expect(words[8]).toBe(block1.readUInt32BE(0))
  })

  it('draws below n by rejection, never the biased top of the range', () => {
    const limit = 2 ** 32 - (2 ** 32 % 3)
    const values = [limit, limit + 1, 7]
    expect(below(() => values.shift() ?? 0, 3)).toBe(7 % 3)
    expect(() => below(() => 0, 0)).toThrow(RangeError)
  })

  it('gives the same sample for the same seed and candidates, whatever order the candidates come in', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), requestsArb, candidatesArb, (seed, requests, candidates) => {
        const a = drawSample(seed, requests, candidates)
        const b = drawSample(seed, [...requests].reverse(), [...candidates].reverse())
        expect(b).toEqual(a)
      }),
    )
  })

  it('respects every stratum’s size, draws each report at most once, and only from its own stratum', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), requestsArb, candidatesArb, (seed, requests, candidates) => {
        const result = drawSample(seed, requests, candidates)
        const byKeyStratum = new Map(candidates.map((c) => [c.key, c.stratum]))
        expect(new Set(result.drawn.map((d) => d.key)).size).toBe(result.drawn.length)
        for (const d of result.drawn) expect(byKeyStratum.get(d.key)).toBe(d.stratum)
        for (const r of requests) {
          const available = candidates.filter((c) => c.stratum === r.stratum).length
          const drawn = result.drawn.filter((d) => d.stratum === r.stratum).length
          expect(drawn).toBe(Math.min(r.size, available))
          expect(result.strata.find((s) => s.stratum === r.stratum)).toEqual({
            stratum: r.stratum,
            requested: r.size,
            candidates: available,
            drawn,
          })
        }
        const asked = new Set(requests.map((r) => r.stratum))
        expect(result.drawn.every((d) => asked.has(d.stratum))).toBe(true)
      }),
    )
  })

  it('changes with the seed, and one stratum’s size leaves the others’ draws alone', () => {
    const candidates: Candidate[] = Array.from({ length: 200 }, (_, i) => ({
      key: `r${String(i).padStart(3, '0')}`,
      stratum: (i % 2 ? 'child' : 'ced_discharge') as Stratum,
    }))
    const one = drawSample(
      'seed-1',
      [
        { stratum: 'child', size: 10 },
        { stratum: 'ced_discharge', size: 5 },
      ],
      candidates,
    )
    const two = drawSample(
      'seed-2',
      [
        { stratum: 'child', size: 10 },
        { stratum: 'ced_discharge', size: 5 },
      ],
      candidates,
    )
    expect(one.drawn.map((d) => d.key)).not.toEqual(two.drawn.map((d) => d.key))
    const bigger = drawSample(
      'seed-1',
      [
        { stratum: 'child', size: 10 },
        { stratum: 'ced_discharge', size: 20 },
      ],
      candidates,
    )
    const childOf = (r: typeof one) => r.drawn.filter((d) => d.stratum === 'child').map((d) => d.key)
    expect(childOf(bigger)).toEqual(childOf(one))
  })

  it('is pinned: this seed and these candidates always give this sample (a change of algorithm needs a new name)', () => {
    const candidates: Candidate[] = Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, stratum: 'any' }))
    expect(drawSample('pinned', [{ stratum: 'any', size: 4 }], candidates).drawn.map((d) => d.key))
      .toMatchInlineSnapshot(`
      [
        "k7",
        "k10",
        "k12",
        "k1",
      ]
    `)
  })

  it('refuses a report listed twice or a stratum asked for twice', () => {
    const c: Candidate = { key: 'a', stratum: 'any' }
    expect(() => drawSample('s', [{ stratum: 'any', size: 1 }], [c, c])).toThrow(RangeError)
    expect(() =>
      drawSample(
        's',
        [
          { stratum: 'any', size: 1 },
          { stratum: 'any', size: 2 },
        ],
        [c],
      ),
    ).toThrow(RangeError)
  })

  it('fingerprints the candidate list independently of its order', () => {
    fc.assert(
      fc.property(candidatesArb, (candidates) => {
        expect(candidateFingerprint([...candidates].reverse())).toBe(candidateFingerprint(candidates))
      }),
    )
    expect(byKey('B', 'a')).toBe(-1)
  })
})

describe('strata', () => {
  const base = {
    cedHighestLevel: null,
    ageBand: 'age_18_34',
    healthCondition: 'none',
    perceivedEthnicity: 'white',
    subjectInjured: 'no',
  } as const
  it('puts a report in the first chosen stratum it fits, so strata never overlap', () => {
    const childDischarge = { ...base, cedHighestLevel: 'fired', ageBand: 'age_11_17' } as const
    expect(stratumOf(childDischarge, new Set(['ced_discharge', 'child']))).toBe('ced_discharge')
    expect(stratumOf(childDischarge, new Set(['child', 'any']))).toBe('child')
    expect(stratumOf(base, new Set(['child', 'mental_health']))).toBeNull()
    expect(stratumOf(base, new Set(['child', 'any']))).toBe('any')
    expect(stratumOf({ ...base, cedHighestLevel: 'drawn' }, new Set(['ced_discharge', 'ced_other']))).toBe('ced_other')
    expect(stratumOf({ ...base, healthCondition: 'physical_and_mental' }, new Set(['mental_health']))).toBe(
      'mental_health',
    )
    expect(stratumOf({ ...base, perceivedEthnicity: 'mixed' }, new Set(['black', 'other_minority']))).toBe(
      'other_minority',
    )
  })
})
