import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, testApp, type TestApp } from '../../../test/support/app.js'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

describe('the statistics pages', () => {
  it('lists the 17 tables for the period and unit, with the downloads', async () => {
    const analyst = new Browser(t.app)
    await analyst.signIn('analyst')
    const page = await analyst.get('/statistics')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('<h1 class="govuk-heading-l">Home Office statistics</h1>')
    expect(page.body.match(/href="\/statistics\/tables\/\d+\?/g)).toHaveLength(17)
    expect(page.body).toContain('href="/statistics/tables.ods?')
  })

  it('shows a bad period as an error and the default period', async () => {
    const analyst = new Browser(t.app)
    await analyst.signIn('analyst')
    const page = await analyst.get('/statistics?from=2025-06&to=2025-01&unit=nope')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('The last month must be the same as or after the first month')
    expect(page.body).toContain('href="#to"')
    expect(page.body).toContain('Choose a unit from the list')
  })

  it('shows one table with totals in bold and its notes', async () => {
    const analyst = new Browser(t.app)
    await analyst.signIn('analyst')
    const page = await analyst.get('/statistics/tables/13')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Table 13: Use of CED by type and police force')
    expect(page.body).toContain('govuk-!-font-weight-bold')
    expect(page.body).toContain('Total = total non-discharge + total discharge + not stated')
    expect((await analyst.get('/statistics/tables/18')).statusCode).toBe(404)
  })

  it('downloads the set as ODS and CSV and one table as CSV', async () => {
    const analyst = new Browser(t.app)
    await analyst.signIn('analyst')
    const ods = await analyst.get('/statistics/tables.ods?from=2026-04&to=2026-06')
    expect(ods.statusCode).toBe(200)
    expect(ods.headers['content-type']).toContain('application/vnd.oasis.opendocument.spreadsheet')
    expect(ods.rawPayload.subarray(0, 2).toString()).toBe('PK')
    const csv = await analyst.get('/statistics/tables/1.csv?from=2026-04&to=2026-06')
    expect(csv.headers['content-type']).toContain('text/csv')
    expect(csv.body).toContain('Total Tactics')
  })

  it('is not for officers', async () => {
    const officer = new Browser(t.app)
    await officer.signIn('officer')
    expect((await officer.get('/statistics')).statusCode).toBe(403)
  })
})
