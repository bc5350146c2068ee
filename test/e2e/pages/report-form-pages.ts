import type { Locator, Page } from 'playwright-core'
import { AppPage, linksIn, type Link } from './app-page.js'

/** The answers of one section's summary list (check your answers, or a submitted report), question to answer. */
async function summaryAnswers(page: Page, section: string): Promise<Record<string, string>> {
  const rows = await page.getByTestId(`summary-${section}`).locator('.govuk-summary-list__row').all()
  const pairs = await Promise.all(
    rows.map(async (row) => {
      const key = await row.locator('.govuk-summary-list__key').innerText()
      const value = await row.locator('.govuk-summary-list__value').innerText()
      return [key.trim(), value.trim()] as const
    }),
  )
  return Object.fromEntries(pairs)
}

/** The draft's task list: the sections of the report, each with its status. */
export class TaskListPage extends AppPage {
  protected readonly heading = 'Use of force report'
  protected override readonly testId = 'task-list'

  get taskList(): Locator {
    return this.page.getByTestId('task-list')
  }

  /** Each section and its status, as "Section: status". */
  async statuses(): Promise<string[]> {
    const items = await this.taskList.getByRole('listitem').all()
    return Promise.all(
      items.map(async (item) => {
        // The name is the link, or plain text when the section cannot start; a hint may follow it.
        const name = await item.locator('.govuk-task-list__name-and-hint > :first-child').innerText()
        const status = await item.locator('.govuk-task-list__status').innerText()
        return `${name.trim()}: ${status.trim()}`
      }),
    )
  }

  async progress(): Promise<string> {
    return (await this.page.getByTestId('progress').innerText()).trim()
  }

  async openSection(title: string): Promise<void> {
    await this.taskList.getByRole('link', { name: title, exact: true }).click()
  }

  async checkAnswers(): Promise<void> {
    await this.page.getByTestId('check-answers').click()
  }
}

/** What every section page of the form shares: its questions, the save buttons and the error summary. */
export abstract class SectionPage extends AppPage {
  /** A question asked with a fieldset (radios, checkboxes, a date), by its legend. */
  question(legend: string): Locator {
    return this.page.getByRole('group', { name: legend, exact: true })
  }

  /** A box, select or textarea, by its label. */
  field(label: string, within: Page | Locator = this.page): Locator {
    return within.getByLabel(label, { exact: true })
  }

  async choose(legend: string, answer: string): Promise<void> {
    await this.question(legend).getByLabel(answer, { exact: true }).check()
  }

  async tick(legend: string, answers: string[]): Promise<void> {
    for (const answer of answers) await this.question(legend).getByLabel(answer, { exact: true }).check()
  }

  /** Whether a radio or checkbox answer is selected, as the page now shows it. */
  isSelected(legend: string, answer: string): Promise<boolean> {
    return this.question(legend).getByLabel(answer, { exact: true }).isChecked()
  }

  async saveAndContinue(): Promise<void> {
    await this.page.getByTestId('save').click()
  }

  /** The GOV.UK error summary. Waiting for it also waits for the re-rendered page, whose h1 is unchanged. */
  get errorSummary(): Locator {
    return this.page.getByRole('alert').filter({ hasText: 'There is a problem' })
  }

  errorLinks(): Promise<Link[]> {
    return linksIn(this.errorSummary.getByRole('link'))
  }
}

export class IncidentChoicePage extends SectionPage {
  protected readonly heading = 'Which incident is your report about?'
}

export class IncidentDetailsPage extends SectionPage {
  protected readonly heading = 'The incident'

  /** A London wall-clock date and time, in the form's four boxes. */
  async occurredAt(date: { day: string; month: string; year: string }, time: string): Promise<void> {
    const when = this.question('Date of the incident')
    await this.field('Day', when).fill(date.day)
    await this.field('Month', when).fill(date.month)
    await this.field('Year', when).fill(date.year)
    await this.field('Time of the incident').fill(time)
  }
}

export class PersonDetailsPage extends SectionPage {
  protected readonly heading = 'The person you used force on'
}

export class TacticsPage extends SectionPage {
  protected readonly heading = 'What force did you use?'

  get rows(): Locator {
    return this.page.getByTestId('tactic-row')
  }

  /** Fills in tactic `n` (from 1), adding its row first when the page does not have it yet. */
  async tactic(n: number, tactic: string, effective: 'Yes' | 'No'): Promise<void> {
    if ((await this.rows.count()) < n) {
      await this.page.getByRole('button', { name: 'Add another tactic' }).click()
      // The page comes back from the server with one more row (no JavaScript is needed to add one).
      await this.rows.nth(n - 1).waitFor()
    }
    const row = this.rows.nth(n - 1)
    await this.field(`What did you do in tactic ${n}?`, row).selectOption({ label: tactic })
    await this.choose(`Was tactic ${n} effective?`, effective)
  }
}

export class CedUsePage extends SectionPage {
  protected readonly heading = /^CED use \d$/
}

export class CedUsesPage extends AppPage {
  protected readonly heading = 'CED uses'
  protected override readonly testId = 'ced-uses'

  async returnToTaskList(): Promise<void> {
    await this.page.getByRole('button', { name: 'Return to the task list' }).click()
  }
}

export class ReasonsPage extends SectionPage {
  protected readonly heading = 'Why did you use force?'
}

export class OutcomesPage extends SectionPage {
  protected readonly heading = 'Outcomes and injuries'
}

export class AboutYouPage extends SectionPage {
  protected readonly heading = 'About you'
}

/** The form's last section. Its h1 is the same as the account settings page's; the caption tells them apart. */
export class YourAccountSectionPage extends SectionPage {
  protected readonly heading = 'Your account'
  protected override readonly testId = 'save'
}

export class CheckAnswersPage extends AppPage {
  protected readonly heading = 'Check your answers before submitting your report'
  protected override readonly testId = 'submit'

  answers(section: string): Promise<Record<string, string>> {
    return summaryAnswers(this.page, section)
  }

  async submit(): Promise<void> {
    await this.page.getByTestId('submit').click()
  }
}

export class ReportSubmittedPage extends AppPage {
  protected readonly heading = 'Report submitted'
  protected override readonly testId = 'submitted'

  async reference(): Promise<string> {
    return (await this.page.getByTestId('reference').innerText()).trim()
  }

  async whatHappensNext(): Promise<string> {
    return (await this.page.getByTestId('review').innerText()).trim()
  }
}

/** A submitted report, as its officer (or anyone allowed to read it) sees it. */
export class ReportPage extends AppPage {
  protected readonly heading = 'Use of force report'
  protected override readonly testId = 'report-facts'

  answers(section: string): Promise<Record<string, string>> {
    return summaryAnswers(this.page, section)
  }
}
