import { sql } from 'kysely'
import type { Db } from '../../db/database.js'
import type { Period } from '../../domain/statistics/period.js'
import { csvFile } from '../../lib/spreadsheets/csv.js'
import { fromReportRows, incidentFromRow, subjectFromRow } from '../reports/report-record.js'
import { MET_COLUMNS, metRow, type OpenDataRecord } from './met-layout.js'

/**
 * The record-level open data of a force for a period, as a CSV in the Met's layout (met-layout.ts): every submitted
 * report whose incident happened in the period (London months, as the counting engine takes them), in date order.
 * Rows are read through the reports' own row mapping (`fromReportRows`), so the file says what the reports say.
 */
export async function openDataCsv(db: Db, forceId: string, period: Period): Promise<string> {
  const records = await openDataRecords(db, forceId, period)
  return csvFile([[...MET_COLUMNS], ...records.map(metRow)])
}

const monthStart = (month: string) => sql`(${`${month}-01`}::date)::timestamp at time zone 'Europe/London'`

export async function openDataRecords(db: Db, forceId: string, period: Period): Promise<OpenDataRecord[]> {
  const [year, month] = period.to.split('-').map(Number) as [number, number]
  const after = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`
  const inPeriod = db
    .selectFrom('reports as r')
    .innerJoin('incidents as i', 'i.id', 'r.incident_id')
    .where('r.force_id', '=', forceId)
    .where(sql<boolean>`i.occurred_at >= ${monthStart(period.from)} and i.occurred_at < ${monthStart(after)}`)
  // Child rows are read with the period's condition as a subquery: a quarter of a large force is more reports than
  // a statement may carry as parameters.
  const [reports, tacticRows, useRows, cycleRows, incidents, subjects, boroughs] = await Promise.all([
    inPeriod.selectAll('r').orderBy('i.occurred_at').orderBy('r.id').execute(),
    db.selectFrom('report_tactics').selectAll().where('report_id', 'in', inPeriod.select('r.id')).execute(),
    db.selectFrom('report_ced_uses').selectAll().where('report_id', 'in', inPeriod.select('r.id')).execute(),
    db
      .selectFrom('report_ced_cycles as c')
      .innerJoin('report_ced_uses as u', 'u.id', 'c.ced_use_id')
      .selectAll('c')
      .where('u.report_id', 'in', inPeriod.select('r.id'))
      .execute(),
    inPeriod.selectAll('i').distinct().execute(),
    db.selectFrom('subjects').selectAll().where('id', 'in', inPeriod.select('r.subject_id')).execute(),
    boroughsOf(db, forceId),
  ])
  const group = <T, K>(rows: T[], key: (row: T) => K) => {
    const map = new Map<K, T[]>()
    for (const row of rows) map.set(key(row), [...(map.get(key(row)) ?? []), row])
    return map
  }
  const tacticsOf = group(tacticRows, (t) => t.report_id)
  const usesOf = group(useRows, (u) => u.report_id)
  const cyclesOf = group(cycleRows, (c) => c.ced_use_id)
  const incidentById = new Map(incidents.map((i) => [i.id, i]))
  const subjectById = new Map(subjects.map((s) => [s.id, s]))
  return reports.map((report) => {
    const uses = usesOf.get(report.id) ?? []
    const incident = incidentById.get(report.incident_id)
    const subject = subjectById.get(report.subject_id)
    if (!incident || !subject) throw new Error(`Report ${report.id} has no incident or person`)
    return {
      incident: incidentFromRow(incident),
      subject: subjectFromRow(subject),
      body: fromReportRows(
        report,
        tacticsOf.get(report.id) ?? [],
        uses,
        uses.flatMap((u) => cyclesOf.get(u.id) ?? []),
      ),
      borough: (report.officer_unit_id && boroughs.get(report.officer_unit_id)) || '',
    }
  })
}

/** Each unit of the force and the name of the basic command unit it is in (the Met's "borough"). */
async function boroughsOf(db: Db, forceId: string): Promise<Map<string, string>> {
  const { rows } = await sql<{ id: string; bcu: string }>`
    with recursive down as (
      select id, name as bcu from org_units where force_id = ${forceId} and kind = 'bcu'
      union all
      select o.id, down.bcu from org_units o join down on o.parent_id = down.id)
    select id::text as id, bcu from down`.execute(db)
  return new Map(rows.map((r) => [r.id, r.bcu]))
}
