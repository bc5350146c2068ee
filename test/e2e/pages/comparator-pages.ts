import { AppPage } from './app-page.js'

export class ComparatorsPage extends AppPage {
  protected readonly heading = 'National comparators'
  protected override readonly testId = 'comparator-imports'
}
