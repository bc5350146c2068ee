import { AppPage } from './app-page.js'

export class DeviceLogsPage extends AppPage {
  protected readonly heading = 'Device logs'
  protected override readonly testId = 'imports'
}

export class DeviceLogUploadPage extends AppPage {
  protected readonly heading = 'Import a device log'

  async upload(file: string): Promise<void> {
    await this.page.locator('#file').setInputFiles(file)
    await this.page.getByTestId('import').click()
  }
}

export class CameraUploadPage extends AppPage {
  protected readonly heading = 'Import camera recordings'
}

export class DeviceLogImportPage extends AppPage {
  protected readonly heading = /^[A-Z0-9]+-[A-Z0-9-]+$/
  protected override readonly testId = 'import-summary'
}

export class ReconciliationPage extends AppPage {
  protected readonly heading = 'Reconciliation exceptions'
  protected override readonly testId = 'filters'
}

export class ExceptionPage extends AppPage {
  protected readonly heading = /^(Unreported discharge|Unreported arc|Not downloaded in time|Clock drift|.+)$/
  protected override readonly testId = 'exception-summary'
}

export class ReconciliationSettingsPage extends AppPage {
  protected readonly heading = 'Reconciliation settings'
}
