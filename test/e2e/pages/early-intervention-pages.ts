import { AppPage } from './app-page.js'

/** Early-intervention flags and thresholds, and officer welfare follow-ups. */
export class FlagsPage extends AppPage {
  protected readonly heading = 'Early intervention'
  protected override readonly testId = 'flags'
}
export class FlagPage extends AppPage {
  protected readonly heading = /.+/
  protected override readonly testId = 'flag-summary'
}
export class ThresholdsPage extends AppPage {
  protected readonly heading = 'Early-intervention thresholds'
}
export class ThresholdPage extends AppPage {
  protected readonly heading = 'Change a threshold'
}
export class WelfarePage extends AppPage {
  protected readonly heading = 'Officer welfare'
  protected override readonly testId = 'follow-ups'
}
export class FollowUpPage extends AppPage {
  protected readonly heading = /.+/
  protected override readonly testId = 'follow-up-summary'
}
export class StepPage extends AppPage {
  protected readonly heading = /.+/
  protected override readonly testId = 'save-step'
}
