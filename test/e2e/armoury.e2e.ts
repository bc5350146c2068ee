import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../src/db/seed/seed-demo.js'
import type { AppPage, PageClass } from './pages/app-page.js'
import { SignInPage } from './pages/auth-pages.js'
import { HomePage } from './pages/home-page.js'
import {
  ArmouryPage,
  CartridgesPage,
  DevicePage,
  IssueDevicePage,
  IssuedPage,
  IssueRefusedPage,
  OfficerAuthorityPage,
  ReturnedPage,
  TaserDevicesPage,
  TaserTrainingPage,
  TrainingImportedPage,
  TrainingImportPage,
} from './pages/taser-pages.js'
import { checkedPages, launchBrowser, newPage, phone } from './support/browser.js'
import { screenshots, verifyOnPhone } from './support/phone.js'

let browser: Browser
let page: Page
/** Files to upload. */
let dir: string

beforeAll(async () => {
  browser = await launchBrowser()
  page = await newPage(browser, phone)
  await mkdir(screenshots, { recursive: true })
  dir = await mkdtemp(`${tmpdir()}/forceledger-e2e-`)
})

afterAll(async () => {
  await page?.context().close()
  await browser?.close()
  console.log(`axe passed ${checkedPages.length} page views (${new Set(checkedPages).size} distinct paths)`)
})

const onPage = <T extends AppPage>(PageObject: PageClass<T>, screenshot?: string) =>
  verifyOnPhone(page, PageObject, screenshot)

describe('the Taser lead on a phone', () => {
  it('finds a lapsed officer, is refused a Taser for them with the reason, then issues and takes back one', async () => {
    const signIn = await SignInPage.open(page)
    await signIn.signIn('taser-lead', DEMO_PASSWORD)
    const home = await onPage(HomePage)

    // Taser training: a lapsed officer, and why, on their own page.
    await home.openFromNavigation('Taser training')
    const training = await onPage(TaserTrainingPage)
    const lapsingRow = ((await training.lapsingOn('TASER X2').first().textContent()) ?? '').trim()
    const authorisedCollar = /\(([A-Za-z0-9]+)\)/.exec(lapsingRow)?.[1]
    expect(authorisedCollar, 'an authorised officer lapsing soon').toBeTruthy()
    const lapsedRow = training.notAuthorisedWith('authority lapsed on').first()
    const rowText = (await lapsedRow.textContent()) ?? ''
    const collar = /\(([A-Za-z0-9]+)\)/.exec(rowText)?.[1]
    expect(collar, 'a lapsed officer with a collar number').toBeTruthy()
    await lapsedRow.getByRole('link').click()
    const officer = await onPage(OfficerAuthorityPage)
    await expect(officer.model('x2').textContent()).resolves.toMatch(
      /Not authorised[\s\S]*Last trained on \d+ \w+ \d{4}; authority lapsed on \d+ \w+ \d{4}\./,
    )
    await page.screenshot({ path: `${screenshots}/taser-officer.png`, fullPage: true })

    // The device register: a free X2 to try to issue.
    await officer.openFromNavigation('Taser devices')
    const devices = await onPage(TaserDevicesPage)
    await page.getByLabel('Status').selectOption('in_service')
    await page.getByLabel('Model').selectOption('x2')
    await page.getByRole('button', { name: 'Filter' }).click()
    await onPage(TaserDevicesPage)
    const serial = (await devices.freeSerials())[0]
    expect(serial, 'a free X2 in service').toBeTruthy()
    await page.getByRole('link', { name: serial ?? '', exact: true }).click()
    await onPage(DevicePage)
    await page.getByRole('link', { name: 'Back to devices' }).click()
    await onPage(TaserDevicesPage)
    await page.getByRole('link', { name: 'Cartridges' }).click()
    await onPage(CartridgesPage)

    // The armoury: a mistake first, then the refusal with its reason.
    await devices.openFromNavigation('Armoury')
    const armoury = await onPage(ArmouryPage)
    await page.getByTestId('issue-device').click()
    const issue = await onPage(IssueDevicePage)
    await page.getByTestId('issue-submit').click()
    await issue.errorSummary.waitFor()
    await onPage(IssueDevicePage)
    await expect(issue.errorSummary.textContent()).resolves.toContain('Select the result of the spark test')

    await issue.issue(collar ?? '', serial ?? '', 'Passed')
    const refused = await onPage(IssueRefusedPage)
    const reasons = await refused.reasons.allTextContents()
    expect(reasons.join('\n')).toMatch(
      /Not authorised to carry a TASER X2\. Last trained on \d+ \w+ \d{4}; authority lapsed on \d+ \w+ \d{4}\./,
    )
    await page.screenshot({ path: `${screenshots}/taser-refused.png`, fullPage: true })

    // The refusal is on the armoury page for the Taser lead to see.
    await page.getByRole('link', { name: 'Back to the armoury' }).click()
    await onPage(ArmouryPage)
    await expect(armoury.refusals.first().textContent()).resolves.toContain(`(${collar})`)
    await page.screenshot({ path: `${screenshots}/taser-armoury.png`, fullPage: true })

    // The same device to an officer who is still authorised: issued, then returned.
    await page.getByTestId('issue-device').click()
    await (await onPage(IssueDevicePage)).issue(authorisedCollar ?? '', serial ?? '', 'Passed')
    const issued = await onPage(IssuedPage)
    await issued.recordReturn()
    await onPage(ReturnedPage)
  }, 180_000)

  it('imports training records from a file: a bad file is refused line by line, a good one is added once', async () => {
    await page.goto('/taser/training')
    const training = await onPage(TaserTrainingPage)
    const row = ((await training.lapsingOn('TASER X2').first().textContent()) ?? '').trim()
    const collar = /\(([A-Za-z0-9]+)\)/.exec(row)?.[1] ?? ''
    expect(collar, 'an officer whose X2 authority lapses soon').toBeTruthy()
    await page.getByRole('link', { name: 'Import training records' }).click()
    const upload = await onPage(TrainingImportPage)

    const header =
      'collar_number,course,device_model,completed_on,hours,passed,qualification_shoot,written_test,scenarios'
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date())
    const bad = `${dir}/training-bad.csv`
    await writeFile(bad, `${header}\n${collar},refresher,x9,${today},7,yes,pass,pass,pass\n`)
    await upload.upload(bad)
    await onPage(TrainingImportPage, 'training-import-errors')
    await expect(page.getByRole('alert').textContent()).resolves.toContain(
      'The file has a problem: nothing was imported',
    )
    await expect(upload.lineErrors.textContent()).resolves.toMatch(/2\s*device_model must be one of/)

    const good = `${dir}/training-good.csv`
    await writeFile(good, `${header}\n${collar},refresher,x2,${today},7,yes,pass,pass,pass\n`)
    await upload.upload(good)
    await onPage(TrainingImportedPage)
    await expect(page.getByTestId('import-result').textContent()).resolves.toContain('1 added; 0 already recorded')
    await page.goto('/taser/training/import')
    await (await onPage(TrainingImportPage)).upload(good)
    await onPage(TrainingImportedPage)
    await expect(page.getByTestId('import-result').textContent()).resolves.toContain('0 added; 1 already recorded')
  })
})
