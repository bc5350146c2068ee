import { mkdir } from 'node:fs/promises'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppPage, PageClass } from './pages/app-page.js'
import {
  FlagPage,
  FlagsPage,
  FollowUpPage,
  StepPage,
  ThresholdPage,
  ThresholdsPage,
  WelfarePage,
} from './pages/early-intervention-pages.js'
import { launchBrowser } from './support/browser.js'
import { screenshots, signedInPhone, verifyOnPhone } from './support/phone.js'

let browser: Browser
let page: Page

beforeAll(async () => {
  browser = await launchBrowser()
  await mkdir(screenshots, { recursive: true })
})

afterAll(async () => {
  await page?.context().close()
  await browser?.close()
})

const onPage = <T extends AppPage>(PageObject: PageClass<T>, screenshot?: string) =>
  verifyOnPhone(page, PageObject, screenshot)

async function signInAs(username: string): Promise<void> {
  await page?.context().close()
  page = await signedInPhone(browser, username)
}

describe('early intervention and welfare on a phone', () => {
  it('a supervisor sees their team’s flag, its numbers, and records what was done', async () => {
    await signInAs('supervisor')
    expect(await page.getByTestId('early-intervention-count').textContent()).toContain('1 open flag in your team')
    await page.getByRole('link', { name: 'See early intervention' }).click()
    await onPage(FlagsPage)
    await page.screenshot({ path: `${screenshots}/early-intervention-flags.png`, fullPage: true })
    await page.getByTestId('flag-row').first().getByRole('link').click()
    await onPage(FlagPage)
    expect(await page.getByTestId('flag-summary').textContent()).toContain(
      'Uses of force on children: 3 or more in 90 days',
    )
    expect(await page.getByTestId('team-comparison').textContent()).toMatch(/Team median per officer\s*0/)
    expect(await page.getByTestId('counted-reports').getByRole('link').count()).toBe(3)

    await page.getByLabel('Discussed with the officer').check()
    await page.getByTestId('record-action').click()
    await onPage(FlagPage)
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Describe what was done')
    await page
      .getByLabel('Notes')
      .fill('Went through the three incidents; all justified. Youth diversion training booked.')
    await page.getByLabel('Yes, close the flag').check()
    await page.getByTestId('record-action').click()
    await onPage(FlagPage)
    expect(await page.getByTestId('notice').textContent()).toContain('What was done has been recorded')
    expect(await page.getByTestId('actions').textContent()).toContain('Discussed with the officer')
    expect(await page.getByTestId('flag-summary').textContent()).toContain('Closed')
    await page.screenshot({ path: `${screenshots}/early-intervention-flag.png`, fullPage: true })
  })

  it('a supervisor follows up an assaulted officer’s welfare and sees the monthly trend', async () => {
    await signInAs('supervisor')
    await page.goto('/welfare')
    await onPage(WelfarePage)
    expect(await page.getByTestId('trend').locator('tbody tr').count()).toBe(12)
    await page.screenshot({ path: `${screenshots}/welfare.png`, fullPage: true })
    await page.getByTestId('follow-up-row').first().getByRole('link').click()
    await onPage(FollowUpPage)
    const link = page.getByTestId('steps').getByRole('link').last()
    await link.click()
    await onPage(StepPage)
    await page.getByTestId('save-step').click()
    await onPage(StepPage)
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'Select whether the step was done or is not needed',
    )
    await page.getByLabel('Done', { exact: true }).check()
    await page.getByLabel('Notes (optional)').fill('Occupational health referral made.')
    await page.getByTestId('save-step').click()
    await onPage(FollowUpPage)
    expect(await page.getByTestId('notice').textContent()).toContain('Step recorded')
    expect(await page.getByTestId('steps').textContent()).toContain('Occupational health referral made.')
    await page.screenshot({ path: `${screenshots}/welfare-follow-up.png`, fullPage: true })
  })

  it('Professional Standards changes a threshold, with errors shown first', async () => {
    await signInAs('psd')
    await page.goto('/early-intervention')
    await onPage(FlagsPage)
    await page.getByTestId('thresholds-link').click()
    await onPage(ThresholdsPage)
    await page.getByTestId('thresholds').getByRole('link').first().click()
    await onPage(ThresholdPage)
    await page.locator('#minCount').fill('0')
    await page.getByTestId('save-threshold').click()
    await onPage(ThresholdPage)
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('The number of reports must be from 1')
    await page.locator('#minCount').fill('4')
    await page.getByTestId('save-threshold').click()
    await onPage(ThresholdsPage)
    expect(await page.getByTestId('notice').textContent()).toContain('Threshold saved')
    expect(await page.getByTestId('thresholds').textContent()).toContain('4 or more')
    await page.screenshot({ path: `${screenshots}/early-intervention-thresholds.png`, fullPage: true })
  })
})
