import type { Locator, Page } from 'playwright-core'
import { expect } from 'vitest'
import { navigationGroups } from '../../../src/web/navigation.js'
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

  /** The pages of the navigation group this page is in, under the service navigation (when the group has several). */
  get subNavigation(): Locator {
    return this.page.getByTestId('sub-navigation')
  }

  subNavigationLink(text: string): Locator {
    return this.subNavigation.getByRole('link', { name: text, exact: true })
  }

  /**
   * Opens a page from the navigation as a reader would: from the sub navigation when this page is in its group;
   * otherwise by its own link when its group shows as that one page, or by the group's link and then the page in
   * the group's sub navigation. On a phone the service navigation is behind the Menu button.
   */
  async openFromNavigation(text: string): Promise<void> {
    const inGroup = this.subNavigationLink(text)
    if ((await inGroup.count()) > 0) return inGroup.click()
    const group = navigationGroups.find((g) => g.items.some((item) => item.text === text))
    if (!group) throw new Error(`No page called ${text} in the navigation`)
    const menu = this.navigation.getByRole('button', { name: 'Menu' })
    if (await menu.isVisible()) await menu.click()
    const own = this.navigationLink(text)
    if (group.text !== text && (await own.count()) > 0) return own.click()
    await this.navigationLink(group.text).click()
    // The group opens on its first page; the sub navigation there leads to the rest.
    if (group.items[0]?.text !== text) await inGroup.click()
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
