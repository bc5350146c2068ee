import type { Locator } from 'playwright-core'
import { AppPage } from './app-page.js'

export class DashboardsPage extends AppPage {
  protected readonly heading = 'Dashboards'
  protected override readonly testId = 'headlines'

  /** A chart, by its test id (e.g. 'chart-trend'). */
  chart(id: string): Locator {
    return this.page.getByTestId(id)
  }

  /** A table, by its test id (e.g. 'table-trend'). */
  table(id: string): Locator {
    return this.page.getByTestId(id)
  }

  async headline(label: string): Promise<number> {
    const item = this.page.getByTestId('headlines').locator('div').filter({ hasText: label })
    return Number(((await item.locator('dd').textContent()) ?? '').replace(/,/g, ''))
  }

  async filter(options: { from?: string; to?: string; unit?: string }): Promise<void> {
    if (options.from) await this.page.getByLabel('From').selectOption({ label: options.from })
    if (options.to) await this.page.getByLabel('To').selectOption({ label: options.to })
    // Units are indented by depth ("– North BCU"), so an option is found by the name it ends with.
    if (options.unit) {
      const unit = this.page.getByLabel('Unit')
      const option = unit.locator('option').filter({ hasText: new RegExp(`(^|– )${options.unit}$`) })
      await unit.selectOption((await option.getAttribute('value')) ?? '')
    }
    await this.page.getByTestId('show-figures').click()
  }

  async openDisproportionality(): Promise<void> {
    await this.page.getByRole('link', { name: 'Rates per head of population and disproportionality' }).click()
  }
}

export class DisproportionalityPage extends AppPage {
  protected readonly heading = 'Disproportionality'
  protected override readonly testId = 'table-rr-reports'

  /** The relative-rate cell of a group, e.g. ('reports', 'black'). */
  relativeRate(measure: string, group: string): Locator {
    return this.page.getByTestId(`rr-${measure}-${group}`).locator('td').last()
  }
}
