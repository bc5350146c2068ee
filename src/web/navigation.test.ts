import { describe, expect, it } from 'vitest'
import { roleValues, type Role } from '../domain/roles.js'
import { canAccess, type Principal } from '../features/auth/policy.js'
import { groupsFor, navigationFor, navigationGroups, sections } from './navigation.js'

function principal(roles: Role[]): Principal {
  return { userId: 'u1', forceId: 'f1', roles, personId: 'p1', unitPath: ['f1', 'bcu', 'team'] }
}

describe('navigation', () => {
  it('puts every page in exactly one group', () => {
    const hrefs = sections.map((s) => s.href)
    expect(new Set(hrefs).size).toBe(hrefs.length)
    expect(navigationGroups.flatMap((g) => g.items)).toEqual(sections)
  })

  it.each(roleValues)(
    'lets a %s reach every page they may open, and only those, in at most 9 top-level links',
    (role) => {
      const reader = principal([role])
      const allowed = sections.filter((s) => canAccess(reader, s.access)).map((s) => s.href)
      const { navigation } = navigationFor(reader, '/')
      expect(navigation.length).toBeLessThanOrEqual(9)
      // Each page is reachable: a top-level link, or in the sub navigation of the group its top-level link opens.
      const reached = new Set<string>()
      for (const top of navigation) {
        reached.add(top.href)
        for (const item of navigationFor(reader, top.href).subNavigation?.items ?? []) reached.add(item.href)
      }
      expect([...reached].sort()).toEqual([...allowed].sort())
    },
  )

  it('shows a group the reader has one page of as that page, and a larger one by its name with its pages below', () => {
    const officer = navigationFor(principal(['officer']), '/reports/new')
    expect(officer.navigation.find((l) => l.href === '/reports')).toEqual({
      href: '/reports',
      text: 'Your reports',
      active: true,
    })
    expect(officer.subNavigation).toBeNull()

    const supervisor = navigationFor(principal(['supervisor']), '/review/123')
    expect(supervisor.navigation.find((l) => l.active)).toEqual({ href: '/reports', text: 'Reports', active: true })
    expect(supervisor.subNavigation).toEqual({
      label: 'Reports',
      items: [
        { href: '/reports', text: 'Your reports', active: false },
        { href: '/review', text: 'Review', active: true },
      ],
    })
  })

  it('marks the page whose address is the longest prefix of the path, so /review/settings is not Review', () => {
    const both = principal(['admin', 'psd'])
    const { navigation, subNavigation } = navigationFor(both, '/review/settings')
    expect(navigation.filter((l) => l.active).map((l) => l.text)).toEqual(['Admin'])
    expect(subNavigation?.items.filter((l) => l.active).map((l) => l.text)).toEqual(['Review setting'])
    expect(
      navigationFor(both, '/')
        .navigation.filter((l) => l.active)
        .map((l) => l.text),
    ).toEqual(['Home'])
    expect(navigationFor(both, '/reviewers').navigation.some((l) => l.active)).toBe(false)
  })

  it('shows nothing to a signed-out visitor', () => {
    expect(groupsFor(null)).toEqual([])
    expect(navigationFor(null, '/')).toEqual({ navigation: [], subNavigation: null })
  })
})
