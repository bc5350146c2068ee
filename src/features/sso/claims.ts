import type { Role } from '../../domain/roles.js'

/**
 * Reading the provider's claims: pure functions, so the rules "unknown values grant nothing" and "a claim path
 * reaches into objects" are tested on their own (claims.test.ts).
 */

/** The value at a dotted path (`realm_access.roles`); a claim whose own name has a dot is found first. */
export function claimAt(claims: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(claims, path)) return claims[path]
  let value: unknown = claims
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, part))
      return undefined
    value = (value as Record<string, unknown>)[part]
  }
  return value
}

/** A claim that must be one non-empty string (a username, email or unit code). */
export function claimText(claims: Record<string, unknown>, path: string): string | null {
  const value = claimAt(claims, path)
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null
}

/**
 * The ForceLedger roles a role or group claim grants: each string value the map lists, compared exactly (group ids
 * and role names are case-sensitive at the providers). Values the map does not list, and values that are not
 * strings, grant nothing. A space-separated string is not split: providers send several values as an array.
 */
export function mappedRoles(value: unknown, roleMap: ReadonlyMap<string, readonly Role[]>): Role[] {
  const values = Array.isArray(value) ? value : [value]
  const roles = new Set<Role>()
  for (const v of values) if (typeof v === 'string') for (const role of roleMap.get(v) ?? []) roles.add(role)
  return [...roles].sort()
}
