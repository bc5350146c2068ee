import { sql, type RawBuilder } from 'kysely'
import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import { londonMonthStart } from '../../db/london-time.js'
import { useOfForceMask } from '../../domain/statistics/ho-tables.js'
import { financialYear } from '../../domain/statistics/period.js'
import { cedLevels, type CedLevel } from '../../domain/use-of-force/ced.js'
import {
  impactFactors,
  locationTypes,
  officerInjuryLevels,
  outcomes,
  reasons,
  subjectInjured,
  subjectInjuryLevels,
  yesNoNotReported,
} from '../../domain/use-of-force/context.js'
import { ageBands, genders, healthConditions, perceivedEthnicities } from '../../domain/use-of-force/subject.js'
import { tactics } from '../../domain/use-of-force/tactics.js'
import { csvFile } from '../../lib/spreadsheets/index.js'
import { appendAudit, type Actor } from '../audit/ledger.js'

/**
 * The annual data return: the force's reports for a financial year in the fields the Home Office collects (domain
 * reference 1.6), one line per report, and the validation report that lists the records to fix before submitting.
 */

const cedBit = tactics.toMask(['ced'])
const tacticalCommunication = tactics.toMask(['tactical_communication'])

/** A check on a record: the reports it finds are listed on the validation page, each linked to the report. */
interface Check {
  code: string
  /** What is wrong, in plain words, for the list. */
  label: string
  condition: RawBuilder<boolean>
}

/** The checks, from the Home Office notes on the tables (contradictory injury records, no tactic, summary CED…). */
export const checks: readonly Check[] = [
  {
    code: 'no-tactic',
    label: 'No use of force tactic recorded',
    condition: sql`(f.tactic_mask & ${sql.lit(useOfForceMask)}) = 0 and (f.tactic_mask & ${sql.lit(tacticalCommunication)}) = 0`,
  },
  {
    code: 'tactical-communication-only',
    label: 'Tactical communication is the only tactic: it is not a use of force on its own',
    condition: sql`(f.tactic_mask & ${sql.lit(useOfForceMask)}) = 0 and (f.tactic_mask & ${sql.lit(tacticalCommunication)}) <> 0`,
  },
  {
    code: 'ced-without-detail',
    label: 'CED recorded as a tactic with no level of use (it will count as CED not stated)',
    condition: sql`(f.tactic_mask & ${sql.lit(cedBit)}) <> 0 and f.ced_level is null`,
  },
  {
    code: 'ced-detail-without-tactic',
    label: 'A CED level of use is recorded but CED is not among the tactics',
    condition: sql`(f.tactic_mask & ${sql.lit(cedBit)}) = 0 and f.ced_level is not null`,
  },
  {
    code: 'officer-level-not-injured',
    label: 'Officer injury level given when the officer was not recorded as injured',
    condition: sql`f.officer_injured <> 'yes' and f.officer_injury_level is not null and f.officer_injury_level <> 'not_reported'`,
  },
  {
    code: 'officer-injured-no-level',
    label: 'Officer injured but no injury level recorded',
    condition: sql`f.officer_injured = 'yes' and coalesce(f.officer_injury_level, 'not_reported') = 'not_reported'`,
  },
  {
    code: 'subject-level-not-injured',
    label: 'Person’s injury level given when they were not recorded as injured',
    condition: sql`f.subject_injured <> 'yes' and f.subject_injury_level is not null and f.subject_injury_level <> 'not_reported'`,
  },
  {
    code: 'subject-injured-no-level',
    label: 'Person injured but no injury level recorded',
    condition: sql`f.subject_injured = 'yes' and coalesce(f.subject_injury_level, 'not_reported') = 'not_reported'`,
  },
  {
    code: 'death-without-fatality',
    label: 'Injury level death without the outcome fatality, or the other way round',
    condition: sql`(f.subject_injury_level = 'death') <> ((f.outcome_mask & ${sql.lit(outcomes.toMask(['fatality']))}) <> 0)`,
  },
  {
    code: 'unknown-unit',
    label: 'The reporting officer’s unit is unknown or closed',
    condition: sql`u.id is null or u.closed_at is not null`,
  },
  {
    code: 'ced-under-11',
    label: 'CED used on a person perceived to be under 11: check the age (the Home Office found errors here)',
    condition: sql`f.ced_level is not null and f.age_band = 'under_11'`,
  },
  {
    code: 'no-location',
    label: 'No incident location recorded',
    condition: sql`f.location_mask = 0`,
  },
  {
    code: 'no-reason',
    label: 'No reason for using force recorded',
    condition: sql`f.reason_mask = 0`,
  },
  {
    code: 'no-outcome',
    label: 'No outcome recorded',
    condition: sql`f.outcome_mask = 0`,
  },
  {
    code: 'characteristics-not-reported',
    label: 'The person’s perceived age, gender, ethnicity or health condition is not reported',
    condition: sql`'not_reported' in (f.age_band, f.gender, f.ethnicity, f.health)`,
  },
]

function yearFilter(forceId: string, year: number): RawBuilder<boolean> {
  const { from } = financialYear(year)
  const next = financialYear(year + 1).from
  return sql<boolean>`f.force_id = ${forceId} and f.occurred_at >= ${londonMonthStart(from)}
    and f.occurred_at < ${londonMonthStart(next)}`
}

export interface ValidationIssue {
  code: string
  label: string
  count: number
  /** The first reports found, oldest first (the page lists up to LISTED of each). */
  reports: { id: string; reference: string; occurredAt: Date }[]
}

export interface ValidationReport {
  reports: number
  /** Reports with at least one issue. */
  withIssues: number
  issues: ValidationIssue[]
}

const LISTED = 50

export async function validateAnnualReturn(db: Db, forceId: string, year: number): Promise<ValidationReport> {
  const { rows } = await sql<{ id: string; reference: string; occurred_at: Date; codes: string[] | null }>`
    select f.report_id as id, i.reference, f.occurred_at,
      array_remove(array[${sql.join(
        checks.map((c) => sql`case when ${c.condition} then ${sql.lit(c.code)} end`),
      )}]::text[], null) as codes
    from report_statistics f
      join incidents i on i.id = f.incident_id
      left join org_units u on u.id = f.unit_id and u.force_id = f.force_id
    where ${yearFilter(forceId, year)}
    order by f.occurred_at, i.reference, f.report_id`.execute(db)
  const issues = checks.map((c) => ({
    code: c.code,
    label: c.label,
    count: 0,
    reports: [] as ValidationIssue['reports'],
  }))
  const byCode = new Map(issues.map((issue) => [issue.code, issue]))
  let withIssues = 0
  for (const row of rows) {
    const codes = row.codes ?? []
    if (codes.length > 0) withIssues++
    for (const code of codes) {
      const issue = byCode.get(code)
      if (!issue) continue
      issue.count++
      if (issue.reports.length < LISTED)
        issue.reports.push({ id: row.id, reference: row.reference, occurredAt: new Date(row.occurred_at) })
    }
  }
  return { reports: rows.length, withIssues, issues: issues.filter((issue) => issue.count > 0) }
}

/** One line of the return. */
export type ReturnRow = Record<string, string>

const yesNo = (mask: number, bit: number) => ((mask & (1 << bit)) !== 0 ? 'Yes' : 'No')

/** The columns, from the code lists: the HO's categories and wording, one Yes/No column per multi-valued code. */
function toReturnRow(r: StoredRow): ReturnRow {
  const row: ReturnRow = {
    'Report ID': r.report_id,
    'Incident reference': r.reference,
    Force: r.force_name,
    'Basic command unit': r.bcu_name ?? '',
    'Financial year': r.financial_year,
    Month: r.month,
    'Subject perceived age': ageBands.byValue(r.age_band)?.hoLabel ?? r.age_band,
    'Subject perceived gender': genders.label(r.gender as 'male'),
    'Subject perceived ethnicity': perceivedEthnicities.label(r.ethnicity as 'white'),
    'Subject perceived physical or mental health condition': healthConditions.label(r.health as 'none'),
  }
  for (const t of tactics.codes) row[`Tactic: ${t.label}`] = yesNo(r.tactic_mask, t.bit)
  row['CED highest level of use'] =
    (r.tactic_mask & cedBit) === 0 ? '' : r.ced_level ? cedLevels.label(r.ced_level as CedLevel) : 'Not stated'
  for (const c of reasons.codes) row[`Reason: ${c.label}`] = yesNo(r.reason_mask, c.bit)
  for (const c of impactFactors.codes) row[`Impact factor: ${c.label}`] = yesNo(r.impact_mask, c.bit)
  for (const c of outcomes.codes) row[`Outcome: ${c.label}`] = yesNo(r.outcome_mask, c.bit)
  for (const c of locationTypes.codes) row[`Location: ${c.label}`] = yesNo(r.location_mask, c.bit)
  row['Officer injured'] = yesNoNotReported.label(r.officer_injured as 'yes')
  row['Intentional assault'] = yesNoNotReported.has(r.intentional_assault)
    ? yesNoNotReported.label(r.intentional_assault)
    : 'Not reported'
  row['Officer injury level'] = r.officer_injury_level
    ? officerInjuryLevels.label(r.officer_injury_level as 'minor')
    : 'Not reported'
  row['Subject injured'] = subjectInjured.label(r.subject_injured as 'yes')
  row['Subject injury level'] = r.subject_injury_level
    ? subjectInjuryLevels.label(r.subject_injury_level as 'minor')
    : 'Not reported'
  return row
}

interface StoredRow {
  report_id: string
  reference: string
  force_name: string
  bcu_name: string | null
  financial_year: string
  month: string
  age_band: string
  gender: string
  ethnicity: string
  health: string
  tactic_mask: number
  ced_level: string | null
  reason_mask: number
  impact_mask: number
  outcome_mask: number
  location_mask: number
  officer_injured: string
  intentional_assault: string
  officer_injury_level: string | null
  subject_injured: string
  subject_injury_level: string | null
}

/** The return's lines for the year, and the export recorded in the audit ledger in the same transaction. */
export async function exportAnnualReturn(
  { db, clock }: { db: Db; clock: Clock },
  actor: Actor,
  forceId: string,
  year: number,
): Promise<ReturnRow[]> {
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<StoredRow>`
      with recursive up (unit_id, id, kind, parent_id) as (
        select id, id, kind, parent_id from org_units where force_id = ${forceId}
        union all
        select up.unit_id, o.id, o.kind, o.parent_id from up join org_units o on o.id = up.parent_id where up.kind <> 'bcu')
      select f.report_id, i.reference, fo.name as force_name, b.name as bcu_name,
        ${`${year}-${String((year + 1) % 100).padStart(2, '0')}`}::text as financial_year,
        to_char(f.occurred_at at time zone 'Europe/London', 'YYYY-MM') as month,
        f.age_band, f.gender, f.ethnicity, f.health, f.tactic_mask, f.ced_level, f.reason_mask, f.impact_mask,
        f.outcome_mask, f.location_mask, f.officer_injured, f.intentional_assault, f.officer_injury_level,
        f.subject_injured, f.subject_injury_level
      from report_statistics f
        join incidents i on i.id = f.incident_id
        join forces fo on fo.id = f.force_id
        left join up on up.unit_id = f.unit_id and up.kind = 'bcu'
        left join org_units b on b.id = up.id
      where ${yearFilter(forceId, year)}
      order by f.occurred_at, i.reference, f.report_id`.execute(trx)
    await appendAudit(
      trx,
      {
        forceId,
        actor,
        action: 'statistics.annual_return_exported',
        entityType: 'annual_return',
        entityId: String(year),
        details: { financialYear: `${year} to ${year + 1}`, reports: rows.length },
        requestId: actor.requestId ?? null,
      },
      clock(),
    )
    return rows.map(toReturnRow)
  })
}

export function annualReturnCsv(rows: readonly ReturnRow[]): string {
  const header = Object.keys(toReturnRow(emptyRow))
  return csvFile([header, ...rows.map((row) => header.map((h) => row[h] ?? ''))])
}

const emptyRow: StoredRow = {
  report_id: '',
  reference: '',
  force_name: '',
  bcu_name: null,
  financial_year: '',
  month: '',
  age_band: 'not_reported',
  gender: 'not_reported',
  ethnicity: 'not_reported',
  health: 'not_reported',
  tactic_mask: 0,
  ced_level: null,
  reason_mask: 0,
  impact_mask: 0,
  outcome_mask: 0,
  location_mask: 0,
  officer_injured: 'not_reported',
  intentional_assault: 'not_reported',
  officer_injury_level: null,
  subject_injured: 'not_reported',
  subject_injury_level: null,
}
