import { sql } from 'kysely'
import type { Db } from '../../../db/database.js'
import { scopeCondition } from '../../../db/scope.js'
import type { ScopeFilter } from '../../auth/policy.js'
import type { DraftData } from './draft-data.js'

/** The draft deadline when a force has no settings row: 24 hours, the column's own default. */
const DEFAULT_DEADLINE_HOURS = 24

export interface Draft {
  id: string
  forceId: string
  ownerUserId: string
  /** The report an amendment's draft corrects; null for a new report. */
  reportId: string | null
  data: DraftData
  createdAt: Date
  updatedAt: Date
}

export interface Owner {
  userId: string
  forceId: string
}

const draftColumns = ['id', 'force_id', 'owner_user_id', 'report_id', 'data', 'created_at', 'updated_at'] as const

function toDraft(row: {
  id: string
  force_id: string
  owner_user_id: string
  report_id: string | null
  data: Record<string, unknown>
  created_at: Date
  updated_at: Date
}): Draft {
  return {
    id: row.id,
    forceId: row.force_id,
    ownerUserId: row.owner_user_id,
    reportId: row.report_id,
    data: row.data,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

export async function insertDraft(
  db: Db,
  owner: Owner,
  values: { reportId: string | null; data: DraftData; now: Date },
): Promise<string> {
  const row = await db
    .insertInto('report_drafts')
    .values({
      force_id: owner.forceId,
      owner_user_id: owner.userId,
      report_id: values.reportId,
      data: JSON.stringify(values.data),
      created_at: values.now,
      updated_at: values.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** A draft, only for its owner: anyone else's id finds nothing, the same as an id that does not exist. */
export async function findOwnDraft(db: Db, owner: Owner, id: string): Promise<Draft | undefined> {
  const row = await db
    .selectFrom('report_drafts')
    .select(draftColumns)
    .where('id', '=', id)
    .where('owner_user_id', '=', owner.userId)
    .where('force_id', '=', owner.forceId)
    .executeTakeFirst()
  return row && toDraft(row)
}

export async function updateDraftData(db: Db, owner: Owner, id: string, data: DraftData, now: Date): Promise<void> {
  await db
    .updateTable('report_drafts')
    .set({ data: JSON.stringify(data), updated_at: now })
    .where('id', '=', id)
    .where('owner_user_id', '=', owner.userId)
    .execute()
}

export async function deleteOwnDraft(db: Db, owner: Owner, id: string): Promise<void> {
  await db.deleteFrom('report_drafts').where('id', '=', id).where('owner_user_id', '=', owner.userId).execute()
}

export interface DraftListItem {
  id: string
  reportId: string | null
  /** The incident reference of the report an amendment corrects. */
  reference: string | null
  createdAt: Date
  updatedAt: Date
}

/** The owner's drafts, oldest first: the one most likely to be overdue leads. */
export async function listOwnDrafts(db: Db, owner: Owner): Promise<DraftListItem[]> {
  const rows = await db
    .selectFrom('report_drafts as d')
    .leftJoin('reports as r', 'r.id', 'd.report_id')
    .leftJoin('incidents as i', 'i.id', 'r.incident_id')
    .select(['d.id', 'd.report_id', 'i.reference', 'd.created_at', 'd.updated_at'])
    .where('d.owner_user_id', '=', owner.userId)
    .where('d.force_id', '=', owner.forceId)
    .orderBy('d.created_at')
    .orderBy('d.id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    reportId: r.report_id,
    reference: r.reference,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }))
}

/** The owner's unfinished amendment of a report, so a second "Amend" continues it rather than starting another. */
export async function findAmendmentDraft(db: Db, owner: Owner, reportId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('report_drafts')
    .select('id')
    .where('owner_user_id', '=', owner.userId)
    .where('report_id', '=', reportId)
    .orderBy('created_at')
    .executeTakeFirst()
  return row?.id
}

export async function draftDeadlineHours(db: Db, forceId: string): Promise<number> {
  const row = await db
    .selectFrom('force_settings')
    .select('draft_deadline_hours')
    .where('force_id', '=', forceId)
    .executeTakeFirst()
  return row?.draft_deadline_hours ?? DEFAULT_DEADLINE_HOURS
}

export interface OverdueDraftRow {
  id: string
  ownerUserId: string
  ownerName: string
  createdAt: Date
}

/**
 * Drafts of new reports started at or before `startedBy`, whose owners are within the scope: their own for an
 * officer, the team's for a supervisor. The owner's unit is their personnel record's, as for their reports.
 * Amendments are left out: the report they correct was submitted in time.
 */
export async function overdueDraftRows(db: Db, scope: ScopeFilter, startedBy: Date): Promise<OverdueDraftRow[]> {
  if (scope.kind === 'none') return []
  const query = db
    .selectFrom('report_drafts as d')
    .innerJoin('users as u', 'u.id', 'd.owner_user_id')
    .leftJoin('personnel as p', 'p.id', 'u.person_id')
    .select(['d.id', 'd.owner_user_id', 'u.display_name', 'd.created_at'])
    .where(
      scopeCondition(scope, { force: 'd.force_id', unit: sql`coalesce(p.unit_id, u.unit_id)`, person: 'u.person_id' }),
    )
    .where('d.report_id', 'is', null)
    .where('d.created_at', '<=', startedBy)
  const rows = await query.orderBy('d.created_at').orderBy('d.id').execute()
  return rows.map((r) => ({
    id: r.id,
    ownerUserId: r.owner_user_id,
    ownerName: r.display_name,
    createdAt: r.created_at,
  }))
}

/** The incident reference of a report. */
export async function reportReference(db: Db, reportId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('reports as r')
    .innerJoin('incidents as i', 'i.id', 'r.incident_id')
    .select('i.reference')
    .where('r.id', '=', reportId)
    .executeTakeFirst()
  return row?.reference
}

/** How many other officers' (or the same officer's other) reports are on an incident. */
export async function otherReportsOnIncident(db: Db, incidentId: string, reportId: string): Promise<number> {
  const row = await db
    .selectFrom('reports')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('incident_id', '=', incidentId)
    .where('id', '!=', reportId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** The report a draft became, found by the idempotency key its submission used. */
export async function reportSubmittedWithKey(db: Db, userId: string, key: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('idempotency_keys')
    .select('response')
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .executeTakeFirst()
  const id = (row?.response as { id?: unknown } | undefined)?.id
  return typeof id === 'string' ? id : undefined
}
