import { existsSync } from 'node:fs'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabase } from '../../test/support/database.js'
import type { DatabaseHandle } from '../../src/db/database.js'
import { reportFlagSql } from '../../src/db/report-flags.js'
import { incidentDetails, reportBody, subjectDetails } from '../../src/domain/use-of-force/report.js'
import { reportFlags, reportRules, incidentRules } from '../../src/domain/use-of-force/rules.js'
import { tactics } from '../../src/domain/use-of-force/tactics.js'
import { insertReportRows, loadReport } from '../../src/features/reports/reports.repository.js'
import { sharedDataDir } from './forces.js'
import { defaultEnd, writeOrganisation, type GenerateOptions } from './generate.js'
import { syntheticIncidents, type IncidentRecord, type LoadedForce } from './synthetic.js'

/**
 * The national benchmark's records must be records the application itself would accept and count the same way:
 * each passes the schema and the cross-field rules, reads back through the reports repository unchanged, and the
 * SQL flags the statistics use agree with the domain's reportFlags.
 */
const haveData = existsSync(sharedDataDir)
if (!haveData) console.warn(`reference data not found at ${sharedDataDir} – skipping the national generator tests`)

const options: GenerateOptions = { reports: 200, seed: 7, end: defaultEnd, officerShare: 0.002, batch: 100 }

describe.skipIf(!haveData)('national benchmark records', () => {
  let handle: DatabaseHandle
  let forces: LoadedForce[]
  let records: IncidentRecord[]

  beforeAll(async () => {
    handle = await testDatabase()
    forces = await writeOrganisation(handle.db, options)
    records = [...syntheticIncidents(forces, options)]
    for (const { incident, subjects, reports } of records) {
      await handle.db.insertInto('incidents').values(incident).execute()
      await handle.db.insertInto('subjects').values(subjects).execute()
      await insertReportRows(
        handle.db,
        reports.map((r) => r.rows),
      )
    }
  })

  afterAll(async () => {
    await handle.close()
  })

  it('makes exactly the reports asked for, each valid by the schema and the rules', () => {
    const reports = records.flatMap((r) => r.reports)
    expect(reports).toHaveLength(200)
    for (const record of records) {
      const { incident } = record
      const details = incidentDetails.parse({
        occurredAt: incident.occurred_at,
        locationTypes: incident.location_types,
        area: incident.area,
        planned: incident.planned,
      })
      expect(incidentRules(details, defaultEnd)).toEqual([])
      for (const subject of record.subjects) {
        expect(() =>
          subjectDetails.parse({
            ageBand: subject.age_band,
            gender: subject.gender,
            perceivedEthnicity: subject.perceived_ethnicity,
            selfDefinedEthnicity: subject.self_defined_ethnicity,
            healthCondition: subject.health_condition,
          }),
        ).not.toThrow()
      }
    }
    for (const { body } of reports) {
      // Parsing puts multi-select answers in code-list order: equal means the generator already wrote them so.
      expect(reportBody.parse(body)).toEqual(body)
      expect(reportRules(body)).toEqual([])
    }
  })

  it('reads every report back unchanged through the reports repository, masks matching the answers', async () => {
    for (const record of records) {
      for (const { rows, body } of record.reports) {
        const stored = await loadReport(handle.db, record.incident.force_id, rows.report.id)
        expect(stored?.body).toEqual(body)
        expect(tactics.fromMask(rows.report.tactic_mask)).toEqual(
          tactics.values.filter((t) => body.tactics.some((u) => u.tactic === t)),
        )
      }
    }
  })

  it('gives the same flags in SQL as reportFlags', async () => {
    const ids = records.flatMap((r) => r.reports.map((x) => x.rows.report.id))
    const { rows } = await sql<{
      id: string
      ced_discharge: boolean
      child: boolean
      prolonged: boolean
      injured: boolean
    }>`
      select r.id, coalesce(${reportFlagSql.cedDischarge('r')}, false) as ced_discharge, ${reportFlagSql.child('s')} as child,
        ${reportFlagSql.prolongedDischarge('r')} as prolonged, ${reportFlagSql.subjectInjured('r')} as injured
      from reports r join subjects s on s.id = r.subject_id
      where r.id = any(${ids}::uuid[])`.execute(handle.db)
    expect(rows).toHaveLength(200)
    const byId = new Map(records.flatMap((r) => r.reports.map((x) => [x.rows.report.id, x])))
    for (const row of rows) {
      const report = byId.get(row.id)
      if (!report) throw new Error(`unknown report ${row.id}`)
      const flags = reportFlags(report.body, report.ageBand)
      expect({ ced: row.ced_discharge, child: row.child, prolonged: row.prolonged, injured: row.injured }).toEqual({
        ced: flags.cedDischarge,
        child: flags.child,
        prolonged: flags.prolongedDischarge,
        injured: flags.subjectInjured,
      })
    }
  })

  it('is shaped like the national tables and the same from the same seed', () => {
    const many = { ...options, reports: 20_000 }
    const reports = [...syntheticIncidents(forces, many)].flatMap((r) => r.reports.map((x) => x.rows.report))
    const ced = reports.filter((r) => r.ced_highest_level !== null)
    const discharged = ced.filter((r) =>
      ['drive_stun', 'fired', 'angle_drive_stun'].includes(r.ced_highest_level ?? ''),
    )
    expect(ced.length / reports.length).toBeGreaterThan(0.055)
    expect(ced.length / reports.length).toBeLessThan(0.075)
    expect(discharged.length / ced.length).toBeGreaterThan(0.08)
    expect(discharged.length / ced.length).toBeLessThan(0.13)
    const again = [...syntheticIncidents(forces, options)]
    expect(again.map((r) => r.reports.map((x) => x.rows.report.id))).toEqual(
      records.map((r) => r.reports.map((x) => x.rows.report.id)),
    )
  })
})
