/**
 * The "Demo Constabulary": a made-up force's organisation, workforce and Taser (CED) training register, generated
 * deterministically from a seed. Pure: no database I/O — the seeder maps the stable keys here to database ids.
 *
 * Training dates are computed backwards from `today`, so whenever the demo is seeded it shows the same situations:
 * officers whose authority lapses within 30 days, officers who lapsed recently (one exactly a week ago), and one
 * failed refresher. Authority lapses 12 months after the last CED training (domain-reference.md, 6.2).
 */
import type { Role } from '../../domain/roles.js'
import { rankAbbreviation, type EmploymentStatus, type Rank, type UnitKind } from '../../domain/workforce.js'
import { createRandom, type Random } from './random.js'

export type CedCourse = 'initial' | 'refresher' | 'conversion'
export type CedTrainingModel = 'X2' | 'TASER 7' | 'TASER 10'

export interface DemoUnit {
  key: string
  parentKey: string | null
  kind: UnitKind
  name: string
  code: string
}

export interface DemoPerson {
  key: string
  unitKey: string
  /** Null for police staff (including PCSOs). Special constables' numbers start 'SC'. */
  collarNumber: string | null
  givenName: string
  familyName: string
  /** Null for police staff: staff grades are not ranks. */
  rank: Rank | null
  status: EmploymentStatus
  /** YYYY-MM-DD */
  joinedOn: string
}

export interface DemoCedTraining {
  personKey: string
  course: CedCourse
  deviceModel: CedTrainingModel
  /** YYYY-MM-DD */
  completedOn: string
  hours: number
  passed: boolean
}

export interface DemoForce {
  force: { code: string; name: string }
  /** Parents always come before their children. */
  units: DemoUnit[]
  people: DemoPerson[]
  cedTraining: DemoCedTraining[]
}

export interface DemoAccount {
  username: string
  displayName: string
  role: Role
  /** Null for people outside the force, such as an independent scrutiny panel member. */
  personKey: string | null
}

export interface DemoForceOptions {
  /** Same seed and same `today` give identical output. Default 1. */
  seed?: number
  /** The date the demo is seeded; training dates are placed relative to it (as a Europe/London calendar date). */
  today?: Date
}

export function generateDemoForce(options: DemoForceOptions = {}): DemoForce {
  const rng = createRandom(options.seed ?? 1)
  const today = londonDay(options.today ?? new Date())

  const people = fillSeats(rng, today)
  const cedTraining = trainTaserOfficers(rng, today, people)

  return {
    force: { code: 'demo', name: 'Demo Constabulary' },
    units: plan.map((planned) => ({ ...planned.unit })),
    people: people.map(({ seat, person }) => ({ key: seat.key, ...person })),
    cedTraining,
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Organisation and posts. The plan is fixed data (no randomness), so person keys are the same for every seed and
// the demo accounts below can name their holders statically. The seed only decides who fills each post.

type UnitFunction =
  | 'command'
  | 'response'
  | 'neighbourhood'
  | 'roads'
  | 'professional_standards'
  | 'operational_training'
  | 'control_room'
  | 'analysis'
  | 'digital'

interface Post {
  rank: Rank | null
  status: EmploymentStatus
  count: number
}

interface PlannedUnit {
  unit: DemoUnit
  function: UnitFunction
  posts: readonly Post[]
}

interface Seat {
  key: string
  unitKey: string
  unitFunction: UnitFunction
  rank: Rank | null
  status: EmploymentStatus
}

const officers = (rank: Rank, count: number, status: EmploymentStatus = 'regular'): Post => ({ rank, status, count })
const specials = (count: number, rank: Rank = 'constable'): Post => ({ rank, status: 'special_constable', count })
const staff = (count: number): Post => ({ rank: null, status: 'police_staff', count })

// North covers the city and is the busiest; West is mostly rural, with fewer response officers and more PCSOs.
const bcuPlans = [
  { area: 'north', name: 'North BCU', code: 'N', response: 48, neighbourhood: 23, pcsos: 28, roads: 30 },
  { area: 'east', name: 'East BCU', code: 'E', response: 45, neighbourhood: 21, pcsos: 30, roads: 28 },
  { area: 'west', name: 'West BCU', code: 'W', response: 42, neighbourhood: 19, pcsos: 32, roads: 26 },
] as const

// Four response teams per BCU cover the shift pattern; small offsets so no two teams are quite the same size.
const responseTeams = [
  { letter: 'a', offset: 0 },
  { letter: 'b', offset: 2 },
  { letter: 'c', offset: -1 },
  { letter: 'd', offset: -1 },
] as const

function planUnits(): PlannedUnit[] {
  const units: PlannedUnit[] = [
    {
      unit: { key: 'force', parentKey: null, kind: 'force', name: 'Demo Constabulary', code: 'DC' },
      function: 'command',
      // The chief officer team, the chief superintendent heading local policing, and their executive support.
      posts: [
        officers('chief_constable', 1),
        officers('deputy_chief_constable', 1),
        officers('assistant_chief_constable', 2),
        officers('chief_superintendent', 1),
        staff(4),
      ],
    },
  ]

  for (const bcu of bcuPlans) {
    const bcuKey = `bcu-${bcu.area}`
    units.push({
      unit: { key: bcuKey, parentKey: 'force', kind: 'bcu', name: bcu.name, code: bcu.code },
      function: 'command',
      // The BCU commander, their deputy and business support.
      posts: [officers('superintendent', 1), officers('chief_inspector', 1), staff(4)],
    })

    // Response: one sergeant per ~7 constables, about one in six constables still a student officer, a couple of
    // specials attached and an investigation support officer or two.
    for (const { letter, offset } of responseTeams) {
      units.push({
        unit: {
          key: `${bcuKey}-response-${letter}`,
          parentKey: bcuKey,
          kind: 'team',
          name: `Response team ${letter.toUpperCase()}`,
          code: `${bcu.code}-R${letter.toUpperCase()}`,
        },
        function: 'response',
        posts: [
          officers('inspector', 1),
          officers('sergeant', 8),
          officers('constable', bcu.response + offset),
          officers('constable', 11, 'probationer'),
          specials(2),
          staff(2),
        ],
      })
    }

    // Neighbourhood policing is where most specials and all PCSOs (police staff, so no rank) work.
    units.push({
      unit: {
        key: `${bcuKey}-neighbourhood`,
        parentKey: bcuKey,
        kind: 'team',
        name: 'Neighbourhood team',
        code: `${bcu.code}-NH`,
      },
      function: 'neighbourhood',
      posts: [
        officers('inspector', 1),
        officers('sergeant', 4),
        officers('constable', bcu.neighbourhood),
        officers('constable', 5, 'probationer'),
        specials(1, 'sergeant'),
        specials(11),
        staff(bcu.pcsos),
      ],
    })

    // Roads policing needs advanced drivers, so no student officers.
    units.push({
      unit: { key: `${bcuKey}-roads`, parentKey: bcuKey, kind: 'team', name: 'Roads policing', code: `${bcu.code}-RP` },
      function: 'roads',
      posts: [
        officers('inspector', 1),
        officers('sergeant', 4),
        officers('constable', bcu.roads),
        specials(3),
        staff(1),
      ],
    })
  }

  const department = (key: string, name: string, code: string, fn: UnitFunction, posts: Post[]): PlannedUnit => ({
    unit: { key, parentKey: 'force', kind: 'department', name, code },
    function: fn,
    posts,
  })

  units.push(
    department('dept-professional-standards', 'Professional Standards Department', 'PSD', 'professional_standards', [
      officers('superintendent', 1),
      officers('inspector', 2),
      officers('sergeant', 4),
      officers('constable', 4),
      staff(12),
    ]),
    // Taser and officer safety instructors; the force's CED lead sits here.
    department('dept-operational-training', 'Operational training unit', 'OTU', 'operational_training', [
      officers('inspector', 1),
      officers('sergeant', 3),
      officers('constable', 8),
      staff(4),
    ]),
    // Mostly call handlers and dispatchers (staff); the inspectors are force incident managers, who in practice
    // authorise Taser deployments.
    department('dept-control-room', 'Force control room', 'FCR', 'control_room', [
      officers('chief_inspector', 1),
      officers('inspector', 5),
      officers('sergeant', 10),
      officers('constable', 8),
      staff(190),
    ]),
    department('dept-analysis', 'Analysis and performance', 'ANP', 'analysis', [staff(22)]),
    department('dept-digital', 'Digital services', 'DIG', 'digital', [staff(16)]),
  )
  return units
}

function planSeats(units: readonly PlannedUnit[]): Seat[] {
  const seats: Seat[] = []
  for (const { unit, function: unitFunction, posts } of units) {
    for (const { rank, status, count } of posts) {
      for (let i = 0; i < count; i++) {
        const key = `p${String(seats.length + 1).padStart(4, '0')}`
        seats.push({ key, unitKey: unit.key, unitFunction, rank, status })
      }
    }
  }
  return seats
}

const plan = planUnits()
const seats = planSeats(plan)

function firstSeat(unitKey: string, rank: Rank | null, status: EmploymentStatus = 'regular'): Seat {
  const seat = seats.find((s) => s.unitKey === unitKey && s.rank === rank && s.status === status)
  if (!seat) throw new Error(`Demo force plan has no ${rank ?? 'staff'} (${status}) in ${unitKey}`)
  return seat
}

// ---------------------------------------------------------------------------------------------------------------
// Demo sign-in accounts, one per role. Their holders have fixed names so the README can introduce them.

const accountHolders = {
  officer: { seat: firstSeat('bcu-north-response-a', 'constable'), givenName: 'Sam', familyName: 'Okafor' },
  supervisor: { seat: firstSeat('bcu-north-response-a', 'sergeant'), givenName: 'Rachel', familyName: 'Hargreaves' },
  taserLead: {
    seat: firstSeat('dept-operational-training', 'inspector'),
    givenName: 'Gareth',
    familyName: 'Pritchard',
  },
  authorising: { seat: firstSeat('dept-control-room', 'inspector'), givenName: 'Meera', familyName: 'Chauhan' },
  psd: { seat: firstSeat('dept-professional-standards', 'inspector'), givenName: 'Fiona', familyName: 'McKenzie' },
  analyst: { seat: firstSeat('dept-analysis', null, 'police_staff'), givenName: 'Tomasz', familyName: 'Nowak' },
  admin: { seat: firstSeat('dept-digital', null, 'police_staff'), givenName: 'Kirsty', familyName: 'Fraser' },
} as const

type AccountHolder = (typeof accountHolders)[keyof typeof accountHolders]

const holderName = ({ seat, givenName, familyName }: AccountHolder): string =>
  seat.rank ? `${rankAbbreviation(seat.rank)} ${givenName} ${familyName}` : `${givenName} ${familyName}`

const account = (username: string, role: Role, holder: AccountHolder): DemoAccount => ({
  username,
  displayName: holderName(holder),
  role,
  personKey: holder.seat.key,
})

export const demoAccounts: readonly DemoAccount[] = [
  account('officer', 'officer', accountHolders.officer),
  account('supervisor', 'supervisor', accountHolders.supervisor),
  account('taser-lead', 'taser_lead', accountHolders.taserLead),
  account('authorising-officer', 'authorising_officer', accountHolders.authorising),
  account('psd', 'psd', accountHolders.psd),
  account('analyst', 'analyst', accountHolders.analyst),
  // An independent member of the public on the scrutiny panel: not force staff, so no person record.
  { username: 'scrutiny', displayName: 'Yvonne Clarke', role: 'scrutiny_panel', personKey: null },
  account('admin', 'admin', accountHolders.admin),
]

// ---------------------------------------------------------------------------------------------------------------
// People

interface FilledSeat {
  seat: Seat
  person: Omit<DemoPerson, 'key'>
  joinedDay: number
}

function fillSeats(rng: Random, today: number): FilledSeat[] {
  const pinned = new Map<string, AccountHolder>(Object.values(accountHolders).map((h) => [h.seat.key, h]))
  const takenNames = new Set(Object.values(accountHolders).map((h) => `${h.givenName} ${h.familyName}`))
  takenNames.add('Yvonne Clarke')
  const takenCollars = new Set<string>()

  return seats.map((seat) => {
    const holder = pinned.get(seat.key)
    const name = holder ?? drawName(rng, takenNames)
    // The demo officer needs a few years of Taser history to show on their training page.
    const years = seat === accountHolders.officer.seat ? 6 + rng.next() * 4 : serviceYears(rng, seat)
    const joinedDay = today - yearsInDays(years)
    return {
      seat,
      joinedDay,
      person: {
        unitKey: seat.unitKey,
        collarNumber: collarNumber(rng, seat.status, takenCollars),
        givenName: name.givenName,
        familyName: name.familyName,
        rank: seat.rank,
        status: seat.status,
        joinedOn: toIso(joinedDay),
      },
    }
  })
}

type YearBands = readonly (readonly [range: readonly [min: number, max: number], weight: number])[]

// Years of service by post. Most constables are recent joiners: the 2019–23 national uplift recruited heavily.
// Students are within their 2–3 year probation; senior ranks take long careers to reach.
const serviceBands: Record<Rank | 'probationer' | 'special_constable' | 'police_staff', YearBands> = {
  probationer: [[[0.1, 2.9], 1]],
  special_constable: [
    [[0.3, 3], 5],
    [[3, 10], 4],
    [[10, 20], 1],
  ],
  police_staff: [
    [[0.2, 5], 4],
    [[5, 15], 4],
    [[15, 30], 2],
  ],
  constable: [
    [[2, 5], 4],
    [[5, 10], 2.5],
    [[10, 20], 2.5],
    [[20, 30], 1],
  ],
  sergeant: [
    [[5, 12], 1],
    [[12, 25], 1],
  ],
  inspector: [[[8, 26], 1]],
  chief_inspector: [[[12, 27], 1]],
  superintendent: [[[15, 28], 1]],
  chief_superintendent: [[[18, 29], 1]],
  assistant_chief_constable: [[[22, 32], 1]],
  deputy_chief_constable: [[[22, 32], 1]],
  chief_constable: [[[22, 32], 1]],
}

function serviceYears(rng: Random, seat: Seat): number {
  const band = seat.status === 'regular' ? (seat.rank ?? 'constable') : seat.status
  const [min, max] = rng.weighted(serviceBands[band])
  return min + rng.next() * (max - min)
}

function collarNumber(rng: Random, status: EmploymentStatus, taken: Set<string>): string | null {
  if (status === 'police_staff') return null
  for (;;) {
    const candidate = status === 'special_constable' ? `SC${rng.int(100, 999)}` : String(rng.int(1000, 9999))
    if (!taken.has(candidate)) {
      taken.add(candidate)
      return candidate
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Taser training. About 350 officers carry Taser: mostly response and roads constables and sergeants, who meet
// the most violence; every instructor in the operational training unit; a few neighbourhood officers. Student
// officers may apply to carry Taser (since 2019, with supervisor approval and superintendent endorsement), so two
// long-serving students are trained, and one experienced special — force policy decides whether they may carry.

type TrainingCase = 'normal' | 'accountOfficer' | 'instructor' | 'lapsingSoon' | 'lapsedLastWeek' | 'lapsed' | 'failed'

interface Trainee {
  filled: FilledSeat
  case: TrainingCase
}

/** The earliest an initial course is realistic: after probation for regulars, later for specials. */
function earliestInitialDay({ seat, joinedDay }: FilledSeat): number {
  if (seat.status === 'probationer') return addMonths(joinedDay, 15)
  if (seat.status === 'special_constable') return joinedDay + yearsInDays(3)
  return joinedDay + yearsInDays(2)
}

function trainTaserOfficers(rng: Random, today: number, people: readonly FilledSeat[]): DemoCedTraining[] {
  const eligible = (p: FilledSeat): boolean => earliestInitialDay(p) <= today - 30
  const chosen = new Set<FilledSeat>()
  const choose = (candidates: readonly FilledSeat[], count: number): void => {
    for (const p of rng.shuffle(candidates.filter(eligible)).slice(0, count)) chosen.add(p)
  }

  const accountOfficer = people.find((p) => p.seat === accountHolders.officer.seat)
  if (accountOfficer) chosen.add(accountOfficer)

  for (const planned of plan) {
    const inUnit = people.filter((p) => p.seat.unitKey === planned.unit.key)
    const regular = (rank: Rank): FilledSeat[] =>
      inUnit.filter((p) => p.seat.rank === rank && p.seat.status === 'regular' && !chosen.has(p))
    switch (planned.function) {
      case 'response':
        choose(regular('constable'), Math.round(regular('constable').length * 0.4))
        choose(regular('sergeant'), 4)
        // One response inspector per BCU is trained, to lead on scene.
        if (planned.unit.key.endsWith('-response-a')) choose(regular('inspector'), 1)
        break
      case 'roads':
        choose(regular('constable'), Math.round(regular('constable').length * 0.6))
        choose(regular('sergeant'), 2)
        break
      case 'neighbourhood':
        choose(regular('constable'), 2)
        break
      case 'operational_training':
        for (const p of inUnit.filter((p) => p.seat.status !== 'police_staff' && eligible(p))) chosen.add(p)
        break
      default:
        break
    }
  }

  const longestServing = (status: EmploymentStatus, count: number): void => {
    const candidates = people
      .filter((p) => p.seat.unitFunction === 'response' && p.seat.status === status && eligible(p))
      .sort((a, b) => a.joinedDay - b.joinedDay)
    for (const p of candidates.slice(0, count)) chosen.add(p)
  }
  longestServing('probationer', 2)
  longestServing('special_constable', 1)

  const cases = assignCases(rng, today, [...chosen])
  const trainees: Trainee[] = people
    .filter((p) => chosen.has(p))
    .map((p) => ({ filled: p, case: cases.get(p) ?? 'normal' }))
  return trainees.flatMap((t) => trainingHistory(rng, today, t))
}

/**
 * The situations the demo must show, placed on experienced regular constables in response and roads teams: six
 * whose authority lapses within 30 days, four who lapsed in the last month (one exactly a week ago) and one failed
 * refresher. One lapsing soon and the one lapsed last week are in the demo supervisor's team, so they see both.
 */
function assignCases(rng: Random, today: number, trained: readonly FilledSeat[]): Map<FilledSeat, TrainingCase> {
  const cases = new Map<FilledSeat, TrainingCase>()
  for (const p of trained) {
    if (p.seat === accountHolders.officer.seat) cases.set(p, 'accountOfficer')
    else if (p.seat.unitFunction === 'operational_training') cases.set(p, 'instructor')
  }

  const experienced = rng.shuffle(
    trained.filter(
      (p) =>
        !cases.has(p) &&
        p.seat.rank === 'constable' &&
        p.seat.status === 'regular' &&
        (p.seat.unitFunction === 'response' || p.seat.unitFunction === 'roads') &&
        earliestInitialDay(p) <= today - yearsInDays(3),
    ),
  )
  // Takes from the given team when it has someone suitable, otherwise from anywhere.
  const take = (caseName: TrainingCase, count: number, unitKey?: string): void => {
    for (let i = 0; i < count; i++) {
      const index = experienced.findIndex((p) => unitKey === undefined || p.seat.unitKey === unitKey)
      const found = experienced.splice(index >= 0 ? index : 0, 1)[0]
      if (!found) throw new Error('Demo force has too few experienced Taser officers for its lapse cases')
      cases.set(found, caseName)
    }
  }
  const supervisorsTeam = accountHolders.supervisor.seat.unitKey
  take('lapsedLastWeek', 1, supervisorsTeam)
  take('lapsingSoon', 1, supervisorsTeam)
  take('lapsingSoon', 5)
  take('lapsed', 3)
  take('failed', 1)
  return cases
}

// How many yearly refreshers an ordinary Taser officer has had since their initial course ([count, weight]): the
// number of Taser officers has grown, so more of them are recent.
const refresherCounts = [
  [0, 15],
  [1, 15],
  [2, 15],
  [3, 15],
  [4, 12],
  [5, 10],
  [6, 10],
  [7, 8],
] as const

function trainingHistory(rng: Random, today: number, { filled, case: trainingCase }: Trainee): DemoCedTraining[] {
  const earliest = earliestInitialDay(filled)
  const last = lastTrainingDay(rng, today, earliest, trainingCase)
  const refreshers =
    trainingCase === 'normal' ? rng.weighted(refresherCounts) : trainingCase === 'accountOfficer' ? 3 : rng.int(2, 6)

  // Refreshers are booked a little under a year apart, so a diligent officer's authority never lapses.
  const days = [last]
  while (days.length <= refreshers) {
    const previous = weekdayOnOrBefore((days[0] as number) - rng.int(330, 362))
    if (previous < earliest) break
    days.unshift(previous)
  }

  // The force's fleet: X2 throughout, except that roads policing moved to TASER 7 thirty months ago (converting
  // at their next refresher) and the instructors have just converted to TASER 10 to trial it.
  const taser7From = addMonths(today, -30)
  const records: DemoCedTraining[] = []
  let model: CedTrainingModel = 'X2'
  days.forEach((day, i) => {
    let course: CedCourse = i === 0 ? 'initial' : 'refresher'
    let nextModel: CedTrainingModel = model
    if (filled.seat.unitFunction === 'roads' && day >= taser7From) nextModel = 'TASER 7'
    if (trainingCase === 'instructor' && i > 0 && i === days.length - 1) nextModel = 'TASER 10'
    if (i > 0 && nextModel !== model) course = 'conversion'
    model = nextModel
    records.push({
      personKey: filled.seat.key,
      course,
      deviceModel: model,
      completedOn: toIso(day),
      hours: courseHours(rng, course, day, today),
      passed: true,
    })
  })

  if (trainingCase === 'failed') {
    const failedOn = weekdayOnOrBefore(today - rng.int(7, 14))
    records.push({
      personKey: filled.seat.key,
      course: 'refresher',
      deviceModel: model,
      completedOn: toIso(failedOn),
      hours: 7,
      passed: false,
    })
  }
  return records
}

/** The date of the last passed training, which sets when authority lapses (12 months later). */
function lastTrainingDay(rng: Random, today: number, earliest: number, trainingCase: TrainingCase): number {
  switch (trainingCase) {
    case 'lapsedLastWeek':
      return addMonths(today - 7, -12)
    case 'lapsingSoon':
      // Lapses 3–27 days from today: last trained between 11 and 12 months ago.
      return monthsBeforeOnWeekday(rng, today, 3, 27, -12)
    case 'lapsed':
      // Lapsed 2–28 days ago (not 7, which is last week's case): last trained between 12 and 13 months ago.
      return monthsBeforeOnWeekday(rng, today, -28, -2, -12)
    case 'failed':
      // Passed ~10 months ago and failed an early refresher last week or so: outside the 30-day lapse window,
      // so whether a failed refresher suspends authority is the authority rules' call, not an accident of dates.
      return weekdayOnOrBefore(today - rng.int(280, 300))
    case 'accountOfficer':
      return weekdayOnOrBefore(today - rng.int(60, 150))
    case 'instructor':
      // The TASER 10 conversion, within the last six months.
      return Math.max(weekdayOnOrBefore(today - rng.int(14, 180)), earliest)
    case 'normal': {
      // Last trained within the past ~10½ months, so nobody else lapses within 30 days.
      const from = Math.max(today - 320, earliest)
      return weekdayOnOrBefore(rng.int(Math.min(from, today - 7), today - 7))
    }
  }
}

/** A weekday that is 12 months before `today + k` for some k in [fromOffset, toOffset]. */
function monthsBeforeOnWeekday(
  rng: Random,
  today: number,
  fromOffset: number,
  toOffset: number,
  months: number,
): number {
  const offsets = rng.shuffle(Array.from({ length: toOffset - fromOffset + 1 }, (_, i) => fromOffset + i))
  const days = offsets.filter((k) => k !== -7).map((k) => addMonths(today + k, months))
  return days.find(isWeekday) ?? (days[0] as number)
}

function courseHours(rng: Random, course: CedCourse, day: number, today: number): number {
  switch (course) {
    // The force moved from a 3-day to a 4-day initial course four years ago (the national minimum is 18 hours).
    case 'initial':
      return day < addMonths(today, -48) ? 21 : 28
    // Two days, including the annual refresher.
    case 'conversion':
      return 14
    // One day; the national minimum is 6 hours.
    case 'refresher':
      return rng.pick([6, 7, 7, 7, 8])
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Calendar arithmetic on whole days since 1970-01-01 (UTC), which keeps it free of time zones and clock changes.

const dayMs = 86_400_000

const yearsInDays = (years: number): number => Math.round(years * 365.25)

const londonDateFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
})

/** The calendar date in the UK at this instant: just after midnight BST is already tomorrow there. */
function londonDay(instant: Date): number {
  if (Number.isNaN(instant.getTime())) throw new RangeError('today must be a valid date')
  const parts = Object.fromEntries(londonDateFormat.formatToParts(instant).map((p) => [p.type, p.value]))
  return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day)) / dayMs
}

function toIso(day: number): string {
  return new Date(day * dayMs).toISOString().slice(0, 10)
}

/** Calendar months, clamped to the end of a shorter month (29 February less 12 months is 28 February). */
function addMonths(day: number, months: number): number {
  const date = new Date(day * dayMs)
  const year = date.getUTCFullYear()
  const month = date.getUTCMonth() + months
  const lastOfMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate()
  return Date.UTC(year, month, Math.min(date.getUTCDate(), lastOfMonth)) / dayMs
}

function isWeekday(day: number): boolean {
  const weekday = new Date(day * dayMs).getUTCDay()
  return weekday !== 0 && weekday !== 6
}

/** Courses run on weekdays: a Saturday or Sunday moves back to the Friday. */
function weekdayOnOrBefore(day: number): number {
  const weekday = new Date(day * dayMs).getUTCDay()
  return weekday === 6 ? day - 1 : weekday === 0 ? day - 2 : day
}

// ---------------------------------------------------------------------------------------------------------------
// Names: made up by combining common British given and family names from several backgrounds. Given and family
// names mostly come from the same background, with some British-born mixing (e.g. "Sophie Mensah"). Full names
// are unique within the force so that demo searches are unambiguous.

interface NameGroup {
  weight: number
  given: readonly string[]
  family: readonly string[]
}

/** A list written as words separated by spaces and line breaks. */
const words = (text: string): readonly string[] => text.trim().split(/\s+/)

const britishAndIrish: NameGroup = {
  weight: 79,
  given: words(`
    Sarah Emma Rachel Claire Laura Hannah Rebecca Charlotte Sophie Lucy Katie Gemma Amy Jessica Natalie Joanne
    Helen Nicola Kirsty Megan Chloe Siobhan Niamh Fiona Eleanor Bethan Ffion Catriona Alison Louise Victoria
    Stacey Zoe Holly Jodie Abigail Lauren Ellie Karen Donna Aoife Carys Isla Jennifer James Daniel Thomas
    Matthew Christopher Andrew Michael David Mark Paul Richard Steven Jonathan Benjamin Samuel Joshua Liam
    Connor Ryan Callum Jack Oliver Luke Adam Craig Gareth Rhys Owen Dylan Ewan Fraser Declan Ciaran Neil Simon
    Stuart Lee Jamie Scott Kieran Harry George Alexander Robert Martin Aled Iain Sean Philip
  `),
  family: words(`
    Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Roberts Johnson Lewis Walker Robinson Wood
    Thompson White Watson Jackson Wright Green Harris Cooper King Lee Martin Clarke Hughes Edwards Hall Turner
    Hill Moore Parker Morgan Ward Bennett Griffiths Carter Phillips Price Shaw Pearson Holmes Marshall Ellis Cox
    Hunt Knight Barker Fletcher Bailey Richardson Chapman Mason Atkinson Gibson Lloyd Pritchard Rees Powell
    Jenkins Owen Murphy O'Brien Kelly Byrne Doyle Quinn Gallagher McKenzie MacDonald Campbell Stewart Fraser
    Ross Reid Graham Ferguson Henderson Crawford Hargreaves Sutcliffe Whitworth Ashworth Pennington Blackwood
    Ainsley Calloway Dunmore Pickering Lockwood Brennan Rowlands
  `),
}

const nameGroups: readonly NameGroup[] = [
  britishAndIrish,
  {
    // Pakistani, Bangladeshi and other Muslim British families.
    weight: 5,
    given: words(`
      Aisha Fatima Sana Ayesha Zainab Farah Rukhsana Shabnam Saima Yasmin Shazia Mohammed Imran Asif Tariq Bilal
      Hassan Zubair Kamran Nabil Usman Faisal
    `),
    family: words(`
      Khan Hussain Ahmed Ali Iqbal Rahman Malik Mahmood Akhtar Rashid Aziz Uddin Mirza Chaudhry Qureshi Butt Raza
      Siddiqui Haq
    `),
  },
  {
    // Sikh Punjabi families.
    weight: 2,
    given: words('Harpreet Gurpreet Jaspreet Simran Manpreet Amrit Harjit Ranjit Jasvir Navdeep Kuldip Baljit'),
    family: words('Sandhu Gill Dhillon Bains Sidhu Grewal Johal Sahota Atwal Virdee'),
  },
  {
    // Hindu and Gujarati families.
    weight: 2.5,
    given: words('Priya Anjali Nisha Pooja Meera Kavita Arjun Rohan Sanjay Vikram Ravi Rahul Nikhil Deepak Suresh'),
    family: words('Patel Sharma Mistry Chauhan Bhatt Parmar Joshi Shah Mehta Desai Solanki Lad'),
  },
  {
    // Black Caribbean families.
    weight: 3,
    given: words(`
      Marcus Jerome Andre Leon Dwayne Kemar Nathaniel Jordan Shanice Kayla Jasmine Tanisha Simone Keisha Aaliyah
      Tiana
    `),
    family: words('Campbell Brown Grant Francis Clarke Henry Reid Gordon Samuels Forbes Spencer McFarlane Bailey'),
  },
  {
    // Black African families (Nigerian and Ghanaian).
    weight: 2.5,
    given: words(`
      Chinedu Olumide Tunde Kwame Kofi Emeka Babajide Ngozi Adaeze Folake Chioma Efua Ama Yewande Samuel Grace
      Esther Daniel
    `),
    family: words('Okafor Adeyemi Mensah Asante Owusu Nwosu Eze Adebayo Okonkwo Osei Ogunleye Afolabi Boakye Danso'),
  },
  {
    // Chinese and Vietnamese families.
    weight: 1.5,
    given: words('Wei Mei Lin Jun Hui Kai Ling Jenny Kevin Vivian Michael Grace'),
    family: words('Chen Wong Li Zhang Liu Cheung Lam Ng Tang Ho Yip Chan Nguyen Tran'),
  },
  {
    // Polish, Romanian, Greek, Turkish, Italian and Portuguese families.
    weight: 4.5,
    given: words(`
      Katarzyna Agnieszka Magdalena Piotr Tomasz Marek Jakub Ioana Elena Andrei Nikos Eleni Elif Emre Marco Giulia
      Sofia Tiago Ana
    `),
    family: words(`
      Nowak Wozniak Mazur Krawczyk Kaczmarek Popescu Ionescu Georgiou Christodoulou Yilmaz Demir Rossi Romano
      Ferreira Costa
    `),
  },
]

// Combinations that belong to well-known people: the demo must not appear to name real public figures.
const reservedNames = new Set(
  `
    Emma Watson, Emma Thompson, Jonathan Ross, Martin Lewis, Stuart Hall, Michael Owen, Mark Wright,
    Luke Evans, Adam Johnson, Paul Robinson, Imran Khan, Mohammed Ali, Robert Powell, Mark Williams,
    David Lloyd, Gareth Thomas, Ryan Jones, James Martin, Harry Kane, Andrew Marr, Simon Jones
  `
    .trim()
    .split(/,\s*/),
)

const weightedNameGroups = nameGroups.map((group) => [group, group.weight] as const)

function drawName(rng: Random, taken: Set<string>): { givenName: string; familyName: string } {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const group = rng.weighted(weightedNameGroups)
    // About one in ten people from other backgrounds has a British or Irish given name.
    const givenName =
      group !== britishAndIrish && rng.chance(0.1) ? rng.pick(britishAndIrish.given) : rng.pick(group.given)
    const familyName = rng.pick(group.family)
    const full = `${givenName} ${familyName}`
    if (!taken.has(full) && !reservedNames.has(full)) {
      taken.add(full)
      return { givenName, familyName }
    }
  }
  throw new Error('Demo force has run out of distinct names')
}
