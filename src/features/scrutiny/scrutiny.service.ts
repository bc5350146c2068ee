import { randomBytes } from 'node:crypto'
import type { Transaction } from 'kysely'
import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import type { Database } from '../../db/schema.js'
import type { Finding, Theme } from '../../domain/scrutiny/findings.js'
import type { FreeTextField } from '../../domain/scrutiny/free-text.js'
import { byKey, drawSample, SAMPLING_ALGORITHM, type StratumRequest } from '../../domain/scrutiny/sampling.js'
import { appendAudit, type Actor } from '../audit/ledger.js'
import { candidatesFor, eligibleMembers, isMember, panelNameTaken } from './scrutiny.repository.js'

interface Deps {
  db: Db
  clock: Clock
}

type Outcome<T = undefined> = { ok: true; value: T } | { ok: false; field: string; message: string }

const audit = (actor: Actor, forceId: string, action: string, entityType: string, entityId: string, details = {}) => ({
  forceId,
  actor,
  action,
  entityType,
  entityId,
  details,
  requestId: actor.requestId ?? null,
})

export async function createPanel(
  { db, clock }: Deps,
  actor: Actor,
  forceId: string,
  name: string,
): Promise<Outcome<string>> {
  if (await panelNameTaken(db, forceId, name))
    return { ok: false, field: 'name', message: 'There is already a panel with that name' }
  const id = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('scrutiny_panels')
      .values({ force_id: forceId, name })
      .returning('id')
      .executeTakeFirstOrThrow()
    await appendAudit(trx, audit(actor, forceId, 'scrutiny_panel.created', 'scrutiny_panel', row.id, { name }), clock())
    return row.id
  })
  return { ok: true, value: id }
}

export async function addMember(
  { db, clock }: Deps,
  actor: Actor,
  forceId: string,
  panelId: string,
  userId: string,
): Promise<Outcome> {
  const eligible = await eligibleMembers(db, forceId)
  if (!eligible.some((u) => u.id === userId))
    return { ok: false, field: 'member', message: 'Select a scrutiny panel member from the list' }
  if (await isMember(db, panelId, userId))
    return { ok: false, field: 'member', message: 'That person is already a member of this panel' }
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('scrutiny_panel_members')
      .values({ panel_id: panelId, user_id: userId, added_at: clock() })
      .execute()
    await appendAudit(
      trx,
      audit(actor, forceId, 'scrutiny_panel.member_added', 'scrutiny_panel', panelId, { userId }),
      clock(),
    )
  })
  return { ok: true, value: undefined }
}

export async function removeMember(
  { db, clock }: Deps,
  actor: Actor,
  forceId: string,
  panelId: string,
  userId: string,
) {
  await db.transaction().execute(async (trx) => {
    const removed = await trx
      .deleteFrom('scrutiny_panel_members')
      .where('panel_id', '=', panelId)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    if (Number(removed.numDeletedRows) === 0) return
    await appendAudit(
      trx,
      audit(actor, forceId, 'scrutiny_panel.member_removed', 'scrutiny_panel', panelId, { userId }),
      clock(),
    )
  })
}

export interface DrawRequest {
  panelId: string
  periodFrom: string
  periodTo: string
  meetingOn: string | null
  seed: string | null
  strata: StratumRequest[]
}

/**
 * Draws a sample for a panel and keeps everything needed to draw it again: the seed (random unless given), the
 * strata and sizes, and the candidate list, read in the same transaction. Case numbers run 1, 2, 3… in the order
 * drawn, so they say nothing about the reports (neither their dates nor their ids). Returns null when no report of
 * the period falls in the strata chosen.
 */
export async function recordSample(
  trx: Transaction<Database>,
  actor: Actor,
  forceId: string,
  request: DrawRequest,
  now: Date,
): Promise<string | null> {
  const seed = request.seed ?? randomBytes(16).toString('hex')
  const chosen = new Set(request.strata.map((s) => s.stratum))
  const candidates = await candidatesFor(trx, forceId, { from: request.periodFrom, to: request.periodTo }, chosen)
  const result = drawSample(seed, request.strata, candidates)
  if (result.drawn.length === 0) return null
  const sample = await trx
    .insertInto('scrutiny_samples')
    .values({
      force_id: forceId,
      panel_id: request.panelId,
      period_from: request.periodFrom,
      period_to: request.periodTo,
      meeting_on: request.meetingOn,
      seed,
      algorithm: SAMPLING_ALGORITHM,
      strata: JSON.stringify(result.strata),
      candidates: JSON.stringify([...candidates].sort((a, b) => byKey(a.key, b.key)).map((c) => [c.key, c.stratum])),
      fingerprint: result.fingerprint,
      drawn_by_user_id: actor.userId,
      drawn_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await trx
    .insertInto('scrutiny_cases')
    .values(
      result.drawn.map((d, i) => ({
        sample_id: sample.id,
        case_number: i + 1,
        report_id: d.key,
        stratum: d.stratum,
        position: d.position,
      })),
    )
    .execute()
  await appendAudit(
    trx,
    audit(actor, forceId, 'scrutiny_sample.drawn', 'scrutiny_sample', sample.id, {
      panelId: request.panelId,
      period: [request.periodFrom, request.periodTo],
      seed,
      algorithm: SAMPLING_ALGORITHM,
      strata: result.strata,
      fingerprint: result.fingerprint,
      cases: result.drawn.length,
    }),
    now,
  )
  return sample.id
}

export async function drawPanelSample(
  { db, clock }: Deps,
  actor: Actor,
  forceId: string,
  request: DrawRequest,
): Promise<Outcome<string>> {
  const id = await db.transaction().execute((trx) => recordSample(trx, actor, forceId, request, clock()))
  if (id === null)
    return { ok: false, field: 'periodFrom', message: 'No reports in that period fall in the strata chosen' }
  return { ok: true, value: id }
}

/**
 * Releases (or withholds again) each free-text field of a case, with an optional redacted version. Only what
 * changed is written and audited; the audit entry records who decided, never the text itself.
 */
export async function setReleases(
  { db, clock }: Deps,
  actor: Actor,
  forceId: string,
  caseId: string,
  decisions: ReleaseDecision[],
) {
  await db.transaction().execute((trx) => writeReleases(trx, actor, forceId, caseId, decisions, clock()))
}

export interface ReleaseDecision {
  field: FreeTextField
  release: boolean
  redactedText: string | null
}

export async function writeReleases(
  trx: Transaction<Database>,
  actor: Actor,
  forceId: string,
  caseId: string,
  decisions: ReleaseDecision[],
  now: Date,
) {
  const current = new Map(
    (
      await trx
        .selectFrom('scrutiny_releases')
        .where('case_id', '=', caseId)
        .select(['field', 'redacted_text'])
        .forUpdate()
        .execute()
    ).map((r) => [r.field, r.redacted_text]),
  )
  for (const d of decisions) {
    const was = current.has(d.field)
    if (!d.release) {
      if (!was) continue
      await trx.deleteFrom('scrutiny_releases').where('case_id', '=', caseId).where('field', '=', d.field).execute()
      await appendAudit(
        trx,
        audit(actor, forceId, 'scrutiny_case.text_withheld', 'scrutiny_case', caseId, { field: d.field }),
        now,
      )
      continue
    }
    if (was && current.get(d.field) === d.redactedText) continue
    await trx
      .insertInto('scrutiny_releases')
      .values({
        case_id: caseId,
        field: d.field,
        redacted_text: d.redactedText,
        released_by_user_id: actor.userId,
        released_at: now,
      })
      .onConflict((oc) =>
        oc.columns(['case_id', 'field']).doUpdateSet({
          redacted_text: d.redactedText,
          released_by_user_id: actor.userId,
          released_at: now,
        }),
      )
      .execute()
    await appendAudit(
      trx,
      audit(actor, forceId, 'scrutiny_case.text_released', 'scrutiny_case', caseId, {
        field: d.field,
        redacted: d.redactedText !== null,
      }),
      now,
    )
  }
}

export interface FindingInput {
  finding: Finding
  themes: Theme[]
  comments: string
  feedback: string
}

/** Records the panel's finding on a case, or revises it; every version is in the audit ledger. */
export async function recordFinding(
  { db, clock }: Deps,
  actor: Actor,
  forceId: string,
  caseId: string,
  input: FindingInput,
) {
  await db.transaction().execute((trx) => writeFinding(trx, actor, forceId, caseId, input, clock()))
}

export async function writeFinding(
  trx: Transaction<Database>,
  actor: Actor,
  forceId: string,
  caseId: string,
  input: FindingInput,
  now: Date,
) {
  const values = {
    finding: input.finding,
    themes: input.themes,
    comments: input.comments,
    feedback: input.feedback,
    recorded_by_user_id: actor.userId,
    recorded_at: now,
  }
  await trx
    .insertInto('scrutiny_findings')
    .values({ case_id: caseId, ...values })
    .onConflict((oc) => oc.column('case_id').doUpdateSet(values))
    .execute()
  await appendAudit(
    trx,
    audit(actor, forceId, 'scrutiny_case.finding_recorded', 'scrutiny_case', caseId, { ...input }),
    now,
  )
}
