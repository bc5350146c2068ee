import fc from 'fast-check'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import {
  cedBodySites,
  cedDeviceModels,
  cedLevelGroups,
  cedLevels,
  highestCedLevel,
  isDischarge,
  metCedBlockColumn,
} from './ced.js'
import type { CedLevel } from './ced.js'
import { codeList, multiCodeList } from './code-list.js'
import type { Code, CodeList, MultiCode, MultiCodeList, ValueOf } from './code-list.js'
import {
  impactFactors,
  intentionalAssault,
  locationGroups,
  locationTypes,
  mainDuties,
  officerInjured,
  officerInjuryLevels,
  outcomes,
  reasons,
  subjectInjured,
  subjectInjuryLevels,
  yesNoNotReported,
} from './context.js'
import {
  ageBands,
  currentPerceivedEthnicity,
  genders,
  hasMentalHealthCondition,
  hasPhysicalHealthCondition,
  healthConditionFromFlags,
  healthConditions,
  legacyPerceivedEthnicity,
  perceivedEthnicities,
  selfDefinedEthnicGroups,
  selfDefinedEthnicities,
  subjectConduct,
} from './subject.js'
import { tacticGroups, tactics } from './tactics.js'

const multiLists: Record<string, MultiCodeList<MultiCode>> = {
  tactics,
  cedLevels,
  cedBodySites,
  reasons,
  impactFactors,
  outcomes,
  locationTypes,
}

const allLists: Record<string, CodeList<Code>> = {
  ...multiLists,
  tacticGroups,
  cedLevelGroups,
  cedDeviceModels,
  ageBands,
  genders,
  perceivedEthnicities,
  selfDefinedEthnicGroups,
  selfDefinedEthnicities,
  healthConditions,
  subjectConduct,
  locationGroups,
  mainDuties,
  yesNoNotReported,
  officerInjuryLevels,
  subjectInjured,
  subjectInjuryLevels,
}

const unique = (xs: readonly unknown[]) => new Set(xs).size === xs.length

describe.each(Object.entries(allLists))('%s', (_name, list) => {
  it('has unique values and orders, sorted by order', () => {
    expect(unique(list.codes.map((c) => c.value))).toBe(true)
    expect(unique(list.codes.map((c) => c.order))).toBe(true)
    const orders = list.codes.map((c) => c.order)
    expect(orders).toEqual([...orders].sort((a, b) => a - b))
    expect(list.values).toEqual(list.codes.map((c) => c.value))
  })

  it('has stable, lower-case values and a label for every code', () => {
    for (const code of list.codes) {
      expect(code.value).toMatch(/^[a-z0-9]+(_[a-z0-9]+)*$/)
      expect(code.label.trim()).not.toBe('')
      expect(list.label(code.value)).toBe(code.label)
      expect(list.has(code.value)).toBe(true)
      expect(list.byValue(code.value)).toBe(code)
    }
    expect(list.has('no_such_code')).toBe(false)
    expect(list.has(undefined)).toBe(false)
    expect(list.byValue('no_such_code')).toBeUndefined()
  })

  it('works as a zod enum', () => {
    const schema = z.enum(list.values)
    expect(schema.parse(list.values[0])).toBe(list.values[0])
    expect(schema.safeParse('no_such_code').success).toBe(false)
  })
})

describe.each(Object.entries(multiLists))('%s (multi-valued)', (_name, list) => {
  it('gives each code a unique bit from 0 to 30', () => {
    const bits = list.codes.map((c) => c.bit)
    expect(unique(bits)).toBe(true)
    for (const bit of bits) {
      expect(Number.isInteger(bit)).toBe(true)
      expect(bit).toBeGreaterThanOrEqual(0)
      expect(bit).toBeLessThan(31)
    }
  })

  it('round-trips any selection through a mask, in display order and without repeats', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...list.values)), (selection) => {
        const mask = list.toMask(selection)
        expect(mask).toBeGreaterThanOrEqual(0)
        expect(list.fromMask(mask)).toEqual(list.values.filter((v) => selection.includes(v)))
        for (const value of list.values) expect(list.inMask(mask, value)).toBe(selection.includes(value))
      }),
    )
  })

  it('refuses masks with bits no code owns, and unknown values', () => {
    const unowned = [...Array(31).keys()].find((bit) => !list.codes.some((c) => c.bit === bit))
    if (unowned !== undefined) expect(() => list.fromMask(1 << unowned)).toThrow(/no code owns/)
    expect(() => list.fromMask(-1)).toThrow()
    expect(() => list.fromMask(0.5)).toThrow()
    expect(() => list.toMask(['no_such_code'])).toThrow(/Unknown code/)
    expect(list.fromMask(0)).toEqual([])
  })
})

describe('codeList and multiCodeList', () => {
  it('refuse duplicate values, orders and bits, and bits outside 0 to 30', () => {
    expect(() => codeList([])).toThrow()
    const a = { value: 'a', label: 'A', order: 1 }
    expect(() => codeList([a, { ...a, order: 2 }])).toThrow(/appears twice/)
    expect(() => codeList([a, { value: 'b', label: 'B', order: 1 }])).toThrow(/repeats order/)
    expect(() =>
      multiCodeList([
        { ...a, bit: 0 },
        { value: 'b', label: 'B', order: 2, bit: 0 },
      ]),
    ).toThrow(/share bit/)
    expect(() => multiCodeList([{ ...a, bit: 31 }])).toThrow(/bits run from 0 to 30/)
    expect(() => multiCodeList([{ ...a, bit: -1 }])).toThrow(/bits run from 0 to 30/)
  })

  it('sorts by order whatever the declaration order, and keeps masks at 31 bits', () => {
    const list = multiCodeList([
      { value: 'late', label: 'Late', order: 2, bit: 30 },
      { value: 'early', label: 'Early', order: 1, bit: 0 },
    ])
    expect(list.values).toEqual(['early', 'late'])
    expect(list.toMask(['late', 'early'])).toBe(2 ** 30 + 1)
    expect(list.fromMask(2 ** 30 + 1)).toEqual(['early', 'late'])
  })

  it('types values and codes exactly', () => {
    expectTypeOf<ValueOf<typeof outcomes>>().toEqualTypeOf<
      'made_off_escaped' | 'arrested' | 'hospitalised' | 'detained_mental_health_act' | 'fatality' | 'other'
    >()
    expectTypeOf(tactics.byValue('ced').metValue).toEqualTypeOf<undefined>()
    expectTypeOf(tactics.byValue('shield').metValue).toEqualTypeOf<'Shield'>()
    expectTypeOf(tactics.codes[0]!.metValue).toExtend<string | undefined>()
    expectTypeOf<undefined>().toExtend<(typeof tactics.codes)[0]['metValue']>()
    const stored: string = 'not_reported'
    expectTypeOf(ageBands.byValue(stored)).toEqualTypeOf<(typeof ageBands.codes)[number] | undefined>()
    expectTypeOf(ageBands.byValue('not_reported').child).toEqualTypeOf<false>()
    expectTypeOf(cedBodySites.values[0]).toEqualTypeOf<ValueOf<typeof cedBodySites>>()
    expectTypeOf<'back_k'>().toExtend<ValueOf<typeof cedBodySites>>()
    expectTypeOf(cedBodySites.byValue('back_k').metColumn).toBeString()
    expectTypeOf<'back_i'>().not.toExtend<ValueOf<typeof cedBodySites>>()
  })
})

describe('tactics', () => {
  it('are the 27 of the national record, with bits in declaration order', () => {
    expect(tactics.values).toEqual([
      'compliant_handcuffing',
      'non_compliant_handcuffing',
      'handcuffing_not_stated',
      'limb_body_restraints',
      'ground_restraint',
      'unarmed_skills',
      'baton_drawn',
      'baton_used',
      'baton_not_stated',
      'irritant_spray_cs_drawn',
      'irritant_spray_cs_used',
      'irritant_spray_pava_drawn',
      'irritant_spray_pava_used',
      'irritant_spray_not_stated',
      'spit_and_bite_guard',
      'shield',
      'ced',
      'aep_drawn',
      'aep_fired',
      'aep_not_stated',
      'firearm_aimed',
      'firearm_fired',
      'dog_deployed',
      'dog_bite',
      'dog_not_stated',
      'other_improvised',
      'tactical_communication',
    ])
    expect(tactics.codes.map((c) => c.bit)).toEqual([...Array(27).keys()])
  })

  it('count only tactical communication as not a use of force', () => {
    expect(tactics.codes.filter((c) => !c.useOfForce).map((c) => c.value)).toEqual(['tactical_communication'])
  })

  it('count CS and PAVA as irritant spray, and aimed and fired firearms as Firearms', () => {
    for (const spray of ['irritant_spray_cs_drawn', 'irritant_spray_pava_drawn'] as const) {
      expect(tactics.byValue(spray)).toMatchObject({ hoParent: 'Irritant spray', hoRow: 'Irritant spray - drawn' })
    }
    for (const spray of ['irritant_spray_cs_used', 'irritant_spray_pava_used'] as const) {
      expect(tactics.byValue(spray)).toMatchObject({ hoParent: 'Irritant spray', hoRow: 'Irritant spray - used' })
    }
    expect(tactics.byValue('firearm_aimed')).toMatchObject({ hoGroup: 'firearms', hoRow: 'Firearms' })
    expect(tactics.byValue('firearm_fired')).toMatchObject({ hoGroup: 'firearms', hoRow: 'Firearms' })
    expect(tactics.byValue('firearm_fired').hoParent).toBeUndefined()
  })

  it('belong to HO groups and give every not-stated code as import-only under its parent', () => {
    for (const code of tactics.codes) {
      expect(tacticGroups.has(code.hoGroup)).toBe(true)
      const notStated = code.value.endsWith('_not_stated')
      expect(code.importOnly === true).toBe(notStated)
      if (notStated) expect(code.hoRow).toBe('Not stated')
      if (notStated) expect(code.metValue).toBeUndefined()
      if (notStated) expect(code.hoParent).toBeDefined()
    }
  })

  it('use the Met FY20-21 Tactic values, with CED levels from the CED use', () => {
    const metVocabulary = [
      'Tactical Communications',
      'Compliant Handcuffing',
      'Unarmed Skills (including pressure points, strikes, restraints and take-downs)',
      'Non-Compliant Handcuffing',
      'Ground Restraint',
      'Limb/Body Restraints',
      'Spit Guard',
      'Shield',
      'Dog Deployed',
      'Other/Improvised',
      'Irritant Spray - CS Drawn',
      'Irritant Spray - PAVA Drawn',
      'CED (Taser) Drawn',
      'Baton Drawn',
      'CED (Taser) Red-Dotted',
      'CED (Taser) Aimed',
      'CED (Taser) Arced',
      'AEP Aimed',
      'Firearm Aimed',
      'Irritant Spray - CS Used',
      'Irritant Spray - PAVA Used',
      'CED (Taser) Drive Stun',
      'CED (Taser) Angle Drive Stun',
      'CED (Taser) Fired',
      'Dog Bite',
      'Baton Used',
      'Firearm Fired',
    ]
    const ours = [
      ...tactics.codes.flatMap((c) => (c.metValue ? [c.metValue] : [])),
      ...cedLevels.codes.map((c) => c.metTactic),
    ]
    expect(ours.toSorted()).toEqual(metVocabulary.toSorted())
    expect(tactics.byValue('ced').metValue).toBeUndefined()
  })
})

describe('CED levels', () => {
  it.each<[CedLevel[], CedLevel | null]>([
    [[], null],
    [['drawn'], 'drawn'],
    [['drawn', 'aimed'], 'aimed'],
    [['aimed', 'red_dot'], 'red_dot'],
    [['red_dot', 'arced'], 'arced'],
    [['arced', 'drive_stun'], 'drive_stun'],
    [['drawn', 'aimed', 'fired'], 'fired'],
    [['drawn', 'aimed', 'red_dot', 'fired'], 'fired'],
    [['fired', 'drive_stun'], 'fired'],
    [['fired', 'angle_drive_stun'], 'angle_drive_stun'],
    [['angle_drive_stun', 'drawn'], 'angle_drive_stun'],
    [['aimed', 'aimed'], 'aimed'],
  ])('the highest of %j is %s', (levels, highest) => {
    expect(highestCedLevel(levels)).toBe(highest)
  })

  it('rank as the Met does, 1 being the most severe', () => {
    const metRank = ['angle_drive_stun', 'fired', 'drive_stun', 'arced', 'red_dot', 'aimed', 'drawn']
    expect(cedLevels.codes.toSorted((a, b) => b.severity - a.severity).map((c) => c.value)).toEqual(metRank)
  })

  it('split into non-discharge and discharge as the HO does, in HO column order', () => {
    expect(cedLevels.codes.filter((c) => !isDischarge(c.value)).map((c) => c.value)).toEqual([
      'drawn',
      'aimed',
      'red_dot',
      'arced',
    ])
    expect(cedLevels.codes.filter((c) => isDischarge(c.value)).map((c) => c.value)).toEqual([
      'drive_stun',
      'fired',
      'angle_drive_stun',
    ])
    expect(cedLevels.codes.toSorted((a, b) => a.hoColumnOrder - b.hoColumnOrder).map((c) => c.hoColumn)).toEqual([
      'Drawn',
      'Aimed',
      'Red-dot',
      'Arced',
      'Drive stun',
      'Fired',
      'Angled drive stun',
    ])
  })

  it('name the Met CED block columns, quirks included', () => {
    expect(metCedBlockColumn(1, 'CED Arced')).toBe('CED Arced')
    expect(metCedBlockColumn(2, 'CED Arced')).toBe('CED2 ArCED2')
    expect(metCedBlockColumn(4, 'CED Arced')).toBe('CED4 ArCED4')
    expect(metCedBlockColumn(3, 'CED Fired Miss With Both Probes')).toBe('CED3 Fired Miss With Both Probes')
    expect(metCedBlockColumn(2, cedBodySites.byValue('back_k').metColumn)).toBe('CED2 Back K')
    expect(() => metCedBlockColumn(2, 'Firearms Fired')).toThrow()
    expect(cedLevels.codes.map((c) => `CED ${c.metColumn}`).toSorted()).toEqual(
      [
        'CED Drawn',
        'CED Aimed',
        'CED Arced',
        'CED Red-Dotted',
        'CED Drive Stun',
        'CED Angle Drive Stun',
        'CED Fired',
      ].toSorted(),
    )
  })
})

describe('CED body sites and devices', () => {
  it('are 15 front and 10 back zones, with no I', () => {
    const front = cedBodySites.codes.filter((c) => c.side === 'front')
    const back = cedBodySites.codes.filter((c) => c.side === 'back')
    expect(front.map((c) => c.metColumn)).toEqual(Array.from({ length: 15 }, (_, i) => `CED Front ${i + 1}`))
    expect(back.map((c) => c.metColumn)).toEqual('ABCDEFGHJK'.split('').map((letter) => `CED Back ${letter}`))
    expect(cedBodySites.byValue('front_1')).toMatchObject({ label: 'Front 1', side: 'front' })
    expect(cedBodySites.byValue('back_a')).toMatchObject({ label: 'Back A', side: 'back', metColumn: 'CED Back A' })
    expect(cedBodySites.has('back_i')).toBe(false)
    expect(cedBodySites.codes.some((c) => /I$/.test(c.label))).toBe(false)
  })

  it('gives the bays of each device model', () => {
    expect(Object.fromEntries(cedDeviceModels.codes.map((c) => [c.label, c.cartridgeBays]))).toEqual({
      'TASER X26': 1,
      'TASER X2': 2,
      'TASER 7': 2,
      'TASER 10': 10,
    })
  })
})

describe('subject', () => {
  it('marks under-18 age bands as children, and gives the Met age values', () => {
    expect(ageBands.codes.filter((c) => c.child).map((c) => c.value)).toEqual(['under_11', 'age_11_17'])
    expect(ageBands.codes.map((c) => c.metValue)).toEqual([
      '0-10',
      '11-17',
      '18-34',
      '35-49',
      '50-64',
      '65 and over',
      undefined,
    ])
  })

  it('maps legacy perceived ethnicities to the current groups', () => {
    expect(currentPerceivedEthnicity('chinese')).toBe('asian')
    expect(currentPerceivedEthnicity('dont_know')).toBe('not_reported')
    for (const value of perceivedEthnicities.values) expect(currentPerceivedEthnicity(value)).toBe(value)
    expect(currentPerceivedEthnicity('toString')).toBeUndefined()
    expect(currentPerceivedEthnicity('Chinese')).toBeUndefined()
    for (const current of Object.values(legacyPerceivedEthnicity)) expect(perceivedEthnicities.has(current)).toBe(true)
  })

  it('has the 18 census categories and Not stated, each in a perceived group', () => {
    expect(selfDefinedEthnicities.codes).toHaveLength(19)
    expect(unique(selfDefinedEthnicities.codes.map((c) => c.policeCode))).toBe(true)
    for (const code of selfDefinedEthnicities.codes) {
      expect(perceivedEthnicities.has(code.perceivedGroup)).toBe(true)
      expect(selfDefinedEthnicGroups.has(code.group)).toBe(true)
    }
    expect(selfDefinedEthnicities.byValue('asian_chinese').perceivedGroup).toBe('asian')
    expect(selfDefinedEthnicities.byValue('other_arab').perceivedGroup).toBe('other')
    expect(selfDefinedEthnicities.byValue('not_stated').perceivedGroup).toBe('not_reported')
  })

  it('reads health conditions both ways', () => {
    expect(healthConditions.values.filter(hasMentalHealthCondition)).toEqual(['mental', 'physical_and_mental'])
    expect(healthConditions.values.filter(hasPhysicalHealthCondition)).toEqual(['physical', 'physical_and_mental'])
    for (const code of healthConditions.codes) {
      expect(healthConditionFromFlags(code.physical, code.mental)).toBe(code.value)
    }
    expect(healthConditionFromFlags(false, null)).toBe('not_reported')
    expect(healthConditionFromFlags(null, true)).toBe('mental')
  })

  it('orders conduct from compliant to serious or aggravated resistance', () => {
    expect(subjectConduct.values).toEqual([
      'compliant',
      'passive_resistance',
      'verbal_resistance',
      'active_resistance',
      'aggressive_resistance',
      'serious_aggravated_resistance',
    ])
  })
})

describe('context', () => {
  it('has 13 reasons, 9 impact factors, 6 outcomes and 15 location types', () => {
    expect(reasons.codes).toHaveLength(13)
    expect(impactFactors.codes).toHaveLength(9)
    expect(outcomes.codes).toHaveLength(6)
    expect(locationTypes.codes).toHaveLength(15)
  })

  // The Met FY20-21 headers, copied from domain reference 2.2 in the Met's column order, typos included.
  it('names the Met location columns exactly', () => {
    expect(locationTypes.codes.map((c) => c.metColumn).toSorted()).toEqual(
      [
        'Incident Location: Street/Highway',
        'Incident Location: Public Transport',
        'Incident Location: Retail Premises',
        'Incident Location: Open ground (e.g. park, car park, field)',
        'Incident Location: Licensed Premises',
        'Incident Location: Sports or Event Stadia',
        'Incident Location: Hospital/A&E (non-mental-health setting)',
        'Incident Location: Mental Health Setting',
        'Incident Location: Police vehicle with prisoner handling cage',
        'Incident Location: Police vehicle without prisoner handling cage',
        'Incident Location: Dwelling',
        'Incident Location: Police station (excluding custody block)',
        'Incident Location: Custody Block',
        'Incident Location: Ambulance',
        'Incident Location: Other',
      ].toSorted(),
    )
  })

  it('names the Met impact factor columns exactly', () => {
    expect(impactFactors.codes.map((c) => c.metColumn)).toEqual([
      'Impact Factor: Possesion of a weapon',
      'Impact Factor: Alcohol',
      'Impact Factor: Drugs',
      'Impact Factor: Mental Health',
      'Impact Factor: Prior Knowledge',
      'Impact Factor: Size/Gender/Build',
      'Impact Factor: Acute Behavioural Disorder',
      'Impact Factor: Crowd',
      'Impact Factor: Other',
    ])
  })

  it('names the Met reason columns exactly', () => {
    expect(reasons.codes.map((c) => c.metColumn)).toEqual([
      'Reason for Force: Protect self',
      'Reason for Force: Protect Public',
      'Reason for Force: Protect Subject',
      'Reason for Force: Protect Other Officers',
      'Reason for Force: Prevent Offence',
      'Reason for Force: Secure Evidence',
      'Reason for Force: Effect Search',
      'Reason for Force: Effect Arrest',
      'Reason for Force: Method of Entry',
      'Reason for Force: Remove Handcuffs',
      'Reason for Force: Prevent Harm',
      'Reason for Force: Prevent Escape',
      'Reason for Force: Other',
    ])
  })

  it('names the Met outcome columns exactly', () => {
    expect(outcomes.codes.map((c) => c.metColumn)).toEqual([
      'Outcome: Made off/escaped',
      'Outcome: Arrested',
      'Outcome: Hospitalised',
      'Outcome: Detained - Mental Health Act',
      'Outcome: Fatality',
      'Outcome: Other',
    ])
  })

  it('puts every location type in an HO group', () => {
    const count = (group: string) => locationTypes.codes.filter((c) => c.hoGroup === group).length
    expect(locationGroups.values.map(count)).toEqual([6, 4, 3, 1, 1])
  })

  it('uses the HO three-way answer for officer injury and intentional assault', () => {
    expect(officerInjured.values).toEqual(['yes', 'no', 'not_reported'])
    expect(intentionalAssault.values).toEqual(['yes', 'no', 'not_reported'])
    expect(officerInjuryLevels.values).toEqual(['minor', 'severe', 'not_reported'])
    expect(subjectInjured.values).toEqual(['yes', 'no', 'unknown', 'not_reported'])
    expect(subjectInjuryLevels.values).toEqual(['minor', 'severe', 'death', 'not_reported'])
  })
})
