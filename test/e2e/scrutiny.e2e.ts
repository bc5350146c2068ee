import { mkdir } from 'node:fs/promises'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../src/db/seed/seed-demo.js'
import type { AppPage, PageClass } from './pages/app-page.js'
import { SignInPage } from './pages/auth-pages.js'
import {
  CasePackPage,
  DrawSamplePage,
  PanelFeedbackPage,
  PanelHomePage,
  PanelSamplePage,
  PanelSummaryPage,
  RedrawPage,
  SamplingMethodPage,
  ScrutinyPanelPage,
  ScrutinyPanelsPage,
  ScrutinySamplePage,
} from './pages/scrutiny-pages.js'
import { launchBrowser, newPage, phone } from './support/browser.js'
import { screenshots, verifyOnPhone } from './support/phone.js'

let browser: Browser
let page: Page

beforeAll(async () => {
  browser = await launchBrowser()
  page = await newPage(browser, phone)
  await mkdir(screenshots, { recursive: true })
})

afterAll(async () => {
  await page?.context().close()
  await browser?.close()
})

const onPage = <T extends AppPage>(PageObject: PageClass<T>, screenshot?: string) =>
  verifyOnPhone(page, PageObject, screenshot)

let sampleUrl = ''

describe('external scrutiny on a phone', () => {
  it('the Taser lead draws a sample, fixes a mistake in the form, and releases a redacted account to the panel', async () => {
    await (await SignInPage.open(page)).signIn('taser-lead', DEMO_PASSWORD)
    await page.goto('/scrutiny')
    await onPage(ScrutinyPanelsPage)
    await page.getByRole('link', { name: 'Independent Taser scrutiny panel' }).click()
    await onPage(ScrutinyPanelPage)
    await page.getByTestId('draw-link').click()
    await onPage(DrawSamplePage)

    // A period with no first day: the error summary links to the field, the sizes typed are kept.
    await page.getByRole('group', { name: 'First day of the period' }).getByLabel('Day').fill('')
    await page.getByLabel('Person perceived as Black').fill('2')
    await page.getByTestId('draw').click()
    await onPage(DrawSamplePage)
    await expect
      .poll(() => page.locator('.govuk-error-summary').textContent())
      .toContain('Enter the first day of the period')
    expect(await page.getByLabel('Person perceived as Black').inputValue()).toBe('2')
    await page.screenshot({ path: `${screenshots}/scrutiny-draw-error.png`, fullPage: true })

    const from = new Date(Date.now() - 120 * 86_400_000)
    const first = page.getByRole('group', { name: 'First day of the period' })
    await first.getByLabel('Day').fill(String(from.getDate()))
    await first.getByLabel('Month').fill(String(from.getMonth() + 1))
    await first.getByLabel('Year').fill(String(from.getFullYear()))
    await page.getByTestId('draw').click()
    await onPage(ScrutinySamplePage)
    expect(await page.getByTestId('notice').textContent()).toContain('Sample drawn')
    expect(await page.getByTestId('seed').textContent()).toMatch(/^[0-9a-f]{32}$/)
    sampleUrl = new URL(page.url()).pathname

    await page.getByRole('link', { name: 'Case 1', exact: true }).click()
    await onPage(CasePackPage)
    const justification = page.getByRole('group', { name: 'Why the force was necessary and proportionate' })
    await justification.getByLabel('Release a redacted version').check()
    await page
      .getByLabel('Redacted version of “Why the force was necessary and proportionate”')
      .fill('I saw [the person] holding a knife.')
    await page.getByTestId('save-release').click()
    await onPage(CasePackPage)
    expect(await page.getByTestId('notice').textContent()).toContain('Release decisions saved')
    await page.screenshot({ path: `${screenshots}/scrutiny-case-force.png`, fullPage: true })

    await page.goto(`${sampleUrl}/verify`)
    await onPage(RedrawPage)
    expect(await page.getByTestId('recorded-result').textContent()).toContain('Same cases')
    await (await onPage(RedrawPage)).signOut()
  }, 180_000)

  it('a panel member reads the pack, records a finding, checks the draw and reads the summary', async () => {
    await (await SignInPage.open(page)).signIn('scrutiny', DEMO_PASSWORD)
    await page.goto('/panel')
    await onPage(PanelHomePage)
    await page.screenshot({ path: `${screenshots}/scrutiny-panel-home.png`, fullPage: true })
    expect(await page.getByRole('link', { name: /^Reports of/ }).count()).toBeGreaterThan(1)
    // The sample the Taser lead has just drawn, which has no findings yet.
    await page.goto(sampleUrl.replace('/scrutiny/', '/panel/'))
    await onPage(PanelSamplePage)
    await page.getByRole('link', { name: 'Case 1', exact: true }).click()
    await onPage(CasePackPage)
    const text = (await page.getByTestId('pack').textContent()) ?? ''
    expect(text).not.toContain('Force side only')

    // No finding chosen: the error summary says so.
    await page.getByTestId('save-finding').click()
    await onPage(CasePackPage)
    await expect.poll(() => page.locator('.govuk-error-summary').textContent()).toContain('Select the panel’s finding')
    await page.getByLabel('Some concerns').check()
    await page.getByLabel('Warning given before use').check()
    await page.getByLabel('Feedback for the officer and their supervisor').fill('Record the warning in full.')
    await page.getByTestId('save-finding').click()
    await onPage(CasePackPage)
    expect(await page.getByTestId('finding').textContent()).toContain('Record the warning in full.')
    await page.screenshot({ path: `${screenshots}/scrutiny-case-panel.png`, fullPage: true })

    await page.getByRole('link', { name: 'Back to the cases' }).click()
    await onPage(PanelSamplePage)
    await page.getByTestId('verify-link').click()
    await onPage(RedrawPage)
    await page.goBack()
    await page.getByTestId('summary-link').click()
    await onPage(PanelSummaryPage)
    expect(await page.getByTestId('statement').textContent()).toContain('are not shown')
    await page.screenshot({ path: `${screenshots}/scrutiny-summary.png`, fullPage: true })
    await page.goto('/scrutiny/method')
    await onPage(SamplingMethodPage)

    // The sample the Taser lead drew is for this member's panel; the force-side page of it is not theirs.
    const forbidden = await page.goto(sampleUrl)
    expect(forbidden?.status()).toBe(403)
    await page.goto('/panel')
    await (await onPage(PanelHomePage)).signOut()
  }, 180_000)

  it('the officer reads the panels’ feedback on their own reports', async () => {
    await (await SignInPage.open(page)).signIn('officer', DEMO_PASSWORD)
    await page.goto('/scrutiny-feedback')
    await onPage(PanelFeedbackPage)
    expect(await page.getByTestId('feedback-item').count()).toBeGreaterThan(0)
    await page.screenshot({ path: `${screenshots}/scrutiny-feedback.png`, fullPage: true })
    await (await onPage(PanelFeedbackPage)).signOut()
  })
})
