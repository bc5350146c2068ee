import { AppPage } from './app-page.js'

/** Page objects for external scrutiny (src/features/scrutiny). */

export class ScrutinyPanelsPage extends AppPage {
  protected readonly heading = 'Scrutiny panels'
}

export class ScrutinyPanelPage extends AppPage {
  protected readonly heading = /panel$/
  protected override readonly testId = 'draw-link'
}

export class DrawSamplePage extends AppPage {
  protected readonly heading = 'Draw a sample'
}

export class ScrutinySamplePage extends AppPage {
  protected readonly heading = 'Sample'
  protected override readonly testId = 'cases'
}

export class PanelHomePage extends AppPage {
  protected readonly heading = 'Your scrutiny panel'
}

export class PanelSamplePage extends AppPage {
  protected readonly heading = 'Case packs'
  protected override readonly testId = 'cases'
}

export class CasePackPage extends AppPage {
  protected readonly heading = /^Case \d+$/
  protected override readonly testId = 'pack'
}

export class RedrawPage extends AppPage {
  protected readonly heading = 'Draw the sample again'
}

export class PanelSummaryPage extends AppPage {
  protected readonly heading = 'Panel summary'
  protected override readonly testId = 'findings-table'
}

export class SamplingMethodPage extends AppPage {
  protected readonly heading = 'How scrutiny samples are drawn and case packs anonymised'
}

export class PanelFeedbackPage extends AppPage {
  protected readonly heading = 'Scrutiny panel feedback'
}
