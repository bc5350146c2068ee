import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import type { Clock } from '../../clock.js'
import { chunks } from '../../db/batches.js'
import type { Db } from '../../db/database.js'
import { appendAudit, type Actor } from '../audit/ledger.js'
import { readComparatorCsv } from './csv-sources.js'
import type { AreaKind, Check, Measure, ParsedSource } from './figures.js'
import { readHomeOfficeWorkbook } from './ho-workbook.js'
import { UnreadableWorkbookError } from './ods.js'

/**
 * Importing national comparators. Any file the readers know (a Home Office workbook, the workforce CSV, the census
 * CSVs) goes in the same way: read and checked in memory, then stored with its name and sha-256 in one transaction
 * with its audit entry, or not at all. The same file a second time changes nothing. A file whose checks fail is
 * refused unless the caller accepts the mismatches (published tables are stored as published, never corrected); the
 * failed checks are then stored with it and shown wherever it is listed.
 */

interface Deps {
  db: Db
  clock: Clock
}

export type ImportResult =
  | { status: 'imported'; importId: string; source: ParsedSource }
  | { status: 'already-imported'; importId: string; fileName: string }

/** The file was read, but its figures do not add up; nothing was stored. */
export class ChecksFailedError extends Error {
  constructor(readonly failed: Check[]) {
    super(
      `${failed.length} check(s) failed, so nothing was imported:\n` +
        failed.map((c) => `- ${c.name}: expected ${c.expected}, found ${c.actual}`).join('\n'),
    )
  }
}

export function readComparatorFile(bytes: Uint8Array): ParsedSource {
  // A zip (an .ods workbook) starts "PK"; anything else must be a UTF-8 CSV.
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return readHomeOfficeWorkbook(bytes)
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new UnreadableWorkbookError('The file is neither an OpenDocument spreadsheet nor a UTF-8 CSV file.')
  }
  return readComparatorCsv(text)
}

export async function importComparatorFile(
  { db, clock }: Deps,
  actor: Actor,
  input: { fileName: string; bytes: Uint8Array; acceptMismatches?: boolean },
): Promise<ImportResult> {
  const sha256 = createHash('sha256').update(input.bytes).digest('hex')
  const existing = await findImport(db, sha256)
  if (existing) return existing
  const source = readComparatorFile(input.bytes)
  const failed = source.checks.filter((c) => !c.ok)
  if (failed.length > 0 && !input.acceptMismatches) throw new ChecksFailedError(failed)
  try {
    const importId = await db.transaction().execute(async (trx) => {
      const now = clock()
      const { id } = await trx
        .insertInto('comparator_imports')
        .values({
          file_name: input.fileName,
          sha256,
          source: source.source,
          title: source.title,
          published_on: source.publishedOn,
          checks: JSON.stringify(source.checks),
          notes: JSON.stringify(source.notes),
          figure_count: source.figures.length,
          imported_at: now,
          imported_by: actor.label,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      for (const batch of chunks(source.figures))
        await trx
          .insertInto('comparator_figures')
          .values(
            batch.map((f) => ({
              import_id: id,
              measure: f.measure,
              period_start: f.periodStart,
              period_end: f.periodEnd,
              area_kind: f.areaKind,
              area: f.area,
              category: f.category,
              value: f.value,
              revised: f.revised,
            })),
          )
          .execute()
      await appendAudit(
        trx,
        {
          forceId: null,
          actor,
          action: 'comparators.imported',
          entityType: 'comparator_import',
          entityId: id,
          details: {
            fileName: input.fileName,
            sha256,
            source: source.source,
            figures: source.figures.length,
            failedChecks: failed.map((c) => c.name),
          },
          requestId: actor.requestId ?? null,
        },
        now,
      )
      return id
    })
    return { status: 'imported', importId, source }
  } catch (error) {
    // The same file imported by someone else a moment ago: theirs stands.
    const raced = isUniqueViolation(error) ? await findImport(db, sha256) : undefined
    if (raced) return raced
    throw error
  }
}

async function findImport(db: Db, sha256: string): Promise<ImportResult | undefined> {
  const row = await db
    .selectFrom('comparator_imports')
    .select(['id', 'file_name'])
    .where('sha256', '=', sha256)
    .executeTakeFirst()
  return row && { status: 'already-imported', importId: row.id, fileName: row.file_name }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505'
}

export interface ImportSummary {
  id: string
  fileName: string
  sha256: string
  source: ParsedSource['source']
  title: string
  publishedOn: string | null
  importedAt: Date
  importedBy: string
  figureCount: number
  checks: Check[]
  notes: string[]
  /** The periods the import holds figures for, earliest first. */
  periods: { start: string; end: string }[]
}

export async function listImports(db: Db): Promise<ImportSummary[]> {
  const rows = await db
    .selectFrom('comparator_imports as i')
    .select((eb) => [
      'i.id',
      'i.file_name',
      'i.sha256',
      'i.source',
      'i.title',
      'i.published_on',
      'i.imported_at',
      'i.imported_by',
      'i.figure_count',
      'i.checks',
      'i.notes',
      eb
        .selectFrom('comparator_figures as f')
        .whereRef('f.import_id', '=', 'i.id')
        .select(
          sql<
            { start: string; end: string }[]
          >`coalesce(jsonb_agg(distinct jsonb_build_object('start', f.period_start, 'end', f.period_end)), '[]')`.as(
            'p',
          ),
        )
        .as('periods'),
    ])
    .orderBy('i.imported_at', 'desc')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    fileName: r.file_name,
    sha256: r.sha256,
    source: r.source,
    title: r.title,
    publishedOn: r.published_on,
    importedAt: r.imported_at,
    importedBy: r.imported_by,
    figureCount: r.figure_count,
    checks: r.checks,
    notes: r.notes,
    periods: [...(r.periods ?? [])].sort((a, b) => a.start.localeCompare(b.start) || a.end.localeCompare(b.end)),
  }))
}

export interface ComparatorFigure {
  areaKind: AreaKind
  area: string
  category: string
  value: number | null
  revised: boolean
  /** Which file the figure comes from, so a page can say which edition it shows. */
  importId: string
  publishedOn: string | null
}

/**
 * The figures for one measure and period, from the most recently published edition that has each one (so the
 * revised 2017/18 CED figures of the YE March 2019 workbook win over the first-published ones). For the dashboards
 * and disproportionality pages: rates per 1,000 population or per 100 officers beside England and Wales.
 */
export async function comparatorFigures(
  db: Db,
  query: { measure: Measure; periodStart: string; periodEnd: string },
): Promise<ComparatorFigure[]> {
  const rows = await db
    .selectFrom('comparator_figures as f')
    .innerJoin('comparator_imports as i', 'i.id', 'f.import_id')
    .distinctOn(['f.area_kind', 'f.area', 'f.category'])
    .select(['f.area_kind', 'f.area', 'f.category', 'f.value', 'f.revised', 'f.import_id', 'i.published_on'])
    .where('f.measure', '=', query.measure)
    .where('f.period_start', '=', query.periodStart)
    .where('f.period_end', '=', query.periodEnd)
    .orderBy('f.area_kind')
    .orderBy('f.area')
    .orderBy('f.category')
    .orderBy(sql`i.published_on desc nulls last`)
    .orderBy('i.imported_at', 'desc')
    .execute()
  return rows.map((r) => ({
    areaKind: r.area_kind,
    area: r.area,
    category: r.category,
    value: r.value,
    revised: r.revised,
    importId: r.import_id,
    publishedOn: r.published_on,
  }))
}

/**
 * The periods a measure has figures for, latest first (each as 'YYYY-MM-DD' dates), optionally only those ending on
 * or before a date. For a page that shows "the latest published year" of a comparator and says which year it is.
 */
export async function comparatorPeriods(
  db: Db,
  measure: Measure,
  endingOnOrBefore?: string,
): Promise<{ periodStart: string; periodEnd: string }[]> {
  let query = db
    .selectFrom('comparator_figures')
    .select(['period_start', 'period_end'])
    .distinct()
    .where('measure', '=', measure)
  if (endingOnOrBefore) query = query.where('period_end', '<=', endingOnOrBefore)
  const rows = await query.orderBy('period_end', 'desc').orderBy('period_start', 'desc').execute()
  return rows.map((r) => ({ periodStart: r.period_start, periodEnd: r.period_end }))
}
