import { AppPage } from './app-page.js'

export class ForbiddenPage extends AppPage {
  protected readonly heading = 'You do not have permission to see this page'
}

export class NotFoundPage extends AppPage {
  protected readonly heading = 'Page not found'
}
