import { codeList, multiCodeList, type MultiCode, type ValueOf } from './code-list.js'

/**
 * Why, where and with what result force was used, the officer's context, and injuries (domain reference 1.5 and the
 * Met columns of 2.2). Labels are the Home Office wording; `metColumn` is the Met's Yes/No column for the code,
 * spelt exactly as in the Met file, typos included, so that our export lines up with theirs.
 *
 * Medical assistance is deliberately not a code list: it is two yes/no answers for the person (offered, provided) and
 * one for the officer (provided), because the Met publishes `SubjectMedOffered` and `SubjectMedProvided` as separate
 * columns and `StaffMedProvided` alone. Assistance offered but refused and assistance given without asking (to someone
 * unconscious, say) both need recording; "provided, so offered" is a validation rule, not a list.
 */

/** Reasons for using force (HO Table 6), several per report. */
export const reasons = multiCodeList([
  { value: 'protect_self', label: 'Protect self', metColumn: 'Reason for Force: Protect self', bit: 0, order: 1 },
  { value: 'protect_public', label: 'Protect public', metColumn: 'Reason for Force: Protect Public', bit: 1, order: 2 },
  {
    value: 'protect_subject',
    label: 'Protect subject',
    metColumn: 'Reason for Force: Protect Subject',
    bit: 2,
    order: 3,
  },
  {
    value: 'protect_other_officers',
    label: 'Protect other officers',
    metColumn: 'Reason for Force: Protect Other Officers',
    bit: 3,
    order: 4,
  },
  {
    value: 'prevent_offence',
    label: 'Prevent offence',
    metColumn: 'Reason for Force: Prevent Offence',
    bit: 4,
    order: 5,
  },
  {
    value: 'secure_evidence',
    label: 'Secure evidence',
    metColumn: 'Reason for Force: Secure Evidence',
    bit: 5,
    order: 6,
  },
  { value: 'effect_search', label: 'Effect search', metColumn: 'Reason for Force: Effect Search', bit: 6, order: 7 },
  { value: 'effect_arrest', label: 'Effect arrest', metColumn: 'Reason for Force: Effect Arrest', bit: 7, order: 8 },
  {
    value: 'method_of_entry',
    label: 'Method of entry',
    metColumn: 'Reason for Force: Method of Entry',
    bit: 8,
    order: 9,
  },
  {
    value: 'remove_handcuffs',
    label: 'Remove handcuffs',
    metColumn: 'Reason for Force: Remove Handcuffs',
    bit: 9,
    order: 10,
  },
  { value: 'prevent_harm', label: 'Prevent harm', metColumn: 'Reason for Force: Prevent Harm', bit: 10, order: 11 },
  {
    value: 'prevent_escape',
    label: 'Prevent escape',
    metColumn: 'Reason for Force: Prevent Escape',
    bit: 11,
    order: 12,
  },
  { value: 'other', label: 'Other', metColumn: 'Reason for Force: Other', bit: 12, order: 13 },
])

export type Reason = ValueOf<typeof reasons>

/** Impact factors (HO Table 7), several per report, none required. */
export const impactFactors = multiCodeList([
  {
    value: 'possession_of_weapon',
    label: 'Possession of a weapon',
    metColumn: 'Impact Factor: Possesion of a weapon',
    bit: 0,
    order: 1,
  },
  { value: 'alcohol', label: 'Alcohol', metColumn: 'Impact Factor: Alcohol', bit: 1, order: 2 },
  { value: 'drugs', label: 'Drugs', metColumn: 'Impact Factor: Drugs', bit: 2, order: 3 },
  { value: 'mental_health', label: 'Mental health', metColumn: 'Impact Factor: Mental Health', bit: 3, order: 4 },
  {
    value: 'prior_knowledge',
    label: 'Prior knowledge',
    metColumn: 'Impact Factor: Prior Knowledge',
    bit: 4,
    order: 5,
  },
  {
    value: 'size_gender_build',
    label: 'Size/gender/build',
    metColumn: 'Impact Factor: Size/Gender/Build',
    bit: 5,
    order: 6,
  },
  {
    // The Met calls it a disorder; the HO, disturbance.
    value: 'acute_behavioural_disturbance',
    label: 'Acute behavioural disturbance',
    metColumn: 'Impact Factor: Acute Behavioural Disorder',
    bit: 6,
    order: 7,
  },
  { value: 'crowd', label: 'Crowd', metColumn: 'Impact Factor: Crowd', bit: 7, order: 8 },
  { value: 'other', label: 'Other', metColumn: 'Impact Factor: Other', bit: 8, order: 9 },
])

export type ImpactFactor = ValueOf<typeof impactFactors>

/** Outcomes (HO Table 8), several per report. */
export const outcomes = multiCodeList([
  { value: 'made_off_escaped', label: 'Made off/escaped', metColumn: 'Outcome: Made off/escaped', bit: 0, order: 1 },
  { value: 'arrested', label: 'Arrested', metColumn: 'Outcome: Arrested', bit: 1, order: 2 },
  { value: 'hospitalised', label: 'Hospitalised', metColumn: 'Outcome: Hospitalised', bit: 2, order: 3 },
  {
    value: 'detained_mental_health_act',
    label: 'Detained (Mental Health Act)',
    metColumn: 'Outcome: Detained - Mental Health Act',
    bit: 3,
    order: 4,
  },
  { value: 'fatality', label: 'Fatality', metColumn: 'Outcome: Fatality', bit: 4, order: 5 },
  { value: 'other', label: 'Other', metColumn: 'Outcome: Other', bit: 5, order: 6 },
])

export type Outcome = ValueOf<typeof outcomes>

/** The HO groups of incident locations: HO Table 9 shows a subtotal for each. */
export const locationGroups = codeList([
  { value: 'public', label: 'Public', order: 1 },
  { value: 'police_setting', label: 'Police setting', order: 2 },
  { value: 'medical_setting', label: 'Medical setting', order: 3 },
  { value: 'dwelling', label: 'Dwelling', order: 4 },
  { value: 'other', label: 'Other', order: 5 },
])

export type LocationGroup = ValueOf<typeof locationGroups>

/** Types of location (HO Table 9), several per report, in HO order; the Met orders its columns differently. */
export const locationTypes = multiCodeList([
  {
    value: 'street_highway',
    label: 'Street/highway',
    hoGroup: 'public',
    metColumn: 'Incident Location: Street/Highway',
    bit: 0,
    order: 1,
  },
  {
    value: 'open_ground',
    label: 'Open ground (e.g. park, car park, field)',
    hoGroup: 'public',
    metColumn: 'Incident Location: Open ground (e.g. park, car park, field)',
    bit: 1,
    order: 2,
  },
  {
    value: 'retail_premises',
    label: 'Retail premises',
    hoGroup: 'public',
    metColumn: 'Incident Location: Retail Premises',
    bit: 2,
    order: 3,
  },
  {
    value: 'licensed_premises',
    label: 'Licensed premises',
    hoGroup: 'public',
    metColumn: 'Incident Location: Licensed Premises',
    bit: 3,
    order: 4,
  },
  {
    value: 'public_transport',
    label: 'Public transport',
    hoGroup: 'public',
    metColumn: 'Incident Location: Public Transport',
    bit: 4,
    order: 5,
  },
  {
    value: 'sports_event_stadia',
    label: 'Sports or event stadia',
    hoGroup: 'public',
    metColumn: 'Incident Location: Sports or Event Stadia',
    bit: 5,
    order: 6,
  },
  {
    value: 'police_vehicle_with_cage',
    label: 'Police vehicle with prisoner handling cage',
    hoGroup: 'police_setting',
    metColumn: 'Incident Location: Police vehicle with prisoner handling cage',
    bit: 6,
    order: 7,
  },
  {
    value: 'police_vehicle_without_cage',
    label: 'Police vehicle without prisoner handling cage',
    hoGroup: 'police_setting',
    metColumn: 'Incident Location: Police vehicle without prisoner handling cage',
    bit: 7,
    order: 8,
  },
  {
    value: 'police_station',
    label: 'Police station (excluding custody block)',
    hoGroup: 'police_setting',
    metColumn: 'Incident Location: Police station (excluding custody block)',
    bit: 8,
    order: 9,
  },
  {
    value: 'custody_block',
    label: 'Custody block',
    hoGroup: 'police_setting',
    metColumn: 'Incident Location: Custody Block',
    bit: 9,
    order: 10,
  },
  {
    value: 'hospital',
    label: 'Hospital/A&E (non mental health setting)',
    hoGroup: 'medical_setting',
    metColumn: 'Incident Location: Hospital/A&E (non-mental-health setting)',
    bit: 10,
    order: 11,
  },
  {
    value: 'mental_health_setting',
    label: 'Mental health setting',
    hoGroup: 'medical_setting',
    metColumn: 'Incident Location: Mental Health Setting',
    bit: 11,
    order: 12,
  },
  {
    value: 'ambulance',
    label: 'Ambulance',
    hoGroup: 'medical_setting',
    metColumn: 'Incident Location: Ambulance',
    bit: 12,
    order: 13,
  },
  {
    value: 'dwelling',
    label: 'Dwelling',
    hoGroup: 'dwelling',
    metColumn: 'Incident Location: Dwelling',
    bit: 13,
    order: 14,
  },
  { value: 'other', label: 'Other', hoGroup: 'other', metColumn: 'Incident Location: Other', bit: 14, order: 15 },
] as const satisfies readonly (MultiCode & { hoGroup: LocationGroup; metColumn: string })[])

export type LocationType = ValueOf<typeof locationTypes>

/**
 * The officer's main duty at the time. [U] Our own list: the Met publishes a `MainDuty` column but not its values, and
 * the HO does not collect it. Revisit if a force or the Met's values say otherwise; add codes, never rename them.
 */
export const mainDuties = codeList([
  { value: 'response', label: 'Response', order: 1 },
  { value: 'neighbourhood', label: 'Neighbourhood', order: 2 },
  { value: 'roads_policing', label: 'Roads policing', order: 3 },
  { value: 'public_order', label: 'Public order', order: 4 },
  { value: 'custody', label: 'Custody', order: 5 },
  { value: 'firearms', label: 'Firearms', order: 6 },
  { value: 'dog_unit', label: 'Dog unit', order: 7 },
  { value: 'investigation', label: 'Investigation', order: 8 },
  { value: 'other', label: 'Other', order: 9 },
])

export type MainDuty = ValueOf<typeof mainDuties>

/** The HO's three-way answer. */
export const yesNoNotReported = codeList([
  { value: 'yes', label: 'Yes', order: 1 },
  { value: 'no', label: 'No', order: 2 },
  { value: 'not_reported', label: 'Not reported', order: 3 },
])

export type YesNoNotReported = ValueOf<typeof yesNoNotReported>

/** HO Table 10: "Officer injured as a result of incident". */
export const officerInjured = yesNoNotReported
/** HO Table 10: "Intentional assault" (on the officer). */
export const intentionalAssault = yesNoNotReported

/** HO Table 10: officer injury level. */
export const officerInjuryLevels = codeList([
  { value: 'minor', label: 'Minor', order: 1 },
  { value: 'severe', label: 'Severe', order: 2 },
  { value: 'not_reported', label: 'Not reported', order: 3 },
])

export type OfficerInjuryLevel = ValueOf<typeof officerInjuryLevels>

/** HO Table 11: "Subject injured as a result of officer use of force". */
export const subjectInjured = codeList([
  { value: 'yes', label: 'Yes', order: 1 },
  { value: 'no', label: 'No', order: 2 },
  { value: 'unknown', label: 'Unknown', order: 3 },
  { value: 'not_reported', label: 'Not reported', order: 4 },
])

export type SubjectInjured = ValueOf<typeof subjectInjured>

/** HO Table 11: subject injury level. */
export const subjectInjuryLevels = codeList([
  { value: 'minor', label: 'Minor', order: 1 },
  { value: 'severe', label: 'Severe', order: 2 },
  { value: 'death', label: 'Death', order: 3 },
  { value: 'not_reported', label: 'Not reported', order: 4 },
])

export type SubjectInjuryLevel = ValueOf<typeof subjectInjuryLevels>
