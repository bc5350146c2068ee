import { codeList, type ValueOf } from './code-list.js'

/**
 * The person force was used on. Age, gender, ethnicity and health condition are as the reporting officer perceived
 * them (HO Tables 2 to 5): the Home Office warns they are less reliable than self-reported data. The self-defined
 * ethnicity is recorded as well when the person gives it. Domain reference 1.5.
 */

/** `label` is GOV.UK style; `hoLabel` the HO Table 2 heading; `metValue` the Met `SubjectAge` value. */
export const ageBands = codeList([
  { value: 'under_11', label: 'Under 11 years', hoLabel: 'Under 11 years', metValue: '0-10', child: true, order: 1 },
  { value: 'age_11_17', label: '11 to 17 years', hoLabel: '11 - 17 years', metValue: '11-17', child: true, order: 2 },
  { value: 'age_18_34', label: '18 to 34 years', hoLabel: '18 - 34 years', metValue: '18-34', child: false, order: 3 },
  { value: 'age_35_49', label: '35 to 49 years', hoLabel: '35 - 49 years', metValue: '35-49', child: false, order: 4 },
  { value: 'age_50_64', label: '50 to 64 years', hoLabel: '50 - 64 years', metValue: '50-64', child: false, order: 5 },
  {
    value: 'age_65_and_over',
    label: '65 and over',
    hoLabel: '65 and over',
    metValue: '65 and over',
    child: false,
    order: 6,
  },
  // Blank in the Met file. An unknown age does not make a report about a child.
  { value: 'not_reported', label: 'Not reported', hoLabel: 'Not reported', child: false, order: 7 },
])

export type AgeBand = ValueOf<typeof ageBands>

/** HO Table 3. The Met `SubjectGender` values are undocumented, so there is no Met value yet. */
export const genders = codeList([
  { value: 'male', label: 'Male', order: 1 },
  { value: 'female', label: 'Female', order: 2 },
  { value: 'other', label: 'Other', order: 3 },
  { value: 'not_reported', label: 'Not reported', order: 4 },
])

export type Gender = ValueOf<typeof genders>

/** The officer-perceived groups, HO Table 4 from 2019/20 (5 groups and "Not reported"). */
export const perceivedEthnicities = codeList([
  { value: 'white', label: 'White', order: 1 },
  { value: 'black', label: 'Black (or Black British)', order: 2 },
  { value: 'asian', label: 'Asian (or Asian British)', order: 3 },
  { value: 'mixed', label: 'Mixed', order: 4 },
  { value: 'other', label: 'Other', order: 5 },
  { value: 'not_reported', label: 'Not reported', order: 6 },
])

export type PerceivedEthnicity = ValueOf<typeof perceivedEthnicities>

/**
 * Values of the 2017/18–2018/19 list that no longer exist, for importing older data. From 2019/20 the HO counts
 * Chinese under Asian (before, "Chinese or Other"), and "Don't know" is no longer a separate category.
 */
export const legacyPerceivedEthnicity = {
  chinese: 'asian',
  dont_know: 'not_reported',
} as const satisfies Record<string, PerceivedEthnicity>

/** The current perceived group for a current or legacy value, or undefined if it is neither. */
export function currentPerceivedEthnicity(legacyOrCurrent: string): PerceivedEthnicity | undefined {
  if (perceivedEthnicities.has(legacyOrCurrent)) return legacyOrCurrent
  return Object.hasOwn(legacyPerceivedEthnicity, legacyOrCurrent)
    ? legacyPerceivedEthnicity[legacyOrCurrent as keyof typeof legacyPerceivedEthnicity]
    : undefined
}

/** The 2011 Census groups of the self-defined list, with GOV.UK ethnicity style guide names. */
export const selfDefinedEthnicGroups = codeList([
  { value: 'white', label: 'White', order: 1 },
  { value: 'mixed', label: 'Mixed or Multiple ethnic groups', order: 2 },
  { value: 'asian', label: 'Asian or Asian British', order: 3 },
  { value: 'black', label: 'Black, African, Caribbean or Black British', order: 4 },
  { value: 'other', label: 'Other ethnic group', order: 5 },
  { value: 'not_stated', label: 'Not stated', order: 6 },
])

export type SelfDefinedEthnicGroup = ValueOf<typeof selfDefinedEthnicGroups>

/**
 * Self-defined ethnicity, the "18+1": the 18 categories of the 2011 Census and "Not stated". Labels follow the GOV.UK
 * ethnicity style guide. `policeCode` is the usual code in force systems ([U]: letters vary by force).
 * `perceivedGroup` puts each category in the HO perceived groups so self-defined and perceived figures can be set side
 * by side: Chinese is Asian (HO grouping from 2019/20), and Arab and any other ethnic group are Other.
 */
export const selfDefinedEthnicities = codeList([
  {
    value: 'white_british',
    label: 'English, Welsh, Scottish, Northern Irish or British',
    group: 'white',
    policeCode: 'W1',
    perceivedGroup: 'white',
    order: 1,
  },
  { value: 'white_irish', label: 'Irish', group: 'white', policeCode: 'W2', perceivedGroup: 'white', order: 2 },
  {
    value: 'white_gypsy_irish_traveller',
    label: 'Gypsy or Irish Traveller',
    group: 'white',
    policeCode: 'W3',
    perceivedGroup: 'white',
    order: 3,
  },
  {
    value: 'white_other',
    label: 'Any other White background',
    group: 'white',
    policeCode: 'W9',
    perceivedGroup: 'white',
    order: 4,
  },
  {
    value: 'mixed_white_black_caribbean',
    label: 'White and Black Caribbean',
    group: 'mixed',
    policeCode: 'M1',
    perceivedGroup: 'mixed',
    order: 5,
  },
  {
    value: 'mixed_white_black_african',
    label: 'White and Black African',
    group: 'mixed',
    policeCode: 'M2',
    perceivedGroup: 'mixed',
    order: 6,
  },
  {
    value: 'mixed_white_asian',
    label: 'White and Asian',
    group: 'mixed',
    policeCode: 'M3',
    perceivedGroup: 'mixed',
    order: 7,
  },
  {
    value: 'mixed_other',
    label: 'Any other Mixed or Multiple ethnic background',
    group: 'mixed',
    policeCode: 'M9',
    perceivedGroup: 'mixed',
    order: 8,
  },
  { value: 'asian_indian', label: 'Indian', group: 'asian', policeCode: 'A1', perceivedGroup: 'asian', order: 9 },
  {
    value: 'asian_pakistani',
    label: 'Pakistani',
    group: 'asian',
    policeCode: 'A2',
    perceivedGroup: 'asian',
    order: 10,
  },
  {
    value: 'asian_bangladeshi',
    label: 'Bangladeshi',
    group: 'asian',
    policeCode: 'A3',
    perceivedGroup: 'asian',
    order: 11,
  },
  { value: 'asian_chinese', label: 'Chinese', group: 'asian', policeCode: 'A4', perceivedGroup: 'asian', order: 12 },
  {
    value: 'asian_other',
    label: 'Any other Asian background',
    group: 'asian',
    policeCode: 'A9',
    perceivedGroup: 'asian',
    order: 13,
  },
  // Census order (African first); the police codes number Caribbean first.
  { value: 'black_african', label: 'African', group: 'black', policeCode: 'B2', perceivedGroup: 'black', order: 14 },
  {
    value: 'black_caribbean',
    label: 'Caribbean',
    group: 'black',
    policeCode: 'B1',
    perceivedGroup: 'black',
    order: 15,
  },
  {
    value: 'black_other',
    label: 'Any other Black, African or Caribbean background',
    group: 'black',
    policeCode: 'B9',
    perceivedGroup: 'black',
    order: 16,
  },
  { value: 'other_arab', label: 'Arab', group: 'other', policeCode: 'O2', perceivedGroup: 'other', order: 17 },
  {
    value: 'other_any',
    label: 'Any other ethnic group',
    group: 'other',
    policeCode: 'O9',
    perceivedGroup: 'other',
    order: 18,
  },
  {
    value: 'not_stated',
    label: 'Not stated',
    group: 'not_stated',
    policeCode: 'NS',
    perceivedGroup: 'not_reported',
    order: 19,
  },
] as const satisfies readonly {
  value: string
  label: string
  group: SelfDefinedEthnicGroup
  policeCode: string
  perceivedGroup: PerceivedEthnicity
  order: number
}[])

export type SelfDefinedEthnicity = ValueOf<typeof selfDefinedEthnicities>

/**
 * Physical or mental health condition, as perceived (HO Table 5; "disability" until 2018/19). The Met has two Yes/No
 * columns instead, `PhysicalDisability` and `MentalDisability`: `physical` and `mental` give them, null when unknown.
 */
export const healthConditions = codeList([
  { value: 'mental', label: 'Mental', physical: false, mental: true, order: 1 },
  { value: 'physical', label: 'Physical', physical: true, mental: false, order: 2 },
  { value: 'physical_and_mental', label: 'Physical and mental', physical: true, mental: true, order: 3 },
  { value: 'none', label: 'None', physical: false, mental: false, order: 4 },
  { value: 'not_reported', label: 'Not reported', physical: null, mental: null, order: 5 },
])

export type HealthCondition = ValueOf<typeof healthConditions>

/** Mental or physical and mental: the IOPC watches force on people in mental-health crisis. */
export function hasMentalHealthCondition(condition: HealthCondition): boolean {
  return healthConditions.byValue(condition).mental === true
}

export function hasPhysicalHealthCondition(condition: HealthCondition): boolean {
  return healthConditions.byValue(condition).physical === true
}

/** From the Met's two flags (null when blank) to one condition; "None" only when both say no. */
export function healthConditionFromFlags(physical: boolean | null, mental: boolean | null): HealthCondition {
  if (physical && mental) return 'physical_and_mental'
  if (physical) return 'physical'
  if (mental) return 'mental'
  return physical === false && mental === false ? 'none' : 'not_reported'
}

/**
 * The person's behaviour (Met `PrimaryConduct`, the NPCC form), from least to most resistant; `order` is that scale.
 * `metValue` is as read by a public loader of the Met file [S], not checked against the file itself.
 */
export const subjectConduct = codeList([
  { value: 'compliant', label: 'Compliant', metValue: 'Compliant', order: 1 },
  { value: 'passive_resistance', label: 'Passive resistance', metValue: 'Passive resistance', order: 2 },
  { value: 'verbal_resistance', label: 'Verbal resistance/gestures', metValue: 'Verbal resistance/gestures', order: 3 },
  { value: 'active_resistance', label: 'Active resistance', metValue: 'Active resistance', order: 4 },
  { value: 'aggressive_resistance', label: 'Aggressive resistance', metValue: 'Aggressive resistance', order: 5 },
  {
    value: 'serious_aggravated_resistance',
    label: 'Serious or aggravated resistance',
    metValue: 'Serious or aggravated resistance',
    order: 6,
  },
])

export type SubjectConduct = ValueOf<typeof subjectConduct>
