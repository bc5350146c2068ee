import { cedUse } from '../../../domain/use-of-force/report.js'
import { cedBodySites, cedDeviceModels, cedLevels } from '../../../domain/use-of-force/ced.js'
import type { CodeList, Code } from '../../../domain/use-of-force/code-list.js'
import {
  impactFactors,
  intentionalAssault,
  locationTypes,
  mainDuties,
  officerInjured,
  officerInjuryLevels,
  outcomes,
  reasons,
  subjectInjured,
  subjectInjuryLevels,
} from '../../../domain/use-of-force/context.js'
import {
  ageBands,
  genders,
  healthConditions,
  perceivedEthnicities,
  selfDefinedEthnicities,
  subjectConduct,
} from '../../../domain/use-of-force/subject.js'
import { tactics } from '../../../domain/use-of-force/tactics.js'
import { dateTime } from '../../../web/templates.js'
import type { Change } from '../report-diff.js'
import type { IncidentSummary } from '../reports.repository.js'
import { list, record, type DraftData } from './draft-data.js'
import { fieldFor, type Path, type SectionKey } from './field-map.js'
import { probeMissLabels, probeRemovalLabels } from './options.js'

/**
 * A report's answers for people to read: the summary lists of check your answers and of the report page, and the
 * labels of a version's changes. Each answer's question and wording of its value are declared once, here.
 */

const NOT_ANSWERED = 'Not answered'
const NOT_GIVEN = 'Not given'

type Format = (value: unknown) => string | string[]

const plain: Format = (value) => {
  if (value === undefined) return NOT_ANSWERED
  if (value === null || value === '') return NOT_GIVEN
  if (typeof value === 'boolean') return value ? 'Yes' : 'No'
  return String(value)
}

const when: Format = (value) => {
  if (typeof value !== 'string' || value === '') return NOT_ANSWERED
  const time = Date.parse(value)
  // The draft keeps unfinished dates as typed, without an offset; only a complete one is a time.
  return /(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(time)
    ? dateTime.format(new Date(time))
    : 'Not a real date and time'
}

const code =
  (codes: Pick<CodeList<Code>, 'has' | 'label'>): Format =>
  (value) =>
    codes.has(value) ? codes.label(value) : plain(value)

/** Several codes: a list from the form, or the comma-separated text a version's change gives. */
const codes =
  (list_: Pick<CodeList<Code>, 'has' | 'label'>, none = 'None'): Format =>
  (value) => {
    if (value === undefined) return NOT_ANSWERED
    const values = Array.isArray(value) ? value : typeof value === 'string' && value !== '' ? value.split(', ') : []
    return values.length ? values.map((v) => (list_.has(v) ? list_.label(v) : String(v))) : none
  }

const labelled =
  (labels: Record<string, string>): Format =>
  (value) =>
    typeof value === 'string' && labels[value] ? labels[value] : plain(value)

const seconds: Format = (value) => (typeof value === 'number' ? `${value} seconds` : plain(value))
const metres: Format = (value) => (typeof value === 'number' ? `${value} metres` : plain(value))

interface Question {
  label: string
  format: Format
}

const q = (label: string, format: Format = plain): Question => ({ label, format })

/** Each answer's question, by its path with list positions as `*`. */
const questions: Record<string, Question> = {
  'incident.reference': q('Incident reference'),
  'incident.occurredAt': q('Date and time', when),
  'incident.locationTypes': q('Type of location', codes(locationTypes)),
  'incident.area': q('Area'),
  'incident.planned': q('Planned or spontaneous', (v) =>
    v === true ? 'Planned' : v === false ? 'Spontaneous' : plain(v),
  ),
  'subject.label': q('Person'),
  'subject.ageBand': q('Age, as you perceived it', code(ageBands)),
  'subject.gender': q('Gender, as you perceived it', code(genders)),
  'subject.perceivedEthnicity': q('Ethnicity, as you perceived it', code(perceivedEthnicities)),
  'subject.selfDefinedEthnicity': q('Ethnicity, as the person gave it', code(selfDefinedEthnicities)),
  'subject.healthCondition': q('Physical or mental health condition', code(healthConditions)),
  tactics: q('Tactics'),
  'tactics.*.tactic': q('Tactic', code(tactics)),
  'tactics.*.effective': q('Effective'),
  cedUses: q('CED uses'),
  'cedUses.*.deviceSerial': q('Device serial number'),
  'cedUses.*.deviceModel': q('Device model', code(cedDeviceModels)),
  'cedUses.*.levels': q('Levels of use', codes(cedLevels)),
  'cedUses.*.driveStunRepeat': q('Drive-stun applied more than once'),
  'cedUses.*.cartridges': q('Cartridges'),
  'cedUses.*.cartridges.*.serial': q('Cartridge serial number'),
  'cedUses.*.cartridges.*.bay': q('Bay'),
  'cedUses.*.cycles': q('Cycles'),
  'cedUses.*.cycles.*.seconds': q('Length', seconds),
  'cedUses.*.cycles.*.extended': q('Extended beyond 5 seconds'),
  'cedUses.*.cycles.*.interrupted': q('Interrupted'),
  'cedUses.*.repeatCycleSameCartridge': q('A cartridge cycled more than once'),
  'cedUses.*.probeMiss': q('Did either probe miss', labelled(probeMissLabels)),
  'cedUses.*.probeSites': q('Probe strike sites', codes(cedBodySites)),
  'cedUses.*.warningGiven': q('Warning given'),
  'cedUses.*.distanceMetres': q('Distance from the person', metres),
  'cedUses.*.effective': q('Effective'),
  'cedUses.*.probesRemovedBy': q('Probes removed by', labelled(probeRemovalLabels)),
  'cedUses.*.medicalCheck': q('Medical check after the CED use'),
  'cedUses.*.footageReference': q('Footage reference'),
  reasons: q('Reasons for using force', codes(reasons)),
  impactFactors: q('Impact factors', codes(impactFactors)),
  outcomes: q('Outcomes', codes(outcomes)),
  'officerInjury.injured': q('You were injured', code(officerInjured)),
  'officerInjury.intentionalAssault': q('Your injury was from an intentional assault', code(intentionalAssault)),
  'officerInjury.level': q('How serious your injury was', code(officerInjuryLevels)),
  'officerInjury.medicalProvided': q('You received medical assistance'),
  'subjectInjury.injured': q('The person was injured', code(subjectInjured)),
  'subjectInjury.level': q('How serious the person’s injury was', code(subjectInjuryLevels)),
  'subjectInjury.nature': q('Nature of the person’s injury'),
  'subjectInjury.medicalOffered': q('Medical assistance offered to the person'),
  'subjectInjury.medicalProvided': q('Medical assistance provided to the person'),
  'officer.mainDuty': q('Your main duty', code(mainDuties)),
  'officer.singleCrewed': q('Single crewed'),
  'officer.cedTrained': q('Trained to carry a CED'),
  'officer.cedCarried': q('Carrying a CED'),
  'officer.assaultedBySubject': q('The person assaulted you'),
  'officer.threatenedWithWeapon': q('The person threatened you with a weapon'),
  'officer.assaultedWithWeapon': q('The person assaulted you with a weapon'),
  subjectConduct: q('The person’s behaviour', code(subjectConduct)),
  justification: q('Why the force was necessary and proportionate'),
  deEscalation: q('What you did to de-escalate'),
  'bodyWornVideo.activated': q('Body-worn video recording'),
  'bodyWornVideo.reference': q('Body-worn video footage reference'),
}

const patternOf = (path: Path) => path.map((p) => (typeof p === 'number' ? '*' : p)).join('.')

function question(path: Path): Question {
  return questions[patternOf(path)] ?? q(patternOf(path))
}

// ---- Summary lists

export interface SummaryRow {
  key: { text: string }
  value: { text: string } | { html: string }
  actions?: { items: { href: string; text: string; visuallyHiddenText: string }[] }
}

export interface SummaryList {
  /** A card's title, when the section has several of the same thing (CED uses). */
  title?: string
  rows: SummaryRow[]
}

export interface SummarySection {
  key: SectionKey
  title: string
  lists: SummaryList[]
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)

function valueOf(formatted: string | string[]): SummaryRow['value'] {
  if (typeof formatted === 'string') return { text: formatted }
  return { html: formatted.map(escapeHtml).join('<br>') }
}

interface Builder {
  row(path: Path, value: unknown, options?: { label?: string; format?: Format }): SummaryRow
}

function builder(changeBase: string | undefined): Builder {
  return {
    row(path, value, options = {}) {
      const { label, format } = { ...question(path), ...options }
      const ref = fieldFor(path)
      return {
        key: { text: label },
        value: valueOf(format(value)),
        ...(changeBase
          ? {
              actions: {
                items: [
                  {
                    href: `${changeBase}/${ref.page}#${ref.field}`,
                    text: 'Change',
                    visuallyHiddenText: label.charAt(0).toLowerCase() + label.slice(1),
                  },
                ],
              },
            }
          : {}),
      }
    },
  }
}

export interface SummaryOptions {
  /** The draft's address, for change links; none on a submitted report. */
  changeBase?: string
  sections: readonly SectionKey[]
  /** The incident a draft names by reference, to describe it. */
  incident?: IncidentSummary | null
}

const labelOf = (codes_: Pick<CodeList<Code>, 'has' | 'label'>, value: string) =>
  codes_.has(value) ? codes_.label(value) : value

/** A person already recorded on an incident, as the officer would recognise them. */
export const describePerson = (person: IncidentSummary['subjects'][number]) =>
  `${person.label}: ${labelOf(ageBands, person.ageBand)}, ${labelOf(genders, person.gender)}, ` +
  labelOf(perceivedEthnicities, person.perceivedEthnicity)

function incidentRows(b: Builder, data: DraftData, incident: IncidentSummary | null | undefined): SummaryRow[] {
  const answers = record(data.incident)
  const rows: SummaryRow[] = []
  if ('reference' in answers) rows.push(b.row(['incident', 'reference'], answers.reference))
  if ('reference' in answers && !('occurredAt' in answers)) {
    const found = incident
      ? `${dateTime.format(incident.occurredAt)}, ${incident.area}`
      : 'No incident has this reference'
    return [...rows, b.row(['incident', 'reference'], found, { label: 'Incident' })]
  }
  return [
    ...rows,
    b.row(['incident', 'occurredAt'], answers.occurredAt),
    b.row(['incident', 'locationTypes'], answers.locationTypes),
    b.row(['incident', 'area'], answers.area),
    b.row(['incident', 'planned'], answers.planned),
  ]
}

function personRows(b: Builder, data: DraftData, incident: IncidentSummary | null | undefined): SummaryRow[] {
  const answers = record(data.subject)
  if ('id' in answers && !('ageBand' in answers)) {
    const person = incident?.subjects.find((s) => s.id === answers.id)
    return [b.row(['subject', 'id'], person ? describePerson(person) : NOT_ANSWERED, { label: 'Person' })]
  }
  return [
    ...('label' in answers ? [b.row(['subject', 'label'], answers.label)] : []),
    ...(['ageBand', 'gender', 'perceivedEthnicity', 'selfDefinedEthnicity', 'healthCondition'] as const).map((key) =>
      b.row(['subject', key], answers[key]),
    ),
  ]
}

function tacticRows(b: Builder, data: DraftData): SummaryRow[] {
  const lines = list(data.tactics).map((t, i) => {
    const { tactic, effective } = record(t)
    const name = code(tactics)(tactic)
    const worked =
      effective === true ? 'effective' : effective === false ? 'not effective' : 'effectiveness not answered'
    return `${i + 1}. ${String(name)} (${worked})`
  })
  const format: Format = () => (data.tactics === undefined ? NOT_ANSWERED : lines.length ? lines : 'None')
  return [b.row(['tactics'], lines, { format })]
}

/** Every answer of a CED use, in the schema's order (which is the page's). */
const CED_USE_KEYS = cedUse.keyof().options

function cedUseRows(b: Builder, use: Record<string, unknown>, index: number): SummaryRow[] {
  return CED_USE_KEYS.map((key) => {
    const path = ['cedUses', index, key]
    if (key === 'cartridges') {
      const lines = list(use.cartridges).map((c, k) => {
        const { serial, bay } = record(c)
        return `${k + 1}. ${plain(serial)}${bay === null || bay === undefined || bay === '' ? '' : `, bay ${plain(bay)}`}`
      })
      return b.row(path, lines, { format: () => (lines.length ? lines : 'None') })
    }
    if (key === 'cycles') {
      const lines = list(use.cycles).map((c, k) => {
        const { seconds: length, extended, interrupted } = record(c)
        const notes = [extended === true ? 'extended' : '', interrupted === true ? 'interrupted' : ''].filter(Boolean)
        return `${k + 1}. ${String(seconds(length))}${notes.length ? ` (${notes.join(', ')})` : ''}`
      })
      return b.row(path, lines, { format: () => (lines.length ? lines : 'None') })
    }
    return b.row(path, use[key])
  })
}

/** The answers, section by section, as summary lists; with change links into the draft when `changeBase` is given. */
export function reportSummary(data: DraftData, options: SummaryOptions): SummarySection[] {
  const b = builder(options.changeBase)
  const titles: Record<SectionKey, string> = {
    incident: 'Incident',
    person: 'The person',
    tactics: 'Force used',
    ced: 'CED use',
    reasons: 'Reasons and impact factors',
    outcomes: 'Outcomes and injuries',
    'about-you': 'About you',
    account: 'Your account',
  }
  const one = (rows: SummaryRow[]): SummaryList[] => [{ rows }]
  const build: Record<SectionKey, () => SummaryList[]> = {
    incident: () => one(incidentRows(b, data, options.incident)),
    person: () => one(personRows(b, data, options.incident)),
    tactics: () => one(tacticRows(b, data)),
    ced: () => list(data.cedUses).map((use, i) => ({ title: `CED use ${i + 1}`, rows: cedUseRows(b, record(use), i) })),
    reasons: () => one([b.row(['reasons'], data.reasons), b.row(['impactFactors'], data.impactFactors)]),
    outcomes: () => {
      const officer = record(data.officerInjury)
      const subject = record(data.subjectInjury)
      return one([
        b.row(['outcomes'], data.outcomes),
        ...(['injured', 'intentionalAssault', 'level', 'medicalProvided'] as const).map((k) =>
          b.row(['officerInjury', k], officer[k]),
        ),
        ...(['injured', 'level', 'nature', 'medicalOffered', 'medicalProvided'] as const).map((k) =>
          b.row(['subjectInjury', k], subject[k]),
        ),
      ])
    },
    'about-you': () => {
      const officer = record(data.officer)
      const keys = [
        'mainDuty',
        'singleCrewed',
        'cedTrained',
        'cedCarried',
        'assaultedBySubject',
        'threatenedWithWeapon',
        'assaultedWithWeapon',
      ] as const
      return one([
        ...keys.map((k) => b.row(['officer', k], officer[k])),
        b.row(['subjectConduct'], data.subjectConduct),
      ])
    },
    account: () => {
      const video = record(data.bodyWornVideo)
      return one([
        b.row(['justification'], data.justification),
        b.row(['deEscalation'], data.deEscalation),
        b.row(['bodyWornVideo', 'activated'], video.activated),
        b.row(['bodyWornVideo', 'reference'], video.reference),
      ])
    },
  }
  return options.sections.map((key) => ({ key, title: titles[key], lists: build[key]() }))
}

// ---- Version history

const ordinalNames: Record<string, string> = {
  tactics: 'Tactic',
  cedUses: 'CED use',
  cartridges: 'cartridge',
  cycles: 'cycle',
}

export interface ChangeRow {
  question: string
  was: string
  now: string
}

const asText = (formatted: string | string[]) => (typeof formatted === 'string' ? formatted : formatted.join(', '))

const questionOrder = Object.keys(questions)

/** Where the answers under a path come in the form: the first question at or below it. */
function formOrder(path: Path): number {
  const prefix = patternOf(path)
  const index = questionOrder.findIndex((key) => key === prefix || key.startsWith(`${prefix}.`))
  return index < 0 ? questionOrder.length : index
}

/** Orders paths as the form asks their questions (stored versions keep keys in the database's order). */
function inFormOrder(a: Path, b: Path): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const [x, y] = [a[i], b[i]]
    if (x === y) continue
    if (x === undefined) return -1
    if (y === undefined) return 1
    if (typeof x === 'number' && typeof y === 'number') return x - y
    return formOrder(a.slice(0, i + 1)) - formOrder(b.slice(0, i + 1))
  }
  return 0
}

/** A version's changes as "was / now" rows, in the form's order: each answer's question, its values in words. */
export function describeChanges(changes: readonly Change[]): ChangeRow[] {
  // Versions number list items from 1 (tactics.2.tactic is the second tactic).
  const parsed = changes.map((change) => ({
    change,
    path: change.path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) - 1 : p)),
  }))
  parsed.sort((a, b) => inFormOrder(a.path, b.path))
  return parsed.map(({ change, path }) => {
    const { label, format } = question(path)
    const where: string[] = []
    path.forEach((part, i) => {
      const owner = path[i - 1]
      if (typeof part === 'number' && typeof owner === 'string')
        where.push(`${ordinalNames[owner] ?? owner} ${part + 1}`)
    })
    const show = (value: unknown) => asText(value === null ? NOT_GIVEN : format(value))
    return {
      question: where.length ? `${where.join(', ')}: ${label.charAt(0).toLowerCase()}${label.slice(1)}` : label,
      was: show(change.before),
      now: show(change.after),
    }
  })
}
