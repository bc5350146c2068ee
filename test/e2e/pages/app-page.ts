import type { Locator, Page } from 'playwright-core'
import { expect } from 'vitest'
import { expectAccessible } from '../support/browser.js'

/** A link as the user sees it: its text and where it goes. */
export interface Link {
  text: string
  href: string
}

/** Every link a locator matches, in document order. */
export async function linksIn(links: Locator): Promise<Link[]> {
  return Promise.all(
    (await links.all()).map(async (link) => ({
      text: ((await link.textContent()) ?? '').trim(),
      href: (await link.getAttribute('href')) ?? '',
    })),
  )
}

/** A page object's class, so `verifyOnPage` can build the right one. */
export type PageClass<T extends AppPage> = new (page: Page) => T

/**
 * What every ForceLedger page shares: the layout's header, service navigation and account area. Subclasses say
 * which h1 (and, where the page has one, which test id) identifies them.
 */
export abstract class AppPage {
  /** The page's one h1: exact text, or a pattern when it holds data. */
  protected abstract readonly heading: string | RegExp
  /** An element only this page has, when there is one. */
  protected readonly testId: string | undefined = undefined

  constructor(readonly page: Page) {}

  /**
   * Waits for this page (so it also follows a form post or a link), checks it is the page expected and runs axe
   * on it. Every page a test visits goes through here.
   */
  static async verifyOnPage<T extends AppPage>(this: PageClass<T>, page: Page): Promise<T> {
    const pageObject = new this(page)
    await pageObject.verify()
    return pageObject
  }

  async verify(): Promise<this> {
    const heading = this.page.getByRole('heading', {
      level: 1,
      name: this.heading,
      exact: typeof this.heading === 'string',
    })
    await heading.waitFor()
    if (this.testId) await this.page.getByTestId(this.testId).first().waitFor()
    await this.page.waitForLoadState('load')
    expect(await this.page.getByRole('heading', { level: 1 }).count(), 'one h1 on the page').toBe(1)
    await expectAccessible(this.page)
    return this
  }

  /** The service navigation, shown to signed-in users. */
  get navigation(): Locator {
    return this.page.getByRole('navigation', { name: 'Menu' })
  }

  /** The navigation's links, in order (on a phone they are behind the Menu button). */
  navigationLinks(): Promise<Link[]> {
    return linksIn(this.navigation.getByRole('link', { includeHidden: true }))
  }

  navigationLink(text: string): Locator {
    return this.navigation.getByRole('link', { name: text, exact: true })
  }

  get account(): Locator {
    return this.page.getByTestId('account')
  }

  get signOutButton(): Locator {
    return this.page.getByRole('button', { name: 'Sign out' })
  }

  async signOut(): Promise<void> {
    await this.signOutButton.click()
  }
}
