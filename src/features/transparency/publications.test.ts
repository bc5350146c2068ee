import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabase } from '../../../test/support/database.js'
import type { DatabaseHandle, Db } from '../../db/database.js'
import type { Period } from '../../domain/statistics/period.js'
import type { StatTable } from '../../domain/statistics/stat-table.js'
import { readOds } from '../comparators/ods.js'
import type { Actor } from '../audit/ledger.js'
import { parseCsv } from '../../lib/spreadsheets/parse-csv.js'
import { listPreparations, requestPreparation, runPreparations } from './preparation-jobs.js'
import {
  findDraft,
  findFile,
  findVersion,
  listPublications,
  prepare,
  publish,
  type TransparencyDeps,
} from './publications.service.js'

let handle: DatabaseHandle
let db: Db
let forceId: string
let analyst: Actor
const period: Period = { from: '2026-01', to: '2026-03' }
const suppression = { kind: 'suppression', threshold: 4 } as const

/** A hand-built table the test can change between versions: counts by two groups, with its margins. */
let cells = [
  [3, 40],
  [25, 12],
]
function table(): StatTable {
  const rowTotals = cells.map((r) => r[0]! + r[1]!)
  const columnTotals = [0, 1].map((c) => cells[0]![c]! + cells[1]![c]!)
  return {
    id: 'table-1',
    title: 'Table 1: Reports by group and outcome',
    rowHeading: 'Group',
    columns: [
      { key: 'all', label: 'All' },
      { key: 'arrested', label: 'Arrested' },
      { key: 'other', label: 'Other' },
    ],
    rows: [
      { key: 'total', label: 'Total', depth: 0, total: true, values: [rowTotals[0]! + rowTotals[1]!, ...columnTotals] },
      { key: 'a', label: 'Group A', depth: 0, values: [rowTotals[0]!, ...cells[0]!] },
      { key: 'b', label: 'Group B', depth: 0, values: [rowTotals[1]!, ...cells[1]!] },
    ],
    sums: [
      {
        total: [1, 0],
        parts: [
          [1, 1],
          [1, 2],
        ],
      },
      {
        total: [2, 0],
        parts: [
          [2, 1],
          [2, 2],
        ],
      },
      ...[0, 1, 2].map((c) => ({ total: [0, c] as const, parts: [[1, c] as const, [2, c] as const] })),
    ],
    notes: ['Counts are of reports.'],
  }
}
const asked: { forceId: string; period: Period }[] = []
let now = new Date('2026-04-10T09:00:00Z')
let deps: TransparencyDeps

beforeAll(async () => {
  handle = await testDatabase()
  db = handle.db
  forceId = (await db.selectFrom('forces').select('id').where('code', '=', 'demo').executeTakeFirstOrThrow()).id
  const user = await db.selectFrom('users').select('id').where('username', '=', 'analyst').executeTakeFirstOrThrow()
  analyst = { userId: user.id, label: 'analyst' }
  deps = {
    db,
    clock: () => now,
    tables: async (_db, query) => {
      asked.push(query)
      return [table()]
    },
  }
})
afterAll(() => handle.close())

const auditActions = async (id: string) =>
  (await db.selectFrom('audit_log').select('action').where('entity_id', '=', id).orderBy('id').execute()).map(
    (r) => r.action,
  )

describe('publications', () => {
  let id: string

  it('prepares a draft of the quarter with disclosure control applied and the method stated', async () => {
    id = await prepare(deps, analyst, forceId, period, suppression)
    expect(asked).toEqual([{ forceId, period }])
    const draft = await findDraft(db, forceId, id)
    const values = draft!.tables[0]!.rows.map((r) => r.values)
    expect(values[1]![1]).toEqual({ status: 'suppressed' }) // the 3
    expect(values.flat().filter((v) => v?.status === 'suppressed').length).toBeGreaterThanOrEqual(4)
    expect(draft!.tables[0]!.notes.at(-1)).toMatch(/counts from 1 to 4 are not shown/)
    expect(draft!.nextVersion).toBe(1)
    expect(await findDraft(db, 'ffffffff-ffff-4fff-8fff-ffffffffffff', id)).toBeUndefined()
    expect(await auditActions(id)).toEqual(['publication.prepared'])
  })

  it('publishes the draft as version 1 with its downloads, and nothing public is counted again', async () => {
    now = new Date('2026-04-11T09:00:00Z')
    expect(await publish(deps, analyst, forceId, id, '')).toEqual({ ok: true, value: 1 })
    expect(await findDraft(db, forceId, id)).toBeUndefined()
    const version = await findVersion(db, id, null)
    expect(version).toMatchObject({ version: 1, latestVersion: 1, revisionNote: null, changes: [], period })
    expect(version!.files.map((f) => f.name)).toEqual([
      'tables.ods',
      'tables.xlsx',
      'tables.csv',
      'tables.json',
      'open-data.csv',
    ])
    const ods = await findFile(db, id, 1, 'tables.ods')
    const sheet = readOds(ods!.bytes)[0]!
    expect(sheet.rows[2]).toEqual(['Total', 80, 28, 52])
    expect(sheet.rows[3]).toEqual(['Group A', 43, '[c]', '[c]'])
    expect(sheet.rows.flat()).not.toContain(3)
    const json = JSON.parse(new TextDecoder().decode((await findFile(db, id, 1, 'tables.json'))!.bytes))
    expect(json.tables[0].rows[1].values[1]).toBe('[c]')
    expect(await auditActions(id)).toEqual(['publication.prepared', 'publication.published'])
    asked.length = 0
    await findVersion(db, id, 1)
    expect(asked).toEqual([])
  })

  it('refuses a revision without a note, changing nothing', async () => {
    cells = [
      [3, 41],
      [25, 12],
    ]
    await prepare(deps, analyst, forceId, period, suppression)
    const result = await publish(deps, analyst, forceId, id, '   ')
    expect(result).toEqual({
      ok: false,
      errors: [{ field: 'revisionNote', text: expect.stringMatching(/Say what changed/) }],
    })
    expect((await findVersion(db, id, null))!.version).toBe(1)
    expect(await findDraft(db, forceId, id)).toBeDefined()
  })

  it('publishes a revision as version 2 listing the cells that changed; version 1 stays as it was', async () => {
    const draft = await findDraft(db, forceId, id)
    expect(draft!.nextVersion).toBe(2)
    expect(await publish(deps, analyst, forceId, id, 'A late report for Group A.')).toEqual({ ok: true, value: 2 })
    const v2 = await findVersion(db, id, null)
    expect(v2!.revisionNote).toBe('A late report for Group A.')
    // Group A's "Other" went from 40 to 41 as well, but it is hidden in both versions (the 3's complement).
    expect(v2!.changes.map((c) => [c.row, c.column, c.before, c.after])).toEqual([
      ['Total', 'All', '80', '81'],
      ['Total', 'Other', '52', '53'],
      ['Group A', 'All', '43', '44'],
    ])
    expect(v2!.changes).toEqual(draft!.changes)
    expect(v2!.versions.map((v) => v.version)).toEqual([2, 1])
    const v1 = await findVersion(db, id, 1)
    expect(v1!.tables[0]!.rows[0]!.values[0]).toEqual({ status: 'shown', value: 80 })
    const list = await listPublications(db, null)
    expect(list.find((p) => p.id === id)?.versions.map((v) => v.version)).toEqual([2, 1])
  })

  it('keeps published versions and files append-only in the database', async () => {
    await expect(
      sql`update publication_versions set revision_note = 'x' where publication_id = ${id}`.execute(db),
    ).rejects.toThrow(/append-only/)
    await expect(sql`delete from publication_files where publication_id = ${id}`.execute(db)).rejects.toThrow(
      /append-only/,
    )
  })

  it('writes the record-level open data in the Met layout, one row per report of the quarter', async () => {
    const csv = new TextDecoder().decode((await findFile(db, id, 2, 'open-data.csv'))!.bytes)
    const rows = parseCsv(csv)
    expect(rows[0]).toHaveLength(271)
    const { count } = await db
      .selectFrom('reports as r')
      .innerJoin('incidents as i', 'i.id', 'r.incident_id')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('r.force_id', '=', forceId)
      .where(sql<boolean>`i.occurred_at >= '2026-01-01T00:00:00Z' and i.occurred_at < '2026-03-31T23:00:00Z'`)
      .executeTakeFirstOrThrow()
    expect(rows.length - 1).toBe(Number(count))
  })
})

describe('preparing as a job', () => {
  const quarter: Period = { from: '2025-10', to: '2025-12' }
  const jobs = () =>
    db
      .selectFrom('publication_jobs')
      .select(['id', 'status', 'attempts', 'error'])
      .where('period_from', '=', quarter.from)
      .orderBy('requested_at')
      .execute()

  it('queues a quarter once however often it is asked for, and the page lists it as being prepared', async () => {
    const first = await requestPreparation(deps, analyst, forceId, quarter, suppression)
    const again = await requestPreparation(deps, analyst, forceId, quarter, suppression)
    expect(first.queued).toBe(true)
    expect(again).toEqual({ jobId: first.jobId, queued: false })
    expect(await jobs()).toEqual([{ id: first.jobId, status: 'queued', attempts: 0, error: null }])
    expect((await listPreparations(db, forceId)).map((p) => [p.period, p.status])).toEqual([[quarter, 'queued']])
    expect(await auditActions(first.jobId)).toEqual(['publication.preparation_requested'])
  })

  it('prepares the draft with its downloads when the job runs; a second run finds nothing to do', async () => {
    expect(await runPreparations(deps, forceId)).toBe(1)
    expect(await runPreparations(deps, forceId)).toBe(0)
    const [job] = await jobs()
    expect(job).toMatchObject({ status: 'ready', attempts: 1 })
    expect(await listPreparations(db, forceId)).toEqual([])
    const publication = await db
      .selectFrom('publication_jobs')
      .select('publication_id')
      .where('id', '=', job!.id)
      .executeTakeFirstOrThrow()
    const draft = await findDraft(db, forceId, publication.publication_id!)
    expect(draft?.period).toEqual(quarter)
    const files = await db
      .selectFrom('publication_draft_files')
      .select('name')
      .where('publication_id', '=', publication.publication_id!)
      .orderBy('name')
      .execute()
    expect(files.map((f) => f.name)).toEqual([
      'open-data.csv',
      'tables.csv',
      'tables.json',
      'tables.ods',
      'tables.xlsx',
    ])
  })

  it('records why a job failed, shows it, and prepares nothing; asking again queues a new job', async () => {
    const failing: TransparencyDeps = {
      ...deps,
      tables: async () => {
        throw new Error('Table 9 could not be counted.')
      },
    }
    const draftsBefore = await db.selectFrom('publication_drafts').select('prepared_at').execute()
    now = new Date(now.getTime() + 60_000)
    await requestPreparation(failing, analyst, forceId, quarter, suppression)
    expect(await runPreparations(failing, forceId)).toBe(0)
    expect((await jobs()).at(-1)).toMatchObject({ status: 'failed', error: 'Table 9 could not be counted.' })
    expect(await listPreparations(db, forceId)).toMatchObject([
      { period: quarter, status: 'failed', error: 'Table 9 could not be counted.' },
    ])
    expect(await db.selectFrom('publication_drafts').select('prepared_at').execute()).toEqual(draftsBefore)
    now = new Date(now.getTime() + 60_000)
    expect((await requestPreparation(failing, analyst, forceId, quarter, suppression)).queued).toBe(true)
    await runPreparations(failing, forceId)
  })

  it('takes again a job a stopped server left running, and gives up on one that stopped it three times', async () => {
    const { jobId } = await requestPreparation(deps, analyst, forceId, quarter, suppression)
    const longAgo = new Date(now.getTime() - 11 * 60_000)
    const abandon = (attempts: number) =>
      db
        .updateTable('publication_jobs')
        .set({ status: 'running', started_at: longAgo, attempts })
        .where('id', '=', jobId)
        .execute()
    await abandon(1)
    expect(await runPreparations(deps, forceId)).toBe(1)
    expect((await jobs()).at(-1)).toMatchObject({ id: jobId, status: 'ready', attempts: 2 })

    const second = await requestPreparation(deps, analyst, forceId, quarter, suppression)
    await db
      .updateTable('publication_jobs')
      .set({ status: 'running', started_at: longAgo, attempts: 3 })
      .where('id', '=', second.jobId)
      .execute()
    expect(await runPreparations(deps, forceId)).toBe(0)
    expect((await jobs()).at(-1)).toMatchObject({
      id: second.jobId,
      status: 'failed',
      error: expect.stringMatching(/three times/),
    })
    // A job running now (a live server's) is left alone.
    const third = await requestPreparation(deps, analyst, forceId, quarter, suppression)
    await db
      .updateTable('publication_jobs')
      .set({ status: 'running', started_at: now, attempts: 1 })
      .where('id', '=', third.jobId)
      .execute()
    expect(await runPreparations(deps, forceId)).toBe(0)
    expect((await jobs()).at(-1)).toMatchObject({ id: third.jobId, status: 'running' })
  })
})
