import { mulberry32 } from '../../src/db/seed/random.js'
import { incidentReference } from '../../src/features/reports/reports.repository.js'
import {
  incidentColumns,
  subjectColumns,
  toReportRows,
  type ReportRows,
} from '../../src/features/reports/report-record.js'
import {
  cedBodySites,
  cedLevels,
  type CedBodySite,
  type CedDeviceModel,
  type CedLevel,
} from '../../src/domain/use-of-force/ced.js'
import {
  outcomes,
  type ImpactFactor,
  type LocationType,
  type Outcome,
  type Reason,
} from '../../src/domain/use-of-force/context.js'
import type { CedUse, IncidentDetails, ReportBody, SubjectDetails } from '../../src/domain/use-of-force/report.js'
import { selfDefinedEthnicities, type AgeBand, type PerceivedEthnicity } from '../../src/domain/use-of-force/subject.js'
import type { Tactic } from '../../src/domain/use-of-force/tactics.js'
import type { ForceProfile } from './forces.js'

/**
 * Synthetic use-of-force records at national scale, shaped like the published tables (domain reference sections 1
 * and 4). Each report is a ReportBody, the record the API takes, turned into rows by the application's own
 * `toReportRows`: masks, `ced_highest_level` and the CED rows come from the same code as a real submission's.
 * Deterministic from a seed: same options, same records, same ids.
 */

/** Reports per financial year nationally (the performance notes' 829k: 5 M reports is about 6 years). */
export const REPORTS_PER_YEAR = 829_000

export interface Officer {
  personId: string
  userId: string
  unitId: string
}

export interface Device {
  serial: string
  model: CedDeviceModel
}

/** A force as written to the database, with what the records need of it. */
export interface LoadedForce {
  id: string
  profile: ForceProfile
  officers: Officer[]
  devices: Device[]
}

export interface IncidentRecord {
  incident: ReturnType<typeof incidentColumns> & {
    id: string
    force_id: string
    reference: string
    created_by: string
    created_at: Date
  }
  subjects: (ReturnType<typeof subjectColumns> & {
    id: string
    force_id: string
    incident_id: string
    label: string
    created_at: Date
  })[]
  reports: { rows: ReportRows; body: ReportBody; ageBand: AgeBand }[]
}

/** Weighted choice in O(log n): cumulative weights searched by bisection (millions of picks). */
class Picker<T> {
  private readonly items: T[]
  private readonly cumulative: number[]
  constructor(weighted: readonly (readonly [T, number])[]) {
    this.items = weighted.map(([item]) => item)
    let sum = 0
    this.cumulative = weighted.map(([, w]) => (sum += w))
    if (!(sum > 0)) throw new RangeError('Weights must add up to more than zero')
  }
  pick(u: number): T {
    const target = u * (this.cumulative[this.cumulative.length - 1] ?? 0)
    let lo = 0
    let hi = this.cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((this.cumulative[mid] ?? 0) > target) hi = mid
      else lo = mid + 1
    }
    return this.items[lo] as T
  }
}

// Shares of reports, YE Mar 2020–2023 (domain reference 4.1): restraint ~78%, handcuffing ~71%, protect self ~68%,
// arrested ~73%, alcohol ~37%, 18–34 ~54%, male ~83%, no health condition ~81%. The rest are plausible guesses.
const ageBands = new Picker<AgeBand>([
  ['under_11', 0.003],
  ['age_11_17', 0.09],
  ['age_18_34', 0.54],
  ['age_35_49', 0.25],
  ['age_50_64', 0.07],
  ['age_65_and_over', 0.01],
  ['not_reported', 0.037],
])
const genders = new Picker<SubjectDetails['gender']>([
  ['male', 0.83],
  ['female', 0.15],
  ['other', 0.002],
  ['not_reported', 0.018],
])
const health = new Picker<SubjectDetails['healthCondition']>([
  ['none', 0.81],
  ['mental', 0.13],
  ['physical', 0.02],
  ['physical_and_mental', 0.01],
  ['not_reported', 0.03],
])
const selfDefinedByGroup = new Map<string, string[]>()
for (const code of selfDefinedEthnicities.codes) {
  const group = code.perceivedGroup ?? 'not_reported'
  selfDefinedByGroup.set(group, [...(selfDefinedByGroup.get(group) ?? []), code.value])
}

/** Each tactic's chance of appearing on a report (CED decided separately); handcuffing is one of three. */
const tacticChance: [Tactic, number][] = [
  ['limb_body_restraints', 0.12],
  ['ground_restraint', 0.2],
  ['unarmed_skills', 0.33],
  ['baton_drawn', 0.008],
  ['baton_used', 0.004],
  ['irritant_spray_cs_drawn', 0.004],
  ['irritant_spray_cs_used', 0.002],
  ['irritant_spray_pava_drawn', 0.01],
  ['irritant_spray_pava_used', 0.006],
  ['spit_and_bite_guard', 0.015],
  ['shield', 0.003],
  ['aep_drawn', 0.0005],
  ['aep_fired', 0.0002],
  ['firearm_aimed', 0.02],
  ['firearm_fired', 0.00002],
  ['dog_deployed', 0.004],
  ['dog_bite', 0.001],
  ['other_improvised', 0.01],
  ['tactical_communication', 0.44],
]
const handcuffing = new Picker<Tactic | null>([
  ['compliant_handcuffing', 0.42],
  ['non_compliant_handcuffing', 0.25],
  [null, 0.33],
])
const reasonChance: [Reason, number][] = [
  ['protect_self', 0.68],
  ['protect_public', 0.3],
  ['protect_subject', 0.2],
  ['protect_other_officers', 0.25],
  ['prevent_offence', 0.15],
  ['secure_evidence', 0.05],
  ['effect_search', 0.1],
  ['effect_arrest', 0.6],
  ['method_of_entry', 0.02],
  ['remove_handcuffs', 0.01],
  ['prevent_harm', 0.25],
  ['prevent_escape', 0.35],
  ['other', 0.03],
]
const impactChance: [ImpactFactor, number][] = [
  ['possession_of_weapon', 0.1],
  ['alcohol', 0.37],
  ['drugs', 0.2],
  ['mental_health', 0.15],
  ['prior_knowledge', 0.2],
  ['size_gender_build', 0.25],
  ['acute_behavioural_disturbance', 0.03],
  ['crowd', 0.08],
  ['other', 0.05],
]
const outcomeChance: [Outcome, number][] = [
  ['made_off_escaped', 0.03],
  ['arrested', 0.73],
  ['hospitalised', 0.03],
  ['detained_mental_health_act', 0.05],
  ['other', 0.2],
]
const locationChance: [LocationType, number][] = [
  ['street_highway', 0.4],
  ['open_ground', 0.05],
  ['retail_premises', 0.05],
  ['licensed_premises', 0.04],
  ['public_transport', 0.01],
  ['sports_event_stadia', 0.005],
  ['police_vehicle_with_cage', 0.05],
  ['police_vehicle_without_cage', 0.02],
  ['police_station', 0.02],
  ['custody_block', 0.08],
  ['hospital', 0.03],
  ['mental_health_setting', 0.015],
  ['ambulance', 0.005],
  ['dwelling', 0.25],
  ['other', 0.03],
]
const mainDuty = new Picker<ReportBody['officer']['mainDuty']>([
  ['response', 0.6],
  ['neighbourhood', 0.12],
  ['roads_policing', 0.03],
  ['public_order', 0.04],
  ['custody', 0.08],
  ['firearms', 0.02],
  ['dog_unit', 0.01],
  ['investigation', 0.05],
  ['other', 0.05],
])
const conduct = new Picker<ReportBody['subjectConduct']>([
  ['compliant', 0.1],
  ['passive_resistance', 0.15],
  ['verbal_resistance', 0.15],
  ['active_resistance', 0.4],
  ['aggressive_resistance', 0.15],
  ['serious_aggravated_resistance', 0.05],
])
const reportsPerIncident = new Picker<number>([
  [1, 0.78],
  [2, 0.15],
  [3, 0.05],
  [4, 0.02],
])
const justifications = [
  'The person was resisting arrest and posed a risk to officers.',
  'Force was needed to prevent the person harming themselves.',
  'The person tried to run and force was needed to detain them.',
  'The person was violent towards members of the public.',
]
const deEscalations = [
  'Tactical communication was tried first without success.',
  'I spoke calmly and gave clear instructions before acting.',
  'There was no time to de-escalate because of the immediate threat.',
]
const injuryNatures = ['Graze', 'Bruising', 'Cut to the head', 'Probe wound']
// Probe strike sites, front torso and legs most often (the back when the person turns away).
const siteWeights = new Picker<CedBodySite>(
  cedBodySites.codes.map((c): [CedBodySite, number] => [c.value, c.side === 'front' ? 3 : 1]),
)
const siteOrder = new Map(cedBodySites.codes.map((c, i) => [c.value, i]))
const levelOrder = cedLevels.codes.map((c) => c.value)
const severity = new Map(cedLevels.codes.map((c) => [c.value, c.severity]))

export interface SyntheticOptions {
  reports: number
  seed: number
  /** Exclusive end of the span, normally the start of a financial year in London time. */
  end: Date
  perYear?: number
}

/** The span the records cover: `reports / perYear` years ending at `end`. */
export function span(options: SyntheticOptions): { start: Date; end: Date } {
  const years = options.reports / (options.perYear ?? REPORTS_PER_YEAR)
  return { start: new Date(options.end.getTime() - years * 365.25 * 86_400_000), end: options.end }
}

/**
 * Incidents in time order, each with its people and reports, until `options.reports` reports have been made.
 * About 1.3 reports per incident (several officers on one person, now and then two people).
 */
export function* syntheticIncidents(forces: LoadedForce[], options: SyntheticOptions): Generator<IncidentRecord> {
  const u = mulberry32(options.seed)
  const chance = (p: number) => u() < p
  const int = (min: number, max: number) => min + Math.floor(u() * (max - min + 1))
  const pickOf = <T>(items: readonly T[]): T => items[Math.floor(u() * items.length)] as T
  const hex = () => (u() * 0x100000000).toString(16).padStart(8, '0')
  // Version-4-shaped ids from the seed: as random as the app's, and the same on every run.
  const uuid = () => {
    const a = hex()
    const b = hex()
    const c = hex()
    const d = hex()
    return `${a}-${b.slice(0, 4)}-4${b.slice(5)}-${((parseInt(c[0] ?? '0', 16) & 3) | 8).toString(16)}${c.slice(1, 4)}-${c.slice(4)}${d}`
  }
  const some = <T>(chances: [T, number][]): T[] => chances.filter(([, p]) => u() < p).map(([v]) => v)
  const forcePicker = new Picker(forces.map((f): [LoadedForce, number] => [f, f.profile.share]))
  const ethnicity = new Map(forces.map((f) => [f.id, new Picker(f.profile.ethnicity)]))
  const cedLevel = new Map(forces.map((f) => [f.id, new Picker(f.profile.cedLevels)]))
  const { start, end } = span(options)
  const expectedIncidents = options.reports / 1.31
  const step = (end.getTime() - start.getTime()) / expectedIncidents
  const referenceNumbers = new Map<string, number>()

  function subjectDetails(force: LoadedForce): SubjectDetails {
    const perceived = (ethnicity.get(force.id) as Picker<PerceivedEthnicity>).pick(u())
    const selfDefined = chance(0.4) ? pickOf(selfDefinedByGroup.get(perceived) ?? ['not_stated']) : null
    return {
      ageBand: ageBands.pick(u()),
      gender: genders.pick(u()),
      perceivedEthnicity: perceived,
      selfDefinedEthnicity: selfDefined as SubjectDetails['selfDefinedEthnicity'],
      healthCondition: health.pick(u()),
    }
  }

  function cedUse(force: LoadedForce, highest: CedLevel): CedUse {
    const device = pickOf(force.devices)
    const top = severity.get(highest) ?? 0
    const levels = levelOrder.filter((level) => {
      if (level === highest) return true
      const s = severity.get(level) ?? 0
      if (s >= top) return false
      if (level === 'fired') return highest === 'angle_drive_stun'
      if (level === 'drawn') return chance(0.95)
      if (level === 'aimed') return chance(0.5)
      if (level === 'red_dot') return chance(0.6)
      if (level === 'arced') return chance(0.05)
      return chance(0.03)
    })
    const fired = levels.includes('fired') || levels.includes('angle_drive_stun')
    const discharged = fired || levels.includes('drive_stun')
    const bays = device.model === 'x26' ? 1 : 2
    const cartridges = levels.includes('fired')
      ? Array.from({ length: bays > 1 && chance(0.15) ? 2 : 1 }, (_, k) => ({ serial: `C${hex()}`, bay: k + 1 }))
      : []
    const cycleCount = discharged ? reportsCycles(u()) : 0
    const cycles = Array.from({ length: cycleCount }, () => {
      const r = u()
      const seconds = r < 0.75 ? 5 : r < 0.95 ? int(10, 49) / 10 : int(51, 100) / 10
      return { seconds, extended: seconds > 5, interrupted: chance(0.1) }
    })
    const probeMiss: CedUse['probeMiss'] = fired ? (chance(0.75) ? 'none' : chance(0.6) ? 'one' : 'both') : 'not_fired'
    const maxSites =
      probeMiss === 'both' || !fired ? 0 : 2 * Math.max(cartridges.length, 1) - (probeMiss === 'one' ? 1 : 0)
    const sites = new Set<CedBodySite>()
    for (let k = 0; k < Math.min(maxSites, 2); k++) sites.add(siteWeights.pick(u()))
    return {
      deviceSerial: device.serial,
      deviceModel: device.model,
      levels,
      driveStunRepeat: levels.includes('drive_stun') && chance(0.2),
      cartridges,
      cycles,
      repeatCycleSameCartridge: fired && cycleCount >= 2 && (cycleCount > cartridges.length || chance(0.1)),
      probeMiss,
      probeSites: [...sites].sort((a, b) => (siteOrder.get(a) ?? 0) - (siteOrder.get(b) ?? 0)),
      warningGiven: chance(0.85),
      distanceMetres: fired ? int(10, 70) / 10 : chance(0.5) ? int(20, 100) / 10 : null,
      effective: chance(0.8),
      probesRemovedBy: fired ? (chance(0.5) ? 'officer' : chance(0.6) ? 'medical_staff' : 'not_required') : null,
      medicalCheck: fired ? chance(0.9) : chance(0.1),
      footageReference: null,
    }
  }

  function reportBody(force: LoadedForce): ReportBody {
    const ced = chance(force.profile.cedRate)
    const highest = ced ? (cedLevel.get(force.id) as Picker<CedLevel>).pick(u()) : null
    const cuffs = handcuffing.pick(u())
    const chosen = new Set<Tactic>(some(tacticChance))
    if (cuffs) chosen.add(cuffs)
    if (highest) chosen.add('ced')
    // Tactical communication alone is not a use of force.
    if (![...chosen].some((t) => t !== 'tactical_communication')) chosen.add('compliant_handcuffing')
    const tactics = [...chosen].map((tactic) => ({ tactic, effective: chance(0.9) }))
    const cedUses = highest ? [cedUse(force, highest)] : []
    if (highest && chance(0.04)) {
      const lower = levelOrder.filter((l) => (severity.get(l) ?? 0) <= (severity.get(highest) ?? 0) && l !== 'fired')
      cedUses.push(cedUse(force, pickOf(lower.filter((l) => l !== 'angle_drive_stun'))))
    }
    const officerInjured = chance(0.06) ? 'yes' : chance(0.94) ? 'no' : 'not_reported'
    const r = u()
    const subjectInjured = r < 0.09 ? 'yes' : r < 0.89 ? 'no' : r < 0.93 ? 'unknown' : 'not_reported'
    const d = u()
    const subjectLevel =
      subjectInjured !== 'yes'
        ? null
        : d < 0.00002
          ? 'death'
          : d < 0.88
            ? 'minor'
            : d < 0.98
              ? 'severe'
              : 'not_reported'
    const outcomeList = some(outcomeChance)
    if (subjectLevel === 'death') outcomeList.push('fatality')
    if (!outcomeList.length) outcomeList.push('other')
    const threatened = chance(0.05)
    const withWeapon = chance(0.02)
    const medicalOffered = subjectInjured === 'yes' ? chance(0.8) : chance(0.15)
    const trained = highest ? true : chance(0.3)
    const bwv = chance(0.85)
    const reasonList = some(reasonChance)
    return {
      tactics,
      reasons: reasonList.length ? reasonList : ['protect_self'],
      impactFactors: some(impactChance),
      outcomes: outcomes.values.filter((o) => outcomeList.includes(o)),
      officer: {
        mainDuty: mainDuty.pick(u()),
        singleCrewed: chance(0.25),
        cedTrained: trained,
        cedCarried: highest ? true : trained && chance(0.7),
        assaultedBySubject: withWeapon || chance(0.25),
        threatenedWithWeapon: threatened,
        assaultedWithWeapon: withWeapon,
      },
      subjectConduct: conduct.pick(u()),
      officerInjury: {
        injured: officerInjured,
        intentionalAssault:
          officerInjured === 'yes' ? (chance(0.6) ? 'yes' : chance(0.75) ? 'no' : 'not_reported') : null,
        level: officerInjured === 'yes' ? (chance(0.95) ? 'minor' : chance(0.4) ? 'severe' : 'not_reported') : null,
        medicalProvided: officerInjured === 'yes' && chance(0.4),
      },
      subjectInjury: {
        injured: subjectInjured,
        level: subjectLevel,
        nature: subjectInjured === 'yes' && chance(0.5) ? pickOf(injuryNatures) : null,
        medicalOffered,
        medicalProvided: medicalOffered && chance(0.6),
      },
      bodyWornVideo: { activated: bwv, reference: null },
      justification: pickOf(justifications),
      deEscalation: pickOf(deEscalations),
      cedUses,
    }
  }

  let made = 0
  for (let i = 0; made < options.reports; i++) {
    const force = forcePicker.pick(u())
    const at = new Date(Math.min(end.getTime() - 1000, start.getTime() + (i + u()) * step))
    at.setUTCMilliseconds(0)
    const createdBy = pickOf(force.officers)
    const year = at.getUTCFullYear()
    const counterKey = `${force.id}:${year}`
    const n = (referenceNumbers.get(counterKey) ?? 0) + 1
    referenceNumbers.set(counterKey, n)
    const locations = some(locationChance)
    const details: IncidentDetails = {
      occurredAt: at.toISOString(),
      locationTypes: locations.length ? locations : ['street_highway'],
      area: `Beat ${int(1, 60)}`,
      planned: chance(0.05),
    }
    const createdAt = new Date(at.getTime() + int(1, 20) * 3_600_000)
    const incident = {
      id: uuid(),
      force_id: force.id,
      reference: incidentReference(year, n),
      created_by: createdBy.userId,
      created_at: createdAt,
      ...incidentColumns(details),
    }
    const reportCount = Math.min(reportsPerIncident.pick(u()), options.reports - made)
    const subjectCount = reportCount > 1 && chance(0.15) ? 2 : 1
    const subjects = Array.from({ length: subjectCount }, (_, k) => ({
      id: uuid(),
      force_id: force.id,
      incident_id: incident.id,
      label: `Person ${k + 1}`,
      created_at: createdAt,
      ...subjectColumns(subjectDetails(force)),
    }))
    const first = int(0, force.officers.length - 1)
    const reports = Array.from({ length: reportCount }, (_, k) => {
      // Different officers on one incident: consecutive officers of the force from a random start.
      const officer = force.officers[(first + k) % force.officers.length] as Officer
      const subject = subjects[k % subjectCount] as (typeof subjects)[number]
      const body = reportBody(force)
      const rows = toReportRows(
        body,
        {
          id: uuid(),
          forceId: force.id,
          incidentId: incident.id,
          subjectId: subject.id,
          officerPersonId: officer.personId,
          officerUnitId: officer.unitId,
          reporterUserId: officer.userId,
          occurredAt: details.occurredAt,
          submittedAt: new Date(createdAt.getTime() + k * 600_000),
          version: 1,
        },
        uuid,
      )
      return { rows, body, ageBand: subject.age_band as AgeBand }
    })
    made += reportCount
    yield { incident, subjects, reports }
  }
}

function reportsCycles(r: number): number {
  return r < 0.7 ? 1 : r < 0.92 ? 2 : 3
}
