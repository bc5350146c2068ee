import { createHash, randomUUID } from 'node:crypto'
import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import type { ReportBody, ReportSubmission } from '../../domain/use-of-force/report.js'
import {
  incidentRules,
  reportFlags,
  reportRules,
  type ReportFlags,
  type RuleIssue,
} from '../../domain/use-of-force/rules.js'
import { canonicalJson } from '../audit/canonical-json.js'
import { appendAudit, type Actor } from '../audit/ledger.js'
import { canActOn, type Principal } from '../auth/policy.js'
import { toReportRows } from './report-record.js'
import { diffVersions, type Change } from './report-diff.js'
import {
  findIncidentByReference,
  insertIncident,
  insertReportRows,
  insertSubject,
  insertVersions,
  loadReport,
  nextIncidentReference,
  replaceReportRows,
  unitPathOf,
  type StoredReport,
} from './reports.repository.js'

interface Deps {
  db: Db
  clock: Clock
}

export interface Caller {
  principal: Principal
  actor: Actor
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

/** Thrown inside the transaction when another request with the same idempotency key got there first. */
class AlreadySubmitted extends Error {}

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

/**
 * Submits one report: checks every rule, then writes the incident and person (when new), the report with its
 * tactics and CED uses, its first version and the audit entry, all in one transaction. With an idempotency key a
 * retry returns the first result and never writes a second report, even when the two race.
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
  if (options.idempotencyKey) {
    const stored = await storedResponse(db, principal.userId, options.idempotencyKey)
    if (stored) return replay(stored, hash)
  }
  const now = clock()
  const issues = [
    ...('occurredAt' in submission.incident ? incidentRules(submission.incident, now) : []),
    ...reportRules(submission),
  ]
  if (issues.length) return { ok: false, status: 400, errors: issues }
  if (!principal.personId) {
    return refuse(403, [], 'Your account is not linked to an officer record, so it cannot submit reports')
  }
  const officer = await db
    .selectFrom('personnel')
    .select(['unit_id'])
    .where('id', '=', principal.personId)
    .executeTakeFirstOrThrow()

  try {
    return await db.transaction().execute(async (trx): Promise<SubmitOutcome> => {
      let incident: { id: string; reference: string; occurredAt: string }
      if ('occurredAt' in submission.incident) {
        const reference = await nextIncidentReference(trx, now.getUTCFullYear())
        const id = await insertIncident(trx, {
          forceId: principal.forceId,
          reference,
          createdBy: principal.userId,
          details: submission.incident,
        })
        incident = { id, reference, occurredAt: submission.incident.occurredAt }
      } else {
        const found = await findIncidentByReference(trx, principal.forceId, submission.incident.reference)
        if (!found) return refuse(400, ['incident', 'reference'], 'There is no incident with that reference')
        incident = { id: found.id, reference: found.reference, occurredAt: found.occurredAt.toISOString() }
      }

      let subjectId: string
      let ageBand: string
      if ('id' in submission.subject) {
        const subject = await trx
          .selectFrom('subjects')
          .select(['id', 'age_band'])
          .where('id', '=', submission.subject.id)
          .where('incident_id', '=', incident.id)
          .executeTakeFirst()
        if (!subject) return refuse(400, ['subject', 'id'], 'Select a person recorded on this incident')
        subjectId = subject.id
        ageBand = subject.age_band
      } else {
        const { count } = await trx
          .selectFrom('subjects')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .where('incident_id', '=', incident.id)
          .executeTakeFirstOrThrow()
        subjectId = await insertSubject(trx, {
          forceId: principal.forceId,
          incidentId: incident.id,
          label: `Person ${Number(count) + 1}`,
          details: submission.subject,
        })
        ageBand = submission.subject.ageBand
      }

      const id = randomUUID()
      const flags = reportFlags(submission, ageBand)
      const body = bodyOf(submission)
      const rows = toReportRows(
        body,
        {
          id,
          forceId: principal.forceId,
          incidentId: incident.id,
          subjectId,
          officerPersonId: principal.personId,
          officerUnitId: officer.unit_id,
          reporterUserId: principal.userId,
          occurredAt: incident.occurredAt,
          submittedAt: now,
          version: 1,
        },
        randomUUID,
      )
      await insertReportRows(trx, [rows])
      await insertVersions(trx, [
        {
          reportId: id,
          version: 1,
          kind: 'submitted',
          reason: null,
          authorUserId: principal.userId,
          createdAt: now,
          payload: {
            incident: { reference: incident.reference, ...submission.incident },
            subject: submission.subject,
            ...body,
          },
        },
      ])
      await appendAudit(
        trx,
        {
          forceId: principal.forceId,
          actor,
          action: 'report.submitted',
          entityType: 'report',
          entityId: id,
          details: { reference: incident.reference, version: 1, flags },
        },
        now,
      )
      if (options.draftId) {
        await trx
          .deleteFrom('report_drafts')
          .where('id', '=', options.draftId)
          .where('owner_user_id', '=', principal.userId)
          .execute()
      }
      const report: SubmittedReport = { id, reference: incident.reference, version: 1, flags }
      if (options.idempotencyKey) {
        const claimed = await trx
          .insertInto('idempotency_keys')
          .values({
            user_id: principal.userId,
            key: options.idempotencyKey,
            request_hash: hash,
            status_code: 201,
            response: JSON.stringify(report),
            created_at: now,
          })
          .onConflict((oc) => oc.doNothing())
          .returning('key')
          .executeTakeFirst()
        if (!claimed) throw new AlreadySubmitted()
      }
      return { ok: true, replayed: false, report }
    })
  } catch (error) {
    if (!(error instanceof AlreadySubmitted) || !options.idempotencyKey) throw error
    // A concurrent request with the same key committed first: everything here was rolled back; answer as it did.
    const stored = await storedResponse(db, principal.userId, options.idempotencyKey)
    if (!stored) throw error
    return replay(stored, hash)
  }
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
  amendment: { expectedVersion: number; reason: string; body: ReportBody },
): Promise<AmendOutcome> {
  const { db, clock } = deps
  const { principal, actor } = caller
  const current = await loadReport(db, principal.forceId, id)
  if (!current || !principal.personId || current.officerPersonId !== principal.personId) {
    return { ok: false, status: 404, errors: [{ path: [], message: 'Report not found' }] }
  }
  const issues = reportRules(amendment.body)
  if (issues.length) return { ok: false, status: 400, errors: issues }
  const before = versionPayload(current, current.body)
  const after = versionPayload(current, amendment.body)
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
export function versionPayload(report: StoredReport, body: ReportBody) {
  const { id: _incidentId, ...incident } = report.incident
  return { incident, subject: report.subject, ...body }
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
