import { cedBodySites, cedLevels } from '../use-of-force/ced.js'
import {
  impactFactors,
  locationGroups,
  locationTypes,
  mainDuties,
  officerInjured,
  officerInjuryLevels,
  outcomes,
  reasons,
  subjectInjured,
  subjectInjuryLevels,
} from '../use-of-force/context.js'
import type { IncidentDetails, ReportBody, SubjectDetails } from '../use-of-force/report.js'
import { ageBands, genders, healthConditions, perceivedEthnicities, subjectConduct } from '../use-of-force/subject.js'
import { tactics } from '../use-of-force/tactics.js'
import { freeTextFields, type FreeTextField } from './free-text.js'

/**
 * An anonymised case pack: what an external scrutiny panel sees of one sampled report. Built by copying named
 * fields INTO a new shape (never by deleting fields from the report), so a field added to reports later stays out
 * of packs until someone decides it belongs here.
 *
 * Left out, because they identify someone or can be looked up: officer and reporter, collar numbers, user, person,
 * report and incident ids and references, device and cartridge serial numbers, footage references, the area (free
 * text, often a street or beat) and the subject's label and self-defined ethnicity (18 groups: too fine for a small
 * force). Coarsened: the date and time to the month and a part of the day; the location to its Home Office groups.
 * Free text only where released (see `freeTextFields`), and then as released.
 */
export interface CasePack {
  caseNumber: number
  month: string
  partOfDay: string
  locationGroups: string[]
  planned: boolean
  subject: { ageBand: string; gender: string; ethnicity: string; healthCondition: string; conduct: string }
  officer: {
    mainDuty: string
    singleCrewed: boolean
    cedTrained: boolean
    cedCarried: boolean
    assaulted: boolean
    threatenedWithWeapon: boolean
    assaultedWithWeapon: boolean
    injured: string
    injuryLevel: string | null
  }
  tactics: { label: string; effective: boolean }[]
  reasons: string[]
  impactFactors: string[]
  outcomes: string[]
  subjectInjury: { injured: string; level: string | null; medicalOffered: boolean; medicalProvided: boolean }
  bodyWornVideoRecording: boolean
  footageHeld: boolean
  cedUses: {
    levels: string[]
    driveStunRepeat: boolean
    cartridgesUsed: number
    cycles: { seconds: number; extended: boolean; interrupted: boolean }[]
    repeatCycleSameCartridge: boolean
    probeMiss: string
    probeSites: string[]
    warningGiven: boolean
    distanceMetres: number | null
    effective: boolean
    probesRemovedBy: string | null
    medicalCheck: boolean
  }[]
  freeText: { field: FreeTextField; label: string; text: string | null; redacted: boolean }[]
}

export interface PackSource {
  incident: IncidentDetails
  subject: SubjectDetails
  body: ReportBody
}

/** A force-side decision to release one free-text field, with the text to show if it was redacted. */
export interface Release {
  field: FreeTextField
  redactedText: string | null
}

const month = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'Europe/London' })
const hour = new Intl.DateTimeFormat('en-GB', { hour: 'numeric', hourCycle: 'h23', timeZone: 'Europe/London' })

/** The month and year, in the force's time zone. */
export function coarseMonth(at: Date): string {
  return month.format(at)
}

/** Six-hour parts of the day: enough to tell a night-time incident from a daytime one, not enough to find it. */
export function partOfDay(at: Date): string {
  const h = Number(hour.format(at))
  if (h < 6) return 'Night (midnight to 6am)'
  if (h < 12) return 'Morning (6am to noon)'
  if (h < 18) return 'Afternoon (noon to 6pm)'
  return 'Evening (6pm to midnight)'
}

/** The Home Office location groups of the location types (public, dwelling…), in list order, each once. */
export function coarseLocation(types: readonly string[]): string[] {
  const groups = new Set(types.map((t) => locationTypes.byValue(t)?.hoGroup).filter((g) => g !== undefined))
  return locationGroups.codes.filter((g) => groups.has(g.value)).map((g) => g.label)
}

function freeTextOf(body: ReportBody, field: FreeTextField): string | null {
  if (field === 'justification') return body.justification
  if (field === 'de_escalation') return body.deEscalation
  return body.subjectInjury.nature
}

export function buildCasePack(caseNumber: number, source: PackSource, releases: readonly Release[]): CasePack {
  const { incident, subject, body } = source
  const occurredAt = new Date(incident.occurredAt)
  const released = new Map(releases.map((r) => [r.field, r]))
  return {
    caseNumber,
    month: coarseMonth(occurredAt),
    partOfDay: partOfDay(occurredAt),
    locationGroups: coarseLocation(incident.locationTypes),
    planned: incident.planned,
    subject: {
      ageBand: ageBands.label(subject.ageBand),
      gender: genders.label(subject.gender),
      ethnicity: perceivedEthnicities.label(subject.perceivedEthnicity),
      healthCondition: healthConditions.label(subject.healthCondition),
      conduct: subjectConduct.label(body.subjectConduct),
    },
    officer: {
      mainDuty: mainDuties.label(body.officer.mainDuty),
      singleCrewed: body.officer.singleCrewed,
      cedTrained: body.officer.cedTrained,
      cedCarried: body.officer.cedCarried,
      assaulted: body.officer.assaultedBySubject,
      threatenedWithWeapon: body.officer.threatenedWithWeapon,
      assaultedWithWeapon: body.officer.assaultedWithWeapon,
      injured: officerInjured.label(body.officerInjury.injured),
      injuryLevel: body.officerInjury.level ? officerInjuryLevels.label(body.officerInjury.level) : null,
    },
    tactics: body.tactics.map((t) => ({ label: tactics.label(t.tactic), effective: t.effective })),
    reasons: body.reasons.map((r) => reasons.label(r)),
    impactFactors: body.impactFactors.map((f) => impactFactors.label(f)),
    outcomes: body.outcomes.map((o) => outcomes.label(o)),
    subjectInjury: {
      injured: subjectInjured.label(body.subjectInjury.injured),
      level: body.subjectInjury.level ? subjectInjuryLevels.label(body.subjectInjury.level) : null,
      medicalOffered: body.subjectInjury.medicalOffered,
      medicalProvided: body.subjectInjury.medicalProvided,
    },
    bodyWornVideoRecording: body.bodyWornVideo.activated,
    footageHeld: body.bodyWornVideo.reference !== null || body.cedUses.some((u) => u.footageReference !== null),
    cedUses: body.cedUses.map((u) => ({
      levels: u.levels.map((l) => cedLevels.label(l)),
      driveStunRepeat: u.driveStunRepeat,
      cartridgesUsed: u.cartridges.length,
      cycles: u.cycles.map((c) => ({ seconds: c.seconds, extended: c.extended, interrupted: c.interrupted })),
      repeatCycleSameCartridge: u.repeatCycleSameCartridge,
      probeMiss: u.probeMiss,
      probeSites: u.probeSites.map((s) => cedBodySites.label(s)),
      warningGiven: u.warningGiven,
      distanceMetres: u.distanceMetres,
      effective: u.effective,
      probesRemovedBy: u.probesRemovedBy,
      medicalCheck: u.medicalCheck,
    })),
    freeText: freeTextFields.codes
      .filter((f) => freeTextOf(body, f.value) !== null)
      .map((f) => {
        const release = released.get(f.value)
        return {
          field: f.value,
          label: f.label,
          text: release ? (release.redactedText ?? freeTextOf(body, f.value)) : null,
          redacted: release?.redactedText != null,
        }
      }),
  }
}
