import { sql, type Insertable, type RawBuilder, type Transaction } from 'kysely'
import type { Db } from '../../db/database.js'
import { pageOf } from '../../db/paging.js'
import { scopeCondition } from '../../db/scope.js'
import { chunks } from '../../db/batches.js'
import { GroupCommit } from '../../db/group-commit.js'
import { insertJsonRows, writeAll } from '../../db/insert-all.js'
import type { Database, IncidentsTable, ReportVersionsTable, SubjectsTable } from '../../db/schema.js'
import { auditInsert, type AuditEvent } from '../audit/ledger.js'
import type { IncidentDetails, ReportBody, SubjectDetails } from '../../domain/use-of-force/report.js'
import type { ScopeFilter } from '../auth/policy.js'
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

export interface SubmissionResult {
  /** The account was enabled and the token, if any, unrevoked. */
  allowed: boolean
  /** The submission was written (false when refused, or when its idempotency key was already used). */
  written: boolean
}

/**
 * Writes whole submissions in ONE statement, which is its own transaction: for each, the incident and person when
 * new, the report with its tactics, CED uses and cycles, its first version, its audit entry (appended to its chain
 * by the database), the idempotency key, and the draft's removal. Every row carries the index of its submission
 * (`e->>'submission'`). The statement text never changes, whatever the number of submissions, so PostgreSQL parses
 * and plans it once per connection (a prepared statement).
 *
 * Each submission is written only if, when the statement runs, (1) its account is not disabled and its API token,
 * if any, not revoked: the caller's account may have come from a cache; and (2) its idempotency key was free: the
 * key's unique index decides a race, and the loser waits for the winner, then writes nothing. The guards are per
 * submission, so one refused submission writes nothing while the others go ahead. No two submissions in one call
 * may share a user's idempotency key.
 */
export async function writeSubmissions(db: Db, writes: SubmissionWrite[]): Promise<SubmissionResult[]> {
  const tag = <T extends object>(row: T, submission: number) => ({ ...row, submission })
  const rows = <T extends object>(pick: (w: SubmissionWrite) => T[]) =>
    writes.flatMap((w, i) => pick(w).map((row) => tag(row, i)))
  const go = sql`(e->>'submission')::int in (select submission from go)`
  const writesInOne = [
    insertJsonRows(
      'incidents',
      rows((w) => (w.incident ? [w.incident] : [])),
      go,
    ),
    insertJsonRows(
      'subjects',
      rows((w) => (w.subject ? [w.subject] : [])),
      go,
    ),
    insertJsonRows(
      'reports',
      rows((w) => [w.rows.report]),
      go,
    ),
    insertJsonRows(
      'report_tactics',
      rows((w) => w.rows.tactics),
      go,
    ),
    insertJsonRows(
      'report_ced_uses',
      rows((w) => w.rows.cedUses),
      go,
    ),
    insertJsonRows(
      'report_ced_cycles',
      rows((w) => w.rows.cedCycles),
      go,
    ),
    insertJsonRows(
      'report_versions',
      rows((w) => [w.version]),
      go,
    ),
    auditInsert(
      writes.map((w, i) => ({ event: w.audit, at: w.now, tag: i })),
      sql`x.tag in (select submission from go)`,
    ),
    sql`delete from report_drafts d using guards g
      where d.id = g.draft_id and d.owner_user_id = g.user_id and g.submission in (select submission from go)`,
  ].map((statement, i) => sql`${sql.raw(`q${i}`)} as (${statement})`)
  const guards = writes.map((w, i) => ({
    submission: i,
    user_id: w.userId,
    token_hash: w.apiTokenHash,
    key: w.idempotency?.key ?? null,
    request_hash: w.idempotency?.requestHash ?? null,
    response: w.idempotency?.response ?? null,
    created_at: w.now,
    draft_id: w.draftId,
  }))
  // `go` counts the claims so every idempotency claim is made before any chain head is locked: a statement waiting
  // on another's key then holds no chain head that one could be waiting for.
  const { rows: results } = await sql<SubmissionResult & { submission: number }>`/* prepared: submit_reports */
    with guards as (
      select * from jsonb_to_recordset(${JSON.stringify(guards)}::jsonb) as g(
        submission int, user_id uuid, token_hash text, key text, request_hash text, response jsonb,
        created_at timestamptz, draft_id uuid)
    ), allowed as (
      select g.submission, g.user_id, g.key from guards g join users u on u.id = g.user_id and u.disabled_at is null
      where g.token_hash is null or exists (
        select from api_tokens t where t.token_hash = g.token_hash and t.user_id = u.id and t.revoked_at is null)
    ), claimed as (
      insert into idempotency_keys (user_id, key, request_hash, status_code, response, created_at)
      select g.user_id, g.key, g.request_hash, 201, g.response, g.created_at
      from guards g join allowed a using (submission) where g.key is not null
      on conflict do nothing
      returning user_id, key
    ), go as (
      select unnest(subs) as submission, claims from (
        select array_agg(a.submission) as subs, (select count(*) from claimed) as claims from allowed a
        where a.key is null or exists (select from claimed c where c.user_id = a.user_id and c.key = a.key)) s
    ), ${sql.join(writesInOne)}
    select g.submission, a.submission is not null as allowed, g.submission in (select submission from go) as written
    from guards g left join allowed a using (submission)
    order by g.submission`.execute(db)
  return writes.map((_, i) => results[i] ?? { allowed: false, written: false })
}

/**
 * Submissions written by group commit: while one statement is in flight, the next submissions queue and go
 * together in the next (see GroupCommit). Two statements at a time keep both cores busy while one waits for its
 * commit to reach the disk; 64 submissions a statement bounds its size. One queue per database.
 */
const SUBMISSION_SLOTS = 2
const SUBMISSIONS_PER_STATEMENT = 64
const groupCommits = new WeakMap<Db, GroupCommit<SubmissionWrite, SubmissionResult>>()

export function writeSubmission(db: Db, write: SubmissionWrite): Promise<SubmissionResult> {
  let group = groupCommits.get(db)
  if (!group) {
    group = new GroupCommit((batch) => writeSubmissions(db, batch), {
      slots: SUBMISSION_SLOTS,
      max: SUBMISSIONS_PER_STATEMENT,
      // Two uses of one key must not share a statement: the claim decides between them, one after the other.
      separate: (a, b) => a.idempotency !== null && a.userId === b.userId && a.idempotency.key === b.idempotency?.key,
    })
    groupCommits.set(db, group)
  }
  return group.submit(write)
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
  const query = db
    .selectFrom('reports as r')
    .innerJoin('incidents as i', 'i.id', 'r.incident_id')
    .innerJoin('subjects as s', 's.id', 'r.subject_id')
    .leftJoin('personnel as p', 'p.id', 'r.officer_person_id')
    .where(scopeCondition(scope, { force: 'r.force_id', unit: 'r.officer_unit_id', person: 'r.officer_person_id' }))
  const { rows, total } = await pageOf(
    query,
    (q) =>
      q
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
        .orderBy('r.id'),
    options,
  )
  return {
    total,
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
