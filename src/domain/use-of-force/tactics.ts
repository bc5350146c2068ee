import { codeList, multiCodeList, type ValueOf } from './code-list.js'

/**
 * The tactics of the national use-of-force record (domain reference 1.3) and how each counts in the Home Office
 * return (HO Table 1) and the Metropolitan Police open data (`Tactic N` values).
 *
 * CED (Taser) is ONE tactic here, not one per level. The level reached (drawn, aimed … fired) is recorded on each CED
 * use of the report (a report can have several devices, so several uses; the Met has room for 4) in `cedLevels`,
 * and the report's level for statistics is the highest level across all its CED uses (`highestCedLevel` in ced.ts):
 * the Home Office counts "the 'highest' use of CED from each incident", and so does the Met. Keeping levels off the
 * tactic list means a report cannot say "fired" as a tactic and "drawn" on the device use.
 *
 * `label` is the Home Office wording made fit for a form (sentence case, "or" for slashes, the spray named);
 * `hoRow` is the exact HO Table 1 row it counts under, and `hoParent` the "…, of which" row above it where there is
 * one. The HO calls each parent's unspecified child just "Not stated". `importOnly` codes exist for old and summary
 * data (the Home Office's "not stated" rows); the form does not offer them because an officer knows what they did.
 */

/** The Home Office "type of force" groups, in HO Table 1 order. */
export const tacticGroups = codeList([
  { value: 'restraint', label: 'Restraint', order: 1 },
  { value: 'unarmed_skills', label: 'Unarmed skills', order: 2 },
  { value: 'other_equipment', label: 'Other equipment', order: 3 },
  { value: 'less_lethal_weapons', label: 'Less lethal weapons', order: 4 },
  { value: 'firearms', label: 'Firearms', order: 5 },
  { value: 'other', label: 'Other', order: 6 },
  // Shown separately and excluded from tactic totals: it is not a use of force.
  { value: 'tactical_communication', label: 'Tactical communication (with other tactic)', order: 7 },
])

export type TacticGroup = ValueOf<typeof tacticGroups>

/** The parent rows of HO Table 1 ("Handcuffing, of which" and so on), without the ", of which". */
export type HoTacticParent = 'Handcuffing' | 'Baton' | 'Irritant spray' | 'CED' | 'AEP' | 'Dog use'

interface TacticCode {
  readonly value: string
  readonly label: string
  readonly hint?: string
  readonly hoGroup: TacticGroup
  readonly hoRow: string
  readonly hoParent?: HoTacticParent
  /** The Met `Tactic N` value (FY20-21 vocabulary); absent where the Met has none. */
  readonly metValue?: string
  /** The Met's own Yes/No column for the tactic, where it has one besides `Tactic N`. */
  readonly metColumn?: string
  readonly useOfForce: boolean
  readonly importOnly?: true
  readonly bit: number
  readonly order: number
}

export const tactics = multiCodeList([
  {
    value: 'compliant_handcuffing',
    label: 'Compliant handcuffing',
    hoGroup: 'restraint',
    hoParent: 'Handcuffing',
    hoRow: 'Compliant handcuffing',
    metValue: 'Compliant Handcuffing',
    useOfForce: true,
    bit: 0,
    order: 1,
  },
  {
    value: 'non_compliant_handcuffing',
    label: 'Non-compliant handcuffing',
    hoGroup: 'restraint',
    hoParent: 'Handcuffing',
    hoRow: 'Non-compliant handcuffing',
    metValue: 'Non-Compliant Handcuffing',
    useOfForce: true,
    bit: 1,
    order: 2,
  },
  {
    value: 'handcuffing_not_stated',
    label: 'Handcuffing, compliance not stated',
    hoGroup: 'restraint',
    hoParent: 'Handcuffing',
    hoRow: 'Not stated',
    useOfForce: true,
    importOnly: true,
    bit: 2,
    order: 3,
  },
  {
    value: 'limb_body_restraints',
    label: 'Limb or body restraints',
    hoGroup: 'restraint',
    hoRow: 'Limb / Body restraints',
    metValue: 'Limb/Body Restraints',
    useOfForce: true,
    bit: 3,
    order: 4,
  },
  {
    value: 'ground_restraint',
    label: 'Ground restraint',
    hoGroup: 'restraint',
    hoRow: 'Ground restraint',
    metValue: 'Ground Restraint',
    useOfForce: true,
    bit: 4,
    order: 5,
  },
  {
    value: 'unarmed_skills',
    label: 'Unarmed skills',
    // The HO glossary (2022/23 release).
    hint: 'Including escorting, distraction strikes with hands and feet, pressure points and joint locks',
    hoGroup: 'unarmed_skills',
    hoRow: 'Unarmed skills',
    metValue: 'Unarmed Skills (including pressure points, strikes, restraints and take-downs)',
    useOfForce: true,
    bit: 5,
    order: 6,
  },
  {
    value: 'baton_drawn',
    label: 'Baton drawn',
    hint: 'Drawn but not used',
    hoGroup: 'other_equipment',
    hoParent: 'Baton',
    hoRow: 'Baton drawn',
    metValue: 'Baton Drawn',
    useOfForce: true,
    bit: 6,
    order: 7,
  },
  {
    value: 'baton_used',
    label: 'Baton used',
    hoGroup: 'other_equipment',
    hoParent: 'Baton',
    hoRow: 'Baton used',
    metValue: 'Baton Used',
    useOfForce: true,
    bit: 7,
    order: 8,
  },
  {
    value: 'baton_not_stated',
    label: 'Baton, use not stated',
    hoGroup: 'other_equipment',
    hoParent: 'Baton',
    hoRow: 'Not stated',
    useOfForce: true,
    importOnly: true,
    bit: 8,
    order: 9,
  },
  // The HO counts CS and PAVA together as irritant spray; the Met keeps them apart, so we record which.
  {
    value: 'irritant_spray_cs_drawn',
    label: 'Irritant spray (CS) drawn',
    hoGroup: 'other_equipment',
    hoParent: 'Irritant spray',
    hoRow: 'Irritant spray - drawn',
    metValue: 'Irritant Spray - CS Drawn',
    useOfForce: true,
    bit: 9,
    order: 10,
  },
  {
    value: 'irritant_spray_cs_used',
    label: 'Irritant spray (CS) used',
    hoGroup: 'other_equipment',
    hoParent: 'Irritant spray',
    hoRow: 'Irritant spray - used',
    metValue: 'Irritant Spray - CS Used',
    useOfForce: true,
    bit: 10,
    order: 11,
  },
  {
    value: 'irritant_spray_pava_drawn',
    label: 'Irritant spray (PAVA) drawn',
    hoGroup: 'other_equipment',
    hoParent: 'Irritant spray',
    hoRow: 'Irritant spray - drawn',
    metValue: 'Irritant Spray - PAVA Drawn',
    useOfForce: true,
    bit: 11,
    order: 12,
  },
  {
    value: 'irritant_spray_pava_used',
    label: 'Irritant spray (PAVA) used',
    hoGroup: 'other_equipment',
    hoParent: 'Irritant spray',
    hoRow: 'Irritant spray - used',
    metValue: 'Irritant Spray - PAVA Used',
    useOfForce: true,
    bit: 12,
    order: 13,
  },
  {
    value: 'irritant_spray_not_stated',
    label: 'Irritant spray, use not stated',
    hoGroup: 'other_equipment',
    hoParent: 'Irritant spray',
    hoRow: 'Not stated',
    useOfForce: true,
    importOnly: true,
    bit: 13,
    order: 14,
  },
  {
    value: 'spit_and_bite_guard',
    label: 'Spit and bite guard',
    hoGroup: 'other_equipment',
    hoRow: 'Spit and bite guard',
    metValue: 'Spit Guard',
    useOfForce: true,
    bit: 14,
    order: 15,
  },
  {
    value: 'shield',
    label: 'Shield',
    hoGroup: 'other_equipment',
    hoRow: 'Shield',
    metValue: 'Shield',
    useOfForce: true,
    bit: 15,
    order: 16,
  },
  {
    // One tactic: the HO Table 1 child row is the highest level's `hoRow` (ced.ts), or 'Not stated' when no CED use
    // gives a level. 'CED' is the row's label in the HO breakdown tables (2 to 9). The Met value likewise comes from
    // the highest level's `metTactic`.
    value: 'ced',
    label: 'CED (Taser)',
    hoGroup: 'less_lethal_weapons',
    hoParent: 'CED',
    hoRow: 'CED',
    useOfForce: true,
    bit: 16,
    order: 17,
  },
  // HO labels changed: 2017/18–2018/19 "AEP aimed" / "AEP fired", with drawn-only counted as not stated; from
  // 2019/20 "AEP drawn" / "AEP used". We follow the current rows.
  {
    value: 'aep_drawn',
    label: 'AEP drawn',
    hint: 'Drawn or aimed but not fired',
    hoGroup: 'less_lethal_weapons',
    hoParent: 'AEP',
    hoRow: 'AEP drawn',
    // [U] The Met's only non-firing AEP value in the FY20-21 vocabulary: a drawn-only AEP exports as aimed.
    metValue: 'AEP Aimed',
    useOfForce: true,
    bit: 17,
    order: 18,
  },
  {
    // [U] No Met value: the FY20-21 vocabulary has no AEP discharge ('AEP Fired' may exist in other years).
    value: 'aep_fired',
    label: 'AEP fired',
    hoGroup: 'less_lethal_weapons',
    hoParent: 'AEP',
    hoRow: 'AEP used',
    useOfForce: true,
    bit: 18,
    order: 19,
  },
  {
    value: 'aep_not_stated',
    label: 'AEP, use not stated',
    hoGroup: 'less_lethal_weapons',
    hoParent: 'AEP',
    hoRow: 'Not stated',
    useOfForce: true,
    importOnly: true,
    bit: 19,
    order: 20,
  },
  // The HO publishes one Firearms total, "including where it was aimed but not fired".
  {
    value: 'firearm_aimed',
    label: 'Firearm aimed',
    hint: 'Aimed but not fired',
    hoGroup: 'firearms',
    hoRow: 'Firearms',
    metValue: 'Firearm Aimed',
    metColumn: 'Firearms Aimed',
    useOfForce: true,
    bit: 20,
    order: 21,
  },
  {
    value: 'firearm_fired',
    label: 'Firearm fired',
    hoGroup: 'firearms',
    hoRow: 'Firearms',
    metValue: 'Firearm Fired',
    metColumn: 'Firearms Fired',
    useOfForce: true,
    bit: 21,
    order: 22,
  },
  {
    value: 'dog_deployed',
    label: 'Dog deployed',
    hint: 'Including where the dog did not come into contact with the person',
    hoGroup: 'other',
    hoParent: 'Dog use',
    hoRow: 'Dog deployed',
    metValue: 'Dog Deployed',
    useOfForce: true,
    bit: 22,
    order: 23,
  },
  {
    value: 'dog_bite',
    label: 'Dog bite',
    hoGroup: 'other',
    hoParent: 'Dog use',
    hoRow: 'Dog bite',
    metValue: 'Dog Bite',
    useOfForce: true,
    bit: 23,
    order: 24,
  },
  {
    value: 'dog_not_stated',
    label: 'Dog, use not stated',
    hoGroup: 'other',
    hoParent: 'Dog use',
    hoRow: 'Not stated',
    useOfForce: true,
    importOnly: true,
    bit: 24,
    order: 25,
  },
  {
    value: 'other_improvised',
    label: 'Other or improvised',
    hoGroup: 'other',
    hoRow: 'Other / improvised',
    metValue: 'Other/Improvised',
    useOfForce: true,
    bit: 25,
    order: 26,
  },
  {
    // "Tactical communication alone is not a use of force": recorded only alongside another tactic, counted apart.
    value: 'tactical_communication',
    label: 'Tactical communication',
    hoGroup: 'tactical_communication',
    hoRow: 'Tactical communication (with other tactic)',
    metValue: 'Tactical Communications',
    useOfForce: false,
    bit: 26,
    order: 27,
  },
] as const satisfies readonly TacticCode[])

export type Tactic = ValueOf<typeof tactics>
