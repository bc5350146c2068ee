import { isDischarge, type CedLevel } from '../use-of-force/ced.js'
import { codeList, type ValueOf } from '../use-of-force/code-list.js'
import { ageBands, hasMentalHealthCondition, type HealthCondition } from '../use-of-force/subject.js'

/**
 * The strata a scrutiny sample can be drawn from, in priority order. Strata must not overlap, or a report could be
 * drawn twice: a report belongs to the FIRST stratum in this order, among those chosen for the sample, that it
 * meets. So a Taser discharge on a child counts as a discharge when both strata are chosen, and as a use on a child
 * when only "child" is. `any` takes every report the chosen strata before it did not.
 */
export const strata = codeList([
  { value: 'ced_discharge', label: 'Taser discharged (fired or drive-stun)', order: 1 },
  { value: 'ced_other', label: 'Taser drawn, aimed, red-dotted or arced, not discharged', order: 2 },
  { value: 'child', label: 'Person perceived to be under 18', order: 3 },
  { value: 'mental_health', label: 'Person with a mental health condition', order: 4 },
  { value: 'black', label: 'Person perceived as Black', order: 5 },
  { value: 'other_minority', label: 'Person perceived as Asian, Mixed or Other ethnicity', order: 6 },
  { value: 'subject_injured', label: 'Person injured', order: 7 },
  { value: 'any', label: 'Any other use of force', order: 8 },
])

export type Stratum = ValueOf<typeof strata>

/** What stratification reads of a report: nothing that identifies anyone. */
export interface StratumFeatures {
  cedHighestLevel: CedLevel | null
  ageBand: string
  healthCondition: HealthCondition
  perceivedEthnicity: string
  subjectInjured: string
}

const meets: Record<Stratum, (f: StratumFeatures) => boolean> = {
  ced_discharge: (f) => f.cedHighestLevel !== null && isDischarge(f.cedHighestLevel),
  ced_other: (f) => f.cedHighestLevel !== null && !isDischarge(f.cedHighestLevel),
  child: (f) => ageBands.byValue(f.ageBand)?.child === true,
  mental_health: (f) => hasMentalHealthCondition(f.healthCondition),
  black: (f) => f.perceivedEthnicity === 'black',
  other_minority: (f) => ['asian', 'mixed', 'other'].includes(f.perceivedEthnicity),
  subject_injured: (f) => f.subjectInjured === 'yes',
  any: () => true,
}

/** The stratum a report falls in among the chosen strata (see `strata`), or null when it is in none of them. */
export function stratumOf(features: StratumFeatures, chosen: ReadonlySet<Stratum>): Stratum | null {
  for (const code of strata.codes) if (chosen.has(code.value) && meets[code.value](features)) return code.value
  return null
}
