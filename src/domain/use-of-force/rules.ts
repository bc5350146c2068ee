import { cedDeviceModels, highestCedLevel, isDischarge } from './ced.js'
import type { SubjectInjuryLevel } from './context.js'
import type { CedUse, IncidentDetails, ReportBody } from './report.js'
import { ageBands } from './subject.js'
import { tactics } from './tactics.js'

/**
 * Every rule that spans more than one field of a use-of-force report, in one place. Each gives a message for a
 * person and the path of the field to fix. The JSON API and the form both run these after the schema.
 */
export interface RuleIssue {
  path: (string | number)[]
  message: string
}

/**
 * Earliest date a report may describe: national recording began on 1 April 2017; older events are not recorded here.
 * That is midnight in the UK, which was on British Summer Time (UTC+1), so 23:00 UTC on 31 March.
 */
export const EARLIEST_INCIDENT = new Date('2017-03-31T23:00:00Z')
/** Device and phone clocks drift; a few minutes ahead of the server is still "now". */
const CLOCK_TOLERANCE_MS = 5 * 60_000

export function incidentRules(incident: IncidentDetails, now: Date): RuleIssue[] {
  const at = new Date(incident.occurredAt)
  if (at.getTime() > now.getTime() + CLOCK_TOLERANCE_MS) {
    return [{ path: ['incident', 'occurredAt'], message: 'The date and time of the incident must be in the past' }]
  }
  if (at < EARLIEST_INCIDENT) {
    return [{ path: ['incident', 'occurredAt'], message: 'The incident must be on or after 1 April 2017' }]
  }
  return []
}

/** A cycle longer than this is a prolonged discharge (the form asks whether it was "extended beyond 5 s"). */
export const LONG_CYCLE_SECONDS = 5

/** The person's injury levels that make a serious injury: with a fatality, a mandatory referral. */
export const SERIOUS_INJURY_LEVELS: readonly SubjectInjuryLevel[] = ['severe', 'death']

/** The rules within one CED use: exported so the form can check a CED use page before the rest is filled in. */
export function cedUseRules(use: CedUse, index: number): RuleIssue[] {
  const at = (...path: (string | number)[]) => ['cedUses', index, ...path]
  const issues: RuleIssue[] = []
  const levels = new Set(use.levels)
  const discharged = use.levels.some(isDischarge)
  const fired = levels.has('fired') || levels.has('angle_drive_stun')

  if (levels.has('fired') && use.cartridges.length === 0) {
    issues.push({ path: at('cartridges'), message: 'Fired needs the cartridge that was fired: add its serial number' })
  }
  if (!fired && use.cartridges.length > 0) {
    issues.push({ path: at('cartridges'), message: 'Only record cartridges when the CED was fired' })
  }
  // The schema allows bays 1 to 10 (the TASER 10); a known model bounds them further.
  const model = use.deviceModel === null ? null : cedDeviceModels.byValue(use.deviceModel)
  if (model) {
    const bays = model.cartridgeBays
    const which = bays === 1 ? 'bay: enter bay 1' : `bays: enter a bay from 1 to ${bays}`
    use.cartridges.forEach((cartridge, k) => {
      if (cartridge.bay !== null && cartridge.bay > bays) {
        issues.push({ path: at('cartridges', k, 'bay'), message: `A ${model.label} has ${bays} cartridge ${which}` })
      }
    })
  }
  if (discharged && use.cycles.length === 0) {
    issues.push({ path: at('cycles'), message: 'A discharge needs at least one cycle: add each cycle and its length' })
  }
  if (!discharged && use.cycles.length > 0) {
    issues.push({ path: at('cycles'), message: 'Only record cycles when the CED was discharged (drive-stun or fired)' })
  }
  use.cycles.forEach((cycle, c) => {
    if (cycle.seconds > LONG_CYCLE_SECONDS && !cycle.extended) {
      issues.push({
        path: at('cycles', c, 'extended'),
        message: `Cycle ${c + 1} lasted more than 5 seconds, so select yes for extended beyond 5 seconds, or correct its length`,
      })
    }
    if (cycle.seconds <= LONG_CYCLE_SECONDS && cycle.extended) {
      issues.push({
        path: at('cycles', c, 'extended'),
        message: `Cycle ${c + 1} lasted 5 seconds or less, so it was not extended beyond 5 seconds`,
      })
    }
  })
  if (use.driveStunRepeat && !levels.has('drive_stun')) {
    issues.push({ path: at('driveStunRepeat'), message: 'Repeat drive-stun needs drive-stun as a level of use' })
  }
  const onlyCartridgeCycles = levels.has('fired') && !levels.has('drive_stun') && !levels.has('angle_drive_stun')
  if (onlyCartridgeCycles && use.cartridges.length > 0 && use.cycles.length > use.cartridges.length) {
    if (!use.repeatCycleSameCartridge) {
      issues.push({
        path: at('repeatCycleSameCartridge'),
        message: 'There were more cycles than cartridges, so a cartridge was cycled again: select yes',
      })
    }
  }
  // A cartridge can only be cycled again if one was fired and the trigger cycled at least twice.
  if (use.repeatCycleSameCartridge && !fired) {
    issues.push({
      path: at('repeatCycleSameCartridge'),
      message: 'Only say a cartridge was cycled more than once when the CED was fired',
    })
  } else if (use.repeatCycleSameCartridge && use.cycles.length < 2) {
    issues.push({
      path: at('repeatCycleSameCartridge'),
      message: 'A cartridge cycled more than once means at least 2 cycles: add each cycle, or select no',
    })
  }
  if (fired && use.probeMiss === 'not_fired') {
    issues.push({ path: at('probeMiss'), message: 'The CED was fired: select whether either probe missed' })
  }
  if (!fired && use.probeMiss !== 'not_fired') {
    issues.push({ path: at('probeMiss'), message: 'Only say whether a probe missed when the CED was fired' })
  }
  const maxSites =
    use.probeMiss === 'both' ? 0 : 2 * Math.max(use.cartridges.length, 1) - (use.probeMiss === 'one' ? 1 : 0)
  if (!fired && use.probeSites.length > 0) {
    issues.push({ path: at('probeSites'), message: 'Only mark probe strike sites when the CED was fired' })
  } else if (use.probeSites.length > maxSites) {
    issues.push({
      path: at('probeSites'),
      message:
        use.probeMiss === 'both'
          ? 'Both probes missed, so do not mark any strike sites'
          : `Mark at most ${maxSites} strike ${maxSites === 1 ? 'site' : 'sites'}: each cartridge has 2 probes`,
    })
  }
  if (fired && use.probesRemovedBy === null) {
    issues.push({
      path: at('probesRemovedBy'),
      message: 'Select who removed the probes, or that removal was not needed',
    })
  }
  if (!fired && use.probesRemovedBy !== null) {
    issues.push({ path: at('probesRemovedBy'), message: 'Only say who removed probes when the CED was fired' })
  }
  return issues
}

export function reportRules(report: ReportBody): RuleIssue[] {
  const issues: RuleIssue[] = []
  const used = new Set(report.tactics.map((t) => t.tactic))

  if (!report.tactics.some((t) => tactics.byValue(t.tactic)?.useOfForce)) {
    issues.push({
      path: ['tactics'],
      message: 'Tactical communication alone is not a use of force: add the force you used',
    })
  }
  report.tactics.forEach((t, i) => {
    if (tactics.byValue(t.tactic)?.importOnly) {
      issues.push({
        path: ['tactics', i, 'tactic'],
        message: 'Choose the tactic you used: “not stated” is only for records imported from older systems',
      })
    }
  })
  if (used.has('ced') && report.cedUses.length === 0) {
    issues.push({ path: ['cedUses'], message: 'You used a CED (Taser): add the details of each CED use' })
  }
  if (!used.has('ced') && report.cedUses.length > 0) {
    issues.push({ path: ['tactics'], message: 'You recorded a CED use: add CED (Taser) to the tactics you used' })
  }
  if (used.has('ced') && !report.officer.cedCarried) {
    issues.push({ path: ['officer', 'cedCarried'], message: 'You used a CED, so you were carrying one: select yes' })
  }
  report.cedUses.forEach((use, index) => issues.push(...cedUseRules(use, index)))

  if (report.officer.assaultedWithWeapon && !report.officer.assaultedBySubject) {
    issues.push({
      path: ['officer', 'assaultedBySubject'],
      message: 'You said the person assaulted you with a weapon, so they assaulted you: select yes',
    })
  }

  const officer = report.officerInjury
  if (officer.injured === 'yes' && officer.level === null) {
    issues.push({ path: ['officerInjury', 'level'], message: 'Select how serious your injury was' })
  }
  if (officer.injured !== 'yes' && officer.level !== null) {
    issues.push({ path: ['officerInjury', 'level'], message: 'Only give an injury level if you were injured' })
  }
  if (officer.injured === 'yes' && officer.intentionalAssault === null) {
    issues.push({
      path: ['officerInjury', 'intentionalAssault'],
      message: 'Select whether the injury was from an intentional assault',
    })
  }
  if (officer.injured !== 'yes' && officer.intentionalAssault !== null) {
    issues.push({
      path: ['officerInjury', 'intentionalAssault'],
      message: 'Only say whether an injury was intentional if you were injured',
    })
  }

  const subject = report.subjectInjury
  if (subject.injured === 'yes' && subject.level === null) {
    issues.push({ path: ['subjectInjury', 'level'], message: 'Select how serious the person’s injury was' })
  }
  if (subject.injured !== 'yes' && subject.level !== null) {
    issues.push({ path: ['subjectInjury', 'level'], message: 'Only give an injury level if the person was injured' })
  }
  if (subject.injured !== 'yes' && subject.nature !== null) {
    issues.push({ path: ['subjectInjury', 'nature'], message: 'Only describe an injury if the person was injured' })
  }
  if (subject.medicalProvided && !subject.medicalOffered) {
    issues.push({
      path: ['subjectInjury', 'medicalOffered'],
      message: 'Medical assistance was provided, so it was offered: select yes',
    })
  }
  const died = subject.level === 'death'
  if (died && !report.outcomes.includes('fatality')) {
    issues.push({ path: ['outcomes'], message: 'The person died: select Fatality as an outcome' })
  }
  if (!died && report.outcomes.includes('fatality')) {
    issues.push({
      path: ['subjectInjury', 'level'],
      message: 'You selected Fatality: record the person’s injury level as death',
    })
  }

  if (!report.bodyWornVideo.activated && report.bodyWornVideo.reference !== null) {
    issues.push({
      path: ['bodyWornVideo', 'reference'],
      message: 'Only give a footage reference if your body-worn video was recording',
    })
  }
  return issues
}

/** What a report's answers mean for review and referral. Computed, never typed in. */
export interface ReportFlags {
  cedDischarge: boolean
  child: boolean
  subjectInjured: boolean
  /** Any CED cycle longer than 5 seconds. */
  prolongedDischarge: boolean
  firearm: boolean
  fatality: boolean
  /** A supervisor must review it (product rule: discharge, child, injury, prolonged cycle, firearm). */
  mandatoryReview: boolean
  /** Death or serious injury: a mandatory referral to Professional Standards and the IOPC. */
  mandatoryReferral: boolean
}

/** The answers the flags are computed from: a report body, or just these keys of a stored version's payload. */
export type FlagInputs = Pick<ReportBody, 'cedUses' | 'tactics' | 'outcomes' | 'subjectInjury'>

export function reportFlags(report: FlagInputs, subjectAgeBand: string): ReportFlags {
  const highest = highestCedLevel(report.cedUses.flatMap((u) => u.levels))
  const cedDischarge = highest !== null && isDischarge(highest)
  const child = ageBands.byValue(subjectAgeBand)?.child === true
  const subjectInjured = report.subjectInjury.injured === 'yes'
  const prolongedDischarge = report.cedUses.some((u) => u.cycles.some((c) => c.seconds > LONG_CYCLE_SECONDS))
  const firearm = report.tactics.some((t) => t.tactic === 'firearm_aimed' || t.tactic === 'firearm_fired')
  const fatality = report.outcomes.includes('fatality')
  const level = report.subjectInjury.level
  const seriousInjury = level !== null && level !== undefined && SERIOUS_INJURY_LEVELS.includes(level)
  return {
    cedDischarge,
    child,
    subjectInjured,
    prolongedDischarge,
    firearm,
    fatality,
    mandatoryReview: cedDischarge || child || subjectInjured || prolongedDischarge || firearm,
    mandatoryReferral: fatality || seriousInjury,
  }
}
