import type { EmploymentStatus } from '../workforce.js'
import { cedDeviceModels, type CedDeviceModel } from '../use-of-force/ced.js'
import { addDays, addMonths } from '../calendar.js'
import {
  authorityMonths,
  cedCourses,
  cedPrerequisites,
  type CedAssessment,
  type CedCourse,
  type CedPrerequisite,
} from './training.js'

/**
 * Authority to carry a Taser, derived from the records and never stored (domain reference 6.2). For each device
 * model, an officer is authorised on a date when all of these hold:
 *
 * 1. they passed an initial or conversion course for that model (on or before the date);
 * 2. their latest passed course for that model is less than 12 months old, and no course for that model taken after
 *    it was failed (failing the yearly test means the officer has not shown they are still competent);
 * 3. every prerequisite is current;
 * 4. they are not suspended;
 * 5. the force's policy allows officers of their status to carry (police staff never may).
 *
 * Day boundaries, all on UK calendar dates (see docs/training-import.md, "Dates"):
 * - Training on D authorises through the day before D + 12 months (trained 2025-11-22 → authorised through
 *   2026-11-21, lapses on 2026-11-22). A month without that day uses its last day (2024-02-29 → lapses 2025-02-28).
 * - A prerequisite achieved on A and expiring on E is current on A through E inclusive: E is its last valid day,
 *   as printed on a certificate.
 * - A suspension from S, lifted on L, removes authority on S through the day before L: lifting it on L restores
 *   authority from L.
 *
 * A course counts as passed when it is marked passed, meets the course's minimum hours and no recorded assessment
 * of it was failed. Training "per model" is deliberate: an officer converted from X2 to TASER 7 whose X2 training is
 * more than 12 months old may carry a TASER 7 but no longer an X2.
 */

export interface TrainingInput {
  course: CedCourse
  deviceModel: string
  /** YYYY-MM-DD */
  completedOn: string
  hours: number
  passed: boolean
  assessments?: readonly { kind: CedAssessment; passed: boolean }[]
}

export interface PrerequisiteInput {
  kind: CedPrerequisite
  achievedOn: string
  /** The last day it is valid. */
  expiresOn: string
}

export interface SuspensionInput {
  reason: string
  suspendedOn: string
  liftedOn: string | null
}

export interface AuthorityPolicy {
  probationersAllowed: boolean
  specialsAllowed: boolean
}

export interface AuthorityInput {
  status: EmploymentStatus
  /** The day the person left the force, if they have. */
  leftOn?: string | null
  training: readonly TrainingInput[]
  prerequisites: readonly PrerequisiteInput[]
  suspensions: readonly SuspensionInput[]
  policy: AuthorityPolicy
}

/** Why an officer is not authorised. Every reason that applies is given, not just the first. */
export type AuthorityReason =
  | { code: 'left_force'; on: string }
  | { code: 'status_not_allowed'; status: EmploymentStatus }
  | { code: 'not_qualified' }
  | { code: 'training_lapsed'; lastTrainedOn: string; lapsedOn: string }
  | { code: 'failed_course'; course: CedCourse; on: string }
  | { code: 'prerequisite_missing'; kind: CedPrerequisite }
  | { code: 'prerequisite_expired'; kind: CedPrerequisite; expiredOn: string }
  | { code: 'suspended'; since: string; reason: string }

export interface PrerequisiteStatus {
  kind: CedPrerequisite
  current: boolean
  achievedOn: string | null
  /** The last day it is valid, or null when none is held. */
  expiresOn: string | null
}

export interface ModelAuthority {
  model: CedDeviceModel
  authorised: boolean
  reasons: AuthorityReason[]
  /** The initial or conversion course that qualified them on this model, if any. */
  qualifiedOn: string | null
  lastTrainedOn: string | null
  /** The first day the latest training no longer covers (lastTrainedOn + 12 months). */
  trainingLapsesOn: string | null
  /** While authorised: the last day they stay authorised if nothing is recorded (training or a prerequisite ends). */
  authorisedUntil: string | null
  /** While authorised: the day after authorisedUntil, the first day without authority. */
  lapsesOn: string | null
}

export interface Authority {
  asAt: string
  models: ModelAuthority[]
  prerequisites: PrerequisiteStatus[]
  /** The suspension in force on the date, if any. */
  suspension: SuspensionInput | null
  /** The models they may carry on the date. */
  authorisedModels: CedDeviceModel[]
}

/** Whether a course counts as passed (see above). */
export function coursePassed(t: TrainingInput): boolean {
  const minimum = cedCourses.byValue(t.course)?.minimumHours ?? Infinity
  return t.passed && t.hours >= minimum && !(t.assessments ?? []).some((a) => !a.passed)
}

export function deriveAuthority(input: AuthorityInput, asAt: string): Authority {
  const prerequisites = cedPrerequisites.codes.map((code) => prerequisiteStatus(code.value, input.prerequisites, asAt))
  const suspension =
    input.suspensions.find((s) => s.suspendedOn <= asAt && (s.liftedOn === null || asAt < s.liftedOn)) ?? null

  // Reasons that hold for every model.
  const personal: AuthorityReason[] = []
  if (input.leftOn && input.leftOn <= asAt) personal.push({ code: 'left_force', on: input.leftOn })
  if (!statusAllowed(input.status, input.policy)) personal.push({ code: 'status_not_allowed', status: input.status })
  for (const p of prerequisites) {
    if (p.current) continue
    personal.push(
      p.expiresOn === null
        ? { code: 'prerequisite_missing', kind: p.kind }
        : { code: 'prerequisite_expired', kind: p.kind, expiredOn: addDays(p.expiresOn, 1) },
    )
  }
  if (suspension) personal.push({ code: 'suspended', since: suspension.suspendedOn, reason: suspension.reason })
  const prerequisitesEnd = prerequisites.reduce<string | null>(
    (earliest, p) => (p.expiresOn !== null && (earliest === null || p.expiresOn < earliest) ? p.expiresOn : earliest),
    null,
  )

  const models = cedDeviceModels.values.map((model): ModelAuthority => {
    const courses = input.training
      .filter((t) => t.deviceModel === model && t.completedOn <= asAt)
      .sort((a, b) => a.completedOn.localeCompare(b.completedOn))
    const passed = courses.filter(coursePassed)
    const qualifying = passed.find((t) => cedCourses.byValue(t.course)?.qualifies)
    const last = passed.at(-1)
    const failedAfter = courses.find((t) => !coursePassed(t) && (!last || t.completedOn > last.completedOn))
    const trainingLapsesOn = last ? addMonths(last.completedOn, authorityMonths) : null

    const reasons: AuthorityReason[] = []
    if (!qualifying) reasons.push({ code: 'not_qualified' })
    if (last && trainingLapsesOn && trainingLapsesOn <= asAt)
      reasons.push({ code: 'training_lapsed', lastTrainedOn: last.completedOn, lapsedOn: trainingLapsesOn })
    if (qualifying && failedAfter)
      reasons.push({ code: 'failed_course', course: failedAfter.course, on: failedAfter.completedOn })
    // Personal reasons matter only to someone who has trained on this model; the rest are simply not qualified.
    if (qualifying) reasons.push(...personal)
    else reasons.push(...personal.filter((r) => r.code === 'left_force' || r.code === 'status_not_allowed'))

    const authorised = reasons.length === 0
    let authorisedUntil: string | null = null
    if (authorised && trainingLapsesOn) {
      const trainingEnd = addDays(trainingLapsesOn, -1)
      authorisedUntil = prerequisitesEnd !== null && prerequisitesEnd < trainingEnd ? prerequisitesEnd : trainingEnd
    }
    return {
      model,
      authorised,
      reasons,
      qualifiedOn: qualifying?.completedOn ?? null,
      lastTrainedOn: last?.completedOn ?? null,
      trainingLapsesOn,
      authorisedUntil,
      lapsesOn: authorisedUntil ? addDays(authorisedUntil, 1) : null,
    }
  })

  return {
    asAt,
    models,
    prerequisites,
    suspension,
    authorisedModels: models.filter((m) => m.authorised).map((m) => m.model),
  }
}

function statusAllowed(status: EmploymentStatus, policy: AuthorityPolicy): boolean {
  switch (status) {
    case 'regular':
      return true
    case 'probationer':
      return policy.probationersAllowed
    case 'special_constable':
      return policy.specialsAllowed
    case 'police_staff':
      return false
  }
}

/** The record of a kind that is current on the date, or else the most recent one already achieved. */
function prerequisiteStatus(
  kind: CedPrerequisite,
  records: readonly PrerequisiteInput[],
  asAt: string,
): PrerequisiteStatus {
  const held = records.filter((r) => r.kind === kind && r.achievedOn <= asAt)
  const best = held.reduce<PrerequisiteInput | null>((b, r) => (b === null || r.expiresOn > b.expiresOn ? r : b), null)
  return {
    kind,
    current: best !== null && asAt <= best.expiresOn,
    achievedOn: best?.achievedOn ?? null,
    expiresOn: best?.expiresOn ?? null,
  }
}

/** One sentence per reason, for pages and refusals. */
export function describeReason(reason: AuthorityReason, formatDate: (date: string) => string): string {
  switch (reason.code) {
    case 'left_force':
      return `Left the force on ${formatDate(reason.on)}.`
    case 'status_not_allowed':
      return reason.status === 'police_staff'
        ? 'Police staff may not carry Taser.'
        : `Force policy does not allow ${reason.status === 'probationer' ? 'student officers' : 'special constables'} to carry Taser.`
    case 'not_qualified':
      return 'Has not passed an initial or conversion course for this model.'
    case 'training_lapsed':
      return `Last trained on ${formatDate(reason.lastTrainedOn)}; authority lapsed on ${formatDate(reason.lapsedOn)}.`
    case 'failed_course':
      return `Failed the ${cedCourses.label(reason.course).toLowerCase()} on ${formatDate(reason.on)} and has not passed one since.`
    case 'prerequisite_missing':
      return `No ${cedPrerequisites.label(reason.kind).toLowerCase()} recorded.`
    case 'prerequisite_expired':
      return `${cedPrerequisites.label(reason.kind)} expired; not valid from ${formatDate(reason.expiredOn)}.`
    case 'suspended':
      return `Suspended since ${formatDate(reason.since)}: ${reason.reason}`
  }
}
