import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import { appendAudit, type Actor } from '../audit/ledger.js'
import { MONTH } from '../../domain/calendar.js'

/**
 * The control room's immediate and prompt incidents per month, imported from CSV (format in
 * docs/incident-counts-import.md). The file is checked whole first: any bad line and nothing is written. A month
 * already imported is replaced by the new figures, and the audit entry keeps the old ones, because a control room
 * revises its counts as late incidents are closed.
 */
export const INCIDENT_COUNT_COLUMNS = ['month', 'immediate', 'prompt'] as const

export interface IncidentCount {
  month: string
  immediate: number
  prompt: number
}

export interface LineError {
  /** 1-based line of the file; 0 for the file as a whole. */
  line: number
  message: string
}

export type ParseResult = { ok: true; rows: IncidentCount[] } | { ok: false; errors: LineError[] }

/** Most line errors reported at once: enough to fix a file, not a page of thousands. */
const MAX_ERRORS = 50
const MAX_ROWS = 1200
const MAX_COUNT = 10_000_000

/**
 * One CSV line into fields (RFC 4180 quoting within a line: "a, b" and doubled "" quotes). A quote left open means
 * the line is malformed: counts never span lines.
 */
function fields(line: string): string[] | null {
  const out: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      out.push(field)
      field = ''
    } else field += c
  }
  if (quoted) return null
  out.push(field)
  return out.map((f) => f.trim())
}

function count(value: string, name: string, errors: string[]): number {
  if (value === '') errors.push(`Enter the number of ${name} incidents`)
  else if (!/^\d+$/.test(value)) errors.push(`The number of ${name} incidents must be a whole number, like 2150`)
  else if (Number(value) > MAX_COUNT) errors.push(`The number of ${name} incidents must be 10,000,000 or fewer`)
  return Number(value)
}

/** Parses and checks a whole file. `thisMonth` ('YYYY-MM') is the latest month that may be counted. */
export function parseIncidentCounts(text: string, thisMonth: string): ParseResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  while (lines.length && lines[lines.length - 1]?.trim() === '') lines.pop()
  const header = fields(lines[0] ?? '')?.map((h) => h.toLowerCase())
  if (!header || header.every((h) => h === ''))
    return { ok: false, errors: [{ line: 0, message: 'The file is empty' }] }
  const missing = INCIDENT_COUNT_COLUMNS.filter((c) => !header.includes(c))
  const unknown = header.filter((h) => !(INCIDENT_COUNT_COLUMNS as readonly string[]).includes(h))
  if (missing.length || unknown.length || header.length !== INCIDENT_COUNT_COLUMNS.length) {
    const problems = [
      missing.length ? `no ${missing.join(', ')} column` : '',
      unknown.length ? `unknown column ${unknown.map((u) => `'${u}'`).join(', ')}` : '',
    ].filter(Boolean)
    return {
      ok: false,
      errors: [
        {
          line: 1,
          message: `The first line must name the columns month, immediate and prompt (${problems.join('; ') || 'a column is repeated'})`,
        },
      ],
    }
  }
  const at = (row: string[], column: (typeof INCIDENT_COUNT_COLUMNS)[number]) => row[header.indexOf(column)] ?? ''
  const errors: LineError[] = []
  const rows: IncidentCount[] = []
  const seen = new Map<string, number>()
  if (lines.length - 1 > MAX_ROWS)
    return { ok: false, errors: [{ line: 0, message: 'The file has more than 1,200 months' }] }
  for (let i = 1; i < lines.length && errors.length < MAX_ERRORS; i++) {
    const lineNumber = i + 1
    const raw = lines[i] ?? ''
    if (raw.trim() === '') {
      errors.push({ line: lineNumber, message: 'The line is empty' })
      continue
    }
    const row = fields(raw)
    if (!row) {
      errors.push({ line: lineNumber, message: 'A quote is not closed' })
      continue
    }
    if (row.length !== header.length) {
      errors.push({ line: lineNumber, message: `The line has ${row.length} values, not ${header.length}` })
      continue
    }
    const problems: string[] = []
    const month = at(row, 'month')
    if (!MONTH.test(month)) problems.push('The month must be a year and month, like 2026-03')
    else if (month > thisMonth) problems.push(`The month ${month} has not started yet`)
    else if (seen.has(month)) problems.push(`The month ${month} is already on line ${seen.get(month)}`)
    const immediate = count(at(row, 'immediate'), 'immediate', problems)
    const prompt = count(at(row, 'prompt'), 'prompt', problems)
    for (const message of problems) errors.push({ line: lineNumber, message })
    if (problems.length === 0) {
      seen.set(month, lineNumber)
      rows.push({ month, immediate, prompt })
    }
  }
  if (errors.length) return { ok: false, errors }
  if (rows.length === 0) return { ok: false, errors: [{ line: 0, message: 'The file has no months in it' }] }
  return { ok: true, rows }
}

/** Writes a parsed file in one transaction: new months added, months already imported replaced. Audited. */
export async function importIncidentCounts(
  deps: { db: Db; clock: Clock },
  actor: Actor,
  forceId: string,
  rows: IncidentCount[],
  fileSha256: string,
): Promise<{ added: number; replaced: number }> {
  const { db, clock } = deps
  return db.transaction().execute(async (trx) => {
    const now = clock()
    const previous = await trx
      .selectFrom('incident_counts')
      .select(['month', 'immediate', 'prompt'])
      .where('force_id', '=', forceId)
      .where(
        'month',
        'in',
        rows.map((r) => `${r.month}-01`),
      )
      .execute()
    await trx
      .insertInto('incident_counts')
      .values(
        rows.map((r) => ({
          force_id: forceId,
          month: `${r.month}-01`,
          immediate: r.immediate,
          prompt: r.prompt,
          imported_by_user_id: actor.userId,
          imported_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['force_id', 'month']).doUpdateSet((eb) => ({
          immediate: eb.ref('excluded.immediate'),
          prompt: eb.ref('excluded.prompt'),
          imported_by_user_id: eb.ref('excluded.imported_by_user_id'),
          imported_at: eb.ref('excluded.imported_at'),
        })),
      )
      .execute()
    await appendAudit(
      trx,
      {
        forceId,
        actor,
        action: 'incident_counts.imported',
        entityType: 'incident_counts',
        entityId: forceId,
        details: {
          fileSha256,
          months: rows,
          replaced: previous.map((p) => ({ month: p.month.slice(0, 7), immediate: p.immediate, prompt: p.prompt })),
        },
        requestId: actor.requestId ?? null,
      },
      now,
    )
    return { added: rows.length - previous.length, replaced: previous.length }
  })
}

export async function listIncidentCounts(db: Db, forceId: string): Promise<(IncidentCount & { importedAt: Date })[]> {
  const rows = await db
    .selectFrom('incident_counts')
    .select(['month', 'immediate', 'prompt', 'imported_at'])
    .where('force_id', '=', forceId)
    .orderBy('month', 'desc')
    .execute()
  return rows.map((r) => ({
    month: r.month.slice(0, 7),
    immediate: r.immediate,
    prompt: r.prompt,
    importedAt: r.imported_at,
  }))
}
