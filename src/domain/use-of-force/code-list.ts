/**
 * Code lists as data. Each list of the national record is declared once and forms, validation, statistics and exports
 * all read it. A code's `value` is stored and exported, and a multi-valued list's `bit` is stored in masks, so once
 * shipped neither ever changes: retire a code by keeping it and hiding it, never by deleting or renumbering it. Labels
 * and display order are free to change because nothing stores them.
 */

export interface Code {
  /** Stored and exported: never changes once shipped. */
  readonly value: string
  readonly label: string
  /** Display order in forms and tables. Unique within a list. */
  readonly order: number
}

/** A code of a multi-valued list (reasons, locations…), whose selections can be stored as one integer mask. */
export interface MultiCode extends Code {
  /**
   * 0 to 30: JavaScript's bitwise operators work on signed 32-bit integers, so bit 31 would make masks negative;
   * up to 30 every mask is a non-negative PostgreSQL `integer`. Never changes once shipped.
   */
  readonly bit: number
}

export interface CodeList<C extends Code> {
  /** Every code, in display order. */
  readonly codes: readonly C[]
  /** Every value, in display order; a non-empty tuple, so `z.enum(list.values)` works. */
  readonly values: readonly [C['value'], ...C['value'][]]
  label(value: C['value']): string
  has(value: unknown): value is C['value']
  /** The code for a value: exactly typed for a known value, possibly undefined for an arbitrary string. */
  byValue<V extends C['value']>(value: V): CodeOf<C, V>
  byValue(value: string): C | undefined
}

export interface MultiCodeList<C extends MultiCode> extends CodeList<C> {
  /** The mask of a selection; repeats are harmless. */
  toMask(values: Iterable<C['value']>): number
  /** The values in a mask, in display order. Throws on a bit no code owns: the mask is corrupt. */
  fromMask(mask: number): C['value'][]
  /** Whether a mask includes a value, for counting without decoding. */
  inMask(mask: number, value: C['value']): boolean
}

/** The union of a list's values: `type Tactic = ValueOf<typeof tactics>`. */
export type ValueOf<L extends { readonly values: readonly string[] }> = L['values'][number]

/** The code with value V; the whole code type when codes were generated (one shape whose value is a union). */
type CodeOf<C extends Code, V> = [Extract<C, { readonly value: V }>] extends [never]
  ? C
  : Extract<C, { readonly value: V }>

type KeysOfUnion<T> = T extends unknown ? keyof T : never
type Simplify<T> = { [K in keyof T]: T[K] } & {}
/**
 * Codes in a list need not all carry the same optional fields (only some tactics have a Met value). Giving each code
 * the others' keys as optional `undefined` lets `code.metValue` type-check on any code of the list.
 */
type Normalised<T, All = T> = T extends unknown
  ? Simplify<T & { readonly [K in Exclude<KeysOfUnion<All>, keyof T>]?: undefined }>
  : never

const MAX_BIT = 30

/** A single- or multi-valued list. Declare the codes inline (or `as const`) so values stay literal types. */
export function codeList<const T extends readonly Code[]>(codes: T): CodeList<Normalised<T[number]>> {
  return build(codes) as unknown as CodeList<Normalised<T[number]>>
}

/** A multi-valued list: as `codeList`, plus masks. Every code needs a unique `bit` from 0 to 30. */
export function multiCodeList<const T extends readonly MultiCode[]>(codes: T): MultiCodeList<Normalised<T[number]>> {
  const list = build(codes)
  const byBit = new Map<number, MultiCode>()
  for (const code of list.codes) {
    if (!Number.isInteger(code.bit) || code.bit < 0 || code.bit > MAX_BIT) {
      throw new Error(`Code '${code.value}' has bit ${code.bit}: bits run from 0 to ${MAX_BIT}`)
    }
    const clash = byBit.get(code.bit)
    if (clash) throw new Error(`Codes '${clash.value}' and '${code.value}' share bit ${code.bit}`)
    byBit.set(code.bit, code)
  }
  const known = list.codes.reduce((mask, code) => mask | (1 << code.bit), 0)
  const bitOf = (value: string): number => {
    const code = list.byValue(value)
    if (!code) throw new Error(`Unknown code '${value}'`)
    return 1 << code.bit
  }
  const multi = {
    ...list,
    toMask(values: Iterable<string>): number {
      let mask = 0
      for (const value of values) mask |= bitOf(value)
      return mask
    },
    fromMask(mask: number): string[] {
      if (!Number.isInteger(mask) || mask < 0 || (mask & ~known) !== 0) {
        throw new Error(`Mask ${mask} has bits that no code owns`)
      }
      return list.codes.filter((code) => (mask & (1 << code.bit)) !== 0).map((code) => code.value)
    },
    inMask(mask: number, value: string): boolean {
      return (mask & bitOf(value)) !== 0
    },
  }
  return Object.freeze(multi) as unknown as MultiCodeList<Normalised<T[number]>>
}

function build<C extends Code>(input: readonly C[]) {
  if (input.length === 0) throw new Error('A code list needs at least one code')
  const codes = Object.freeze([...input].sort((a, b) => a.order - b.order))
  const index = new Map<string, C>()
  const orders = new Set<number>()
  for (const code of codes) {
    if (index.has(code.value)) throw new Error(`Code value '${code.value}' appears twice`)
    if (orders.has(code.order)) throw new Error(`Code '${code.value}' repeats order ${code.order}`)
    index.set(code.value, Object.freeze(code))
    orders.add(code.order)
  }
  return Object.freeze({
    codes,
    values: Object.freeze(codes.map((code) => code.value)),
    // A stored value the list no longer knows is shown as itself rather than breaking a page.
    label: (value: string): string => index.get(value)?.label ?? value,
    has: (value: unknown): boolean => typeof value === 'string' && index.has(value),
    byValue: (value: string): C | undefined => index.get(value),
  })
}
