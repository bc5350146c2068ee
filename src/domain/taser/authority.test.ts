import { describe, expect, it } from 'vitest'
import { deriveAuthority, describeReason, type AuthorityInput, type PrerequisiteInput } from './authority.js'
import { addDays, addMonths, londonDate } from '../calendar.js'
import { cedPrerequisites } from './training.js'

/** Every prerequisite held from 2025-01-01 to 2027-12-31 unless a case says otherwise. */
const allPrerequisites: PrerequisiteInput[] = cedPrerequisites.values.map((kind) => ({
  kind,
  achievedOn: '2025-01-01',
  expiresOn: '2027-12-31',
}))

function officer(overrides: Partial<AuthorityInput> = {}): AuthorityInput {
  return {
    status: 'regular',
    training: [{ course: 'initial', deviceModel: 'x2', completedOn: '2025-11-22', hours: 21, passed: true }],
    prerequisites: allPrerequisites,
    suspensions: [],
    policy: { probationersAllowed: false, specialsAllowed: false },
    ...overrides,
  }
}

const x2 = (input: AuthorityInput, asAt: string) => {
  const model = deriveAuthority(input, asAt).models.find((m) => m.model === 'x2')
  if (!model) throw new Error('no x2')
  return model
}
const codes = (input: AuthorityInput, asAt: string) => x2(input, asAt).reasons.map((r) => r.code)

describe('authority: 12 months from the last training, at the day boundaries', () => {
  it.each([
    ['2025-11-21', false, ['not_qualified']], // the day before the course
    ['2025-11-22', true, []], // the day of the course
    ['2026-11-21', true, []], // the last day of the 12 months
    ['2026-11-22', false, ['training_lapsed']], // 12 months on: lapsed
  ])('trained 2025-11-22, as at %s: authorised %s', (asAt, authorised, reasons) => {
    expect(x2(officer(), asAt).authorised).toBe(authorised)
    expect(codes(officer(), asAt)).toEqual(reasons)
  })

  it('gives the dates: authorised through 2026-11-21, lapses on 2026-11-22', () => {
    expect(x2(officer(), '2026-01-01')).toMatchObject({
      qualifiedOn: '2025-11-22',
      lastTrainedOn: '2025-11-22',
      trainingLapsesOn: '2026-11-22',
      authorisedUntil: '2026-11-21',
      lapsesOn: '2026-11-22',
    })
  })

  it.each([
    ['2024-02-29', '2025-02-28'],
    ['2025-01-31', '2026-01-31'],
    ['2025-03-31', '2026-03-31'],
    ['2024-12-31', '2025-12-31'],
  ])('trained %s lapses on %s (never longer than 12 months)', (trained, lapses) => {
    expect(addMonths(trained, 12)).toBe(lapses)
    const input = officer({
      training: [{ course: 'initial', deviceModel: 'x2', completedOn: trained, hours: 21, passed: true }],
    })
    expect(x2(input, lapses).authorised).toBe(false)
    expect(x2(input, addDays(lapses, -1)).authorised).toBe(true)
  })

  it('a refresher on the same model extends authority; one on another model does not', () => {
    const training = [
      { course: 'initial' as const, deviceModel: 'x2', completedOn: '2024-06-03', hours: 21, passed: true },
      { course: 'refresher' as const, deviceModel: 'x2', completedOn: '2025-05-20', hours: 7, passed: true },
      { course: 'conversion' as const, deviceModel: 'taser_7', completedOn: '2025-09-01', hours: 14, passed: true },
    ]
    const authority = deriveAuthority(officer({ training }), '2026-06-01')
    expect(authority.authorisedModels).toEqual(['taser_7'])
    expect(authority.models.find((m) => m.model === 'x2')?.reasons).toEqual([
      { code: 'training_lapsed', lastTrainedOn: '2025-05-20', lapsedOn: '2026-05-20' },
    ])
  })

  it('a refresher alone does not qualify on a model', () => {
    const training = [
      { course: 'refresher' as const, deviceModel: 'x2', completedOn: '2026-01-10', hours: 7, passed: true },
    ]
    expect(codes(officer({ training }), '2026-02-01')).toEqual(['not_qualified'])
  })
})

describe('authority: what a course must be to count', () => {
  const initial = { course: 'initial' as const, deviceModel: 'x2', completedOn: '2025-11-22', passed: true }
  it.each([
    ['18 hours initial', { ...initial, hours: 18 }, true],
    ['17.5 hours initial', { ...initial, hours: 17.5 }, false],
    ['failed initial', { ...initial, hours: 21, passed: false }, false],
    [
      'initial with a failed written test',
      { ...initial, hours: 21, assessments: [{ kind: 'written_test' as const, passed: false }] },
      false,
    ],
    [
      'initial with every assessment passed',
      {
        ...initial,
        hours: 21,
        assessments: [
          { kind: 'qualification_shoot' as const, passed: true },
          { kind: 'written_test' as const, passed: true },
          { kind: 'scenarios' as const, passed: true },
        ],
      },
      true,
    ],
  ])('%s', (_name, course, authorised) => {
    expect(x2(officer({ training: [course] }), '2026-01-01').authorised).toBe(authorised)
  })

  it('a failed refresher withdraws authority until a later pass', () => {
    const training = [
      { course: 'initial' as const, deviceModel: 'x2', completedOn: '2025-11-22', hours: 21, passed: true },
      { course: 'refresher' as const, deviceModel: 'x2', completedOn: '2026-06-10', hours: 7, passed: false },
    ]
    expect(codes(officer({ training }), '2026-06-09')).toEqual([])
    expect(x2(officer({ training }), '2026-06-10').reasons).toEqual([
      { code: 'failed_course', course: 'refresher', on: '2026-06-10' },
    ])
    const retaken = [
      ...training,
      { course: 'refresher' as const, deviceModel: 'x2', completedOn: '2026-06-24', hours: 7, passed: true },
    ]
    expect(x2(officer({ training: retaken }), '2026-06-24')).toMatchObject({ authorised: true, lapsesOn: '2027-06-24' })
  })
})

describe('authority: prerequisites, at their expiry dates', () => {
  const withEyesight = (expiresOn: string) =>
    officer({
      prerequisites: [
        ...allPrerequisites.filter((p) => p.kind !== 'eyesight_test'),
        { kind: 'eyesight_test', achievedOn: '2024-03-01', expiresOn },
      ],
    })

  it.each([
    ['2026-03-01', '2026-03-01', true],
    ['2026-03-01', '2026-03-02', false],
  ])('eyesight test expiring %s, as at %s: authorised %s', (expiresOn, asAt, authorised) => {
    expect(x2(withEyesight(expiresOn), asAt).authorised).toBe(authorised)
  })

  it('an expired prerequisite is named with the day it stopped being valid', () => {
    expect(x2(withEyesight('2026-03-01'), '2026-04-01').reasons).toEqual([
      { code: 'prerequisite_expired', kind: 'eyesight_test', expiredOn: '2026-03-02' },
    ])
  })

  it('authority ends at whichever comes first, the training or a prerequisite', () => {
    expect(x2(withEyesight('2026-03-01'), '2026-01-01')).toMatchObject({
      authorisedUntil: '2026-03-01',
      lapsesOn: '2026-03-02',
      trainingLapsesOn: '2026-11-22',
    })
  })

  it('a missing prerequisite, and one achieved only after the date, are missing', () => {
    const input = officer({
      prerequisites: [
        ...allPrerequisites.filter((p) => p.kind !== 'first_aid' && p.kind !== 'fitness_test'),
        { kind: 'fitness_test', achievedOn: '2026-02-01', expiresOn: '2027-02-01' },
      ],
    })
    expect(x2(input, '2026-01-31').reasons).toEqual([
      { code: 'prerequisite_missing', kind: 'first_aid' },
      { code: 'prerequisite_missing', kind: 'fitness_test' },
    ])
  })

  it('a renewed prerequisite replaces the expired one', () => {
    const input = officer({
      prerequisites: [...allPrerequisites, { kind: 'first_aid', achievedOn: '2020-01-01', expiresOn: '2021-01-01' }],
    })
    expect(x2(input, '2026-01-01').authorised).toBe(true)
  })
})

describe('authority: suspension and force policy', () => {
  it.each([
    ['2026-02-09', true],
    ['2026-02-10', false],
    ['2026-03-04', false],
    ['2026-03-05', true],
  ])('suspended 2026-02-10, lifted 2026-03-05, as at %s: authorised %s', (asAt, authorised) => {
    const input = officer({
      suspensions: [{ reason: 'Under investigation', suspendedOn: '2026-02-10', liftedOn: '2026-03-05' }],
    })
    expect(x2(input, asAt).authorised).toBe(authorised)
  })

  it.each([
    ['regular', false, false, true],
    ['probationer', false, false, false],
    ['probationer', true, false, true],
    ['special_constable', false, false, false],
    ['special_constable', false, true, true],
    ['police_staff', true, true, false],
  ] as const)('%s with probationers allowed %s, specials allowed %s: authorised %s', (status, p, s, authorised) => {
    const input = officer({ status, policy: { probationersAllowed: p, specialsAllowed: s } })
    expect(x2(input, '2026-01-01').authorised).toBe(authorised)
  })

  it('gives every reason at once, not just the first', () => {
    const input = officer({
      status: 'probationer',
      prerequisites: allPrerequisites.filter((p) => p.kind !== 'first_aid'),
      suspensions: [{ reason: 'Complaint', suspendedOn: '2026-01-01', liftedOn: null }],
    })
    expect(codes(input, '2026-12-01')).toEqual([
      'training_lapsed',
      'status_not_allowed',
      'prerequisite_missing',
      'suspended',
    ])
  })

  it('someone who left is not authorised from the day they left', () => {
    expect(x2(officer({ leftOn: '2026-01-10' }), '2026-01-09').authorised).toBe(true)
    expect(codes(officer({ leftOn: '2026-01-10' }), '2026-01-10')).toEqual(['left_force'])
  })
})

describe('describing reasons and dates', () => {
  it('says each reason in a sentence with its dates', () => {
    const text = x2(officer(), '2026-12-01').reasons.map((r) => describeReason(r, (d) => d))
    expect(text).toEqual(['Last trained on 2025-11-22; authority lapsed on 2026-11-22.'])
  })

  it('takes the date in the UK: 23:30 UTC in summer is already tomorrow', () => {
    expect(londonDate(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01')
    expect(londonDate(new Date('2026-12-31T23:30:00Z'))).toBe('2026-12-31')
  })
})
