import type { z } from 'zod'
import type { CedLevel } from '../../src/domain/use-of-force/ced.js'
import { reportSubmission } from '../../src/domain/use-of-force/report.js'
import { incidentRules, reportRules, type RuleIssue } from '../../src/domain/use-of-force/rules.js'
import type {
  bodyWornVideo,
  cedUse,
  incidentDetails,
  officerContext,
  officerInjury,
  subjectDetails,
  subjectInjury,
  tacticUse,
} from '../../src/domain/use-of-force/report.js'

/**
 * Valid report payloads as the JSON API takes them (the schema's input, before trimming and defaults). Every builder
 * returns a fresh object, and each part has its own builder so a test can change one field with a spread and nothing
 * else: `validSubmission({ officer: { ...validOfficer(), cedCarried: false } })`.
 */

export type SubmissionInput = z.input<typeof reportSubmission>
export type IncidentInput = z.input<typeof incidentDetails>
export type SubjectInput = z.input<typeof subjectDetails>
export type TacticUseInput = z.input<typeof tacticUse>
export type OfficerInput = z.input<typeof officerContext>
export type OfficerInjuryInput = z.input<typeof officerInjury>
export type SubjectInjuryInput = z.input<typeof subjectInjury>
export type BodyWornVideoInput = z.input<typeof bodyWornVideo>
export type CedUseInput = z.input<typeof cedUse>

/** Every problem with a payload, as a person would see it: the schema's issues or, if it parses, the rules'. */
export function submissionIssues(payload: unknown, now: Date): RuleIssue[] {
  const parsed = reportSubmission.safeParse(payload)
  if (!parsed.success) {
    return parsed.error.issues.map((issue) => ({
      path: issue.path.map((key) => (typeof key === 'number' ? key : String(key))),
      message: issue.message,
    }))
  }
  const { incident } = parsed.data
  return [...('occurredAt' in incident ? incidentRules(incident, now) : []), ...reportRules(parsed.data)]
}

/** A fixed "now" for tests that do not care which; pass the test's own clock where time matters. */
export const FIXTURE_NOW = new Date('2025-06-14T21:30:00.000Z')

/** A new incident two hours before `now`. */
export function validIncident(now: Date = FIXTURE_NOW): IncidentInput {
  return {
    occurredAt: new Date(now.getTime() - 2 * 60 * 60_000).toISOString(),
    locationTypes: ['street_highway', 'licensed_premises'],
    area: 'Borough High Street, Southwark',
    planned: false,
  }
}

/** A new person, with the ethnicity they gave as well as the one the officer perceived. */
export function validSubject(): SubjectInput {
  return {
    ageBand: 'age_18_34',
    gender: 'male',
    perceivedEthnicity: 'white',
    selfDefinedEthnicity: 'white_british',
    healthCondition: 'none',
  }
}

export function validOfficer(): OfficerInput {
  return {
    mainDuty: 'response',
    singleCrewed: false,
    cedTrained: false,
    cedCarried: false,
    assaultedBySubject: true,
    threatenedWithWeapon: false,
    assaultedWithWeapon: false,
  }
}

/** Injured in an intentional assault: every dependent answer given. */
export function validOfficerInjury(): OfficerInjuryInput {
  return { injured: 'yes', intentionalAssault: 'yes', level: 'minor', medicalProvided: false }
}

export function validSubjectInjury(): SubjectInjuryInput {
  return {
    injured: 'yes',
    level: 'minor',
    nature: 'Graze to the left knee when taken to the ground',
    medicalOffered: true,
    medicalProvided: false,
  }
}

/** Nobody hurt: the dependent answers left out, as the form leaves them. */
export function uninjuredOfficer(): OfficerInjuryInput {
  return { injured: 'no', intentionalAssault: null, level: null, medicalProvided: false }
}

export function uninjuredSubject(): SubjectInjuryInput {
  return { injured: 'no', level: null, nature: null, medicalOffered: false, medicalProvided: false }
}

export function validBodyWornVideo(): BodyWornVideoInput {
  return { activated: true, reference: 'BWV-4417-20250614-2131' }
}

/**
 * A realistic report with no CED: non-compliant handcuffing after a take-down, both people slightly hurt, video on.
 * `overrides` replaces whole top-level answers.
 */
export function validSubmission(overrides: Partial<SubmissionInput> = {}, now: Date = FIXTURE_NOW): SubmissionInput {
  return {
    incident: validIncident(now),
    subject: validSubject(),
    tactics: [
      { tactic: 'tactical_communication', effective: false },
      { tactic: 'unarmed_skills', effective: true },
      { tactic: 'non_compliant_handcuffing', effective: true },
    ],
    reasons: ['protect_self', 'effect_arrest'],
    impactFactors: ['alcohol', 'size_gender_build'],
    outcomes: ['arrested'],
    officer: validOfficer(),
    subjectConduct: 'aggressive_resistance',
    officerInjury: validOfficerInjury(),
    subjectInjury: validSubjectInjury(),
    bodyWornVideo: validBodyWornVideo(),
    justification:
      'The man punched me in the face when I told him he was under arrest for assault. I used a leg sweep to take ' +
      'him to the ground and handcuffed him to prevent further assault and to keep him in custody.',
    deEscalation:
      'I spoke calmly, explained why he was being arrested and gave him time to comply. He struck me without warning.',
    cedUses: [],
    ...overrides,
  }
}

/** Every level an officer realistically records on the way to `level`: the levels are cumulative in practice. */
const levelsReaching: Record<CedLevel, CedLevel[]> = {
  drawn: ['drawn'],
  aimed: ['drawn', 'aimed'],
  red_dot: ['drawn', 'aimed', 'red_dot'],
  arced: ['drawn', 'arced'],
  drive_stun: ['drawn', 'drive_stun'],
  fired: ['drawn', 'aimed', 'red_dot', 'fired'],
  angle_drive_stun: ['drawn', 'aimed', 'red_dot', 'angle_drive_stun'],
}

/**
 * One CED use whose highest level is `level`, with every dependent answer right for it: a fired or angled drive-stun
 * use has one cartridge, one 5-second cycle, both probes on target at two sites and who removed them; a drive-stun
 * has one cycle and no cartridge; anything lower has no cartridge, cycle, probe or removal answer.
 */
export function validCedUse(level: CedLevel): CedUseInput {
  const common = {
    deviceSerial: 'X29-00172245',
    deviceModel: 'x2',
    levels: [...levelsReaching[level]],
    driveStunRepeat: false,
    repeatCycleSameCartridge: false,
    warningGiven: true,
    effective: true,
    medicalCheck: false,
    footageReference: 'BWV-4417-20250614-2131',
  } satisfies Partial<CedUseInput>
  const nothingFired = {
    cartridges: [],
    probeMiss: 'not_fired',
    probeSites: [],
    distanceMetres: null,
    probesRemovedBy: null,
  } satisfies Partial<CedUseInput>
  switch (level) {
    case 'fired':
    case 'angle_drive_stun':
      return {
        ...common,
        cartridges: [{ serial: 'AFID-7Q4-19830', bay: 1 }],
        cycles: [{ seconds: 5, extended: false, interrupted: false }],
        probeMiss: 'none',
        probeSites: ['front_5', 'front_12'],
        distanceMetres: 3.5,
        probesRemovedBy: 'medical_staff',
        medicalCheck: true,
      }
    case 'drive_stun':
      return { ...common, ...nothingFired, cycles: [{ seconds: 2.5, extended: false, interrupted: true }] }
    default:
      return { ...common, ...nothingFired, cycles: [] }
  }
}

export interface CedSubmissionOptions extends Partial<SubmissionInput> {
  /** The highest level of the one CED use. */
  level: CedLevel
  now?: Date
  /** Replaces answers of the CED use (after `validCedUse(level)`). */
  use?: Partial<CedUseInput>
}

/**
 * A valid report with the CED tactic and one CED use reaching `level`, by an officer trained and carrying a CED.
 * Any other option replaces a whole top-level answer, as in `validSubmission`.
 */
export function cedSubmission({
  level,
  now = FIXTURE_NOW,
  use = {},
  ...overrides
}: CedSubmissionOptions): SubmissionInput {
  return validSubmission(
    {
      tactics: [
        { tactic: 'tactical_communication', effective: false },
        { tactic: 'ced', effective: true },
        { tactic: 'non_compliant_handcuffing', effective: true },
      ],
      officer: { ...validOfficer(), cedTrained: true, cedCarried: true, threatenedWithWeapon: true },
      impactFactors: ['possession_of_weapon', 'drugs'],
      reasons: ['protect_self', 'protect_public', 'effect_arrest'],
      justification:
        'The man advanced on us holding a kitchen knife and ignored repeated commands to drop it. I judged that ' +
        'the CED was the least harmful way to stop an immediate threat to life.',
      deEscalation:
        'We kept our distance, told him clearly and repeatedly to drop the knife, and warned him the CED would be used.',
      cedUses: [{ ...validCedUse(level), ...use }],
      ...overrides,
    },
    now,
  )
}
