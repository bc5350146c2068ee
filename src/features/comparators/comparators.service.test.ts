import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../db/database.js'
import { testDatabase } from '../../../test/support/database.js'
import { odsWorkbook, sharedData } from '../../../test/support/ods-workbook.js'
import { ChecksFailedError, comparatorFigures, importComparatorFile, listImports } from './comparators.service.js'
import { UnreadableWorkbookError } from './ods.js'
import { forceAreas } from './police-force-areas.js'

let handle: DatabaseHandle
beforeAll(async () => {
  handle = await testDatabase()
})
afterAll(() => handle.close())

const actor = { userId: null, label: 'analyst-test' }
const clock = () => new Date('2026-11-22T12:00:00.000Z')
const deps = () => ({ db: handle.db, clock })

/** Officer FTE for one year: every force 100, except `kent`. */
function workforceCsv(year: number, kent = 100): Uint8Array {
  const lines = forceAreas.map((f) => `${f},${f === 'Kent' ? kent : 100},${year}`)
  return new TextEncoder().encode(['Police force,FTE Count,Year', ...lines].join('\n') + '\n')
}

async function counts() {
  const imports = await handle.db
    .selectFrom('comparator_imports')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  const figures = await handle.db
    .selectFrom('comparator_figures')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  const audit = await handle.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', 'comparators.imported')
    .executeTakeFirstOrThrow()
  return { imports: Number(imports.n), figures: Number(figures.n), audit: Number(audit.n) }
}

describe('importing comparators', () => {
  it('stores the figures with the file name and sha-256, audits it, and does nothing the second time', async () => {
    const before = await counts()
    const bytes = workforceCsv(2031)
    const result = await importComparatorFile(deps(), actor, { fileName: 'workforce-2031.csv', bytes })
    expect(result.status).toBe('imported')
    expect(await counts()).toEqual({
      imports: before.imports + 1,
      figures: before.figures + 43,
      audit: before.audit + 1,
    })
    const again = await importComparatorFile(deps(), actor, { fileName: 'renamed.csv', bytes })
    expect(again).toEqual({ status: 'already-imported', importId: result.importId, fileName: 'workforce-2031.csv' })
    expect((await counts()).imports).toBe(before.imports + 1)
    const listed = (await listImports(handle.db)).find((i) => i.id === result.importId)
    expect(listed).toMatchObject({
      fileName: 'workforce-2031.csv',
      source: 'police-workforce',
      figureCount: 43,
      importedBy: 'analyst-test',
      periods: [{ start: '2031-03-31', end: '2031-03-31' }],
    })
    expect(listed?.sha256).toMatch(/^[0-9a-f]{64}$/)
    const audit = await handle.db
      .selectFrom('audit_log')
      .select(['actor', 'details'])
      .where('entity_id', '=', result.importId)
      .executeTakeFirstOrThrow()
    expect(audit).toMatchObject({ actor: 'analyst-test', details: { fileName: 'workforce-2031.csv', figures: 43 } })
  })

  it('refuses a file whose checks fail and stores nothing, unless the mismatches are accepted', async () => {
    // A CSV whose year has a force missing fails the 43-forces check.
    const lines = forceAreas.filter((f) => f !== 'Kent').map((f) => `${f},100,2032`)
    const bytes = new TextEncoder().encode(['Police force,FTE Count,Year', ...lines].join('\n'))
    const before = await counts()
    const refused = importComparatorFile(deps(), actor, { fileName: 'short.csv', bytes })
    await expect(refused).rejects.toThrow(ChecksFailedError)
    await expect(refused).rejects.toThrow(/number of forces: expected 43, found 42/)
    expect(await counts()).toEqual(before)
    const accepted = await importComparatorFile(deps(), actor, { fileName: 'short.csv', bytes, acceptMismatches: true })
    expect(accepted.status).toBe('imported')
    const listed = (await listImports(handle.db)).find((i) => i.id === accepted.importId)
    expect(listed?.checks.filter((c) => !c.ok)).toHaveLength(1)
  })

  it('refuses an unreadable workbook with a clear message and stores nothing', async () => {
    const before = await counts()
    const noTitles = odsWorkbook([
      {
        name: 'Sheet1',
        rows: [
          ['Police force', 'Total'],
          ['Kent', 12],
        ],
      },
    ])
    await expect(importComparatorFile(deps(), actor, { fileName: 'x.ods', bytes: noTitles })).rejects.toThrow(
      UnreadableWorkbookError,
    )
    await expect(
      importComparatorFile(deps(), actor, { fileName: 'x.bin', bytes: new Uint8Array([0xff, 0xfe, 0x00]) }),
    ).rejects.toThrow(/neither an OpenDocument spreadsheet nor a UTF-8 CSV/)
    expect(await counts()).toEqual(before)
  })

  it('answers from the most recently published edition of each figure', async () => {
    await importComparatorFile(deps(), actor, { fileName: 'a.csv', bytes: workforceCsv(2033, 150) })
    const figures = await comparatorFigures(handle.db, {
      measure: 'officer_fte',
      periodStart: '2033-03-31',
      periodEnd: '2033-03-31',
    })
    expect(figures).toHaveLength(43)
    expect(figures.find((f) => f.area === 'Kent')?.value).toBe(150)
  })

  const first = sharedData('ho-use-of-force-2017-18.ods')
  const second = sharedData('ho-use-of-force-2018-19.ods')
  it.skipIf(!first || !second)('the two published workbooks: the revised 2017/18 CED total wins', async () => {
    for (const [fileName, bytes] of [
      ['ho-use-of-force-2017-18.ods', first!],
      ['ho-use-of-force-2018-19.ods', second!],
    ] as const)
      expect((await importComparatorFile(deps(), actor, { fileName, bytes })).status).toBe('imported')
    const ced = await comparatorFigures(handle.db, {
      measure: 'ced_total',
      periodStart: '2017-04-01',
      periodEnd: '2018-03-31',
    })
    expect(ced.find((f) => f.areaKind === 'national')).toMatchObject({ value: 16_913, publishedOn: '2019-12-19' })
    expect(ced.find((f) => f.area === 'Hampshire')).toMatchObject({ value: 158, revised: true })
    const incidents = await comparatorFigures(handle.db, {
      measure: 'incidents',
      periodStart: '2018-04-01',
      periodEnd: '2019-03-31',
    })
    expect(incidents.find((f) => f.areaKind === 'national')?.value).toBe(427_725)
  })
})
