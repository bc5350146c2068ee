import { AppPage } from './app-page.js'

/** Page objects for Taser training and authority, the device register and the armoury. */

export class TaserTrainingPage extends AppPage {
  protected readonly heading = 'Taser training and authority'
}
