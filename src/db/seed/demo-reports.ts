/**
 * A year of use-of-force reports for the "Demo Constabulary", generated deterministically from a seed and `today`.
 * Pure: no database I/O — the seeder maps the keys here (incident, subject and person keys) to database ids.
 *
 * Shapes follow the national figures (domain-reference.md 4.1 and 4.2): handcuffing dominant and mostly compliant,
 * about 70% protecting self, about 75% arrested, 54% aged 18–34, 83% male, 69% White, 81% with no health condition.
 * CED (Taser) follows one force's published year: about 209 uses, about 15 fired, discharge about 10%, levels like
 * HO Table 13. A few cases the review, early-intervention and disproportionality features need are planted on
 * purpose: discharges on children and on people in mental-health crisis, prolonged cycles, two severe injuries, and a
 * recent discharge in the demo supervisor's team for the review seed to refer to Professional Standards.
 *
 * Every body is built to pass `reportBody` and `reportRules` as they stand; the test checks each one.
 */
import { isDischarge, type CedBodySite, type CedLevel } from '../../domain/use-of-force/ced.js'
import type {
  ImpactFactor,
  LocationType,
  MainDuty,
  Outcome,
  Reason,
  SubjectInjuryLevel,
} from '../../domain/use-of-force/context.js'
import type { CedUse, ReportBody, SubjectDetails, TacticUse } from '../../domain/use-of-force/report.js'
import type {
  AgeBand,
  Gender,
  HealthCondition,
  PerceivedEthnicity,
  SelfDefinedEthnicity,
  SubjectConduct,
} from '../../domain/use-of-force/subject.js'
import type { Tactic } from '../../domain/use-of-force/tactics.js'
import { demoAccounts, type DemoCedTraining, type DemoForce, type DemoPerson } from './demo-force.js'
import { createRandom, type Random } from './random.js'

export interface DemoReport {
  officerPersonKey: string
  subjectKey: string
  /** ISO, UTC. */
  submittedAt: string
  body: ReportBody
}

export interface DemoIncident {
  key: string
  /** ISO, UTC, to the minute. */
  occurredAt: string
  locationTypes: LocationType[]
  area: string
  planned: boolean
  subjects: { key: string; details: SubjectDetails }[]
  reports: DemoReport[]
}

export interface DemoDraft {
  officerPersonKey: string
  startedAt: string
  /** A partly completed report submission (the input shape of `reportSubmission`), as the form saves it. */
  data: Record<string, unknown>
}

export interface DemoReports {
  /** In order of occurrence. */
  incidents: DemoIncident[]
  drafts: DemoDraft[]
}

export interface DemoReportsOptions {
  /** Same seed, same `today` and same force give identical output. Default 1. */
  seed?: number
  /** The moment the demo is seeded: reports cover the 12 months (Europe/London calendar) up to it. */
  today?: Date
  force: DemoForce
}

// ---------------------------------------------------------------------------------------------------------------
// The force's Taser fleet. Fixed (no seed, no date) so the device register can seed the same devices: 100 X2s and
// 20 TASER 7s for roads policing, which converted to TASER 7 (demo-force.ts), shared between the three BCU armouries.

export interface DemoDevice {
  serial: string
  model: 'x2' | 'taser_7'
  /** The BCU whose armoury issues it. */
  bcuKey: string
}

const bcuKeys = ['bcu-north', 'bcu-east', 'bcu-west'] as const

export const demoDevices: readonly DemoDevice[] = Object.freeze([
  ...Array.from({ length: 100 }, (_, i) => ({
    serial: `X29-${String(1204 + i * 53).padStart(6, '0')}`,
    model: 'x2' as const,
    bcuKey: bcuKeys[i % 3] ?? 'bcu-north',
  })),
  ...Array.from({ length: 20 }, (_, i) => ({
    serial: `T70-${String(40117 + i * 29).padStart(6, '0')}`,
    model: 'taser_7' as const,
    bcuKey: bcuKeys[i % 3] ?? 'bcu-north',
  })),
])

export const demoDeviceSerials: readonly string[] = Object.freeze(demoDevices.map((d) => d.serial))

// ---------------------------------------------------------------------------------------------------------------

export function generateDemoReports(options: DemoReportsOptions): DemoReports {
  const rng = createRandom(options.seed ?? 1)
  const now = (options.today ?? new Date()).getTime()
  if (Number.isNaN(now)) throw new RangeError('today must be a valid date')

  const officers = frontLineOfficers(options.force)
  const authority = authorityRegister(options.force.cedTraining)
  const demoOfficer = officers.find((o) => o.person.key === demoOfficerKey())
  if (!demoOfficer) throw new Error('The demo officer account is not a front-line officer of the demo force')

  const plans = planIncidents(rng, now, officers, demoOfficer)
  giveDemoOfficerReports(rng, plans, demoOfficer)
  const referable = planTeamDischarge(plans, now, officers, authority, demoOfficer)
  for (const report of plans.flatMap((p) => p.reports)) equipOfficer(rng, report, authority, demoOfficer, referable)
  planCedUses(rng, plans, demoOfficer, referable)
  for (const plan of plans) for (const subject of plan.subjects) settleSubjectOutcome(rng, subject, plan)
  plantSevereInjuries(rng, plans)

  const incidents = plans.map((plan, i) => buildIncident(rng, plan, i, now))
  return { incidents, drafts: demoDrafts(rng, now, demoOfficer) }
}

function demoOfficerKey(): string {
  const key = demoAccounts.find((a) => a.username === 'officer')?.personKey
  if (!key) throw new Error('No demo officer account')
  return key
}

// ---------------------------------------------------------------------------------------------------------------
// Who reports: front-line officers of the response, neighbourhood and roads teams. Response officers answer most
// emergency calls, so they use force most; specials work part-time, so less; police staff (PCSOs) never report.

type TeamFunction = 'response' | 'neighbourhood' | 'roads'
type Bcu = 'north' | 'east' | 'west'

interface Officer {
  person: DemoPerson
  fn: TeamFunction
  bcu: Bcu
  weight: number
}

const teamPattern = /^bcu-(north|east|west)-(response|neighbourhood|roads)\b/

function officerWeight(person: DemoPerson, fn: TeamFunction): number {
  const byFunction = { response: 1, neighbourhood: 0.5, roads: 0.45 }[fn]
  const byRole =
    person.status === 'special_constable'
      ? 0.35
      : person.rank === 'constable'
        ? person.status === 'probationer'
          ? 0.9
          : 1
        : person.rank === 'sergeant'
          ? 0.45
          : person.rank === 'inspector'
            ? 0.08
            : 0
  return byFunction * byRole
}

function frontLineOfficers(force: DemoForce): Officer[] {
  const officers: Officer[] = []
  for (const person of force.people) {
    if (person.status === 'police_staff' || person.rank === null) continue
    const match = teamPattern.exec(person.unitKey)
    if (!match) continue
    const bcu = match[1] as Bcu
    const fn = match[2] as TeamFunction
    // The city BCU is the busiest per officer as well as the largest.
    const weight = officerWeight(person, fn) * (bcu === 'north' ? 1.15 : bcu === 'west' ? 0.9 : 1)
    if (weight > 0) officers.push({ person, fn, bcu, weight })
  }
  if (officers.length === 0) throw new Error('The demo force has no front-line officers')
  return officers
}

// ---------------------------------------------------------------------------------------------------------------
// CED authority at a date, derived from the training register the way the product rule says: authorised from a
// passed course for 12 months, and not after a failed refresher since that pass. The model is the last one trained.

interface Authority {
  authorisedOn(personKey: string, day: string): { model: DemoCedTraining['deviceModel'] } | null
}

function authorityRegister(training: readonly DemoCedTraining[]): Authority {
  const byPerson = new Map<string, DemoCedTraining[]>()
  for (const record of training) byPerson.set(record.personKey, [...(byPerson.get(record.personKey) ?? []), record])
  for (const records of byPerson.values()) records.sort((a, b) => a.completedOn.localeCompare(b.completedOn))
  return {
    authorisedOn(personKey, day) {
      const records = (byPerson.get(personKey) ?? []).filter((r) => r.completedOn <= day)
      const lastPass = records.filter((r) => r.passed).at(-1)
      if (!lastPass) return null
      if (records.some((r) => !r.passed && r.completedOn > lastPass.completedOn)) return null
      const lapses = toIsoDay(addMonths(isoDayNumber(lastPass.completedOn), 12))
      return day < lapses ? { model: lastPass.deviceModel } : null
    },
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Scenarios: what the officers were called to. Each decides where it happens, when, how likely it was planned, the
// people involved and the opening line of the officer's account.

type ScenarioName =
  | 'domestic'
  | 'night_time_economy'
  | 'shop_theft'
  | 'street_assault'
  | 'wanted'
  | 'stop_search'
  | 'vehicle_stop'
  | 'mental_health'
  | 'welfare'
  | 'custody'
  | 'hospital'
  | 'burglary_damage'

type Weighted<T> = readonly (readonly [T, number])[]

/**
 * Picks like `rng.weighted` (one draw, same odds) from a long list without summing it on every call: the officer
 * pool and the calendar are hundreds of entries long and are drawn from thousands of times.
 */
function weightedPicker<T>(items: Weighted<T>): (rng: Random) => T {
  if (items.length === 0) throw new RangeError('Cannot pick from an empty list')
  const cumulative: number[] = []
  let total = 0
  for (const [, weight] of items) cumulative.push((total += weight))
  return (rng) => {
    const target = rng.next() * total
    let lo = 0
    let hi = cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((cumulative[mid] ?? 0) > target) hi = mid
      else lo = mid + 1
    }
    return (items[lo] ?? (items[items.length - 1] as readonly [T, number]))[0]
  }
}

interface Scenario {
  name: ScenarioName
  weights: Record<TeamFunction, number>
  locations: Weighted<LocationType[]>
  /** Whether it clusters in the evening and at night, and at weekends. */
  night: boolean
  planned: number
  /** Children (11–17) are plausibly the subject. Under-11s only ever appear in welfare and mental-health calls. */
  childOk: boolean
  alcohol: number
  drugs: number
  weapon: number
  outcome: 'arrest' | 'mental_health' | 'welfare'
  openings: readonly string[]
  /** Openings that only fit when the person then resisted. */
  resistingOpenings?: readonly string[]
}

const scenarios: readonly Scenario[] = [
  {
    name: 'domestic',
    weights: { response: 20, neighbourhood: 8, roads: 2 },
    locations: [
      [['dwelling'], 90],
      [['dwelling', 'street_highway'], 10],
    ],
    night: true,
    planned: 0.02,
    childOk: true,
    alcohol: 0.5,
    drugs: 0.12,
    weapon: 0.07,
    outcome: 'arrest',
    openings: [
      'I attended a domestic incident where the caller said {s} had assaulted them and was refusing to leave.',
      'I was sent to reports of shouting and screaming at an address; the victim had visible injuries and named {s} as responsible.',
      'I attended an address where {s} was reported to be breaching a non-molestation order.',
    ],
  },
  {
    name: 'night_time_economy',
    weights: { response: 14, neighbourhood: 4, roads: 1 },
    locations: [
      [['street_highway'], 50],
      [['licensed_premises'], 35],
      [['licensed_premises', 'street_highway'], 15],
    ],
    night: true,
    planned: 0,
    childOk: false,
    alcohol: 0.88,
    drugs: 0.15,
    weapon: 0.04,
    outcome: 'arrest',
    openings: [
      'I was on patrol in the town centre when door staff pointed out {s}, who had been fighting outside a bar.',
      'I attended a fight outside licensed premises at closing time; {s} was at the centre of it.',
      'Door staff had ejected {s} from a nightclub and asked for police when {he} kept trying to get back in.',
    ],
  },
  {
    name: 'shop_theft',
    weights: { response: 8, neighbourhood: 9, roads: 0.5 },
    locations: [
      [['retail_premises'], 85],
      [['retail_premises', 'street_highway'], 15],
    ],
    night: false,
    planned: 0,
    childOk: true,
    alcohol: 0.2,
    drugs: 0.3,
    weapon: 0.04,
    outcome: 'arrest',
    openings: [
      'Store security had detained {s} for shoplifting and called police.',
      'I responded to a shop theft in progress and found {s} leaving the store with unpaid goods.',
    ],
    resistingOpenings: [
      'Store security had detained {s} for shoplifting and called police; when I arrived {he} tried to leave.',
    ],
  },
  {
    name: 'street_assault',
    weights: { response: 12, neighbourhood: 4, roads: 1 },
    locations: [
      [['street_highway'], 60],
      [['open_ground'], 20],
      [['public_transport'], 6],
      [['street_highway', 'open_ground'], 14],
    ],
    night: true,
    planned: 0,
    childOk: true,
    alcohol: 0.45,
    drugs: 0.15,
    weapon: 0.1,
    outcome: 'arrest',
    openings: [
      'I attended a report of an assault in the street; {s} matched the description the victim had given.',
      'A member of the public flagged me down to say {s} had just punched someone.',
      'CCTV operators reported a fight in progress and directed me to {s}.',
    ],
  },
  {
    name: 'wanted',
    weights: { response: 7, neighbourhood: 10, roads: 2 },
    locations: [
      [['dwelling'], 60],
      [['street_highway'], 40],
    ],
    night: false,
    planned: 0.35,
    childOk: false,
    alcohol: 0.15,
    drugs: 0.2,
    weapon: 0.05,
    outcome: 'arrest',
    openings: [
      '{S} was wanted on a warrant for failing to appear at court, and I attended {his} home address to arrest {him}.',
      'Intelligence placed {s}, who was circulated as wanted for burglary, at an address, and officers went to arrest {him}.',
      'I recognised {s} in the street as someone circulated as wanted for a serious assault.',
    ],
  },
  {
    name: 'stop_search',
    weights: { response: 8, neighbourhood: 8, roads: 3 },
    locations: [
      [['street_highway'], 70],
      [['open_ground'], 25],
      [['street_highway', 'police_vehicle_without_cage'], 5],
    ],
    night: true,
    planned: 0,
    childOk: true,
    alcohol: 0.1,
    drugs: 0.7,
    weapon: 0.14,
    outcome: 'arrest',
    openings: [
      'I detained {s} for a search under section 23 of the Misuse of Drugs Act after seeing what looked like a drugs deal.',
      'I detained {s} for a search under section 1 of PACE after a report of someone carrying a knife in the area.',
      'I stopped {s}, who smelt strongly of cannabis and tried to hide something in {his} waistband.',
    ],
  },
  {
    name: 'vehicle_stop',
    weights: { response: 4, neighbourhood: 1, roads: 30 },
    locations: [
      [['street_highway'], 85],
      [['street_highway', 'police_vehicle_with_cage'], 15],
    ],
    night: false,
    planned: 0,
    childOk: false,
    alcohol: 0.35,
    drugs: 0.3,
    weapon: 0.06,
    outcome: 'arrest',
    openings: [
      'I stopped a vehicle being driven erratically; {s}, the driver, failed a roadside breath test.',
      'I stopped a vehicle with no insurance on record; {s} became agitated when told it would be seized.',
    ],
    resistingOpenings: [
      '{S} failed to stop for police and ran from the vehicle once it came to a halt.',
      'I stopped a vehicle being driven erratically; {s}, the driver, failed a roadside breath test and tried to walk away.',
    ],
  },
  {
    name: 'mental_health',
    weights: { response: 11, neighbourhood: 3, roads: 1 },
    locations: [
      [['dwelling'], 40],
      [['street_highway'], 22],
      [['open_ground'], 10],
      [['hospital'], 10],
      [['mental_health_setting'], 9],
      [['ambulance'], 4],
      [['street_highway', 'police_vehicle_with_cage'], 5],
    ],
    night: false,
    planned: 0.03,
    childOk: true,
    alcohol: 0.2,
    drugs: 0.15,
    weapon: 0.08,
    outcome: 'mental_health',
    openings: [
      'I attended a concern for welfare: {s} was in mental health crisis and had told family {he} wanted to end {his} life.',
      'I was called to {s}, who had left a mental health unit without leave and was found walking in the road.',
    ],
    resistingOpenings: [
      'Ambulance staff asked for help with {s}, who was in crisis and trying to leave the ambulance.',
    ],
  },
  {
    name: 'welfare',
    weights: { response: 2.5, neighbourhood: 2, roads: 0.3 },
    locations: [
      [['street_highway'], 40],
      [['open_ground'], 20],
      [['dwelling'], 30],
      [['other'], 10],
    ],
    night: false,
    planned: 0,
    childOk: true,
    alcohol: 0.1,
    drugs: 0.05,
    weapon: 0.01,
    outcome: 'welfare',
    openings: [
      'I was searching for {s}, who had been reported missing and at risk, and found {him} next to a busy road.',
      'Care staff called for help because {s} was trying to run into traffic.',
      'A passer-by called police about {s}, who was alone, distressed and trying to climb onto a railway bridge.',
    ],
  },
  {
    name: 'custody',
    weights: { response: 5, neighbourhood: 0.5, roads: 0.5 },
    locations: [[['custody_block'], 100]],
    night: true,
    planned: 0,
    childOk: true,
    alcohol: 0.45,
    drugs: 0.2,
    weapon: 0,
    outcome: 'arrest',
    openings: [
      'In the custody block, {s} refused to be searched and became obstructive while {his} property was removed.',
      'I was booking {s} into custody after arresting {him} earlier in the shift.',
    ],
    resistingOpenings: ['While {s} was being booked into custody, {he} tried to head-butt the detention officer.'],
  },
  {
    name: 'hospital',
    weights: { response: 3, neighbourhood: 0.5, roads: 0.2 },
    locations: [
      [['hospital'], 90],
      [['hospital', 'ambulance'], 10],
    ],
    night: true,
    planned: 0,
    childOk: false,
    alcohol: 0.55,
    drugs: 0.2,
    weapon: 0.03,
    outcome: 'arrest',
    openings: ['I was called to A&E, where {s} was shouting at and threatening nursing staff.'],
  },
  {
    name: 'burglary_damage',
    weights: { response: 6, neighbourhood: 2, roads: 0.5 },
    locations: [
      [['dwelling'], 30],
      [['retail_premises'], 15],
      [['street_highway'], 35],
      [['other'], 20],
    ],
    night: true,
    planned: 0,
    childOk: true,
    alcohol: 0.3,
    drugs: 0.2,
    weapon: 0.08,
    outcome: 'arrest',
    openings: [
      'I attended a burglary in progress and found {s} at the scene.',
      'I attended a report of criminal damage and found {s} still damaging property.',
    ],
  },
]

const scenariosFor = (fn: TeamFunction): Weighted<Scenario> => scenarios.map((s) => [s, s.weights[fn]] as const)

// Fictional neighbourhoods of each BCU. North covers the city, West is mostly rural.
const areas: Record<Bcu, Weighted<string>> = {
  north: [
    ['City Centre', 6],
    ['Northgate', 3],
    ['Canal Basin', 2],
    ['Hollinfield', 2],
    ['St Ebba’s', 2],
    ['Brackenhurst', 1.5],
    ['Foundry Quarter', 2],
    ['Marsh End', 1.5],
    ['Kingsway Park', 1],
  ],
  east: [
    ['Eastbrook', 3],
    ['Ashworth Vale', 2],
    ['Ferrymead', 2],
    ['Colliers Green', 2],
    ['Harrowby', 1.5],
    ['Saltmarsh', 1.5],
    ['Riverside Estate', 2],
  ],
  west: [
    ['Wenbury', 3],
    ['Ashcombe', 2],
    ['Little Haddon', 1],
    ['Castle Ridley', 1.5],
    ['Upper Stow', 1],
    ['Brindle Heath', 1],
    ['Marlcott', 1.5],
  ],
}

// ---------------------------------------------------------------------------------------------------------------
// Planning: incidents, their people and who reports on whom. Attributes that depend on everything else (CED, the
// subject's outcome and injuries) are settled in later passes before the report bodies are written.

interface SubjectPlan {
  key: string
  details: SubjectDetails
  conduct: SubjectConduct
  impactFactors: ImpactFactor[]
  outcomes: Outcome[]
  injured: 'yes' | 'no' | 'unknown' | 'not_reported'
  injuryLevel: SubjectInjuryLevel | null
  injuryNature: string | null
  /** A planted severe injury from restraint: the officers' reports must include a ground restraint. */
  restraintInjury: boolean
  /** The police dog bit them (roads dog handlers only). */
  dogBite: boolean
}

interface ReportPlan {
  officer: Officer
  subject: SubjectPlan
  scenario: Scenario
  /** The incident's London date, YYYY-MM-DD. */
  day: string
  /** The officer first on scene, who usually applies the handcuffs. */
  lead: boolean
  cedTrained: boolean
  cedCarried: boolean
  deviceModel: 'x2' | 'taser_7'
  /** Roads officers in the force's dog section and armed response crews. */
  speciality: 'dog' | 'firearm' | null
  ced: CedPlan | null
}

interface CedPlan {
  level: CedLevel
  prolonged: boolean
}

interface IncidentPlan {
  at: number
  day: string
  scenario: Scenario
  bcu: Bcu
  locationTypes: LocationType[]
  area: string
  planned: boolean
  subjects: SubjectPlan[]
  reports: ReportPlan[]
}

/** Incidents in the year; with ~1.57 reports each this gives about 3,250 reports. */
const INCIDENTS = 2070

function planIncidents(rng: Random, now: number, officers: readonly Officer[], demoOfficer: Officer): IncidentPlan[] {
  // The demo officer's reports are placed deliberately (giveDemoOfficerReports), so random draws leave them out.
  const pool = officers.filter((o) => o !== demoOfficer)
  const anyOfficer = weightedPicker(pool.map((o) => [o, o.weight] as const))
  const byUnit = groupWeighted(pool, (o) => o.person.unitKey)
  const byBcu = groupWeighted(pool, (o) => o.bcu)
  const calendar = yearCalendar(now)

  const count = INCIDENTS + rng.int(-40, 40)
  const moments = Array.from({ length: count }, () => {
    const lead = anyOfficer(rng)
    const scenario = rng.weighted(scenariosFor(lead.fn))
    return { lead, scenario, at: pickMoment(rng, calendar, scenario.night) }
  }).sort((a, b) => a.at - b.at)

  let subjectCount = 0
  return moments.map(({ lead, scenario, at }) => {
    const shape = rng.weighted([
      ['one', 65],
      ['several_officers', 30],
      ['two_subjects', 5],
    ] as const)
    const officerCount =
      shape === 'one'
        ? 1
        : shape === 'several_officers'
          ? rng.weighted([
              [2, 55],
              [3, 30],
              [4, 15],
            ] as const)
          : rng.weighted([
              [1, 20],
              [2, 50],
              [3, 30],
            ] as const)
    const present = [lead]
    // Bounded, in case a force has a team smaller than the crew wanted.
    for (let tries = 0; present.length < officerCount && tries < 100; tries++) {
      // Colleagues mostly come from the same team, sometimes another front-line team of the BCU.
      const from = rng.chance(0.75) ? byUnit.get(lead.person.unitKey) : byBcu.get(lead.bcu)
      const colleague = (from ?? anyOfficer)(rng)
      if (!present.includes(colleague)) present.push(colleague)
    }

    const day = londonIsoDay(at)
    const subjectTotal = shape === 'two_subjects' ? 2 : 1
    const subjects = Array.from({ length: subjectTotal }, () => planSubject(rng, `s${pad(++subjectCount)}`, scenario))
    const reports: ReportPlan[] = []
    const report = (officer: Officer, subject: SubjectPlan, isLead: boolean): void => {
      reports.push({
        officer,
        subject,
        scenario,
        day,
        lead: isLead,
        cedTrained: false,
        cedCarried: false,
        deviceModel: 'x2',
        speciality: null,
        ced: null,
      })
    }
    present.forEach((officer, i) => {
      const subject = subjects[i % subjects.length] as SubjectPlan
      report(officer, subject, i < subjects.length)
      // In a two-person incident an officer sometimes has to use force on both.
      const other = subjects.find((s) => s !== subject)
      if (other && (present.length === 1 || rng.chance(0.25))) report(officer, other, present.length === 1)
    })

    const planned = rng.chance(scenario.planned)
    return {
      at,
      day,
      scenario,
      bcu: lead.bcu,
      locationTypes: planned && scenario.name === 'wanted' ? ['dwelling'] : locationsFor(rng, scenario),
      area: rng.weighted(areas[lead.bcu]),
      planned,
      subjects,
      reports,
    }
  })
}

function groupWeighted<K>(officers: readonly Officer[], keyOf: (o: Officer) => K): Map<K, (rng: Random) => Officer> {
  const groups = new Map<K, (readonly [Officer, number])[]>()
  for (const o of officers) groups.set(keyOf(o), [...(groups.get(keyOf(o)) ?? []), [o, o.weight] as const])
  return new Map([...groups].map(([key, members]) => [key, weightedPicker(members)]))
}

function locationsFor(rng: Random, scenario: Scenario): LocationType[] {
  const locations = [...rng.weighted(scenario.locations)]
  // An arrest sometimes carries on as the person is put in the van.
  if (scenario.outcome === 'arrest' && !locations.includes('custody_block') && rng.chance(0.05)) {
    if (!locations.some((l) => l.startsWith('police_vehicle'))) locations.push('police_vehicle_with_cage')
  }
  return locations
}

/** ~20 reports spread across the year, in the demo officer's own team's incidents. */
function giveDemoOfficerReports(rng: Random, plans: IncidentPlan[], demoOfficer: Officer): void {
  const candidates = plans.filter(
    (p) =>
      p.reports[0]?.officer.person.unitKey === demoOfficer.person.unitKey &&
      p.subjects.length === 1 &&
      p.subjects[0]?.details.ageBand !== 'under_11',
  )
  const slices = 20
  for (let i = 0; i < slices; i++) {
    const slice = candidates.slice(
      Math.floor((i * candidates.length) / slices),
      Math.floor(((i + 1) * candidates.length) / slices),
    )
    if (slice.length === 0) continue
    const plan = rng.pick(slice)
    for (const report of plan.reports) if (report.lead) report.officer = demoOfficer
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The demo supervisor's referral. The year's ~20 discharges fall on some 30 teams, so whether the supervisor's team
// has one waiting for review depends on the seed and the date; the review seed refers one to Professional
// Standards (demo-reviews.ts), so one is planted: the newest recent incident led by a colleague in the team who is
// authorised that day, or failing that a recent incident of the team's BCU handed to one.

/** A report is submitted after the incident, so this keeps it inside the review seed's 14-day backlog. */
const REFERRAL_WINDOW_DAYS = 10

function planTeamDischarge(
  plans: readonly IncidentPlan[],
  now: number,
  officers: readonly Officer[],
  authority: Authority,
  demoOfficer: Officer,
): ReportPlan {
  const supervisorKey = demoAccounts.find((a) => a.username === 'supervisor')?.personKey
  const supervisor = officers.find((o) => o.person.key === supervisorKey)
  if (!supervisor) throw new Error('The demo supervisor account is not a front-line officer of the demo force')
  const team = officers.filter(
    (o) =>
      o.person.unitKey === supervisor.person.unitKey &&
      o !== supervisor &&
      o !== demoOfficer &&
      o.person.status === 'regular',
  )
  const authorised = (r: ReportPlan, o: Officer) => authority.authorisedOn(o.person.key, r.day) !== null
  const recent = plans
    .filter(
      (p) =>
        p.at >= now - REFERRAL_WINDOW_DAYS * dayMs &&
        p.bcu === supervisor.bcu &&
        p.subjects.length === 1 &&
        !['under_11', 'age_11_17'].includes(p.subjects[0]?.details.ageBand ?? 'under_11') &&
        p.scenario.name !== 'custody' &&
        p.scenario.name !== 'welfare' &&
        p.reports.every((r) => r.officer !== demoOfficer),
    )
    .reverse()
  const chosen =
    recent.flatMap((p) => p.reports).find((r) => r.lead && team.includes(r.officer) && authorised(r, r.officer)) ??
    handOver(recent, team, authorised)
  if (!chosen) throw new Error("The demo force has no recent incident in the supervisor's BCU to plant a discharge on")
  // A Taser fired at someone who was not resisting would be a different story from the complaint the review tells.
  const subject = chosen.subject
  if (!['active_resistance', 'aggressive_resistance', 'serious_aggravated_resistance'].includes(subject.conduct)) {
    subject.conduct = 'aggressive_resistance'
  }
  return chosen
}

/** Gives the lead report of the newest incident that has room for one to a colleague authorised that day. */
function handOver(
  recent: readonly IncidentPlan[],
  team: readonly Officer[],
  authorised: (r: ReportPlan, o: Officer) => boolean,
): ReportPlan | undefined {
  for (const plan of recent) {
    const lead = plan.reports.find((r) => r.lead)
    const colleague = lead && team.find((o) => authorised(lead, o) && plan.reports.every((r) => r.officer !== o))
    if (lead && colleague) {
      lead.officer = colleague
      return lead
    }
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------------------------
// The person. Perceived characteristics follow the national shares (domain-reference.md 4.1, 4.2).

const ageWeights: Weighted<AgeBand> = [
  ['under_11', 0.1],
  ['age_11_17', 9.5],
  ['age_18_34', 55],
  ['age_35_49', 24.5],
  ['age_50_64', 6.5],
  ['age_65_and_over', 1.2],
  ['not_reported', 3.5],
]

const welfareAgeWeights: Weighted<AgeBand> = [
  ['under_11', 5],
  ['age_11_17', 45],
  ['age_18_34', 25],
  ['age_35_49', 12],
  ['age_50_64', 5],
  ['age_65_and_over', 3],
]

const genderWeights: Weighted<Gender> = [
  ['male', 83],
  ['female', 15.5],
  ['other', 0.3],
  ['not_reported', 1.2],
]

const ethnicityWeights: Weighted<PerceivedEthnicity> = [
  ['white', 69.3],
  ['black', 16.3],
  ['asian', 7.1],
  ['mixed', 2.2],
  ['other', 2.5],
  ['not_reported', 2.6],
]

/** What the person says, when asked and willing: mostly in the group the officer perceived. */
const selfDefinedWeights: Record<PerceivedEthnicity, Weighted<SelfDefinedEthnicity>> = {
  white: [
    ['white_british', 80],
    ['white_other', 14],
    ['white_irish', 3],
    ['white_gypsy_irish_traveller', 2],
    ['mixed_white_asian', 1],
  ],
  black: [
    ['black_african', 44],
    ['black_caribbean', 40],
    ['black_other', 8],
    ['mixed_white_black_caribbean', 6],
    ['mixed_white_black_african', 2],
  ],
  asian: [
    ['asian_pakistani', 38],
    ['asian_indian', 25],
    ['asian_bangladeshi', 15],
    ['asian_other', 12],
    ['asian_chinese', 8],
    ['other_arab', 2],
  ],
  mixed: [
    ['mixed_white_black_caribbean', 45],
    ['mixed_white_asian', 20],
    ['mixed_white_black_african', 15],
    ['mixed_other', 20],
  ],
  other: [
    ['other_arab', 45],
    ['other_any', 45],
    ['asian_other', 10],
  ],
  not_reported: [['not_stated', 1]],
}

// Outside mental-health calls; with them, about 15% of people appear to have a mental health condition overall.
const healthWeights: Weighted<HealthCondition> = [
  ['none', 90],
  ['mental', 6],
  ['physical', 1.5],
  ['physical_and_mental', 0.8],
  ['not_reported', 1.7],
]

const conductWeights: Weighted<SubjectConduct> = [
  ['compliant', 28],
  ['passive_resistance', 16],
  ['verbal_resistance', 16],
  ['active_resistance', 26],
  ['aggressive_resistance', 11],
  ['serious_aggravated_resistance', 3],
]

function planSubject(rng: Random, key: string, scenario: Scenario): SubjectPlan {
  let ageBand = rng.weighted(scenario.name === 'welfare' ? welfareAgeWeights : ageWeights)
  const under11Ok = scenario.name === 'welfare' || scenario.name === 'mental_health'
  while ((ageBand === 'under_11' && !under11Ok) || (ageBand === 'age_11_17' && !scenario.childOk)) {
    ageBand = rng.weighted(ageWeights)
  }
  const gender = rng.weighted(genderWeights)
  const perceivedEthnicity = rng.weighted(ethnicityWeights)
  const selfDefinedEthnicity =
    perceivedEthnicity !== 'not_reported' && rng.chance(0.35)
      ? rng.weighted(selfDefinedWeights[perceivedEthnicity])
      : null
  const healthCondition =
    scenario.name === 'mental_health'
      ? rng.weighted([
          ['mental', 88],
          ['physical_and_mental', 7],
          ['none', 5],
        ] as const)
      : rng.weighted(healthWeights)
  const child = ageBand === 'under_11' || ageBand === 'age_11_17'

  let conduct = rng.weighted(conductWeights)
  const weapon = rng.chance(scenario.weapon)
  if (weapon && rng.chance(0.6)) conduct = rng.pick(['aggressive_resistance', 'serious_aggravated_resistance'] as const)
  if (ageBand === 'under_11' && conduct === 'serious_aggravated_resistance') conduct = 'active_resistance'

  const mental = healthCondition === 'mental' || healthCondition === 'physical_and_mental'
  const factors: ImpactFactor[] = []
  const add = (factor: ImpactFactor, probability: number): void => {
    if (rng.chance(probability)) factors.push(factor)
  }
  if (weapon) factors.push('possession_of_weapon')
  add('alcohol', child ? scenario.alcohol * 0.4 : scenario.alcohol)
  add('drugs', child ? scenario.drugs * 0.5 : scenario.drugs)
  add('mental_health', mental ? 0.85 : 0.02)
  add('prior_knowledge', scenario.name === 'wanted' ? 0.8 : 0.15)
  add('size_gender_build', gender === 'male' && !child ? 0.22 : 0.05)
  add('acute_behavioural_disturbance', scenario.name === 'mental_health' ? 0.12 : 0.01)
  add('crowd', scenario.name === 'night_time_economy' ? 0.3 : 0.02)
  add('other', 0.03)
  const order = ['possession_of_weapon', 'alcohol', 'drugs', 'mental_health', 'prior_knowledge']
  factors.sort((a, b) => rank(order, a) - rank(order, b))

  return {
    key,
    details: { ageBand, gender, perceivedEthnicity, selfDefinedEthnicity, healthCondition },
    conduct,
    impactFactors: factors,
    outcomes: [],
    injured: 'no',
    injuryLevel: null,
    injuryNature: null,
    restraintInjury: false,
    dogBite: false,
  }
}

const rank = (order: readonly string[], value: string): number => {
  const i = order.indexOf(value)
  return i < 0 ? order.length : i
}

// ---------------------------------------------------------------------------------------------------------------
// The officer on the day: Taser authority and whether they carried one, and the roads officers who double as dog
// handlers or armed response crews (the demo force has no separate dog or firearms unit).

function equipOfficer(
  rng: Random,
  report: ReportPlan,
  authority: Authority,
  demoOfficer: Officer,
  referable: ReportPlan,
): void {
  const authorised = authority.authorisedOn(report.officer.person.key, report.day)
  report.cedTrained = authorised !== null
  // Some authorised officers are not carrying on a given shift (kit shortages, other duties); student officers and
  // specials carry less often. The demo officer always draws one, as does the officer of the planted discharge.
  const carryChance = report.officer.person.status === 'regular' ? 0.85 : 0.5
  const always = report.officer === demoOfficer || report === referable
  report.cedCarried = authorised !== null && (always || rng.chance(carryChance))
  report.deviceModel = authorised?.model === 'TASER 7' ? 'taser_7' : 'x2'
  const adult = !['under_11', 'age_11_17'].includes(report.subject.details.ageBand)
  if (report.officer.fn === 'roads' && report.scenario.outcome === 'arrest' && adult) {
    report.speciality = rng.chance(0.035) ? 'dog' : rng.chance(0.025) ? 'firearm' : null
  }
}

// ---------------------------------------------------------------------------------------------------------------
// CED: which reports record a Taser use and at what level. Counts are fixed by quota rather than left to chance, so
// the force's Taser picture is the same every year it is seeded: about 209 uses, about 15 fired, discharge ~10%.

const nonDischargeShares: Weighted<CedLevel> = [
  ['red_dot', 56],
  ['drawn', 27],
  ['aimed', 12],
  ['arced', 5],
]

function cedPropensity(report: ReportPlan): number {
  const subject = report.subject
  const scenario = report.scenario
  if (!report.cedCarried || report.speciality !== null || subject.details.ageBand === 'under_11') return 0
  const byConduct: Record<SubjectConduct, number> = {
    compliant: 0,
    passive_resistance: 0.03,
    verbal_resistance: 0.3,
    active_resistance: 1,
    aggressive_resistance: 3,
    serious_aggravated_resistance: 6,
  }
  let weight = byConduct[subject.conduct]
  if (subject.impactFactors.includes('possession_of_weapon')) weight *= 4
  if (subject.impactFactors.includes('acute_behavioural_disturbance')) weight *= 1.5
  if (scenario.name === 'custody' || scenario.name === 'welfare') weight *= 0.05
  if (scenario.name === 'shop_theft') weight *= 0.4
  return weight
}

function planCedUses(rng: Random, plans: readonly IncidentPlan[], demoOfficer: Officer, referable: ReportPlan): void {
  const all = plans.flatMap((p) => p.reports)
  const taken = new Set<ReportPlan>()
  const assign = (report: ReportPlan, level: CedLevel, prolonged = false): void => {
    report.ced = { level, prolonged }
    taken.add(report)
  }
  // The demo officer's Taser uses are chosen apart from the quotas, so the account looks the same whatever the seed.
  const pickFrom = (predicate: (r: ReportPlan) => boolean, count: number): ReportPlan[] =>
    weightedSample(
      rng,
      all.filter((r) => !taken.has(r) && r.officer !== demoOfficer && predicate(r)),
      cedPropensity,
      count,
    )

  const total = 202 + rng.int(0, 14)
  const fired = rng.int(14, 16)
  const driveStun = rng.int(4, 5)
  const angled = rng.int(1, 2)

  // The demo officer's own Taser uses: one red-dot and one drawn, at their most demanding incidents.
  const own = all
    .filter((r) => r.officer === demoOfficer && r.cedCarried && r.subject.details.ageBand !== 'age_11_17')
    .sort((a, b) => cedPropensity(b) - cedPropensity(a))
  own.slice(0, 2).forEach((report, i) => {
    if (report.subject.conduct === 'compliant' || report.subject.conduct === 'passive_resistance') {
      report.subject.conduct = 'active_resistance'
    }
    assign(report, i === 0 ? 'red_dot' : 'drawn')
  })

  // Planted for review and scrutiny: the supervisor's team's discharge (planTeamDischarge), and discharges on children
  // and on people in mental-health crisis, including a drive-stun on a child and a prolonged cycle on someone in
  // crisis, which the IOPC has raised concerns about.
  const child = (r: ReportPlan) => r.subject.details.ageBand === 'age_11_17'
  const mental = (r: ReportPlan) =>
    r.subject.details.healthCondition === 'mental' || r.subject.details.healthCondition === 'physical_and_mental'
  assign(referable, 'fired')
  const [c1, c2, c3] = pickFrom(child, 3)
  if (c1) assign(c1, 'fired')
  if (c2) assign(c2, 'fired')
  if (c3) assign(c3, 'drive_stun')
  const [m1, m2, m3, m4, m5] = pickFrom((r) => mental(r) && !child(r), 5)
  if (m1) assign(m1, 'fired', true)
  if (m2) assign(m2, 'fired')
  if (m3) assign(m3, 'fired')
  if (m4) assign(m4, 'angle_drive_stun')
  if (m5) assign(m5, 'drive_stun')

  const adult = (r: ReportPlan) => !child(r)
  const firedSoFar = [referable, c1, c2, m1, m2, m3].filter(Boolean).length
  pickFrom(adult, fired - firedSoFar).forEach((r, i) => assign(r, 'fired', i === 0))
  pickFrom(adult, driveStun - [c3, m5].filter(Boolean).length).forEach((r) => assign(r, 'drive_stun'))
  pickFrom(adult, angled - (m4 ? 1 : 0)).forEach((r) => assign(r, 'angle_drive_stun'))

  const levels = rng.shuffle(apportion(nonDischargeShares, total - taken.size))
  pickFrom(() => true, levels.length).forEach((r, i) => assign(r, levels[i] ?? 'drawn'))
}

/** Exactly `count` items split by weight, rounding by largest remainder. */
function apportion<T>(shares: Weighted<T>, count: number): T[] {
  const total = shares.reduce((sum, [, w]) => sum + w, 0)
  const exact = shares.map(([item, w]) => ({ item, n: (count * w) / total }))
  const counts = exact.map((e) => ({ item: e.item, n: Math.floor(e.n), rest: e.n - Math.floor(e.n) }))
  let missing = count - counts.reduce((sum, c) => sum + c.n, 0)
  for (const c of [...counts].sort((a, b) => b.rest - a.rest)) {
    if (missing-- <= 0) break
    c.n++
  }
  return counts.flatMap((c) => Array.from({ length: c.n }, () => c.item))
}

/** Weighted sampling without replacement (Efraimidis–Spirakis); items of weight 0 are never chosen. */
function weightedSample<T>(rng: Random, items: readonly T[], weightOf: (item: T) => number, count: number): T[] {
  if (count <= 0) return []
  return items
    .map((item) => ({ item, w: weightOf(item) }))
    .filter((e) => e.w > 0)
    .map((e) => ({ item: e.item, key: Math.log(1 - rng.next()) / e.w }))
    .sort((a, b) => b.key - a.key)
    .slice(0, count)
    .map((e) => e.item)
}

// ---------------------------------------------------------------------------------------------------------------
// What happened to the person: outcomes (the same in every officer's report) and injuries from the force used.

function settleSubjectOutcome(rng: Random, subject: SubjectPlan, plan: IncidentPlan): void {
  const reports = plan.reports.filter((r) => r.subject === subject)
  const levels = reports.flatMap((r) => (r.ced ? [r.ced.level] : []))
  const probes = levels.includes('fired') || levels.includes('angle_drive_stun')
  const driveStun = levels.includes('drive_stun')
  subject.dogBite = reports.some((r) => r.speciality === 'dog') && rng.chance(0.3)

  const outcomes = new Set<Outcome>()
  switch (plan.scenario.outcome) {
    case 'mental_health':
      if (rng.chance(0.55)) outcomes.add('detained_mental_health_act')
      else if (rng.chance(0.5)) outcomes.add('arrested')
      else outcomes.add(rng.chance(0.5) ? 'hospitalised' : 'other')
      if (outcomes.has('detained_mental_health_act') && rng.chance(0.15)) outcomes.add('hospitalised')
      break
    case 'welfare':
      outcomes.add(
        rng.weighted([
          ['other', 70],
          ['hospitalised', 15],
          ['detained_mental_health_act', 15],
        ] as const),
      )
      break
    case 'arrest':
      if (rng.chance(0.86)) outcomes.add('arrested')
      else outcomes.add(rng.chance(0.3) ? 'made_off_escaped' : 'other')
      if (outcomes.has('arrested') && rng.chance(0.02)) outcomes.add('hospitalised')
      break
  }
  if (probes && rng.chance(0.15)) outcomes.add('hospitalised')

  const minorInjuryChance: Record<SubjectConduct, number> = {
    compliant: 0.002,
    passive_resistance: 0.005,
    verbal_resistance: 0.005,
    active_resistance: 0.02,
    aggressive_resistance: 0.05,
    serious_aggravated_resistance: 0.08,
  }
  if (probes && rng.chance(0.55)) injure(subject, 'minor', rng.pick(probeInjuries))
  else if (driveStun && rng.chance(0.4)) injure(subject, 'minor', 'Small burn marks where the drive-stun was applied')
  else if (subject.dogBite) injure(subject, 'minor', 'Dog bite to the forearm, cleaned and dressed in custody')
  else if (rng.chance(minorInjuryChance[subject.conduct])) injure(subject, 'minor', rng.pick(minorInjuries))
  else if (rng.chance(0.02)) subject.injured = 'unknown'
  else if (rng.chance(0.008)) subject.injured = 'not_reported'
  subject.outcomes = outcomeOrder.filter((o) => outcomes.has(o))
}

const outcomeOrder: readonly Outcome[] = [
  'made_off_escaped',
  'arrested',
  'hospitalised',
  'detained_mental_health_act',
  'other',
]

function injure(subject: SubjectPlan, level: SubjectInjuryLevel, nature: string): void {
  subject.injured = 'yes'
  subject.injuryLevel = level
  subject.injuryNature = nature
}

const probeInjuries = [
  'Two small puncture wounds where the probes struck',
  'Probe puncture marks to the back; probes removed and wounds cleaned',
  'Puncture wound to the abdomen from a probe',
] as const

const minorInjuries = [
  'Grazed knee from falling during the struggle',
  'Red marks to both wrists',
  'Small cut above the eye',
  'Bruising to the upper arm',
  'Grazed elbow',
  'Cut lip',
] as const

/**
 * Two severe injuries for the referral workflow: a head injury from falling after a Taser was fired (the known
 * risk of incapacitation when standing) and a fractured wrist during a ground restraint.
 */
function plantSevereInjuries(rng: Random, plans: readonly IncidentPlan[]): void {
  const fall = rng.shuffle(
    plans.flatMap((p) =>
      p.reports
        .filter((r) => r.ced?.level === 'fired' && r.subject.details.ageBand !== 'age_11_17')
        .map((r) => r.subject),
    ),
  )[0]
  if (fall) {
    injure(fall, 'severe', 'Head injury from falling to the ground after the Taser was fired; taken to hospital')
    fall.outcomes = outcomeOrder.filter((o) => o === 'hospitalised' || fall.outcomes.includes(o))
  }
  const restraint = rng.shuffle(
    plans.flatMap((p) =>
      p.subjects.filter(
        (s) =>
          s !== fall &&
          s.conduct === 'aggressive_resistance' &&
          (s.details.ageBand === 'age_18_34' || s.details.ageBand === 'age_35_49') &&
          p.reports.every((r) => r.subject !== s || (r.ced === null && r.speciality === null)),
      ),
    ),
  )[0]
  if (restraint) {
    injure(restraint, 'severe', 'Fractured wrist during the ground restraint; treated in hospital')
    restraint.restraintInjury = true
    restraint.outcomes = outcomeOrder.filter((o) => o === 'hospitalised' || restraint.outcomes.includes(o))
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Writing the reports.

function buildIncident(rng: Random, plan: IncidentPlan, index: number, now: number): DemoIncident {
  return {
    key: `i${pad(index + 1)}`,
    occurredAt: new Date(plan.at).toISOString(),
    locationTypes: [...plan.locationTypes],
    area: plan.area,
    planned: plan.planned,
    subjects: plan.subjects.map((s) => ({ key: s.key, details: { ...s.details } })),
    reports: plan.reports.map((report) => ({
      officerPersonKey: report.officer.person.key,
      subjectKey: report.subject.key,
      submittedAt: new Date(submissionTime(rng, plan.at, now)).toISOString(),
      body: buildBody(rng, plan, report),
    })),
  }
}

/** Most reports go in before the end of the shift, most of the rest the next day; a few are days late. */
function submissionTime(rng: Random, at: number, now: number): number {
  const delay = rng.weighted([
    ['shift', 62],
    ['next_day', 30],
    ['late', 6],
    ['very_late', 2],
  ] as const)
  const minutes =
    delay === 'shift'
      ? rng.int(20, 360)
      : delay === 'next_day'
        ? rng.int(360, 1440)
        : delay === 'late'
          ? rng.int(1440, 2880)
          : rng.int(2880, 14_400)
  const submitted = at + minutes * 60_000 + rng.int(0, 59_999)
  // The last day's incidents have not had all that time yet.
  const latest = now - 60_000
  return submitted <= latest ? submitted : at + Math.floor((latest - at) * (0.3 + 0.6 * rng.next()))
}

function buildBody(rng: Random, plan: IncidentPlan, report: ReportPlan): ReportBody {
  const subject = report.subject
  const voice = voiceOf(subject.details)
  const bwvOn = rng.chance(report.ced ? 0.97 : 0.9)
  const bwvReference = bwvOn && rng.chance(0.85) ? footageReference(rng, plan) : null
  const cedUses = report.ced ? [cedUseFor(rng, plan, report, bwvReference)] : []
  const tactics = chooseTactics(rng, report, cedUses[0]?.effective ?? true)
  const used = new Set(tactics.map((t) => t.tactic))
  const reasons = chooseReasons(rng, plan, report, used)

  const weapon = subject.impactFactors.includes('possession_of_weapon')
  const threatened = weapon && rng.chance(0.5)
  const violent = subject.conduct === 'aggressive_resistance' || subject.conduct === 'serious_aggravated_resistance'
  const injury = officerInjuryFor(rng, subject.conduct)
  const assaulted =
    injury.intentionalAssault === 'yes' || rng.chance(violent ? 0.4 : subject.conduct === 'active_resistance' ? 0.1 : 0)
  const colleagues = plan.reports.some((r) => r.officer !== report.officer)
  const discharged = report.ced !== null && isDischarge(report.ced.level)

  return {
    tactics,
    reasons,
    // Copies: each report is its own record, even where officers agree about the person.
    impactFactors: [...subject.impactFactors],
    outcomes: [...subject.outcomes],
    officer: {
      mainDuty: mainDutyOf(report),
      singleCrewed: rng.chance(
        colleagues ? 0.15 : { response: 0.35, neighbourhood: 0.55, roads: 0.6 }[report.officer.fn],
      ),
      cedTrained: report.cedTrained,
      cedCarried: report.cedCarried,
      assaultedBySubject: assaulted,
      threatenedWithWeapon: threatened,
      assaultedWithWeapon: assaulted && threatened && rng.chance(0.25),
    },
    subjectConduct: subject.conduct,
    officerInjury: injury,
    subjectInjury: {
      injured: subject.injured,
      level: subject.injuryLevel,
      nature: subject.injuryNature,
      medicalOffered: subject.injured === 'yes' || report.ced !== null || rng.chance(0.12),
      medicalProvided: subject.injuryLevel === 'severe' || discharged || (subject.injured === 'yes' && rng.chance(0.6)),
    },
    bodyWornVideo: { activated: bwvOn, reference: bwvReference },
    justification: justificationFor(rng, report, tactics, reasons, voice),
    deEscalation: deEscalationFor(rng, report, used, cedUses[0]?.warningGiven ?? null, voice),
    cedUses,
  }
}

function mainDutyOf(report: ReportPlan): MainDuty {
  if (report.speciality === 'dog') return 'dog_unit'
  if (report.speciality === 'firearm') return 'firearms'
  return report.officer.fn === 'roads' ? 'roads_policing' : report.officer.fn
}

function officerInjuryFor(rng: Random, conduct: SubjectConduct): ReportBody['officerInjury'] {
  const chance: Record<SubjectConduct, number> = {
    compliant: 0.004,
    passive_resistance: 0.01,
    verbal_resistance: 0.02,
    active_resistance: 0.075,
    aggressive_resistance: 0.19,
    serious_aggravated_resistance: 0.3,
  }
  const uninjured = (injured: 'no' | 'not_reported') =>
    ({ injured, intentionalAssault: null, level: null, medicalProvided: false }) as const
  if (rng.chance(0.01)) return uninjured('not_reported')
  if (!rng.chance(chance[conduct])) return uninjured('no')
  const level = rng.weighted([
    ['minor', 93],
    ['severe', 4],
    ['not_reported', 3],
  ] as const)
  return {
    injured: 'yes',
    intentionalAssault: rng.weighted([
      ['yes', 82],
      ['no', 15],
      ['not_reported', 3],
    ] as const),
    level,
    medicalProvided: level === 'severe' || rng.chance(0.35),
  }
}

// Tactic probabilities by the person's behaviour; handcuffing dominates and about two thirds of it is compliant.
// Drawn and used are exclusive: the HO counts "drawn" as drawn but not used.
interface TacticOdds {
  compliantCuffs: number
  nonCompliantCuffs: number
  unarmed: number
  ground: number
  limb: number
  spit: number
  batonDrawn: number
  batonUsed: number
  pavaDrawn: number
  pavaUsed: number
  csUsed: number
  shield: number
  improvised: number
}

const tacticOdds: Record<SubjectConduct, TacticOdds> = {
  compliant: odds(0.95, 0, 0.06, 0, 0.02),
  passive_resistance: odds(0.8, 0.15, 0.22, 0.05, 0.08),
  verbal_resistance: odds(0.8, 0.2, 0.2, 0.04, 0.04, { spit: 0.01, pavaDrawn: 0.01 }),
  active_resistance: odds(0.6, 0.45, 0.42, 0.15, 0.12, { spit: 0.015, batonDrawn: 0.01, pavaDrawn: 0.015 }),
  aggressive_resistance: odds(0.25, 0.7, 0.6, 0.3, 0.2, {
    spit: 0.06,
    batonDrawn: 0.04,
    batonUsed: 0.01,
    pavaDrawn: 0.04,
    pavaUsed: 0.03,
    improvised: 0.02,
  }),
  serious_aggravated_resistance: odds(0.1, 0.75, 0.6, 0.4, 0.22, {
    spit: 0.06,
    batonDrawn: 0.12,
    batonUsed: 0.05,
    pavaDrawn: 0.1,
    pavaUsed: 0.06,
    csUsed: 0.02,
    shield: 0.03,
    improvised: 0.03,
  }),
}

function odds(
  compliantCuffs: number,
  nonCompliantCuffs: number,
  unarmed: number,
  ground: number,
  limb: number,
  rest: Partial<TacticOdds> = {},
): TacticOdds {
  return {
    compliantCuffs,
    nonCompliantCuffs,
    unarmed,
    ground,
    limb,
    spit: 0,
    batonDrawn: 0,
    batonUsed: 0,
    pavaDrawn: 0,
    pavaUsed: 0,
    csUsed: 0,
    shield: 0,
    improvised: 0,
    ...rest,
  }
}

/** Tactics in the order they were used: talking first, then weapons, holds, handcuffs and a spit guard last. */
function chooseTactics(rng: Random, report: ReportPlan, cedEffective: boolean): TacticUse[] {
  const subject = report.subject
  const o = tacticOdds[subject.conduct]
  const ced = report.ced
  const young = subject.details.ageBand === 'under_11'
  const chosen: TacticUse[] = []
  const add = (tactic: Tactic, effective: boolean): void => {
    if (!chosen.some((t) => t.tactic === tactic)) chosen.push({ tactic, effective })
  }
  const works = (probability: number): boolean => rng.chance(probability)
  const ordinary = (): boolean => works(subject.conduct === 'serious_aggravated_resistance' ? 0.85 : 0.96)

  // Force followed, so talking alone did not resolve it — but it often helped.
  if (rng.chance(ced ? 0.85 : 0.38)) add('tactical_communication', works(0.35))
  if (report.speciality === 'firearm') add('firearm_aimed', works(0.8))
  if (report.speciality === 'dog') {
    add('dog_deployed', works(0.8))
    if (subject.dogBite) add('dog_bite', true)
  }
  if (!young) {
    const spray = rng.weighted([
      ['pava_used', o.pavaUsed],
      ['pava_drawn', o.pavaDrawn],
      ['cs_used', o.csUsed],
      ['none', 1],
    ] as const)
    if (spray === 'pava_used') add('irritant_spray_pava_used', works(0.7))
    if (spray === 'pava_drawn') add('irritant_spray_pava_drawn', works(0.75))
    if (spray === 'cs_used') add('irritant_spray_cs_used', works(0.7))
    const baton = rng.weighted([
      ['used', o.batonUsed],
      ['drawn', o.batonDrawn],
      ['none', 1],
    ] as const)
    if (baton === 'used') add('baton_used', works(0.8))
    if (baton === 'drawn') add('baton_drawn', works(0.75))
    if (rng.chance(o.shield)) add('shield', ordinary())
  }
  if (ced) add('ced', cedEffective)
  if (rng.chance(o.unarmed)) add('unarmed_skills', ordinary())
  if (rng.chance(o.limb)) add('limb_body_restraints', ordinary())
  if (subject.restraintInjury || rng.chance(o.ground)) add('ground_restraint', ordinary())
  if (rng.chance(o.improvised)) add('other_improvised', ordinary())
  if (!young) {
    // In a multi-officer incident it is usually the first officer who applies the handcuffs.
    const cuffShare = report.lead ? 1 : 0.45
    if (ced && !isDischarge(ced.level) && cedEffective && rng.chance(0.75)) {
      add('compliant_handcuffing', true) // The red dot alone often ends the resistance.
    } else if (rng.chance(ced ? 0.85 : o.nonCompliantCuffs * cuffShare)) {
      add('non_compliant_handcuffing', ordinary())
    } else if (rng.chance(o.compliantCuffs * cuffShare)) {
      add('compliant_handcuffing', true)
    }
  }
  if (rng.chance(o.spit)) add('spit_and_bite_guard', true)
  if (!chosen.some((t) => t.tactic !== 'tactical_communication')) {
    if (report.lead && !young && subject.conduct === 'compliant') add('compliant_handcuffing', true)
    else add('unarmed_skills', true)
  }
  return chosen
}

const reasonOdds: Weighted<Reason> = [
  ['protect_self', 0.76],
  ['protect_public', 0.3],
  ['protect_subject', 0.22],
  ['protect_other_officers', 0.28],
  ['prevent_offence', 0.2],
  ['secure_evidence', 0.04],
  ['effect_search', 0.07],
  ['prevent_harm', 0.38],
  ['prevent_escape', 0.32],
  ['other', 0.02],
]

function chooseReasons(rng: Random, plan: IncidentPlan, report: ReportPlan, used: ReadonlySet<Tactic>): Reason[] {
  const reasons = new Set<Reason>()
  const scenario = plan.scenario.name
  for (const [reason, p] of reasonOdds) {
    let probability = p
    if (reason === 'protect_subject' && (scenario === 'mental_health' || scenario === 'welfare')) probability = 0.9
    if (reason === 'effect_search' && (scenario === 'stop_search' || scenario === 'custody')) probability = 0.8
    if (reason === 'protect_other_officers' && plan.reports.length > 1) probability = 0.4
    if (reason === 'protect_self' && report.subject.conduct === 'compliant') probability = 0.55
    if (rng.chance(probability)) reasons.add(reason)
  }
  if (report.subject.outcomes.includes('arrested') && rng.chance(0.85)) reasons.add('effect_arrest')
  if (plan.planned && plan.locationTypes.includes('dwelling') && rng.chance(0.4)) reasons.add('method_of_entry')
  if (used.has('ced') && report.subject.impactFactors.includes('possession_of_weapon')) reasons.add('protect_public')
  if (reasons.size === 0) reasons.add('protect_self')
  return reasonOrder.filter((r) => reasons.has(r))
}

const reasonOrder: readonly Reason[] = [
  'protect_self',
  'protect_public',
  'protect_subject',
  'protect_other_officers',
  'prevent_offence',
  'secure_evidence',
  'effect_search',
  'effect_arrest',
  'method_of_entry',
  'remove_handcuffs',
  'prevent_harm',
  'prevent_escape',
  'other',
]

// ---------------------------------------------------------------------------------------------------------------
// A CED use consistent with rules.ts: levels reached in order, cartridges only when fired, cycles only for a
// discharge (extended exactly when longer than 5 s), probe sites within what the cartridges could give.

const probeZones: readonly CedBodySite[] = [
  'front_5',
  'front_6',
  'front_7',
  'front_8',
  'front_9',
  'front_10',
  'front_11',
  'back_b',
  'back_c',
  'back_d',
  'back_e',
  'back_f',
  'back_g',
  'back_h',
]

function cedUseFor(rng: Random, plan: IncidentPlan, report: ReportPlan, footage: string | null): CedUse {
  const ced = report.ced
  if (!ced) throw new Error('cedUseFor needs a planned CED use')
  const device = deviceFor(rng, report.deviceModel, plan.bcu)
  const levels = levelsReached(rng, ced.level)
  const fired = levels.includes('fired')
  const discharged = levels.some(isDischarge)

  let probeMiss: CedUse['probeMiss'] = 'not_fired'
  let cartridgeCount = 0
  if (fired) {
    cartridgeCount = 1
    if (ced.level === 'angle_drive_stun') {
      // Angled drive-stun completes the circuit when one probe missed or the spread was too narrow.
      probeMiss = rng.chance(0.7) ? 'one' : 'none'
    } else {
      probeMiss = rng.weighted([
        ['none', 78],
        ['one', 14],
        ['both', 8],
      ] as const)
      // A second cartridge after a narrow spread that did not incapacitate.
      if (probeMiss === 'none' && rng.chance(0.1)) cartridgeCount = 2
    }
  }
  const cartridges = Array.from({ length: cartridgeCount }, (_, i) => ({
    serial: cartridgeSerial(rng, device.model),
    bay: i + 1,
  }))

  const cycles: CedUse['cycles'] = []
  const cycle = (seconds: number, interrupted = false): void => {
    const rounded = Math.round(seconds * 10) / 10
    cycles.push({ seconds: rounded, extended: rounded > 5, interrupted })
  }
  if (fired) {
    for (let i = 0; i < cartridgeCount; i++) {
      if (ced.prolonged && i === 0) cycle(5.1 + rng.int(0, 29) / 10)
      else if (rng.chance(0.12)) cycle(1 + rng.int(0, 35) / 10, true)
      else cycle(5)
    }
    // Sometimes the person got up and resisted again, and the officer cycled the same cartridge once more.
    if (probeMiss === 'none' && cartridgeCount === 1 && ced.level === 'fired' && rng.chance(0.15)) cycle(5)
  }
  if (levels.includes('drive_stun')) cycle(rng.chance(0.6) ? 5 : 1.5 + rng.int(0, 30) / 10, rng.chance(0.3))
  const driveStunRepeat = levels.includes('drive_stun') && rng.chance(0.25)
  if (driveStunRepeat) cycle(rng.chance(0.6) ? 5 : 2 + rng.int(0, 25) / 10)
  if (levels.includes('angle_drive_stun')) cycle(rng.chance(0.7) ? 5 : 2 + rng.int(0, 25) / 10)

  const probesIn = probeMiss === 'both' ? 0 : 2 * cartridgeCount - (probeMiss === 'one' ? 1 : 0)
  const sites = rng.shuffle(probeZones).slice(0, fired ? Math.max(0, probesIn - (rng.chance(0.15) ? 1 : 0)) : 0)
  const effective =
    ced.level === 'fired'
      ? probeMiss === 'none'
        ? rng.chance(0.9)
        : probeMiss === 'one'
          ? rng.chance(0.3)
          : false
      : discharged
        ? rng.chance(ced.level === 'drive_stun' ? 0.6 : 0.85)
        : rng.chance(0.82)

  return {
    deviceSerial: device.serial,
    deviceModel: device.model,
    levels,
    driveStunRepeat,
    cartridges,
    cycles,
    repeatCycleSameCartridge: fired && !levels.includes('angle_drive_stun') && cycles.length > cartridges.length,
    probeMiss,
    probeSites: cedBodySiteOrder(sites),
    warningGiven: rng.chance(discharged ? 0.85 : 0.93),
    distanceMetres: distanceFor(rng, ced.level),
    effective,
    probesRemovedBy: fired
      ? probeMiss === 'both'
        ? 'not_required'
        : rng.chance(0.65)
          ? 'officer'
          : 'medical_staff'
      : null,
    medicalCheck: discharged ? rng.chance(0.96) : rng.chance(0.03),
    footageReference: footage,
  }
}

function levelsReached(rng: Random, highest: CedLevel): CedLevel[] {
  switch (highest) {
    case 'drawn':
      return ['drawn']
    case 'aimed':
      return ['drawn', 'aimed']
    case 'red_dot':
      return rng.chance(0.9) ? ['drawn', 'aimed', 'red_dot'] : ['drawn', 'red_dot']
    case 'arced':
      return rng.chance(0.7) ? ['drawn', 'arced'] : ['drawn', 'aimed', 'red_dot', 'arced']
    case 'drive_stun':
      return rng.chance(0.6) ? ['drawn', 'drive_stun'] : ['drawn', 'aimed', 'red_dot', 'drive_stun']
    case 'fired':
      return rng
        .weighted([
          [['drawn', 'aimed', 'red_dot', 'fired'], 82],
          [['drawn', 'aimed', 'fired'], 14],
          [['drawn', 'fired'], 4],
        ] as const)
        .slice()
    case 'angle_drive_stun':
      return ['drawn', 'aimed', 'red_dot', 'fired', 'angle_drive_stun']
  }
}

function cedBodySiteOrder(sites: readonly CedBodySite[]): CedBodySite[] {
  return probeZones.filter((z) => sites.includes(z))
}

function distanceFor(rng: Random, level: CedLevel): number | null {
  switch (level) {
    case 'drive_stun':
      return 0
    case 'drawn':
      return rng.chance(0.4) ? null : rng.int(4, 16) / 2
    case 'fired':
    case 'angle_drive_stun':
      return rng.int(4, 10) / 2
    default:
      return rng.int(4, 12) / 2
  }
}

function deviceFor(rng: Random, model: 'x2' | 'taser_7', bcu: Bcu): DemoDevice {
  const pool = demoDevices.filter((d) => d.model === model && d.bcuKey === `bcu-${bcu}`)
  return rng.pick(pool.length > 0 ? pool : demoDevices)
}

function cartridgeSerial(rng: Random, model: 'x2' | 'taser_7'): string {
  return `${model === 'x2' ? 'XP' : 'T7'}${String(rng.int(1_000_000, 9_999_999))}`
}

function footageReference(rng: Random, plan: IncidentPlan): string {
  return `BWV-${plan.day.replaceAll('-', '')}-${String(rng.int(1, 9999)).padStart(4, '0')}`
}

// ---------------------------------------------------------------------------------------------------------------
// The officer's account in their own words, assembled from a small set of templates. Placeholders: {S}/{s} the
// person ("the male", "the young person"), {he} {He} {him} {his} {himself} {was} their pronouns.

interface Voice {
  noun: string
  he: string
  him: string
  his: string
  himself: string
  was: string
}

function voiceOf(details: SubjectDetails): Voice {
  const child = details.ageBand === 'age_11_17'
  const noun =
    details.ageBand === 'under_11'
      ? 'the child'
      : details.gender === 'male'
        ? child
          ? 'the boy'
          : 'the male'
        : details.gender === 'female'
          ? child
            ? 'the girl'
            : 'the female'
          : child
            ? 'the young person'
            : 'the person'
  if (details.gender === 'male') return { noun, he: 'he', him: 'him', his: 'his', himself: 'himself', was: 'was' }
  if (details.gender === 'female') return { noun, he: 'she', him: 'her', his: 'her', himself: 'herself', was: 'was' }
  return { noun, he: 'they', him: 'them', his: 'their', himself: 'themselves', was: 'were' }
}

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1)

function fill(template: string, v: Voice): string {
  return template.replace(/\{(S|s|He|he|him|his|himself|was)\}/g, (_, key: string) => {
    switch (key) {
      case 'S':
        return capitalise(v.noun)
      case 's':
        return v.noun
      case 'He':
        return capitalise(v.he)
      case 'he':
        return v.he
      case 'him':
        return v.him
      case 'his':
        return v.his
      case 'himself':
        return v.himself
      default:
        return v.was
    }
  })
}

const behaviour: Record<SubjectConduct, readonly string[]> = {
  compliant: [
    '{S} was calm and cooperative throughout.',
    '{S} did not resist, but I needed to keep control of {him} while we waited for transport.',
  ],
  passive_resistance: [
    '{S} went limp and refused to walk to the police vehicle.',
    '{S} sat down and refused to move when asked.',
    '{S} refused to take {his} hands out of {his} pockets.',
  ],
  verbal_resistance: [
    '{S} shouted, swore and squared up to officers.',
    '{S} became verbally abusive and made threats towards me.',
    '{S} clenched {his} fists and told officers to back off.',
  ],
  active_resistance: [
    '{S} pulled away and tried to run when I took hold of {his} arm.',
    '{S} tensed {his} arms and struggled to stop me applying handcuffs.',
    '{S} wriggled free and tried to push past me.',
  ],
  aggressive_resistance: [
    '{S} swung punches at me and my colleague.',
    '{S} kicked out at officers and tried to bite my arm.',
    '{S} took a fighting stance and lunged at me.',
  ],
  serious_aggravated_resistance: [
    '{S} attacked my colleague, knocking them to the ground and punching them repeatedly.',
    '{S} grabbed at my kit and tried to take my baton from its holder.',
  ],
}

const weaponBehaviour = [
  '{S} had a knife in {his} hand and refused to put it down.',
  '{S} was holding a screwdriver and waving it at officers.',
  '{S} picked up a glass bottle and threatened to use it on anyone who came near.',
] as const

const cedPhrase: Record<CedLevel, readonly string[]> = {
  drawn: ['I drew my Taser'],
  aimed: ['I drew my Taser and aimed it at {him}'],
  red_dot: ['I drew my Taser and placed the red dot on {his} torso', 'I red-dotted {him} and warned {him} to comply'],
  arced: ['I drew my Taser and arced it as a visible deterrent'],
  drive_stun: ['I applied a drive-stun to {his} back to break {his} grip'],
  fired: ['I fired my Taser and the probes struck {his} body', 'I fired my Taser at {his} back'],
  angle_drive_stun: ['I fired my Taser and, as the probes did not give a good spread, applied an angled drive-stun'],
}

const tacticPhrase: Partial<Record<Tactic, readonly string[]>> = {
  compliant_handcuffing: ['I applied handcuffs, which {he} accepted', 'I handcuffed {him} to the rear'],
  non_compliant_handcuffing: [
    'I handcuffed {him} while {he} resisted',
    'I forced {his} arms behind {his} back to handcuff {him}',
  ],
  unarmed_skills: [
    'I took hold of {his} arm in an escort position',
    'I used a straight-arm restraint',
    'I used a distraction strike to {his} thigh',
  ],
  ground_restraint: ['we took {him} to the ground in a controlled way and held {him} there, watching {his} breathing'],
  limb_body_restraints: ['I applied leg restraints to stop {him} kicking', 'I fitted a body restraint belt'],
  baton_drawn: ['I drew my baton as a deterrent'],
  baton_used: ['I struck {him} once on the thigh with my baton'],
  irritant_spray_pava_drawn: ['I drew my PAVA spray and warned {him} it would be used'],
  irritant_spray_pava_used: ['I sprayed PAVA towards {his} face from a safe distance'],
  irritant_spray_cs_used: ['I sprayed CS towards {his} face'],
  spit_and_bite_guard: ['I fitted a spit and bite guard after {he} spat at officers'],
  shield: ['I used a shield to push {him} back'],
  dog_deployed: ['I deployed my police dog, which I kept on a lead'],
  dog_bite: ['my police dog bit {him} on the forearm until released'],
  firearm_aimed: ['I aimed my firearm at {him} and gave clear commands'],
  other_improvised: ['I used my body weight to pin {him} against a wall'],
}

const reasonPhrase: Record<Reason, string> = {
  protect_self: 'protect myself',
  protect_public: 'protect members of the public',
  protect_subject: 'stop {him} harming {himself}',
  protect_other_officers: 'protect my colleagues',
  prevent_offence: 'prevent further offences',
  secure_evidence: 'secure evidence',
  effect_search: 'carry out a lawful search',
  effect_arrest: 'arrest {him}',
  method_of_entry: 'gain entry to the address',
  remove_handcuffs: 'remove the handcuffs safely',
  prevent_harm: 'prevent harm',
  prevent_escape: 'stop {him} escaping',
  other: 'keep everyone safe',
}

const closings = [
  'The force I used was necessary to {reason} and proportionate to the threat {he} posed; it stopped as soon as {he} {was} under control.',
  'I considered lesser options but did not believe they would work. I used force to {reason} and stopped as soon as {he} stopped resisting.',
  'I believed it was necessary and proportionate to {reason}, and I kept the force to the minimum needed.',
  'No lesser option was safe given {his} behaviour. I used force to {reason} and monitored {his} welfare throughout.',
] as const

function justificationFor(
  rng: Random,
  report: ReportPlan,
  tactics: readonly TacticUse[],
  reasons: readonly Reason[],
  voice: Voice,
): string {
  const subject = report.subject
  const weapon = subject.impactFactors.includes('possession_of_weapon')
  const phrases = tactics.flatMap(({ tactic }) => {
    if (tactic === 'ced') return report.ced ? [rng.pick(cedPhrase[report.ced.level])] : []
    const options = tacticPhrase[tactic]
    return options ? [rng.pick(options)] : []
  })
  // Two steps to a sentence reads like an officer's account; one long chain of "then"s does not.
  const steps: string[] = []
  for (let i = 0; i < phrases.length; i += 2) steps.push(`${capitalise(phrases.slice(i, i + 2).join(', then '))}.`)
  const force = steps.join(' ')
  const reason = reasonPhrase[rng.pick(reasons)]
  const resisting = resistance(subject.conduct) !== 'calm' && subject.conduct !== 'passive_resistance'
  const openings = [...report.scenario.openings, ...(resisting ? (report.scenario.resistingOpenings ?? []) : [])]
  const sentences = [
    rng.pick(openings),
    weapon && subject.conduct !== 'compliant' ? rng.pick(weaponBehaviour) : rng.pick(behaviour[subject.conduct]),
    force,
    rng.pick(closings).replace('{reason}', reason),
  ]
  return fill(sentences.filter((s) => s !== '').join(' '), voice)
}

type Resistance = 'calm' | 'resisting' | 'violent'

function resistance(conduct: SubjectConduct): Resistance {
  if (conduct === 'compliant') return 'calm'
  return conduct === 'aggressive_resistance' || conduct === 'serious_aggravated_resistance' ? 'violent' : 'resisting'
}

const deEscalation: Record<Resistance, readonly string[]> = {
  calm: [
    'I explained what I was doing and why, and {he} accepted this calmly.',
    'I told {him} why {he} {was} being detained and kept hold of {him} for no longer than needed.',
    'I spoke calmly and explained each step before I did it.',
  ],
  resisting: [
    'I spoke calmly, explained the grounds and gave {him} time to comply, but {he} refused.',
    'I tried to talk {him} round and offered to let {him} walk to the van without being held, which {he} refused.',
    'I gave clear instructions and warned {him} that force would be used if {he} kept resisting.',
  ],
  violent: [
    'There was no time to de-escalate: {he} attacked without warning.',
    'I created distance and gave repeated commands to calm down, which {he} ignored.',
    'I tried tactical communication and gave a clear warning before using force, but {he} kept coming towards me.',
  ],
}

function deEscalationFor(
  rng: Random,
  report: ReportPlan,
  used: ReadonlySet<Tactic>,
  cedWarning: boolean | null,
  voice: Voice,
): string {
  const sentences = [rng.pick(deEscalation[resistance(report.subject.conduct)])]
  if (used.has('compliant_handcuffing') && rng.chance(0.3)) {
    sentences.push('I checked the handcuffs were not too tight and double-locked them.')
  }
  if (report.scenario.outcome !== 'arrest' || report.subject.impactFactors.includes('mental_health')) {
    sentences.push(
      rng.pick([
        'I used {his} first name, kept my voice low and tried to reassure {him}.',
        'I asked the mental health triage nurse for advice over the phone before acting.',
        'I kept the number of officers around {him} to a minimum so {he} would not feel crowded.',
      ]),
    )
  }
  if (cedWarning === true) {
    sentences.push(
      rng.pick([
        'Before using the Taser I shouted a clear warning and gave {him} the chance to comply.',
        'I told {him} that I had a Taser and would use it unless {he} stopped, and gave {him} time to respond.',
      ]),
    )
  } else if (cedWarning === false) {
    sentences.push('There was no time to give a Taser warning before I had to act.')
  }
  return fill(sentences.join(' '), voice)
}

// ---------------------------------------------------------------------------------------------------------------
// The demo officer's two unfinished reports: one started 30 hours ago, past the 24-hour deadline, and one from two
// hours ago. Data are what the form would have saved so far: the input shape, partly filled.

function demoDrafts(rng: Random, now: number, officer: Officer): DemoDraft[] {
  const area = (): string => rng.weighted(areas[officer.bcu])
  const overdueStart = now - 30 * 3_600_000
  const recentStart = now - 2 * 3_600_000
  return [
    {
      officerPersonKey: officer.person.key,
      startedAt: new Date(overdueStart).toISOString(),
      data: {
        incident: {
          occurredAt: new Date(minuteFloor(overdueStart - rng.int(40, 90) * 60_000)).toISOString(),
          locationTypes: ['street_highway'],
          area: area(),
          planned: false,
        },
        subject: { ageBand: 'age_18_34', gender: 'male', perceivedEthnicity: 'white', healthCondition: 'none' },
        tactics: [
          { tactic: 'tactical_communication', effective: false },
          { tactic: 'non_compliant_handcuffing', effective: true },
        ],
        reasons: ['protect_self', 'effect_arrest'],
      },
    },
    {
      officerPersonKey: officer.person.key,
      startedAt: new Date(recentStart).toISOString(),
      data: {
        incident: {
          occurredAt: new Date(minuteFloor(recentStart - rng.int(20, 60) * 60_000)).toISOString(),
          locationTypes: ['dwelling'],
          area: area(),
          planned: false,
        },
      },
    },
  ]
}

// ---------------------------------------------------------------------------------------------------------------
// Calendar. Days are whole days since 1970-01-01 (UTC); times of day are London wall-clock time, so a Saturday night
// is a Saturday night in summer and winter alike.

const dayMs = 86_400_000

const londonFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})

const hourMs = 3_600_000
// UK clocks change on the hour, so one lookup per hour serves every instant in it; Intl is slow enough to matter.
const offsetByHour = new Map<number, number>()

/** How far London wall-clock time is ahead of UTC at this instant: 0 in winter, one hour in summer. */
function londonOffset(instant: number): number {
  const hour = Math.floor(instant / hourMs)
  let offset = offsetByHour.get(hour)
  if (offset === undefined) {
    const p = Object.fromEntries(londonFormat.formatToParts(new Date(hour * hourMs)).map((x) => [x.type, x.value]))
    const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute))
    offset = wall - hour * hourMs
    offsetByHour.set(hour, offset)
  }
  return offset
}

function londonParts(instant: number): { day: number; minutes: number } {
  const wall = instant + londonOffset(instant)
  return { day: Math.floor(wall / dayMs), minutes: Math.floor((wall % dayMs) / 60_000) }
}

function londonIsoDay(instant: number): string {
  return toIsoDay(londonParts(instant).day)
}

/** The instant a London wall-clock time falls on (the hour skipped in spring maps to just after it). */
function londonInstant(day: number, minutes: number): number {
  const wall = day * dayMs + minutes * 60_000
  return wall - londonOffset(wall - londonOffset(wall))
}

const minuteFloor = (instant: number): number => Math.floor(instant / 60_000) * 60_000

const toIsoDay = (day: number): string => new Date(day * dayMs).toISOString().slice(0, 10)

const isoDayNumber = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / dayMs

function addMonths(day: number, months: number): number {
  const date = new Date(day * dayMs)
  const month = date.getUTCMonth() + months
  const lastOfMonth = new Date(Date.UTC(date.getUTCFullYear(), month + 1, 0)).getUTCDate()
  return Date.UTC(date.getUTCFullYear(), month, Math.min(date.getUTCDate(), lastOfMonth)) / dayMs
}

interface YearCalendar {
  day: (rng: Random) => number
  /** Nothing happens after this: the last few hours' incidents are still in officers' drafts. */
  latest: number
}

// Busier at weekends and in summer.
const weekdayWeight = [1.05, 0.9, 0.9, 0.95, 1, 1.15, 1.25] as const

function yearCalendar(now: number): YearCalendar {
  const today = londonParts(now).day
  const first = addMonths(today, -12) + 1
  const days: (readonly [number, number])[] = []
  for (let day = first; day <= today; day++) {
    const date = new Date(day * dayMs)
    const summer = 1 + 0.12 * Math.cos(((date.getUTCMonth() - 6.5) / 6) * Math.PI)
    days.push([day, (weekdayWeight[date.getUTCDay()] ?? 1) * summer])
  }
  return { day: weightedPicker(days), latest: now - 3 * hourMs }
}

// London hour-of-day weights: the night-time economy and domestics peak late; daytime calls in the afternoon.
const nightHours = [8, 7, 6, 4, 2.5, 1.5, 1, 1, 1.5, 2, 2.5, 3, 3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7, 8, 9, 9] as const
const dayHours = [2, 1.5, 1, 1, 0.5, 0.5, 1, 2, 3.5, 5, 6, 6.5, 7, 7, 7, 7, 7, 6.5, 6, 5, 4, 3.5, 3, 2.5] as const

function pickMoment(rng: Random, calendar: YearCalendar, night: boolean): number {
  const hours = (night ? nightHours : dayHours).map((w, h) => [h, w] as const)
  for (;;) {
    const day = calendar.day(rng)
    const at = londonInstant(day, rng.weighted(hours) * 60 + rng.int(0, 59))
    if (at <= calendar.latest) return at
  }
}

const pad = (n: number): string => String(n).padStart(5, '0')
