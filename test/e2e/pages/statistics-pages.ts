import type { Locator } from 'playwright-core'
import { AppPage } from './app-page.js'

/** The list of Home Office tables, with the period and unit filter. */
export class StatisticsPage extends AppPage {
  protected readonly heading = 'Home Office statistics'
  protected override readonly testId = 'tables'

  async choosePeriod(from: string, to: string, unit?: string): Promise<void> {
    await this.page.getByLabel('From').selectOption(from)
    await this.page.getByLabel('To').selectOption(to)
    if (unit !== undefined) await this.page.getByLabel('Unit').selectOption({ label: unit })
    await this.page.getByTestId('show-tables').click()
  }

  tableLink(title: RegExp): Locator {
    return this.page.getByTestId('tables').getByRole('link', { name: title })
  }

  get reportCount(): Locator {
    return this.page.getByTestId('report-count')
  }
}

/** One table of the set. */
export class StatisticsTablePage extends AppPage {
  protected readonly heading = /^Table \d+: /
  protected override readonly testId = 'stat-table'

  /** The cells of a row, by its label, as numbers (blank cells as null). */
  async rowValues(label: string): Promise<(number | null)[]> {
    const row = this.page
      .getByTestId('stat-table')
      .getByRole('row')
      .filter({
        has: this.page.getByRole('rowheader', { name: label, exact: true }),
      })
    const cells = await row.first().getByRole('cell').allTextContents()
    return cells.map((text) =>
      text.trim() === '' || /Not applicable/.test(text) ? null : Number(text.replace(/,/g, '')),
    )
  }
}

/** The annual data return and its validation report. */
export class AnnualReturnPage extends AppPage {
  protected readonly heading = 'Annual data return'
  protected override readonly testId = 'return-summary'
}
