import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, testApp, type TestApp } from '../../../../test/support/app.js'
import type { Db } from '../../../db/database.js'
import { insertDraft } from './drafts.repository.js'
import { ageText, isOverdue, overdueDrafts } from './drafts.service.js'
import { startDraft } from '../../../../test/support/report-form.js'

// The clock the app reads: each test moves it.
const START = new Date('2030-03-10T08:00:00Z')
let now = START
const at = (hours: number, minutes = 0) => new Date(START.getTime() + (hours * 60 + minutes) * 60_000)

let t: TestApp
let db: Db
beforeAll(async () => {
  t = await testApp({ clock: () => now })
  db = t.database.db
  // The demo officer has drafts of their own; these tests count from none.
  await db.deleteFrom('report_drafts').execute()
})

/** Signed in at the clock's time: a session ends after 30 minutes idle, and these tests move the clock by days. */
async function as(username: string): Promise<Browser> {
  const browser = new Browser(t.app)
  await browser.signIn(username)
  return browser
}
afterAll(() => t.close())

const text = (html: string, testId: string) =>
  (new RegExp(`data-testid="${testId}"[^>]*>([\\s\\S]*?)</(p|div|table)>`).exec(html)?.[1] ?? '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()

describe('overdue drafts', () => {
  it('counts a draft as overdue from exactly 24 hours after it was started, on "Your reports" and home pages', async () => {
    now = START
    const draft = await startDraft(await as('officer'))

    now = at(23, 59)
    let officer = await as('officer')
    expect((await officer.get('/reports')).body).not.toContain('Overdue')
    expect(text((await officer.get('/')).body, 'overdue-count')).toBe('You have no overdue draft reports.')
    let supervisor = await as('supervisor')
    expect(text((await supervisor.get('/')).body, 'team-overdue-count')).toBe('Your team has no draft reports overdue.')

    now = at(24)
    officer = await as('officer')
    supervisor = await as('supervisor')
    const yours = await officer.get('/reports')
    expect(yours.body).toMatch(/New report <strong class="govuk-tag govuk-tag--red">\s*Overdue/)
    expect(yours.body).toContain(`href="${draft}"`)
    expect(text((await officer.get('/')).body, 'overdue-count')).toContain('You have 1 overdue draft report')

    const home = await supervisor.get('/')
    expect(text(home.body, 'team-overdue-count')).toBe(
      '1 draft report has not been submitted within 24 hours of being started.',
    )
    expect(text(home.body, 'team-overdue-drafts')).toContain('PC Sam Okafor 10 March 2030 at 08:00 24 hours')

    // Deleting it takes it off every list.
    const deleted = await officer.post(`${draft}/delete`, {}, `${draft}/delete`)
    expect(deleted.headers.location).toBe('/reports?done=deleted')
    expect(text((await officer.get('/')).body, 'overdue-count')).toBe('You have no overdue draft reports.')
  })

  it('shows a supervisor their own team’s overdue drafts only, and follows the force’s deadline', async () => {
    now = START
    const me = await db
      .selectFrom('users')
      .select(['id', 'force_id', 'unit_id', 'person_id'])
      .where('username', '=', 'officer')
      .executeTakeFirstOrThrow()
    const officers = db
      .selectFrom('users as u')
      .innerJoin('user_roles as r', 'r.user_id', 'u.id')
      .select(['u.id', 'u.force_id', 'u.display_name'])
      .where('u.username', 'like', 'officer-%')
      .where('r.role', '=', 'officer')
    // A colleague in the same team, and an officer in another team, each with a draft started at START.
    const colleague = await officers.where('u.unit_id', '=', me.unit_id).executeTakeFirstOrThrow()
    const elsewhere = await officers.where('u.unit_id', '!=', me.unit_id).executeTakeFirstOrThrow()
    for (const owner of [colleague, elsewhere]) {
      await insertDraft(db, { userId: owner.id, forceId: owner.force_id }, { reportId: null, data: {}, now: START })
    }
    const mine = { userId: me.id, forceId: me.force_id }
    await insertDraft(db, mine, { reportId: null, data: {}, now: at(1) })
    // An amendment is never overdue: the report it corrects was submitted.
    const report = await db
      .selectFrom('reports')
      .select('id')
      .where('force_id', '=', me.force_id)
      .executeTakeFirstOrThrow()
    await insertDraft(db, mine, { reportId: report.id, data: {}, now: START })

    now = at(30)
    const home = (await (await as('supervisor')).get('/')).body
    const listed = text(home, 'team-overdue-drafts')
    expect(listed).toContain(colleague.display_name)
    expect(listed).toContain('PC Sam Okafor')
    expect(listed).not.toContain(elsewhere.display_name)
    expect(text(home, 'team-overdue-count')).toMatch(/^2 draft reports have/)

    // A force that gives its officers 2 hours: the officer's draft started at 09:00 is late at 11:00.
    const own = { kind: 'own' as const, forceId: me.force_id, personId: me.person_id ?? '' }
    await db
      .updateTable('force_settings')
      .set({ draft_deadline_hours: 2 })
      .where('force_id', '=', me.force_id)
      .execute()
    try {
      expect(await overdueDrafts(db, own, at(2, 59))).toEqual({ deadlineHours: 2, drafts: [] })
      const late = await overdueDrafts(db, own, at(3))
      expect(late.drafts.map((d) => [d.ownerName, d.ageMinutes])).toEqual([['PC Sam Okafor', 120]])
    } finally {
      await db
        .updateTable('force_settings')
        .set({ draft_deadline_hours: 24 })
        .where('force_id', '=', me.force_id)
        .execute()
    }
  })

  it('puts the boundary at exactly the deadline', () => {
    const started = new Date('2030-03-10T08:00:00Z')
    expect(isOverdue(started, new Date('2030-03-11T07:59:59.999Z'), 24)).toBe(false)
    expect(isOverdue(started, new Date('2030-03-11T08:00:00Z'), 24)).toBe(true)
    expect(ageText(59)).toBe('59 minutes')
    expect(ageText(24 * 60)).toBe('24 hours')
    expect(ageText(3 * 24 * 60 + 5)).toBe('3 days')
  })
})
