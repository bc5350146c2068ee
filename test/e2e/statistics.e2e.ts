import { readFile } from 'node:fs/promises'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readOds } from '../../src/features/comparators/ods.js'
import { parseCsv } from '../../src/lib/spreadsheets/parse-csv.js'
import { AnnualReturnPage, StatisticsPage, StatisticsTablePage } from './pages/statistics-pages.js'
import { launchBrowser } from './support/browser.js'
import { signedInPhone, verifyOnPhone } from './support/phone.js'

let browser: Browser
let page: Page

beforeAll(async () => {
  browser = await launchBrowser()
  page = await signedInPhone(browser, 'analyst')
})

afterAll(async () => {
  await page?.context().close()
  await browser?.close()
})

/** Clicks a download link and returns the file the browser saved. */
async function download(testId: string): Promise<Buffer> {
  const saved = page.waitForEvent('download')
  await page.getByTestId(testId).click()
  const path = await (await saved).path()
  return readFile(path)
}

const number = (text: string | number | null | undefined) => Number(String(text ?? '').replace(/,/g, ''))

describe('Home Office statistics on a phone', () => {
  let list: StatisticsPage
  let unit: string
  let reports: number
  let table1: { times: number; reports: number }

  it('the analyst is told when a period is the wrong way round, then opens the tables of a year for one unit', async () => {
    await page.goto('/statistics')
    list = await verifyOnPhone(page, StatisticsPage, 'statistics-list')
    const months = await page
      .getByLabel('From')
      .locator('option')
      .evaluateAll((options) => options.map((o) => o.getAttribute('value') ?? ''))
    const [latest, earlier] = [months[0] ?? '', months[11] ?? '']
    await list.choosePeriod(latest, earlier)
    await verifyOnPhone(page, StatisticsPage)
    const summary = page.locator('.govuk-error-summary')
    expect(await summary.textContent()).toContain('The last month must be the same as or after the first month')
    await summary.getByRole('link').first().click()
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('to')

    // A basic command unit: one level below the force's own unit in the list.
    const units = await page.getByLabel('Unit').locator('option').allTextContents()
    unit = units.map((u) => u.trim()).find((u) => /^– [^–]/.test(u)) ?? ''
    expect(unit).not.toBe('')
    await list.choosePeriod(earlier, latest, unit)
    await verifyOnPhone(page, StatisticsPage, 'statistics-unit')
    expect(await page.getByTestId('tables-heading').textContent()).toContain(unit.replace(/^– /, ''))
    reports = number((await list.reportCount.textContent())?.replace(/[^0-9,]/g, ''))
    expect(reports).toBeGreaterThan(10)
    expect(await page.getByTestId('tables').getByRole('link').count()).toBe(17)
  })

  it('a table adds up on the page: Table 13’s total is non-discharge + discharge + not stated', async () => {
    await list.tableLink(/^Table 13: Use of CED by type/).click()
    const table13 = await verifyOnPhone(page, StatisticsTablePage, 'statistics-table-13')
    const totalLabel = (
      (await page.getByTestId('stat-table').getByRole('rowheader').first().textContent()) ?? ''
    ).trim()
    const [total, nonDischarge, , , , , discharge, , , , notStated] = await table13.rowValues(totalLabel)
    expect(total).toBe((nonDischarge ?? 0) + (discharge ?? 0) + (notStated ?? 0))

    await page.getByRole('link', { name: 'All tables' }).click()
    await verifyOnPhone(page, StatisticsPage)
    await list.tableLink(/^Table 1: /).click()
    const page1 = await verifyOnPhone(page, StatisticsTablePage, 'statistics-table-1')
    const [times, reportsAll] = await page1.rowValues('Total Tactics')
    expect(reportsAll).toBe(reports)
    table1 = { times: times ?? -1, reports: reportsAll ?? -1 }
    // The table's own CSV is laid out as on the page: the header, then a line per row.
    const csv = parseCsv((await download('download-table-csv')).toString('utf8'))
    expect(csv[0]).toEqual(['Tactic', 'Number of times tactic reported', 'Number of incidents involving tactic'])
    expect(
      csv
        .find((r) => r[0] === 'Total Tactics')
        ?.slice(1)
        .map(number),
    ).toEqual([table1.times, table1.reports])
    await page.getByRole('link', { name: 'All tables' }).click()
    await verifyOnPhone(page, StatisticsPage)
  })

  it('the ODS and CSV downloads hold all 17 tables in the Home Office layout, with the figures on the page', async () => {
    const ods = readOds(new Uint8Array(await download('download-ods')))
    expect(ods).toHaveLength(17)
    ods.forEach((sheet, i) => expect(String(sheet.rows[0]?.[0])).toMatch(new RegExp(`^Table ${i + 1}: `)))
    const sheet1 = ods[0]
    expect(sheet1?.rows[1]).toEqual([
      'Tactic',
      'Number of times tactic reported',
      'Number of incidents involving tactic',
    ])
    const totalTactics = sheet1?.rows.find((r) => r[0] === 'Total Tactics')
    expect(totalTactics?.slice(1)).toEqual([table1.times, table1.reports])

    const csv = parseCsv((await download('download-csv')).toString('utf8'))
    expect(new Set(csv.slice(1).map((r) => r[0]))).toEqual(
      new Set(Array.from({ length: 17 }, (_, i) => `table-${i + 1}`)),
    )
    const fromCsv = csv.filter((r) => r[0] === 'table-1' && r[2] === 'Total Tactics').map((r) => number(r[6]))
    expect(fromCsv).toEqual([table1.times, table1.reports])
  })

  it('the annual return lists what to fix before submitting, and its download has one line per report', async () => {
    await page.getByTestId('annual-return').click()
    await verifyOnPhone(page, AnnualReturnPage, 'statistics-annual-return')
    const summary = (await page.getByTestId('return-summary').textContent()) ?? ''
    const [, returned, toCheck] = /([\d,]+) reports?; ([\d,]+) with something to check/.exec(summary) ?? []
    expect(number(returned)).toBeGreaterThan(0)
    const issues = page.locator('[data-testid^="issue-"]')
    if (number(toCheck) > 0) expect(await issues.count()).toBeGreaterThan(0)
    else await page.getByTestId('no-issues').waitFor()
    const lines = parseCsv((await download('download-return')).toString('utf8'))
    expect(lines.length - 1).toBe(number(returned))
    expect(new Set(lines.map((l) => l.length)).size).toBe(1)
  })
})
