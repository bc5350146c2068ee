import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, testApp, type TestApp } from '../../../test/support/app.js'
import type { Db } from '../../db/database.js'
import { DEMO_PASSWORD } from '../../db/seed/seed-demo.js'
import { perceivedEthnicities } from '../../domain/use-of-force/subject.js'
import { dateTime } from '../../web/templates.js'
import { hashPassword } from '../auth/passwords.js'

let t: TestApp
let db: Db
let member: Browser
let other: Browser
let lead: Browser
let taserSample: string
let communitySample: string

/** The panel's first sample. */
async function sampleOf(panel: string): Promise<string> {
  const row = await db
    .selectFrom('scrutiny_samples as s')
    .innerJoin('scrutiny_panels as p', 'p.id', 's.panel_id')
    .where('p.name', '=', panel)
    .select('s.id')
    .orderBy('s.period_from')
    .limit(1)
    .executeTakeFirstOrThrow()
  return row.id
}

async function casesOf(sampleId: string) {
  return db
    .selectFrom('scrutiny_cases')
    .where('sample_id', '=', sampleId)
    .select(['id', 'case_number', 'report_id'])
    .orderBy('case_number')
    .execute()
}

/** Surnames such as White are also words of the code lists a pack shows (ethnicity "White"): those cannot be searched. */
const codeWords = new Set(perceivedEthnicities.codes.flatMap((c) => c.label.split(/\W+/)))
const longDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'long' })
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * The page's main content without its per-request tokens: the header names the signed-in member (who may share a
 * surname with an officer), and a random token could happen to contain an identifier.
 */
function visible(html: string): string {
  const main = /<main[\s\S]*<\/main>/.exec(html)?.[0] ?? ''
  return main.replace(/name="_csrf" value="[^"]*"/g, '').replace(/nonce="[^"]*"/g, '')
}

beforeAll(async () => {
  t = await testApp()
  db = t.database.db
  // A member of the community panel (the demo has none) to sign in as.
  const panel = await db
    .selectFrom('scrutiny_panels')
    .where('name', '=', 'Community use of force panel')
    .select(['id', 'force_id'])
    .executeTakeFirstOrThrow()
  const user = await db
    .insertInto('users')
    .values({
      force_id: panel.force_id,
      username: 'scrutiny-community',
      display_name: 'Community Member',
      password_hash: await hashPassword(DEMO_PASSWORD),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db.insertInto('user_roles').values({ user_id: user.id, role: 'scrutiny_panel' }).execute()
  await db
    .insertInto('scrutiny_panel_members')
    .values({ panel_id: panel.id, user_id: user.id, added_at: new Date() })
    .execute()
  member = new Browser(t.app)
  await member.signIn('scrutiny')
  other = new Browser(t.app)
  await other.signIn('scrutiny-community')
  lead = new Browser(t.app)
  await lead.signIn('taser-lead')
  taserSample = await sampleOf('Independent Taser scrutiny panel')
  communitySample = await sampleOf('Community use of force panel')
})

afterAll(async () => {
  await t.close()
})

describe('a panel member sees only their own panel', () => {
  it('lists only their own panel and its sample', async () => {
    const page = await member.get('/panel')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Independent Taser scrutiny panel')
    expect(page.body).not.toContain('Community use of force panel')
    expect(page.body).toContain(`/panel/samples/${taserSample}`)
    expect(page.body).not.toContain(communitySample)
  })

  it('gets "Page not found" for another panel’s sample, cases, check and summary: the same as for none at all', async () => {
    const missing = await member.get('/panel/samples/00000000-0000-4000-8000-000000000000')
    expect(missing.statusCode).toBe(404)
    for (const url of [
      `/panel/samples/${communitySample}`,
      `/panel/samples/${communitySample}/cases/1`,
      `/panel/samples/${communitySample}/verify`,
      `/panel/samples/${communitySample}/summary`,
    ]) {
      const response = await member.get(url)
      expect(response.statusCode, url).toBe(404)
      expect(visible(response.body).replace(/[0-9a-f-]{36}/g, ''), url).toBe(
        visible(missing.body).replace(/[0-9a-f-]{36}/g, ''),
      )
    }
    const before = await db
      .selectFrom('scrutiny_findings')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    const post = await member.post(
      `/panel/samples/${communitySample}/cases/1/finding`,
      { finding: 'inappropriate' },
      `/panel/samples/${taserSample}/cases/1`,
    )
    expect(post.statusCode).toBe(404)
    const after = await db
      .selectFrom('scrutiny_findings')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(Number(before.n))
  })

  it('is refused the force side, and other roles are refused the panel side', async () => {
    for (const url of ['/scrutiny', `/scrutiny/samples/${taserSample}`, `/scrutiny/samples/${taserSample}/cases/1`])
      expect((await member.get(url)).statusCode, url).toBe(403)
    expect((await lead.get(`/panel/samples/${taserSample}`)).statusCode).toBe(403)
    expect((await member.get('/scrutiny-feedback')).statusCode).toBe(403)
  })

  it('the other panel’s member is kept out of the first panel’s packs the same way', async () => {
    expect((await other.get(`/panel/samples/${communitySample}/cases/1`)).statusCode).toBe(200)
    expect((await other.get(`/panel/samples/${taserSample}/cases/1`)).statusCode).toBe(404)
  })
})

describe('case packs are anonymised', () => {
  it('no pack contains any identifier of the underlying records', async () => {
    let checked = 0
    for (const [browser, sampleId] of [
      [member, taserSample],
      [other, communitySample],
    ] as const) {
      for (const c of await casesOf(sampleId)) {
        const report = await db
          .selectFrom('reports as r')
          .innerJoin('incidents as i', 'i.id', 'r.incident_id')
          .innerJoin('subjects as s', 's.id', 'r.subject_id')
          .innerJoin('users as u', 'u.id', 'r.reporter_user_id')
          .leftJoin('personnel as p', 'p.id', 'r.officer_person_id')
          .where('r.id', '=', c.report_id)
          .select([
            'r.id',
            'r.incident_id',
            'r.subject_id',
            'r.officer_person_id',
            'r.officer_unit_id',
            'r.reporter_user_id',
            'r.occurred_at',
            'r.submitted_at',
            'r.bwv_reference',
            'r.justification',
            'r.de_escalation',
            'r.subject_injury_nature',
            'i.reference',
            'i.area',
            'u.username',
            'u.display_name',
            'p.given_name',
            'p.family_name',
            'p.collar_number',
          ])
          .executeTakeFirstOrThrow()
        const uses = await db
          .selectFrom('report_ced_uses')
          .where('report_id', '=', c.report_id)
          .select(['device_serial', 'cartridges', 'footage_reference'])
          .execute()
        const released = new Set(
          (await db.selectFrom('scrutiny_releases').where('case_id', '=', c.id).select('field').execute()).map(
            (r) => r.field,
          ),
        )
        const iso = (d: Date) => d.toISOString()
        const identifiers = [
          report.id,
          report.incident_id,
          report.subject_id,
          report.officer_person_id,
          report.officer_unit_id,
          report.reporter_user_id,
          c.id,
          report.reference,
          report.area,
          // The demo accounts' usernames are role names ("officer"), words every page uses; others are checked.
          /^[a-z]+$/.test(report.username) ? null : report.username,
          report.display_name,
          report.given_name,
          report.family_name,
          report.collar_number,
          report.bwv_reference,
          iso(report.occurred_at).slice(0, 10),
          iso(report.occurred_at).slice(11, 16),
          dateTime.format(report.occurred_at),
          longDate.format(report.occurred_at),
          dateTime.format(report.submitted_at),
          released.has('justification') ? null : report.justification,
          released.has('de_escalation') ? null : report.de_escalation,
          released.has('injury_nature') ? null : report.subject_injury_nature,
          ...uses.flatMap((u) => [u.device_serial, u.footage_reference, ...u.cartridges.map((x) => x.serial)]),
        ].filter((x): x is string => typeof x === 'string' && x.length > 0)
        const page = await browser.get(`/panel/samples/${sampleId}/cases/${c.case_number}`)
        expect(page.statusCode).toBe(200)
        const html = visible(page.body)
        // Each as a whole word, so a given name "Sam" is not found in "Sampled" nor a collar number in a longer number.
        for (const id of identifiers.filter((x) => !codeWords.has(x)))
          expect(html, `case ${c.case_number} shows ${id}`).not.toMatch(new RegExp(`(?<!\\w)${escape(id)}(?!\\w)`))
        if (checked === 0) {
          // The search can fail: the force side's page of the same case links the report by its id.
          const forceSide = await lead.get(`/scrutiny/samples/${sampleId}/cases/${c.case_number}`)
          expect(forceSide.body).toContain(report.id)
        }
        checked++
      }
    }
    expect(checked).toBeGreaterThan(10)
  })
})

describe('free text, findings and the summary', () => {
  it('shows free text only once released, redacted when so released, and audits the decision', async () => {
    const [first] = await casesOf(taserSample)
    const casePage = `/panel/samples/${taserSample}/cases/${first?.case_number}`
    const forcePage = `/scrutiny/samples/${taserSample}/cases/${first?.case_number}`
    const report = await db
      .selectFrom('reports')
      .where('id', '=', first?.report_id ?? '')
      .select(['justification', 'de_escalation'])
      .executeTakeFirstOrThrow()
    // No redacted text given: an error, and nothing changes.
    const bad = await lead.post(`${forcePage}/release`, { 'release-justification': 'redacted' }, forcePage)
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('href="#redacted-justification"')
    expect(visible((await member.get(casePage)).body)).toContain(report.justification)

    const saved = await lead.post(
      `${forcePage}/release`,
      {
        'release-justification': 'redacted',
        'redacted-justification': 'REDACTED ACCOUNT',
        'release-de_escalation': 'withhold',
      },
      forcePage,
    )
    expect(saved.statusCode).toBe(303)
    const page = visible((await member.get(casePage)).body)
    expect(page).toContain('REDACTED ACCOUNT')
    expect(page).not.toContain(report.justification)
    expect(page).not.toContain(report.de_escalation)
    const audit = await db
      .selectFrom('audit_log')
      .where('entity_id', '=', first?.id ?? '')
      .where('action', '=', 'scrutiny_case.text_released')
      .select('details')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(audit.details).toEqual({ field: 'justification', redacted: true })
  })

  it('records a finding, refuses a bad one with the error summary and keeps the input', async () => {
    const cases = await casesOf(taserSample)
    const last = cases[cases.length - 1]
    const url = `/panel/samples/${taserSample}/cases/${last?.case_number}`
    const bad = await member.post(`${url}/finding`, { themes: ['warning'], comments: 'Kept comment' }, url)
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('href="#finding"')
    expect(bad.body).toContain('Kept comment')
    expect(
      await db
        .selectFrom('scrutiny_findings')
        .where('case_id', '=', last?.id ?? '')
        .selectAll()
        .executeTakeFirst(),
    ).toBeUndefined()

    const ok = await member.post(
      `${url}/finding`,
      {
        finding: 'some_concerns',
        themes: ['warning', 'aftercare'],
        comments: 'No warning',
        feedback: 'Give a warning',
      },
      url,
    )
    expect(ok.statusCode).toBe(303)
    const row = await db
      .selectFrom('scrutiny_findings')
      .where('case_id', '=', last?.id ?? '')
      .selectAll()
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({
      finding: 'some_concerns',
      themes: ['warning', 'aftercare'],
      feedback: 'Give a warning',
    })
    expect((await member.get(url)).body).toContain('Give a warning')
  })

  it('publishes a summary with small counts hidden', async () => {
    const page = await member.get(`/panel/samples/${taserSample}/summary`)
    expect(page.statusCode).toBe(200)
    const counts = [...page.body.matchAll(/govuk-table__cell--numeric">([^<]*)</g)].map((m) => m[1])
    expect(counts.length).toBeGreaterThan(0)
    // Counts 1 to 4 never appear (the disclosure module's default threshold).
    for (const c of counts) expect(['1', '2', '3', '4']).not.toContain(c)
    expect(counts).toContain('[c]')
    expect(page.body).toContain('are not shown')
  })

  it('routes feedback to the officer and their supervisor, not to other officers', async () => {
    const officer = new Browser(t.app)
    await officer.signIn('officer')
    const mine = await officer.get('/scrutiny-feedback')
    expect(mine.statusCode).toBe(200)
    expect(mine.body).toContain('data-testid="feedback-item"')
    const supervisor = new Browser(t.app)
    await supervisor.signIn('supervisor')
    const team = await supervisor.get('/scrutiny-feedback')
    expect(team.body).toContain('data-testid="feedback-item"')
    // The officer sees only findings on their own reports.
    const own = await db
      .selectFrom('scrutiny_findings as f')
      .innerJoin('scrutiny_cases as c', 'c.id', 'f.case_id')
      .innerJoin('reports as r', 'r.id', 'c.report_id')
      .innerJoin('users as u', 'u.person_id', 'r.officer_person_id')
      .where('u.username', '=', 'officer')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(mine.body.split('data-testid="feedback-item"').length - 1).toBe(Number(own.n))
  })
})

describe('drawing and re-drawing', () => {
  it('the demo sample re-draws to the same cases, and a tampered sample is caught', async () => {
    const page = await member.get(`/panel/samples/${taserSample}/verify`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Same cases')
    // Swap one drawn case for another report of the period: the seed no longer gives the sample.
    const sample = await db
      .selectFrom('scrutiny_samples')
      .where('id', '=', taserSample)
      .select('candidates')
      .executeTakeFirstOrThrow()
    const drawn = new Set((await casesOf(taserSample)).map((c) => c.report_id))
    const swap = sample.candidates.find(([key]) => !drawn.has(key))
    const [first] = await casesOf(taserSample)
    await db
      .updateTable('scrutiny_cases')
      .set({ report_id: swap?.[0] ?? '' })
      .where('id', '=', first?.id ?? '')
      .execute()
    const tampered = await lead.get(`/scrutiny/samples/${taserSample}/verify`)
    expect(tampered.body).toContain('The seed does not give the cases in this sample')
    await db
      .updateTable('scrutiny_cases')
      .set({ report_id: first?.report_id ?? '' })
      .where('id', '=', first?.id ?? '')
      .execute()
  })

  it('draws a sample from the form, the same seed giving the same cases', async () => {
    const panel = await db
      .selectFrom('scrutiny_panels')
      .where('name', '=', 'Community use of force panel')
      .select('id')
      .executeTakeFirstOrThrow()
    const form = `/scrutiny/panels/${panel.id}/samples/new`
    const bad = await lead.post(
      `/scrutiny/panels/${panel.id}/samples`,
      { 'periodFrom-day': '31', 'periodFrom-month': '2', 'periodFrom-year': '2026' },
      form,
    )
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('href="#periodFrom-day"')
    const today = new Date()
    const from = new Date(today.getTime() - 200 * 86_400_000)
    const fields = {
      'periodFrom-day': String(from.getUTCDate()),
      'periodFrom-month': String(from.getUTCMonth() + 1),
      'periodFrom-year': String(from.getUTCFullYear()),
      'periodTo-day': String(today.getUTCDate()),
      'periodTo-month': String(today.getUTCMonth() + 1),
      'periodTo-year': String(today.getUTCFullYear()),
      'size-ced_discharge': '3',
      'size-child': '2',
      'size-any': '5',
      seed: 'announced-in-advance-42',
    }
    const ids: string[] = []
    for (let i = 0; i < 2; i++) {
      const drawn = await lead.post(`/scrutiny/panels/${panel.id}/samples`, fields, form)
      expect(drawn.statusCode, /govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(drawn.body)?.[1]).toBe(303)
      ids.push(String(drawn.headers.location).split('/')[3]?.split('?')[0] ?? '')
    }
    const [a, b] = await Promise.all(ids.map(async (id) => (await casesOf(id)).map((c) => c.report_id)))
    expect(a).toHaveLength(10)
    expect(b).toEqual(a)
    const audit = await db
      .selectFrom('audit_log')
      .where('action', '=', 'scrutiny_sample.drawn')
      .where('entity_id', 'in', ids)
      .select('id')
      .execute()
    expect(audit).toHaveLength(2)
  })
})
