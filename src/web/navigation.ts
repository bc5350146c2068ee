import { canAccess, type Access, type Principal } from '../features/auth/policy.js'

export interface NavigationGroup {
  /** The group's name in the service navigation, when the reader has more than one of its pages. */
  text: string
  items: NavigationItem[]
}

export interface NavigationItem {
  href: string
  text: string
  /** One line on the home page saying what this part of the service is for. */
  description: string
  access: Access
}

/**
 * The service's pages, grouped as people in each role look for them, in navigation order. Each page appears only to
 * accounts whose roles give its access, so the navigation and each role's home page come from the same policy that
 * guards the routes.
 */
export const navigationGroups: NavigationGroup[] = [
  {
    text: 'Home',
    items: [{ href: '/', text: 'Home', description: 'What you can do in ForceLedger.', access: 'signed-in' }],
  },
  {
    text: 'Reports',
    items: [
      {
        href: '/reports',
        text: 'Your reports',
        description: 'Record a use of force, finish your drafts, and see and amend the reports you have submitted.',
        access: 'reports.create',
      },
      {
        href: '/review',
        text: 'Review',
        description: 'Reports awaiting your review: approve, return to the officer for correction, or refer.',
        access: 'reports.review',
      },
      {
        href: '/referrals',
        text: 'Referrals',
        description: 'Reports referred to Professional Standards, the IOPC criteria they meet, and their outcomes.',
        access: 'referrals.manage',
      },
    ],
  },
  {
    text: 'People',
    items: [
      {
        href: '/people',
        text: 'People',
        description: 'Officers and staff you are responsible for: rank, collar number, status and unit.',
        access: 'people.view',
      },
      {
        href: '/early-intervention',
        text: 'Early intervention',
        description: 'Officers over the force’s thresholds, compared with their team, and what was done.',
        access: 'early-intervention.view',
      },
      {
        href: '/welfare',
        text: 'Officer welfare',
        description: 'Follow-ups after an officer is assaulted or injured, and assaults on officers by month.',
        access: 'welfare.view',
      },
    ],
  },
  {
    text: 'Taser',
    items: [
      {
        href: '/taser/training',
        text: 'Taser training',
        description:
          'Who may carry Taser and why, whose authority lapses soon, courses, prerequisites and suspensions.',
        access: 'training.view',
      },
      {
        href: '/taser/armoury',
        text: 'Armoury',
        description: 'Issue and return Tasers with a spark test; refused issues and unintentional discharges.',
        access: 'armoury.issue',
      },
      {
        href: '/taser/devices',
        text: 'Taser devices',
        description: 'The register of devices and cartridges: status, firmware, defects and every change.',
        access: 'devices.view',
      },
      {
        href: '/device-logs',
        text: 'Device logs',
        description:
          'Import Taser event logs and body-worn camera recordings; every import with its hash and downloader.',
        access: 'device-logs.view',
      },
      {
        href: '/reconciliation',
        text: 'Reconciliation',
        description: 'Device logs checked against reports: unreported discharges, drifted clocks and other exceptions.',
        access: 'reconciliation.view',
      },
      {
        href: '/authorisations',
        text: 'Authorisations',
        description: 'Deployments of Taser officers authorised by accredited senior officers, and what followed.',
        access: 'authorisations.view',
      },
      {
        href: '/deployment-funnel',
        text: 'Deployment funnel',
        description: 'Incidents, authorisations, Taser uses and discharges for any period, with percentages.',
        access: 'funnel.view',
      },
      {
        href: '/threat-assessments',
        text: 'Threat assessment',
        description: 'The Taser strategic threat and risk assessment: evidence, decision on numbers, approval.',
        access: 'threat-assessment.view',
      },
    ],
  },
  {
    text: 'Statistics',
    items: [
      {
        href: '/dashboards',
        text: 'Dashboards',
        description:
          'Use of force and Taser by month, level, ethnicity, age, health and area, with national comparators.',
        access: 'dashboards.view',
      },
      {
        href: '/statistics',
        text: 'Home Office statistics',
        description:
          'The Home Office use-of-force tables for any period and unit, downloads and the annual data return.',
        access: 'statistics.view',
      },
      {
        href: '/comparators',
        text: 'National comparators',
        description: 'Home Office use-of-force tables, officer numbers and census population imported for comparison.',
        access: 'comparators.view',
      },
      {
        href: '/publishing',
        text: 'Publishing',
        description: 'Prepare, preview and publish the quarterly statistics on the public transparency pages.',
        access: 'publications.manage',
      },
      {
        href: '/data-sharing',
        text: 'Data sharing',
        description: 'Pseudonymised extracts for SACMILL, CAST and the College of Policing, each logged.',
        access: 'data-sharing.extract',
      },
    ],
  },
  {
    text: 'Scrutiny',
    items: [
      {
        href: '/scrutiny',
        text: 'Scrutiny panels',
        description: 'External panels, the samples drawn for them, what is released to them and their findings.',
        access: 'scrutiny.manage',
      },
      {
        href: '/panel',
        text: 'Your panel',
        description: 'Anonymised case packs of the sampled reports, and your panel’s findings on each.',
        access: 'scrutiny.review',
      },
      {
        href: '/scrutiny-feedback',
        text: 'Panel feedback',
        description: 'What external scrutiny panels found on your reports, or your team’s.',
        access: 'scrutiny.feedback',
      },
    ],
  },
  {
    text: 'Admin',
    items: [
      {
        href: '/admin/users',
        text: 'Users',
        description: 'Create accounts, give and take away roles, disable accounts.',
        access: 'users.manage',
      },
      {
        href: '/admin/units',
        text: 'Organisation',
        description: 'Basic command units, teams and departments.',
        access: 'units.manage',
      },
      {
        href: '/review/settings',
        text: 'Review setting',
        description: 'Which reports supervisors review besides those they must: every one, or a sample.',
        access: 'review-settings.manage',
      },
      {
        href: '/admin/retention',
        text: 'Retention',
        description: 'How long unsent drafts and API submission keys are kept before ForceLedger removes them.',
        access: 'retention.manage',
      },
      {
        href: '/audit',
        text: 'Audit ledger',
        description: 'Every change and every read of a sensitive record, and a check that none has been altered.',
        access: 'audit.view',
      },
    ],
  },
  {
    text: 'Your account',
    items: [
      {
        href: '/account',
        text: 'Your account',
        description: 'Your roles, unit and sign-in details.',
        access: 'signed-in',
      },
    ],
  },
]

/** Every page in the navigation, in order. */
export const sections: NavigationItem[] = navigationGroups.flatMap((group) => group.items)

export function sectionsFor(principal: Principal | null): NavigationItem[] {
  return principal ? sections.filter((s) => canAccess(principal, s.access)) : []
}

/** The groups a principal sees, each with only the pages they may open; groups with none left out. */
export function groupsFor(principal: Principal | null): NavigationGroup[] {
  if (!principal) return []
  return navigationGroups
    .map((group) => ({ ...group, items: group.items.filter((item) => canAccess(principal, item.access)) }))
    .filter((group) => group.items.length > 0)
}

/** The page a path is on: the one whose address is the longest prefix of it ('/review/settings' is not '/review'). */
function currentHref(items: NavigationItem[], path: string): string | undefined {
  let best: string | undefined
  for (const { href } of items) {
    const matches = href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`)
    if (matches && (best === undefined || href.length > best.length)) best = href
  }
  return best
}

export interface NavigationLink {
  href: string
  text: string
  active: boolean
}

/**
 * The service navigation and, on a page in a group of two or more, the group's sub navigation. A group the reader
 * has one page of is shown as that page, so an officer sees "Your reports" rather than "Reports"; a larger group is
 * shown by its name and opens on its first page.
 */
export function navigationFor(
  principal: Principal | null,
  currentPath: string,
): { navigation: NavigationLink[]; subNavigation: { label: string; items: NavigationLink[] } | null } {
  const groups = groupsFor(principal)
  const current = currentHref(
    groups.flatMap((g) => g.items),
    currentPath,
  )
  const link = (item: NavigationItem): NavigationLink => ({
    href: item.href,
    text: item.text,
    active: item.href === current,
  })
  const navigation = groups.flatMap((group) => {
    const [first, second] = group.items
    if (!first) return []
    if (!second) return [link(first)]
    return [{ href: first.href, text: group.text, active: group.items.some((item) => item.href === current) }]
  })
  const open = groups.find((group) => group.items.length > 1 && group.items.some((item) => item.href === current))
  return { navigation, subNavigation: open ? { label: open.text, items: open.items.map(link) } : null }
}
