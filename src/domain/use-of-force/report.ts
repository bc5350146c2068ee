import { z } from 'zod'
import { cedBodySites, cedDeviceModels, cedLevels } from './ced.js'
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
} from './context.js'
import {
  ageBands,
  genders,
  healthConditions,
  perceivedEthnicities,
  selfDefinedEthnicities,
  subjectConduct,
} from './subject.js'
import { tactics } from './tactics.js'

/**
 * The national use-of-force record as one schema: the JSON API takes exactly this, the form's sections are parts of
 * it, and the cross-field rules (rules.ts) run on what it produces. Field-level messages are written for people.
 */

const choose = <const T extends readonly [string, ...string[]]>(values: T, message: string) =>
  z.enum(values, { error: message })

/**
 * A multi-select answer: each value once, returned in the code list's order, so the record does not depend on the
 * order boxes were ticked in and reads back exactly as it was stored.
 */
const selection = <const T extends readonly [string, ...string[]]>(
  list: { readonly values: T },
  messages: { invalid: string; empty?: string },
) => {
  const array = z
    .array(choose(list.values, messages.invalid), { error: messages.invalid })
    .refine((items) => new Set(items).size === items.length, { message: 'Select each answer only once' })
  return (messages.empty ? array.min(1, messages.empty) : array).transform((items) =>
    list.values.filter((value): value is T[number] => (items as string[]).includes(value)),
  )
}

const yesNo = (message: string) => z.boolean({ error: message })

/**
 * Text PostgreSQL can store and people can read: no NUL characters (text columns refuse them) and no half of a
 * surrogate pair (it is not valid Unicode). Refused with a message rather than failing in the database.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
export const text = (message: string) =>
  z
    .string({ error: message })
    .refine((v) => !v.includes('\u0000') && !LONE_SURROGATE.test(v), 'Remove the unusual characters from this answer')

const shortText = (max: number, label: string) =>
  text(`Enter ${label}`)
    .trim()
    .max(max, `${label.charAt(0).toUpperCase()}${label.slice(1)} must be ${max} characters or fewer`)

const optionalText = (max: number, label: string) =>
  shortText(max, label)
    .nullish()
    .transform((v) => (v ? v : null))

export const incidentDetails = z.strictObject({
  occurredAt: z.iso
    .datetime({ offset: true, error: 'Enter the date and time of the incident' })
    .transform((v) => new Date(v).toISOString()),
  locationTypes: selection(locationTypes, {
    invalid: 'Select a type of location from the list',
    empty: 'Select at least one type of location',
  }),
  area: shortText(100, 'the area').min(1, 'Enter the area, such as the neighbourhood or beat'),
  planned: yesNo('Select whether the incident was planned or spontaneous'),
})

export const existingIncident = z.strictObject({
  reference: text('Enter the incident reference')
    .trim()
    .min(1, 'Enter the incident reference')
    .max(40, 'The incident reference must be 40 characters or fewer'),
})

export const subjectDetails = z.strictObject({
  ageBand: choose(ageBands.values, 'Select the person’s age, as you perceived it'),
  gender: choose(genders.values, 'Select the person’s gender, as you perceived it'),
  perceivedEthnicity: choose(perceivedEthnicities.values, 'Select the person’s ethnicity, as you perceived it'),
  selfDefinedEthnicity: choose(selfDefinedEthnicities.values, 'Select the ethnicity the person gave')
    .nullish()
    .transform((v) => v ?? null),
  healthCondition: choose(healthConditions.values, 'Select whether the person appeared to have a health condition'),
})

export const existingSubject = z.strictObject({ id: z.uuid('Select the person from the list') })

export const tacticUse = z.strictObject({
  tactic: choose(tactics.values, 'Select a tactic from the list'),
  effective: yesNo('Select whether the tactic was effective'),
})

export const officerContext = z.strictObject({
  mainDuty: choose(mainDuties.values, 'Select your main duty'),
  singleCrewed: yesNo('Select whether you were single crewed'),
  cedTrained: yesNo('Select whether you are trained to carry a CED'),
  cedCarried: yesNo('Select whether you were carrying a CED'),
  assaultedBySubject: yesNo('Select whether the person assaulted you'),
  threatenedWithWeapon: yesNo('Select whether the person threatened you with a weapon'),
  assaultedWithWeapon: yesNo('Select whether the person assaulted you with a weapon'),
})

export const officerInjury = z.strictObject({
  injured: choose(officerInjured.values, 'Select whether you were injured'),
  intentionalAssault: choose(intentionalAssault.values, 'Select whether the injury was from an intentional assault')
    .nullish()
    .transform((v) => v ?? null),
  level: choose(officerInjuryLevels.values, 'Select how serious your injury was')
    .nullish()
    .transform((v) => v ?? null),
  medicalProvided: yesNo('Select whether you received medical assistance'),
})

export const subjectInjury = z.strictObject({
  injured: choose(subjectInjured.values, 'Select whether the person was injured'),
  level: choose(subjectInjuryLevels.values, 'Select how serious the person’s injury was')
    .nullish()
    .transform((v) => v ?? null),
  nature: optionalText(500, 'the nature of the injury'),
  medicalOffered: yesNo('Select whether medical assistance was offered to the person'),
  medicalProvided: yesNo('Select whether medical assistance was provided to the person'),
})

export const bodyWornVideo = z.strictObject({
  activated: yesNo('Select whether your body-worn video was recording'),
  reference: optionalText(100, 'the footage reference'),
})

const seconds = z
  .number({ error: 'Enter the length of the cycle in seconds, like 5 or 2.5' })
  .min(0.1, 'A cycle must be at least 0.1 seconds')
  .max(60, 'A cycle must be 60 seconds or less')
  .multipleOf(0.1, 'Give the cycle length to one decimal place at most')

export const cedCycle = z.strictObject({
  seconds,
  extended: yesNo('Select whether the cycle was extended beyond 5 seconds'),
  interrupted: yesNo('Select whether the cycle was interrupted'),
})

export const cedCartridge = z.strictObject({
  serial: text('Enter the cartridge serial number')
    .trim()
    .min(1, 'Enter the cartridge serial number')
    .max(40, 'The cartridge serial number must be 40 characters or fewer'),
  bay: z
    .number({ error: 'Enter the bay as a number' })
    .int('Enter the bay as a whole number, like 1 or 2')
    .min(1, 'The bay must be from 1 to 10')
    .max(10, 'The bay must be from 1 to 10')
    .nullish()
    .transform((v) => v ?? null),
})

export const probeMissOptions = ['none', 'one', 'both', 'not_fired'] as const
export const probeRemovalOptions = ['officer', 'medical_staff', 'not_required'] as const

export const cedUse = z.strictObject({
  deviceSerial: text('Enter the device serial number')
    .trim()
    .min(1, 'Enter the device serial number')
    .max(40, 'The device serial number must be 40 characters or fewer'),
  deviceModel: choose(cedDeviceModels.values, 'Select the device model')
    .nullish()
    .transform((v) => v ?? null),
  levels: selection(cedLevels, {
    invalid: 'Select a level of use from the list',
    empty: 'Select each level of use you reached',
  }),
  driveStunRepeat: yesNo('Select whether drive-stun was applied more than once'),
  cartridges: z.array(cedCartridge).max(10, 'A device holds 10 cartridges at most'),
  cycles: z.array(cedCycle).max(20, 'Record 20 cycles at most'),
  repeatCycleSameCartridge: yesNo('Select whether a cartridge was cycled more than once'),
  probeMiss: choose(probeMissOptions, 'Select whether either probe missed'),
  probeSites: selection(cedBodySites, { invalid: 'Select a probe strike site from the body map' }),
  warningGiven: yesNo('Select whether you gave a warning'),
  distanceMetres: z
    .number({ error: 'Enter the distance in metres, like 3 or 2.5' })
    .min(0, 'Distance cannot be negative')
    .max(50, 'Distance must be 50 metres or less')
    .multipleOf(0.1, 'Give the distance to one decimal place at most')
    .nullish()
    .transform((v) => v ?? null),
  effective: yesNo('Select whether the CED use was effective'),
  probesRemovedBy: choose(probeRemovalOptions, 'Select who removed the probes')
    .nullish()
    .transform((v) => v ?? null),
  medicalCheck: yesNo('Select whether the person had a medical check after the CED use'),
  footageReference: optionalText(100, 'the footage reference'),
})

export const reportBody = z.strictObject({
  tactics: z
    .array(tacticUse, { error: 'Add the tactics you used' })
    .min(1, 'Add the tactics you used')
    .max(20, 'Record 20 tactics at most'),
  reasons: selection(reasons, {
    invalid: 'Select a reason from the list',
    empty: 'Select at least one reason for using force',
  }),
  impactFactors: selection(impactFactors, { invalid: 'Select an impact factor from the list' }),
  outcomes: selection(outcomes, {
    invalid: 'Select an outcome from the list',
    empty: 'Select at least one outcome',
  }),
  officer: officerContext,
  subjectConduct: choose(subjectConduct.values, 'Select how the person behaved'),
  officerInjury,
  subjectInjury,
  bodyWornVideo,
  justification: shortText(10_000, 'your justification').min(
    1,
    'Explain why the force you used was necessary and proportionate',
  ),
  deEscalation: shortText(10_000, 'what you did to de-escalate').min(
    1,
    'Describe what you did to de-escalate, or why you could not',
  ),
  cedUses: z.array(cedUse).max(4, 'Record 4 CED uses at most'),
})

/** A whole report as submitted: a new or existing incident, a new or existing person, and the officer's account. */
export const reportSubmission = reportBody.extend({
  incident: z.union([incidentDetails, existingIncident], { error: 'Give the incident’s details or its reference' }),
  subject: z.union([subjectDetails, existingSubject], {
    error: 'Give the person’s details or choose them from the incident',
  }),
})

export type IncidentDetails = z.output<typeof incidentDetails>
export type SubjectDetails = z.output<typeof subjectDetails>
export type TacticUse = z.output<typeof tacticUse>
export type CedUse = z.output<typeof cedUse>
export type ReportBody = z.output<typeof reportBody>
export type ReportSubmission = z.output<typeof reportSubmission>
