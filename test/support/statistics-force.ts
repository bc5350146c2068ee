import { randomUUID } from 'node:crypto'
import type { Db } from '../../src/db/database.js'
import { bodyOf } from '../../src/features/reports/reports.service.js'
import {
  incidentColumns,
  subjectColumns,
  toReportRows,
  type ReportRows,
} from '../../src/features/reports/report-record.js'
import { insertReportRows } from '../../src/features/reports/reports.repository.js'
import { reportSubmission, type IncidentDetails, type SubjectDetails } from '../../src/domain/use-of-force/report.js'
import { validSubmission, type SubmissionInput } from './report-fixtures.js'

/**
 * A small force of its own for counting tests, beside the demo force: two basic command units (North with a team,
 * South), a department, and one account to report with. Reports go in through the application's own row mapping
 * (`toReportRows`) and insert, so masks and the highest CED level are derived exactly as a submission derives them.
 */
export interface StatisticsForce {
  forceId: string
  userId: string
  units: { force: string; north: string; northTeam: string; south: string; department: string }
}

export async function statisticsForce(db: Db, code: string): Promise<StatisticsForce> {
  const force = await db
    .insertInto('forces')
    .values({ code, name: `${code} Constabulary` })
    .returning('id')
    .executeTakeFirstOrThrow()
  const unit = async (kind: 'force' | 'bcu' | 'team' | 'department', name: string, parent: string | null) =>
    (
      await db
        .insertInto('org_units')
        .values({ force_id: force.id, parent_id: parent, kind, code: `${code}-${name}`, name })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
  const top = await unit('force', `${code} Constabulary`, null)
  const north = await unit('bcu', 'North BCU', top)
  const northTeam = await unit('team', 'North response team', north)
  const south = await unit('bcu', 'South BCU', top)
  const department = await unit('department', 'Roads policing', top)
  const user = await db
    .insertInto('users')
    .values({ force_id: force.id, username: `${code}-reporter`, display_name: 'Reporter' })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { forceId: force.id, userId: user.id, units: { force: top, north, northTeam, south, department } }
}

export interface IncidentRef {
  incidentId: string
  occurredAt: string
}

/** A new incident at `occurredAt` with the given locations. */
export async function addIncident(
  db: Db,
  force: StatisticsForce,
  occurredAt: string,
  locationTypes: IncidentDetails['locationTypes'] = ['street_highway'],
): Promise<IncidentRef> {
  const details: IncidentDetails = { occurredAt, locationTypes, area: 'High Street', planned: false }
  const row = await db
    .insertInto('incidents')
    .values({
      force_id: force.forceId,
      reference: `INC-${randomUUID().slice(0, 8)}`,
      created_by: force.userId,
      ...incidentColumns(details),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { incidentId: row.id, occurredAt }
}

/** A person at an incident. */
export async function addSubject(
  db: Db,
  force: StatisticsForce,
  incident: IncidentRef,
  subject: Partial<SubjectDetails> = {},
): Promise<string> {
  const details: SubjectDetails = {
    ageBand: 'age_18_34',
    gender: 'male',
    perceivedEthnicity: 'white',
    selfDefinedEthnicity: null,
    healthCondition: 'none',
    ...subject,
  }
  const row = await db
    .insertInto('subjects')
    .values({
      force_id: force.forceId,
      incident_id: incident.incidentId,
      label: 'Person 1',
      ...subjectColumns(details),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** One officer's report on a person: `answers` replaces whole answers of the valid submission. */
export async function addReport(
  db: Db,
  force: StatisticsForce,
  at: { incident: IncidentRef; subjectId: string; unitId: string | null },
  answers: Partial<SubmissionInput> = {},
): Promise<ReportRows> {
  const body = bodyOf(reportSubmission.parse(validSubmission(answers)))
  const rows = toReportRows(
    body,
    {
      id: randomUUID(),
      forceId: force.forceId,
      incidentId: at.incident.incidentId,
      subjectId: at.subjectId,
      officerPersonId: null,
      officerUnitId: at.unitId,
      reporterUserId: force.userId,
      occurredAt: at.incident.occurredAt,
      submittedAt: new Date(at.incident.occurredAt),
      version: 1,
    },
    randomUUID,
  )
  await insertReportRows(db, [rows])
  return rows
}
