import { mkdir } from 'node:fs/promises'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ReportPage, YourAccountSectionPage } from './pages/report-form-pages.js'
import {
  AmendCheckPage,
  AmendTaskListPage,
  ReferralPage,
  ReferralsPage,
  ReviewPage,
  ReviewQueuePage,
  ReviewSettingsPage,
} from './pages/review-pages.js'
import { YourReportsPage } from './pages/section-pages.js'
import { launchBrowser } from './support/browser.js'
import { screenshots, signedInPhone, verifyOnPhone } from './support/phone.js'

let browser: Browser
/** One phone per person, each signed in as themselves. */
let officer: Page
let supervisor: Page

beforeAll(async () => {
  browser = await launchBrowser()
  await mkdir(screenshots, { recursive: true })
  officer = await signedIn('officer')
  supervisor = await signedIn('supervisor')
})

afterAll(async () => {
  await browser?.close()
})

const signedIn = (username: string) => signedInPhone(browser, username)

const onPage = verifyOnPhone

const allSatisfied = {
  'Was the use of force justified?': 'Yes',
  'Was it proportionate?': 'Yes',
  'Was it necessary?': 'Yes',
  'Have you reviewed the body-worn video?': 'Yes',
  'Was aftercare given?': 'Yes',
  'Was force policy followed?': 'Yes',
  'Is there learning for the officer or the force?': 'No',
}

describe('return for correction, on phones', () => {
  it('a supervisor returns a report, the officer amends it, the supervisor approves round 2', async () => {
    // The officer sees the report the demo supervisor returned, and a report still awaiting review.
    await officer.goto('/reports')
    await onPage(officer, YourReportsPage)
    expect(await officer.getByTestId('returned').textContent()).toContain('Add the body-worn video reference')
    const awaiting = officer
      .getByTestId('submitted-reports')
      .getByRole('listitem')
      .filter({ hasText: 'Awaiting review' })
      .first()
    const reference = ((await awaiting.getByRole('link').textContent()) ?? '').trim()
    expect(reference).toMatch(/^\d{4}-\d{6}$/)

    // The supervisor finds it in the queue and returns it with a comment.
    await supervisor.goto('/')
    expect(await supervisor.getByTestId('home-review').textContent()).toMatch(
      /\d+ reports? (is|are) awaiting your review/,
    )
    await supervisor.getByTestId('home-review').getByRole('link').click()
    const queue = await onPage(supervisor, ReviewQueuePage)
    await queue.entry(reference).getByRole('link', { name: reference }).click()
    const review = await onPage(supervisor, ReviewPage)
    expect(await review.history.textContent()).toContain('No review decisions yet')
    await review.answerChecklist({ ...allSatisfied, 'Have you reviewed the body-worn video?': 'No' })
    await review.decide('Return to the officer for correction', 'Footage not referenced.')
    // Without the comment for the officer it is refused, the answers kept.
    await onPage(supervisor, ReviewPage)
    expect(await supervisor.locator('.govuk-error-summary').textContent()).toContain('Tell the officer what to correct')
    expect(await supervisor.getByLabel('Your rationale').inputValue()).toBe('Footage not referenced.')
    await supervisor.screenshot({ path: `${screenshots}/review-error.png`, fullPage: true })
    await new ReviewPage(supervisor).decide(
      'Return to the officer for correction',
      'Footage not referenced.',
      'Say what the person did just before you used force.',
    )
    await onPage(supervisor, ReviewQueuePage)
    expect(await supervisor.getByTestId('notice').textContent()).toContain('Review recorded: returned for correction')
    expect(await new ReviewQueuePage(supervisor).entry(reference).count()).toBe(0)

    // The officer sees it returned with the comment, on the list and on the report, and amends it.
    await officer.goto('/reports')
    await onPage(officer, YourReportsPage)
    expect(await officer.getByTestId('returned').textContent()).toContain(
      `Incident ${reference}: Say what the person did just before you used force.`,
    )
    await officer
      .getByTestId('returned')
      .getByRole('link', { name: `Incident ${reference}` })
      .click()
    await onPage(officer, ReportPage)
    expect(await officer.getByTestId('corrections').textContent()).toBe(
      'Say what the person did just before you used force.',
    )
    expect(await officer.getByTestId('review-history').textContent()).toContain('Round 1: Returned for correction')
    await officer.screenshot({ path: `${screenshots}/report-returned.png`, fullPage: true })
    await officer.getByTestId('amend').click()
    const amendment = await onPage(officer, AmendTaskListPage)
    const draft = new URL(officer.url()).pathname
    await amendment.openSection('Your account')
    const account = await onPage(officer, YourAccountSectionPage)
    const justification = account.field('Why was the force you used necessary and proportionate?')
    await justification.fill(`${await justification.inputValue()} He had just run at my colleague with a bottle.`)
    await account.saveAndContinue()
    await officer.waitForURL((url) => url.pathname !== `${draft}/account`)
    await officer.goto(`${draft}/check`)
    const check = await onPage(officer, AmendCheckPage)
    await check.page.getByLabel('Reason for the amendment').fill('My supervisor asked what he did before I used force.')
    await check.page.getByTestId('submit').click()
    await onPage(officer, ReportPage)
    expect(await officer.getByTestId('notice').textContent()).toContain('Report amended: this is version')
    expect(await officer.getByTestId('report-facts').textContent()).toContain('Awaiting review')

    // Back in the queue as round 2; the supervisor sees round 1 in the history and approves.
    await supervisor.goto('/review')
    await onPage(supervisor, ReviewQueuePage)
    expect(await new ReviewQueuePage(supervisor).entry(reference).textContent()).toContain('Amended: round 2')
    await new ReviewQueuePage(supervisor).entry(reference).getByRole('link', { name: reference }).click()
    const round2 = await onPage(supervisor, ReviewPage)
    expect(await round2.history.textContent()).toContain('Round 1: Returned for correction')
    expect(await supervisor.getByRole('heading', { name: 'Your review: round 2' }).count()).toBe(1)
    await round2.answerChecklist(allSatisfied)
    await round2.decide('Approve', 'The account now explains the threat; the footage agrees.')
    await onPage(supervisor, ReviewQueuePage)
    expect(await supervisor.getByTestId('notice').textContent()).toContain('Review recorded: approved')

    // The officer's report is approved, with both rounds kept.
    await officer.reload()
    await onPage(officer, ReportPage)
    expect(await officer.getByTestId('report-facts').textContent()).toContain('Approved')
    const history = (await officer.getByTestId('review-history').textContent()) ?? ''
    expect(history).toMatch(/Round 1: Returned for correction[\s\S]*Round 2: Approved/)
    await officer.screenshot({ path: `${screenshots}/report-approved.png`, fullPage: true })
  })
})

describe('Professional Standards and the review setting, on phones', () => {
  it('PSD sees the referrals and a referral with its IOPC criteria and history', async () => {
    const psd = await signedIn('psd')
    await psd.goto('/referrals')
    await onPage(psd, ReferralsPage)
    await psd.getByTestId('referral-row').first().getByRole('link').click()
    await onPage(psd, ReferralPage)
    expect(await psd.getByTestId('criteria').textContent()).toContain('A complaint has been made')
    expect(await psd.getByTestId('review-history').textContent()).toContain('Referred to Professional Standards')
    await psd.getByTestId('record-outcome').click()
    await onPage(psd, ReferralPage)
    expect(await psd.locator('.govuk-error-summary').textContent()).toContain('Select the outcome')
    await psd.screenshot({ path: `${screenshots}/referral.png`, fullPage: true })
    await psd.context().close()
  })

  it('an administrator sets a sample, with a clear error for a bad percentage', async () => {
    const admin = await signedIn('admin')
    await admin.goto('/review/settings')
    await onPage(admin, ReviewSettingsPage)
    await admin.getByLabel('The reports that must be reviewed and a sample of the rest').check()
    await admin.getByLabel('If a sample: the percentage of the other reports').fill('150')
    await admin.getByTestId('save').click()
    await onPage(admin, ReviewSettingsPage)
    expect(await admin.locator('.govuk-error-summary').textContent()).toContain(
      'Enter a whole percentage from 1 to 100',
    )
    await admin.getByLabel('If a sample: the percentage of the other reports').fill('20')
    await admin.getByTestId('save').click()
    await onPage(admin, ReviewSettingsPage)
    expect(await admin.getByTestId('notice').textContent()).toContain('Setting saved')
    // Back to the default, so other browser tests see the demo as seeded.
    await admin.getByLabel('Only the reports that must be reviewed').check()
    await admin.getByTestId('save').click()
    await onPage(admin, ReviewSettingsPage)
    await admin.context().close()
  })
})
