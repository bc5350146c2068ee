import { AppPage } from './app-page.js'

/** Page objects for deployment authorisations, accreditations, the deployment funnel and the threat assessment. */

export class AuthorisationsPage extends AppPage {
  protected readonly heading = 'Deployment authorisations'
  protected override readonly testId = 'authorisations'
}
export class RecordAuthorisationPage extends AppPage {
  protected readonly heading = 'Record a deployment authorisation'
}
export class AuthorisationPage extends AppPage {
  protected readonly heading = /^Incident /
  protected override readonly testId = 'authorisation'
}
export class AccreditationsPage extends AppPage {
  protected readonly heading = 'Accreditations to authorise deployments'
  protected override readonly testId = 'accreditations'
}
export class AddAccreditationPage extends AppPage {
  protected readonly heading = 'Add an accreditation'
}
export class FunnelPage extends AppPage {
  protected readonly heading = 'Deployment funnel'
  protected override readonly testId = 'funnel'
}
export class IncidentCountsPage extends AppPage {
  protected readonly heading = 'Incident counts'
  protected override readonly testId = 'counts'
}
export class AssessmentsPage extends AppPage {
  protected readonly heading = 'Threat and risk assessment'
  protected override readonly testId = 'versions'
}
export class AssessmentPage extends AppPage {
  protected readonly heading = /^Version \d+/
  protected override readonly testId = 'assessment'
}
export class EditAssessmentPage extends AppPage {
  protected readonly heading = 'Change the draft'
}
