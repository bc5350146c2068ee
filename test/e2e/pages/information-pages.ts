import { AppPage } from './app-page.js'

export class AccessibilityStatementPage extends AppPage {
  protected readonly heading = 'Accessibility statement for ForceLedger'
}

export class PrivacyNoticePage extends AppPage {
  protected readonly heading = 'Privacy notice'
}
