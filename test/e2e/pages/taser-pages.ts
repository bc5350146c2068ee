import { AppPage } from './app-page.js'

/** Page objects for Taser training and authority, the device register and the armoury. */

export class TaserTrainingPage extends AppPage {
  protected readonly heading = 'Taser training and authority'
}

export class ArmouryPage extends AppPage {
  protected readonly heading = 'Armoury'
  protected override readonly testId = 'issue-device'
}

export class TaserDevicesPage extends AppPage {
  protected readonly heading = 'Taser devices'
  protected override readonly testId = 'devices'
}
