import { mkdir, writeFile } from 'node:fs/promises'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../src/db/seed/seed-demo.js'
import { writeDeviceLog } from '../../src/domain/device-logs/device-log-writer.js'
import type { AppPage, PageClass } from './pages/app-page.js'
import { SignInPage } from './pages/auth-pages.js'
import {
  CameraUploadPage,
  DeviceLogImportPage,
  DeviceLogUploadPage,
  ExceptionPage,
  ReconciliationPage,
  ReconciliationSettingsPage,
} from './pages/reconciliation-pages.js'
import { launchBrowser, newPage, phone } from './support/browser.js'
import { screenshots, verifyOnPhone } from './support/phone.js'

const files = '/tmp/forceledger-e2e-device-logs'
let browser: Browser
let page: Page

beforeAll(async () => {
  browser = await launchBrowser()
  page = await newPage(browser, phone)
  await mkdir(files, { recursive: true })
  await mkdir(screenshots, { recursive: true })
})

afterAll(async () => {
  await page?.context().close()
  await browser?.close()
})

const onPage = <T extends AppPage>(PageObject: PageClass<T>, screenshot?: string) =>
  verifyOnPhone(page, PageObject, screenshot)

/** The register's model for a demo serial: the demo fleet is X2s, TASER 7s (T70-) and a few TASER 10s (T10-). */
const modelOf = (serial: string) =>
  serial.startsWith('T70-') ? 'taser_7' : serial.startsWith('T10-') ? 'taser_10' : 'x2'

async function deviceLog(serial: string, name: string, extra = ''): Promise<string> {
  const now = Date.now()
  const text = writeDeviceLog(
    {
      deviceSerial: serial,
      deviceModel: modelOf(serial),
      firmware: '3.2.1',
      downloadedAt: now - 60_000,
      deviceClockAtDownload: now - 58_000,
      downloadedBy: 'taser-lead',
    },
    [
      { seq: 900_001, at: now - 7_200_000, kind: 'armed', battery: 81, temperature: 16 },
      { seq: 900_002, at: now - 7_190_000, kind: 'trigger', durationS: 5, battery: 81 },
      { seq: 900_003, at: now - 7_150_000, kind: 'safe', durationS: 50, battery: 80, temperature: 16 },
    ],
  )
  const file = `${files}/${name}`
  await writeFile(file, text + extra)
  return file
}

describe('the Taser lead on a phone', () => {
  it('imports an overdue device’s log, sees the unreported discharge, assigns it and resolves it', async () => {
    await (await SignInPage.open(page)).signIn('taser-lead', DEMO_PASSWORD)

    // The queue shows a device not downloaded in time.
    await page.goto('/reconciliation?kind=not_downloaded')
    await onPage(ReconciliationPage)
    const row = page.getByTestId('exception-not_downloaded').first()
    const serial = ((await row.getByTestId('device').textContent()) ?? '').trim()
    expect(serial).toMatch(/^[A-Z0-9]+-\d+$/)

    // A file with a bad line is refused, with the line.
    await page.goto('/device-logs')
    await page.getByTestId('import-device-log').click()
    const upload = await onPage(DeviceLogUploadPage)
    await upload.upload(await deviceLog(serial, 'bad.log', '900004,not-a-time,trigger,5.0,,,,,\n'))
    await onPage(DeviceLogUploadPage)
    await expect.poll(() => page.locator('.govuk-error-summary').textContent()).toContain('nothing was imported')
    expect(await page.getByTestId('line-errors').textContent()).toContain('13')
    await page.screenshot({ path: `${screenshots}/device-log-errors.png`, fullPage: true })

    // The device is downloaded and its log imported: reconciliation finds the unreported discharge.
    await upload.upload(await deviceLog(serial, `${serial}.log`))
    await onPage(DeviceLogImportPage)
    expect(await page.getByTestId('notice').textContent()).toContain('Imported 3 events (3 new)')
    expect(await page.getByTestId('sha256').textContent()).toMatch(/^[0-9a-f]{64}$/)
    await page.getByTestId('device-exceptions').click()
    await onPage(ReconciliationPage)
    await page.getByTestId('exception-unreported_discharge').getByRole('link').click()
    await onPage(ExceptionPage)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Unreported discharge')
    expect(await page.getByTestId('exception-summary').textContent()).toContain(serial)

    await page.locator('#assignee').selectOption({ index: 1 })
    await page.getByTestId('assign').click()
    await onPage(ExceptionPage)
    expect(await page.getByTestId('notice').textContent()).toContain('Assignment saved')

    // Resolving needs an explanation.
    await page.getByLabel('Referred to Professional Standards').check()
    await page.getByTestId('resolve').click()
    await onPage(ExceptionPage)
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Explain how the exception was resolved')
    await page
      .getByLabel('Explain what was found and what was done')
      .fill('Trigger pull during a search; officer spoken to and referred.')
    await page.getByTestId('resolve').click()
    await onPage(ExceptionPage)
    expect(await page.getByTestId('notice').textContent()).toContain('Exception resolved')
    expect(await page.getByTestId('resolution').textContent()).toContain('officer spoken to and referred')
    expect(await page.getByTestId('history').textContent()).toMatch(
      /Raised by reconciliation[\s\S]*Assigned[\s\S]*Resolved/,
    )
    await page.screenshot({ path: `${screenshots}/exception-resolved.png`, fullPage: true })
  })

  it('sees the camera upload and the settings pages, accessible on a phone', async () => {
    await page.goto('/device-logs/camera-events/import')
    await onPage(CameraUploadPage)
    await page.goto('/reconciliation/settings')
    await onPage(ReconciliationSettingsPage)
    await page.locator('#windowMinutes').fill('0')
    await page.getByTestId('save-settings').click()
    await onPage(ReconciliationSettingsPage)
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('The time window must be from 1 to 1440')
    await page.goto('/reconciliation?status=all')
    await onPage(ReconciliationPage)
    await page.screenshot({ path: `${screenshots}/reconciliation-queue.png`, fullPage: true })
  })
})
