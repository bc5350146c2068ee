/**
 * A canonical JSON encoding for hashing: object keys sorted, no whitespace, dates as ISO strings. The same value
 * always encodes to the same text, whatever order its keys were written or read back from jsonb in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (value instanceof Date) return JSON.stringify(value.toISOString())
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('cannot encode a non-finite number')
  if (typeof value === 'bigint') throw new TypeError('cannot encode a bigint')
  return JSON.stringify(value)
}
