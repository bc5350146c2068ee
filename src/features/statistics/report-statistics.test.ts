import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db, DatabaseHandle } from '../../db/database.js'
import { reportSubmission } from '../../domain/use-of-force/report.js'
import { locationTypes } from '../../domain/use-of-force/context.js'
import { testDatabase } from '../../../test/support/database.js'
import { validCedUse, validSubmission } from '../../../test/support/report-fixtures.js'
import { addIncident, addReport, addSubject, statisticsForce } from '../../../test/support/statistics-force.js'
import { replaceReportRows } from '../reports/reports.repository.js'
import { toReportRows } from '../reports/report-record.js'
import { bodyOf } from '../reports/reports.service.js'

/**
 * report_statistics is the engine's copy of each report. It must equal, row for row, what the reports, their people
 * and their incidents say now: after new reports, amendments, changed people and incidents, and deletions.
 */

let database: DatabaseHandle
beforeAll(async () => {
  database = await testDatabase()
})
afterAll(() => database.close())

/** Rows in one and not the other, both ways: zero when the copy is exact. */
async function differences(db: Db): Promise<number> {
  const direct = sql`
    select r.id, r.force_id, r.officer_unit_id, r.incident_id, r.subject_id, r.occurred_at, r.tactic_mask,
      r.ced_highest_level, s.age_band, s.gender, s.perceived_ethnicity, s.health_condition, r.reason_mask,
      r.impact_mask, r.outcome_mask, i.location_mask, r.officer_injured, r.intentional_assault,
      r.officer_injury_level, r.subject_injured, r.subject_injury_level
    from reports r join subjects s on s.id = r.subject_id join incidents i on i.id = r.incident_id`
  const copy = sql`select * from report_statistics`
  const { rows } = await sql<{ n: string }>`
    select count(*) as n from ((${direct} except all ${copy}) union all (${copy} except all ${direct})) d`.execute(db)
  return Number(rows[0]?.n)
}

describe('report_statistics', () => {
  it('holds every demo report exactly', async () => {
    expect(await differences(database.db)).toBe(0)
    const { rows } = await sql<{ n: string }>`select count(*) as n from report_statistics`.execute(database.db)
    expect(Number(rows[0]?.n)).toBeGreaterThan(1000)
  })

  it('stays exact through new reports, amendments, changed people and incidents, and deletions', async () => {
    const { db } = database
    const force = await statisticsForce(db, 'COPY')
    const incident = await addIncident(db, force, '2024-06-01T12:00:00.000Z')
    const person = await addSubject(db, force, incident)
    const first = await addReport(db, force, { incident, subjectId: person, unitId: force.units.north })
    const second = await addReport(db, force, { incident, subjectId: person, unitId: force.units.south })
    expect(await differences(db)).toBe(0)

    // An amendment: new tactics and a CED use, a different unit.
    const amended = bodyOf(
      reportSubmission.parse(
        validSubmission({
          tactics: [{ tactic: 'ced', effective: true }],
          cedUses: [validCedUse('fired')],
          reasons: ['prevent_escape'],
        }),
      ),
    )
    const rows = toReportRows(
      amended,
      {
        id: first.report.id,
        forceId: force.forceId,
        incidentId: incident.incidentId,
        subjectId: person,
        officerPersonId: null,
        officerUnitId: force.units.department,
        reporterUserId: force.userId,
        occurredAt: incident.occurredAt,
        submittedAt: new Date(),
        version: 2,
      },
      randomUUID,
    )
    await db.transaction().execute((trx) => replaceReportRows(trx, rows, new Date()))
    const copied = await db
      .selectFrom('report_statistics')
      .select(['ced_level', 'unit_id'])
      .where('report_id', '=', first.report.id)
      .executeTakeFirstOrThrow()
    expect(copied).toEqual({ ced_level: 'fired', unit_id: force.units.department })
    expect(await differences(db)).toBe(0)

    // The person and the incident change: both reports follow.
    await db
      .updateTable('subjects')
      .set({ age_band: 'age_11_17', perceived_ethnicity: 'black' })
      .where('id', '=', person)
      .execute()
    await db
      .updateTable('incidents')
      .set({ location_types: ['dwelling'], location_mask: locationTypes.toMask(['dwelling']) })
      .where('id', '=', incident.incidentId)
      .execute()
    const followed = await db
      .selectFrom('report_statistics')
      .select(['age_band', 'ethnicity', 'location_mask'])
      .where('incident_id', '=', incident.incidentId)
      .execute()
    expect(followed).toHaveLength(2)
    for (const row of followed)
      expect(row).toEqual({
        age_band: 'age_11_17',
        ethnicity: 'black',
        location_mask: locationTypes.toMask(['dwelling']),
      })
    expect(await differences(db)).toBe(0)

    // A deleted report leaves the copy.
    await db.deleteFrom('report_tactics').where('report_id', '=', second.report.id).execute()
    await db.deleteFrom('reports').where('id', '=', second.report.id).execute()
    expect(await differences(db)).toBe(0)
  })
})
