import type { Locator, Page } from 'playwright-core'
import { AppPage, type PageClass } from './app-page.js'
import { ComparatorsPage } from './comparator-pages.js'
import { StatisticsPage } from './statistics-pages.js'
import { PublishingPage } from './transparency-pages.js'
import { DashboardsPage } from './dashboard-pages.js'
import { AssessmentsPage, AuthorisationsPage, FunnelPage } from './authorisation-pages.js'
import { FlagsPage, WelfarePage } from './early-intervention-pages.js'
import { HomePage } from './home-page.js'
import { ArmouryPage, TaserDevicesPage, TaserTrainingPage } from './taser-pages.js'
import { DeviceLogsPage, ReconciliationPage } from './reconciliation-pages.js'
import { ReferralsPage, ReviewQueuePage, ReviewSettingsPage } from './review-pages.js'
import { PanelFeedbackPage, PanelHomePage, ScrutinyPanelsPage } from './scrutiny-pages.js'

export class AccountPage extends AppPage {
  protected readonly heading = 'Your account'
}

export class YourReportsPage extends AppPage {
  protected readonly heading = 'Your reports'
  protected override readonly testId = 'start-report'

  async startReport(): Promise<void> {
    await this.page.getByTestId('start-report').click()
  }

  /** A submitted report in the list, by its incident reference. */
  submittedReport(reference: string): Locator {
    const link = this.page.getByRole('link', { name: reference, exact: true })
    return this.page.getByTestId('submitted-reports').getByRole('listitem').filter({ has: link })
  }
}

export class PeoplePage extends AppPage {
  protected readonly heading = 'People'
  protected override readonly testId = 'people'
}

export class UsersPage extends AppPage {
  protected readonly heading = 'Users'
  protected override readonly testId = 'users'
}

export class OrganisationPage extends AppPage {
  protected readonly heading = 'Organisation'
  protected override readonly testId = 'units'
}

export class DataSharingPage extends AppPage {
  protected readonly heading = 'Data-sharing extracts'
  protected override readonly testId = 'download-extract'

  /** Chooses an agreement and a period (months as shown, e.g. 'March 2026'); leave a choice out to test its error. */
  async choose(options: { agreement?: string; from?: string; to?: string }): Promise<void> {
    if (options.agreement) await this.page.getByLabel(options.agreement).check()
    if (options.from) await this.page.getByLabel('First month').selectOption({ label: options.from })
    if (options.to) await this.page.getByLabel('Last month').selectOption({ label: options.to })
  }

  download(): Locator {
    return this.page.getByTestId('download-extract')
  }

  /** The table of recent extracts. */
  extracts(): Locator {
    return this.page.getByTestId('extracts')
  }
}

export class AuditLedgerPage extends AppPage {
  protected readonly heading = 'Audit ledger'
  protected override readonly testId = 'audit-entries'
}

export class RetentionPage extends AppPage {
  protected readonly heading = 'Retention'
  protected override readonly testId = 'save-retention'
}

/** The page object for each navigation section (src/web/navigation.ts), by href. A new section needs one here. */
export const sectionPages: Readonly<Record<string, PageClass<AppPage>>> = {
  '/': HomePage,
  '/reports': YourReportsPage,
  '/people': PeoplePage,
  '/taser/training': TaserTrainingPage,
  '/taser/armoury': ArmouryPage,
  '/taser/devices': TaserDevicesPage,
  '/device-logs': DeviceLogsPage,
  '/reconciliation': ReconciliationPage,
  '/early-intervention': FlagsPage,
  '/welfare': WelfarePage,
  '/dashboards': DashboardsPage,
  '/comparators': ComparatorsPage,
  '/statistics': StatisticsPage,
  '/publishing': PublishingPage,
  '/authorisations': AuthorisationsPage,
  '/deployment-funnel': FunnelPage,
  '/threat-assessments': AssessmentsPage,
  '/scrutiny': ScrutinyPanelsPage,
  '/panel': PanelHomePage,
  '/scrutiny-feedback': PanelFeedbackPage,
  '/review': ReviewQueuePage,
  '/referrals': ReferralsPage,
  '/review/settings': ReviewSettingsPage,
  '/admin/users': UsersPage,
  '/admin/units': OrganisationPage,
  '/data-sharing': DataSharingPage,
  '/admin/retention': RetentionPage,
  '/audit': AuditLedgerPage,
  '/account': AccountPage,
}

/** Verifies that the page is the given section's (and runs axe on it). */
export async function verifySectionPage(href: string, page: Page): Promise<AppPage> {
  const SectionPage = sectionPages[href]
  if (!SectionPage)
    throw new Error(`No page object for the section ${href}: add one to test/e2e/pages/section-pages.ts`)
  return new SectionPage(page).verify()
}
