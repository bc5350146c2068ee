import { describe, expect, it } from 'vitest'
import { claimAt, claimText, mappedRoles } from './claims.js'
import { parseRoleMap } from './sso.config.js'

const map = (text: string) => {
  const parsed = parseRoleMap(text)
  if (!parsed.ok) throw new Error(parsed.problem)
  return parsed.map
}

describe('reading claims', () => {
  it('reaches into objects by a dotted path, and prefers a claim whose own name has the dot', () => {
    const claims = { realm_access: { roles: ['a'] }, 'x.y': 'flat', x: { y: 'nested' } }
    expect(claimAt(claims, 'realm_access.roles')).toEqual(['a'])
    expect(claimAt(claims, 'x.y')).toBe('flat')
    expect(claimAt(claims, 'realm_access.missing')).toBeUndefined()
    expect(claimAt(claims, 'realm_access.roles.length')).toBeUndefined()
    expect(claimAt(claims, 'toString')).toBeUndefined()
  })

  it('takes text only from a non-empty string', () => {
    expect(claimText({ u: '  officer ' }, 'u')).toBe('officer')
    expect(claimText({ u: ' ' }, 'u')).toBeNull()
    expect(claimText({ u: ['officer'] }, 'u')).toBeNull()
    expect(claimText({ u: 7 }, 'u')).toBeNull()
  })
})

describe('mapping role claims', () => {
  const roles = map('FL-Officers=officer, FL-Sergeants=supervisor,FL-Sergeants=officer,7f3e-guid=psd')

  it('grants the roles the map lists for each value, once each, sorted', () => {
    expect(mappedRoles(['FL-Sergeants', 'FL-Officers'], roles)).toEqual(['officer', 'supervisor'])
    expect(mappedRoles('7f3e-guid', roles)).toEqual(['psd'])
  })

  it('grants nothing for values it does not list, other cases, or values that are not strings', () => {
    expect(mappedRoles(['Domain Users', 'fl-officers', 'FL-OFFICERS'], roles)).toEqual([])
    expect(mappedRoles([{ 'FL-Officers': true }, 1, null], roles)).toEqual([])
    expect(mappedRoles(undefined, roles)).toEqual([])
    // Several values in one string are not split: a provider sends an array.
    expect(mappedRoles('FL-Officers FL-Sergeants', roles)).toEqual([])
  })

  it('refuses a map that names no role, or a role that does not exist', () => {
    expect(parseRoleMap('FL=superuser')).toEqual({
      ok: false,
      problem: expect.stringContaining('"superuser" is not a role'),
    })
    expect(parseRoleMap('FL-Officers')).toMatchObject({ ok: false })
    expect(parseRoleMap('a=officer=admin')).toMatchObject({ ok: false })
    expect(parseRoleMap(' , ')).toMatchObject({ ok: false, problem: 'maps no claim value to a role' })
  })
})
