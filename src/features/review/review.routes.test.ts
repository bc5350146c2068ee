import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, testApp, type TestApp } from '../../../test/support/app.js'
import { answers, errorSummary, fill, fillTaserReport, startDraft } from '../../../test/support/report-form.js'
import type { Db } from '../../db/database.js'
import { reviewStateOf } from './review-state.js'

let t: TestApp
let db: Db
let officer: Browser
let supervisor: Browser
let psd: Browser
let forceId: string
/** The form's example incident is on 14 June 2030 at 21:30, so the app's clock stands just after it. */
const NOW = new Date('2030-06-14T22:30:00Z')

beforeAll(async () => {
  t = await testApp({ clock: () => NOW })
  db = t.database.db
  officer = new Browser(t.app)
  supervisor = new Browser(t.app)
  psd = new Browser(t.app)
  await Promise.all([officer.signIn('officer'), supervisor.signIn('supervisor'), psd.signIn('psd')])
  forceId = (await db.selectFrom('forces').select('id').where('code', '=', 'demo').executeTakeFirstOrThrow()).id
})
afterAll(() => t.close())

/** A fired-Taser report (a CED discharge, so review is mandatory) submitted through the form; its id. */
async function submitted(browser: Browser): Promise<string> {
  const draft = await startDraft(browser)
  await fillTaserReport(browser, draft)
  const response = await browser.post(`${draft}/submit`, {}, `${draft}/check`)
  expect(response.statusCode).toBe(303)
  return String(response.headers.location).split('/')[2] ?? ''
}

const approve = {
  justified: 'yes',
  proportionate: 'yes',
  necessary: 'yes',
  bwvReviewed: 'yes',
  aftercare: 'yes',
  policyFollowed: 'yes',
  learning: 'no',
  rationale: 'Proportionate to the knife threat; the footage agrees.',
  decision: 'approved',
}

async function rounds(reportId: string) {
  return db
    .selectFrom('report_reviews')
    .select(['round', 'report_version', 'decision', 'corrections'])
    .where('report_id', '=', reportId)
    .orderBy('round')
    .execute()
}

/** A team's report in the demo that needs review, from a team other than the demo supervisor's. */
async function otherTeamsReport(): Promise<string> {
  const row = await db
    .selectFrom('reports as r')
    .innerJoin('org_units as u', 'u.id', 'r.officer_unit_id')
    .select('r.id')
    .where('u.kind', '=', 'team')
    .where(({ eb, selectFrom }) =>
      eb('u.id', '!=', selectFrom('users').select('unit_id').where('username', '=', 'supervisor')),
    )
    .where('r.ced_highest_level', '=', 'fired')
    .executeTakeFirstOrThrow()
  return row.id
}

describe('the review queue', () => {
  it('shows a supervisor their own team’s reports needing review, and never another team’s', async () => {
    const reportId = await submitted(officer)
    const other = await otherTeamsReport()
    const queue = await supervisor.get('/review')
    expect(queue.statusCode).toBe(200)
    expect(queue.body).toContain(`/review/reports/${reportId}`)
    expect(queue.body).not.toContain(other)
    expect(queue.body).toContain('It records a CED discharge')
    // PSD's force-wide scope includes both.
    const psdQueue = await psd.get('/review')
    expect(psdQueue.body).toContain(`/review/reports/${reportId}`)
    expect(psdQueue.body).toContain(`/review/reports/${other}`)
  })

  it('refuses another team’s report by URL, reading or deciding, and writes nothing', async () => {
    const other = await otherTeamsReport()
    expect((await supervisor.get(`/review/reports/${other}`)).statusCode).toBe(404)
    const before = await rounds(other)
    const refused = await supervisor.post(`/review/reports/${other}`, { ...approve, expectedVersion: '1' }, '/review')
    expect(refused.statusCode).toBe(404)
    expect(await rounds(other)).toEqual(before)
    // An officer cannot review at all.
    expect((await officer.get('/review')).statusCode).toBe(403)
  })

  it('never lets a reviewer decide on their own report', async () => {
    const own = await submitted(supervisor)
    const queue = await supervisor.get('/review')
    expect(queue.body).not.toContain(`/review/reports/${own}`)
    expect((await supervisor.get(`/review/reports/${own}`)).statusCode).toBe(403)
    const refused = await supervisor.post(`/review/reports/${own}`, { ...approve, expectedVersion: '1' }, '/review')
    expect(refused.statusCode).toBe(403)
    expect(await rounds(own)).toEqual([])
  })
})

describe('deciding', () => {
  it('shows every missing answer in the error summary, keeps the input and writes nothing', async () => {
    const reportId = await submitted(officer)
    const page = `/review/reports/${reportId}`
    const response = await supervisor.post(page, { expectedVersion: '1', justified: 'yes', rationale: 'Partial' }, page)
    expect(response.statusCode).toBe(400)
    expect(errorSummary(response.body)).toEqual([
      'Answer “Was it proportionate?” → #proportionate',
      'Answer “Was it necessary?” → #necessary',
      'Answer “Have you reviewed the body-worn video?” → #bwvReviewed',
      'Answer “Was aftercare given?” → #aftercare',
      'Answer “Was force policy followed?” → #policyFollowed',
      'Answer “Is there learning for the officer or the force?” → #learning',
      'Select your decision → #decision',
    ])
    expect(response.body).toContain('>Partial</textarea>')
    const notJustified = await supervisor.post(page, { ...approve, justified: 'no', expectedVersion: '1' }, page)
    expect(notJustified.statusCode).toBe(400)
    expect(errorSummary(notJustified.body)[0]).toContain('return the report or refer it, rather than approve it')
    const noCorrections = await supervisor.post(page, { ...approve, decision: 'returned', expectedVersion: '1' }, page)
    expect(errorSummary(noCorrections.body)).toEqual(['Tell the officer what to correct → #corrections'])
    expect(await rounds(reportId)).toEqual([])
  })

  it('returns a report, which the officer amends and so resubmits; round 2 is approved; both rounds kept', async () => {
    const reportId = await submitted(officer)
    const page = `/review/reports/${reportId}`
    const returned = await supervisor.post(
      page,
      {
        ...approve,
        bwvReviewed: 'no',
        decision: 'returned',
        corrections: 'Add the footage reference.',
        expectedVersion: '1',
      },
      page,
    )
    expect(returned.statusCode).toBe(303)
    expect(await reviewStateOf(db, forceId, reportId)).toBe('returned')
    expect((await supervisor.get('/review')).body).not.toContain(`/review/reports/${reportId}`)
    // Deciding again on the same version is refused: it is with the officer.
    const again = await supervisor.post(page, { ...approve, expectedVersion: '1' }, page)
    expect(again.statusCode).toBe(409)

    const list = await officer.get('/reports')
    expect(list.body).toContain('data-testid="returned"')
    expect(list.body).toContain('Add the footage reference.')
    const report = await officer.get(`/reports/${reportId}`)
    expect(report.body).toContain('Returned for correction')
    expect(report.body).toContain('Round 1: Returned for correction')

    const draft = String(
      (await officer.post(`/reports/${reportId}/amend`, {}, `/reports/${reportId}`)).headers.location,
    )
    await fill(officer, draft, 'reasons', { ...answers.reasons, impactFactors: ['possession_of_weapon', 'drugs'] })
    const amended = await officer.post(`${draft}/submit`, { reason: 'Added what was asked' }, `${draft}/check`)
    expect(amended.statusCode).toBe(303)
    expect(await reviewStateOf(db, forceId, reportId)).toBe('awaiting_review')
    const queue = await supervisor.get('/review')
    expect(queue.body).toContain(`/review/reports/${reportId}`)
    expect(queue.body).toContain('Amended: round 2')

    // A decision on the version before the amendment is refused.
    const stale = await supervisor.post(page, { ...approve, expectedVersion: '1' }, page)
    expect(stale.statusCode).toBe(409)
    const approved = await supervisor.post(page, { ...approve, expectedVersion: '2' }, page)
    expect(approved.statusCode).toBe(303)
    expect(await reviewStateOf(db, forceId, reportId)).toBe('approved')
    expect(await rounds(reportId)).toEqual([
      { round: 1, report_version: 1, decision: 'returned', corrections: 'Add the footage reference.' },
      { round: 2, report_version: 2, decision: 'approved', corrections: null },
    ])
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('entity_id', '=', reportId)
      .where('action', '=', 'report.reviewed')
      .orderBy('id')
      .execute()
    expect(audit.map((a) => a.details.decision)).toEqual(['returned', 'approved'])
  })

  it('keeps review rounds append-only in the database', async () => {
    const [any] = await db.selectFrom('report_reviews').select('id').limit(1).execute()
    expect(any).toBeDefined()
    await expect(
      sql`update report_reviews set rationale = 'rewritten' where id = ${any?.id}`.execute(db),
    ).rejects.toThrow(/append-only/)
    await expect(sql`delete from report_reviews where id = ${any?.id}`.execute(db)).rejects.toThrow(/append-only/)
    await expect(sql`truncate report_reviews cascade`.execute(db)).rejects.toThrow(/append-only/)
  })
})

describe('referrals', () => {
  it('opens a referral when a supervisor refers, with the IOPC criteria the facts meet, and freezes it once decided', async () => {
    const reportId = await submitted(officer)
    const page = `/review/reports/${reportId}`
    const referred = await supervisor.post(
      page,
      { ...approve, proportionate: 'no', decision: 'referred', complaint: 'yes', expectedVersion: '1' },
      page,
    )
    expect(referred.statusCode).toBe(303)
    expect(await reviewStateOf(db, forceId, reportId)).toBe('referred')
    const referral = await db
      .selectFrom('referrals')
      .select(['id', 'complaint', 'conduct_matter'])
      .where('report_id', '=', reportId)
      .executeTakeFirstOrThrow()
    expect(referral).toMatchObject({ complaint: true, conduct_matter: false })
    expect((await supervisor.get(`/referrals/${referral.id}`)).statusCode).toBe(403)

    const list = await psd.get('/referrals')
    expect(list.body).toContain(`/referrals/${referral.id}`)
    const detail = await psd.get(`/referrals/${referral.id}`)
    expect(detail.body).toContain('This case meets the IOPC’s mandatory referral criteria')
    expect(detail.body).toContain('Round 1: Referred to Professional Standards')

    const url = `/referrals/${referral.id}`
    const bad = await psd.post(`${url}/outcome`, { outcome: 'referred_to_iopc', notes: '' }, url)
    expect(bad.statusCode).toBe(400)
    expect(errorSummary(bad.body)).toEqual([
      'Explain the outcome → #notes',
      'Enter the date of the decision → #decidedOn-day',
      'Enter the date it was referred to the IOPC → #iopcReferredOn-day',
    ])
    const decided = await psd.post(
      `${url}/outcome`,
      {
        outcome: 'handled_locally',
        notes: 'Footage shows the person still resisting; words of advice on the warning.',
        'decidedOn-day': '1',
        'decidedOn-month': '3',
        'decidedOn-year': '2026',
      },
      url,
    )
    expect(decided.statusCode).toBe(303)
    const again = await psd.post(`${url}/facts`, { conductMatter: 'yes' }, url)
    expect(again.statusCode).toBe(400)
    expect(errorSummary(again.body)).toEqual(['This referral already has an outcome, which cannot be changed → #form'])
    await expect(
      sql`update referrals set outcome = 'no_further_action' where id = ${referral.id}`.execute(db),
    ).rejects.toThrow(/cannot be changed/)
    await expect(sql`delete from referrals where id = ${referral.id}`.execute(db)).rejects.toThrow(/never deleted/)
  })

  it('lists a report that records a death before anyone refers it, and opens it once', async () => {
    const draft = await startDraft(officer)
    await fillTaserReport(officer, draft)
    await fill(officer, draft, 'outcomes', {
      ...answers.outcomes,
      outcomes: ['fatality'],
      subjectInjured: 'yes',
      subjectInjuryLevel: 'death',
      subjectInjuryNature: 'Cardiac arrest',
      subjectMedicalOffered: 'yes',
      subjectMedicalProvided: 'yes',
    })
    const response = await officer.post(`${draft}/submit`, {}, `${draft}/check`)
    expect(response.statusCode).toBe(303)
    const reportId = String(response.headers.location).split('/')[2] ?? ''
    const list = await psd.get('/referrals')
    expect(list.body).toContain(`value="${reportId}"`)
    const opened = await psd.post('/referrals/open', { reportId }, '/referrals')
    expect(opened.statusCode).toBe(303)
    const twice = await psd.post('/referrals/open', { reportId }, '/referrals')
    expect(twice.headers.location).toBe(opened.headers.location)
    const detail = await psd.get(String(opened.headers.location))
    expect(detail.body).toContain('This case meets the IOPC’s mandatory referral criteria')
    expect((await psd.get('/referrals')).body).not.toContain(`value="${reportId}"`)
  })
})
