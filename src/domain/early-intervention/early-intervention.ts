import { codeList, type ValueOf } from '../use-of-force/code-list.js'

/**
 * Early intervention: what a threshold counts, what a supervisor or Professional Standards can record about a flag,
 * the force's starting thresholds, and the team comparison shown beside every flag.
 *
 * Each metric counts reports (one officer's force on one person), the Home Office's unit, over the officer's
 * reports whose incident falls in the window. Its SQL is in src/db/report-flags.ts, beside the rule it follows.
 */
export const metrics = codeList([
  {
    value: 'ced_discharge',
    label: 'CED discharges',
    description: 'Reports whose highest level of CED use was a discharge: drive-stun, fired or angled drive-stun.',
    order: 1,
  },
  {
    value: 'drive_stun',
    label: 'Drive-stun uses',
    description: 'Reports in which the CED was used in drive-stun or angled drive-stun.',
    order: 2,
  },
  {
    value: 'child',
    label: 'Uses of force on children',
    description: 'Reports about a person the officer perceived to be under 18.',
    order: 3,
  },
  {
    value: 'prolonged_discharge',
    label: 'Prolonged discharges',
    description: 'Reports with a CED cycle longer than 5 seconds.',
    order: 4,
  },
  {
    value: 'subject_injury',
    label: 'Injuries to the person',
    description: 'Reports in which the person was injured.',
    order: 5,
  },
  {
    value: 'use_of_force',
    label: 'Uses of force',
    description: 'Every report.',
    order: 6,
  },
])

export type Metric = ValueOf<typeof metrics>

/** What was done about a flag. Every outcome but a note closes the flag when the person recording it says so. */
export const flagOutcomes = codeList([
  { value: 'discussed', label: 'Discussed with the officer', order: 1 },
  { value: 'training', label: 'Training arranged', order: 2 },
  { value: 'welfare_support', label: 'Welfare support offered', order: 3 },
  { value: 'referred', label: 'Referred to Professional Standards', order: 4 },
  { value: 'no_action', label: 'No action needed', order: 5 },
  { value: 'note', label: 'Note only', order: 6 },
])

export type FlagOutcome = ValueOf<typeof flagOutcomes>

export interface ThresholdRule {
  metric: Metric
  windowDays: number
  minCount: number
}

/** A new force's thresholds, which Professional Standards then tune. */
export const defaultThresholds: readonly ThresholdRule[] = [
  { metric: 'ced_discharge', windowDays: 90, minCount: 3 },
  { metric: 'drive_stun', windowDays: 180, minCount: 2 },
  { metric: 'child', windowDays: 90, minCount: 3 },
  { metric: 'prolonged_discharge', windowDays: 365, minCount: 2 },
  { metric: 'subject_injury', windowDays: 90, minCount: 4 },
]

export const WINDOW_DAYS = { min: 1, max: 730 } as const
export const MIN_COUNT = { min: 1, max: 1000 } as const

/** How one officer's count compares with their team's, every number shown. */
export interface TeamComparison {
  /** Officers counted, the officer included. */
  size: number
  median: number
  mean: number
}

/**
 * The median and mean count per officer across a team (every serving officer in it, those with no reports
 * counting 0, the officer being compared included), to two decimal places as stored.
 */
export function teamComparison(counts: readonly number[]): TeamComparison {
  if (counts.length === 0) return { size: 0, median: 0, mean: 0 }
  const sorted = [...counts].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  const median = sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
  const mean = sorted.reduce((sum, n) => sum + n, 0) / sorted.length
  return { size: sorted.length, median: round2(median), mean: round2(mean) }
}

const round2 = (n: number) => Math.round(n * 100) / 100
