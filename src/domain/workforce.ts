/**
 * The workforce vocabulary: police ranks, employment statuses and kinds of organisation unit, as data so that forms,
 * validation and exports read the same lists. Police staff (including PCSOs) hold no rank: their rank is null.
 */

export const ranks = [
  { value: 'constable', label: 'Police constable', abbreviation: 'PC', order: 1 },
  { value: 'sergeant', label: 'Police sergeant', abbreviation: 'PS', order: 2 },
  { value: 'inspector', label: 'Inspector', abbreviation: 'Insp', order: 3 },
  { value: 'chief_inspector', label: 'Chief inspector', abbreviation: 'Ch Insp', order: 4 },
  { value: 'superintendent', label: 'Superintendent', abbreviation: 'Supt', order: 5 },
  { value: 'chief_superintendent', label: 'Chief superintendent', abbreviation: 'Ch Supt', order: 6 },
  { value: 'assistant_chief_constable', label: 'Assistant chief constable', abbreviation: 'ACC', order: 7 },
  { value: 'deputy_chief_constable', label: 'Deputy chief constable', abbreviation: 'DCC', order: 8 },
  { value: 'chief_constable', label: 'Chief constable', abbreviation: 'CC', order: 9 },
] as const

export type Rank = (typeof ranks)[number]['value']

export const employmentStatuses = [
  { value: 'regular', label: 'Regular officer', order: 1 },
  { value: 'probationer', label: 'Student officer (probationer)', order: 2 },
  { value: 'special_constable', label: 'Special constable', order: 3 },
  { value: 'police_staff', label: 'Police staff', order: 4 },
] as const

export type EmploymentStatus = (typeof employmentStatuses)[number]['value']

export const unitKinds = [
  { value: 'force', label: 'Force', order: 1 },
  { value: 'bcu', label: 'Basic command unit', order: 2 },
  { value: 'team', label: 'Team', order: 3 },
  { value: 'department', label: 'Department', order: 4 },
] as const

export type UnitKind = (typeof unitKinds)[number]['value']

/** Short form used before a name ("PS Jones"); officers are addressed by rank, staff by name alone. */
export function rankAbbreviation(rank: Rank): string {
  return ranks.find((r) => r.value === rank)?.abbreviation ?? rank
}

/** Seniority, for rules such as "inspector or above". Higher is more senior. */
export function rankOrder(rank: Rank): number {
  return ranks.find((r) => r.value === rank)?.order ?? 0
}
