import { cedBodySites } from '../../../domain/use-of-force/ced.js'
import { list, record, strings, text, yesNo, existingReference, type DraftData } from './draft-data.js'
import { occurredAtFields, occurredAtFromFields } from './occurred-at.js'

/**
 * Each section page's form: its values as the page shows them (`read` from the draft, `parse` from a post) and how
 * they go back into the draft (`write`). What the officer typed is kept as typed; answers to questions that do not
 * apply (an injury level when nobody was injured, probe sites when the CED was not fired) are dropped: the pages
 * ask those questions "if …", or reveal them under the answer they depend on.
 */

export type FormBody = Record<string, unknown>

export interface PageForm<F> {
  read(data: DraftData): F
  parse(body: FormBody): F
  write(data: DraftData, form: F): DraftData
}

/** One text value from a post (the first, if a field was sent twice). */
export function field(body: FormBody, name: string): string {
  const value = [body[name]].flat()[0]
  return typeof value === 'string' ? value : ''
}

/** Every value sent for a multi-select field. */
export function fields(body: FormBody, name: string): string[] {
  return [body[name] ?? []].flat().filter((v): v is string => typeof v === 'string')
}

const bool = (value: string) => (value === 'yes' ? true : value === 'no' ? false : undefined)
const code = (value: string) => (value === '' ? undefined : value)
const optionalText = (value: string) => (value.trim() === '' ? null : value)
/** A number as a number; anything else is kept as typed, for the schema to say what is wrong with it. */
const numberOr = (value: string, blank: null | undefined) => {
  const trimmed = value.trim()
  if (trimmed === '') return blank
  const n = Number(trimmed)
  return Number.isFinite(n) ? n : value
}

/** The rows of an add-another list in a post: fields named `${prefix}-${index}-${name}`, in index order. */
function rowsOf<K extends string>(body: FormBody, prefix: string, names: readonly K[]): Record<K, string>[] {
  const pattern = new RegExp(`^${prefix}-(\\d{1,2})-(${names.join('|')})$`)
  let count = 0
  for (const key of Object.keys(body)) {
    const match = pattern.exec(key)
    if (match) count = Math.max(count, Number(match[1]) + 1)
  }
  return Array.from(
    { length: count },
    (_, i) =>
      Object.fromEntries(names.map((name) => [name, field(body, `${prefix}-${i}-${name}`)])) as Record<K, string>,
  )
}

const blankRow = (row: Record<string, string>) => Object.values(row).every((v) => v.trim() === '')

/** A subject chosen from an existing incident no longer applies once the incident changes. */
function withoutChosenSubject(data: DraftData): DraftData {
  return 'id' in record(data.subject) ? { ...data, subject: undefined } : data
}

// ---- Incident

export interface IncidentChoice {
  incidentKind: string
  reference: string
}

export const incidentChoice: PageForm<IncidentChoice> = {
  read(data) {
    const reference = existingReference(data)
    if (reference !== undefined) return { incidentKind: 'existing', reference }
    return { incidentKind: data.incident === undefined ? '' : 'new', reference: '' }
  },
  parse: (body) => ({ incidentKind: field(body, 'incidentKind'), reference: field(body, 'reference') }),
  write(data, form) {
    const reference = existingReference(data)
    if (form.incidentKind === 'existing') {
      const next = { ...data, incident: { reference: form.reference } }
      return reference?.trim() === form.reference.trim() ? next : withoutChosenSubject(next)
    }
    if (form.incidentKind === 'new' && reference !== undefined) return withoutChosenSubject({ ...data, incident: {} })
    if (form.incidentKind === 'new' && data.incident === undefined) return { ...data, incident: {} }
    return data
  },
}

export interface IncidentDetailsForm {
  day: string
  month: string
  year: string
  time: string
  locationTypes: string[]
  area: string
  planned: string
}

export const incidentDetailsForm: PageForm<IncidentDetailsForm> = {
  read(data) {
    const incident = record(data.incident)
    const planned = incident.planned
    return {
      ...occurredAtFields(incident.occurredAt),
      locationTypes: strings(incident.locationTypes),
      area: text(incident.area),
      planned: planned === true ? 'planned' : planned === false ? 'spontaneous' : '',
    }
  },
  parse: (body) => ({
    day: field(body, 'occurredAt-day'),
    month: field(body, 'occurredAt-month'),
    year: field(body, 'occurredAt-year'),
    time: field(body, 'occurredAt-time'),
    locationTypes: fields(body, 'locationTypes'),
    area: field(body, 'area'),
    planned: field(body, 'planned'),
  }),
  write: (data, form) =>
    withoutChosenSubject({
      ...data,
      incident: {
        occurredAt: occurredAtFromFields(form),
        locationTypes: form.locationTypes,
        area: form.area,
        planned: form.planned === 'planned' ? true : form.planned === 'spontaneous' ? false : undefined,
      },
    }),
}

// ---- The person

export interface PersonChoice {
  subjectId: string
}

/** The value of the "someone not yet recorded" choice. */
export const NEW_PERSON = 'new'

export const personChoice: PageForm<PersonChoice> = {
  read(data) {
    const subject = record(data.subject)
    if ('id' in subject) return { subjectId: text(subject.id) }
    return { subjectId: data.subject === undefined ? '' : NEW_PERSON }
  },
  parse: (body) => ({ subjectId: field(body, 'subjectId') }),
  write(data, form) {
    if (form.subjectId === '') return data
    if (form.subjectId !== NEW_PERSON) return { ...data, subject: { id: form.subjectId } }
    return 'id' in record(data.subject) || data.subject === undefined ? { ...data, subject: {} } : data
  },
}

export interface PersonDetails {
  ageBand: string
  gender: string
  perceivedEthnicity: string
  selfDefinedEthnicity: string
  healthCondition: string
}

export const personDetails: PageForm<PersonDetails> = {
  read(data) {
    const subject = record(data.subject)
    return {
      ageBand: text(subject.ageBand),
      gender: text(subject.gender),
      perceivedEthnicity: text(subject.perceivedEthnicity),
      selfDefinedEthnicity: text(subject.selfDefinedEthnicity),
      healthCondition: text(subject.healthCondition),
    }
  },
  parse: (body) => ({
    ageBand: field(body, 'ageBand'),
    gender: field(body, 'gender'),
    perceivedEthnicity: field(body, 'perceivedEthnicity'),
    selfDefinedEthnicity: field(body, 'selfDefinedEthnicity'),
    healthCondition: field(body, 'healthCondition'),
  }),
  write: (data, form) => ({
    ...data,
    subject: {
      ageBand: code(form.ageBand),
      gender: code(form.gender),
      perceivedEthnicity: code(form.perceivedEthnicity),
      selfDefinedEthnicity: code(form.selfDefinedEthnicity) ?? null,
      healthCondition: code(form.healthCondition),
    },
  }),
}

// ---- Force used

export interface TacticRow {
  tactic: string
  effective: string
}

export interface TacticsForm {
  tactics: TacticRow[]
}

export const tacticsForm: PageForm<TacticsForm> = {
  read: (data) => ({
    tactics: list(data.tactics).map((t) => ({ tactic: text(record(t).tactic), effective: yesNo(record(t).effective) })),
  }),
  parse: (body) => ({ tactics: rowsOf(body, 'tactics', ['tactic', 'effective'] as const) }),
  write: (data, form) => ({
    ...data,
    tactics: form.tactics
      .filter((row) => !blankRow({ ...row }))
      .map((row) => ({ tactic: code(row.tactic), effective: bool(row.effective) })),
  }),
}

// ---- CED use

export interface CartridgeRow {
  serial: string
  bay: string
}

export interface CycleRow {
  seconds: string
  extended: string
  interrupted: string
}

export interface CedUseForm {
  deviceSerial: string
  deviceModel: string
  levels: string[]
  driveStunRepeat: string
  cartridges: CartridgeRow[]
  cycles: CycleRow[]
  repeatCycleSameCartridge: string
  probeMiss: string
  probeSites: string[]
  warningGiven: string
  distanceMetres: string
  effective: string
  probesRemovedBy: string
  medicalCheck: string
  footageReference: string
}

/** Probes leave the CED when it is fired, and in an angled drive-stun. */
export const probesFired = (levels: readonly string[]) =>
  levels.includes('fired') || levels.includes('angle_drive_stun')

export function readCedUse(value: unknown): CedUseForm {
  const use = record(value)
  return {
    deviceSerial: text(use.deviceSerial),
    deviceModel: text(use.deviceModel),
    levels: strings(use.levels),
    driveStunRepeat: yesNo(use.driveStunRepeat),
    cartridges: list(use.cartridges).map((c) => ({ serial: text(record(c).serial), bay: text(record(c).bay) })),
    cycles: list(use.cycles).map((c) => ({
      seconds: text(record(c).seconds),
      extended: yesNo(record(c).extended),
      interrupted: yesNo(record(c).interrupted),
    })),
    repeatCycleSameCartridge: yesNo(use.repeatCycleSameCartridge),
    // "Not fired" is never asked: the levels say it.
    probeMiss: use.probeMiss === 'not_fired' ? '' : text(use.probeMiss),
    probeSites: strings(use.probeSites),
    warningGiven: yesNo(use.warningGiven),
    distanceMetres: text(use.distanceMetres),
    effective: yesNo(use.effective),
    probesRemovedBy: text(use.probesRemovedBy),
    medicalCheck: yesNo(use.medicalCheck),
    footageReference: text(use.footageReference),
  }
}

export function parseCedUse(body: FormBody): CedUseForm {
  return {
    deviceSerial: field(body, 'deviceSerial'),
    deviceModel: field(body, 'deviceModel'),
    levels: fields(body, 'levels'),
    driveStunRepeat: field(body, 'driveStunRepeat'),
    cartridges: rowsOf(body, 'cartridges', ['serial', 'bay'] as const),
    cycles: rowsOf(body, 'cycles', ['seconds', 'extended', 'interrupted'] as const),
    repeatCycleSameCartridge: field(body, 'repeatCycleSameCartridge'),
    probeMiss: field(body, 'probeMiss'),
    // The body map is two groups, front and back, of one answer.
    probeSites: cedBodySites.values.filter((site) => fields(body, 'probeSites').includes(site)),
    warningGiven: field(body, 'warningGiven'),
    distanceMetres: field(body, 'distanceMetres'),
    effective: field(body, 'effective'),
    probesRemovedBy: field(body, 'probesRemovedBy'),
    medicalCheck: field(body, 'medicalCheck'),
    footageReference: field(body, 'footageReference'),
  }
}

/** One CED use as the draft keeps it. */
function cedUseInput(form: CedUseForm) {
  const fired = probesFired(form.levels)
  return {
    deviceSerial: form.deviceSerial,
    deviceModel: code(form.deviceModel) ?? null,
    levels: form.levels,
    driveStunRepeat: form.levels.includes('drive_stun') ? bool(form.driveStunRepeat) : false,
    cartridges: fired
      ? form.cartridges
          .filter((row) => !blankRow({ ...row }))
          .map((row) => ({ serial: row.serial, bay: numberOr(row.bay, null) }))
      : [],
    cycles: form.cycles
      .filter((row) => !blankRow({ ...row }))
      .map((row) => ({
        seconds: numberOr(row.seconds, undefined),
        extended: bool(row.extended),
        interrupted: bool(row.interrupted),
      })),
    repeatCycleSameCartridge: fired ? bool(form.repeatCycleSameCartridge) : false,
    probeMiss: fired ? code(form.probeMiss) : 'not_fired',
    probeSites: fired ? form.probeSites : [],
    warningGiven: bool(form.warningGiven),
    distanceMetres: numberOr(form.distanceMetres, null),
    effective: bool(form.effective),
    probesRemovedBy: fired ? (code(form.probesRemovedBy) ?? null) : null,
    medicalCheck: bool(form.medicalCheck),
    footageReference: optionalText(form.footageReference),
  }
}

/** The draft with CED use `index` (from 0) replaced, or added when it is the next one. */
export function withCedUse(data: DraftData, index: number, form: CedUseForm): DraftData {
  const uses = [...list(data.cedUses)]
  uses[index] = cedUseInput(form)
  return { ...data, cedUses: uses }
}

// ---- Reasons and impact factors

export interface ReasonsForm {
  reasons: string[]
  impactFactors: string[]
}

export const reasonsForm: PageForm<ReasonsForm> = {
  read: (data) => ({ reasons: strings(data.reasons), impactFactors: strings(data.impactFactors) }),
  parse: (body) => ({ reasons: fields(body, 'reasons'), impactFactors: fields(body, 'impactFactors') }),
  write: (data, form) => ({ ...data, reasons: form.reasons, impactFactors: form.impactFactors }),
}

// ---- Outcomes and injuries

export interface OutcomesForm {
  outcomes: string[]
  officerInjured: string
  intentionalAssault: string
  officerInjuryLevel: string
  officerMedicalProvided: string
  subjectInjured: string
  subjectInjuryLevel: string
  subjectInjuryNature: string
  subjectMedicalOffered: string
  subjectMedicalProvided: string
}

export const outcomesForm: PageForm<OutcomesForm> = {
  read(data) {
    const officer = record(data.officerInjury)
    const subject = record(data.subjectInjury)
    return {
      outcomes: strings(data.outcomes),
      officerInjured: text(officer.injured),
      intentionalAssault: text(officer.intentionalAssault),
      officerInjuryLevel: text(officer.level),
      officerMedicalProvided: yesNo(officer.medicalProvided),
      subjectInjured: text(subject.injured),
      subjectInjuryLevel: text(subject.level),
      subjectInjuryNature: text(subject.nature),
      subjectMedicalOffered: yesNo(subject.medicalOffered),
      subjectMedicalProvided: yesNo(subject.medicalProvided),
    }
  },
  parse: (body) => ({
    outcomes: fields(body, 'outcomes'),
    officerInjured: field(body, 'officerInjured'),
    intentionalAssault: field(body, 'intentionalAssault'),
    officerInjuryLevel: field(body, 'officerInjuryLevel'),
    officerMedicalProvided: field(body, 'officerMedicalProvided'),
    subjectInjured: field(body, 'subjectInjured'),
    subjectInjuryLevel: field(body, 'subjectInjuryLevel'),
    subjectInjuryNature: field(body, 'subjectInjuryNature'),
    subjectMedicalOffered: field(body, 'subjectMedicalOffered'),
    subjectMedicalProvided: field(body, 'subjectMedicalProvided'),
  }),
  write(data, form) {
    const officerHurt = form.officerInjured === 'yes'
    const subjectHurt = form.subjectInjured === 'yes'
    return {
      ...data,
      outcomes: form.outcomes,
      officerInjury: {
        injured: code(form.officerInjured),
        intentionalAssault: officerHurt ? (code(form.intentionalAssault) ?? null) : null,
        level: officerHurt ? (code(form.officerInjuryLevel) ?? null) : null,
        medicalProvided: bool(form.officerMedicalProvided),
      },
      subjectInjury: {
        injured: code(form.subjectInjured),
        level: subjectHurt ? (code(form.subjectInjuryLevel) ?? null) : null,
        nature: subjectHurt ? optionalText(form.subjectInjuryNature) : null,
        medicalOffered: bool(form.subjectMedicalOffered),
        medicalProvided: bool(form.subjectMedicalProvided),
      },
    }
  },
}

// ---- About you

export interface AboutYouForm {
  mainDuty: string
  singleCrewed: string
  cedTrained: string
  cedCarried: string
  assaultedBySubject: string
  threatenedWithWeapon: string
  assaultedWithWeapon: string
  subjectConduct: string
}

export const aboutYouForm: PageForm<AboutYouForm> = {
  read(data) {
    const officer = record(data.officer)
    return {
      mainDuty: text(officer.mainDuty),
      singleCrewed: yesNo(officer.singleCrewed),
      cedTrained: yesNo(officer.cedTrained),
      cedCarried: yesNo(officer.cedCarried),
      assaultedBySubject: yesNo(officer.assaultedBySubject),
      threatenedWithWeapon: yesNo(officer.threatenedWithWeapon),
      assaultedWithWeapon: yesNo(officer.assaultedWithWeapon),
      subjectConduct: text(data.subjectConduct),
    }
  },
  parse: (body) => ({
    mainDuty: field(body, 'mainDuty'),
    singleCrewed: field(body, 'singleCrewed'),
    cedTrained: field(body, 'cedTrained'),
    cedCarried: field(body, 'cedCarried'),
    assaultedBySubject: field(body, 'assaultedBySubject'),
    threatenedWithWeapon: field(body, 'threatenedWithWeapon'),
    assaultedWithWeapon: field(body, 'assaultedWithWeapon'),
    subjectConduct: field(body, 'subjectConduct'),
  }),
  write: (data, form) => ({
    ...data,
    officer: {
      mainDuty: code(form.mainDuty),
      singleCrewed: bool(form.singleCrewed),
      cedTrained: bool(form.cedTrained),
      cedCarried: bool(form.cedCarried),
      assaultedBySubject: bool(form.assaultedBySubject),
      threatenedWithWeapon: bool(form.threatenedWithWeapon),
      // Asked only of an officer who was assaulted: anyone else was not assaulted with a weapon either.
      assaultedWithWeapon: form.assaultedBySubject === 'no' ? false : bool(form.assaultedWithWeapon),
    },
    subjectConduct: code(form.subjectConduct),
  }),
}

// ---- Your account

export interface AccountForm {
  justification: string
  deEscalation: string
  bwvActivated: string
  bwvReference: string
}

export const accountForm: PageForm<AccountForm> = {
  read(data) {
    const video = record(data.bodyWornVideo)
    return {
      justification: text(data.justification),
      deEscalation: text(data.deEscalation),
      bwvActivated: yesNo(video.activated),
      bwvReference: text(video.reference),
    }
  },
  parse: (body) => ({
    justification: field(body, 'justification'),
    deEscalation: field(body, 'deEscalation'),
    bwvActivated: field(body, 'bwvActivated'),
    bwvReference: field(body, 'bwvReference'),
  }),
  write: (data, form) => ({
    ...data,
    justification: form.justification,
    deEscalation: form.deEscalation,
    bodyWornVideo: {
      activated: bool(form.bwvActivated),
      reference: form.bwvActivated === 'yes' ? optionalText(form.bwvReference) : null,
    },
  }),
}
