import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, testApp, type TestApp } from '../../../test/support/app.js'
import type { Db } from '../../db/database.js'
import { writeDeviceLog } from '../../domain/device-logs/device-log-writer.js'

let t: TestApp
let db: Db
let lead: Browser
let device: { id: string; serial: string; model: string; firmware: string }

beforeAll(async () => {
  t = await testApp()
  db = t.database.db
  lead = new Browser(t.app)
  await lead.signIn('taser-lead')
  // The demo's overdue device: the Taser lead downloads it and imports the log.
  device = await db
    .selectFrom('reconciliation_exceptions as e')
    .innerJoin('ced_devices as d', 'd.id', 'e.device_id')
    .select(['d.id', 'd.serial', 'd.model', 'd.firmware'])
    .where('e.kind', '=', 'not_downloaded')
    .where('e.status', '=', 'open')
    .executeTakeFirstOrThrow()
})

afterAll(async () => {
  await t.close()
})

const NOW = Date.now()

function deviceLog(extra = ''): string {
  return (
    writeDeviceLog(
      {
        deviceSerial: device.serial,
        deviceModel: device.model,
        firmware: device.firmware,
        downloadedAt: NOW - 60_000,
        deviceClockAtDownload: NOW - 59_000,
        downloadedBy: 'taser-lead',
      },
      [
        { seq: 900_001, at: NOW - 3_600_000, kind: 'armed', battery: 80, temperature: 15 },
        { seq: 900_002, at: NOW - 3_590_000, kind: 'trigger', durationS: 5, battery: 80 },
        { seq: 900_003, at: NOW - 3_500_000, kind: 'safe', durationS: 100, battery: 79, temperature: 15 },
      ],
    ) + extra
  )
}

/** Posts a file as the upload form would (multipart, with the page's CSRF token). */
const upload = (browser: Browser, url: string, name: string, content: string) => browser.upload(url, { name, content })

async function count(table: 'device_log_imports' | 'device_events' | 'reconciliation_exceptions') {
  return Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )
}

describe('device-log upload and the exceptions queue', () => {
  it('rejects a malformed file with its line errors and imports nothing', async () => {
    const before = [await count('device_log_imports'), await count('device_events')]
    const response = await upload(
      lead,
      '/device-logs/import',
      'bad.log',
      deviceLog('900004,yesterday,trigger,5.0,,,,,\n'),
    )
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('govuk-error-summary')
    expect(response.body).toContain('The file has a problem: nothing was imported')
    expect(response.body).toMatch(
      /<td class="govuk-table__cell">13<\/td>\s*<td class="govuk-table__cell">timestamp must be/,
    )
    expect([await count('device_log_imports'), await count('device_events')]).toEqual(before)
  })

  it('asks for a file when none is chosen', async () => {
    const response = await upload(lead, '/device-logs/import', '', '')
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('Select a device log file')
  })

  it('imports a log, reconciles the device, and says so; the same file again changes nothing', async () => {
    const response = await upload(lead, '/device-logs/import', 'overdue.log', deviceLog())
    expect(response.statusCode).toBe(303)
    expect(response.headers.location).toMatch(/^\/device-logs\/imports\/[0-9a-f-]+\?done=imported$/)
    const page = await lead.get(response.headers.location as string)
    expect(page.body).toContain('Imported 3 events (3 new) and reconciled the device')
    expect(page.body).toMatch(/[0-9a-f]{64}/)

    const exceptions = await db
      .selectFrom('reconciliation_exceptions')
      .select(['kind', 'status'])
      .where('device_id', '=', device.id)
      .execute()
    expect(exceptions).toContainEqual({ kind: 'unreported_discharge', status: 'open' })
    expect(exceptions).toContainEqual({ kind: 'not_downloaded', status: 'cleared' })

    const before = [await count('device_log_imports'), await count('device_events')]
    const again = await upload(lead, '/device-logs/import', 'overdue-again.log', deviceLog())
    expect(again.headers.location).toMatch(/\?done=duplicate$/)
    expect((await lead.get(again.headers.location as string)).body).toContain('This file was imported before')
    expect([await count('device_log_imports'), await count('device_events')]).toEqual(before)
  })

  it('lets the Taser lead assign and resolve an exception, audited, and a new run neither duplicates nor reopens it', async () => {
    const exception = await db
      .selectFrom('reconciliation_exceptions')
      .select('id')
      .where('device_id', '=', device.id)
      .where('kind', '=', 'unreported_discharge')
      .executeTakeFirstOrThrow()
    const queue = await lead.get(`/reconciliation?kind=unreported_discharge&device=${device.serial}`)
    expect(queue.statusCode).toBe(200)
    expect(queue.body).toContain(`/reconciliation/exceptions/${exception.id}`)

    const url = `/reconciliation/exceptions/${exception.id}`
    const missing = await lead.post(`${url}/resolve`, { outcome: 'referred', note: '  ' }, url)
    expect(missing.statusCode).toBe(400)
    expect(missing.body).toContain('href="#note"')
    expect(missing.body).toContain('Explain how the exception was resolved')
    expect(missing.body).toMatch(/value="referred" checked/)

    const me = await db.selectFrom('users').select('id').where('username', '=', 'taser-lead').executeTakeFirstOrThrow()
    expect((await lead.post(`${url}/assign`, { assignee: me.id }, url)).statusCode).toBe(303)
    const stranger = await lead.post(`${url}/assign`, { assignee: '00000000-0000-4000-8000-000000000000' }, url)
    expect(stranger.statusCode).toBe(400)
    expect(stranger.body).toContain('Select someone from the list')
    const resolved = await lead.post(
      `${url}/resolve`,
      { outcome: 'referred', note: 'Officer interviewed; referred to PSD.' },
      url,
    )
    expect(resolved.statusCode).toBe(303)
    const page = await lead.get(`${url}?done=resolved`)
    expect(page.body).toContain('Exception resolved')
    expect(page.body).toContain('Officer interviewed; referred to PSD.')

    const actions = await db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', exception.id)
      .orderBy('id')
      .execute()
    expect(actions.map((a) => a.action)).toEqual([
      'reconciliation_exception.raised',
      'reconciliation_exception.assigned',
      'reconciliation_exception.resolved',
    ])

    const total = await count('reconciliation_exceptions')
    expect((await lead.post('/reconciliation/run', {}, '/reconciliation')).statusCode).toBe(303)
    expect(await count('reconciliation_exceptions')).toBe(total)
    const after = await db
      .selectFrom('reconciliation_exceptions')
      .select('status')
      .where('id', '=', exception.id)
      .executeTakeFirstOrThrow()
    expect(after.status).toBe('resolved')
  })

  it('reopens a resolved exception when its evidence changes, with the reason', async () => {
    const exception = await db
      .selectFrom('reconciliation_exceptions')
      .select('id')
      .where('kind', '=', 'unreported_discharge')
      .where('status', '=', 'resolved')
      .executeTakeFirstOrThrow()
    // As if it had been resolved on different evidence (e.g. before a later download changed what was logged).
    await db
      .updateTable('reconciliation_exceptions')
      .set({ evidence_hash: 'older' })
      .where('id', '=', exception.id)
      .execute()
    await lead.post('/reconciliation/run', {}, '/reconciliation')
    const row = await db
      .selectFrom('reconciliation_exceptions')
      .select(['status', 'reopened_count'])
      .where('id', '=', exception.id)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ status: 'open', reopened_count: 1 })
    expect((await lead.get(`/reconciliation/exceptions/${exception.id}`)).body).toContain(
      'The device log or report changed after it was resolved',
    )
  })

  it('keeps settings within their limits', async () => {
    const bad = await lead.post('/reconciliation/settings', {
      windowMinutes: '0',
      driftThresholdSeconds: '60',
      downloadPeriodDays: 'soon',
      sparkTestMinutes: '10',
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('The time window must be from 1 to 1440')
    expect(bad.body).toContain('value="soon"')
    const good = await lead.post('/reconciliation/settings', {
      windowMinutes: '45',
      driftThresholdSeconds: '90',
      downloadPeriodDays: '28',
      sparkTestMinutes: '10',
    })
    expect(good.statusCode).toBe(303)
    expect((await lead.get('/reconciliation/settings')).body).toContain('value="45"')
  })

  it('lets PSD read the queue but not work it, and keeps officers out', async () => {
    const psd = new Browser(t.app)
    await psd.signIn('psd')
    expect((await psd.get('/reconciliation')).statusCode).toBe(200)
    expect((await psd.get('/device-logs')).statusCode).toBe(200)
    expect((await psd.get('/device-logs/import')).statusCode).toBe(403)
    const officer = new Browser(t.app)
    await officer.signIn('officer')
    expect((await officer.get('/reconciliation')).statusCode).toBe(403)
    expect((await officer.get('/device-logs')).statusCode).toBe(403)
  })
})
