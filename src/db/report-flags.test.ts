import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabase } from '../../test/support/database.js'
import { reportBody } from '../domain/use-of-force/report.js'
import { reportFlags } from '../domain/use-of-force/rules.js'
import type { DatabaseHandle } from './database.js'
import { reportFlagSql } from './report-flags.js'

let handle: DatabaseHandle

beforeAll(async () => {
  handle = await testDatabase()
})

afterAll(async () => {
  await handle.close()
})

describe('report flags in SQL', () => {
  it('agree with reportFlags on every demo report, read back from its latest version', async () => {
    const { rows } = await sql<{
      payload: Record<string, unknown>
      age_band: string
      ced_discharge: boolean | null
      child: boolean
      subject_injured: boolean
      prolonged: boolean
      drive_stun: boolean
      mandatory_referral: boolean
    }>`
      select v.payload, s.age_band,
        ${reportFlagSql.cedDischarge('r')} as ced_discharge, ${reportFlagSql.child('s')} as child,
        ${reportFlagSql.subjectInjured('r')} as subject_injured, ${reportFlagSql.prolongedDischarge('r')} as prolonged,
        ${reportFlagSql.driveStun('r')} as drive_stun, ${reportFlagSql.mandatoryReferral('r')} as mandatory_referral
      from reports r
      join subjects s on s.id = r.subject_id
      join report_versions v on v.report_id = r.id and v.version = r.version`.execute(handle.db)
    expect(rows.length).toBeGreaterThan(2500)
    const tally = { cedDischarge: 0, child: 0, subjectInjured: 0, prolonged: 0, driveStun: 0, mandatoryReferral: 0 }
    for (const row of rows) {
      const body = reportBody.parse(
        Object.fromEntries(Object.entries(row.payload).filter(([k]) => k !== 'incident' && k !== 'subject')),
      )
      const flags = reportFlags(body, row.age_band)
      const driveStun = body.cedUses.some(
        (u) => u.levels.includes('drive_stun') || u.levels.includes('angle_drive_stun'),
      )
      // As a filter reads them: SQL's null (e.g. a report with no CED level) does not match.
      expect({
        cedDischarge: row.ced_discharge === true,
        child: row.child === true,
        subjectInjured: row.subject_injured === true,
        prolonged: row.prolonged === true,
        driveStun: row.drive_stun === true,
        mandatoryReferral: row.mandatory_referral === true,
      }).toEqual({
        cedDischarge: flags.cedDischarge,
        child: flags.child,
        subjectInjured: flags.subjectInjured,
        prolonged: flags.prolongedDischarge,
        driveStun,
        mandatoryReferral: flags.mandatoryReferral,
      })
      tally.cedDischarge += Number(flags.cedDischarge)
      tally.child += Number(flags.child)
      tally.subjectInjured += Number(flags.subjectInjured)
      tally.prolonged += Number(flags.prolongedDischarge)
      tally.driveStun += Number(driveStun)
      tally.mandatoryReferral += Number(flags.mandatoryReferral)
    }
    // Each flag is true somewhere, so the comparison tested both answers.
    for (const n of Object.values(tally)) expect(n).toBeGreaterThan(0)
  })
})
