import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import type { CellChange, PublishedTable } from '../../db/schema/transparency.js'
import { methodStatement, type DisclosureMethod } from '../../domain/disclosure/disclosure.js'
import { protectStatTable } from '../../domain/disclosure/stat-table.js'
import type { Period } from '../../domain/statistics/period.js'
import type { StatTable } from '../../domain/statistics/stat-table.js'
import type { FieldError } from '../../web/render.js'
import { appendAudit, type Actor } from '../audit/ledger.js'
import { tableChanges } from './changes.js'
import { DOWNLOADS, renderDownloads, type DownloadName } from './downloads.js'
import { openDataCsv } from './open-data.js'

/**
 * Quarterly transparency publications. An analyst prepares a quarter (the tables are counted, disclosure control is
 * applied and the record-level open data is written: a draft), previews it beside the version before, and publishes
 * it: the draft becomes a numbered version that never changes, with its downloads written once. A later correction
 * of the same quarter is a new version with a note, and the cells that changed are listed for the reader.
 *
 * Nothing public is ever counted on request: the public pages read the frozen versions and their files.
 */

/** Where the tables come from: the Home Office table set of the force for the period (the counting engine). */
export type TableSource = (db: Db, query: { forceId: string; period: Period }) => Promise<StatTable[]>

export interface TransparencyDeps {
  db: Db
  clock: Clock
  tables: TableSource
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] }

export interface Draft {
  publicationId: string
  period: Period
  method: DisclosureMethod
  tables: PublishedTable[]
  dataAsAt: Date
  preparedAt: Date
  preparedBy: string | null
  /** The version it would become, and what would change from the latest published one. */
  nextVersion: number
  changes: CellChange[]
  openDataRows: number
}

export interface VersionSummary {
  version: number
  publishedAt: Date
  dataAsAt: Date
  revisionNote: string | null
  changeCount: number
}

export interface PublicationSummary {
  id: string
  forceName: string
  period: Period
  versions: VersionSummary[]
}

export interface PublishedVersion {
  publicationId: string
  forceName: string
  period: Period
  version: number
  latestVersion: number
  method: DisclosureMethod
  methodStatement: string
  tables: PublishedTable[]
  dataAsAt: Date
  publishedAt: Date
  revisionNote: string | null
  changes: CellChange[]
  files: { name: DownloadName; size: number; sha256: string }[]
  versions: VersionSummary[]
}

/**
 * Counts the quarter, protects every table, writes every download and stores the draft (replacing an earlier draft of
 * the quarter). Run as a job (preparation-jobs.ts), never in a request. Disclosure control is work for the processor
 * alone, so it gives way between tables and the server keeps answering requests meanwhile.
 */
export async function prepare(
  deps: TransparencyDeps,
  actor: Actor,
  forceId: string,
  period: Period,
  method: DisclosureMethod,
): Promise<string> {
  const { db, clock } = deps
  const dataAsAt = clock()
  const [tables, openData] = await Promise.all([deps.tables(db, { forceId, period }), openDataCsv(db, forceId, period)])
  const published: PublishedTable[] = []
  for (const table of tables) {
    published.push(protectStatTable(table, method))
    await new Promise((resolve) => setImmediate(resolve))
  }
  const files = await renderDownloads(published, openData)
  return db.transaction().execute(async (trx) => {
    const now = clock()
    await trx
      .insertInto('publications')
      .values({ force_id: forceId, period_from: period.from, period_to: period.to, created_at: now })
      .onConflict((oc) => oc.columns(['force_id', 'period_from', 'period_to']).doNothing())
      .execute()
    const { id } = await trx
      .selectFrom('publications')
      .select('id')
      .where('force_id', '=', forceId)
      .where('period_from', '=', period.from)
      .where('period_to', '=', period.to)
      .executeTakeFirstOrThrow()
    const draft = {
      method: JSON.stringify(method),
      tables: JSON.stringify(published),
      open_data_csv: openData,
      data_as_at: dataAsAt,
      prepared_by_user_id: actor.userId,
      prepared_at: now,
    }
    await trx
      .insertInto('publication_drafts')
      .values({ publication_id: id, ...draft })
      .onConflict((oc) => oc.column('publication_id').doUpdateSet(draft))
      .execute()
    await trx.deleteFrom('publication_draft_files').where('publication_id', '=', id).execute()
    await trx
      .insertInto('publication_draft_files')
      .values(
        files.map((f) => ({
          publication_id: id,
          name: f.name,
          media_type: f.mediaType,
          bytes: f.bytes,
          sha256: f.sha256,
        })),
      )
      .execute()
    await appendAudit(
      trx,
      {
        forceId,
        actor,
        action: 'publication.prepared',
        entityType: 'publication',
        entityId: id,
        details: { period, method, tables: published.length, dataAsAt: dataAsAt.toISOString() },
        requestId: actor.requestId ?? null,
      },
      now,
    )
    return id
  })
}

export async function findDraft(db: Db, forceId: string, publicationId: string): Promise<Draft | undefined> {
  const row = await db
    .selectFrom('publication_drafts as d')
    .innerJoin('publications as p', 'p.id', 'd.publication_id')
    .leftJoin('users as u', 'u.id', 'd.prepared_by_user_id')
    .select([
      'p.id',
      'p.period_from',
      'p.period_to',
      'd.method',
      'd.tables',
      'd.data_as_at',
      'd.prepared_at',
      'u.username',
      'd.open_data_csv',
    ])
    .where('p.id', '=', publicationId)
    .where('p.force_id', '=', forceId)
    .executeTakeFirst()
  if (!row) return undefined
  const latest = await latestVersion(db, publicationId)
  return {
    publicationId: row.id,
    period: { from: row.period_from, to: row.period_to },
    method: row.method,
    tables: row.tables,
    dataAsAt: row.data_as_at,
    preparedAt: row.prepared_at,
    preparedBy: row.username,
    nextVersion: (latest?.version ?? 0) + 1,
    changes: latest ? tableChanges(latest.tables, row.tables) : [],
    // The header line and the line end after the last row.
    openDataRows: row.open_data_csv.split('\r\n').length - 2,
  }
}

async function latestVersion(db: Pick<Db, 'selectFrom'>, publicationId: string) {
  return db
    .selectFrom('publication_versions')
    .select(['version', 'tables'])
    .where('publication_id', '=', publicationId)
    .orderBy('version', 'desc')
    .executeTakeFirst()
}

/**
 * Publishes the draft as the next version, exactly as previewed. A first version has no note; a revision must say
 * what changed and why. The publication row is locked, so two people publishing at once make versions one after
 * the other, each compared with the one before it.
 */
export async function publish(
  deps: TransparencyDeps,
  actor: Actor,
  forceId: string,
  publicationId: string,
  note: string,
): Promise<Outcome<number> | undefined> {
  const { db, clock } = deps
  return db.transaction().execute(async (trx) => {
    const publication = await trx
      .selectFrom('publications')
      .select('id')
      .where('id', '=', publicationId)
      .where('force_id', '=', forceId)
      .forUpdate()
      .executeTakeFirst()
    if (!publication) return undefined
    const draft = await trx
      .selectFrom('publication_drafts')
      .selectAll()
      .where('publication_id', '=', publicationId)
      .executeTakeFirst()
    if (!draft) return undefined
    const latest = await latestVersion(trx, publicationId)
    const revisionNote = note.trim()
    if (latest && revisionNote === '')
      return fail('revisionNote', 'Say what changed since the last version and why, for the public page')
    if (revisionNote.length > 2000) return fail('revisionNote', 'The note must be 2,000 characters or fewer')
    const version = (latest?.version ?? 0) + 1
    const changes = latest ? tableChanges(latest.tables, draft.tables) : []
    const now = clock()
    await trx
      .insertInto('publication_versions')
      .values({
        publication_id: publicationId,
        version,
        method: JSON.stringify(draft.method),
        method_statement: methodStatement(draft.method),
        tables: JSON.stringify(draft.tables),
        data_as_at: draft.data_as_at,
        published_by_user_id: actor.userId,
        published_at: now,
        revision_note: latest ? revisionNote : null,
        changes: JSON.stringify(changes),
      })
      .execute()
    // The files written when the draft was prepared: publishing writes none, so it is quick.
    const files = await trx
      .selectFrom('publication_draft_files')
      .select(['name', 'media_type', 'bytes', 'sha256'])
      .where('publication_id', '=', publicationId)
      .execute()
    await trx
      .insertInto('publication_files')
      .values(files.map((f) => ({ ...f, publication_id: publicationId, version })))
      .execute()
    await trx.deleteFrom('publication_drafts').where('publication_id', '=', publicationId).execute()
    await appendAudit(
      trx,
      {
        forceId,
        actor,
        action: 'publication.published',
        entityType: 'publication',
        entityId: publicationId,
        details: {
          version,
          changes: changes.length,
          files: Object.fromEntries(files.map((f) => [f.name, f.sha256])),
        },
        requestId: actor.requestId ?? null,
      },
      now,
    )
    return { ok: true as const, value: version }
  })
}

function fail(field: string, text: string): { ok: false; errors: FieldError[] } {
  return { ok: false, errors: [{ field, text }] }
}

/** Every publication with its versions, newest quarter first: of one force, or (forceId null) of every force. */
export async function listPublications(db: Db, forceId: string | null): Promise<PublicationSummary[]> {
  let query = db
    .selectFrom('publications as p')
    .innerJoin('forces as f', 'f.id', 'p.force_id')
    .innerJoin('publication_versions as v', 'v.publication_id', 'p.id')
    .select([
      'p.id',
      'f.name as force_name',
      'p.period_from',
      'p.period_to',
      'v.version',
      'v.published_at',
      'v.data_as_at',
      'v.revision_note',
      (eb) => eb.fn<number>('jsonb_array_length', [eb.ref('v.changes')]).as('change_count'),
    ])
    .orderBy('p.period_from', 'desc')
    .orderBy('f.name')
    .orderBy('v.version', 'desc')
  if (forceId) query = query.where('p.force_id', '=', forceId)
  const rows = await query.execute()
  const byId = new Map<string, PublicationSummary>()
  for (const row of rows) {
    const summary = byId.get(row.id) ?? {
      id: row.id,
      forceName: row.force_name,
      period: { from: row.period_from, to: row.period_to },
      versions: [],
    }
    summary.versions.push({
      version: row.version,
      publishedAt: row.published_at,
      dataAsAt: row.data_as_at,
      revisionNote: row.revision_note,
      changeCount: Number(row.change_count),
    })
    byId.set(row.id, summary)
  }
  return [...byId.values()]
}

/** Drafts waiting to be published, for the analyst's page. */
export async function listDrafts(
  db: Db,
  forceId: string,
): Promise<{ publicationId: string; period: Period; preparedAt: Date }[]> {
  const rows = await db
    .selectFrom('publication_drafts as d')
    .innerJoin('publications as p', 'p.id', 'd.publication_id')
    .select(['p.id', 'p.period_from', 'p.period_to', 'd.prepared_at'])
    .where('p.force_id', '=', forceId)
    .orderBy('p.period_from', 'desc')
    .execute()
  return rows.map((r) => ({
    publicationId: r.id,
    period: { from: r.period_from, to: r.period_to },
    preparedAt: r.prepared_at,
  }))
}

/** One published version, for the public page; `version` null for the latest. */
export async function findVersion(
  db: Db,
  publicationId: string,
  version: number | null,
): Promise<PublishedVersion | undefined> {
  let query = db
    .selectFrom('publication_versions as v')
    .innerJoin('publications as p', 'p.id', 'v.publication_id')
    .innerJoin('forces as f', 'f.id', 'p.force_id')
    .select([
      'p.id',
      'f.name as force_name',
      'p.period_from',
      'p.period_to',
      'v.version',
      'v.method',
      'v.method_statement',
      'v.tables',
      'v.data_as_at',
      'v.published_at',
      'v.revision_note',
      'v.changes',
    ])
    .where('p.id', '=', publicationId)
    .orderBy('v.version', 'desc')
  if (version !== null) query = query.where('v.version', '=', version)
  const row = await query.executeTakeFirst()
  if (!row) return undefined
  const [files, publications] = await Promise.all([
    db
      .selectFrom('publication_files')
      .select(['name', 'sha256', (eb) => eb.fn<number>('octet_length', [eb.ref('bytes')]).as('size')])
      .where('publication_id', '=', publicationId)
      .where('version', '=', row.version)
      .execute(),
    listVersions(db, publicationId),
  ])
  return {
    publicationId: row.id,
    forceName: row.force_name,
    period: { from: row.period_from, to: row.period_to },
    version: row.version,
    latestVersion: publications[0]?.version ?? row.version,
    method: row.method,
    methodStatement: row.method_statement,
    tables: row.tables,
    dataAsAt: row.data_as_at,
    publishedAt: row.published_at,
    revisionNote: row.revision_note,
    changes: row.changes,
    files: DOWNLOADS.flatMap(({ name }) => {
      const file = files.find((f) => f.name === name)
      return file ? [{ name, size: Number(file.size), sha256: file.sha256 }] : []
    }),
    versions: publications,
  }
}

async function listVersions(db: Db, publicationId: string): Promise<VersionSummary[]> {
  const rows = await db
    .selectFrom('publication_versions')
    .select([
      'version',
      'published_at',
      'data_as_at',
      'revision_note',
      (eb) => eb.fn<number>('jsonb_array_length', [eb.ref('changes')]).as('change_count'),
    ])
    .where('publication_id', '=', publicationId)
    .orderBy('version', 'desc')
    .execute()
  return rows.map((r) => ({
    version: r.version,
    publishedAt: r.published_at,
    dataAsAt: r.data_as_at,
    revisionNote: r.revision_note,
    changeCount: Number(r.change_count),
  }))
}

/** A download of a published version, as written when it was published, with what its file name needs. */
export async function findFile(db: Db, publicationId: string, version: number, name: string) {
  return db
    .selectFrom('publication_files as f')
    .innerJoin('publications as p', 'p.id', 'f.publication_id')
    .innerJoin('forces as fo', 'fo.id', 'p.force_id')
    .select(['f.media_type', 'f.bytes', 'f.sha256', 'fo.name as force_name', 'p.period_from', 'p.period_to'])
    .where('f.publication_id', '=', publicationId)
    .where('f.version', '=', version)
    .where('f.name', '=', name)
    .executeTakeFirst()
}
