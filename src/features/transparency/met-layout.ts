import { cedBodySites, cedLevels, highestCedLevel, metCedBlockColumn } from '../../domain/use-of-force/ced.js'
import {
  impactFactors,
  locationTypes,
  mainDuties,
  officerInjuryLevels,
  outcomes,
  reasons,
  subjectInjured,
  subjectInjuryLevels,
  yesNoNotReported,
} from '../../domain/use-of-force/context.js'
import type { CedUse, IncidentDetails, ReportBody, SubjectDetails } from '../../domain/use-of-force/report.js'
import {
  ageBands,
  genders,
  healthConditions,
  perceivedEthnicities,
  subjectConduct,
} from '../../domain/use-of-force/subject.js'
import { tactics } from '../../domain/use-of-force/tactics.js'

/**
 * Record-level open data in the Metropolitan Police's layout (domain reference 2.2: the 271 columns of the Met's
 * FY20-21 file, names, order and typos as theirs), one row per report (one officer, one person), so that anyone who
 * reads the Met's file can read ours.
 *
 * What is left out or coarsened, so that no one can be identified from a row (docs/transparency.md):
 * - No free text (justification, de-escalation, the nature of an injury, the officer's own area text), no names, no
 *   collar numbers, no incident or footage references, no device serial numbers: `CED Device Serial No` is blank
 *   and `SubjectNatureOfInjury` gives the injury level from its code list instead of the officer's words.
 * - Age only as the Met's bands; the area is the reporting officer's basic command unit (the Met's `Borough`), never
 *   the place.
 * - `IncidentDate` is the London date, as the Met gives it; `IncidentTime` is coarsened to the hour ('14:00'), a
 *   time to the minute being what most easily links a row to a named event.
 */

/** What one row is made of: the report's answers, with the incident and person, and the area it is published under. */
export interface OpenDataRecord {
  incident: IncidentDetails
  subject: SubjectDetails
  body: ReportBody
  /** The reporting officer's basic command unit, or '' when the officer is outside one. */
  borough: string
}

type Cell = (record: OpenDataRecord) => string

const yesNo = (value: boolean | null | undefined) => (value === true ? 'Yes' : value === false ? 'No' : '')
const byMetColumn = <C extends { value: string; metColumn?: string }>(codes: readonly C[], column: string): C => {
  const code = codes.find((c) => c.metColumn === column)
  if (!code) throw new Error(`No code has the Met column '${column}'`)
  return code
}

// The Met orders its location columns differently from the Home Office list, so the order is theirs, written out.
const LOCATION_COLUMNS = [
  'Street/Highway',
  'Public Transport',
  'Retail Premises',
  'Open ground (e.g. park, car park, field)',
  'Licensed Premises',
  'Sports or Event Stadia',
  'Hospital/A&E (non-mental-health setting)',
  'Mental Health Setting',
  'Police vehicle with prisoner handling cage',
  'Police vehicle without prisoner handling cage',
  'Dwelling',
  'Police station (excluding custody block)',
  'Custody Block',
  'Ambulance',
  'Other',
].map((place) => `Incident Location: ${place}`)

// A CED block, in the Met's order; the levels and probe sites come from the code lists by their Met names.
const CED_LEVEL_COLUMNS = ['Drawn', 'Aimed', 'Arced', 'Red-Dotted', 'Drive Stun'] as const
const CED_FIRED_COLUMNS = [
  'CED Fired Cartridge Number',
  'CED Fired 5 Secs Cycle Interrupted',
  'CED Fired Repeat Cycle Same Cartridge',
  'CED Fired Total Number Of Cycles',
  'CED Fired Cycle Extended Beyond 5 Secs',
  'CED Fired Miss With One Probe',
  'CED Fired Miss With Both Probes',
] as const

function cedBlock(block: 1 | 2 | 3 | 4): [string, Cell][] {
  const use = (r: OpenDataRecord): CedUse | undefined => r.body.cedUses[block - 1]
  const level = (metColumn: string): Cell => {
    const code = cedLevels.codes.find((c) => c.metColumn === metColumn)
    if (!code) throw new Error(`No CED level has the Met column '${metColumn}'`)
    return (r) => {
      const u = use(r)
      return u ? yesNo(u.levels.includes(code.value)) : ''
    }
  }
  const fired =
    (cell: (u: CedUse) => string | number): Cell =>
    (r) => {
      const u = use(r)
      return u?.levels.includes('fired') ? String(cell(u)) : ''
    }
  const firedCells: Record<(typeof CED_FIRED_COLUMNS)[number], Cell> = {
    'CED Fired Cartridge Number': fired((u) => u.cartridges.length),
    'CED Fired 5 Secs Cycle Interrupted': fired((u) => yesNo(u.cycles.some((c) => c.interrupted))),
    'CED Fired Repeat Cycle Same Cartridge': fired((u) => yesNo(u.repeatCycleSameCartridge)),
    'CED Fired Total Number Of Cycles': fired((u) => u.cycles.length),
    'CED Fired Cycle Extended Beyond 5 Secs': fired((u) => yesNo(u.cycles.some((c) => c.extended))),
    'CED Fired Miss With One Probe': fired((u) => yesNo(u.probeMiss === 'one')),
    'CED Fired Miss With Both Probes': fired((u) => yesNo(u.probeMiss === 'both')),
  }
  const columns: [string, Cell][] = [
    ...CED_LEVEL_COLUMNS.map((name): [string, Cell] => [`CED ${name}`, level(name)]),
    ['CED Drive Stun Repeat Application', (r) => (use(r) ? yesNo(use(r)?.driveStunRepeat) : '')],
    ['CED Angle Drive Stun', level('Angle Drive Stun')],
    ['CED Fired', level('Fired')],
    ...CED_FIRED_COLUMNS.map((name): [string, Cell] => [name, firedCells[name]]),
    ...cedBodySites.codes.map((site): [string, Cell] => [
      site.metColumn,
      (r) => {
        const u = use(r)
        return u ? yesNo(u.probeSites.includes(site.value)) : ''
      },
    ]),
  ]
  return columns.map(([name, cell]) => [metCedBlockColumn(block, name), cell])
}

const londonHour = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hourCycle: 'h23' })
const londonDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', dateStyle: 'short' })

/** The report's tactic in the Met's words: a CED tactic is named by the report's highest level of use. */
function tacticName(tactic: ReportBody['tactics'][number]['tactic'], body: ReportBody): string {
  const code = tactics.byValue(tactic)
  if (code.metValue) return code.metValue
  const highest = highestCedLevel(body.cedUses.flatMap((u) => u.levels))
  return tactic === 'ced' && highest ? cedLevels.byValue(highest).metTactic : code.label
}

const tacticColumns: [string, Cell][] = Array.from({ length: 20 }, (_, i) => {
  const n = i + 1
  const tactic = (r: OpenDataRecord) => r.body.tactics[i]
  const name: Cell = (r) => {
    const used = tactic(r)
    return used ? tacticName(used.tactic, r.body) : ''
  }
  return [
    [`Tactic ${n}`, name],
    [n === 20 ? 'Tactic Effective 20' : `Effective ${n}`, (r: OpenDataRecord) => yesNo(tactic(r)?.effective)],
  ] as [string, Cell][]
}).flat()

const flagColumns = <C extends { value: string; metColumn?: string }>(
  codes: readonly C[],
  names: readonly string[],
  chosen: (r: OpenDataRecord) => readonly string[],
): [string, Cell][] =>
  names.map((name) => {
    const code = byMetColumn(codes, name)
    return [name, (r) => yesNo(chosen(r).includes(code.value))]
  })
const metColumnsOf = (codes: readonly { metColumn?: string; order: number }[]) =>
  [...codes].sort((a, b) => a.order - b.order).flatMap((c) => (c.metColumn ? [c.metColumn] : []))
const firearm = (value: 'firearm_aimed' | 'firearm_fired'): [string, Cell] => [
  tactics.byValue(value).metColumn ?? value,
  (r) => yesNo(r.body.tactics.some((t) => t.tactic === value)),
]
const health = (r: OpenDataRecord) => healthConditions.byValue(r.subject.healthCondition)
const threeWay = (value: string | null) => (value ? yesNoNotReported.byValue(value as 'yes').label : '')

const layout: [string, Cell][] = [
  ['IncidentDate', (r) => londonDay.format(new Date(r.incident.occurredAt))],
  ['IncidentTime', (r) => `${londonHour.format(new Date(r.incident.occurredAt))}:00`],
  ...flagColumns(locationTypes.codes, LOCATION_COLUMNS, (r) => r.incident.locationTypes),
  ['Borough', (r) => r.borough],
  ['PrimaryConduct', (r) => subjectConduct.byValue(r.body.subjectConduct).metValue ?? ''],
  ['AssaultedBySubject', (r) => yesNo(r.body.officer.assaultedBySubject)],
  ['ThreatenedWithWeapon', (r) => yesNo(r.body.officer.threatenedWithWeapon)],
  ['AssaultedWithWeapon', (r) => yesNo(r.body.officer.assaultedWithWeapon)],
  ...flagColumns(impactFactors.codes, metColumnsOf(impactFactors.codes), (r) => r.body.impactFactors),
  ...flagColumns(reasons.codes, metColumnsOf(reasons.codes), (r) => r.body.reasons),
  ['MainDuty', (r) => mainDuties.byValue(r.body.officer.mainDuty).label],
  ['SingleCrewed', (r) => yesNo(r.body.officer.singleCrewed)],
  ['TrainedCED', (r) => yesNo(r.body.officer.cedTrained)],
  ['CarryingCED', (r) => yesNo(r.body.officer.cedCarried)],
  ...tacticColumns,
  ['CED Used', (r) => yesNo(r.body.cedUses.length > 0)],
  ['CED Device Serial No', () => ''],
  ...cedBlock(1),
  ...cedBlock(2),
  ...cedBlock(3),
  ...cedBlock(4),
  firearm('firearm_aimed'),
  firearm('firearm_fired'),
  ['SubjectAge', (r) => ageBands.byValue(r.subject.ageBand).metValue ?? ''],
  ['SubjectGender', (r) => genders.byValue(r.subject.gender).label],
  ['SubjectEthnicity', (r) => perceivedEthnicities.byValue(r.subject.perceivedEthnicity).label],
  ['PhysicalDisability', (r) => yesNo(health(r).physical)],
  ['MentalDisability', (r) => yesNo(health(r).mental)],
  ['StaffInjured', (r) => threeWay(r.body.officerInjury.injured)],
  ['StaffInjuryIntentional', (r) => threeWay(r.body.officerInjury.intentionalAssault)],
  [
    'StaffInjuryLevel',
    (r) => (r.body.officerInjury.level ? officerInjuryLevels.byValue(r.body.officerInjury.level).label : ''),
  ],
  ['StaffMedProvided', (r) => yesNo(r.body.officerInjury.medicalProvided)],
  ['SubjectInjured', (r) => subjectInjured.byValue(r.body.subjectInjury.injured).label],
  [
    'SubjectNatureOfInjury',
    (r) => (r.body.subjectInjury.level ? subjectInjuryLevels.byValue(r.body.subjectInjury.level).label : ''),
  ],
  ['SubjectMedOffered', (r) => yesNo(r.body.subjectInjury.medicalOffered)],
  ['SubjectMedProvided', (r) => yesNo(r.body.subjectInjury.medicalProvided)],
  ...flagColumns(outcomes.codes, metColumnsOf(outcomes.codes), (r) => r.body.outcomes),
]

export const MET_COLUMNS: readonly string[] = layout.map(([name]) => name)

export function metRow(record: OpenDataRecord): string[] {
  return layout.map(([, cell]) => cell(record))
}
