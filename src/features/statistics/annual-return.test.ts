import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../db/database.js'
import { systemClock } from '../../clock.js'
import { testDatabase } from '../../../test/support/database.js'
import { uninjuredOfficer, uninjuredSubject, validCedUse } from '../../../test/support/report-fixtures.js'
import {
  addIncident,
  addReport,
  addSubject,
  statisticsForce,
  type StatisticsForce,
} from '../../../test/support/statistics-force.js'
import { exportAnnualReturn, validateAnnualReturn } from './annual-return.js'

/**
 * Financial year 2024 to 2025 of a small force: one clean report and one report for each problem the validation
 * report looks for, so each check is shown to find exactly its report and the clean one is never listed.
 */
let database: DatabaseHandle
let force: StatisticsForce
const ids: Record<string, string> = {}

beforeAll(async () => {
  database = await testDatabase()
  const { db } = database
  force = await statisticsForce(db, 'ADR')
  const at = async (when: string, unitId: string | null = force.units.north) => {
    const incident = await addIncident(db, force, when)
    return { incident, subjectId: await addSubject(db, force, incident), unitId }
  }
  const clean = { officerInjury: uninjuredOfficer(), subjectInjury: uninjuredSubject() }
  ids.clean = (await addReport(db, force, await at('2024-06-01T10:00:00Z'), clean)).report.id
  ids.cedNoLevel = (
    await addReport(db, force, await at('2024-07-01T10:00:00Z'), {
      ...clean,
      tactics: [{ tactic: 'ced', effective: true }],
      cedUses: [],
    })
  ).report.id
  ids.levelNotInjured = (
    await addReport(db, force, await at('2024-08-01T10:00:00Z'), {
      ...clean,
      subjectInjury: { injured: 'no', level: 'minor', nature: null, medicalOffered: false, medicalProvided: false },
    })
  ).report.id
  ids.tacticalOnly = (
    await addReport(db, force, await at('2024-09-01T10:00:00Z'), {
      ...clean,
      tactics: [{ tactic: 'tactical_communication', effective: true }],
    })
  ).report.id
  ids.noUnit = (await addReport(db, force, await at('2024-10-01T10:00:00Z', null), clean)).report.id
  ids.cedOnChild = (
    await addReport(
      db,
      force,
      await (async () => {
        const incident = await addIncident(db, force, '2024-11-01T10:00:00Z')
        const subjectId = await addSubject(db, force, incident, { ageBand: 'under_11' })
        return { incident, subjectId, unitId: force.units.south }
      })(),
      { ...clean, tactics: [{ tactic: 'ced', effective: true }], cedUses: [validCedUse('drawn')] },
    )
  ).report.id
  // The next year: in no check of this one.
  await addReport(db, force, await at('2025-04-10T10:00:00Z'), {
    ...clean,
    tactics: [{ tactic: 'tactical_communication', effective: true }],
  })
}, 60_000)

afterAll(() => database.close())

describe('the annual data return', () => {
  it('lists each problem record once, under its check, and never the clean one', async () => {
    const report = await validateAnnualReturn(database.db, force.forceId, 2024)
    expect(report.reports).toBe(6)
    expect(report.withIssues).toBe(5)
    const found = Object.fromEntries(report.issues.map((i) => [i.code, i.reports.map((r) => r.id)]))
    expect(found).toEqual({
      'tactical-communication-only': [ids.tacticalOnly],
      'ced-without-detail': [ids.cedNoLevel],
      'subject-level-not-injured': [ids.levelNotInjured],
      'unknown-unit': [ids.noUnit],
      'ced-under-11': [ids.cedOnChild],
    })
  })

  it('exports one line per report in the Home Office categories, and records the export in the audit ledger', async () => {
    const actor = { userId: force.userId, label: 'ADR-reporter' }
    const rows = await exportAnnualReturn({ db: database.db, clock: systemClock }, actor, force.forceId, 2024)
    expect(rows).toHaveLength(6)
    const child = rows.find((r) => r['Report ID'] === ids.cedOnChild)
    expect(child).toMatchObject({
      Force: 'ADR Constabulary',
      'Basic command unit': 'South BCU',
      'Financial year': '2024-25',
      Month: '2024-11',
      'Subject perceived age': 'Under 11 years',
      'Tactic: CED (Taser)': 'Yes',
      'Tactic: Compliant handcuffing': 'No',
      'CED highest level of use': 'Drawn',
    })
    expect(rows.find((r) => r['Report ID'] === ids.cedNoLevel)?.['CED highest level of use']).toBe('Not stated')
    const audit = await database.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id', 'details'])
      .where('force_id', '=', force.forceId)
      .where('action', '=', 'statistics.annual_return_exported')
      .execute()
    expect(audit).toEqual([
      {
        action: 'statistics.annual_return_exported',
        entity_id: '2024',
        details: { financialYear: '2024 to 2025', reports: 6 },
      },
    ])
  })
})
