import type { Role } from '../../domain/roles.js'

/**
 * The access policy: every permission, and for each role the widest scope at which it holds it. Every route
 * declares one of these (or 'public' / 'signed-in'); nothing else in the code grants access.
 *
 * Scopes, narrowest first: own records, own team, own basic command unit, the whole force.
 */
export const scopes = ['own', 'team', 'unit', 'force'] as const
export type Scope = (typeof scopes)[number]

type Grants = Partial<Record<Role, Scope>>

export const permissions = {
  /** The people directory: officers and staff with rank, status and unit. */
  'people.view': {
    supervisor: 'team',
    taser_lead: 'force',
    authorising_officer: 'unit',
    psd: 'force',
    admin: 'force',
  },
  /** Record one's own use-of-force reports (and amend them). */
  'reports.create': { officer: 'own', supervisor: 'own' },
  'reports.view': { officer: 'own', supervisor: 'team', taser_lead: 'force', psd: 'force', analyst: 'force' },
  /** Review submitted reports: approve, return for correction, refer to Professional Standards (never one's own). */
  'reports.review': { supervisor: 'team', psd: 'force' },
  /** Referrals to Professional Standards: the IOPC criteria, the facts and the outcome. */
  'referrals.manage': { psd: 'force' },
  /** Which reports are reviewed besides the mandatory ones (force setting). */
  'review-settings.manage': { admin: 'force' },
  'users.manage': { admin: 'force' },
  'units.manage': { admin: 'force' },
  /** How long working records (unsent drafts, API submission keys) are kept before they are removed. */
  'retention.manage': { admin: 'force' },
  'audit.view': { psd: 'force', admin: 'force' },
  /** Record a deployment authorisation: the signed-in accredited officer is the authoriser, so the scope is own. */
  'authorisations.record': { authorising_officer: 'own' },
  'authorisations.view': { authorising_officer: 'own', taser_lead: 'force', psd: 'force', analyst: 'force' },
  /** Accredit senior officers to authorise deployments. */
  'accreditations.manage': { taser_lead: 'force' },
  /** The funnel incidents → authorisations → uses → discharges, force-wide. */
  'funnel.view': { taser_lead: 'force', psd: 'force', analyst: 'force' },
  /** Import the control room's monthly counts of immediate and prompt incidents (the funnel's first stage). */
  'incident-counts.import': { taser_lead: 'force', analyst: 'force' },
  /** The CED strategic threat and risk assessment: drafted by the Taser lead, approved for the chief officer. */
  'threat-assessment.view': { taser_lead: 'force', psd: 'force', analyst: 'force', admin: 'force' },
  'threat-assessment.manage': { taser_lead: 'force' },
  'threat-assessment.approve': { admin: 'force' },
  /** Taser authority (derived) and the training, prerequisites and suspensions it comes from. */
  'training.view': {
    officer: 'own',
    supervisor: 'team',
    taser_lead: 'force',
    authorising_officer: 'force',
    psd: 'force',
  },
  /** Record courses, prerequisites and suspensions; import training records. */
  'training.manage': { taser_lead: 'force' },
  /** The force's policy on which officers may carry (student officers, special constables). */
  'taser-policy.manage': { admin: 'force' },
  /** The device and cartridge register, issue history and unintentional discharges. */
  'devices.view': { taser_lead: 'force', psd: 'force' },
  'devices.manage': { taser_lead: 'force' },
  /** Issue and return at the armoury: sergeants at their own BCU's armoury, the Taser lead anywhere. */
  'armoury.issue': { supervisor: 'unit', taser_lead: 'force' },
  /** Upload Taser device logs and body-worn camera recordings; see every import with its hash and downloader. */
  'device-logs.import': { taser_lead: 'force' },
  'device-logs.view': { taser_lead: 'force', psd: 'force' },
  /** The reconciliation exceptions queue: PSD reads it, the Taser lead works it (runs, assigns, resolves, settings). */
  'reconciliation.view': { taser_lead: 'force', psd: 'force' },
  'reconciliation.manage': { taser_lead: 'force' },
  /** External scrutiny, force side: panels and members, drawing samples, findings and the publishable summary. */
  'scrutiny.manage': { taser_lead: 'force', psd: 'force', analyst: 'force' },
  /** Mark a sampled case's free text releasable to its panel (optionally redacted): a disclosure decision. */
  'scrutiny.release': { taser_lead: 'force', psd: 'force' },
  /** A panel member: their own panels' anonymised case packs and findings, never another panel's. */
  'scrutiny.review': { scrutiny_panel: 'own' },
  /** Panel findings and feedback on one's own reports (officer) or the team's (supervisor). */
  'scrutiny.feedback': { officer: 'own', supervisor: 'team' },
  /** Early-intervention flags: the officer's supervisor (team) and Professional Standards (force) see and act on them. */
  'early-intervention.view': { supervisor: 'team', psd: 'force' },
  'early-intervention.manage': { supervisor: 'team', psd: 'force' },
  /** The force's early-intervention thresholds: a professional-standards judgement, so PSD sets them. */
  'early-intervention.configure': { psd: 'force' },
  /** Welfare follow-ups after an officer is assaulted or injured: the officer sees their own. */
  'welfare.view': { officer: 'own', supervisor: 'team', psd: 'force' },
  'welfare.manage': { supervisor: 'team', psd: 'force' },
  /** National comparators: the imported Home Office, workforce and census figures and the checks on them. */
  'comparators.view': { analyst: 'force' },
  /** The Home Office table set for any period and unit, its downloads, and the annual data return (audited). */
  'statistics.view': { taser_lead: 'force', psd: 'force', analyst: 'force' },
  /** Dashboards (figures by month, Taser level, ethnicity, age, health, area; comparators): supervisors their team. */
  'dashboards.view': { supervisor: 'team', taser_lead: 'force', psd: 'force', analyst: 'force' },
  /** Which police force area's population and officers the dashboards compare with, and the similar forces. */
  'dashboards.configure': { analyst: 'force' },
  /** Download pseudonymised extracts for the force's data-sharing agreements (SACMILL, CAST, College of Policing). */
  'data-sharing.extract': { analyst: 'force' },
  /** Prepare, preview and publish the quarterly transparency statistics (the public pages need no permission). */
  'publications.manage': { analyst: 'force', admin: 'force' },
} as const satisfies Record<string, Grants>

export type Permission = keyof typeof permissions

/**
 * Administrative permissions: a route needing one of these asks a signed-in person to confirm their password
 * when they last gave it more than RECENT_PASSWORD_MINUTES ago, so an unattended session cannot be used to
 * create accounts, change roles or the force's rules.
 */
export const needsRecentPassword: ReadonlySet<Permission> = new Set([
  'users.manage',
  'units.manage',
  'review-settings.manage',
  'taser-policy.manage',
  'threat-assessment.approve',
  'retention.manage',
])
export const RECENT_PASSWORD_MINUTES = 15

/** What a route requires: no sign-in at all, any signed-in account, or a permission. */
export type Access = 'public' | 'signed-in' | Permission

/** The signed-in account as the policy sees it. */
export interface Principal {
  userId: string
  forceId: string
  roles: Role[]
  /** The personnel record this account belongs to, for "own records". */
  personId: string | null
  /** The unit the account works in and its ancestors, the force first, the unit itself last. */
  unitPath: string[]
}

/** Where a record sits, for checking one record against a scope. */
export interface RecordLocation {
  forceId: string
  /** The record's unit and its ancestors (any order). */
  unitPath: string[]
  /** The person the record belongs to, when it has one (e.g. the reporting officer). */
  ownerPersonId?: string | null
}

export function isPermission(access: string): access is Permission {
  return Object.hasOwn(permissions, access)
}

/** The widest scope any of the principal's roles gives for a permission, or null when none does. */
export function scopeOf(principal: Principal, permission: Permission): Scope | null {
  const grants: Grants = permissions[permission]
  let widest: Scope | null = null
  for (const role of principal.roles) {
    const scope = grants[role]
    if (scope && (widest === null || scopes.indexOf(scope) > scopes.indexOf(widest))) widest = scope
  }
  return widest
}

export function hasPermission(principal: Principal, permission: Permission): boolean {
  return scopeOf(principal, permission) !== null
}

export function canAccess(principal: Principal | null, access: Access): boolean {
  if (access === 'public') return true
  if (!principal) return false
  return access === 'signed-in' || hasPermission(principal, access)
}

/** The unit a scope is anchored on: the team is the account's own unit, the unit is its basic command unit. */
function anchorUnit(principal: Principal, scope: 'team' | 'unit'): string | undefined {
  // unitPath is force → BCU → team; an account placed directly on a BCU or department anchors there for both.
  const path = principal.unitPath
  return scope === 'team' ? path[path.length - 1] : (path[1] ?? path[0])
}

/** Whether a principal may act on one particular record under a permission. */
export function canActOn(principal: Principal, permission: Permission, record: RecordLocation): boolean {
  if (record.forceId !== principal.forceId) return false
  const scope = scopeOf(principal, permission)
  switch (scope) {
    case null:
      return false
    case 'force':
      return true
    case 'own':
      return principal.personId !== null && record.ownerPersonId === principal.personId
    case 'team':
    case 'unit': {
      const anchor = anchorUnit(principal, scope)
      return anchor !== undefined && record.unitPath.includes(anchor)
    }
  }
}

/** A scope turned into something a repository can filter a list by, with `scopeCondition` (`src/db/scope.ts`). */
export type ScopeFilter =
  | { kind: 'none' }
  | { kind: 'force'; forceId: string }
  | { kind: 'subtree'; forceId: string; unitId: string }
  | { kind: 'own'; forceId: string; personId: string }

export function scopeFilter(principal: Principal, permission: Permission): ScopeFilter {
  const scope = scopeOf(principal, permission)
  const forceId = principal.forceId
  if (scope === 'force') return { kind: 'force', forceId }
  if (scope === 'own')
    return principal.personId ? { kind: 'own', forceId, personId: principal.personId } : { kind: 'none' }
  if (scope === 'team' || scope === 'unit') {
    const unitId = anchorUnit(principal, scope)
    return unitId ? { kind: 'subtree', forceId, unitId } : { kind: 'none' }
  }
  return { kind: 'none' }
}
