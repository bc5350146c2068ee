/**
 * A readable difference between two versions of a report: every answer that changed, by its place in the report,
 * with the old and new values. Works on the stored JSON of each version, so history reads the same forever.
 */
export interface Change {
  path: string
  before: unknown
  after: unknown
}

function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)) {
    out.set(prefix, value.join(', '))
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => flatten(item, `${prefix}.${i + 1}`, out))
    if (value.length === 0) out.set(prefix, '')
  } else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${key}` : key, out)
  } else {
    out.set(prefix, value)
  }
}

export function diffVersions(before: unknown, after: unknown): Change[] {
  const a = new Map<string, unknown>()
  const b = new Map<string, unknown>()
  flatten(before, '', a)
  flatten(after, '', b)
  const paths = [...new Set([...a.keys(), ...b.keys()])]
  return paths
    .filter((path) => a.get(path) !== b.get(path))
    .map((path) => ({ path, before: a.get(path) ?? null, after: b.get(path) ?? null }))
}
