import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, testApp, type TestApp } from '../../../test/support/app.js'
import { parseCsv } from '../../lib/spreadsheets/parse-csv.js'
import { readOds } from '../comparators/ods.js'
import { DEMO_REVISION_NOTE } from '../../db/seed/publications.js'
import { MET_COLUMNS } from './met-layout.js'
import { quarterLabel, quarterStarting } from './quarters.js'
import { homeOfficeTables } from './table-source.js'

let t: TestApp
let analyst: Browser
let anonymous: Browser
let quarter: string
let publicationId: string

beforeAll(async () => {
  t = await testApp()
  analyst = new Browser(t.app)
  await analyst.signIn('analyst')
  anonymous = new Browser(t.app)
  const page = await analyst.get('/publishing')
  quarter = /name="quarter" type="radio" value="(\d{4}-\d{2})"/.exec(page.body)![1]!
})
afterAll(() => t.close())

/**
 * Asks for the quarter to be prepared, as the analyst does: the request only queues the job and returns to the
 * publishing page, which shows the draft once the job has made it. Returns the draft's address.
 */
async function prepareQuarter(method: string): Promise<string> {
  const asked = await analyst.post('/publishing', { quarter, method })
  expect(asked.statusCode).toBe(303)
  expect(asked.headers.location).toBe('/publishing')
  const label = quarterLabel(quarterStarting(quarter)!)
  for (let wait = 0; wait < 1200; wait++) {
    const page = await analyst.get('/publishing')
    const draft = new RegExp(`href="(/publishing/drafts/[0-9a-f-]{36})">${label.replace(/[()/]/g, '\\$&')}<`).exec(
      page.body,
    )
    if (draft && !page.body.includes('Preparing…')) return draft[1]!
    expect(page.body).not.toContain('Failed')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error('the quarter was not prepared within two minutes')
}

/** Every figure printed in the page's statistics tables. */
const printedFigures = (html: string) =>
  [...html.matchAll(/<td class="govuk-table__cell govuk-table__cell--numeric[^"]*">([^<]*)<\/td>/g)].map((m) =>
    m[1]!.trim(),
  )

describe('publishing (analyst)', () => {
  it('is for analysts and administrators: signed-out visitors are sent to sign in, officers refused', async () => {
    expect((await anonymous.get('/publishing')).statusCode).toBe(302)
    const officer = new Browser(t.app)
    await officer.signIn('officer')
    expect((await officer.get('/publishing')).statusCode).toBe(403)
  })

  it('shows the error and prepares nothing when no quarter is chosen', async () => {
    const before = await t.database.db.selectFrom('publication_drafts').select('publication_id').execute()
    const response = await analyst.post('/publishing', { method: 'suppression' })
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('href="#quarter"')
    expect(response.body).toContain('Select the quarter to publish')
    expect(response.body).toMatch(/value="suppression" checked/)
    expect(await t.database.db.selectFrom('publication_drafts').select('publication_id').execute()).toEqual(before)
  })

  it('prepares, previews and publishes a quarter of the Home Office tables with small counts hidden', async () => {
    const draftUrl = await prepareQuarter('suppression')
    publicationId = draftUrl.split('/').at(-1)!
    const preview = await analyst.get(draftUrl)
    expect(preview.statusCode).toBe(200)
    expect(preview.body).toContain('Publish version 1')
    const published = await analyst.post(`${draftUrl}/publish`, {}, draftUrl)
    expect(published.statusCode).toBe(303)
    expect(published.headers.location).toBe(`/transparency/${publicationId}/versions/1`)
  }, 180_000)
})

describe('the public pages (no sign-in)', () => {
  it('list the publications, cacheable by anyone', async () => {
    const list = await anonymous.get('/transparency')
    expect(list.statusCode).toBe(200)
    expect(list.headers['cache-control']).toBe('public, max-age=300')
    expect(list.body).toContain(`/transparency/${publicationId}/versions/1`)
  })

  it('show the demo force’s seeded quarter: version 2 adds tables 14 to 17, with its note, as four whole-table changes', async () => {
    const seeded = await t.database.db
      .selectFrom('publication_versions')
      .select('publication_id')
      .where('revision_note', '=', DEMO_REVISION_NOTE)
      .executeTakeFirstOrThrow()
    const v2 = await anonymous.get(`/transparency/${seeded.publication_id}/versions/2`)
    expect(v2.statusCode).toBe(200)
    expect(v2.body).toContain(DEMO_REVISION_NOTE)
    expect(v2.body.match(/<td class="govuk-table__cell">The whole table<\/td>/g)).toHaveLength(4)
    expect(v2.body).toContain('Table 17:')
  })

  it('never print a count from 1 to 4: each is hidden, as are the counts that would give one away', async () => {
    const page = await anonymous.get(`/transparency/${publicationId}/versions/1`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('counts from 1 to 4 are not shown')
    const figures = printedFigures(page.body)
    expect(figures.length).toBeGreaterThan(100)
    for (const figure of figures) {
      if (figure === '' || figure === '[c]') continue
      const n = Number(figure.replace(/,/g, ''))
      expect(n === 0 || n > 4, `printed ${figure}`).toBe(true)
    }
    // And the hidden ones are really the small counts of the underlying tables.
    const forceId = (await t.database.db.selectFrom('forces').select('id').executeTakeFirstOrThrow()).id
    const raw = await homeOfficeTables(t.database.db, { forceId, period: quarterStarting(quarter)! })
    const small = raw.flatMap((table) =>
      table.rows.flatMap((r) => r.values.filter((v) => v !== null && v >= 1 && v <= 4)),
    )
    expect(small.length).toBeGreaterThan(0)
    expect(figures.filter((f) => f === '[c]').length).toBeGreaterThanOrEqual(small.length)
  })

  it('serve every download of the frozen version, cacheable for a year, with the same figures', async () => {
    const base = `/transparency/${publicationId}/versions/1`
    for (const name of ['tables.ods', 'tables.xlsx', 'tables.csv', 'tables.json', 'open-data.csv']) {
      const response = await anonymous.get(`${base}/${name}`)
      expect(response.statusCode, name).toBe(200)
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable')
      expect(response.headers['content-disposition']).toMatch(
        new RegExp(`attachment; filename="demo-[a-z-]+-use-of-force-${quarter}-to-\\d{4}-\\d{2}-v1-${name}"`),
      )
      const again = await t.app.inject({ url: `${base}/${name}`, headers: { 'if-none-match': response.headers.etag } })
      expect(again.statusCode).toBe(304)
    }
    const ods = readOds((await anonymous.get(`${base}/tables.ods`)).rawPayload)
    const page = await anonymous.get(base)
    const odsFigures = ods.flatMap((s) => s.rows.slice(2).flatMap((r) => r.slice(1))).filter((v) => v !== null)
    expect(odsFigures.filter((v) => v === '[c]').length).toBe(
      printedFigures(page.body).filter((f) => f === '[c]').length,
    )
    const json = JSON.parse((await anonymous.get(`${base}/tables.json`)).body)
    expect(json.tables.map((table: { id: string }) => table.id)).toEqual(
      Array.from({ length: 17 }, (_, i) => `table-${i + 1}`),
    )
    const openData = parseCsv((await anonymous.get(`${base}/open-data.csv`)).body)
    expect(openData[0]).toEqual([...MET_COLUMNS])
    expect((await anonymous.get(`${base}/secrets.csv`)).statusCode).toBe(404)
    expect((await anonymous.get(`/transparency/not-a-uuid/versions/1`)).statusCode).toBe(404)
    expect((await anonymous.get(`/transparency/${publicationId}/versions/9`)).statusCode).toBe(404)
  })

  it('keep earlier versions: a revision needs a note, then the first version says a later one exists', async () => {
    const draftUrl = await prepareQuarter('rounding')
    const refused = await analyst.post(`${draftUrl}/publish`, { revisionNote: ' ' }, draftUrl)
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain('href="#revisionNote"')
    expect((await anonymous.get(`/transparency/${publicationId}/versions/2`)).statusCode).toBe(404)
    const note = 'Small numbers now rounded to the nearest 5.'
    const published = await analyst.post(`${draftUrl}/publish`, { revisionNote: note }, draftUrl)
    expect(published.headers.location).toBe(`/transparency/${publicationId}/versions/2`)
    const v2 = await anonymous.get(`/transparency/${publicationId}/versions/2`)
    expect(v2.body).toContain(note)
    expect(v2.body).toContain('data-testid="changes"')
    const v1 = await anonymous.get(`/transparency/${publicationId}/versions/1`)
    expect(v1.body).toContain('data-testid="newer-version"')
    expect((await anonymous.get(`/transparency/${publicationId}`)).headers.location).toBe(
      `/transparency/${publicationId}/versions/2`,
    )
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', publicationId)
      .orderBy('id')
      .execute()
    expect(audit.map((a) => a.action)).toEqual([
      'publication.prepared',
      'publication.published',
      'publication.prepared',
      'publication.published',
    ])
  }, 180_000)
})
