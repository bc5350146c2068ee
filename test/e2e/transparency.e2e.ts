import ExcelJS from 'exceljs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readOds } from '../../src/features/comparators/ods.js'
import { DEMO_REVISION_NOTE } from '../../src/db/seed/publications.js'
import { MET_COLUMNS } from '../../src/features/transparency/met-layout.js'
import { parseCsv } from '../../src/lib/spreadsheets/parse-csv.js'
import { HomePage } from './pages/home-page.js'
import {
  PublicationDraftPage,
  PublicationsPage,
  PublicationVersionPage,
  PublishingPage,
} from './pages/transparency-pages.js'
import { SignInPage } from './pages/auth-pages.js'
import { launchBrowser, newPage, phone } from './support/browser.js'
import { signedInPhone, verifyOnPhone } from './support/phone.js'

let browser: Browser
let visitor: Page

beforeAll(async () => {
  browser = await launchBrowser()
  visitor = await newPage(browser, phone)
})

afterAll(async () => {
  await visitor?.context().close()
  await browser?.close()
})

/** The figures printed in the page's statistics tables. */
const printedFigures = (page: Page) => page.locator('td.govuk-table__cell--numeric').allTextContents()

describe('publishing a quarter', () => {
  it('the analyst is told to choose a quarter, then previews and publishes one, which the public can read', async () => {
    const page = await signedInPhone(browser, 'analyst')
    const home = await HomePage.verifyOnPage(page)
    await home.page.goto('/publishing')
    await verifyOnPhone(page, PublishingPage)
    await page.getByTestId('prepare-button').click()
    await verifyOnPhone(page, PublishingPage)
    await expect
      .poll(() => page.locator('.govuk-error-summary').textContent())
      .toContain('Select the quarter to publish')
    await page.locator('input[name="quarter"]').first().check()
    await page.getByTestId('prepare-button').click()
    // Preparing is a job: the page says so, and shows the draft once it is ready.
    await verifyOnPhone(page, PublishingPage, 'transparency-preparing')
    const drafts = page.getByTestId('drafts').getByRole('link')
    for (let wait = 0; (await drafts.count()) === 0 || (await page.getByText('Preparing…').count()) > 0; wait++) {
      expect(await page.getByText('Failed').count()).toBe(0)
      expect(wait, 'the quarter is prepared within two minutes').toBeLessThan(120)
      await page.waitForTimeout(1000)
      await page.reload()
      await verifyOnPhone(page, PublishingPage)
    }
    await drafts.first().click()
    await verifyOnPhone(page, PublicationDraftPage, 'transparency-preview')
    await page.getByTestId('publish-button').click()
    await verifyOnPhone(page, PublicationVersionPage)
    const url = new URL(page.url()).pathname
    expect(url).toMatch(/^\/transparency\/[0-9a-f-]+\/versions\/1$/)
    await page.context().close()
    await visitor.goto(url)
    await verifyOnPhone(visitor, PublicationVersionPage)
  }, 240_000)
})

describe('public transparency pages on a phone, without signing in', () => {
  it('a visitor finds the published statistics from the footer and reads a version with small counts hidden', async () => {
    await visitor.goto('/sign-in')
    await SignInPage.verifyOnPage(visitor)
    await visitor.getByRole('link', { name: 'Published statistics' }).click()
    await verifyOnPhone(visitor, PublicationsPage, 'transparency-list')
    await visitor.getByTestId('publications').getByRole('link').first().click()
    await verifyOnPhone(visitor, PublicationVersionPage, 'transparency-version')
    expect(await visitor.getByTestId('method').textContent()).toContain('counts from 1 to 4 are not shown')
    const figures = (await printedFigures(visitor)).map((f) => f.trim())
    expect(figures).toContain('[c]')
    for (const figure of figures.filter((f) => f !== '' && f !== '[c]'))
      expect(Number(figure.replace(/,/g, '')) === 0 || Number(figure.replace(/,/g, '')) > 4, figure).toBe(true)
  }, 240_000)

  it('each download opens and says the same as the page', async () => {
    const links = visitor.getByTestId('downloads').getByRole('link')
    const hrefs = await Promise.all((await links.all()).map((l) => l.getAttribute('href')))
    expect(hrefs.map((h) => h?.split('/').at(-1))).toEqual([
      'tables.ods',
      'tables.xlsx',
      'tables.csv',
      'tables.json',
      'open-data.csv',
    ])
    const get = async (name: string) => {
      const response = await visitor.request.get(hrefs.find((h) => h?.endsWith(name)) ?? '')
      expect(response.status(), name).toBe(200)
      return response.body()
    }
    const hidden = (await printedFigures(visitor)).filter((f) => f.trim() === '[c]').length
    const ods = readOds(new Uint8Array(await get('tables.ods')))
    expect(ods.flatMap((s) => s.rows.slice(2).flatMap((r) => r.slice(1))).filter((v) => v === '[c]')).toHaveLength(
      hidden,
    )
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load((await get('tables.xlsx')) as never)
    expect(workbook.worksheets.map((w) => w.name)).toEqual(ods.map((s) => s.name))
    const json = JSON.parse((await get('tables.json')).toString('utf8'))
    expect(json.tables).toHaveLength(ods.length)
    const csv = parseCsv((await get('tables.csv')).toString('utf8'))
    expect(csv.slice(1).filter((r) => r.at(-1) === '[c]')).toHaveLength(hidden)
    const openData = parseCsv((await get('open-data.csv')).toString('utf8'))
    expect(openData[0]).toEqual([...MET_COLUMNS])
    expect(openData.length).toBeGreaterThan(100)
  })

  it('a revision carries its note, and the version before it points to it', async () => {
    await visitor.goto('/transparency')
    await verifyOnPhone(visitor, PublicationsPage)
    await visitor
      .getByTestId('publications')
      .getByRole('row')
      .filter({ hasText: 'Version 2' })
      .getByRole('link')
      .first()
      .click()
    await verifyOnPhone(visitor, PublicationVersionPage, 'transparency-revision')
    expect(await visitor.locator('main').textContent()).toContain(DEMO_REVISION_NOTE)
    expect(await visitor.getByTestId('changes').getByRole('row').count()).toBe(5)
    const revision = visitor.url()
    await visitor.goto(revision.replace(/versions\/2$/, 'versions/1'))
    await verifyOnPhone(visitor, PublicationVersionPage)
    await visitor.getByTestId('newer-version').getByRole('link').click()
    await verifyOnPhone(visitor, PublicationVersionPage)
    expect(visitor.url()).toBe(revision)
  }, 240_000)
})
