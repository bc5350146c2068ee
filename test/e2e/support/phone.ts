// The steps every browser test on a phone shares: page checks and signing in (the navigation is AppPage's).
import { mkdir } from 'node:fs/promises'
import type { Browser, Page } from 'playwright-core'
import { expect } from 'vitest'
import { DEMO_PASSWORD } from '../../../src/db/seed/seed-demo.js'
import type { AppPage, PageClass } from '../pages/app-page.js'
import { SignInPage } from '../pages/auth-pages.js'
import { HomePage } from '../pages/home-page.js'
import { newPage, phone, scrollWidth } from './browser.js'

/** Where tests leave screenshots for a person to look at. */
export const screenshots = '/tmp/forceledger-screens'

/**
 * What every page view on a phone is checked for: the page object's own `verify` (its heading, and axe), and no
 * sideways scrolling at 375 px. Optionally leaves a full-page screenshot named `screenshot`.
 */
export async function verifyOnPhone<T extends AppPage>(
  page: Page,
  PageObject: PageClass<T>,
  screenshot?: string,
): Promise<T> {
  const shown = await new PageObject(page).verify()
  const where = new URL(page.url()).pathname
  if (screenshot) {
    await mkdir(screenshots, { recursive: true })
    await page.screenshot({ path: `${screenshots}/${screenshot}.png`, fullPage: true })
  }
  expect(await scrollWidth(page), `${where} scrolls sideways at ${phone.width} px`).toBeLessThanOrEqual(phone.width)
  return shown
}

/** A new phone (its own cookies) signed in as `username`, on the home page. */
export async function signedInPhone(browser: Browser, username: string): Promise<Page> {
  const page = await newPage(browser, phone)
  await (await SignInPage.open(page)).signIn(username, DEMO_PASSWORD)
  await verifyOnPhone(page, HomePage)
  return page
}
