import type { Locator } from 'playwright-core'
import { AppPage } from './app-page.js'

/** The supervisor's queue of reports awaiting review. */
export class ReviewQueuePage extends AppPage {
  protected readonly heading = 'Reports awaiting review'

  /** The queue's entry for an incident, by its reference. */
  entry(reference: string): Locator {
    return this.page.getByTestId('queue-row').filter({ hasText: reference })
  }
}

/** One report under review: its facts, history, the report and the decision form. */
export class ReviewPage extends AppPage {
  protected readonly heading = 'Review this use of force'
  protected override readonly testId = 'review-facts'

  async answerChecklist(answers: Record<string, string>): Promise<void> {
    for (const [question, answer] of Object.entries(answers)) {
      await this.page.getByRole('group', { name: question, exact: true }).getByLabel(answer, { exact: true }).check()
    }
  }

  async decide(decision: string, rationale: string, corrections?: string): Promise<void> {
    await this.page.getByLabel('Your rationale', { exact: true }).fill(rationale)
    await this.page.getByRole('group', { name: 'Your decision' }).getByLabel(decision, { exact: true }).check()
    if (corrections)
      await this.page.getByLabel('If you return it: what the officer must correct', { exact: true }).fill(corrections)
    await this.page.getByTestId('decide').click()
  }

  get history(): Locator {
    return this.page.getByTestId('review-history')
  }
}

export class ReferralsPage extends AppPage {
  protected readonly heading = 'Referrals to Professional Standards'
}

export class ReferralPage extends AppPage {
  protected readonly heading = 'Referral'
  protected override readonly testId = 'referral-facts'
}

export class ReviewSettingsPage extends AppPage {
  protected readonly heading = 'Which reports are reviewed'
}

/** The task list of an amendment to a submitted report (the officer's correction after a return). */
export class AmendTaskListPage extends AppPage {
  protected readonly heading = 'Amend your report'
  protected override readonly testId = 'task-list'

  async openSection(title: string): Promise<void> {
    await this.page.getByTestId('task-list').getByRole('link', { name: title, exact: true }).click()
  }
}

/** The check page of an amendment, with the reason for it. */
export class AmendCheckPage extends AppPage {
  protected readonly heading = 'Check your answers before submitting your amendment'
  protected override readonly testId = 'submit'
}
