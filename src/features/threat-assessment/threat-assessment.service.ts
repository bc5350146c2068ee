import type { Transaction } from 'kysely'
import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import type { Database } from '../../db/schema.js'
import { londonDate, shiftMonth } from '../../domain/calendar.js'
import type { FieldError } from '../../web/render.js'
import { appendAudit, type Actor } from '../audit/ledger.js'
import { buildEvidencePack, lastDayOfMonth, type EvidencePack } from './evidence.js'

/**
 * The CED strategic threat and risk assessment, in versions. A version starts as a draft copied from the last one
 * (its decision and target numbers; the evidence is generated afresh), the Taser lead generates the evidence pack and
 * records the decision, and an approver (not its author) approves it. Once approved it never changes — refused here
 * and by a database trigger — except that the day the PCC and the community were told is recorded once each.
 */
export type Outcome<T = void> = { ok: true; value: T } | { ok: false; errors: FieldError[] }
export type Refusal = { ok: false; status: 404 | 409; message: string }

const fail = (field: string, text: string): { ok: false; errors: FieldError[] } => ({
  ok: false,
  errors: [{ field, text }],
})

interface Deps {
  db: Db
  clock: Clock
}

export interface Target {
  unitId: string
  name: string
  target: number | null
}

export interface Assessment {
  id: string
  forceId: string
  version: number
  status: 'draft' | 'approved'
  periodFrom: string
  periodTo: string
  evidence: EvidencePack | null
  evidenceGeneratedAt: Date | null
  decision: string
  targets: Target[]
  createdBy: string | null
  createdByUserId: string | null
  createdAt: Date
  approvedBy: string | null
  approvedAt: Date | null
  pccInformedOn: string | null
  communityInformedOn: string | null
}

function selectAssessments(db: Db | Transaction<Database>) {
  return db
    .selectFrom('threat_assessments as a')
    .leftJoin('users as c', 'c.id', 'a.created_by_user_id')
    .leftJoin('users as ap', 'ap.id', 'a.approved_by_user_id')
    .select([
      'a.id',
      'a.force_id',
      'a.version',
      'a.status',
      'a.period_from',
      'a.period_to',
      'a.evidence',
      'a.evidence_generated_at',
      'a.decision',
      'a.targets',
      'c.display_name as created_by',
      'a.created_by_user_id',
      'a.created_at',
      'ap.display_name as approved_by',
      'a.approved_at',
      'a.pcc_informed_on',
      'a.community_informed_on',
    ])
}

type Row = Awaited<ReturnType<ReturnType<typeof selectAssessments>['executeTakeFirstOrThrow']>>

function toAssessment(row: Row): Assessment {
  return {
    id: row.id,
    forceId: row.force_id,
    version: row.version,
    status: row.status,
    periodFrom: row.period_from,
    periodTo: row.period_to,
    evidence: (row.evidence as EvidencePack | null) ?? null,
    evidenceGeneratedAt: row.evidence_generated_at,
    decision: row.decision,
    targets: (row.targets as Target[]) ?? [],
    createdBy: row.created_by,
    createdByUserId: row.created_by_user_id,
    createdAt: row.created_at,
    approvedBy: row.approved_by,
    approvedAt: row.approved_at,
    pccInformedOn: row.pcc_informed_on,
    communityInformedOn: row.community_informed_on,
  }
}

export async function listAssessments(db: Db, forceId: string): Promise<Assessment[]> {
  const rows = await selectAssessments(db).where('a.force_id', '=', forceId).orderBy('a.version', 'desc').execute()
  return rows.map(toAssessment)
}

/** One assessment of the force, or null (another force's reads as missing). */
export async function findAssessment(db: Db, forceId: string, id: string): Promise<Assessment | null> {
  const row = await selectAssessments(db).where('a.id', '=', id).where('a.force_id', '=', forceId).executeTakeFirst()
  return row ? toAssessment(row) : null
}

/** The units a target can be set for: those directly under the force (basic command units and departments). */
export async function targetUnits(db: Db, forceId: string): Promise<{ unitId: string; name: string }[]> {
  const rows = await db
    .selectFrom('org_units as u')
    .innerJoin('org_units as parent', 'parent.id', 'u.parent_id')
    .where('u.force_id', '=', forceId)
    .where('parent.kind', '=', 'force')
    .where('u.closed_at', 'is', null)
    .select(['u.id', 'u.name'])
    .orderBy('u.name')
    .execute()
  return rows.map((r) => ({ unitId: r.id, name: r.name }))
}

/** A new draft version, copying the decision and targets of the latest. Refused while a draft exists. */
export async function startVersion(deps: Deps, actor: Actor, forceId: string): Promise<string | Refusal> {
  const { db, clock } = deps
  const now = clock()
  const lastMonth = shiftMonth(londonDate(now).slice(0, 7), -1)
  try {
    return await db.transaction().execute(async (trx) => {
      const latest = await trx
        .selectFrom('threat_assessments')
        .select(['version', 'decision', 'targets', 'status'])
        .where('force_id', '=', forceId)
        .orderBy('version', 'desc')
        .executeTakeFirst()
      if (latest?.status === 'draft') throw new DraftExists()
      const row = await trx
        .insertInto('threat_assessments')
        .values({
          force_id: forceId,
          version: (latest?.version ?? 0) + 1,
          status: 'draft',
          period_from: `${shiftMonth(lastMonth, -11)}-01`,
          period_to: lastDayOfMonth(lastMonth),
          decision: latest?.decision ?? '',
          targets: JSON.stringify(latest?.targets ?? []),
          created_by_user_id: actor.userId,
          created_at: now,
          updated_at: now,
        })
        .returning(['id', 'version'])
        .executeTakeFirstOrThrow()
      await appendAudit(
        trx,
        {
          forceId,
          actor,
          action: 'threat_assessment.started',
          entityType: 'threat_assessment',
          entityId: row.id,
          details: { version: row.version, from: latest ? latest.version : null },
          requestId: actor.requestId ?? null,
        },
        now,
      )
      return row.id
    })
  } catch (error) {
    // Two people starting at once: the one-draft index refuses the second, which reads like the check above.
    if (error instanceof DraftExists || isUniqueViolation(error))
      return { ok: false, status: 409, message: 'There is already a draft: finish it or approve it first' }
    throw error
  }
}

class DraftExists extends Error {}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === '23505'
}

/**
 * Runs a change on a draft of the force, refusing (404) another force's or a missing one and (409) an approved
 * one. The row is locked for the transaction, so an approval cannot slip in between the check and the change.
 */
async function onDraft<T>(
  deps: Deps,
  forceId: string,
  id: string,
  change: (trx: Transaction<Database>, draft: Assessment) => Promise<T>,
): Promise<T | Refusal> {
  return deps.db.transaction().execute(async (trx) => {
    const locked = await trx
      .selectFrom('threat_assessments')
      .select('id')
      .where('id', '=', id)
      .where('force_id', '=', forceId)
      .forUpdate()
      .executeTakeFirst()
    const row = locked ? await selectAssessments(trx).where('a.id', '=', id).executeTakeFirst() : undefined
    if (!row) return { ok: false, status: 404, message: 'Page not found' } as const
    if (row.status !== 'draft')
      return { ok: false, status: 409, message: `Version ${row.version} is approved and cannot be changed` } as const
    return change(trx, toAssessment(row))
  })
}

export interface DraftInput {
  from: string
  to: string
  decision: string
  targets: Target[]
}

export async function updateDraft(
  deps: Deps,
  actor: Actor,
  forceId: string,
  id: string,
  input: DraftInput,
): Promise<Outcome | Refusal> {
  if (input.from > input.to) return fail('from', 'The start of the period must be before its end')
  return onDraft(deps, forceId, id, async (trx, draft) => {
    const periodChanged = `${input.from}-01` !== draft.periodFrom || lastDayOfMonth(input.to) !== draft.periodTo
    const now = deps.clock()
    await trx
      .updateTable('threat_assessments')
      .set({
        period_from: `${input.from}-01`,
        period_to: lastDayOfMonth(input.to),
        decision: input.decision,
        targets: JSON.stringify(input.targets),
        updated_at: now,
        // Evidence for another period is not evidence for this one.
        ...(periodChanged ? { evidence: null, evidence_generated_at: null } : {}),
      })
      .where('id', '=', id)
      .execute()
    await appendAudit(
      trx,
      {
        forceId,
        actor,
        action: 'threat_assessment.updated',
        entityType: 'threat_assessment',
        entityId: id,
        details: {
          version: draft.version,
          from: input.from,
          to: input.to,
          decision: input.decision,
          targets: input.targets,
        },
        requestId: actor.requestId ?? null,
      },
      now,
    )
    return { ok: true, value: undefined } as const
  })
}

export async function generateEvidence(
  deps: Deps,
  actor: Actor,
  forceId: string,
  id: string,
): Promise<Outcome | Refusal> {
  return onDraft(deps, forceId, id, async (trx, draft) => {
    const now = deps.clock()
    // Read in the same transaction: on the embedded database it is the only connection.
    const evidence = await buildEvidencePack(
      trx,
      forceId,
      { from: draft.periodFrom.slice(0, 7), to: draft.periodTo.slice(0, 7) },
      londonDate(now),
    )
    await trx
      .updateTable('threat_assessments')
      .set({ evidence: JSON.stringify(evidence), evidence_generated_at: now, updated_at: now })
      .where('id', '=', id)
      .execute()
    await appendAudit(
      trx,
      {
        forceId,
        actor,
        action: 'threat_assessment.evidence_generated',
        entityType: 'threat_assessment',
        entityId: id,
        details: { version: draft.version, totals: evidence.totals, authorityAsAt: evidence.authorityAsAt },
        requestId: actor.requestId ?? null,
      },
      now,
    )
    return { ok: true, value: undefined } as const
  })
}

/** Approval: needs the evidence and a decision, and an approver who did not start the version. */
export async function approve(deps: Deps, actor: Actor, forceId: string, id: string): Promise<Outcome | Refusal> {
  return onDraft(deps, forceId, id, async (trx, draft) => {
    if (!draft.evidence) return fail('approve', 'Generate the evidence pack before approving')
    if (!draft.decision.trim()) return fail('approve', 'Record the decision before approving')
    if (draft.createdByUserId !== null && draft.createdByUserId === actor.userId)
      return fail('approve', 'Someone other than the person who started this version must approve it')
    const now = deps.clock()
    await trx
      .updateTable('threat_assessments')
      .set({ status: 'approved', approved_by_user_id: actor.userId, approved_at: now, updated_at: now })
      .where('id', '=', id)
      .execute()
    await appendAudit(
      trx,
      {
        forceId,
        actor,
        action: 'threat_assessment.approved',
        entityType: 'threat_assessment',
        entityId: id,
        details: { version: draft.version },
        requestId: actor.requestId ?? null,
      },
      now,
    )
    return { ok: true, value: undefined } as const
  })
}

/** Records the day the PCC, or the community, was told of an approved version: once each, never changed. */
export async function recordInformed(
  deps: Deps,
  actor: Actor,
  forceId: string,
  id: string,
  input: { pccInformedOn: string | null; communityInformedOn: string | null },
): Promise<Outcome | Refusal> {
  const { db, clock } = deps
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('threat_assessments')
      .select(['version', 'status', 'approved_at', 'pcc_informed_on', 'community_informed_on'])
      .where('id', '=', id)
      .where('force_id', '=', forceId)
      .forUpdate()
      .executeTakeFirst()
    if (!row) return { ok: false, status: 404, message: 'Page not found' } as const
    if (row.status !== 'approved' || !row.approved_at)
      return fail('pccInformedOn-day', 'Record who was told once the version is approved')
    const today = londonDate(clock())
    const approvedOn = londonDate(row.approved_at)
    const set: { pcc_informed_on?: string; community_informed_on?: string } = {}
    const checks = [
      ['pccInformedOn', input.pccInformedOn, row.pcc_informed_on, 'pcc_informed_on'],
      ['communityInformedOn', input.communityInformedOn, row.community_informed_on, 'community_informed_on'],
    ] as const
    for (const [field, value, existing, column] of checks) {
      if (value === null) continue
      if (existing !== null) return fail(`${field}-day`, 'That date is already recorded and cannot be changed')
      if (value < approvedOn || value > today)
        return fail(`${field}-day`, 'The date must be between the day of approval and today')
      set[column] = value
    }
    if (Object.keys(set).length === 0) return fail('pccInformedOn-day', 'Enter a date')
    await trx.updateTable('threat_assessments').set(set).where('id', '=', id).execute()
    await appendAudit(
      trx,
      {
        forceId,
        actor,
        action: 'threat_assessment.informed',
        entityType: 'threat_assessment',
        entityId: id,
        details: { version: row.version, ...set },
        requestId: actor.requestId ?? null,
      },
      clock(),
    )
    return { ok: true, value: undefined } as const
  })
}
