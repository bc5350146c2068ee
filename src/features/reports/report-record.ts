import type { Insertable, Selectable } from 'kysely'
import type {
  IncidentsTable,
  ReportCedCyclesTable,
  ReportCedUsesTable,
  ReportsTable,
  ReportTacticsTable,
  SubjectsTable,
} from '../../db/schema.js'
import { highestCedLevel } from '../../domain/use-of-force/ced.js'
import { impactFactors, locationTypes, outcomes, reasons } from '../../domain/use-of-force/context.js'
import type { CedUse, IncidentDetails, ReportBody, SubjectDetails } from '../../domain/use-of-force/report.js'
import { tactics } from '../../domain/use-of-force/tactics.js'

/**
 * How a report's answers map onto rows, in both directions, in one place: what goes in comes back out unchanged
 * (a property test holds us to it). The masks are derived here and nowhere else.
 */

export interface ReportRowContext {
  id: string
  forceId: string
  incidentId: string
  subjectId: string
  officerPersonId: string | null
  officerUnitId: string | null
  reporterUserId: string
  occurredAt: string
  submittedAt: Date
  version: number
}

/** A report's rows, as the database takes them in JSON (reports.repository.ts inserts them with jsonb_populate_recordset). */
export interface ReportRows {
  report: Insertable<ReportsTable> & { id: string }
  tactics: Insertable<ReportTacticsTable>[]
  cedUses: (Omit<Insertable<ReportCedUsesTable>, 'cartridges'> & { id: string; cartridges: CedUse['cartridges'] })[]
  cedCycles: Insertable<ReportCedCyclesTable>[]
}

/** Rounds to one decimal place, as numeric(…, 1) stores it, so sums of tenths do not drift (0.1 + 0.2). */
const tenths = (n: number) => Math.round(n * 10) / 10

export function incidentColumns(incident: IncidentDetails) {
  return {
    occurred_at: incident.occurredAt,
    location_types: incident.locationTypes,
    location_mask: locationTypes.toMask(incident.locationTypes),
    area: incident.area,
    planned: incident.planned,
  }
}

export function subjectColumns(subject: SubjectDetails) {
  return {
    age_band: subject.ageBand,
    gender: subject.gender,
    perceived_ethnicity: subject.perceivedEthnicity,
    self_defined_ethnicity: subject.selfDefinedEthnicity,
    health_condition: subject.healthCondition,
  }
}

/** An incident's answers read back from its row: the inverse of incidentColumns. */
export function incidentFromRow(row: Selectable<IncidentsTable>): IncidentDetails {
  return {
    occurredAt: new Date(row.occurred_at).toISOString(),
    locationTypes: row.location_types as IncidentDetails['locationTypes'],
    area: row.area,
    planned: row.planned,
  }
}

/** A person's recorded characteristics read back from their row: the inverse of subjectColumns. */
export function subjectFromRow(row: Selectable<SubjectsTable>): SubjectDetails {
  return {
    ageBand: row.age_band as SubjectDetails['ageBand'],
    gender: row.gender as SubjectDetails['gender'],
    perceivedEthnicity: row.perceived_ethnicity as SubjectDetails['perceivedEthnicity'],
    selfDefinedEthnicity: row.self_defined_ethnicity as SubjectDetails['selfDefinedEthnicity'],
    healthCondition: row.health_condition as SubjectDetails['healthCondition'],
  }
}

export function toReportRows(body: ReportBody, ctx: ReportRowContext, newId: () => string): ReportRows {
  const report = {
    id: ctx.id,
    force_id: ctx.forceId,
    incident_id: ctx.incidentId,
    subject_id: ctx.subjectId,
    officer_person_id: ctx.officerPersonId,
    officer_unit_id: ctx.officerUnitId,
    reporter_user_id: ctx.reporterUserId,
    version: ctx.version,
    occurred_at: ctx.occurredAt,
    submitted_at: ctx.submittedAt,
    tactic_mask: tactics.toMask(body.tactics.map((t) => t.tactic)),
    reasons: body.reasons,
    reason_mask: reasons.toMask(body.reasons),
    impact_factors: body.impactFactors,
    impact_mask: impactFactors.toMask(body.impactFactors),
    outcomes: body.outcomes,
    outcome_mask: outcomes.toMask(body.outcomes),
    ced_highest_level: highestCedLevel(body.cedUses.flatMap((u) => u.levels)),
    main_duty: body.officer.mainDuty,
    single_crewed: body.officer.singleCrewed,
    ced_trained: body.officer.cedTrained,
    ced_carried: body.officer.cedCarried,
    assaulted_by_subject: body.officer.assaultedBySubject,
    threatened_with_weapon: body.officer.threatenedWithWeapon,
    assaulted_with_weapon: body.officer.assaultedWithWeapon,
    subject_conduct: body.subjectConduct,
    officer_injured: body.officerInjury.injured,
    intentional_assault: body.officerInjury.intentionalAssault ?? 'not_applicable',
    officer_injury_level: body.officerInjury.level,
    officer_medical_provided: body.officerInjury.medicalProvided,
    subject_injured: body.subjectInjury.injured,
    subject_injury_level: body.subjectInjury.level,
    subject_injury_nature: body.subjectInjury.nature,
    subject_medical_offered: body.subjectInjury.medicalOffered,
    subject_medical_provided: body.subjectInjury.medicalProvided,
    bwv_activated: body.bodyWornVideo.activated,
    bwv_reference: body.bodyWornVideo.reference,
    justification: body.justification,
    de_escalation: body.deEscalation,
  }
  const tacticRows = body.tactics.map((t, seq) => ({
    report_id: ctx.id,
    seq,
    tactic: t.tactic,
    effective: t.effective,
  }))
  const cedUses: ReportRows['cedUses'] = []
  const cedCycles: ReportRows['cedCycles'] = []
  body.cedUses.forEach((use, seq) => {
    const id = newId()
    const secondsList = use.cycles.map((c) => c.seconds)
    cedUses.push({
      id,
      report_id: ctx.id,
      seq,
      device_serial: use.deviceSerial,
      device_model: use.deviceModel,
      levels: use.levels,
      highest_level: highestCedLevel(use.levels) ?? use.levels[0] ?? 'drawn',
      drive_stun_repeat: use.driveStunRepeat,
      cartridges: use.cartridges,
      cycle_count: use.cycles.length,
      longest_cycle_seconds: secondsList.length ? Math.max(...secondsList) : null,
      total_cycle_seconds: secondsList.length ? tenths(secondsList.reduce((a, b) => a + b, 0)) : null,
      repeat_cycle_same_cartridge: use.repeatCycleSameCartridge,
      probe_miss: use.probeMiss,
      probe_sites: use.probeSites,
      warning_given: use.warningGiven,
      distance_metres: use.distanceMetres,
      effective: use.effective,
      probes_removed_by: use.probesRemovedBy,
      medical_check: use.medicalCheck,
      footage_reference: use.footageReference,
    })
    use.cycles.forEach((cycle, c) =>
      cedCycles.push({
        ced_use_id: id,
        seq: c,
        seconds: cycle.seconds,
        extended: cycle.extended,
        interrupted: cycle.interrupted,
      }),
    )
  })
  return { report, tactics: tacticRows, cedUses, cedCycles }
}

type ReportRow = Selectable<ReportsTable>
type TacticRow = Selectable<ReportTacticsTable>
type CedUseRow = Selectable<ReportCedUsesTable>
type CedCycleRow = Selectable<ReportCedCyclesTable>

function cedUseFromRows(use: CedUseRow, cycles: CedCycleRow[]): CedUse {
  return {
    deviceSerial: use.device_serial,
    deviceModel: use.device_model as CedUse['deviceModel'],
    levels: use.levels as CedUse['levels'],
    driveStunRepeat: use.drive_stun_repeat,
    cartridges: use.cartridges as unknown as CedUse['cartridges'],
    cycles: cycles
      .filter((c) => c.ced_use_id === use.id)
      .sort((a, b) => a.seq - b.seq)
      .map((c) => ({ seconds: Number(c.seconds), extended: c.extended, interrupted: c.interrupted })),
    repeatCycleSameCartridge: use.repeat_cycle_same_cartridge,
    probeMiss: use.probe_miss as CedUse['probeMiss'],
    probeSites: use.probe_sites as CedUse['probeSites'],
    warningGiven: use.warning_given,
    distanceMetres: use.distance_metres === null ? null : Number(use.distance_metres),
    effective: use.effective,
    probesRemovedBy: use.probes_removed_by as CedUse['probesRemovedBy'],
    medicalCheck: use.medical_check,
    footageReference: use.footage_reference,
  }
}

/** The report's answers read back from its rows: the inverse of toReportRows. */
export function fromReportRows(
  row: ReportRow,
  tacticRows: TacticRow[],
  cedUseRows: CedUseRow[],
  cycleRows: CedCycleRow[],
): ReportBody {
  return {
    tactics: [...tacticRows]
      .sort((a, b) => a.seq - b.seq)
      .map((t) => ({ tactic: t.tactic as ReportBody['tactics'][number]['tactic'], effective: t.effective })),
    reasons: row.reasons as ReportBody['reasons'],
    impactFactors: row.impact_factors as ReportBody['impactFactors'],
    outcomes: row.outcomes as ReportBody['outcomes'],
    officer: {
      mainDuty: row.main_duty as ReportBody['officer']['mainDuty'],
      singleCrewed: row.single_crewed,
      cedTrained: row.ced_trained,
      cedCarried: row.ced_carried,
      assaultedBySubject: row.assaulted_by_subject,
      threatenedWithWeapon: row.threatened_with_weapon,
      assaultedWithWeapon: row.assaulted_with_weapon,
    },
    subjectConduct: row.subject_conduct as ReportBody['subjectConduct'],
    officerInjury: {
      injured: row.officer_injured as ReportBody['officerInjury']['injured'],
      intentionalAssault:
        row.intentional_assault === 'not_applicable'
          ? null
          : (row.intentional_assault as ReportBody['officerInjury']['intentionalAssault']),
      level: row.officer_injury_level as ReportBody['officerInjury']['level'],
      medicalProvided: row.officer_medical_provided,
    },
    subjectInjury: {
      injured: row.subject_injured as ReportBody['subjectInjury']['injured'],
      level: row.subject_injury_level as ReportBody['subjectInjury']['level'],
      nature: row.subject_injury_nature,
      medicalOffered: row.subject_medical_offered,
      medicalProvided: row.subject_medical_provided,
    },
    bodyWornVideo: { activated: row.bwv_activated, reference: row.bwv_reference },
    justification: row.justification,
    deEscalation: row.de_escalation,
    cedUses: [...cedUseRows].sort((a, b) => a.seq - b.seq).map((use) => cedUseFromRows(use, cycleRows)),
  }
}
