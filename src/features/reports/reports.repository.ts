import { sql, type Insertable, type RawBuilder, type Transaction } from 'kysely'
import type { Db } from '../../db/database.js'
import { chunks } from '../../db/batches.js'
import { insertJsonRows, writeAll } from '../../db/insert-all.js'
import type { Database, IncidentsTable, ReportVersionsTable, SubjectsTable } from '../../db/schema.js'
import { auditInsert, type AuditEvent } from '../audit/ledger.js'
import type { IncidentDetails, ReportBody, SubjectDetails } from '../../domain/use-of-force/report.js'
import type { ScopeFilter } from '../auth/policy.js'
import { subtreeOf } from '../people/people.repository.js'
import { fromReportRows, incidentFromRow, subjectFromRow, type ReportRows } from './report-record.js'

type Executor = Db | Transaction<Database>

/** Incident references read like "2026-000123": the year of recording and a number that never repeats. */
export function incidentReference(year: number, n: number): string {
  return `${year}-${String(n).padStart(6, '0')}`
}

/**
 * Incident numbers, taken from the database sequence a block at a time and handed out from memory, so a
 * submission does not spend a round trip on one. Numbers left over when the process stops are never used: the
 * references have gaps, which nothing relies on them not having.
 */
const REFERENCE_BLOCK = 50
const referenceBlocks = new WeakMap<object, number[]>()

export async function nextIncidentNumber(db: Db): Promise<number> {
  let block = referenceBlocks.get(db)
  if (!block?.length) {
    const { rows } = await sql<{ n: number }>`
      select nextval('incident_reference_seq')::bigint as n from generate_series(1, ${REFERENCE_BLOCK}::int)`.execute(
      db,
    )
    block = rows.map((r) => Number(r.n))
    referenceBlocks.set(db, block)
  }
  const next = block.shift()
  if (next === undefined) throw new Error('incident_reference_seq gave no numbers')
  return next
}

export interface IncidentSummary {
  id: string
  reference: string
  occurredAt: Date
  area: string
  locationTypes: string[]
  planned: boolean
  subjects: { id: string; label: string; ageBand: string; gender: string; perceivedEthnicity: string }[]
}

export async function findIncidentByReference(
  db: Executor,
  forceId: string,
  reference: string,
): Promise<IncidentSummary | undefined> {
  const incident = await db
    .selectFrom('incidents')
    .select(['id', 'reference', 'occurred_at', 'area', 'location_types', 'planned'])
    .where('force_id', '=', forceId)
    .where('reference', '=', reference.trim())
    .executeTakeFirst()
  if (!incident) return undefined
  const subjects = await db
    .selectFrom('subjects')
    .select(['id', 'label', 'age_band', 'gender', 'perceived_ethnicity'])
    .where('incident_id', '=', incident.id)
    .orderBy('created_at')
    .orderBy('label')
    .execute()
  return {
    id: incident.id,
    reference: incident.reference,
    occurredAt: incident.occurred_at,
    area: incident.area,
    locationTypes: incident.location_types,
    planned: incident.planned,
    subjects: subjects.map((s) => ({
      id: s.id,
      label: s.label,
      ageBand: s.age_band,
      gender: s.gender,
      perceivedEthnicity: s.perceived_ethnicity,
    })),
  }
}

/**
 * The inserts that write some reports' rows, one per table whatever the number of reports, tactics, CED uses and
 * cycles (see insertJsonRows), for running as one statement. With `when`, nothing is written unless it holds.
 */
export function reportInserts(batch: ReportRows[], when?: RawBuilder<unknown>): RawBuilder<unknown>[] {
  const reports = batch.map((r) => r.report)
  return [insertJsonRows('reports', reports, when), ...childInserts(batch, when)]
}

/** A report's tactics, CED uses and cycles. */
function childInserts(batch: ReportRows[], when?: RawBuilder<unknown>): RawBuilder<unknown>[] {
  return [
    insertJsonRows(
      'report_tactics',
      batch.flatMap((r) => r.tactics),
      when,
    ),
    insertJsonRows(
      'report_ced_uses',
      batch.flatMap((r) => r.cedUses),
      when,
    ),
    insertJsonRows(
      'report_ced_cycles',
      batch.flatMap((r) => r.cedCycles),
      when,
    ),
  ]
}

export interface SubmissionWrite {
  userId: string
  /** The API token the request came with, if it came with one: the write goes ahead only while it is unrevoked. */
  apiTokenHash: string | null
  /** A new incident's row, or null when the report joins an existing incident. */
  incident: (Insertable<IncidentsTable> & { id: string; created_at: Date }) | null
  /** A new person's row, or null when the report is about a person already recorded. */
  subject: (Insertable<SubjectsTable> & { id: string; created_at: Date }) | null
  rows: ReportRows
  version: Omit<Insertable<ReportVersionsTable>, 'payload'> & { payload: unknown }
  audit: AuditEvent
  now: Date
  /** The key a retry would send, what the request hashed to, and the response to replay. */
  idempotency: { key: string; requestHash: string; response: unknown } | null
  /** The draft the report was written in, removed with the submission. */
  draftId: string | null
}

/**
 * Writes a whole submission in ONE statement, which is its own transaction: the incident and person when new, the
 * report with its tactics, CED uses and cycles, its first version, its audit entry (appended to its chain by the
 * database), the idempotency key, and the draft's removal. The statement text never changes, so PostgreSQL parses
 * and plans it once per connection (a prepared statement).
 *
 * Everything is written only if, when the statement runs, (1) the account is not disabled and the API token, if
 * any, not revoked: the caller's account may have come from a cache; and (2) the idempotency key was free: the
 * key's unique index decides a race, and the loser waits for the winner, then writes nothing.
 */
export async function writeSubmission(db: Db, w: SubmissionWrite): Promise<{ allowed: boolean; written: boolean }> {
  const go = sql`exists (select from go)`
  const key = w.idempotency
  const writes = [
    insertJsonRows('incidents', w.incident ? [w.incident] : [], go),
    insertJsonRows('subjects', w.subject ? [w.subject] : [], go),
    ...reportInserts([w.rows], go),
    insertJsonRows('report_versions', [w.version], go),
    auditInsert(w.audit, w.now, go),
    sql`delete from report_drafts where id = ${w.draftId}::uuid and owner_user_id = ${w.userId}::uuid and ${go}`,
  ].map((statement, i) => sql`${sql.raw(`q${i}`)} as (${statement})`)
  const { rows } = await sql<{ allowed: boolean; written: boolean }>`/* prepared: submit_report */
    with allowed as (
      select u.id from users u
      where u.id = ${w.userId}::uuid and u.disabled_at is null
        and (${w.apiTokenHash}::text is null or exists (
          select from api_tokens t
          where t.token_hash = ${w.apiTokenHash}::text and t.user_id = u.id and t.revoked_at is null))
    ), claimed as (
      insert into idempotency_keys (user_id, key, request_hash, status_code, response, created_at)
      select a.id, ${key?.key ?? null}::text, ${key?.requestHash ?? null}::text, 201,
        ${key ? JSON.stringify(key.response) : null}::jsonb, ${w.now}::timestamptz
      from allowed a where ${key?.key ?? null}::text is not null
      on conflict do nothing
      returning key
    ), go as (
      select from allowed where ${key?.key ?? null}::text is null
      union all
      select from claimed
    ), ${sql.join(writes)}
    select exists (select from allowed) as allowed, exists (select from go) as written`.execute(db)
  return rows[0] ?? { allowed: false, written: false }
}

/** Writes many reports' rows, a thousand reports to a statement. */
export async function insertReportRows(trx: Executor, all: ReportRows[]): Promise<void> {
  for (const batch of chunks(all)) await writeAll(trx, reportInserts(batch))
}

/** Replaces a report's current answers with an amended version (the old ones live on in report_versions). */
export async function replaceReportRows(trx: Transaction<Database>, rows: ReportRows, amendedAt: Date): Promise<void> {
  const {
    id,
    force_id: _force,
    incident_id: _incident,
    subject_id: _subject,
    reporter_user_id: _reporter,
    ...answers
  } = rows.report
  await trx
    .updateTable('reports')
    .set({ ...answers, amended_at: amendedAt })
    .where('id', '=', id)
    .execute()
  await trx.deleteFrom('report_tactics').where('report_id', '=', id).execute()
  await trx.deleteFrom('report_ced_uses').where('report_id', '=', id).execute()
  for (const insert of childInserts([rows])) await insert.execute(trx)
}

export async function insertVersions(
  trx: Executor,
  versions: {
    reportId: string
    version: number
    kind: 'submitted' | 'amended'
    reason: string | null
    authorUserId: string
    createdAt: Date
    payload: unknown
  }[],
): Promise<void> {
  for (const batch of chunks(versions)) {
    await trx
      .insertInto('report_versions')
      .values(
        batch.map((v) => ({
          report_id: v.reportId,
          version: v.version,
          kind: v.kind,
          reason: v.reason,
          author_user_id: v.authorUserId,
          created_at: v.createdAt,
          payload: JSON.stringify(v.payload),
        })),
      )
      .execute()
  }
}

export interface StoredReport {
  id: string
  forceId: string
  version: number
  officerPersonId: string | null
  officerUnitId: string | null
  reporterUserId: string
  submittedAt: Date
  amendedAt: Date | null
  incident: { id: string; reference: string } & IncidentDetails
  subject: { id: string; label: string } & SubjectDetails
  body: ReportBody
}

/** One report, read back from its rows (not from a stored copy), with its incident and subject. */
export async function loadReport(db: Executor, forceId: string, id: string): Promise<StoredReport | undefined> {
  const row = await db
    .selectFrom('reports')
    .selectAll()
    .where('id', '=', id)
    .where('force_id', '=', forceId)
    .executeTakeFirst()
  if (!row) return undefined
  const [tacticRows, useRows, incident, subject] = await Promise.all([
    db.selectFrom('report_tactics').selectAll().where('report_id', '=', id).execute(),
    db.selectFrom('report_ced_uses').selectAll().where('report_id', '=', id).execute(),
    db.selectFrom('incidents').selectAll().where('id', '=', row.incident_id).executeTakeFirstOrThrow(),
    db.selectFrom('subjects').selectAll().where('id', '=', row.subject_id).executeTakeFirstOrThrow(),
  ])
  const cycleRows = useRows.length
    ? await db
        .selectFrom('report_ced_cycles')
        .selectAll()
        .where(
          'ced_use_id',
          'in',
          useRows.map((u) => u.id),
        )
        .execute()
    : []
  return {
    id: row.id,
    forceId: row.force_id,
    version: row.version,
    officerPersonId: row.officer_person_id,
    officerUnitId: row.officer_unit_id,
    reporterUserId: row.reporter_user_id,
    submittedAt: row.submitted_at,
    amendedAt: row.amended_at,
    incident: { id: incident.id, reference: incident.reference, ...incidentFromRow(incident) },
    subject: { id: subject.id, label: subject.label, ...subjectFromRow(subject) },
    body: fromReportRows(row, tacticRows, useRows, cycleRows),
  }
}

/** The unit path of a unit (force first), for checking a report against a reader's scope. */
export async function unitPathOf(db: Executor, unitId: string | null): Promise<string[]> {
  if (!unitId) return []
  const { rows } = await sql<{ id: string }>`
    with recursive up as (
      select id, parent_id, 0 as depth from org_units where id = ${unitId}
      union all
      select o.id, o.parent_id, up.depth + 1 from org_units o join up on o.id = up.parent_id)
    select id::text as id from up order by depth desc`.execute(db)
  return rows.map((r) => r.id)
}

export interface ReportListItem {
  id: string
  reference: string
  occurredAt: Date
  submittedAt: Date
  version: number
  officerName: string | null
  subjectLabel: string
  cedHighestLevel: string | null
}

export async function listReports(
  db: Executor,
  scope: ScopeFilter,
  options: { page: number; pageSize: number },
): Promise<{ reports: ReportListItem[]; total: number }> {
  if (scope.kind === 'none') return { reports: [], total: 0 }
  let query = db
    .selectFrom('reports as r')
    .innerJoin('incidents as i', 'i.id', 'r.incident_id')
    .innerJoin('subjects as s', 's.id', 'r.subject_id')
    .leftJoin('personnel as p', 'p.id', 'r.officer_person_id')
    .where('r.force_id', '=', scope.forceId)
  if (scope.kind === 'own') query = query.where('r.officer_person_id', '=', scope.personId)
  if (scope.kind === 'subtree') query = query.where(sql<boolean>`r.officer_unit_id in ${subtreeOf(scope.unitId)}`)
  const [rows, count] = await Promise.all([
    query
      .select([
        'r.id',
        'i.reference',
        'r.occurred_at',
        'r.submitted_at',
        'r.version',
        'p.given_name',
        'p.family_name',
        's.label',
        'r.ced_highest_level',
      ])
      .orderBy('r.occurred_at', 'desc')
      .orderBy('r.id')
      .limit(options.pageSize)
      .offset((options.page - 1) * options.pageSize)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ])
  return {
    total: Number(count.total),
    reports: rows.map((r) => ({
      id: r.id,
      reference: r.reference,
      occurredAt: r.occurred_at,
      submittedAt: r.submitted_at,
      version: r.version,
      officerName: r.given_name ? `${r.given_name} ${r.family_name}` : null,
      subjectLabel: r.label,
      cedHighestLevel: r.ced_highest_level,
    })),
  }
}
