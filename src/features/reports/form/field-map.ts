import { cedUse } from '../../../domain/use-of-force/report.js'
/**
 * Where each answer of a report is asked: every path the schema or the rules can name (such as
 * `cedUses.0.cycles.1.extended`) belongs to exactly one field on exactly one page of the form. Error messages link
 * through this, and so do the change links on check your answers. Page numbers in addresses count from 1 (the
 * first CED use is `ced/1`); rows within a page keep the schema's index (its cycle 1 is field `cycles-1-…`).
 */

export type Path = readonly (string | number)[]

export type SectionKey = 'incident' | 'person' | 'tactics' | 'ced' | 'reasons' | 'outcomes' | 'about-you' | 'account'

export interface FieldRef {
  /** The page's address after /reports/drafts/:id/, such as 'incident/details' or 'ced/2'. */
  page: string
  /** The id of the input (or the first radio or checkbox of a group), without '#'. */
  field: string
}

/** The address of check your answers, where problems that belong to no field are shown. */
export const CHECK_PAGE = 'check'
const SUBMIT_FIELD = 'submit'

/** Paths that do not repeat, keyed by the path's names (list positions of multi-selects left out). */
const fixed: Record<string, FieldRef> = {
  incident: { page: 'incident', field: 'incidentKind' },
  'incident.reference': { page: 'incident', field: 'reference' },
  'incident.occurredAt': { page: 'incident/details', field: 'occurredAt-day' },
  // Not a schema path: the form checks the time on its own so it can say what is wrong with it.
  'incident.occurredAt.time': { page: 'incident/details', field: 'occurredAt-time' },
  'incident.locationTypes': { page: 'incident/details', field: 'locationTypes' },
  'incident.area': { page: 'incident/details', field: 'area' },
  'incident.planned': { page: 'incident/details', field: 'planned' },
  subject: { page: 'person/details', field: 'ageBand' },
  'subject.id': { page: 'person', field: 'subjectId' },
  'subject.ageBand': { page: 'person/details', field: 'ageBand' },
  'subject.gender': { page: 'person/details', field: 'gender' },
  'subject.perceivedEthnicity': { page: 'person/details', field: 'perceivedEthnicity' },
  'subject.selfDefinedEthnicity': { page: 'person/details', field: 'selfDefinedEthnicity' },
  'subject.healthCondition': { page: 'person/details', field: 'healthCondition' },
  tactics: { page: 'tactics', field: 'tactics-0-tactic' },
  cedUses: { page: 'ced/1', field: 'deviceSerial' },
  reasons: { page: 'reasons', field: 'reasons' },
  impactFactors: { page: 'reasons', field: 'impactFactors' },
  outcomes: { page: 'outcomes', field: 'outcomes' },
  officerInjury: { page: 'outcomes', field: 'officerInjured' },
  'officerInjury.injured': { page: 'outcomes', field: 'officerInjured' },
  'officerInjury.intentionalAssault': { page: 'outcomes', field: 'intentionalAssault' },
  'officerInjury.level': { page: 'outcomes', field: 'officerInjuryLevel' },
  'officerInjury.medicalProvided': { page: 'outcomes', field: 'officerMedicalProvided' },
  subjectInjury: { page: 'outcomes', field: 'subjectInjured' },
  'subjectInjury.injured': { page: 'outcomes', field: 'subjectInjured' },
  'subjectInjury.level': { page: 'outcomes', field: 'subjectInjuryLevel' },
  'subjectInjury.nature': { page: 'outcomes', field: 'subjectInjuryNature' },
  'subjectInjury.medicalOffered': { page: 'outcomes', field: 'subjectMedicalOffered' },
  'subjectInjury.medicalProvided': { page: 'outcomes', field: 'subjectMedicalProvided' },
  officer: { page: 'about-you', field: 'mainDuty' },
  'officer.mainDuty': { page: 'about-you', field: 'mainDuty' },
  'officer.singleCrewed': { page: 'about-you', field: 'singleCrewed' },
  'officer.cedTrained': { page: 'about-you', field: 'cedTrained' },
  'officer.cedCarried': { page: 'about-you', field: 'cedCarried' },
  'officer.assaultedBySubject': { page: 'about-you', field: 'assaultedBySubject' },
  'officer.threatenedWithWeapon': { page: 'about-you', field: 'threatenedWithWeapon' },
  'officer.assaultedWithWeapon': { page: 'about-you', field: 'assaultedWithWeapon' },
  subjectConduct: { page: 'about-you', field: 'subjectConduct' },
  justification: { page: 'account', field: 'justification' },
  deEscalation: { page: 'account', field: 'deEscalation' },
  bodyWornVideo: { page: 'account', field: 'bwvActivated' },
  'bodyWornVideo.activated': { page: 'account', field: 'bwvActivated' },
  'bodyWornVideo.reference': { page: 'account', field: 'bwvReference' },
  // An amendment's reason is asked on its check your answers page.
  reason: { page: CHECK_PAGE, field: 'reason' },
}

/** The answers of one CED use that are a single field on its page (multi-selects included). */
const cedUseFields = new Set<string>(cedUse.keyof().options.filter((key) => key !== 'cartridges' && key !== 'cycles'))

const rowFields: Record<string, { first: string; fields: readonly string[] }> = {
  cartridges: { first: 'serial', fields: ['serial', 'bay'] },
  cycles: { first: 'seconds', fields: ['seconds', 'extended', 'interrupted'] },
}

function cedUseField(rest: Path): string | undefined {
  const [name, row, field] = rest
  if (typeof name !== 'string') return 'deviceSerial'
  if (cedUseFields.has(name)) return name
  const rows = rowFields[name]
  if (!rows) return undefined
  // A problem with the list as a whole is shown on its first row, which the page always has.
  if (typeof row !== 'number') return `${name}-0-${rows.first}`
  return `${name}-${row}-${typeof field === 'string' && rows.fields.includes(field) ? field : rows.first}`
}

/**
 * The page and field a path belongs to, or the submit button of check your answers for a path that is no field's
 * (a problem with the whole report, such as a stale version).
 */
export function fieldFor(path: Path): FieldRef {
  const [head, index, ...rest] = path
  if (head === 'tactics' && typeof index === 'number') {
    const field = rest[0] === 'effective' ? 'effective' : 'tactic'
    return { page: 'tactics', field: `tactics-${index}-${field}` }
  }
  if (head === 'cedUses' && typeof index === 'number') {
    const field = cedUseField(rest)
    if (field) return { page: `ced/${index + 1}`, field }
  }
  // Positions within a multi-select (locationTypes.2) are the group's field.
  const key = path.filter((p) => typeof p === 'string').join('.')
  return fixed[key] ?? { page: CHECK_PAGE, field: SUBMIT_FIELD }
}

/** The task-list section a page belongs to. */
function sectionOfPage(page: string): SectionKey | undefined {
  const first = page.split('/')[0]
  switch (first) {
    case 'incident':
    case 'tactics':
    case 'ced':
    case 'reasons':
    case 'outcomes':
    case 'about-you':
    case 'account':
      return first
    case 'person':
      return 'person'
    default:
      return undefined
  }
}

export function sectionOf(path: Path): SectionKey | undefined {
  return sectionOfPage(fieldFor(path).page)
}
