import { mkdir } from 'node:fs/promises'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppPage, PageClass } from './pages/app-page.js'
import {
  AccreditationsPage,
  AddAccreditationPage,
  AssessmentPage,
  AssessmentsPage,
  AuthorisationPage,
  AuthorisationsPage,
  EditAssessmentPage,
  FunnelPage,
  IncidentCountsPage,
  RecordAuthorisationPage,
} from './pages/authorisation-pages.js'
import { TaserTrainingPage } from './pages/taser-pages.js'
import { checkedPages, launchBrowser } from './support/browser.js'
import { screenshots, signedInPhone, verifyOnPhone } from './support/phone.js'

let browser: Browser
let page: Page

beforeAll(async () => {
  browser = await launchBrowser()
  await mkdir(screenshots, { recursive: true })
})

afterAll(async () => {
  await browser?.close()
  console.log(`axe passed ${checkedPages.length} page views (${new Set(checkedPages).size} distinct paths)`)
})

const onPage = <T extends AppPage>(PageObject: PageClass<T>, screenshot?: string) =>
  verifyOnPhone(page, PageObject, screenshot)

async function signInAs(username: string): Promise<void> {
  await page?.context().close()
  page = await signedInPhone(browser, username)
}

const errorSummary = () => page.getByRole('alert').filter({ hasText: 'There is a problem' })

describe('deployment authorisations on a phone', () => {
  it('an authorising officer records an authorisation, with errors shown in place first', async () => {
    await signInAs('authorising-officer')
    await page.goto('/authorisations')
    await onPage(AuthorisationsPage, 'authorisations-list')

    await page.getByTestId('authorisations').getByRole('link').first().click()
    await onPage(AuthorisationPage)

    // A Taser officer to deploy: one whose authority lapses last among those lapsing in the next 30 days, so it
    // is certainly valid today.
    await page.goto('/taser/training')
    await onPage(TaserTrainingPage)
    const lapsing = (await page.getByTestId('lapsing').getByRole('row').last().textContent()) ?? ''
    const collar = /\(([^)]+)\)/.exec(lapsing)?.[1] ?? ''
    expect(collar).not.toBe('')

    await page.goto('/authorisations')
    await page.getByTestId('record-authorisation').click()
    const form = await onPage(RecordAuthorisationPage)
    await page.getByLabel('Time you authorised it').fill('')
    await page.getByTestId('save-authorisation').click()
    await errorSummary().waitFor()
    await form.verify()
    expect(await errorSummary().textContent()).toContain('Enter the time you authorised the deployment')

    await page.getByLabel('Time you authorised it').fill('00:01')
    await page.getByLabel('Incident reference').fill('FCR-E2E-0001')
    await page.getByLabel('Prompt').check()
    await page.getByLabel('Officers deployed').fill(collar)
    await page.getByLabel('Your rationale').fill('Man with a knife outside a shop; officers on scene ask for Taser.')
    await page.getByTestId('save-authorisation').click()
    await onPage(AuthorisationPage, 'authorisation-recorded')
    expect(await page.getByTestId('notice').textContent()).toContain('Authorisation recorded')
    expect(await page.getByTestId('not-linked').isVisible()).toBe(true)
  })

  it('the Taser lead manages accreditations, reads the funnel, imports counts and works the threat assessment', async () => {
    await signInAs('taser-lead')
    await page.goto('/authorisations/accreditations')
    await onPage(AccreditationsPage, 'accreditations')
    expect(await page.getByTestId('accreditations').textContent()).toContain('Expired')
    await page.getByTestId('add-accreditation').click()
    await onPage(AddAccreditationPage)
    await page.getByTestId('save-accreditation').click()
    await errorSummary().waitFor()
    await onPage(AddAccreditationPage)

    await page.goto('/deployment-funnel')
    await onPage(FunnelPage, 'funnel')
    const authorised = (await page.getByTestId('stage-authorisations').textContent()) ?? ''
    expect(authorised).toMatch(/0\.\d\d%/)

    await page.goto('/deployment-funnel/incident-counts')
    await onPage(IncidentCountsPage)
    await page.getByLabel('CSV file').setInputFiles({
      name: 'counts.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('month,immediate,prompt\n2020-01,1200,1800\n2020-02,lots,1800\n'),
    })
    await page.getByTestId('import-counts').click()
    await page.getByTestId('line-errors').waitFor()
    await onPage(IncidentCountsPage, 'incident-counts-errors')
    expect(await page.getByTestId('line-errors').textContent()).toContain('Line 3')

    await page.goto('/threat-assessments')
    await onPage(AssessmentsPage, 'assessments')
    await page.getByRole('link', { name: 'Version 2' }).click()
    await onPage(AssessmentPage)
    await page.getByTestId('edit-draft').click()
    await onPage(EditAssessmentPage, 'assessment-edit')
    await page.getByTestId('save-draft').click()
    await onPage(AssessmentPage)
    await page.getByTestId('generate-evidence').click()
    await page.getByTestId('evidence-units').waitFor()
    await onPage(AssessmentPage, 'assessment-evidence')
  })

  it('the administrator approves the draft, after which it cannot be changed', async () => {
    await signInAs('admin')
    await page.goto('/threat-assessments')
    await onPage(AssessmentsPage)
    await page.getByRole('link', { name: 'Version 2' }).click()
    await onPage(AssessmentPage)
    await page.getByTestId('approve').click()
    await page.getByTestId('notice').waitFor()
    await onPage(AssessmentPage, 'assessment-approved')
    expect(await page.getByTestId('notice').textContent()).toContain('Assessment approved')
    expect(await page.getByTestId('edit-draft').count()).toBe(0)
  })
})
