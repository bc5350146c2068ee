import type { z } from 'zod'
import { createRandom, type Random } from '../../src/db/seed/random.js'
import type { CedLevel } from '../../src/domain/use-of-force/ced.js'
import { cedBodySites } from '../../src/domain/use-of-force/ced.js'
import type { incidentDetails } from '../../src/domain/use-of-force/report.js'
import { reportSubmission, type ReportSubmission } from '../../src/domain/use-of-force/report.js'
import { incidentRules, reportRules } from '../../src/domain/use-of-force/rules.js'
import { selfDefinedEthnicities } from '../../src/domain/use-of-force/subject.js'

/**
 * Realistic, valid report payloads for the write benchmarks, from a seeded generator so every run submits the same
 * mix: most reports without a CED, about 7% with one (mostly drawn, aimed or red-dotted; about one in six of those
 * fired, with cartridges and cycles), injuries, video and free text shaped like real reports. Each payload is checked
 * against the schema and the rules here, so a generator bug fails before anything is timed.
 */

export type SubmissionInput = z.input<typeof reportSubmission>
type CedUseInput = SubmissionInput['cedUses'][number]
type TacticInput = SubmissionInput['tactics'][number]

export interface GeneratedPayload {
  /** What a client sends, before any key: the same object for every target. */
  input: SubmissionInput
  /** The schema's output, as the route hands it to `submitReport`. */
  parsed: ReportSubmission
  /** Whether the report has a CED use, and whether one was a discharge with cycles. */
  ced: boolean
  cycles: number
}

type Weighted<T> = readonly (readonly [T, number])[]

const areas = [
  'Borough High Street, Southwark',
  'Station Road, Harrow',
  'Market Square, Northampton',
  'Canal Street, Manchester',
  'Broad Street, Birmingham',
  'Queen Street, Cardiff',
  'Clifton Triangle, Bristol',
  'Lower Briggate, Leeds',
  'The Headrow, Leeds',
  'Castle Boulevard, Nottingham',
  'Mill Lane estate',
  'Custody suite, Central',
  'A&E, General Hospital',
  'Riverside retail park',
  'Bus station, Northgate',
  'Seafront promenade',
] as const

const locations: Weighted<z.input<typeof incidentDetails>['locationTypes'][number]> = [
  ['street_highway', 40],
  ['dwelling', 20],
  ['custody_block', 8],
  ['police_vehicle_with_cage', 4],
  ['police_vehicle_without_cage', 2],
  ['retail_premises', 6],
  ['licensed_premises', 6],
  ['open_ground', 3],
  ['public_transport', 2],
  ['hospital', 3],
  ['mental_health_setting', 1],
  ['police_station', 2],
  ['sports_event_stadia', 1],
  ['ambulance', 1],
  ['other', 1],
]

const subjectSeeds = {
  ageBand: [
    ['age_18_34', 55],
    ['age_35_49', 25],
    ['age_11_17', 9],
    ['age_50_64', 6],
    ['age_65_and_over', 1],
    ['under_11', 0.3],
    ['not_reported', 3.7],
  ],
  gender: [
    ['male', 82],
    ['female', 16],
    ['other', 0.5],
    ['not_reported', 1.5],
  ],
  perceived: [
    ['white', 70],
    ['black', 14],
    ['asian', 8],
    ['mixed', 3],
    ['other', 2],
    ['not_reported', 3],
  ],
  health: [
    ['none', 58],
    ['mental', 22],
    ['physical', 5],
    ['physical_and_mental', 5],
    ['not_reported', 10],
  ],
} as const

/** Non-CED tactics with the chance each appears on a report (they overlap: a report usually has two or three). */
const tacticChances: readonly (readonly [TacticInput['tactic'], number])[] = [
  ['non_compliant_handcuffing', 0.5],
  ['compliant_handcuffing', 0.25],
  ['unarmed_skills', 0.4],
  ['ground_restraint', 0.15],
  ['limb_body_restraints', 0.08],
  ['spit_and_bite_guard', 0.03],
  ['irritant_spray_pava_drawn', 0.03],
  ['irritant_spray_pava_used', 0.02],
  ['baton_drawn', 0.02],
  ['shield', 0.01],
  ['dog_deployed', 0.01],
  ['other_improvised', 0.02],
]

const reasonChances: readonly (readonly [SubmissionInput['reasons'][number], number])[] = [
  ['protect_self', 0.6],
  ['effect_arrest', 0.55],
  ['protect_public', 0.2],
  ['protect_other_officers', 0.18],
  ['prevent_harm', 0.22],
  ['prevent_offence', 0.18],
  ['protect_subject', 0.12],
  ['prevent_escape', 0.12],
  ['effect_search', 0.05],
  ['secure_evidence', 0.03],
  ['method_of_entry', 0.01],
  ['remove_handcuffs', 0.01],
  ['other', 0.02],
]

const impactChances: readonly (readonly [SubmissionInput['impactFactors'][number], number])[] = [
  ['alcohol', 0.4],
  ['drugs', 0.2],
  ['size_gender_build', 0.25],
  ['mental_health', 0.2],
  ['prior_knowledge', 0.2],
  ['possession_of_weapon', 0.07],
  ['acute_behavioural_disturbance', 0.03],
  ['crowd', 0.05],
  ['other', 0.03],
]

const cedLevelWeights: Weighted<CedLevel> = [
  ['drawn', 25],
  ['aimed', 10],
  ['red_dot', 44],
  ['arced', 3],
  ['drive_stun', 4],
  ['fired', 13],
  ['angle_drive_stun', 1],
]

const levelsReaching: Record<CedLevel, CedLevel[]> = {
  drawn: ['drawn'],
  aimed: ['drawn', 'aimed'],
  red_dot: ['drawn', 'aimed', 'red_dot'],
  arced: ['drawn', 'arced'],
  drive_stun: ['drawn', 'drive_stun'],
  fired: ['drawn', 'aimed', 'red_dot', 'fired'],
  angle_drive_stun: ['drawn', 'aimed', 'red_dot', 'angle_drive_stun'],
}

const justifications = [
  'The man punched me in the face when I told him he was under arrest for assault.',
  'She refused to leave the premises after being asked several times by staff and then by me.',
  'He tried to run into the road towards traffic while in crisis and would not stop when asked.',
  'The suspect matched the description of a man seen leaving a burglary and pulled away when I took hold of his arm.',
  'He became violent in the custody suite during the booking-in process and kicked out at the detention officer.',
  'She was trying to harm herself with a piece of broken glass and would not put it down.',
  'He was shouting threats at door staff and squared up to my colleague when we intervened.',
  'The man was wanted on warrant and tried to push past me to get out of the flat.',
]

const reasonsText = [
  'I used the minimum force necessary to take control of him and prevent further injury to anyone present.',
  'Handcuffs were applied to prevent escape and to protect him, the public and my colleagues.',
  'I judged that taking him to the ground was the safest way to end the struggle quickly.',
  'Other options, including tactical communication, had been tried and had not worked.',
  'I kept the restraint as short as possible and moved him into the recovery position straight away.',
]

const deEscalations = [
  'I spoke calmly, explained why he was being detained and gave him time to comply.',
  'We gave her space, lowered our voices and asked what was upsetting her before taking any action.',
  'I explained the options available to him and warned him clearly what would happen if he did not comply.',
  'My colleague, who knew him from previous contact, tried to talk him down for several minutes.',
  'He struck me without warning, so there was no opportunity to de-escalate beforehand.',
]

const cedJustifications = [
  'The man advanced on us holding a kitchen knife and ignored repeated commands to drop it.',
  'He was armed with a bottle and threatening to glass anyone who came near him.',
  'She was standing over her partner with a hammer and would not step away when told to.',
  'He had barricaded himself in the kitchen with a knife and was threatening to use it on himself.',
]

function chances<T>(rng: Random, list: readonly (readonly [T, number])[]): T[] {
  return list.filter(([, p]) => rng.chance(p)).map(([value]) => value)
}

/** An opening sentence and `more` different ones after it, as an officer writes: short, concrete, first person. */
function prose(rng: Random, opening: readonly string[], rest: readonly string[], more: number): string {
  const first = rng.pick(opening)
  return [first, ...rng.shuffle(rest.filter((s) => s !== first)).slice(0, more)].join(' ')
}

function bwvReference(rng: Random, at: Date): string {
  const stamp = at.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-')
  return `BWV-${rng.int(1000, 9999)}-${stamp}`
}

function cedUse(rng: Random, level: CedLevel, at: Date): CedUseInput {
  const model = rng.weighted([
    ['x2', 60],
    ['taser_7', 30],
    ['x26', 5],
    ['taser_10', 5],
  ] as const)
  const common = {
    deviceSerial: `${model === 'x26' ? 'X00' : 'X29'}-${rng.int(10_000_000, 99_999_999)}`,
    deviceModel: model,
    levels: [...levelsReaching[level]],
    driveStunRepeat: false,
    repeatCycleSameCartridge: false,
    warningGiven: rng.chance(0.9),
    effective: rng.chance(0.8),
    medicalCheck: false,
    footageReference: rng.chance(0.9) ? bwvReference(rng, at) : null,
  }
  if (level === 'fired' || level === 'angle_drive_stun') {
    const bays = model === 'x26' ? 1 : model === 'taser_10' ? 10 : 2
    const cartridges = Array.from({ length: bays > 1 && rng.chance(0.2) ? 2 : 1 }, (_, i) => ({
      serial: `AFID-${rng.int(100, 999)}-${rng.int(10_000, 99_999)}`,
      bay: i + 1,
    }))
    const cycles = Array.from(
      {
        length: rng.weighted([
          [1, 70],
          [2, 22],
          [3, 8],
        ] as const),
      },
      () => {
        const seconds = rng.weighted([
          [5, 70],
          [2.5, 8],
          [3, 6],
          [4, 6],
          [7.5, 6],
          [10, 4],
        ] as const)
        return { seconds, extended: seconds > 5, interrupted: seconds < 5 }
      },
    )
    const probeMiss = rng.weighted([
      ['none', 75],
      ['one', 15],
      ['both', 10],
    ] as const)
    const maxSites = probeMiss === 'both' ? 0 : 2 * cartridges.length - (probeMiss === 'one' ? 1 : 0)
    const sites = rng.shuffle(cedBodySites.values).slice(0, maxSites === 0 ? 0 : rng.int(1, maxSites))
    return {
      ...common,
      cartridges,
      cycles,
      // More cycles than cartridges means one was cycled again; angled drive-stuns may say so too.
      repeatCycleSameCartridge: cycles.length > cartridges.length,
      probeMiss,
      probeSites: sites,
      distanceMetres: rng.int(3, 14) / 2,
      probesRemovedBy: rng.weighted([
        ['medical_staff', 60],
        ['officer', 30],
        ['not_required', 10],
      ] as const),
      medicalCheck: rng.chance(0.85),
    }
  }
  const nothingFired = {
    cartridges: [],
    probeMiss: 'not_fired' as const,
    probeSites: [],
    distanceMetres: null,
  }
  if (level === 'drive_stun') {
    const repeat = rng.chance(0.25)
    return {
      ...common,
      ...nothingFired,
      driveStunRepeat: repeat,
      cycles: Array.from({ length: repeat ? 2 : 1 }, () => ({ seconds: 2.5, extended: false, interrupted: true })),
      probesRemovedBy: null,
    }
  }
  return { ...common, ...nothingFired, cycles: [], probesRemovedBy: null }
}

function submission(rng: Random, now: Date): SubmissionInput {
  // Reports arrive up to a fortnight after the incident, most within a day.
  const occurredAt = new Date(now.getTime() - rng.int(30, 24 * 60) * 60_000 * (rng.chance(0.8) ? 1 : 14))
  const withCed = rng.chance(0.07)
  const perceived = rng.weighted(subjectSeeds.perceived)
  const selfDefined = selfDefinedEthnicities.codes.filter((c) => c.perceivedGroup === perceived).map((c) => c.value)
  const location = rng.weighted(locations)
  const second = rng.chance(0.15) ? rng.weighted(locations) : location
  const locationTypes = second === location ? [location] : [location, second]

  let tactics: TacticInput[] = chances(rng, tacticChances).map((tactic) => ({ tactic, effective: rng.chance(0.85) }))
  if (withCed) tactics.push({ tactic: 'ced', effective: rng.chance(0.8) })
  if (!tactics.length) tactics.push({ tactic: 'unarmed_skills', effective: true })
  tactics = rng.shuffle(tactics)
  if (rng.chance(0.7)) tactics.unshift({ tactic: 'tactical_communication', effective: rng.chance(0.3) })

  const reasons = chances(rng, reasonChances)
  const impacts = chances(rng, impactChances)
  if (withCed && !impacts.includes('possession_of_weapon') && rng.chance(0.6)) impacts.push('possession_of_weapon')
  const outcomes = [
    ...(rng.chance(0.75) ? (['arrested'] as const) : []),
    ...(rng.chance(0.06) ? (['detained_mental_health_act'] as const) : []),
    ...(rng.chance(0.04) ? (['hospitalised'] as const) : []),
    ...(rng.chance(0.03) ? (['made_off_escaped'] as const) : []),
  ]

  const assaulted = rng.chance(0.3)
  const cedTrained = withCed || rng.chance(0.3)
  const officerInjured = rng.weighted([
    ['no', 85],
    ['yes', 12],
    ['not_reported', 3],
  ] as const)
  const subjectInjured = rng.weighted([
    ['no', 78],
    ['yes', 15],
    ['unknown', 4],
    ['not_reported', 3],
  ] as const)
  const medicalOffered = subjectInjured === 'yes' ? rng.chance(0.8) : rng.chance(0.2)
  const bwvOn = rng.chance(0.92)

  const uses: CedUseInput[] = []
  if (withCed) {
    uses.push(cedUse(rng, rng.weighted(cedLevelWeights), occurredAt))
    if (rng.chance(0.05)) uses.push(cedUse(rng, rng.weighted(cedLevelWeights), occurredAt))
  }
  return {
    incident: {
      occurredAt: occurredAt.toISOString(),
      locationTypes,
      area: rng.pick(areas),
      planned: rng.chance(0.08),
    },
    subject: {
      ageBand: rng.weighted(subjectSeeds.ageBand),
      gender: rng.weighted(subjectSeeds.gender),
      perceivedEthnicity: perceived,
      selfDefinedEthnicity: selfDefined.length && rng.chance(0.6) ? rng.pick(selfDefined) : null,
      healthCondition: rng.weighted(subjectSeeds.health),
    },
    tactics,
    reasons: reasons.length ? reasons : ['effect_arrest'],
    impactFactors: impacts,
    outcomes: outcomes.length ? outcomes : ['other'],
    officer: {
      mainDuty: rng.weighted([
        ['response', 65],
        ['neighbourhood', 10],
        ['custody', 7],
        ['roads_policing', 4],
        ['public_order', 4],
        ['firearms', 2],
        ['dog_unit', 1],
        ['investigation', 4],
        ['other', 3],
      ] as const),
      singleCrewed: rng.chance(0.2),
      cedTrained,
      cedCarried: withCed || (cedTrained && rng.chance(0.7)),
      assaultedBySubject: assaulted,
      threatenedWithWeapon: withCed ? rng.chance(0.5) : rng.chance(0.04),
      assaultedWithWeapon: assaulted && rng.chance(0.05),
    },
    subjectConduct: rng.weighted([
      ['compliant', 5],
      ['passive_resistance', 15],
      ['verbal_resistance', 15],
      ['active_resistance', 35],
      ['aggressive_resistance', 25],
      ['serious_aggravated_resistance', 5],
    ] as const),
    officerInjury:
      officerInjured === 'yes'
        ? {
            injured: 'yes',
            intentionalAssault: rng.weighted([
              ['yes', 70],
              ['no', 25],
              ['not_reported', 5],
            ] as const),
            level: rng.weighted([
              ['minor', 90],
              ['severe', 3],
              ['not_reported', 7],
            ] as const),
            medicalProvided: rng.chance(0.2),
          }
        : { injured: officerInjured, intentionalAssault: null, level: null, medicalProvided: false },
    subjectInjury:
      subjectInjured === 'yes'
        ? {
            injured: 'yes',
            level: rng.weighted([
              ['minor', 90],
              ['severe', 2],
              ['not_reported', 8],
            ] as const),
            nature: rng.pick([
              'Graze to the left knee when taken to the ground',
              'Reddening to both wrists from the handcuffs',
              'Small cut above the right eye from a fall before police arrived',
              'Probe marks to the back, dressed by paramedics',
            ]),
            medicalOffered,
            medicalProvided: medicalOffered && rng.chance(0.5),
          }
        : { injured: subjectInjured, level: null, nature: null, medicalOffered, medicalProvided: false },
    bodyWornVideo: { activated: bwvOn, reference: bwvOn && rng.chance(0.9) ? bwvReference(rng, occurredAt) : null },
    justification: withCed
      ? prose(rng, cedJustifications, reasonsText, rng.int(1, 3))
      : prose(rng, justifications, reasonsText, rng.int(1, 3)),
    deEscalation: prose(rng, deEscalations, deEscalations, rng.int(0, 1)),
    cedUses: uses,
  }
}

/** `count` payloads, the same ones for the same seed and `now` (to the minute). */
export function generatePayloads(count: number, options: { seed?: number; now?: Date } = {}): GeneratedPayload[] {
  const rng = createRandom(options.seed ?? 20_261_122)
  const now = options.now ?? new Date()
  const out: GeneratedPayload[] = []
  for (let i = 0; i < count; i++) {
    const input = submission(rng, now)
    const parsed = reportSubmission.safeParse(input)
    if (!parsed.success) throw new Error(`bench payload ${i} fails the schema: ${parsed.error.message}`)
    const incident = parsed.data.incident
    const issues = [...('occurredAt' in incident ? incidentRules(incident, now) : []), ...reportRules(parsed.data)]
    if (issues.length) throw new Error(`bench payload ${i} breaks a rule: ${JSON.stringify(issues)}`)
    out.push({
      input,
      parsed: parsed.data,
      ced: input.cedUses.length > 0,
      cycles: parsed.data.cedUses.reduce((n, u) => n + u.cycles.length, 0),
    })
  }
  return out
}
