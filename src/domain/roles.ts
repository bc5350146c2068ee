/** The roles a ForceLedger account can hold (product.md, "Who uses it"). An account may hold several. */
export const roles = [
  { value: 'officer', label: 'Officer', description: 'Records their own use-of-force reports.' },
  { value: 'supervisor', label: 'Supervisor', description: 'Reviews the reports of their team.' },
  {
    value: 'taser_lead',
    label: 'Taser lead',
    description: 'Manages Taser training and authority, devices, device logs and reconciliation.',
  },
  {
    value: 'authorising_officer',
    label: 'Authorising officer',
    description: 'Authorises the deployment of Taser officers to incidents.',
  },
  { value: 'psd', label: 'Professional Standards', description: 'Sees everything; handles referrals.' },
  { value: 'analyst', label: 'Analyst', description: 'Statistics, returns, publications and data sharing.' },
  {
    value: 'scrutiny_panel',
    label: 'Scrutiny panel member',
    description: 'Sees anonymised case packs of sampled reports and records findings.',
  },
  { value: 'admin', label: 'Administrator', description: 'Users, roles, organisation units and force settings.' },
] as const

export type Role = (typeof roles)[number]['value']

export const roleValues = roles.map((role) => role.value) as [Role, ...Role[]]

export function roleLabel(role: Role): string {
  return roles.find((r) => r.value === role)?.label ?? role
}

export function isRole(value: string): value is Role {
  return (roleValues as string[]).includes(value)
}
