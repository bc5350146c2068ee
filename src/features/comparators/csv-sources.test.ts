import { describe, expect, it } from 'vitest'
import { sharedData } from '../../../test/support/ods-workbook.js'
import { readComparatorCsv } from './csv-sources.js'

describe('the published comparator CSV files', () => {
  const workforce = sharedData('police-workforce-fte-by-force.csv')
  const census = sharedData('census2011-ethnicity-by-force-area.csv')
  const censusGroups = sharedData('census2011-police-ethnicity-groups-by-force-area.csv')

  it.skipIf(!workforce)(
    'officer FTE: 43 forces a year, the West Midlands region told apart, totals as published',
    () => {
      const result = readComparatorCsv(workforce!.toString('utf8'))
      expect(result.checks.filter((c) => !c.ok)).toEqual([])
      expect(result.checks).toHaveLength(10)
      const at2019 = result.figures.filter((f) => f.periodStart === '2019-03-31')
      expect(at2019.filter((f) => f.areaKind === 'force')).toHaveLength(43)
      expect(at2019.find((f) => f.area === 'West Midlands' && f.areaKind === 'force')?.value).toBe(6_494.7)
      expect(at2019.find((f) => f.area === 'West Midlands' && f.areaKind === 'region')?.value).toBe(10_867.57)
      expect(result.figures.some((f) => f.area === 'British Transport Police')).toBe(false)
    },
  )

  it.skipIf(!census)('census: 18 categories and 5 groups per area, adding up to 56,075,912', () => {
    const result = readComparatorCsv(census!.toString('utf8'))
    expect(result.checks.filter((c) => !c.ok)).toEqual([])
    expect(result.figures).toHaveLength(43 * 24)
    expect(result.figures.find((f) => f.area === 'Avon & Somerset' && f.category === 'All')?.value).toBe(1_599_555)
  })

  it.skipIf(!censusGroups)('census in the Home Office groups', () => {
    const result = readComparatorCsv(censusGroups!.toString('utf8'))
    expect(result.checks.filter((c) => !c.ok)).toEqual([])
    expect(
      result.figures.find((f) => f.area === 'Bedfordshire' && f.category === 'Asian (or Asian British)')?.value,
    ).toBe(81_480)
  })
})

describe('bad CSV files', () => {
  const header = 'Police force,FTE Count,Year'

  it('names the line that cannot be read', () => {
    expect(() => readComparatorCsv(`${header}\nKent,3000,2019\nKent,,2019\n`)).toThrow(/Line 3, column "FTE Count"/)
    expect(() => readComparatorCsv(`${header}\nGotham,10,2019\n`)).toThrow(/Line 2: "Gotham" is not one of the 43/)
    expect(() => readComparatorCsv(`${header}\nKent,10\n`)).toThrow(/Line 2: 2 fields, but the header has 3/)
    expect(() => readComparatorCsv(`${header}\n"Kent, the",10,2019\n`)).toThrow(/quoted fields/)
    expect(() => readComparatorCsv('Name,Value\nx,1\n')).toThrow(/is not one of the comparator files/)
  })

  it('reports a year that does not have all 43 forces', () => {
    const result = readComparatorCsv(`${header}\nKent,3000.5,2019\n`)
    expect(result.checks.find((c) => c.name.includes('number of forces'))).toMatchObject({ ok: false, actual: 1 })
  })
})
