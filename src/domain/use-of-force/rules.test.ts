import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { invalidPayloadArb, validSubmissionArb } from '../../../test/support/report-arbitraries.js'
import {
  FIXTURE_NOW,
  cedSubmission,
  submissionIssues,
  uninjuredOfficer,
  uninjuredSubject,
  validIncident,
  validOfficer,
  validOfficerInjury,
  validSubject,
  validSubjectInjury,
  validSubmission,
  type CedUseInput,
  type SubmissionInput,
} from '../../../test/support/report-fixtures.js'
import type { CedLevel } from './ced.js'
import { reportSubmission } from './report.js'
import { EARLIEST_INCIDENT, reportFlags, type ReportFlags } from './rules.js'
import type { AgeBand } from './subject.js'

const now = FIXTURE_NOW
const FIVE_MINUTES = 5 * 60_000

const at = (ms: number) => new Date(ms).toISOString()
const occurredAt = (when: string) => validSubmission({ incident: { ...validIncident(now), occurredAt: when } })
const ced = (level: CedLevel, use: Partial<CedUseInput> = {}, overrides: Partial<SubmissionInput> = {}) =>
  cedSubmission({ level, use, ...overrides })
const cycle = (seconds: number, extended = seconds > 5) => ({ seconds, extended, interrupted: false })
const cartridge = (bay: number | null = 1) => ({ serial: `AFID-${bay ?? 0}-55120`, bay })
const handcuffing = [{ tactic: 'compliant_handcuffing', effective: true }] as const satisfies SubmissionInput['tactics']
const ced0 = (...path: (string | number)[]) => ['cedUses', 0, ...path]

interface RuleRow {
  rule: string
  /** Breaks this rule and nothing else. */
  invalid: SubmissionInput
  path: (string | number)[]
  message: string
  /** The nearest report that keeps this rule. */
  valid: SubmissionInput
}

/** One row per rule in rules.ts, in its order. */
const rules: RuleRow[] = [
  {
    rule: 'the incident is not in the future',
    invalid: occurredAt(at(now.getTime() + FIVE_MINUTES + 1)),
    path: ['incident', 'occurredAt'],
    message: 'must be in the past',
    valid: occurredAt(at(now.getTime() + FIVE_MINUTES)),
  },
  {
    rule: 'the incident is on or after 1 April 2017',
    invalid: occurredAt('2017-03-31T22:59:59.999Z'),
    path: ['incident', 'occurredAt'],
    message: 'on or after 1 April 2017',
    valid: occurredAt('2017-03-31T23:00:00.000Z'),
  },
  {
    rule: 'fired needs a cartridge',
    invalid: ced('fired', { cartridges: [] }),
    path: ced0('cartridges'),
    message: 'Fired needs the cartridge that was fired',
    // Angled drive-stun may have been with a cartridge already counted elsewhere: not required.
    valid: ced('angle_drive_stun', { cartridges: [] }),
  },
  {
    rule: 'cartridges only when fired',
    invalid: ced('drive_stun', { cartridges: [cartridge()] }),
    path: ced0('cartridges'),
    message: 'Only record cartridges when the CED was fired',
    valid: ced('drive_stun'),
  },
  {
    rule: 'a cartridge bay the device model has',
    invalid: ced('fired', { deviceModel: 'x26', cartridges: [cartridge(2)] }),
    path: ced0('cartridges', 0, 'bay'),
    message: 'A TASER X26 has 1 cartridge bay: enter bay 1',
    valid: ced('fired', { deviceModel: 'x26', cartridges: [cartridge(1)] }),
  },
  {
    rule: 'a discharge needs a cycle',
    invalid: ced('drive_stun', { cycles: [] }),
    path: ced0('cycles'),
    message: 'A discharge needs at least one cycle',
    valid: ced('drive_stun', { cycles: [cycle(0.1)] }),
  },
  {
    rule: 'cycles only when discharged',
    invalid: ced('arced', { cycles: [cycle(1)] }),
    path: ced0('cycles'),
    message: 'Only record cycles when the CED was discharged',
    valid: ced('arced'),
  },
  {
    rule: 'a cycle over 5 seconds was extended',
    invalid: ced('fired', { cycles: [cycle(5.1, false)] }),
    path: ced0('cycles', 0, 'extended'),
    message: 'Cycle 1 lasted more than 5 seconds',
    valid: ced('fired', { cycles: [cycle(5.1, true)] }),
  },
  {
    rule: 'a cycle of 5 seconds or less was not extended',
    invalid: ced('fired', { cycles: [cycle(5, true)] }),
    path: ced0('cycles', 0, 'extended'),
    message: 'Cycle 1 lasted 5 seconds or less',
    valid: ced('fired', { cycles: [cycle(5, false)] }),
  },
  {
    rule: 'repeat drive-stun needs drive-stun',
    invalid: ced('fired', { driveStunRepeat: true }),
    path: ced0('driveStunRepeat'),
    message: 'Repeat drive-stun needs drive-stun',
    valid: ced('drive_stun', { driveStunRepeat: true, cycles: [cycle(2), cycle(3)] }),
  },
  {
    rule: 'more cycles than cartridges means a cartridge was cycled again',
    invalid: ced('fired', { cycles: [cycle(5), cycle(3)], repeatCycleSameCartridge: false }),
    path: ced0('repeatCycleSameCartridge'),
    message: 'more cycles than cartridges',
    valid: ced('fired', { cycles: [cycle(5), cycle(3)], repeatCycleSameCartridge: true }),
  },
  {
    rule: 'a cartridge cycled again needs the CED fired',
    invalid: ced('drive_stun', { cycles: [cycle(2), cycle(3)], repeatCycleSameCartridge: true }),
    path: ced0('repeatCycleSameCartridge'),
    message: 'Only say a cartridge was cycled more than once when the CED was fired',
    valid: ced('drive_stun', { cycles: [cycle(2), cycle(3)], repeatCycleSameCartridge: false }),
  },
  {
    rule: 'a cartridge cycled again needs 2 cycles',
    invalid: ced('fired', { cycles: [cycle(5)], repeatCycleSameCartridge: true }),
    path: ced0('repeatCycleSameCartridge'),
    message: 'at least 2 cycles',
    valid: ced('fired', { cycles: [cycle(5), cycle(1.5)], repeatCycleSameCartridge: true }),
  },
  {
    rule: 'fired: say whether a probe missed',
    invalid: ced('fired', { probeMiss: 'not_fired' }),
    path: ced0('probeMiss'),
    message: 'The CED was fired: select whether either probe missed',
    valid: ced('fired', { probeMiss: 'one', probeSites: ['back_a'] }),
  },
  {
    rule: 'probe miss only when fired',
    invalid: ced('red_dot', { probeMiss: 'none' }),
    path: ced0('probeMiss'),
    message: 'Only say whether a probe missed when the CED was fired',
    valid: ced('red_dot'),
  },
  {
    rule: 'probe sites only when fired',
    invalid: ced('drive_stun', { probeSites: ['front_1'] }),
    path: ced0('probeSites'),
    message: 'Only mark probe strike sites when the CED was fired',
    valid: ced('drive_stun', { probeSites: [] }),
  },
  {
    rule: 'at most 2 probe sites per cartridge',
    invalid: ced('fired', { probeSites: ['front_1', 'front_2', 'back_k'] }),
    path: ced0('probeSites'),
    message: 'Mark at most 2 strike sites',
    valid: ced('fired', { probeSites: ['front_1', 'back_k'] }),
  },
  {
    rule: 'fired: say who removed the probes',
    invalid: ced('fired', { probesRemovedBy: null }),
    path: ced0('probesRemovedBy'),
    message: 'Select who removed the probes',
    valid: ced('fired', { probesRemovedBy: 'not_required' }),
  },
  {
    rule: 'who removed probes only when fired',
    invalid: ced('drive_stun', { probesRemovedBy: 'officer' }),
    path: ced0('probesRemovedBy'),
    message: 'Only say who removed probes when the CED was fired',
    valid: ced('drive_stun'),
  },
  {
    rule: 'tactical communication alone is not a use of force',
    invalid: validSubmission({ tactics: [{ tactic: 'tactical_communication', effective: true }] }),
    path: ['tactics'],
    message: 'Tactical communication alone is not a use of force',
    valid: validSubmission({ tactics: [{ tactic: 'tactical_communication', effective: true }, ...handcuffing] }),
  },
  {
    rule: 'not-stated tactics are only for imports',
    invalid: validSubmission({ tactics: [{ tactic: 'handcuffing_not_stated', effective: true }] }),
    path: ['tactics', 0, 'tactic'],
    message: 'only for records imported from older systems',
    valid: validSubmission({ tactics: [...handcuffing] }),
  },
  {
    rule: 'the CED tactic needs a CED use',
    invalid: ced('drawn', {}, { cedUses: [] }),
    path: ['cedUses'],
    message: 'add the details of each CED use',
    valid: ced('drawn'),
  },
  {
    rule: 'a CED use needs the CED tactic',
    invalid: ced('aimed', {}, { tactics: [...handcuffing] }),
    path: ['tactics'],
    message: 'add CED (Taser) to the tactics you used',
    valid: ced('aimed', {}, { tactics: [...handcuffing, { tactic: 'ced', effective: false }] }),
  },
  {
    rule: 'a CED user was carrying one',
    invalid: ced('drawn', {}, { officer: { ...validOfficer(), cedTrained: true, cedCarried: false } }),
    path: ['officer', 'cedCarried'],
    message: 'so you were carrying one',
    valid: ced('drawn', {}, { officer: { ...validOfficer(), cedTrained: true, cedCarried: true } }),
  },
  {
    rule: 'assaulted with a weapon means assaulted',
    invalid: validSubmission({ officer: { ...validOfficer(), assaultedBySubject: false, assaultedWithWeapon: true } }),
    path: ['officer', 'assaultedBySubject'],
    message: 'assaulted you with a weapon, so they assaulted you',
    valid: validSubmission({ officer: { ...validOfficer(), assaultedBySubject: true, assaultedWithWeapon: true } }),
  },
  {
    rule: 'an injured officer gives a level',
    invalid: validSubmission({ officerInjury: { ...validOfficerInjury(), level: null } }),
    path: ['officerInjury', 'level'],
    message: 'Select how serious your injury was',
    valid: validSubmission({ officerInjury: { ...validOfficerInjury(), level: 'not_reported' } }),
  },
  {
    rule: 'an injury level only if the officer was injured',
    invalid: validSubmission({ officerInjury: { ...uninjuredOfficer(), level: 'minor' } }),
    path: ['officerInjury', 'level'],
    message: 'Only give an injury level if you were injured',
    valid: validSubmission({ officerInjury: uninjuredOfficer() }),
  },
  {
    rule: 'an injured officer says whether it was intentional',
    invalid: validSubmission({ officerInjury: { ...validOfficerInjury(), intentionalAssault: null } }),
    path: ['officerInjury', 'intentionalAssault'],
    message: 'Select whether the injury was from an intentional assault',
    valid: validSubmission({ officerInjury: { ...validOfficerInjury(), intentionalAssault: 'not_reported' } }),
  },
  {
    rule: 'intentional only if the officer was injured',
    invalid: validSubmission({
      officerInjury: { ...uninjuredOfficer(), injured: 'not_reported', intentionalAssault: 'no' },
    }),
    path: ['officerInjury', 'intentionalAssault'],
    message: 'Only say whether an injury was intentional',
    valid: validSubmission({ officerInjury: { ...uninjuredOfficer(), injured: 'not_reported' } }),
  },
  {
    rule: 'an injured person has a level',
    invalid: validSubmission({ subjectInjury: { ...validSubjectInjury(), level: null } }),
    path: ['subjectInjury', 'level'],
    message: 'Select how serious the person',
    valid: validSubmission({ subjectInjury: { ...validSubjectInjury(), level: 'not_reported' } }),
  },
  {
    rule: 'an injury level only if the person was injured',
    invalid: validSubmission({ subjectInjury: { ...uninjuredSubject(), injured: 'unknown', level: 'minor' } }),
    path: ['subjectInjury', 'level'],
    message: 'Only give an injury level if the person was injured',
    valid: validSubmission({ subjectInjury: { ...uninjuredSubject(), injured: 'unknown' } }),
  },
  {
    rule: 'a description only if the person was injured',
    invalid: validSubmission({ subjectInjury: { ...uninjuredSubject(), nature: 'Bruised wrist' } }),
    path: ['subjectInjury', 'nature'],
    message: 'Only describe an injury if the person was injured',
    // A blank description is no description.
    valid: validSubmission({ subjectInjury: { ...uninjuredSubject(), nature: ' \n ' } }),
  },
  {
    rule: 'medical help provided was offered',
    invalid: validSubmission({
      subjectInjury: { ...validSubjectInjury(), medicalOffered: false, medicalProvided: true },
    }),
    path: ['subjectInjury', 'medicalOffered'],
    message: 'Medical assistance was provided, so it was offered',
    valid: validSubmission({ subjectInjury: { ...validSubjectInjury(), medicalOffered: true, medicalProvided: true } }),
  },
  {
    rule: 'a death is a fatality',
    invalid: validSubmission({
      subjectInjury: { ...validSubjectInjury(), level: 'death' },
      outcomes: ['hospitalised'],
    }),
    path: ['outcomes'],
    message: 'The person died: select Fatality as an outcome',
    valid: validSubmission({ subjectInjury: { ...validSubjectInjury(), level: 'death' }, outcomes: ['fatality'] }),
  },
  {
    rule: 'a fatality is a death',
    invalid: validSubmission({ subjectInjury: { ...validSubjectInjury(), level: 'severe' }, outcomes: ['fatality'] }),
    path: ['subjectInjury', 'level'],
    message: 'record the person’s injury level as death',
    valid: validSubmission({ subjectInjury: { ...validSubjectInjury(), level: 'severe' }, outcomes: ['hospitalised'] }),
  },
  {
    rule: 'a footage reference only with video recording',
    invalid: validSubmission({ bodyWornVideo: { activated: false, reference: 'BWV-1' } }),
    path: ['bodyWornVideo', 'reference'],
    message: 'Only give a footage reference if your body-worn video was recording',
    valid: validSubmission({ bodyWornVideo: { activated: false, reference: '' } }),
  },
]

describe('the builders', () => {
  it('build valid reports', () => {
    expect(submissionIssues(validSubmission(), now)).toEqual([])
    for (const level of ['drawn', 'aimed', 'red_dot', 'arced', 'drive_stun', 'fired', 'angle_drive_stun'] as const) {
      expect(submissionIssues(ced(level), now), level).toEqual([])
    }
  })
})

describe('report rules', () => {
  it('have one row each here', () => {
    // Each `issues.push` or early return in rules.ts is one rule: add a row above for a new one.
    const source = readFileSync(new URL('./rules.ts', import.meta.url), 'utf8')
    const sites = source.match(/issues\.push\(\{|return \[\{ path/g) ?? []
    expect(rules).toHaveLength(sites.length)
  })

  it.each(rules)('$rule: fires', ({ invalid, path, message }) => {
    expect(submissionIssues(invalid, now)).toEqual([{ path, message: expect.stringContaining(message) }])
  })

  it.each(rules)('$rule: keeps quiet for its nearest valid report', ({ valid }) => {
    expect(submissionIssues(valid, now)).toEqual([])
  })
})

describe('the time limits', () => {
  it.each([
    ['now', at(now.getTime()), true],
    ['exactly 5 minutes ahead (clock drift)', at(now.getTime() + FIVE_MINUTES), true],
    ['5 minutes and 1 ms ahead', at(now.getTime() + FIVE_MINUTES + 1), false],
    [
      '5 minutes ahead, written in BST',
      new Date(now.getTime() + FIVE_MINUTES + 3_600_000).toISOString().replace('Z', '+01:00'),
      true,
    ],
    ['a year ahead', at(now.getTime() + 365 * 86_400_000), false],
    ['midnight on 1 April 2017 in the UK (BST)', '2017-04-01T00:00:00.000+01:00', true],
    ['the same instant in UTC', '2017-03-31T23:00:00.000Z', true],
    ['1 ms before it', '2017-03-31T22:59:59.999Z', false],
    ['2017-04-01T00:00:00Z', '2017-04-01T00:00:00Z', true],
    ['2017-04-01T00:00:00Z less 1 ms, written in BST', '2017-04-01T00:59:59.999+01:00', true],
    ['31 March 2017 at 23:59:59.999 BST', '2017-03-31T23:59:59.999+01:00', false],
    ['1 January 2000', '2000-01-01T00:00:00Z', false],
  ] as const)('%s: allowed %s', (_, when, allowed) => {
    expect(submissionIssues(occurredAt(when), now)).toEqual(
      allowed ? [] : [{ path: ['incident', 'occurredAt'], message: expect.any(String) }],
    )
  })

  it('start at midnight on 1 April 2017, UK time', () => {
    expect(EARLIEST_INCIDENT.toISOString()).toBe('2017-03-31T23:00:00.000Z')
  })
})

describe('CED cycle length', () => {
  it.each([
    [0.1, false, true],
    [5, false, true],
    [5, true, false],
    [5.1, false, false],
    [5.1, true, true],
    [60, true, true],
  ])('%s seconds, extended %s: allowed %s', (seconds, extended, allowed) => {
    expect(submissionIssues(ced('fired', { cycles: [cycle(seconds, extended)] }), now)).toEqual(
      allowed ? [] : [{ path: ced0('cycles', 0, 'extended'), message: expect.any(String) }],
    )
  })

  it('names the cycle that is wrong', () => {
    const use = { cycles: [cycle(5), cycle(12.5, false)], repeatCycleSameCartridge: true }
    expect(submissionIssues(ced('fired', use), now)).toEqual([
      { path: ced0('cycles', 1, 'extended'), message: expect.stringContaining('Cycle 2 lasted more than 5 seconds') },
    ])
  })
})

describe('probe strike sites', () => {
  const sites = ['front_1', 'front_2', 'front_3', 'back_a', 'back_b'] as const
  const fired = (cartridges: number, probeMiss: 'none' | 'one' | 'both', count: number) =>
    ced('fired', {
      deviceModel: 'x2',
      cartridges: Array.from({ length: cartridges }, (_, i) => cartridge(i + 1)),
      cycles: Array.from({ length: cartridges }, () => cycle(5)),
      probeMiss,
      probeSites: sites.slice(0, count),
    })

  it.each([
    [1, 'none', 2],
    [1, 'one', 1],
    [1, 'both', 0],
    [2, 'none', 4],
    [2, 'one', 3],
    [2, 'both', 0],
  ] as const)('%s cartridge(s), probe miss %s: at most %s', (cartridges, probeMiss, max) => {
    expect(submissionIssues(fired(cartridges, probeMiss, max), now)).toEqual([])
    expect(submissionIssues(fired(cartridges, probeMiss, max + 1), now)).toEqual([
      {
        path: ced0('probeSites'),
        message:
          probeMiss === 'both'
            ? 'Both probes missed, so do not mark any strike sites'
            : expect.stringContaining(`at most ${max} strike`),
      },
    ])
  })

  it('allow 2 sites for an angled drive-stun with no cartridge recorded', () => {
    const angled = (probeSites: CedUseInput['probeSites']) => ced('angle_drive_stun', { cartridges: [], probeSites })
    expect(submissionIssues(angled(['front_1', 'front_9']), now)).toEqual([])
    expect(submissionIssues(angled(['front_1', 'front_9', 'back_c']), now)).toEqual([
      { path: ced0('probeSites'), message: expect.stringContaining('at most 2 strike sites') },
    ])
  })
})

describe('cartridge bays', () => {
  it.each([
    ['x26', 1, true],
    ['x26', 2, false],
    ['x2', 2, true],
    ['x2', 3, false],
    ['taser_7', 3, false],
    ['taser_10', 10, true],
    [null, 10, true],
  ] as const)('%s, bay %s: allowed %s', (deviceModel, bay, allowed) => {
    const report = ced('fired', { deviceModel, cartridges: [cartridge(bay)] })
    expect(submissionIssues(report, now).map((issue) => issue.path)).toEqual(
      allowed ? [] : [ced0('cartridges', 0, 'bay')],
    )
  })

  it('need no bay', () => {
    expect(submissionIssues(ced('fired', { deviceModel: 'x26', cartridges: [cartridge(null)] }), now)).toEqual([])
  })
})

describe('rules on CED uses', () => {
  it('allow more cycles than cartridges without a repeat when some cycles were drive-stuns', () => {
    const levels: CedLevel[] = ['drawn', 'fired', 'drive_stun']
    const use = { levels, cycles: [cycle(5), cycle(3)], repeatCycleSameCartridge: false }
    expect(submissionIssues(ced('fired', use), now)).toEqual([])
  })

  it('report each CED use at its own index', () => {
    const report = ced(
      'drawn',
      {},
      { cedUses: [ced('aimed').cedUses[0]!, { ...ced('fired').cedUses[0]!, cartridges: [] }] },
    )
    expect(submissionIssues(report, now)).toEqual([
      { path: ['cedUses', 1, 'cartridges'], message: expect.stringContaining('Fired needs the cartridge') },
    ])
  })
})

const noFlags: ReportFlags = {
  cedDischarge: false,
  child: false,
  subjectInjured: false,
  prolongedDischarge: false,
  firearm: false,
  fatality: false,
  mandatoryReview: false,
  mandatoryReferral: false,
}

/** A handcuffing with nobody hurt: flags nothing, so each row below shows what one answer adds. */
const plain = (overrides: Partial<SubmissionInput> = {}) =>
  validSubmission({ tactics: [...handcuffing], subjectInjury: uninjuredSubject(), ...overrides })
const plainCed = (level: CedLevel, use: Partial<CedUseInput> = {}) =>
  cedSubmission({ level, use, subjectInjury: uninjuredSubject() })
const review = { mandatoryReview: true }

describe('reportFlags', () => {
  it.each<[string, SubmissionInput, Partial<ReportFlags>]>([
    ['a plain handcuffing', plain(), {}],
    ['CED aimed', plainCed('aimed'), {}],
    ['CED arced', plainCed('arced'), {}],
    ['CED drive-stun', plainCed('drive_stun'), { cedDischarge: true, ...review }],
    ['CED fired', plainCed('fired'), { cedDischarge: true, ...review }],
    ['CED angled drive-stun', plainCed('angle_drive_stun'), { cedDischarge: true, ...review }],
    [
      'a cycle over 5 seconds',
      plainCed('fired', { cycles: [cycle(5.1)] }),
      { cedDischarge: true, prolongedDischarge: true, ...review },
    ],
    ['a child under 11', plain({ subject: { ...validSubject(), ageBand: 'under_11' } }), { child: true, ...review }],
    [
      'a child of 11 to 17',
      plain({ subject: { ...validSubject(), ageBand: 'age_11_17' } }),
      { child: true, ...review },
    ],
    ['an unknown age', plain({ subject: { ...validSubject(), ageBand: 'not_reported' } }), {}],
    [
      'a minor injury to the person',
      plain({ subjectInjury: validSubjectInjury() }),
      { subjectInjured: true, ...review },
    ],
    ['an injured officer', plain({ officerInjury: { ...validOfficerInjury(), level: 'severe' } }), {}],
    [
      'a firearm aimed',
      plain({ tactics: [{ tactic: 'firearm_aimed', effective: true }] }),
      { firearm: true, ...review },
    ],
    [
      'a firearm fired',
      plain({ tactics: [{ tactic: 'firearm_fired', effective: true }] }),
      { firearm: true, ...review },
    ],
    [
      'a severe injury to the person',
      plain({ subjectInjury: { ...validSubjectInjury(), level: 'severe' }, outcomes: ['hospitalised'] }),
      { subjectInjured: true, ...review, mandatoryReferral: true },
    ],
    [
      'a death',
      plain({ subjectInjury: { ...validSubjectInjury(), level: 'death' }, outcomes: ['fatality'] }),
      { subjectInjured: true, fatality: true, ...review, mandatoryReferral: true },
    ],
  ])('%s', (_, payload, flags) => {
    expect(submissionIssues(payload, now)).toEqual([])
    const report = reportSubmission.parse(payload)
    const ageBand: AgeBand = 'ageBand' in report.subject ? report.subject.ageBand : 'not_reported'
    expect(reportFlags(report, ageBand)).toEqual({ ...noFlags, ...flags })
  })
})

describe('generated reports', () => {
  it('every valid one passes the schema and every rule', () => {
    fc.assert(
      fc.property(validSubmissionArb(now), (payload) => {
        expect(submissionIssues(payload, now)).toEqual([])
      }),
      { numRuns: 300 },
    )
  })

  it('every broken one is refused, without touching any prototype', () => {
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype)
    fc.assert(
      fc.property(invalidPayloadArb(now), ({ label, payload }) => {
        expect(submissionIssues(payload, now), label).not.toEqual([])
        expect(Object.getOwnPropertyNames(Object.prototype), label).toEqual(prototypeKeys)
      }),
      { numRuns: 300 },
    )
  })
})
