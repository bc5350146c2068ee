import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalJson } from './canonical-json.js'

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}',
    )
  })

  it('encodes dates as ISO strings', () => {
    expect(canonicalJson({ at: new Date('2026-11-22T10:00:00.123Z') })).toBe('{"at":"2026-11-22T10:00:00.123Z"}')
  })

  it('gives the same text for the same value, whatever the key order, and round-trips through JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value)
        // What jsonb hands back is JSON.parse of some key order: it must encode identically.
        expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(text)
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)))
      }),
    )
  })
})
