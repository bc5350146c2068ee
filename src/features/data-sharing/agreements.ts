import type { SheetCell } from '../../lib/spreadsheets/layout.js'

/**
 * The data-sharing agreements and, for each, the fields its extract holds: the whole of what leaves the force, in one
 * reviewable file. A field is added here or it is not shared. Nothing that names or locates anyone is listed: no
 * names, collar numbers, addresses or areas, incident references, device or cartridge serials, footage references,
 * exact dates or free text. Records are identified by a pseudonym that is different for every recipient
 * (pseudonyms.ts), devices likewise. Codes are written as the national record stores them (docs/data-sharing.md).
 */

/** One CED use of a report in the period, with what the medical and device extracts need of its report. */
export interface CedUseSource {
  reportId: string
  useNumber: number
  month: string
  ageBand: string
  healthCondition: string
  deviceSerial: string
  deviceModel: string | null
  firmware: string | null
  levels: string[]
  highestLevel: string
  cartridgesFired: number
  cycleSeconds: number[]
  interruptedCycles: number
  repeatCycleSameCartridge: boolean
  probeMiss: string
  probeSites: string[]
  distanceMetres: number | null
  effective: boolean
  probesRemovedBy: string | null
  medicalCheck: boolean
  subjectInjured: string
  subjectInjuryLevel: string | null
  medicalOffered: boolean
  medicalProvided: boolean
  outcomes: string[]
  defectReportedWithin7Days: boolean
}

/** One tactic recorded on a report in the period, with the report's context. */
export interface TacticSource {
  reportId: string
  month: string
  tacticNumber: number
  tacticCount: number
  tactic: string
  effective: boolean
  subjectConduct: string
  mainDuty: string
  singleCrewed: boolean
  cedHighestLevel: string | null
  subjectInjured: string
  officerInjured: string
}

/** Turns a record's id or a device serial into the recipient's pseudonym for it. */
export type Pseudonym = (id: string) => string

export interface Field<S> {
  name: string
  description: string
  value(source: S, pseudonym: Pseudonym): SheetCell
}

interface AgreementBase {
  id: string
  recipient: string
  title: string
  purpose: string
  /** What one line of the file is, e.g. 'one CED use'. */
  rowIs: string
}

export type Agreement =
  | (AgreementBase & { source: 'ced-uses'; fields: Field<CedUseSource>[] })
  | (AgreementBase & { source: 'tactics'; fields: Field<TacticSource>[] })

const yesNo = (value: boolean) => (value ? 'yes' : 'no')
const list = (values: readonly (string | number)[]) => values.join(';')
const tenths = (n: number) => n.toFixed(1)

const reportPseudonym = <S extends { reportId: string }>(): Field<S> => ({
  name: 'report_pid',
  description: 'The report’s pseudonym for this recipient: the same in every extract they receive, no one else’s.',
  value: (s, pseudonym) => pseudonym(s.reportId),
})
const incidentMonth = <S extends { month: string }>(): Field<S> => ({
  name: 'incident_month',
  description: 'The month of the incident, YYYY-MM, London time (never the day or time).',
  value: (s) => s.month,
})
const subjectInjured = <S extends { subjectInjured: string }>(): Field<S> => ({
  name: 'subject_injured',
  description: 'yes, no, unknown or not_reported: injured as a result of the force used (the whole report).',
  value: (s) => s.subjectInjured,
})
const cedUseNumber: Field<CedUseSource> = {
  name: 'ced_use_number',
  description: 'Which CED use of the report this is: 1 to 4 (one per device used).',
  value: (s) => s.useNumber,
}
const deviceModel: Field<CedUseSource> = {
  name: 'device_model',
  description: 'x26, x2, taser_7 or taser_10; blank when the officer did not say.',
  value: (s) => s.deviceModel,
}
const levels: Field<CedUseSource> = {
  name: 'levels',
  description: 'Every level of use reached, separated by semicolons: drawn, aimed, red_dot, arced, drive_stun, …',
  value: (s) => list(s.levels),
}
const highestLevel: Field<CedUseSource> = {
  name: 'highest_level',
  description: 'The highest level of this use, by the Home Office order (angle_drive_stun highest).',
  value: (s) => s.highestLevel,
}
const cartridgesFired: Field<CedUseSource> = {
  name: 'cartridges_fired',
  description: 'Cartridges fired in this use.',
  value: (s) => s.cartridgesFired,
}
const cycleCount: Field<CedUseSource> = {
  name: 'cycle_count',
  description: 'Energy cycles applied (0 when the CED was not discharged).',
  value: (s) => s.cycleSeconds.length,
}
const probeMiss: Field<CedUseSource> = {
  name: 'probe_miss',
  description: 'none, one or both probes missed; not_fired when no cartridge was fired.',
  value: (s) => s.probeMiss,
}

export const agreements: readonly Agreement[] = [
  {
    id: 'sacmill',
    recipient: 'SACMILL',
    title: 'SACMILL: medical implications of CED use',
    purpose:
      'The Scientific Advisory Committee on the Medical Implications of Less-Lethal Weapons reviews injuries, ' +
      'probe strike sites, energy cycles and aftercare to advise on the medical safety of CEDs.',
    rowIs: 'one CED use',
    source: 'ced-uses',
    fields: [
      reportPseudonym(),
      cedUseNumber,
      incidentMonth(),
      {
        name: 'age_band',
        description: 'The person’s age band as the officer perceived it.',
        value: (s) => s.ageBand,
      },
      {
        name: 'health_condition',
        description: 'mental, physical, physical_and_mental, none or not_reported, as the officer perceived it.',
        value: (s) => s.healthCondition,
      },
      deviceModel,
      levels,
      highestLevel,
      cartridgesFired,
      cycleCount,
      {
        name: 'cycle_seconds',
        description: 'The length of each cycle in seconds, in order, separated by semicolons.',
        value: (s) => list(s.cycleSeconds.map(tenths)),
      },
      {
        name: 'total_cycle_seconds',
        description: 'The cycles’ lengths added up; blank when there were none.',
        value: (s) => (s.cycleSeconds.length ? tenths(s.cycleSeconds.reduce((a, b) => a + b, 0)) : null),
      },
      {
        name: 'extended_cycle',
        description: 'yes when any cycle lasted more than 5 seconds.',
        value: (s) => yesNo(s.cycleSeconds.some((c) => c > 5)),
      },
      probeMiss,
      {
        name: 'probe_sites',
        description: 'Probe strike sites on the body map (front_1 … front_15, back_a … back_k), semicolon-separated.',
        value: (s) => list(s.probeSites),
      },
      {
        name: 'probes_removed_by',
        description: 'officer, medical_staff or not_required; blank when no probes were fired.',
        value: (s) => s.probesRemovedBy,
      },
      {
        name: 'medical_check',
        description: 'yes when the person had a medical check after the CED use.',
        value: (s) => yesNo(s.medicalCheck),
      },
      subjectInjured(),
      {
        name: 'subject_injury_level',
        description: 'minor, severe, death or not_reported; blank when not injured.',
        value: (s) => s.subjectInjuryLevel,
      },
      {
        name: 'medical_offered',
        description: 'yes when medical assistance was offered to the person.',
        value: (s) => yesNo(s.medicalOffered),
      },
      {
        name: 'medical_provided',
        description: 'yes when medical assistance was provided to the person.',
        value: (s) => yesNo(s.medicalProvided),
      },
      {
        name: 'hospitalised',
        description: 'yes when the report’s outcomes include hospitalised.',
        value: (s) => yesNo(s.outcomes.includes('hospitalised')),
      },
    ],
  },
  {
    id: 'cast',
    recipient: 'CAST',
    title: 'CAST: CED device performance',
    purpose:
      'The Home Office Centre for Applied Science and Technology tests and approves CEDs; it studies probe misses, ' +
      'malfunctions and performance by model and firmware.',
    rowIs: 'one CED use',
    source: 'ced-uses',
    fields: [
      reportPseudonym(),
      cedUseNumber,
      incidentMonth(),
      {
        name: 'device_pid',
        description: 'The device’s pseudonym for this recipient (never its serial), so repeat faults can be seen.',
        value: (s, pseudonym) => pseudonym(`device:${s.deviceSerial}`),
      },
      deviceModel,
      {
        name: 'firmware',
        description: 'The device’s firmware version in the force’s device register; blank when not registered.',
        value: (s) => s.firmware,
      },
      levels,
      highestLevel,
      cartridgesFired,
      cycleCount,
      {
        name: 'interrupted_cycles',
        description: 'Cycles that were interrupted (stopped before the officer intended).',
        value: (s) => s.interruptedCycles,
      },
      {
        name: 'repeat_cycle_same_cartridge',
        description: 'yes when a cartridge was cycled more than once.',
        value: (s) => yesNo(s.repeatCycleSameCartridge),
      },
      probeMiss,
      {
        name: 'distance_metres',
        description: 'Distance from the person in metres, to one decimal place; blank when not recorded.',
        value: (s) => (s.distanceMetres === null ? null : tenths(s.distanceMetres)),
      },
      {
        name: 'effective',
        description: 'yes when the officer recorded the CED use as effective.',
        value: (s) => yesNo(s.effective),
      },
      {
        name: 'defect_within_7_days',
        description: 'yes when a defect was reported against the device in the register within 7 days after the use.',
        value: (s) => yesNo(s.defectReportedWithin7Days),
      },
    ],
  },
  {
    id: 'college-of-policing',
    recipient: 'College of Policing',
    title: 'College of Policing: tactics and their effectiveness',
    purpose:
      'The College of Policing reviews which tactics officers use, in what order and how often they work, to shape ' +
      'personal safety training.',
    rowIs: 'one tactic recorded on a report',
    source: 'tactics',
    fields: [
      reportPseudonym(),
      incidentMonth(),
      {
        name: 'tactic_number',
        description: 'The tactic’s place in the order the officer recorded them: 1 is first.',
        value: (s) => s.tacticNumber,
      },
      {
        name: 'tactics_on_report',
        description: 'How many tactics the report records.',
        value: (s) => s.tacticCount,
      },
      {
        name: 'tactic',
        description: 'The tactic, as the national record codes it (compliant_handcuffing, ced, …).',
        value: (s) => s.tactic,
      },
      {
        name: 'effective',
        description: 'yes when the officer recorded the tactic as effective.',
        value: (s) => yesNo(s.effective),
      },
      {
        name: 'ced_highest_level',
        description: 'The report’s highest CED level; blank when no CED was used.',
        value: (s) => s.cedHighestLevel,
      },
      {
        name: 'subject_conduct',
        description: 'How the person behaved: compliant, passive_resistance, … serious_aggravated_resistance.',
        value: (s) => s.subjectConduct,
      },
      {
        name: 'officer_main_duty',
        description: 'The officer’s main duty: response, neighbourhood, custody, …',
        value: (s) => s.mainDuty,
      },
      {
        name: 'single_crewed',
        description: 'yes when the officer was single crewed.',
        value: (s) => yesNo(s.singleCrewed),
      },
      {
        name: 'officer_injured',
        description: 'yes, no or not_reported.',
        value: (s) => s.officerInjured,
      },
      subjectInjured(),
    ],
  },
]

export function agreementById(id: string): Agreement | undefined {
  return agreements.find((a) => a.id === id)
}
