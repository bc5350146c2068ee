import fc from 'fast-check'
import { cedBodySites, cedDeviceModels, cedLevels, isDischarge } from '../../src/domain/use-of-force/ced.js'
import type { CedLevel } from '../../src/domain/use-of-force/ced.js'
import {
  impactFactors,
  intentionalAssault,
  locationTypes,
  mainDuties,
  officerInjuryLevels,
  outcomes,
  reasons,
  subjectInjuryLevels,
} from '../../src/domain/use-of-force/context.js'
import { probeRemovalOptions } from '../../src/domain/use-of-force/report.js'
import { EARLIEST_INCIDENT } from '../../src/domain/use-of-force/rules.js'
import {
  ageBands,
  genders,
  healthConditions,
  perceivedEthnicities,
  selfDefinedEthnicities,
  subjectConduct,
} from '../../src/domain/use-of-force/subject.js'
import { tactics } from '../../src/domain/use-of-force/tactics.js'
import { validCedUse } from './report-fixtures.js'
import type {
  BodyWornVideoInput,
  CedUseInput,
  IncidentInput,
  OfficerInjuryInput,
  OfficerInput,
  SubjectInjuryInput,
  SubjectInput,
  SubmissionInput,
  TacticUseInput,
} from './report-fixtures.js'

/**
 * fast-check arbitraries of report payloads (the JSON the API takes). `validSubmissionArb` generates only payloads
 * that pass the schema and every rule; `invalidPayloadArb` only payloads that one or the other must refuse, each
 * labelled with what was broken so a counterexample explains itself.
 */

const pick = <T>(values: readonly T[]): fc.Arbitrary<T> => fc.constantFrom(...values)
/** A multi-select answer: distinct values in any order, as boxes can be ticked in any order. */
const some = <T>(values: readonly T[], minLength = 0, maxLength = values.length): fc.Arbitrary<T[]> =>
  fc.shuffledSubarray([...values], { minLength, maxLength })

// ---------------------------------------------------------------------------------------------------------------
// Free text

/** Printable graphemes of every script, plus the characters officers' keyboards and phones really produce. */
const textUnit = fc.oneof(
  { weight: 5, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom(' ', '\n', '\r\n', '\t', '\u00a0', '\u3000') },
  {
    weight: 1,
    arbitrary: fc.constantFrom('’', '“', '—', '£', 'é', 'e\u0301', 'ß', 'Ł', 'ф', 'ع', '\u200f', '中', '👮🏾‍♀️', '🇬🇧'),
  },
)

/** At most `max` UTF-16 code units (what the schema counts), cut between code points. */
function fitTo(text: string, max: number): string {
  let out = ''
  for (const point of text) {
    if (out.length + point.length > max) break
    out += point
  }
  return out
}

/**
 * Text the schema accepts for a field of `max` characters: short or filled to the limit, sometimes inside whitespace
 * that the schema trims before counting. Required text always has something left after trimming.
 */
function textArb(max: number, required: boolean): fc.Arbitrary<string> {
  const core = fc
    .oneof(
      { weight: 4, arbitrary: fc.string({ unit: textUnit, maxLength: Math.min(max, 40) }) },
      {
        weight: 1,
        arbitrary: fc
          .string({ unit: textUnit, minLength: 1, maxLength: 6 })
          .map((s) => s.repeat(Math.ceil(max / s.length))),
      },
    )
    .map((s) => fitTo(required && s.trim() === '' ? `x${s}` : s, max))
  return fc.tuple(core, fc.constantFrom('', '', '', ' ', '\n  ', '\t')).map(([text, pad]) => `${pad}${text}${pad}`)
}

/** An optional text answer that is present: real text, or blank text that the schema turns into "no answer". */
const optionalTextArb = (max: number) =>
  fc.oneof({ weight: 4, arbitrary: textArb(max, false) }, { weight: 1, arbitrary: fc.constantFrom('', '   ') })

/** What an answer that must be empty may be: null, blank, or left out (leave the key out of `requiredKeys`). */
const noText = fc.constantFrom<string | null>(null, '', ' \n')

/** Realistic serial numbers, or any text within the limit. */
const serialArb = fc.oneof(fc.stringMatching(/^[A-Z0-9]{2,4}-[0-9]{5,8}$/), textArb(40, true))

// ---------------------------------------------------------------------------------------------------------------
// Parts of a report

/** Any instant from the start of national recording to `now`, as an ISO string with milliseconds and Z. */
export const occurredAtArb = (now: Date): fc.Arbitrary<string> =>
  fc
    .oneof(
      { weight: 8, arbitrary: fc.date({ min: EARLIEST_INCIDENT, max: now, noInvalidDate: true }) },
      { weight: 1, arbitrary: fc.constantFrom(EARLIEST_INCIDENT, now) },
    )
    .map((d) => d.toISOString())

export const incidentArb = (now: Date): fc.Arbitrary<IncidentInput> =>
  fc.record({
    occurredAt: occurredAtArb(now),
    locationTypes: some(locationTypes.values, 1),
    area: textArb(100, true),
    planned: fc.boolean(),
  })

export const subjectArb: fc.Arbitrary<SubjectInput> = fc.record(
  {
    ageBand: pick(ageBands.values),
    gender: pick(genders.values),
    perceivedEthnicity: pick(perceivedEthnicities.values),
    selfDefinedEthnicity: fc.option(pick(selfDefinedEthnicities.values), { nil: null }),
    healthCondition: pick(healthConditions.values),
  },
  { requiredKeys: ['ageBand', 'gender', 'perceivedEthnicity', 'healthCondition'] },
)

/** Every tactic an officer can choose but CED and tactical communication (the "not stated" ones are for imports). */
const otherForceTactics = tactics.codes
  .filter((c) => c.useOfForce && !c.importOnly && c.value !== 'ced')
  .map((c) => c.value)

/**
 * 1 to 20 distinct tactics with at least one use of force; CED exactly when `ced`; tactical communication sometimes,
 * alongside. In any order.
 */
const tacticsArb = (ced: boolean): fc.Arbitrary<TacticUseInput[]> =>
  fc
    .tuple(some(otherForceTactics, ced ? 0 : 1, 18), fc.boolean())
    .chain(([chosen, talked]) => {
      const all = [
        ...chosen,
        ...(ced ? (['ced'] as const) : []),
        ...(talked ? (['tactical_communication'] as const) : []),
      ]
      return fc.tuple(fc.shuffledSubarray(all, { minLength: all.length }), fc.array(fc.boolean(), { minLength: 20 }))
    })
    .map(([order, effective]) => order.map((tactic, i) => ({ tactic, effective: effective[i] ?? false })))

const officerArb = (ced: boolean): fc.Arbitrary<OfficerInput> =>
  fc
    .record({
      mainDuty: pick(mainDuties.values),
      singleCrewed: fc.boolean(),
      cedTrained: fc.boolean(),
      cedCarried: fc.boolean(),
      assaultedBySubject: fc.boolean(),
      threatenedWithWeapon: fc.boolean(),
      assaultedWithWeapon: fc.boolean(),
    })
    .map((o) => ({
      ...o,
      cedCarried: o.cedCarried || ced,
      assaultedBySubject: o.assaultedBySubject || o.assaultedWithWeapon,
    }))

const officerInjuryArb: fc.Arbitrary<OfficerInjuryInput> = fc.oneof(
  fc.record({
    injured: fc.constant('yes' as const),
    intentionalAssault: pick(intentionalAssault.values),
    level: pick(officerInjuryLevels.values),
    medicalProvided: fc.boolean(),
  }),
  fc.record(
    {
      injured: fc.constantFrom('no' as const, 'not_reported' as const),
      intentionalAssault: fc.constant(null),
      level: fc.constant(null),
      medicalProvided: fc.boolean(),
    },
    { requiredKeys: ['injured', 'medicalProvided'] },
  ),
)

/** Medical assistance provided only if offered. */
const offeredProvided = fc.constantFrom([false, false], [true, false], [true, true])

const subjectInjuryArb: fc.Arbitrary<SubjectInjuryInput> = fc.oneof(
  fc
    .record(
      {
        injured: fc.constant('yes' as const),
        level: pick(subjectInjuryLevels.values),
        nature: optionalTextArb(500),
        medical: offeredProvided,
      },
      { requiredKeys: ['injured', 'level', 'medical'] },
    )
    .map(({ medical: [medicalOffered, medicalProvided], ...rest }) => ({ ...rest, medicalOffered, medicalProvided })),
  fc
    .record(
      {
        injured: fc.constantFrom('no' as const, 'unknown' as const, 'not_reported' as const),
        level: fc.constant(null),
        nature: noText,
        medical: offeredProvided,
      },
      { requiredKeys: ['injured', 'medical'] },
    )
    .map(({ medical: [medicalOffered, medicalProvided], ...rest }) => ({ ...rest, medicalOffered, medicalProvided })),
)

const nonFatalOutcomes = outcomes.values.filter((v) => v !== 'fatality')

/** Fatality exactly when the person died (and then perhaps nothing else). */
const outcomesArb = (died: boolean) =>
  died
    ? some(nonFatalOutcomes, 0).chain((others) =>
        fc.nat(others.length).map((at) => [...others.slice(0, at), 'fatality' as const, ...others.slice(at)]),
      )
    : some(nonFatalOutcomes, 1)

const bodyWornVideoArb: fc.Arbitrary<BodyWornVideoInput> = fc.oneof(
  fc.record({ activated: fc.constant(true), reference: optionalTextArb(100) }, { requiredKeys: ['activated'] }),
  fc.record({ activated: fc.constant(false), reference: noText }, { requiredKeys: ['activated'] }),
)

// ---------------------------------------------------------------------------------------------------------------
// CED uses

/** Cycle lengths in tenths of a second, with the 5-second boundary and both limits more likely than chance. */
const tenthsArb = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 600 }) },
  { weight: 1, arbitrary: fc.constantFrom(1, 49, 50, 51, 600) },
)

/** A cycle is extended exactly when it lasted over 5 seconds. */
const cycleArb = fc
  .tuple(tenthsArb, fc.boolean())
  .map(([tenths, interrupted]) => ({ seconds: tenths / 10, extended: tenths > 50, interrupted }))

const cartridgeArb = (bays: number) =>
  fc.record(
    { serial: serialArb, bay: fc.option(fc.integer({ min: 1, max: bays }), { nil: null }) },
    { requiredKeys: ['serial'] },
  )

/** Mostly 1 or 2 cartridges (the X2 and TASER 7 hold two), sometimes up to the schema's 10. */
const cartridgeCountArb = (min: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min, max: 2 }) },
    { weight: 1, arbitrary: fc.integer({ min, max: 10 }) },
  )

function maxProbeSites(cartridges: number, probeMiss: string): number {
  if (probeMiss === 'both') return 0
  return 2 * Math.max(cartridges, 1) - (probeMiss === 'one' ? 1 : 0)
}

/** One CED use whose every dependent answer agrees with the levels reached, any combination of levels included. */
export const cedUseArb: fc.Arbitrary<CedUseInput> = fc
  .tuple(some(cedLevels.values, 1), fc.option(pick(cedDeviceModels.values), { nil: null }))
  .chain(([levels, deviceModel]) => {
    const has = (level: CedLevel) => levels.includes(level)
    const fired = has('fired') || has('angle_drive_stun')
    const discharged = levels.some(isDischarge)
    const bays = deviceModel === null ? 10 : cedDeviceModels.byValue(deviceModel).cartridgeBays
    const cartridgeCount = has('fired') ? cartridgeCountArb(1) : fired ? cartridgeCountArb(0) : fc.constant(0)
    return fc
      .record({
        cartridges: cartridgeCount.chain((n) => fc.array(cartridgeArb(bays), { minLength: n, maxLength: n })),
        cycles: discharged
          ? fc.oneof(
              { weight: 3, arbitrary: fc.array(cycleArb, { minLength: 1, maxLength: 3 }) },
              { weight: 1, arbitrary: fc.array(cycleArb, { minLength: 1, maxLength: 20, size: 'max' }) },
            )
          : fc.constant<CedUseInput['cycles']>([]),
        probeMiss: fired
          ? fc.constantFrom('none' as const, 'one' as const, 'both' as const)
          : fc.constant('not_fired' as const),
        repeatCycleSameCartridge: fc.boolean(),
        driveStunRepeat: fc.boolean(),
        sitesSeed: fc.shuffledSubarray([...cedBodySites.values]),
      })
      .chain(({ cartridges, cycles, probeMiss, repeatCycleSameCartridge, driveStunRepeat, sitesSeed }) => {
        const onlyCartridgeCycles = has('fired') && !has('drive_stun') && !has('angle_drive_stun')
        const mustRepeat = onlyCartridgeCycles && cartridges.length > 0 && cycles.length > cartridges.length
        const mayRepeat = fired && cycles.length >= 2
        const probeSites = fired ? sitesSeed.slice(0, maxProbeSites(cartridges.length, probeMiss)) : []
        return fc.record(
          {
            deviceSerial: serialArb,
            deviceModel: fc.constant(deviceModel),
            levels: fc.constant(levels),
            driveStunRepeat: fc.constant(has('drive_stun') && driveStunRepeat),
            cartridges: fc.constant(cartridges),
            cycles: fc.constant(cycles),
            repeatCycleSameCartridge: fc.constant(mustRepeat || (mayRepeat && repeatCycleSameCartridge)),
            probeMiss: fc.constant(probeMiss),
            probeSites: fc.constant(probeSites),
            warningGiven: fc.boolean(),
            distanceMetres: fc.option(
              fc.integer({ min: 0, max: 500 }).map((tenths) => tenths / 10),
              { nil: null },
            ),
            effective: fc.boolean(),
            probesRemovedBy: fired ? pick(probeRemovalOptions) : fc.constant(null),
            medicalCheck: fc.boolean(),
            footageReference: optionalTextArb(100),
          },
          {
            requiredKeys: [
              'deviceSerial',
              'levels',
              'driveStunRepeat',
              'cartridges',
              'cycles',
              'repeatCycleSameCartridge',
              'probeMiss',
              'probeSites',
              'warningGiven',
              'effective',
              'medicalCheck',
              // Fired uses must say who removed the probes; left out it would be null.
              ...(fired ? (['probesRemovedBy'] as const) : []),
            ],
          },
        )
      })
  })

// ---------------------------------------------------------------------------------------------------------------
// Whole reports

export interface SubmissionArbOptions {
  /** At least this many CED uses (0 to 4); with 1 or more the report always has the CED tactic. */
  minCedUses?: number
}

/**
 * Reports that pass `reportSubmission`, `incidentRules(…, now)` and `reportRules`: a new incident between the start
 * of national recording (1 April 2017, UK time) and `now`, a new person, any consistent answers, 0 to 4 CED uses.
 */
export function validSubmissionArb(
  now: Date,
  { minCedUses = 0 }: SubmissionArbOptions = {},
): fc.Arbitrary<SubmissionInput> {
  const cedCount =
    minCedUses > 0 ? fc.integer({ min: minCedUses, max: 4 }) : fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 4 }))
  return fc.tuple(cedCount, subjectInjuryArb).chain(([cedUses, subjectInjury]) => {
    const ced = cedUses > 0
    return fc.record({
      incident: incidentArb(now),
      subject: subjectArb,
      tactics: tacticsArb(ced),
      reasons: some(reasons.values, 1),
      impactFactors: some(impactFactors.values),
      outcomes: outcomesArb(subjectInjury.level === 'death'),
      officer: officerArb(ced),
      subjectConduct: pick(subjectConduct.values),
      officerInjury: officerInjuryArb,
      subjectInjury: fc.constant(subjectInjury),
      bodyWornVideo: bodyWornVideoArb,
      justification: textArb(10_000, true),
      deEscalation: textArb(10_000, true),
      cedUses: fc.array(cedUseArb, { minLength: cedUses, maxLength: cedUses }),
    })
  })
}

// ---------------------------------------------------------------------------------------------------------------
// Invalid payloads

export interface LabelledPayload {
  /** What was broken, for the counterexample. */
  label: string
  payload: unknown
}

type Path = readonly (string | number)[]
type Json = Record<string | number, unknown>

const show = (path: Path) =>
  path
    .map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`))
    .join('')
    .slice(1)

function describeValue(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value)
  if (value === undefined) return 'undefined'
  const text = JSON.stringify(value)
  return text.length > 60 ? `${text.slice(0, 57)}… (${text.length} chars)` : text
}

/** A deep copy with the value at `path` replaced (or removed when `remove`). The path must exist up to its parent. */
function edit(payload: unknown, path: Path, change: { set: unknown } | 'remove'): unknown {
  const copy = structuredClone(payload)
  let parent = copy as Json
  for (const key of path.slice(0, -1)) parent = parent[key] as Json
  const last = path[path.length - 1]!
  if (change === 'remove') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1)
    else Reflect.deleteProperty(parent, last)
  } else {
    parent[last] = change.set
  }
  return copy
}

const get = (payload: unknown, path: Path): unknown =>
  path.reduce<unknown>((node, key) => (node as Json | undefined)?.[key], payload)

const corrupt = (label: string, payload: unknown): LabelledPayload => ({ label, payload })
const setTo = (base: unknown, path: Path, value: unknown, why: string): LabelledPayload =>
  corrupt(`${why}: ${show(path)} = ${describeValue(value)}`, edit(base, path, { set: value }))

type FieldKind = 'string' | 'requiredString' | 'boolean' | 'enum' | 'array' | 'object' | 'number'

/** Required fields of a new-incident, new-person report, and what kind of answer each is. */
const reportFields: readonly [Path, FieldKind][] = [
  [['incident'], 'object'],
  [['incident', 'occurredAt'], 'requiredString'],
  [['incident', 'locationTypes'], 'array'],
  [['incident', 'area'], 'requiredString'],
  [['incident', 'planned'], 'boolean'],
  [['subject'], 'object'],
  [['subject', 'ageBand'], 'enum'],
  [['subject', 'gender'], 'enum'],
  [['subject', 'perceivedEthnicity'], 'enum'],
  [['subject', 'healthCondition'], 'enum'],
  [['tactics'], 'array'],
  [['tactics', 0], 'object'],
  [['tactics', 0, 'tactic'], 'enum'],
  [['tactics', 0, 'effective'], 'boolean'],
  [['reasons'], 'array'],
  [['impactFactors'], 'array'],
  [['outcomes'], 'array'],
  [['officer'], 'object'],
  [['officer', 'mainDuty'], 'enum'],
  [['officer', 'singleCrewed'], 'boolean'],
  [['officer', 'cedTrained'], 'boolean'],
  [['officer', 'cedCarried'], 'boolean'],
  [['officer', 'assaultedBySubject'], 'boolean'],
  [['officer', 'threatenedWithWeapon'], 'boolean'],
  [['officer', 'assaultedWithWeapon'], 'boolean'],
  [['subjectConduct'], 'enum'],
  [['officerInjury'], 'object'],
  [['officerInjury', 'injured'], 'enum'],
  [['officerInjury', 'medicalProvided'], 'boolean'],
  [['subjectInjury'], 'object'],
  [['subjectInjury', 'injured'], 'enum'],
  [['subjectInjury', 'medicalOffered'], 'boolean'],
  [['subjectInjury', 'medicalProvided'], 'boolean'],
  [['bodyWornVideo'], 'object'],
  [['bodyWornVideo', 'activated'], 'boolean'],
  [['justification'], 'requiredString'],
  [['deEscalation'], 'requiredString'],
  [['cedUses'], 'array'],
]

/** Required fields of a CED use, relative to it. */
const cedUseFields: readonly [Path, FieldKind][] = [
  [['deviceSerial'], 'requiredString'],
  [['levels'], 'array'],
  [['driveStunRepeat'], 'boolean'],
  [['cartridges'], 'array'],
  [['cycles'], 'array'],
  [['repeatCycleSameCartridge'], 'boolean'],
  [['probeMiss'], 'enum'],
  [['probeSites'], 'array'],
  [['warningGiven'], 'boolean'],
  [['effective'], 'boolean'],
  [['medicalCheck'], 'boolean'],
]

/** Optional fields: null is a fine answer for them, so only a wrong type breaks them. */
const optionalFields: readonly [Path, FieldKind][] = [
  [['subject', 'selfDefinedEthnicity'], 'enum'],
  [['officerInjury', 'intentionalAssault'], 'enum'],
  [['officerInjury', 'level'], 'enum'],
  [['subjectInjury', 'level'], 'enum'],
  [['subjectInjury', 'nature'], 'string'],
  [['bodyWornVideo', 'reference'], 'string'],
]

const optionalCedUseFields: readonly [Path, FieldKind][] = [
  [['deviceModel'], 'enum'],
  [['distanceMetres'], 'number'],
  [['probesRemovedBy'], 'enum'],
  [['footageReference'], 'string'],
]

/** Values of the wrong type for a kind of field, null included only where `nullable` is false. */
function wrongValues(kind: FieldKind, nullable: boolean): unknown[] {
  const values: Record<FieldKind, unknown[]> = {
    string: [42, true, [], {}, ['text']],
    requiredString: [42, true, [], {}, ['text'], 0],
    boolean: ['true', 'yes', 'false', 1, 0, [], {}, 'on'],
    enum: [1, true, [], {}, ['yes']],
    array: ['protect_self', { 0: 'protect_self' }, 42, true, {}],
    object: [[], 'yes', 42, true, [{}]],
    number: ['5', 'NaN', 'Infinity', '', '2.5', true, [], {}, Number.NaN, Number.POSITIVE_INFINITY],
  }
  return nullable ? values[kind] : [...values[kind], null, undefined]
}

/** Strings no code list holds: near misses, blanks, and the names of properties every JS object has. */
const unknownCodes = [
  'no_such_code',
  'YES',
  'Yes',
  ' yes',
  'fired ',
  'Fired',
  '',
  ' ',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '0',
  'compliant_handcuffing\u0000',
  'CED',
]

/** Single-choice fields, for unknown values. */
const enumFields: readonly Path[] = [
  ['subject', 'ageBand'],
  ['subject', 'gender'],
  ['subject', 'perceivedEthnicity'],
  ['subject', 'selfDefinedEthnicity'],
  ['subject', 'healthCondition'],
  ['tactics', 0, 'tactic'],
  ['officer', 'mainDuty'],
  ['subjectConduct'],
  ['officerInjury', 'injured'],
  ['officerInjury', 'intentionalAssault'],
  ['officerInjury', 'level'],
  ['subjectInjury', 'injured'],
  ['subjectInjury', 'level'],
]

/** Multi-select fields: a value, to make into an unknown one or a duplicate. */
const selectionFields: readonly [Path, string][] = [
  [['incident', 'locationTypes'], 'dwelling'],
  [['reasons'], 'protect_self'],
  [['impactFactors'], 'alcohol'],
  [['outcomes'], 'arrested'],
]

/** Text fields with their maximum lengths, for oversized and (where required) blank answers. */
const textFields: readonly [Path, number, boolean][] = [
  [['incident', 'area'], 100, true],
  [['justification'], 10_000, true],
  [['deEscalation'], 10_000, true],
  [['subjectInjury', 'nature'], 500, false],
  [['bodyWornVideo', 'reference'], 100, false],
]

const cedTextFields: readonly [Path, number, boolean][] = [
  [['deviceSerial'], 40, true],
  [['footageReference'], 100, false],
]

/** Text of exactly `length` code units that trimming does not shorten. */
const oversized = (length: number) =>
  fc.constantFrom('x', 'é', '中', 'Ab').map((unit) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length))

const blank = fc.constantFrom('', ' ', '   ', '\n', '\t \r\n', '\u00a0', '\u3000', '\ufeff')

const at = <T>(list: readonly T[]) => fc.nat(list.length - 1).map((i) => list[i]!)

/** A valid report with at least one CED use, and the index of one of its uses. */
const withCedUse = (now: Date) =>
  validSubmissionArb(now, { minCedUses: 1 }).chain((base) =>
    fc.nat(base.cedUses.length - 1).map((index) => ({ base, index })),
  )

/** A valid report whose CED use `index` is a valid use that `fits`, to be broken in a way only such a use can be. */
const withCedUseThat = (now: Date, fits: (use: CedUseInput) => boolean) =>
  fc.tuple(withCedUse(now), cedUseArb.filter(fits)).map(([{ base, index }, use]) => ({
    base: { ...base, cedUses: base.cedUses.map((u, i) => (i === index ? use : u)) },
    index,
    use,
  }))

const levelsOf = (use: CedUseInput) => new Set<string>(use.levels)
const isFired = (use: CedUseInput) => levelsOf(use).has('fired') || levelsOf(use).has('angle_drive_stun')
const isDischarged = (use: CedUseInput) => use.levels.some((level) => isDischarge(level))

/** A use edited in place; the label names the CED use. */
const breakUse = (
  base: SubmissionInput,
  index: number,
  label: string,
  change: Partial<CedUseInput>,
): LabelledPayload => {
  const cedUses = base.cedUses.map((u, i) => (i === index ? { ...u, ...change } : u))
  return corrupt(`${label} (cedUses[${index}])`, { ...base, cedUses })
}

/** Moves a removed field to a key that would pollute a prototype if the parser merged it naively. */
function smuggle(payload: unknown, path: Path, via: '__proto__' | 'constructor'): unknown {
  const value = get(payload, path)
  const removed = edit(payload, path, 'remove')
  const parentPath = path.slice(0, -1)
  const key = path[path.length - 1]!
  const parent = parentPath.length === 0 ? removed : get(removed, parentPath)
  const carried = JSON.stringify({ [key]: value })
  // JSON.parse makes `__proto__` an own key, as an HTTP body does: an object literal would set the real prototype.
  const text =
    via === '__proto__'
      ? `{"__proto__":${carried},${JSON.stringify(parent).slice(1)}`
      : `{"constructor":{"prototype":${carried}},${JSON.stringify(parent).slice(1)}`
  const replaced: unknown = JSON.parse(text)
  return parentPath.length === 0 ? replaced : edit(removed, parentPath, { set: replaced })
}

/**
 * Payloads the API must refuse, through the schema or the rules: a valid report with one thing broken, or something
 * that is not a report at all.
 */
export function invalidPayloadArb(now: Date): fc.Arbitrary<LabelledPayload> {
  const valid = validSubmissionArb(now)
  const afterLimit = now.getTime() + 5 * 60_000 + 1
  const corruptions: fc.Arbitrary<LabelledPayload>[] = [
    // Not a report at all.
    fc
      .constantFrom<unknown>(null, undefined, [], {}, '', 'report', 42, true, Number.NaN)
      .map((payload) => corrupt(`not a report: ${describeValue(payload)}`, payload)),
    valid.map((base) => corrupt('a report inside an array', [base])),

    // Missing, wrong-typed and null answers.
    fc
      // Not list items: removing one leaves a shorter list, which may well be valid.
      .tuple(valid, at(reportFields.filter(([path]) => typeof path[path.length - 1] === 'string')))
      .map(([base, [path]]) => corrupt(`missing required field ${show(path)}`, edit(base, path, 'remove'))),
    fc
      .tuple(
        valid,
        at([
          ...reportFields.map(([p, k]) => [p, k, false] as const),
          ...optionalFields.map(([p, k]) => [p, k, true] as const),
        ]),
      )
      .chain(([base, [path, kind, nullable]]) =>
        at(wrongValues(kind, nullable)).map((value) => setTo(base, path, value, `wrong type (${kind})`)),
      ),
    fc
      .tuple(
        withCedUse(now),
        at([
          ...cedUseFields.map(([p, k]) => [p, k, false] as const),
          ...optionalCedUseFields.map(([p, k]) => [p, k, true] as const),
        ]),
      )
      .chain(([{ base, index }, [path, kind, nullable]]) =>
        at(wrongValues(kind, nullable)).map((value) =>
          setTo(base, ['cedUses', index, ...path], value, `wrong type (${kind})`),
        ),
      ),
    fc
      .tuple(withCedUse(now), at(cedUseFields))
      .map(([{ base, index }, [path]]) =>
        corrupt(
          `missing required field ${show(['cedUses', index, ...path])}`,
          edit(base, ['cedUses', index, ...path], 'remove'),
        ),
      ),
    fc
      .tuple(
        valid,
        fc.constantFrom<Path>(['tactics', 0], ['incident', 'locationTypes', 0], ['reasons', 0], ['outcomes', 0]),
      )
      .map(([base, path]) => setTo(base, path, null, 'null in a list')),
    fc
      .tuple(withCedUse(now), fc.constantFrom<Path>([], ['levels', 0]))
      .map(([{ base, index }, path]) => setTo(base, ['cedUses', index, ...path], null, 'null in a list')),

    // Unknown codes.
    fc
      .tuple(valid, at(enumFields), at(unknownCodes))
      .map(([base, path, code]) => setTo(base, path, code, 'unknown code')),
    fc
      .tuple(valid, at(selectionFields), at(unknownCodes))
      .map(([base, [path], code]) =>
        setTo(base, path, [...((get(base, path) as unknown[] | undefined) ?? []), code], 'unknown code in a selection'),
      ),
    fc
      .tuple(
        withCedUse(now),
        fc.constantFrom<Path>(['levels'], ['probeSites']),
        at([...unknownCodes, 'front_16', 'back_i', 'FRONT_1']),
      )
      .map(([{ base, index }, path, code]) => {
        const full = ['cedUses', index, ...path]
        return setTo(base, full, [...(get(base, full) as unknown[]), code], 'unknown code in a selection')
      }),
    fc
      .tuple(
        withCedUse(now),
        fc.constantFrom<Path>(['deviceModel'], ['probeMiss'], ['probesRemovedBy']),
        at(unknownCodes),
      )
      .map(([{ base, index }, path, code]) => setTo(base, ['cedUses', index, ...path], code, 'unknown code')),

    // Selections that must not be empty, or repeat a value.
    fc
      .tuple(valid, fc.constantFrom<Path>(['tactics'], ['reasons'], ['outcomes'], ['incident', 'locationTypes']))
      .map(([base, path]) => setTo(base, path, [], 'empty list')),
    withCedUse(now).map(({ base, index }) => setTo(base, ['cedUses', index, 'levels'], [], 'empty list')),
    fc.tuple(valid, at(selectionFields)).map(([base, [path, fallback]]) => {
      const values = (get(base, path) as unknown[] | undefined) ?? []
      const again = values[0] ?? fallback
      return setTo(
        base,
        path,
        [...values, again, ...(values.length === 0 ? [again] : [])],
        'a selection repeats a value',
      )
    }),
    fc.tuple(withCedUse(now), fc.constantFrom('levels', 'probeSites')).map(([{ base, index }, key]) => {
      const path = ['cedUses', index, key]
      const values = get(base, path) as string[]
      const again = values[0] ?? 'front_1'
      return setTo(
        base,
        path,
        [...values, again, ...(values.length === 0 ? [again] : [])],
        'a selection repeats a value',
      )
    }),

    // Text too long, or blank where required.
    fc.tuple(valid, at(textFields)).chain(([base, [path, max]]) =>
      fc
        .integer({ min: max + 1, max: max + 50 })
        .chain(oversized)
        .map((text) => setTo(base, path, text, `text over ${max} characters`)),
    ),
    fc
      .tuple(withCedUse(now), at(cedTextFields))
      .chain(([{ base, index }, [path, max]]) =>
        oversized(max + 1).map((text) => setTo(base, ['cedUses', index, ...path], text, `text over ${max} characters`)),
      ),
    fc
      .tuple(valid, at(textFields.filter(([, , required]) => required)), blank)
      .map(([base, [path], text]) => setTo(base, path, text, 'blank required text')),
    fc
      .tuple(
        withCedUseThat(now, (use) => use.cartridges.length > 0),
        blank,
      )
      .map(([{ base, index, use }, text]) =>
        breakUse(base, index, `blank cartridge serial ${describeValue(text)}`, {
          cartridges: use.cartridges.map((c, k) => (k === 0 ? { ...c, serial: text } : c)),
        }),
      ),
    fc.tuple(withCedUseThat(now, (use) => use.cartridges.length > 0)).map(([{ base, index, use }]) =>
      breakUse(base, index, 'cartridge serial over 40 characters', {
        cartridges: use.cartridges.map((c, k) => (k === 0 ? { ...c, serial: 'S'.repeat(41) } : c)),
      }),
    ),

    // Numbers out of range.
    fc
      .tuple(
        withCedUseThat(now, (use) => use.cycles.length > 0),
        fc.constantFrom(0, 0.05, -1, -0.1, 60.1, 61, 5.05, 2.55, 1e9, Number.MAX_VALUE, Number.MIN_VALUE),
      )
      .map(([{ base, index, use }, seconds]) =>
        breakUse(base, index, `cycle of ${seconds} seconds`, {
          cycles: use.cycles.map((c, k) => (k === 0 ? { ...c, seconds, extended: seconds > 5 } : c)),
        }),
      ),
    fc
      .tuple(withCedUse(now), fc.constantFrom(-0.1, -1, 50.1, 51, 1e6, Number.NEGATIVE_INFINITY))
      .map(([{ base, index }, distance]) =>
        setTo(base, ['cedUses', index, 'distanceMetres'], distance, 'distance out of range'),
      ),
    fc
      .tuple(
        withCedUseThat(now, (use) => use.cartridges.length > 0),
        fc.constantFrom(0, -1, 11, 1.5, '1', Number.NaN),
      )
      .map(([{ base, index, use }, bay]) =>
        breakUse(base, index, `cartridge bay ${describeValue(bay)}`, {
          cartridges: use.cartridges.map((c, k) => (k === 0 ? { ...c, bay } : c)) as CedUseInput['cartridges'],
        }),
      ),
    withCedUseThat(now, (use) => use.cartridges.length > 0 && (use.deviceModel ?? 'taser_10') !== 'taser_10').chain(
      ({ base, index, use }) => {
        const bays = cedDeviceModels.byValue(use.deviceModel ?? 'x2').cartridgeBays
        return fc.integer({ min: bays + 1, max: 10 }).map((bay) =>
          breakUse(base, index, `bay ${bay} on a ${use.deviceModel ?? ''}`, {
            cartridges: use.cartridges.map((c, k) => (k === 0 ? { ...c, bay } : c)),
          }),
        )
      },
    ),

    // Arrays where objects belong and objects where arrays belong.
    fc
      .tuple(
        valid,
        fc.constantFrom<Path>(
          ['incident'],
          ['subject'],
          ['officer'],
          ['officerInjury'],
          ['subjectInjury'],
          ['bodyWornVideo'],
          ['tactics', 0],
        ),
      )
      .map(([base, path]) => setTo(base, path, [get(base, path)], 'an object wrapped in an array')),
    fc
      .tuple(valid, fc.constantFrom<Path>(['tactics'], ['reasons'], ['outcomes'], ['incident', 'locationTypes']))
      .map(([base, path]) => setTo(base, path, { ...(get(base, path) as unknown[]) }, 'a list sent as an object')),

    // Lists over their limits.
    fc.tuple(valid, fc.integer({ min: 21, max: 40 })).map(([base, n]) =>
      setTo(
        base,
        ['tactics'],
        Array.from({ length: n }, (_, i) => ({
          tactic: otherForceTactics[i % otherForceTactics.length],
          effective: true,
        })),
        `${n} tactics`,
      ),
    ),
    fc.tuple(withCedUse(now), fc.integer({ min: 5, max: 8 })).map(([{ base }, n]) =>
      corrupt(`${n} CED uses`, {
        ...base,
        cedUses: Array.from({ length: n }, (_, i) => validCedUse(i % 2 ? 'fired' : 'aimed')),
      }),
    ),
    fc.tuple(withCedUseThat(now, isDischarged), fc.integer({ min: 21, max: 30 })).map(([{ base, index }, n]) =>
      breakUse(base, index, `${n} cycles`, {
        cycles: Array.from({ length: n }, () => ({ seconds: 1, extended: false, interrupted: false })),
        repeatCycleSameCartridge: true,
      }),
    ),
    fc.tuple(withCedUseThat(now, isFired), fc.integer({ min: 11, max: 15 })).map(([{ base, index }, n]) =>
      breakUse(base, index, `${n} cartridges`, {
        cartridges: Array.from({ length: n }, (_, i) => ({ serial: `C-${i}`, bay: null })),
      }),
    ),

    // Dates.
    fc
      .tuple(valid, fc.integer({ min: 0, max: 10 * 365 * 86_400_000 }))
      .map(([base, ms]) =>
        setTo(base, ['incident', 'occurredAt'], new Date(afterLimit + ms).toISOString(), 'in the future'),
      ),
    fc
      .tuple(valid, fc.integer({ min: 0, max: 100 * 365 * 86_400_000 }))
      .map(([base, ms]) =>
        setTo(
          base,
          ['incident', 'occurredAt'],
          new Date(EARLIEST_INCIDENT.getTime() - 1 - ms).toISOString(),
          'before recording began',
        ),
      ),
    fc
      .tuple(
        valid,
        fc.constantFrom(
          '2017-03-31T23:59:59.999+01:00',
          '2017-03-31T00:00:00Z',
          '2020-02-30T10:00:00Z',
          '2021-13-01T10:00:00Z',
          '2021-06-01T24:00:00Z',
          '2021-06-01T10:00:00',
          '2021-06-01',
          '2021-06-01 10:00:00Z',
          '01/06/2021 10:00',
          'yesterday',
          '',
          '2021-06-01T10:00:00+25:00',
          '+002021-06-01T10:00:00Z',
          '1623000000000',
        ),
      )
      .map(([base, text]) => setTo(base, ['incident', 'occurredAt'], text, 'not a valid date')),
    fc
      .tuple(
        valid,
        fc.constantFrom<unknown>(1_623_000_000_000, { $date: '2021-06-01T10:00:00Z' }, ['2021-06-01T10:00:00Z']),
      )
      .map(([base, value]) => setTo(base, ['incident', 'occurredAt'], value, 'a date that is not a string')),
    fc
      .tuple(
        valid,
        fc.constantFrom<unknown>(
          { reference: '' },
          { reference: '  ' },
          { reference: 'R'.repeat(41) },
          {},
          { reference: 7 },
        ),
      )
      .map(([base, incident]) => setTo(base, ['incident'], incident, 'a bad incident reference')),
    fc
      .tuple(valid, fc.constantFrom<unknown>({ id: 'not-a-uuid' }, { id: '' }, { id: 42 }, {}, { id: null }))
      .map(([base, subject]) => setTo(base, ['subject'], subject, 'a bad person id')),

    // Prototype pollution: a required answer moved under a key that would leak it into every object.
    fc
      .tuple(
        valid,
        fc.constantFrom<Path>(
          ['justification'],
          ['tactics'],
          ['officer', 'cedCarried'],
          ['incident', 'occurredAt'],
          ['subject', 'ageBand'],
        ),
        fc.constantFrom('__proto__' as const, 'constructor' as const),
      )
      .map(([base, path, via]) => corrupt(`${show(path)} moved under ${via}`, smuggle(base, path, via))),

    // Rules about tactics and CED uses.
    fc.tuple(valid, fc.boolean()).map(([base, effective]) =>
      corrupt('tactical communication alone', {
        ...base,
        tactics: [{ tactic: 'tactical_communication', effective }],
        cedUses: [],
      }),
    ),
    withCedUse(now).map(({ base }) => corrupt('CED tactic without a CED use', { ...base, cedUses: [] })),
    withCedUse(now).map(({ base }) =>
      corrupt('CED use without the CED tactic', { ...base, tactics: base.tactics.filter((t) => t.tactic !== 'ced') }),
    ),
    withCedUse(now).map(({ base }) =>
      corrupt('CED used but not carried', { ...base, officer: { ...base.officer, cedCarried: false } }),
    ),
    withCedUseThat(now, (use) => levelsOf(use).has('fired')).map(({ base, index }) =>
      breakUse(base, index, 'fired with no cartridge', { cartridges: [] }),
    ),
    withCedUseThat(now, (use) => !isFired(use)).map(({ base, index }) =>
      breakUse(base, index, 'a cartridge but not fired', { cartridges: [{ serial: 'AFID-1', bay: 1 }] }),
    ),
    withCedUseThat(now, isDischarged).map(({ base, index }) =>
      breakUse(base, index, 'a discharge with no cycles', { cycles: [] }),
    ),
    withCedUseThat(now, (use) => !isDischarged(use)).map(({ base, index }) =>
      breakUse(base, index, 'a cycle but no discharge', {
        cycles: [{ seconds: 1, extended: false, interrupted: false }],
      }),
    ),
    fc
      .tuple(withCedUseThat(now, isDischarged), fc.integer({ min: 51, max: 600 }))
      .map(([{ base, index, use }, tenths]) =>
        breakUse(base, index, `a ${tenths / 10}-second cycle not marked extended`, {
          cycles: use.cycles.map((c, k) => (k === 0 ? { ...c, seconds: tenths / 10, extended: false } : c)),
        }),
      ),
    fc.tuple(withCedUseThat(now, isDischarged), fc.integer({ min: 1, max: 50 })).map(([{ base, index, use }, tenths]) =>
      breakUse(base, index, `a ${tenths / 10}-second cycle marked extended`, {
        cycles: use.cycles.map((c, k) => (k === 0 ? { ...c, seconds: tenths / 10, extended: true } : c)),
      }),
    ),
    withCedUseThat(now, (use) => !levelsOf(use).has('drive_stun')).map(({ base, index }) =>
      breakUse(base, index, 'repeat drive-stun without drive-stun', { driveStunRepeat: true }),
    ),
    withCedUseThat(
      now,
      (use) => levelsOf(use).has('fired') && !levelsOf(use).has('drive_stun') && !levelsOf(use).has('angle_drive_stun'),
    ).map(({ base, index, use }) =>
      breakUse(base, index, 'more cycles than cartridges, no repeat', {
        cycles: Array.from({ length: use.cartridges.length + 1 }, () => ({
          seconds: 5,
          extended: false,
          interrupted: false,
        })),
        repeatCycleSameCartridge: false,
      }),
    ),
    withCedUseThat(now, (use) => !isFired(use)).map(({ base, index }) =>
      breakUse(base, index, 'a cartridge cycled again, not fired', { repeatCycleSameCartridge: true }),
    ),
    withCedUseThat(now, (use) => isFired(use) && use.cycles.length === 1).map(({ base, index }) =>
      breakUse(base, index, 'a cartridge cycled again in one cycle', { repeatCycleSameCartridge: true }),
    ),
    withCedUseThat(now, isFired).map(({ base, index }) =>
      breakUse(base, index, 'fired, probe miss "not fired"', { probeMiss: 'not_fired' }),
    ),
    fc
      .tuple(
        withCedUseThat(now, (use) => !isFired(use)),
        fc.constantFrom('none' as const, 'one' as const, 'both' as const),
      )
      .map(([{ base, index }, probeMiss]) =>
        breakUse(base, index, `not fired, probe miss "${probeMiss}"`, { probeMiss }),
      ),
    fc
      .tuple(
        withCedUseThat(now, (use) => !isFired(use)),
        fc.shuffledSubarray([...cedBodySites.values], { minLength: 1, maxLength: 2 }),
      )
      .map(([{ base, index }, probeSites]) => breakUse(base, index, 'probe sites but not fired', { probeSites })),
    withCedUseThat(now, isFired).chain(({ base, index, use }) => {
      const max = maxProbeSites(use.cartridges.length, use.probeMiss ?? 'none')
      return fc
        .shuffledSubarray([...cedBodySites.values], { minLength: max + 1 })
        .map((probeSites) => breakUse(base, index, `${probeSites.length} probe sites, ${max} at most`, { probeSites }))
    }),
    withCedUseThat(now, isFired).map(({ base, index }) =>
      breakUse(base, index, 'fired, nobody said who removed the probes', { probesRemovedBy: null }),
    ),
    fc
      .tuple(
        withCedUseThat(now, (use) => !isFired(use)),
        pick(probeRemovalOptions),
      )
      .map(([{ base, index }, probesRemovedBy]) =>
        breakUse(base, index, `not fired, probes removed by ${probesRemovedBy}`, { probesRemovedBy }),
      ),

    // Rules about the officer, injuries, outcomes and video.
    valid.map((base) =>
      corrupt('assaulted with a weapon but not assaulted', {
        ...base,
        officer: { ...base.officer, assaultedWithWeapon: true, assaultedBySubject: false },
      }),
    ),
    valid.map((base) =>
      corrupt('officer injured, no level', {
        ...base,
        officerInjury: { ...base.officerInjury, injured: 'yes', intentionalAssault: 'no', level: null },
      }),
    ),
    valid.map((base) =>
      corrupt('officer injured, intentional assault not said', {
        ...base,
        officerInjury: { ...base.officerInjury, injured: 'yes', level: 'minor', intentionalAssault: null },
      }),
    ),
    fc
      .tuple(valid, fc.constantFrom('no' as const, 'not_reported' as const), pick(officerInjuryLevels.values))
      .map(([base, injured, level]) =>
        corrupt(`officer injured "${injured}" with level ${level}`, {
          ...base,
          officerInjury: { ...base.officerInjury, injured, level, intentionalAssault: null },
        }),
      ),
    fc
      .tuple(valid, fc.constantFrom('no' as const, 'not_reported' as const), pick(intentionalAssault.values))
      .map(([base, injured, intentional]) =>
        corrupt(`officer injured "${injured}", intentional assault ${intentional}`, {
          ...base,
          officerInjury: { ...base.officerInjury, injured, level: null, intentionalAssault: intentional },
        }),
      ),
    valid.map((base) =>
      corrupt('person injured, no level', {
        ...base,
        subjectInjury: { ...base.subjectInjury, injured: 'yes', level: null },
        outcomes: ['arrested'],
      }),
    ),
    fc
      .tuple(
        valid,
        fc.constantFrom('no' as const, 'unknown' as const, 'not_reported' as const),
        pick(subjectInjuryLevels.values),
      )
      .map(([base, injured, level]) =>
        corrupt(`person injured "${injured}" with level ${level}`, {
          ...base,
          subjectInjury: { ...base.subjectInjury, injured, level },
        }),
      ),
    fc
      .tuple(valid, fc.constantFrom('no' as const, 'unknown' as const, 'not_reported' as const), textArb(500, true))
      .map(([base, injured, nature]) =>
        corrupt(`person injured "${injured}" with a description`, {
          ...base,
          subjectInjury: { ...base.subjectInjury, injured, level: null, nature },
        }),
      ),
    valid.map((base) =>
      corrupt('medical help provided, not offered', {
        ...base,
        subjectInjury: { ...base.subjectInjury, medicalOffered: false, medicalProvided: true },
      }),
    ),
    valid.map((base) =>
      corrupt('died, no fatality outcome', {
        ...base,
        subjectInjury: { ...base.subjectInjury, injured: 'yes', level: 'death' },
        outcomes: ['hospitalised'],
      }),
    ),
    valid
      .filter((base) => base.subjectInjury.level !== 'death')
      .map((base) => corrupt('fatality outcome, no death', { ...base, outcomes: ['fatality', ...base.outcomes] })),
    fc
      .tuple(valid, fc.stringMatching(/^[A-Z0-9-]{1,20}$/))
      .map(([base, reference]) =>
        corrupt('video reference, video off', { ...base, bodyWornVideo: { activated: false, reference } }),
      ),
  ]
  return fc.oneof(...corruptions)
}
