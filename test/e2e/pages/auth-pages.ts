import type { Locator, Page } from 'playwright-core'
import { AppPage } from './app-page.js'

export class SignInPage extends AppPage {
  protected readonly heading = 'Sign in to ForceLedger'
  protected override readonly testId = 'sign-in'

  static async open(page: Page): Promise<SignInPage> {
    await page.goto('/sign-in')
    return SignInPage.verifyOnPage(page)
  }

  get username(): Locator {
    return this.page.getByLabel('Username', { exact: true })
  }

  get password(): Locator {
    return this.page.getByLabel('Password', { exact: true })
  }

  /** Fills the form in and submits it; the caller verifies the page it lands on. */
  async signIn(username: string, password: string): Promise<void> {
    await this.username.fill(username)
    await this.password.fill(password)
    await this.page.getByTestId('sign-in').click()
  }

  /** The GOV.UK error summary. Waiting for it also waits for the re-rendered form, whose h1 is unchanged. */
  get errorSummary(): Locator {
    return this.page.getByRole('alert').filter({ hasText: 'There is a problem' })
  }
}

export class SignedOutPage extends AppPage {
  protected readonly heading = 'You have signed out'
}
