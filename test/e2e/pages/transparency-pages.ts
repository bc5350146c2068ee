import { AppPage } from './app-page.js'

/** The analyst's publishing page: drafts, the prepare form and what has been published. */
export class PublishingPage extends AppPage {
  protected readonly heading = 'Publishing'
  protected override readonly testId = 'prepare'
}

/** The preview of a prepared quarter, with the publish form. */
export class PublicationDraftPage extends AppPage {
  protected readonly heading = /to .* \(\d{4}\/\d{2}, quarter \d\)$/
  protected override readonly testId = 'publish'
}

/** The public list of publications (no sign-in). */
export class PublicationsPage extends AppPage {
  protected readonly heading = 'Use of force statistics'
  protected override readonly testId = 'publications'
}

/** One published version (no sign-in): facts, method, downloads and the tables. */
export class PublicationVersionPage extends AppPage {
  protected readonly heading = /^Use of force statistics: /
  protected override readonly testId = 'downloads'
}
