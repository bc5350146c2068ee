import { describe, expect, it } from 'vitest'
import { roleValues, type Role } from '../../domain/roles.js'
import { canAccess, canActOn, permissions, scopeFilter, scopeOf, type Principal } from './policy.js'

const FORCE = 'force-1'
const unitPath = [FORCE + '-unit', 'bcu-north', 'team-a']

function principal(roles: Role[], overrides: Partial<Principal> = {}): Principal {
  return { userId: 'u1', forceId: FORCE, roles, personId: 'p1', unitPath, ...overrides }
}

describe('access policy', () => {
  it('gives a signed-out visitor public pages only', () => {
    expect(canAccess(null, 'public')).toBe(true)
    expect(canAccess(null, 'signed-in')).toBe(false)
    expect(canAccess(null, 'people.view')).toBe(false)
  })

  it('takes the widest scope across all of an account’s roles', () => {
    expect(scopeOf(principal(['supervisor']), 'people.view')).toBe('team')
    expect(scopeOf(principal(['supervisor', 'psd']), 'people.view')).toBe('force')
    expect(scopeOf(principal(['officer']), 'people.view')).toBeNull()
  })

  it('grants only the roles each permission names', () => {
    for (const role of roleValues) {
      expect(canAccess(principal([role]), 'users.manage')).toBe(role === 'admin')
      expect(canAccess(principal([role]), 'audit.view')).toBe(role === 'admin' || role === 'psd')
    }
    // Every grant names a real role and scope.
    for (const grants of Object.values(permissions)) {
      for (const [role, scope] of Object.entries(grants)) {
        expect(roleValues).toContain(role)
        expect(['own', 'team', 'unit', 'force']).toContain(scope)
      }
    }
  })

  it('checks one record against team, unit and force scope, never across forces', () => {
    const inTeam = { forceId: FORCE, unitPath: [FORCE + '-unit', 'bcu-north', 'team-a'] }
    const otherTeamSameBcu = { forceId: FORCE, unitPath: [FORCE + '-unit', 'bcu-north', 'team-b'] }
    const otherBcu = { forceId: FORCE, unitPath: [FORCE + '-unit', 'bcu-east', 'team-c'] }
    const otherForce = { forceId: 'force-2', unitPath: ['x', 'y'] }

    const supervisor = principal(['supervisor'])
    expect(canActOn(supervisor, 'people.view', inTeam)).toBe(true)
    expect(canActOn(supervisor, 'people.view', otherTeamSameBcu)).toBe(false)

    const authorising = principal(['authorising_officer'])
    expect(canActOn(authorising, 'people.view', otherTeamSameBcu)).toBe(true)
    expect(canActOn(authorising, 'people.view', otherBcu)).toBe(false)

    const psd = principal(['psd'])
    expect(canActOn(psd, 'people.view', otherBcu)).toBe(true)
    expect(canActOn(psd, 'people.view', otherForce)).toBe(false)

    expect(canActOn(principal(['officer']), 'people.view', inTeam)).toBe(false)
  })

  it('turns scopes into list filters', () => {
    expect(scopeFilter(principal(['supervisor']), 'people.view')).toEqual({
      kind: 'subtree',
      forceId: FORCE,
      unitId: 'team-a',
    })
    expect(scopeFilter(principal(['authorising_officer']), 'people.view')).toEqual({
      kind: 'subtree',
      forceId: FORCE,
      unitId: 'bcu-north',
    })
    expect(scopeFilter(principal(['psd']), 'people.view')).toEqual({ kind: 'force', forceId: FORCE })
    expect(scopeFilter(principal(['officer']), 'people.view')).toEqual({ kind: 'none' })
    // A supervisor with no unit sees nobody rather than everybody.
    expect(scopeFilter(principal(['supervisor'], { unitPath: [] }), 'people.view')).toEqual({ kind: 'none' })
  })
})
