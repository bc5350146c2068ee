import { AxeBuilder } from '@axe-core/playwright'
import { chromium, type Browser, type Page } from 'playwright-core'
import { inject } from 'vitest'

/** Where the app under test listens (started by support/server.ts). */
export const baseUrl = inject('baseUrl')

/** Debian's Chromium: the tests never download a browser. */
export const chromiumPath = '/usr/bin/chromium'

export const desktop = { width: 1280, height: 900 }
export const phone = { width: 375, height: 812 }

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    // Without the background-networking flags Chromium keeps reaching for Google's servers, which this closed
    // network turns into stalls.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/** A page in a fresh context (no cookies), as someone in England would open it. */
export async function newPage(browser: Browser, viewport = desktop): Promise<Page> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport, locale: 'en-GB', timezoneId: 'Europe/London' })
  return context.newPage()
}

/** WCAG 2.0, 2.1 and 2.2 at levels A and AA: the standard the accessibility statement says the service aims for. */
export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

/** Every page axe has passed in this run, for the summary at the end. */
export const checkedPages: string[] = []

/** Runs axe on the page as it is now and fails with every violation, its help text and the elements affected. */
export async function expectAccessible(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(wcagTags).analyze()
  const where = new URL(page.url()).pathname
  if (violations.length > 0) {
    const report = violations.map((violation) => {
      const nodes = violation.nodes.map((node) => `    ${node.target.join(' ')}\n      ${node.failureSummary ?? ''}`)
      return `  ${violation.id} (${violation.impact ?? 'unknown impact'}): ${violation.help}\n    ${violation.helpUrl}\n${nodes.join('\n')}`
    })
    throw new Error(`${violations.length} accessibility violation(s) on ${where}:\n${report.join('\n')}`)
  }
  checkedPages.push(where)
}

/** How wide the document is, to catch content that makes a phone scroll sideways. */
export async function scrollWidth(page: Page): Promise<number> {
  // A string, because the project compiles without the DOM library.
  return Number(await page.evaluate('document.scrollingElement.scrollWidth'))
}
