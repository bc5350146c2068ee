import { cedBodySites, cedDeviceModels, cedLevels } from '../../../domain/use-of-force/ced.js'
import {
  impactFactors,
  intentionalAssault,
  locationTypes,
  mainDuties,
  officerInjured,
  officerInjuryLevels,
  outcomes,
  reasons,
  subjectInjured,
  subjectInjuryLevels,
} from '../../../domain/use-of-force/context.js'
import type { probeMissOptions, probeRemovalOptions } from '../../../domain/use-of-force/report.js'
import {
  ageBands,
  genders,
  healthConditions,
  perceivedEthnicities,
  selfDefinedEthnicities,
  selfDefinedEthnicGroups,
  subjectConduct,
} from '../../../domain/use-of-force/subject.js'
import { tactics } from '../../../domain/use-of-force/tactics.js'

/**
 * The choices each question offers, as GOV.UK radios, checkboxes and selects take them, from the code lists in
 * src/domain (never `importOnly` codes: an officer knows what they did). Where the schema has a list that is not a
 * code list, its wording for people is here.
 */

interface Listed {
  readonly codes: readonly {
    readonly value: string
    readonly label: string
    readonly hint?: string
    importOnly?: true
  }[]
}

interface Item {
  value: string
  text: string
  hint?: { text: string }
}

function itemsOf(list: Listed): Item[] {
  return list.codes
    .filter((c) => !c.importOnly)
    .map((c) => ({ value: c.value, text: c.label, ...(c.hint ? { hint: { text: c.hint } } : {}) }))
}

export const probeMissLabels: Record<(typeof probeMissOptions)[number], string> = {
  none: 'No, both probes hit the person',
  one: 'Yes, one probe missed',
  both: 'Yes, both probes missed',
  not_fired: 'The CED was not fired',
}

export const probeRemovalLabels: Record<(typeof probeRemovalOptions)[number], string> = {
  officer: 'An officer',
  medical_staff: 'Medical staff',
  not_required: 'Removal was not needed',
}

const fromLabels = (labels: Record<string, string>, values: readonly string[]): Item[] =>
  values.map((value) => ({ value, text: labels[value] ?? value }))

/** Everything the section pages offer, for their templates. */
export const options = {
  locationTypes: itemsOf(locationTypes),
  planned: [
    { value: 'planned', text: 'Planned' },
    { value: 'spontaneous', text: 'Spontaneous' },
  ],
  ageBands: itemsOf(ageBands),
  genders: itemsOf(genders),
  perceivedEthnicities: itemsOf(perceivedEthnicities),
  // One select, each background named with its group, as the 18 census categories read best that way on a phone.
  selfDefinedEthnicities: [
    { value: '', text: 'Not given' },
    ...selfDefinedEthnicities.codes.map((c) => ({
      value: c.value,
      text: c.group === 'not_stated' ? c.label : `${selfDefinedEthnicGroups.label(c.group)}: ${c.label}`,
    })),
  ],
  healthConditions: itemsOf(healthConditions),
  tactics: [{ value: '', text: 'Select a tactic' }, ...itemsOf(tactics)],
  deviceModels: [{ value: '', text: 'Not known' }, ...itemsOf(cedDeviceModels)],
  cedLevels: itemsOf(cedLevels),
  probeMiss: fromLabels(probeMissLabels, ['none', 'one', 'both']),
  probesRemovedBy: fromLabels(probeRemovalLabels, ['officer', 'medical_staff', 'not_required']),
  frontSites: itemsOf({ codes: cedBodySites.codes.filter((c) => c.side === 'front') }),
  backSites: itemsOf({ codes: cedBodySites.codes.filter((c) => c.side === 'back') }),
  reasons: itemsOf(reasons),
  impactFactors: itemsOf(impactFactors),
  outcomes: itemsOf(outcomes),
  officerInjured: itemsOf(officerInjured),
  intentionalAssault: itemsOf(intentionalAssault),
  officerInjuryLevels: itemsOf(officerInjuryLevels),
  subjectInjured: itemsOf(subjectInjured),
  subjectInjuryLevels: itemsOf(subjectInjuryLevels),
  mainDuties: itemsOf(mainDuties),
  subjectConduct: itemsOf(subjectConduct),
  yesNo: [
    { value: 'yes', text: 'Yes' },
    { value: 'no', text: 'No' },
  ],
}
