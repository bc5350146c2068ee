import { createHash, randomUUID } from 'node:crypto'
import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import type { IncidentDetails, ReportBody, ReportSubmission, SubjectDetails } from '../../domain/use-of-force/report.js'
import {
  incidentRules,
  reportFlags,
  reportRules,
  type ReportFlags,
  type RuleIssue,
} from '../../domain/use-of-force/rules.js'
import { canonicalJson } from '../audit/canonical-json.js'
import { HttpError } from '../../web/errors.js'
import { appendAudit, type Actor } from '../audit/ledger.js'
import { canActOn, type Principal } from '../auth/policy.js'
import { incidentColumns, incidentFromRow, subjectColumns, subjectFromRow, toReportRows } from './report-record.js'
import { diffVersions, type Change } from './report-diff.js'
import {
  incidentReference,
  insertVersions,
  loadReport,
  nextIncidentNumber,
  replaceReportRows,
  unitPathOf,
  writeSubmission,
  type StoredReport,
  type SubmissionWrite,
} from './reports.repository.js'

interface Deps {
  db: Db
  clock: Clock
}

export interface Caller {
  principal: Principal
  actor: Actor
  /** The unit of the officer's personnel record now: where a report they submit belongs, for scoping. */
  officerUnitId: string | null
  /** The API token's hash when the request came with one: a submission re-checks that it is still unrevoked. */
  apiTokenHash?: string | null
}

export interface SubmittedReport {
  id: string
  reference: string
  version: number
  flags: ReportFlags
}

export type SubmitOutcome =
  { ok: true; replayed: boolean; report: SubmittedReport } | { ok: false; status: 400 | 403 | 422; errors: RuleIssue[] }

const refuse = (status: 400 | 403 | 422, path: (string | number)[], message: string): SubmitOutcome => ({
  ok: false,
  status,
  errors: [{ path, message }],
})

export function requestHash(payload: unknown): string {
  return createHash('sha256').update(canonicalJson(payload)).digest('hex')
}

async function storedResponse(db: Db, userId: string, key: string) {
  return db
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'response'])
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .executeTakeFirst()
}

function replay(stored: { request_hash: string; response: unknown }, hash: string): SubmitOutcome {
  if (stored.request_hash !== hash) {
    return refuse(422, ['Idempotency-Key'], 'This idempotency key was used for a different report: use a new key')
  }
  return { ok: true, replayed: true, report: stored.response as SubmittedReport }
}

/** The account was disabled, or the API token revoked, after the request was let in: nothing was written. */
export class CallerNoLongerValid extends HttpError {
  constructor() {
    super(401, 'Your account or API token is no longer valid: sign in again')
  }
}

/**
 * Submits one report: checks every rule, then writes the incident and person (when new), the report with its
 * tactics and CED uses, its first version, its audit entry and its idempotency key in ONE statement
 * (writeSubmission), which is its own transaction: a new report on a new incident is one round trip, shared with
 * the other submissions that arrived meanwhile (group commit), each with its own guards and answer. With an
 * idempotency key a retry returns the first result and never writes a second report, even when the two race: the
 * key's unique index decides, and the loser writes nothing.
 */
export async function submitReport(
  deps: Deps,
  caller: Caller,
  submission: ReportSubmission,
  options: { idempotencyKey?: string; requestHash?: string; draftId?: string } = {},
): Promise<SubmitOutcome> {
  const { db, clock } = deps
  const { principal, actor } = caller
  const hash = options.requestHash ?? requestHash(submission)
  const now = clock()
  const issues = [
    ...('occurredAt' in submission.incident ? incidentRules(submission.incident, now) : []),
    ...reportRules(submission),
  ]
  if (issues.length) return { ok: false, status: 400, errors: issues }
  if (!principal.personId) {
    return refuse(403, [], 'Your account is not linked to an officer record, so it cannot submit reports')
  }

  let incident: { id: string; reference: string } & IncidentDetails
  let newIncident: SubmissionWrite['incident'] = null
  if ('occurredAt' in submission.incident) {
    const reference = incidentReference(now.getUTCFullYear(), await nextIncidentNumber(db))
    incident = { id: randomUUID(), reference, ...submission.incident }
    newIncident = {
      id: incident.id,
      force_id: principal.forceId,
      reference,
      created_by: principal.userId,
      created_at: now,
      ...incidentColumns(submission.incident),
    }
  } else {
    const found = await db
      .selectFrom('incidents')
      .selectAll()
      .where('force_id', '=', principal.forceId)
      .where('reference', '=', submission.incident.reference.trim())
      .executeTakeFirst()
    if (!found) return refuse(400, ['incident', 'reference'], 'There is no incident with that reference')
    incident = { id: found.id, reference: found.reference, ...incidentFromRow(found) }
  }

  let subject: { id: string; label: string } & SubjectDetails
  let newSubject: SubmissionWrite['subject'] = null
  if ('id' in submission.subject) {
    const existing = await db
      .selectFrom('subjects')
      .selectAll()
      .where('id', '=', submission.subject.id)
      .where('incident_id', '=', incident.id)
      .executeTakeFirst()
    if (!existing) return refuse(400, ['subject', 'id'], 'Select a person recorded on this incident')
    subject = { id: existing.id, label: existing.label, ...subjectFromRow(existing) }
  } else {
    // People on an incident are numbered in the order they were recorded; the first needs no count.
    const recorded = newIncident
      ? 0
      : Number(
          (
            await db
              .selectFrom('subjects')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('incident_id', '=', incident.id)
              .executeTakeFirstOrThrow()
          ).n,
        )
    subject = { id: randomUUID(), label: `Person ${recorded + 1}`, ...submission.subject }
    newSubject = {
      id: subject.id,
      force_id: principal.forceId,
      incident_id: incident.id,
      label: subject.label,
      created_at: now,
      ...subjectColumns(submission.subject),
    }
  }

  const id = randomUUID()
  const flags = reportFlags(submission, subject.ageBand)
  const body = bodyOf(submission)
  const report: SubmittedReport = { id, reference: incident.reference, version: 1, flags }
  const { allowed, written } = await writeSubmission(db, {
    userId: principal.userId,
    apiTokenHash: caller.apiTokenHash ?? null,
    incident: newIncident,
    subject: newSubject,
    rows: toReportRows(
      body,
      {
        id,
        forceId: principal.forceId,
        incidentId: incident.id,
        subjectId: subject.id,
        officerPersonId: principal.personId,
        officerUnitId: caller.officerUnitId,
        reporterUserId: principal.userId,
        occurredAt: incident.occurredAt,
        submittedAt: now,
        version: 1,
      },
      randomUUID,
    ),
    version: {
      report_id: id,
      version: 1,
      kind: 'submitted',
      reason: null,
      author_user_id: principal.userId,
      created_at: now,
      payload: versionPayload(incident, subject, body),
    },
    audit: {
      forceId: principal.forceId,
      actor,
      action: 'report.submitted',
      entityType: 'report',
      entityId: id,
      details: { reference: incident.reference, version: 1, flags },
    },
    now,
    idempotency: options.idempotencyKey ? { key: options.idempotencyKey, requestHash: hash, response: report } : null,
    draftId: options.draftId ?? null,
  })
  if (!allowed) throw new CallerNoLongerValid()
  if (written) return { ok: true, replayed: false, report }
  // The key was used before (a retry), or by a request that committed first: nothing was written.
  const stored = options.idempotencyKey ? await storedResponse(db, principal.userId, options.idempotencyKey) : undefined
  if (!stored) throw new Error('submission: nothing written, and no earlier response for its idempotency key')
  return replay(stored, hash)
}

/** The officer's own answers: everything in a submission except which incident and person it is about. */
export function bodyOf(submission: ReportSubmission | ReportBody): ReportBody {
  const { incident: _incident, subject: _subject, ...body } = submission as ReportSubmission
  return body
}

export type ReadOutcome = { ok: true; report: StoredReport } | { ok: false; status: 404 }

/**
 * A report for a reader in scope, recorded in the audit ledger as a read of a sensitive record. Out of scope and
 * not found look the same (404), so the answer says nothing about reports the reader may not see.
 */
export async function readReport(deps: Deps, caller: Caller, id: string): Promise<ReadOutcome> {
  const { db, clock } = deps
  const report = await loadReport(db, caller.principal.forceId, id)
  if (!report || !(await inScope(db, caller.principal, report))) return { ok: false, status: 404 }
  await db.transaction().execute((trx) =>
    appendAudit(
      trx,
      {
        forceId: report.forceId,
        actor: caller.actor,
        action: 'report.viewed',
        entityType: 'report',
        entityId: report.id,
      },
      clock(),
    ),
  )
  return { ok: true, report }
}

async function inScope(db: Db, principal: Principal, report: StoredReport): Promise<boolean> {
  return canActOn(principal, 'reports.view', {
    forceId: report.forceId,
    unitPath: await unitPathOf(db, report.officerUnitId),
    ownerPersonId: report.officerPersonId,
  })
}

export type AmendOutcome =
  { ok: true; version: number; changes: Change[] } | { ok: false; status: 400 | 404 | 409; errors: RuleIssue[] }

/**
 * Corrects a submitted report. Only the officer who made it may amend it; the earlier version is kept unchanged
 * in report_versions, and the audit entry names what changed and why.
 */
export async function amendReport(
  deps: Deps,
  caller: Caller,
  id: string,
  amendment: { expectedVersion: number; reason: string; body: ReportBody; draftId?: string },
): Promise<AmendOutcome> {
  const { db, clock } = deps
  const { principal, actor } = caller
  const current = await loadReport(db, principal.forceId, id)
  if (!current || !principal.personId || current.officerPersonId !== principal.personId) {
    return { ok: false, status: 404, errors: [{ path: [], message: 'Report not found' }] }
  }
  const issues = reportRules(amendment.body)
  if (issues.length) return { ok: false, status: 400, errors: issues }
  const before = versionPayload(current.incident, current.subject, current.body)
  const after = versionPayload(current.incident, current.subject, amendment.body)
  const changes = diffVersions(before, after)
  if (changes.length === 0) {
    return { ok: false, status: 400, errors: [{ path: [], message: 'You have not changed anything in the report' }] }
  }
  const now = clock()
  const version = amendment.expectedVersion + 1
  const done = await db.transaction().execute(async (trx) => {
    // The version check and the write happen under the row lock, so two amendments cannot both win.
    const locked = await trx
      .selectFrom('reports')
      .select('version')
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirstOrThrow()
    if (locked.version !== amendment.expectedVersion) return false
    const rows = toReportRows(
      amendment.body,
      {
        id,
        forceId: current.forceId,
        incidentId: current.incident.id,
        subjectId: current.subject.id,
        officerPersonId: current.officerPersonId,
        officerUnitId: current.officerUnitId,
        reporterUserId: current.reporterUserId,
        occurredAt: current.incident.occurredAt,
        submittedAt: current.submittedAt,
        version,
      },
      randomUUID,
    )
    await replaceReportRows(trx, rows, now)
    await insertVersions(trx, [
      {
        reportId: id,
        version,
        kind: 'amended',
        reason: amendment.reason,
        authorUserId: principal.userId,
        createdAt: now,
        payload: after,
      },
    ])
    await appendAudit(
      trx,
      {
        forceId: current.forceId,
        actor,
        action: 'report.amended',
        entityType: 'report',
        entityId: id,
        details: { version, reason: amendment.reason, changed: changes.map((c) => c.path) },
      },
      now,
    )
    if (amendment.draftId) {
      await trx
        .deleteFrom('report_drafts')
        .where('id', '=', amendment.draftId)
        .where('owner_user_id', '=', principal.userId)
        .execute()
    }
    return true
  })
  if (!done) {
    return {
      ok: false,
      status: 409,
      errors: [
        { path: ['expectedVersion'], message: 'The report has changed since you opened it: reload it and try again' },
      ],
    }
  }
  return { ok: true, version, changes }
}

/** What a version records: the incident and person as they stood, and the officer's answers. */
export function versionPayload(
  incident: { reference: string } & IncidentDetails,
  subject: { id: string; label: string } & SubjectDetails,
  body: ReportBody,
) {
  const { reference, occurredAt, locationTypes, area, planned } = incident
  return { incident: { reference, occurredAt, locationTypes, area, planned }, subject, ...body }
}

export async function reportVersions(db: Db, reportId: string) {
  const versions = await db
    .selectFrom('report_versions as v')
    .innerJoin('users as u', 'u.id', 'v.author_user_id')
    .select(['v.version', 'v.kind', 'v.reason', 'v.created_at', 'v.payload', 'u.display_name'])
    .where('v.report_id', '=', reportId)
    .orderBy('v.version')
    .execute()
  return versions.map((v, i) => ({
    version: v.version,
    kind: v.kind,
    reason: v.reason,
    createdAt: v.created_at,
    author: v.display_name,
    changes: i === 0 ? [] : diffVersions(versions[i - 1]?.payload, v.payload),
  }))
}
