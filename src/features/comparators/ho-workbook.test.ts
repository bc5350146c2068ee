import { describe, expect, it } from 'vitest'
import { odsWorkbook, sharedData, type TestCell } from '../../../test/support/ods-workbook.js'
import { periodLabel, type Figure } from './figures.js'
import { readHomeOfficeWorkbook } from './ho-workbook.js'
import { UnreadableWorkbookError } from './ods.js'
import { regions } from './police-force-areas.js'

const value = (figures: Figure[], measure: Figure['measure'], period: string, area: string) =>
  figures.find((f) => f.measure === measure && periodLabel(f.periodStart, f.periodEnd) === period && f.area === area)
    ?.value

describe('the published workbooks', () => {
  const first = sharedData('ho-use-of-force-2017-18.ods')
  const second = sharedData('ho-use-of-force-2018-19.ods')
  const ced2016 = sharedData('ho-ced-statistics-2016.ods')

  it.skipIf(!first)('YE March 2018: incidents and first-published CED by force, every check holding', () => {
    const result = readHomeOfficeWorkbook(first!)
    expect(result.title).toBe('Police use of force statistics, England and Wales, 1 April 2017 to 31 March 2018')
    expect(result.publishedOn).toBe('2018-12-13')
    expect(result.checks.filter((c) => !c.ok)).toEqual([])
    expect(value(result.figures, 'incidents', '2017/18', 'England and Wales')).toBe(313_137)
    expect(value(result.figures, 'incidents', '2017/18', 'Gwent')).toBe(408)
    expect(value(result.figures, 'ced_total', '2017/18', 'England and Wales')).toBe(17_084)
    expect(value(result.figures, 'ced_total', '2017/18', 'Hampshire')).toBe(329)
    // Tables 14 and 15: January to March 2017, and the 2016 revisions with their "R" flags.
    expect(value(result.figures, 'ced_total', '1 January to 31 March 2017', 'England and Wales')).toBe(2_906)
    const revised2016 = result.figures.find(
      (f) => f.measure === 'ced_total' && f.periodStart === '2016-01-01' && f.areaKind === 'national',
    )
    expect(revised2016).toMatchObject({ value: 11_303, revised: true })
    expect(result.checks.find((c) => c.name.includes('2017/18: forces add up'))).toMatchObject({ ok: true })
    // Table 1 is laid out differently in each year; its totals are found by their labels.
    expect(result.checks.filter((c) => c.name.startsWith('Table 1'))).toEqual([
      expect.objectContaining({ expected: 313_137, actual: 313_137, ok: true }),
      expect.objectContaining({ expected: 17_084, actual: 17_084, ok: true }),
    ])
  })

  it.skipIf(!second)('YE March 2019: both years of the CED table, the 2017/18 revision marked', () => {
    const result = readHomeOfficeWorkbook(second!)
    expect(result.checks.filter((c) => !c.ok)).toEqual([])
    expect(value(result.figures, 'incidents', '2018/19', 'England and Wales')).toBe(427_725)
    expect(value(result.figures, 'ced_total', '2018/19', 'England and Wales')).toBe(23_451)
    expect(value(result.figures, 'ced_total', '2017/18', 'England and Wales')).toBe(16_913)
    expect(value(result.figures, 'ced_discharge', '2018/19', 'England and Wales')).toBe(2_693)
    expect(value(result.figures, 'ced_fired', '2017/18', 'England and Wales')).toBe(1_821)
    expect(value(result.figures, 'ced_not_stated', '2018/19', 'England and Wales')).toBe(890)
    expect(value(result.figures, 'ced_total', '2018/19', 'Metropolitan')).toBe(7_396)
    const hampshire = result.figures.find(
      (f) => f.measure === 'ced_total' && f.area === 'Hampshire' && f.periodStart === '2017-04-01',
    )
    expect(hampshire).toMatchObject({ value: 158, revised: true })
    expect(result.checks.filter((c) => c.name.startsWith('Table 1'))).toEqual([
      expect.objectContaining({ expected: 427_725, actual: 427_725, ok: true }),
      expect.objectContaining({ expected: 23_451, actual: 23_451, ok: true }),
    ])
    const names = result.checks.map((c) => c.name)
    expect(names).toContain(
      'CED use, highest per incident (per use before April 2017), 2018/19: forces add up to England and Wales',
    )
  })

  it.skipIf(!ced2016)('the 2016 CED workbook: calendar years, regions and forces in one column', () => {
    const result = readHomeOfficeWorkbook(ced2016!)
    expect(result.checks.filter((c) => !c.ok)).toEqual([])
    expect(value(result.figures, 'ced_total', '2016', 'England and Wales')).toBe(11_294)
    expect(value(result.figures, 'ced_fired', '2016', 'England and Wales')).toBe(1_755)
    expect(value(result.figures, 'ced_total', '2015', 'England and Wales')).toBe(10_390)
    // "West Midlands" is the region on its first row and the force on its second.
    const westMidlands = result.figures.filter(
      (f) => f.measure === 'ced_total' && f.periodStart === '2016-01-01' && f.area === 'West Midlands',
    )
    expect(westMidlands.map((f) => f.areaKind).sort()).toEqual(['force', 'region'])
  })
})

/** A small workbook in the Home Office layout, every force given `count(i)` incidents. */
function workbook(options: { titles?: boolean; count?: (i: number) => TestCell; nationalTotal?: number } = {}) {
  const count = options.count ?? ((i: number) => i + 1)
  const title = (text: string) => (options.titles === false ? text : `Table 12. ${text}`)
  const rows: TestCell[][] = []
  let national = 0
  let i = 0
  for (const [region, forces] of Object.entries(regions)) {
    const values = forces.map(() => count(i++))
    const sum = values.reduce<number>((a, v) => a + (typeof v === 'number' ? v : 0), 0)
    national += sum
    rows.push([region, `Total ${region}`, sum], ...forces.map((f, k) => [region, `${f}`, values[k] ?? null]))
  }
  return odsWorkbook([
    {
      name: 'Contents',
      rows: [
        ['Police use of force statistics, England and Wales, 1 April 2020 to 31 March 2021'],
        ['Publication Date: 17 December 2021'],
      ],
    },
    {
      name: 'Incidents',
      rows: [
        [title('Incidents by police force')],
        ['Contents'],
        [],
        ['Region', 'Police force1', 'Total'],
        ['England and Wales', 'Total England and Wales', options.nationalTotal ?? national],
        ...rows,
        [],
        ['Notes'],
        ['These figures do not represent all police use of force.'],
      ],
    },
  ])
}

describe('reading by titles and labels', () => {
  it('finds the table wherever it sits, with footnote digits on labels', () => {
    const result = readHomeOfficeWorkbook(workbook())
    expect(result.publishedOn).toBe('2021-12-17')
    expect(result.figures.filter((f) => f.areaKind === 'force')).toHaveLength(43)
    expect(value(result.figures, 'incidents', '2020/21', 'Wiltshire')).toBeGreaterThan(0)
    expect(result.checks.every((c) => c.ok)).toBe(true)
  })

  it('reads ":" and ".." as not available, never as 0', () => {
    const result = readHomeOfficeWorkbook(workbook({ count: (i) => (i === 0 ? ':' : i === 1 ? '..' : 5) }))
    expect(value(result.figures, 'incidents', '2020/21', 'Cleveland')).toBeNull()
    expect(value(result.figures, 'incidents', '2020/21', 'Durham')).toBeNull()
  })

  it('reports forces that do not add up to England and Wales', () => {
    const result = readHomeOfficeWorkbook(workbook({ nationalTotal: 5 }))
    const failed = result.checks.filter((c) => !c.ok)
    expect(failed).toEqual([
      expect.objectContaining({ name: expect.stringContaining('forces add up to England and Wales'), expected: 5 }),
    ])
  })

  it('refuses a workbook without the tables, saying what it looked for', () => {
    expect(() => readHomeOfficeWorkbook(workbook({ titles: false }))).toThrow(UnreadableWorkbookError)
    expect(() => readHomeOfficeWorkbook(workbook({ titles: false }))).toThrow(
      /No table titled "Incidents by police force" or "Use of CED by type and police force".*sheets: Contents, Incidents/,
    )
  })

  it('refuses a table whose columns or areas it cannot read, naming the row', () => {
    const unknownArea = odsWorkbook([
      {
        name: 'Contents',
        rows: [['Police use of force statistics, England and Wales, 1 April 2020 to 31 March 2021']],
      },
      { name: 'T', rows: [['Table 12. Incidents by police force'], ['Police force', 'Total'], ['Gotham', 12]] },
    ])
    expect(() => readHomeOfficeWorkbook(unknownArea)).toThrow(/row 3: "Gotham" is not a police force/)
    const noTotal = odsWorkbook([
      {
        name: 'T',
        rows: [['Table 13. Use of CED by type and police force: 2016'], ['Police force', 'Drawn'], ['Kent', 1]],
      },
    ])
    expect(() => readHomeOfficeWorkbook(noTotal)).toThrow(/no column for "CED use, highest per incident/)
    const badNumber = odsWorkbook([
      {
        name: 'Contents',
        rows: [['Police use of force statistics, England and Wales, 1 April 2020 to 31 March 2021']],
      },
      { name: 'T', rows: [['Table 12. Incidents by police force'], ['Police force', 'Total'], ['Kent', '12a']] },
    ])
    expect(() => readHomeOfficeWorkbook(badNumber)).toThrow(/row 3, column "total": "12a" is not a number/)
  })
})
