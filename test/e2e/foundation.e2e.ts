import { mkdir } from 'node:fs/promises'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoAccounts } from '../../src/db/seed/demo-force.js'
import { DEMO_PASSWORD } from '../../src/db/seed/seed-demo.js'
import type { Role } from '../../src/domain/roles.js'
import type { Principal } from '../../src/features/auth/policy.js'
import { navigationFor, sections, sectionsFor } from '../../src/web/navigation.js'
import { SignedOutPage, SignInPage } from './pages/auth-pages.js'
import { ForbiddenPage, NotFoundPage } from './pages/error-pages.js'
import type { AppPage } from './pages/app-page.js'
import { HomePage } from './pages/home-page.js'
import { AccessibilityStatementPage, PrivacyNoticePage } from './pages/information-pages.js'
import { verifySectionPage } from './pages/section-pages.js'
import {
  checkedPages,
  desktop,
  expectAccessible,
  launchBrowser,
  newPage,
  phone,
  scrollWidth,
} from './support/browser.js'
import { screenshots } from './support/phone.js'

// Each role's test opens every page it may (through its navigation group) and every page it may not, about 30 pages
// with axe on each: more than the default minute on a busy machine.
const ROLE_TEST_TIMEOUT_MS = 180_000

/** The policy's view of a demo account: navigation depends only on the roles held. */
function principalWith(role: Role): Principal {
  return { userId: 'e2e', forceId: 'e2e', roles: [role], personId: null, unitPath: [] }
}

let browser: Browser
const opened: Page[] = []

async function open(viewport?: typeof phone): Promise<Page> {
  const page = await newPage(browser, viewport)
  opened.push(page)
  return page
}

async function signInAs(page: Page, username: string): Promise<HomePage> {
  const signInPage = await SignInPage.open(page)
  await signInPage.signIn(username, DEMO_PASSWORD)
  return HomePage.verifyOnPage(page)
}

beforeAll(async () => {
  browser = await launchBrowser()
  await mkdir(screenshots, { recursive: true })
})

afterAll(async () => {
  await Promise.all(opened.map((page) => page.context().close()))
  await browser?.close()
  console.log(`axe passed ${checkedPages.length} page views (${new Set(checkedPages).size} distinct paths)`)
})

describe('signed out', () => {
  it('shows the sign-in, accessibility and privacy pages', async () => {
    const page = await open()
    await SignInPage.open(page)
    await page.getByRole('link', { name: 'Accessibility statement' }).click()
    await AccessibilityStatementPage.verifyOnPage(page)
    await page.getByRole('link', { name: 'Privacy notice' }).click()
    await PrivacyNoticePage.verifyOnPage(page)
  })

  it('shows the API documentation and lets an officer create and revoke an API token', async () => {
    const page = await open(phone)
    await page.goto('/developers/api')
    await page.getByRole('heading', { level: 1, name: 'ForceLedger API' }).waitFor()
    await expectAccessible(page)
    expect(await scrollWidth(page)).toBeLessThanOrEqual(phone.width)

    await signInAs(page, 'officer')
    await page.goto('/account')
    await page.getByRole('link', { name: 'Manage your API tokens' }).click()
    await page.getByRole('heading', { level: 1, name: 'API tokens' }).waitFor()
    await expectAccessible(page)
    await page.getByLabel('Name').fill('Browser test')
    await page.getByTestId('create-token').click()
    const token = page.getByTestId('new-token')
    await token.waitFor()
    expect(await token.textContent()).toMatch(/flt_/)
    await expectAccessible(page)
    expect(await scrollWidth(page)).toBeLessThanOrEqual(phone.width)
    await page.getByRole('button', { name: 'Revoke Browser test' }).click()
    await page.getByTestId('tokens').getByText('Revoked').waitFor()
  })

  it('shows the 404 page for an unknown address', async () => {
    const page = await open()
    const response = await page.goto('/no-such-page')
    expect(response?.status()).toBe(404)
    await NotFoundPage.verifyOnPage(page)
  })

  it('sends a signed-out visitor to sign in, and back to the page they asked for', async () => {
    const page = await open()
    await page.goto('/account')
    const signInPage = await SignInPage.verifyOnPage(page)
    await signInPage.signIn('officer', DEMO_PASSWORD)
    await verifySectionPage('/account', page)
    expect(new URL(page.url()).pathname).toBe('/account')
  })

  it('links a wrong password to the username field in the error summary', async () => {
    const page = await open()
    const signInPage = await SignInPage.open(page)
    await signInPage.signIn('analyst', 'not-the-password')
    await signInPage.errorSummary.waitFor()
    await signInPage.verify()
    expect(await page.title()).toMatch(/^Error: /)
    const message = 'Enter a correct username and password'
    const link = signInPage.errorSummary.getByRole('link', { name: message })
    expect(await link.getAttribute('href')).toBe('#username')
    expect(await page.locator('#username-error').textContent()).toContain(message)
    expect(await signInPage.username.getAttribute('aria-describedby')).toContain('username-error')
    // The username is kept, the password never echoed back.
    expect(await signInPage.username.inputValue()).toBe('analyst')
    expect(await signInPage.password.inputValue()).toBe('')
    await link.click()
    await page.locator('#username:focus').waitFor()
  })
})

for (const account of demoAccounts) {
  describe(`signed in as ${account.username}`, () => {
    const expected = sectionsFor(principalWith(account.role))
    const forbidden = sections.filter((section) => !expected.includes(section))

    it(
      `${account.username} sees exactly the role’s sections, each accessible, is refused the others and signs out`,
      async () => {
        const page = await open()
        const home = await signInAs(page, account.username)
        expect(await home.welcome()).toBe(`Welcome, ${account.displayName}`)
        expect(await home.account.textContent()).toContain(account.displayName)

        const asLinks = (list: { text: string; href: string }[]) => list.map((s) => ({ text: s.text, href: s.href }))
        const topLevel = asLinks(navigationFor(principalWith(account.role), '/').navigation)
        expect(await home.navigationLinks()).toEqual(topLevel)
        expect(await home.sectionLinks()).toEqual(asLinks(expected.filter((s) => s.href !== '/')))

        // Every page through the navigation, marked current there: in the sub navigation when its group has several.
        let from: AppPage = home
        for (const section of expected) {
          await from.openFromNavigation(section.text)
          from = await verifySectionPage(section.href, page)
          const inGroup = from.subNavigationLink(section.text)
          const current = (await inGroup.count()) > 0 ? inGroup : from.navigationLink(section.text)
          expect(await current.getAttribute('aria-current'), section.href).toBe('true')
        }

        for (const section of forbidden) {
          const response = await page.goto(section.href)
          expect(response?.status(), section.href).toBe(403)
          const refused = await ForbiddenPage.verifyOnPage(page)
          // Still signed in, with the same navigation.
          expect(await refused.navigationLinks()).toEqual(topLevel)
        }

        await home.signOut()
        await SignedOutPage.verifyOnPage(page)
        // The session is gone, not just the page: a signed-in page now asks for sign-in.
        await page.goto('/')
        await SignInPage.verifyOnPage(page)
      },
      ROLE_TEST_TIMEOUT_MS,
    )
  })
}

describe('layout', () => {
  it('fits a phone without scrolling sideways', async () => {
    const page = await open(phone)
    const home = await signInAs(page, 'admin')
    expect(await scrollWidth(page)).toBeLessThanOrEqual(phone.width)
    await page.screenshot({ path: `${screenshots}/home-phone.png`, fullPage: true })

    // The navigation folds behind a Menu button; opened, it still fits and passes axe.
    const menu = home.navigation.getByRole('button', { name: 'Menu' })
    await menu.click()
    expect(await menu.getAttribute('aria-expanded')).toBe('true')
    await home.navigationLink('Admin').waitFor()
    expect(await scrollWidth(page)).toBeLessThanOrEqual(phone.width)
    await home.verify()
    await page.screenshot({ path: `${screenshots}/home-phone-menu.png`, fullPage: true })
    expect(await home.signOutButton.isVisible()).toBe(true)
  })

  it('looks right on a desktop', async () => {
    const page = await open()
    await signInAs(page, 'supervisor')
    expect(await scrollWidth(page)).toBeLessThanOrEqual(desktop.width)
    await page.screenshot({ path: `${screenshots}/home-desktop.png`, fullPage: true })
  })
})
