import { mkdir } from 'node:fs/promises'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../src/db/seed/seed-demo.js'
import type { AppPage, PageClass } from './pages/app-page.js'
import { SignInPage } from './pages/auth-pages.js'
import { HomePage } from './pages/home-page.js'
import {
  AboutYouPage,
  CedUsePage,
  CedUsesPage,
  CheckAnswersPage,
  IncidentChoicePage,
  IncidentDetailsPage,
  OutcomesPage,
  PersonDetailsPage,
  ReasonsPage,
  ReportPage,
  ReportSubmittedPage,
  TacticsPage,
  TaskListPage,
  YourAccountSectionPage,
} from './pages/report-form-pages.js'
import { YourReportsPage } from './pages/section-pages.js'
import { checkedPages, launchBrowser, newPage, phone } from './support/browser.js'
import { screenshots, verifyOnPhone } from './support/phone.js'

/** Yesterday's date in London, so the incident is in the past whenever the suite runs. */
function yesterdayInLondon() {
  const yesterday = new Date(Date.now() - 24 * 60 * 60 * 1000)
  const inLondon = (options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', ...options }).format(yesterday)
  return {
    day: inLondon({ day: 'numeric' }),
    month: inLondon({ month: 'numeric' }),
    year: inLondon({ year: 'numeric' }),
    /** As check your answers shows it, such as 14 June 2030. */
    long: inLondon({ day: 'numeric', month: 'long', year: 'numeric' }),
  }
}

let browser: Browser
let page: Page

beforeAll(async () => {
  browser = await launchBrowser()
  page = await newPage(browser, phone)
  await mkdir(screenshots, { recursive: true })
})

afterAll(async () => {
  await page?.context().close()
  await browser?.close()
  console.log(`axe passed ${checkedPages.length} page views (${new Set(checkedPages).size} distinct paths)`)
})

const onPage = <T extends AppPage>(PageObject: PageClass<T>, screenshot?: string) =>
  verifyOnPhone(page, PageObject, screenshot)

const allStatuses = (ced: string, others: string) => [
  `Incident: ${others}`,
  `The person: ${others}`,
  `Force used: ${others}`,
  `CED use: ${ced}`,
  `Reasons and impact factors: ${others}`,
  `Outcomes and injuries: ${others}`,
  `About you: ${others}`,
  `Your account: ${others}`,
]

describe('an officer on a phone', () => {
  it('records a fired Taser, corrects a mistake, submits and finds the report under Your reports', async () => {
    const when = yesterdayInLondon()

    // Sign in and start a report from Your reports, reached through the phone's Menu.
    const signIn = await SignInPage.open(page)
    await signIn.signIn('officer', DEMO_PASSWORD)
    const home = await onPage(HomePage)
    await home.openFromNavigation('Your reports')
    const yourReports = await onPage(YourReportsPage)
    await yourReports.startReport()

    let taskList = await onPage(TaskListPage)
    expect(await taskList.statuses()).toEqual(allStatuses('Cannot start yet', 'Not yet started'))
    const draft = new URL(page.url()).pathname
    expect(draft).toMatch(/^\/reports\/drafts\/[0-9a-f-]{36}$/)

    // Incident: a new one, then its details.
    await taskList.openSection('Incident')
    const incident = await onPage(IncidentChoicePage)
    await incident.choose('Which incident is your report about?', 'A new incident')
    await incident.saveAndContinue()
    const details = await onPage(IncidentDetailsPage)
    await details.occurredAt(when, '21:30')
    await details.tick('Type of location', ['Street/highway', 'Licensed premises'])
    await details.field('Area').fill('Borough High Street, Southwark')
    await details.choose('Was the incident planned or spontaneous?', 'Spontaneous')
    await details.saveAndContinue()

    // The person: a new incident has no one recorded yet, so the task list goes straight to their details.
    taskList = await onPage(TaskListPage)
    await taskList.openSection('The person')
    const person = await onPage(PersonDetailsPage)
    await person.choose('Age', '18 to 34 years')
    await person.choose('Gender', 'Male')
    await person.choose('Ethnicity, as you perceived it', 'White')
    await person
      .field('Ethnicity, as the person gave it (optional)')
      .selectOption({ label: 'White: English, Welsh, Scottish, Northern Irish or British' })
    await person.choose('Did the person appear to have a physical or mental health condition?', 'None')
    await person.saveAndContinue()

    // Force used: three tactics, each row added with the "Add another tactic" button.
    taskList = await onPage(TaskListPage)
    await taskList.openSection('Force used')
    const tactics = await onPage(TacticsPage)
    await tactics.tactic(1, 'Tactical communication', 'Yes')
    await tactics.tactic(2, 'CED (Taser)', 'Yes')
    await tactics.tactic(3, 'Non-compliant handcuffing', 'Yes')
    expect(await tactics.rows.count()).toBe(3)
    await tactics.verify()
    await tactics.saveAndContinue()

    taskList = await onPage(TaskListPage)
    expect(await taskList.statuses()).toEqual([
      'Incident: Completed',
      'The person: Completed',
      'Force used: Completed',
      'CED use: Not yet started',
      'Reasons and impact factors: Not yet started',
      'Outcomes and injuries: Not yet started',
      'About you: Not yet started',
      'Your account: Not yet started',
    ])

    // The CED use is left until last: the cross-field rules, such as a long cycle having to be marked extended,
    // only run once every other section is answered.
    await taskList.openSection('Reasons and impact factors')
    const reasons = await onPage(ReasonsPage)
    await reasons.tick('What were your reasons for using force?', ['Protect self', 'Effect arrest'])
    await reasons.tick('What affected your decision to use force?', ['Possession of a weapon'])
    await reasons.saveAndContinue()

    taskList = await onPage(TaskListPage)
    await taskList.openSection('Outcomes and injuries')
    const outcomes = await onPage(OutcomesPage)
    await outcomes.tick('What were the outcomes?', ['Arrested'])
    await outcomes.choose('Were you injured?', 'No')
    await outcomes.choose('Did you receive medical assistance?', 'No')
    await outcomes.choose('Was the person injured as a result of the force you used?', 'Yes')
    await outcomes.choose('If the person was injured, how serious was it?', 'Minor')
    await outcomes.field('If the person was injured, what was the injury? (optional)').fill('Probe marks to the chest')
    await outcomes.choose('Was medical assistance offered to the person?', 'Yes')
    await outcomes.choose('Was medical assistance provided to the person?', 'Yes')
    await outcomes.saveAndContinue()

    taskList = await onPage(TaskListPage)
    await taskList.openSection('About you')
    const aboutYou = await onPage(AboutYouPage)
    await aboutYou.choose('What was your main duty at the time?', 'Response')
    await aboutYou.choose('Were you single crewed?', 'No')
    await aboutYou.choose('Are you trained to carry a CED (Taser)?', 'Yes')
    await aboutYou.choose('Were you carrying a CED?', 'Yes')
    await aboutYou.choose('Did the person threaten you with a weapon?', 'Yes')
    await aboutYou.choose('Did the person assault you?', 'No')
    await aboutYou.choose('How did the person behave?', 'Aggressive resistance')
    await aboutYou.saveAndContinue()

    taskList = await onPage(TaskListPage)
    await taskList.openSection('Your account')
    const account = await onPage(YourAccountSectionPage)
    await account
      .field('Why was the force you used necessary and proportionate?')
      .fill('He came at us with a knife and would not drop it. The CED was the least harmful way to stop him.')
    await account
      .field('What did you do to de-escalate?')
      .fill('We kept our distance and told him many times to drop the knife, and warned him before firing.')
    await account.choose('Was your body-worn video recording?', 'Yes')
    await account.field('If it was recording, the footage reference (optional)').fill('BWV-4417-0001')
    await account.saveAndContinue()

    taskList = await onPage(TaskListPage)
    expect(await taskList.statuses()).toEqual(allStatuses('Not yet started', 'Completed'))
    expect(await taskList.progress()).toBe('You have completed 7 of 8 sections.')

    // The CED use, with a mistake: a 7-second cycle not marked as extended beyond 5 seconds.
    await taskList.openSection('CED use')
    let ced = await onPage(CedUsePage)
    await ced.field('Device serial number').fill('X29-00172245')
    await ced.field('Device model').selectOption({ label: 'TASER X2' })
    await ced.tick('Which levels of use did you reach?', ['Drawn', 'Aimed', 'Red-dot', 'Fired'])
    // Revealed under "Fired".
    await ced.field('Cartridge 1 serial number').fill('AFID-7Q4-19830')
    await ced.field('Cartridge 1 bay (optional)').fill('1')
    await ced.choose('Was a cartridge cycled more than once?', 'No')
    await ced.choose('Did either probe miss?', 'No, both probes hit the person')
    await ced.tick('Where did the probes strike the front of the body?', ['Front 5'])
    await ced.tick('Where did the probes strike the back of the body?', ['Back B'])
    await ced.choose('Who removed the probes?', 'Medical staff')
    const cycleSeconds = ced.field('Cycle 1: how many seconds did it last?')
    await cycleSeconds.fill('7')
    await ced.choose('Was cycle 1 extended beyond 5 seconds?', 'No')
    await ced.choose('Was cycle 1 interrupted?', 'No')
    await ced.choose('Did you give a warning before using the CED?', 'Yes')
    await ced.field('How far were you from the person? (optional)').fill('3.5')
    await ced.choose('Was the CED use effective?', 'Yes')
    await ced.choose('Did the person have a medical check after the CED use?', 'Yes')
    await ced.field('Body-worn video footage reference for this use (optional)').fill('BWV-4417-0001')
    await ced.saveAndContinue()

    await ced.errorSummary.waitFor()
    ced = await onPage(CedUsePage)
    expect(await page.title()).toMatch(/^Error: /)
    const message =
      'Cycle 1 lasted more than 5 seconds, so select yes for extended beyond 5 seconds, or correct its length'
    expect(await ced.errorLinks()).toEqual([{ text: message, href: '#cycles-0-extended' }])
    expect(await page.locator('#cycles-0-extended-error').innerText()).toContain(message)
    await page.screenshot({ path: `${screenshots}/ced-use-errors-phone.png`, fullPage: true })
    // The error summary's link takes the officer to the question, and everything entered is still there.
    await ced.errorSummary.getByRole('link', { name: message }).click()
    await page.locator('#cycles-0-extended:focus').waitFor()
    expect(await cycleSeconds.inputValue()).toBe('7')
    expect(await ced.field('Device serial number').inputValue()).toBe('X29-00172245')
    expect(await ced.isSelected('Which levels of use did you reach?', 'Fired')).toBe(true)
    expect(await ced.field('Cartridge 1 serial number').inputValue()).toBe('AFID-7Q4-19830')
    expect(await ced.isSelected('Was cycle 1 extended beyond 5 seconds?', 'No')).toBe(true)
    expect(await ced.isSelected('Where did the probes strike the back of the body?', 'Back B')).toBe(true)
    // It was a 5-second cycle after all.
    await cycleSeconds.fill('5')
    await ced.saveAndContinue()

    const cedUses = await onPage(CedUsesPage)
    expect(await page.getByTestId('ced-uses').innerText()).toContain('Completed')
    await cedUses.returnToTaskList()

    taskList = await onPage(TaskListPage)
    expect(await taskList.statuses()).toEqual(allStatuses('Completed', 'Completed'))
    expect(await taskList.progress()).toBe('You have completed 8 of 8 sections.')

    // Check your answers, then submit.
    await taskList.checkAnswers()
    const check = await onPage(CheckAnswersPage)
    await page.screenshot({ path: `${screenshots}/check-answers-phone.png`, fullPage: true })
    expect(await check.answers('incident')).toEqual({
      'Date and time': `${when.long} at 21:30`,
      'Type of location': 'Street/highway\nLicensed premises',
      Area: 'Borough High Street, Southwark',
      'Planned or spontaneous': 'Spontaneous',
    })
    expect(await check.answers('tactics')).toEqual({
      Tactics:
        '1. Tactical communication (effective)\n2. CED (Taser) (effective)\n3. Non-compliant handcuffing (effective)',
    })
    expect(await check.answers('ced')).toMatchObject({
      'Device serial number': 'X29-00172245',
      'Device model': 'TASER X2',
      'Levels of use': 'Drawn\nAimed\nRed-dot\nFired',
      Cartridges: '1. AFID-7Q4-19830, bay 1',
      Cycles: '1. 5 seconds',
      'Probe strike sites': 'Front 5\nBack B',
      'Warning given': 'Yes',
      'Distance from the person': '3.5 metres',
      'Probes removed by': 'Medical staff',
      'Medical check after the CED use': 'Yes',
    })
    expect(await check.answers('account')).toMatchObject({
      'Body-worn video recording': 'Yes',
      'Body-worn video footage reference': 'BWV-4417-0001',
    })
    await check.submit()

    const submitted = await onPage(ReportSubmittedPage)
    const reference = await submitted.reference()
    expect(reference).toMatch(/^\d{4}-\d{6}$/)
    expect(await submitted.whatHappensNext()).toContain('because it records a CED discharge')

    // The report is under Your reports, by its reference, and reads back.
    await page.getByRole('link', { name: 'Go to your reports' }).click()
    const yours = await onPage(YourReportsPage)
    const listed = yours.submittedReport(reference)
    expect(await listed.count()).toBe(1)
    expect(await listed.innerText()).toContain('CED: Fired')
    // The draft became the report, so it is no longer among the drafts (the demo officer has others).
    expect(await page.locator(`a[href="${draft}"]`).count()).toBe(0)
    await listed.getByRole('link', { name: reference, exact: true }).click()

    const report = await onPage(ReportPage)
    expect(await page.getByText(`Incident ${reference}`, { exact: true }).isVisible()).toBe(true)
    expect(await report.answers('ced')).toMatchObject({
      'Device serial number': 'X29-00172245',
      'Levels of use': 'Drawn\nAimed\nRed-dot\nFired',
      Cycles: '1. 5 seconds',
      'Probe strike sites': 'Front 5\nBack B',
      'Probes removed by': 'Medical staff',
    })
    expect(await report.answers('reasons')).toEqual({
      'Reasons for using force': 'Protect self\nEffect arrest',
      'Impact factors': 'Possession of a weapon',
    })
    expect(await report.answers('incident')).toMatchObject({ Area: 'Borough High Street, Southwark' })
  })
})
