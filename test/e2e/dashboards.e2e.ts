import { existsSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DashboardsPage, DisproportionalityPage } from './pages/dashboard-pages.js'
import { DEMO_PASSWORD } from '../../src/db/seed/seed-demo.js'
import { SignInPage } from './pages/auth-pages.js'
import { HomePage } from './pages/home-page.js'
import { baseUrl, desktop, launchBrowser, newPage } from './support/browser.js'
import { screenshots, signedInPhone, verifyOnPhone } from './support/phone.js'

const censusPresent = existsSync(
  new URL('../../../shared/data/census2011-police-ethnicity-groups-by-force-area.csv', import.meta.url),
)

let browser: Browser
let page: Page

beforeAll(async () => {
  browser = await launchBrowser()
})

afterAll(async () => {
  await page?.context().close()
  await browser?.close()
})

/** The numbers in a table's body, row by row, as text. */
async function tableNumbers(table: ReturnType<DashboardsPage['table']>): Promise<string[][]> {
  return table
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) => [...row.querySelectorAll('td')].map((cell) => (cell.textContent ?? '').trim())),
    )
}

describe('dashboards on a phone', () => {
  it('the analyst reads every chart with its table, narrows to a unit and opens disproportionality', async () => {
    page = await signedInPhone(browser, 'analyst')
    await (await HomePage.verifyOnPage(page)).openFromNavigation('Dashboards')
    const dashboards = await verifyOnPhone(page, DashboardsPage, 'dashboards-analyst')
    const reports = await dashboards.headline('Use-of-force reports')
    expect(reports).toBeGreaterThan(2000)

    // Every chart is an image with a name; the trend table's reports add up to the headline.
    for (const id of ['chart-trend', 'chart-ced-level', 'chart-funnel', 'chart-ethnicity', 'chart-welfare']) {
      const chart = dashboards.chart(id)
      expect(await chart.getAttribute('role')).toBe('img')
      expect(await chart.getAttribute('aria-labelledby')).toBe(`${id}-title ${id}-desc`)
      expect((await chart.boundingBox())?.width ?? 999).toBeLessThanOrEqual(375)
    }
    const trend = await tableNumbers(dashboards.table('table-trend'))
    expect(trend).toHaveLength(12)
    expect(trend.reduce((sum, row) => sum + Number((row[0] ?? '').replace(/,/g, '')), 0)).toBe(reports)
    // The Taser bars carry the same numbers as the Taser table.
    const cedTable = (await tableNumbers(dashboards.table('table-ced-level'))).map((row) => row[0])
    const cedBars = await dashboards.chart('chart-ced-level').locator('.app-chart__value').allTextContents()
    expect(cedBars).toEqual(cedTable)
    expect(await dashboards.table('table-assaults').locator('tbody tr').count()).toBe(12)

    await dashboards.filter({ unit: 'North BCU' })
    const north = await verifyOnPhone(page, DashboardsPage)
    expect(await north.headline('Use-of-force reports')).toBeLessThan(reports)
    expect(await page.getByRole('heading', { level: 2, name: 'Deployment funnel' }).count()).toBe(1)
    expect(await page.getByText('The funnel is for the whole force').count()).toBe(1)

    await north.filter({ unit: 'Whole force' })
    // The census figures come from ../shared/data: without them the demo has no population to compare with.
    if (!censusPresent) return
    await (await verifyOnPhone(page, DashboardsPage)).openDisproportionality()
    const disproportionality = await verifyOnPhone(page, DisproportionalityPage, 'disproportionality')
    expect(await disproportionality.relativeRate('reports', 'white').textContent()).toContain('Reference group')
    expect(await disproportionality.relativeRate('reports', 'black').textContent()).toMatch(/\d\.\d\d \(\d/)
  })

  it('a supervisor sees their own team, and no unit outside it to choose', async () => {
    await page?.context().close()
    page = await signedInPhone(browser, 'supervisor')
    await (await HomePage.verifyOnPage(page)).openFromNavigation('Dashboards')
    const dashboards = await verifyOnPhone(page, DashboardsPage, 'dashboards-supervisor')
    const units = await page.getByLabel('Unit').locator('option').allTextContents()
    expect(units).toHaveLength(1)
    expect(units).not.toContain('Whole force')
    expect(await dashboards.headline('Use-of-force reports')).toBeGreaterThan(0)
  })

  it('sets charts beside their tables on a desktop', async () => {
    await page?.context().close()
    page = await newPage(browser, desktop)
    await (await SignInPage.open(page)).signIn('analyst', DEMO_PASSWORD)
    await page.goto(`${baseUrl}/dashboards`)
    const dashboards = await DashboardsPage.verifyOnPage(page)
    const chart = await dashboards.chart('chart-trend').boundingBox()
    const table = await dashboards.table('table-trend').boundingBox()
    expect(chart && table && table.x > chart.x + chart.width - 1).toBe(true)
    await page.screenshot({ path: `${screenshots}/dashboards-desktop.png`, fullPage: true })
  })
})
