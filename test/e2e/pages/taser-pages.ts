import type { Locator } from 'playwright-core'
import { AppPage } from './app-page.js'

/** Page objects for Taser training and authority, the device register and the armoury. */

export class TaserTrainingPage extends AppPage {
  protected readonly heading = 'Taser training and authority'

  /** The rows of "Authority lapses in the next 30 days" for a model. */
  lapsingOn(model: string): Locator {
    return this.page.getByTestId('lapsing').getByRole('row').filter({ hasText: model })
  }

  /** The rows of "Trained but not authorised" whose reasons include the given text. */
  notAuthorisedWith(reason: string): Locator {
    return this.page.getByTestId('not-authorised').getByRole('row').filter({ hasText: reason })
  }
}

export class OfficerAuthorityPage extends AppPage {
  protected readonly heading = /./
  protected override readonly testId = 'prerequisites'

  model(model: string): Locator {
    return this.page.getByTestId(`model-${model}`)
  }
}

export class ArmouryPage extends AppPage {
  protected readonly heading = 'Armoury'
  protected override readonly testId = 'issue-device'

  get refusals(): Locator {
    return this.page.getByTestId('refusal')
  }
}

export class IssueDevicePage extends AppPage {
  protected readonly heading = 'Issue a Taser'

  get errorSummary(): Locator {
    return this.page.getByRole('alert').filter({ hasText: 'There is a problem' })
  }

  async issue(collar: string, serial: string, sparkTest: 'Passed' | 'Failed'): Promise<void> {
    await this.page.getByLabel('Officer’s collar number').fill(collar)
    await this.page.getByLabel('Device serial number').fill(serial)
    await this.page.getByRole('group', { name: 'Spark test' }).getByLabel(sparkTest, { exact: true }).check()
    await this.page.getByTestId('issue-submit').click()
  }
}

export class IssueRefusedPage extends AppPage {
  protected readonly heading = 'Issue refused'
  protected override readonly testId = 'refusal-reasons'

  get reasons(): Locator {
    return this.page.getByTestId('refusal-reasons').getByRole('listitem')
  }
}

export class IssuedPage extends AppPage {
  protected readonly heading = /^Device .+ issued$/

  async recordReturn(): Promise<void> {
    await this.page.getByRole('button', { name: 'Record return' }).click()
  }
}

export class ReturnedPage extends AppPage {
  protected readonly heading = 'Device returned'
}

export class TaserDevicesPage extends AppPage {
  protected readonly heading = 'Taser devices'
  protected override readonly testId = 'devices'

  /** Serial numbers of the listed devices that nobody holds. */
  async freeSerials(): Promise<string[]> {
    const rows = await this.page.getByTestId('devices').locator('tbody tr').all()
    const free: string[] = []
    for (const row of rows) {
      const cells = await row.locator('td').allTextContents()
      if (cells.length === 5 && (cells[4] ?? '').trim() === '') free.push((cells[0] ?? '').trim())
    }
    return free
  }
}

export class DevicePage extends AppPage {
  protected readonly heading = /^Device /
  protected override readonly testId = 'history'
}

export class CartridgesPage extends AppPage {
  protected readonly heading = 'Taser cartridges'
  protected override readonly testId = 'cartridges'
}

export class TrainingImportPage extends AppPage {
  protected readonly heading = 'Import training records'

  async upload(file: string): Promise<void> {
    await this.page.locator('#file').setInputFiles(file)
    await this.page.getByTestId('import').click()
  }

  get lineErrors(): Locator {
    return this.page.getByTestId('line-errors')
  }
}

export class TrainingImportedPage extends AppPage {
  protected readonly heading = /^(Training records imported|Nothing to import)$/
  protected override readonly testId = 'import-result'
}
