import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../db/database.js'
import type { StatTable } from '../../domain/statistics/stat-table.js'
import { highestCedLevel, isDischarge, type CedLevel } from '../../domain/use-of-force/ced.js'
import { tactics } from '../../domain/use-of-force/tactics.js'
import { testDatabase } from '../../../test/support/database.js'
import { FIXTURE_NOW, type SubmissionInput } from '../../../test/support/report-fixtures.js'
import { validSubmissionArb } from '../../../test/support/report-arbitraries.js'
import {
  addIncident,
  addReport,
  addSubject,
  statisticsForce,
  type IncidentRef,
} from '../../../test/support/statistics-force.js'
import { countReports, type EngineQuery } from './engine.js'
import { buildTables, tableSet } from './tables.js'

/**
 * The identities of the Home Office tables, on random forces of random valid reports (some officers reporting on the
 * same incident and person, some tactics recorded twice): every `sums` identity a table declares holds; CED total =
 * non-discharge + discharge + not stated; each breakdown's "times reported" equals table 1's; the BCU rows add up to
 * the force; each tactic counts once per report however often it was recorded; and the rollup the set is summed
 * from equals a count of the reports themselves.
 */

let database: DatabaseHandle
beforeAll(async () => {
  database = await testDatabase()
})
afterAll(() => database.close())

const units = ['north', 'northTeam', 'south', 'department', null] as const

const reportArb = fc.record({
  submission: validSubmissionArb(FIXTURE_NOW),
  unit: fc.constantFrom(...units),
  /** Another officer's report on the previous report's incident and person. */
  sameAsPrevious: fc.boolean(),
  /** Record the first tactic a second time. */
  repeatTactic: fc.boolean(),
})

const cellAt = (table: StatTable, [r, c]: readonly [number, number]) => table.rows[r]?.values[c] ?? null

function valueOf(tables: StatTable[], id: string, rowKey: string, column: number): number | null {
  const table = tables.find((t) => t.id === id)
  return table?.rows.find((r) => r.key === rowKey)?.values[column] ?? null
}

/** The distinct Home Office rows of a report's use-of-force tactics (CED once, CS and PAVA drawn once…). */
function hoRowsOf(submission: SubmissionInput): Set<string> {
  const rows = new Set<string>()
  for (const { tactic } of submission.tactics) {
    const code = tactics.byValue(tactic)
    if (code?.useOfForce) rows.add(`${code.hoParent ?? code.hoGroup}|${code.hoRow}`)
  }
  return rows
}

let run = 0

describe('the table set on random reports', () => {
  it('keeps every identity and counts each tactic once per report', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(reportArb, { minLength: 1, maxLength: 12 }), async (reports) => {
        const { db } = database
        const force = await statisticsForce(db, `PROP${++run}`)
        let previous: { incident: IncidentRef; subjectId: string } | null = null
        const recorded: SubmissionInput[] = []
        for (const r of reports) {
          let at: { incident: IncidentRef; subjectId: string } | null = previous
          if (!r.sameAsPrevious || !at) {
            const incident = await addIncident(
              db,
              force,
              'occurredAt' in r.submission.incident ? r.submission.incident.occurredAt : FIXTURE_NOW.toISOString(),
            )
            at = { incident, subjectId: await addSubject(db, force, incident) }
          }
          const first = r.submission.tactics[0]
          // A tactic recorded twice, where the report has room for one more (the form takes 20 at most).
          const submission =
            r.repeatTactic && first && r.submission.tactics.length < 20
              ? { ...r.submission, tactics: [...r.submission.tactics, first] }
              : r.submission
          recorded.push(submission)
          await addReport(db, force, { ...at, unitId: r.unit ? force.units[r.unit] : null }, submission)
          previous = at
        }
        const query: EngineQuery = {
          scope: { kind: 'force', forceId: force.forceId },
          period: { from: '2017-04', to: '2025-06' },
        }
        const tables = await tableSet(db, query)

        // The monthly rollup the set is summed from agrees with counting the reports themselves, cell by cell.
        expect(tables).toEqual(buildTables(await countReports(db, query, 'records')))

        // Every identity each table declares (parents, column totals, BCUs adding up, CED groups) holds.
        for (const table of tables) {
          for (const sum of table.sums) {
            const parts = sum.parts.reduce((s, part) => s + (cellAt(table, part) ?? 0), 0)
            expect(cellAt(table, sum.total), `${table.id} ${JSON.stringify(sum)}`).toBe(parts)
          }
        }

        // CED total = non-discharge + discharge + not stated, against the reports themselves.
        const levels = recorded.map((r) =>
          r.tactics.some((t) => t.tactic === 'ced')
            ? highestCedLevel((r.cedUses ?? []).flatMap((u) => u.levels as CedLevel[]))
            : undefined,
        )
        const ced = levels.filter((l) => l !== undefined)
        const discharges = ced.filter((l) => l !== null && isDischarge(l)).length
        const notStated = ced.filter((l) => l === null).length
        expect(valueOf(tables, 'table-13', 'all', 0)).toBe(ced.length)
        expect(valueOf(tables, 'table-13', 'all', 6)).toBe(discharges)
        expect(valueOf(tables, 'table-13', 'all', 1)).toBe(ced.length - discharges - notStated)
        expect(valueOf(tables, 'table-13', 'all', 10)).toBe(notStated)

        // Each tactic once per report: table 1's total is the distinct HO rows summed over reports.
        const distinctRows = recorded.reduce((s, r) => s + hoRowsOf(r).size, 0)
        expect(valueOf(tables, 'table-1', 'total', 0)).toBe(distinctRows)
        expect(valueOf(tables, 'table-1', 'total', 1)).toBe(reports.length)

        // Each breakdown's "times reported" column equals table 1's times for the same tactic row.
        const table1 = tables.find((t) => t.id === 'table-1')
        for (const id of ['table-2', 'table-3', 'table-4', 'table-5', 'table-6', 'table-7', 'table-8', 'table-9']) {
          const t = tables.find((x) => x.id === id)
          const last = (t?.columns.length ?? 0) - 1
          for (const row of t?.rows ?? []) {
            const inTable1 = table1?.rows.find((r) => r.key === row.key)
            if (inTable1) expect(row.values[last], `${id} ${row.key}`).toBe(inTable1.values[0])
          }
        }
        // Distinct incidents and people: officers on the same incident and person count once.
        const incidents = reports.filter((r, i) => i === 0 || !r.sameAsPrevious).length
        expect(valueOf(tables, 'table-12', 'all', 1)).toBe(incidents)
        expect(valueOf(tables, 'table-12', 'all', 2)).toBe(incidents)
      }),
      { numRuns: 12 },
    )
  }, 300_000)
})
