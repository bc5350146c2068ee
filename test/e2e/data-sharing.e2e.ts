import { readFile } from 'node:fs/promises'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatMonth, londonDate, monthOf, shiftMonth } from '../../src/domain/calendar.js'
import { agreementById } from '../../src/features/data-sharing/agreements.js'
import { parseCsv } from '../../src/lib/spreadsheets/parse-csv.js'
import { HomePage } from './pages/home-page.js'
import { DataSharingPage } from './pages/section-pages.js'
import { launchBrowser } from './support/browser.js'
import { signedInPhone, verifyOnPhone } from './support/phone.js'

let browser: Browser
let page: Page

beforeAll(async () => {
  browser = await launchBrowser()
})

afterAll(async () => {
  await page?.context().close()
  await browser?.close()
})

describe('data-sharing extracts on a phone', () => {
  it('the analyst is told to choose an agreement, then downloads the SACMILL extract and sees it logged', async () => {
    page = await signedInPhone(browser, 'analyst')
    await (await HomePage.verifyOnPage(page)).openFromNavigation('Data sharing')
    let sharing = await verifyOnPhone(page, DataSharingPage, 'data-sharing')

    // No agreement chosen: the error summary links to the radios, and the period chosen is kept.
    const lastMonth = shiftMonth(monthOf(londonDate(new Date())), -1)
    const from = formatMonth(shiftMonth(lastMonth, -5))
    await sharing.choose({ from })
    await sharing.download().click()
    sharing = await verifyOnPhone(page, DataSharingPage, 'data-sharing-error')
    const summary = page.getByRole('alert')
    expect(
      await summary.getByRole('link', { name: 'Select the agreement to extract data for' }).getAttribute('href'),
    ).toBe('#agreement')
    expect(await page.getByLabel('First month').locator('option:checked').textContent()).toBe(from)

    // Choose SACMILL: the file downloads with exactly the agreement's fields.
    await sharing.choose({ agreement: 'SACMILL: medical implications of CED use' })
    const [download] = await Promise.all([page.waitForEvent('download'), sharing.download().click()])
    expect(download.suggestedFilename()).toMatch(/^sacmill-demo-\d{4}-\d{2}-to-\d{4}-\d{2}\.csv$/)
    const text = await readFile((await download.path()) ?? '', 'utf8')
    const [header, ...lines] = parseCsv(text.replace(/^\uFEFF/, ''))
    expect(header).toEqual(agreementById('sacmill')?.fields.map((f) => f.name))
    expect(lines.length).toBeGreaterThan(0)

    // The page now lists the extract.
    await page.goto(page.url())
    sharing = await verifyOnPhone(page, DataSharingPage, 'data-sharing-logged')
    const firstRow = sharing.extracts().locator('tbody tr').first()
    expect(await firstRow.textContent()).toContain('SACMILL')
    expect(await firstRow.textContent()).toContain(String(lines.length))
  })
})
