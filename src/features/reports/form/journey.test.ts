import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, testApp, type TestApp } from '../../../../test/support/app.js'
import type { Db } from '../../../db/database.js'
import { reportSubmission } from '../../../domain/use-of-force/report.js'
import { loadReport } from '../reports.repository.js'
import { fieldFor } from './field-map.js'
import {
  answers,
  errorSummary,
  fill,
  fillTaserReport,
  rulePaths,
  schemaPaths,
  startDraft,
  taskStatuses,
} from '../../../../test/support/report-form.js'

// An hour after the incident in the answers (21:30 BST on 14 June 2030): later than every report of the demo
// force, so the officer's new reports head their list.
const NOW = new Date('2030-06-14T21:30:00Z')

let t: TestApp
let db: Db
let officer: Browser
beforeAll(async () => {
  t = await testApp({ clock: () => NOW })
  db = t.database.db
  officer = new Browser(t.app)
  await officer.signIn('officer')
})
afterAll(() => t.close())

describe('the officer’s use-of-force form', () => {
  it('records a fired Taser from a new draft to a submitted report that reads back', async () => {
    const draft = await startDraft(officer)
    const taskList = await officer.get(draft)
    expect(taskList.statusCode).toBe(200)
    expect(taskStatuses(taskList.body)).toEqual([
      'Incident: Not yet started',
      'The person: Not yet started',
      'Force used: Not yet started',
      'CED use: Cannot start yet',
      'Reasons and impact factors: Not yet started',
      'Outcomes and injuries: Not yet started',
      'About you: Not yet started',
      'Your account: Not yet started',
    ])

    await fill(officer, draft, 'incident', answers.newIncident, `${draft}/incident/details`)
    // A mistake: the date is not a real one. The page comes back with the problem and what was typed.
    const wrong = await officer.post(`${draft}/incident/details`, {
      ...answers.incidentDetails,
      'occurredAt-day': '31',
      'occurredAt-month': '2',
    })
    expect(wrong.statusCode).toBe(400)
    expect(errorSummary(wrong.body)).toEqual(['The date of the incident must be a real date → #occurredAt-day'])
    expect(wrong.body).toContain('name="occurredAt-day" type="text" value="31"')
    expect(wrong.body).toContain('value="Borough High Street, Southwark"')
    expect(wrong.body).toMatch(/<title>Error: /)
    // Saved all the same: the draft keeps partial work.
    expect(taskStatuses((await officer.get(draft)).body)[0]).toBe('Incident: Incomplete')
    // The date left out altogether (every box empty) is a question still to answer, not a failure of the service.
    const noDate = await officer.post(`${draft}/incident/details`, {
      ...answers.incidentDetails,
      'occurredAt-day': '',
      'occurredAt-month': '',
      'occurredAt-year': '',
      'occurredAt-time': '',
    })
    expect(noDate.statusCode).toBe(400)
    expect(noDate.body).toContain('value="Borough High Street, Southwark"')
    await fill(officer, draft, 'incident/details', answers.incidentDetails)

    await fill(officer, draft, 'person/details', answers.person)
    await fill(officer, draft, 'tactics', answers.tacticsWithCed)
    expect(taskStatuses((await officer.get(draft)).body)[3]).toBe('CED use: Not yet started')

    // Another mistake, on the CED use: a cycle length that is not a number.
    const badCycle = await officer.post(`${draft}/ced/1`, { ...answers.cedFired, 'cycles-0-seconds': 'five' })
    expect(badCycle.statusCode).toBe(400)
    expect(errorSummary(badCycle.body)).toEqual([
      'Enter the length of the cycle in seconds, like 5 or 2.5 → #cycles-0-seconds',
    ])
    expect(badCycle.body).toContain('value="five"')
    expect(badCycle.body).toMatch(/id="levels-6" name="levels" type="checkbox" value="fired" checked/)
    await fill(officer, draft, 'ced/1', answers.cedFired, `${draft}/ced`)

    await fill(officer, draft, 'reasons', answers.reasons)
    await fill(officer, draft, 'outcomes', answers.outcomes)
    await fill(officer, draft, 'about-you', answers.aboutYou)
    await fill(officer, draft, 'account', answers.account)

    // With every section answered the cross-field rules run: a 7-second cycle must be marked as extended.
    const longCycle = await officer.post(`${draft}/ced/1`, { ...answers.cedFired, 'cycles-0-seconds': '7' })
    expect(longCycle.statusCode).toBe(400)
    expect(errorSummary(longCycle.body)).toEqual([
      'Cycle 1 lasted more than 5 seconds, so select yes for extended beyond 5 seconds, or correct its length → #cycles-0-extended',
    ])
    expect(taskStatuses((await officer.get(draft)).body)[3]).toBe('CED use: Incomplete')
    await fill(officer, draft, 'ced/1', answers.cedFired, `${draft}/ced`)

    const done = await officer.get(draft)
    expect(taskStatuses(done.body).every((s) => s.endsWith('Completed'))).toBe(true)
    expect(done.body).toContain('You have completed 8 of 8 sections.')

    const check = await officer.get(`${draft}/check`)
    expect(check.statusCode).toBe(200)
    for (const shown of [
      'Borough High Street, Southwark',
      '14 June 2030 at 21:30',
      'X29-00172245',
      'Front 5',
      'Back B',
    ]) {
      expect(check.body).toContain(shown)
    }
    expect(check.body).toContain(`href="${draft}/ced/1#probeSites"`)

    const submitted = await officer.post(`${draft}/submit`, {}, `${draft}/check`)
    expect(submitted.statusCode).toBe(303)
    const confirmation = String(submitted.headers.location)
    expect(confirmation).toMatch(/^\/reports\/[0-9a-f-]{36}\/submitted$/)
    const reportId = confirmation.split('/')[2] ?? ''

    const panel = await officer.get(confirmation)
    expect(panel.statusCode).toBe(200)
    expect(panel.body).toContain('Report submitted')
    const reference = /data-testid="reference">([^<]+)</.exec(panel.body)?.[1]
    expect(reference).toMatch(/^2030-\d{6}$/)
    expect(panel.body).toContain('Your supervisor must review this report, because it records a CED discharge')

    // The draft has become the report: it is gone, and a second press of Submit finds the report instead.
    expect((await officer.get(draft)).statusCode).toBe(404)
    const again = await t.app.inject({
      method: 'POST',
      url: `${draft}/submit`,
      headers: { cookie: officer.jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(/name="_csrf" value="([^"]+)"/.exec((await officer.get('/reports')).body)?.[1] ?? '')}`,
    })
    expect(again.statusCode).toBe(303)
    expect(again.headers.location).toBe(confirmation)

    const yours = await officer.get('/reports')
    expect(yours.body).toContain(`href="/reports/${reportId}">${reference}</a>`)
    expect(yours.body).toContain('CED: Fired')

    const page = await officer.get(`/reports/${reportId}`)
    expect(page.statusCode).toBe(200)
    for (const shown of [
      reference ?? '',
      'X29-00172245',
      'AFID-7Q4-19830, bay 1',
      'Front 5',
      'Medical staff',
      'Protect self',
    ]) {
      expect(page.body).toContain(shown)
    }

    const stored = await loadReport(db, await forceId(), reportId)
    expect(stored?.body.cedUses).toEqual([
      {
        deviceSerial: 'X29-00172245',
        deviceModel: 'x2',
        levels: ['drawn', 'aimed', 'red_dot', 'fired'],
        driveStunRepeat: false,
        cartridges: [{ serial: 'AFID-7Q4-19830', bay: 1 }],
        cycles: [{ seconds: 5, extended: false, interrupted: false }],
        repeatCycleSameCartridge: false,
        probeMiss: 'none',
        probeSites: ['front_5', 'back_b'],
        warningGiven: true,
        distanceMetres: 3.5,
        effective: true,
        probesRemovedBy: 'medical_staff',
        medicalCheck: true,
        footageReference: 'BWV-4417-0001',
      },
    ])
    expect(stored?.incident.occurredAt).toBe('2030-06-14T20:30:00.000Z')
    expect(stored?.body.tactics.map((x) => x.tactic)).toEqual([
      'tactical_communication',
      'ced',
      'non_compliant_handcuffing',
    ])

    // Reading a report is recorded in the audit ledger.
    const reads = await db.selectFrom('audit_log').select('action').where('entity_id', '=', reportId).execute()
    expect(reads.map((r) => r.action)).toContain('report.viewed')
  })

  it('adds a report to an incident already recorded, about a person already on it', async () => {
    const first = await startDraft(officer)
    await fillTaserReport(officer, first)
    const submitted = await officer.post(`${first}/submit`, {}, `${first}/check`)
    const reportId = String(submitted.headers.location).split('/')[2] ?? ''
    const reference = (await loadReport(db, await forceId(), reportId))?.incident.reference ?? ''
    const person = await db
      .selectFrom('reports')
      .select('subject_id')
      .where('id', '=', reportId)
      .executeTakeFirstOrThrow()

    const supervisor = new Browser(t.app)
    await supervisor.signIn('supervisor')
    const draft = await startDraft(supervisor)
    const unknown = await supervisor.post(`${draft}/incident`, { incidentKind: 'existing', reference: '1999-000001' })
    expect(unknown.statusCode).toBe(400)
    expect(errorSummary(unknown.body)).toEqual(['There is no incident with that reference → #reference'])
    expect(unknown.body).toContain('value="1999-000001"')

    await fill(supervisor, draft, 'incident', { incidentKind: 'existing', reference })
    const choose = await supervisor.get(`${draft}/person`)
    expect(choose.statusCode).toBe(200)
    expect(choose.body).toContain('Person 1: 18 to 34 years, Male, White')
    await fill(supervisor, draft, 'person', { subjectId: person.subject_id })
    await fill(supervisor, draft, 'tactics', answers.tacticsWithoutCed)
    await fill(supervisor, draft, 'reasons', answers.reasons)
    await fill(supervisor, draft, 'outcomes', answers.outcomes)
    await fill(supervisor, draft, 'about-you', { ...answers.aboutYou, cedTrained: 'no', cedCarried: 'no' })
    await fill(supervisor, draft, 'account', answers.account)
    expect(taskStatuses((await supervisor.get(draft)).body)).toEqual([
      'Incident: Completed',
      'The person: Completed',
      'Force used: Completed',
      'CED use: Cannot start yet',
      'Reasons and impact factors: Completed',
      'Outcomes and injuries: Completed',
      'About you: Completed',
      'Your account: Completed',
    ])
    const check = await supervisor.get(`${draft}/check`)
    expect(check.body).toContain(reference)
    expect(check.body).toContain('Person 1: 18 to 34 years, Male, White')

    const done = await supervisor.post(`${draft}/submit`, {}, `${draft}/check`)
    expect(done.statusCode).toBe(303)
    const secondId = String(done.headers.location).split('/')[2] ?? ''
    const rows = await db
      .selectFrom('reports')
      .select(['incident_id', 'subject_id'])
      .where('id', 'in', [reportId, secondId])
      .execute()
    expect(new Set(rows.map((r) => r.incident_id)).size).toBe(1)
    expect(new Set(rows.map((r) => r.subject_id)).size).toBe(1)
    const page = await officer.get(`/reports/${reportId}`)
    expect(page.body).toMatch(
      /Other reports on this incident\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*1\s*</,
    )
  })

  it('keeps a draft private to its owner', async () => {
    const draft = await startDraft(officer)
    await fill(officer, draft, 'incident', answers.newIncident, `${draft}/incident/details`)
    const supervisor = new Browser(t.app)
    await supervisor.signIn('supervisor')
    for (const page of ['', '/incident', '/incident/details', '/tactics', '/ced/1', '/check', '/delete']) {
      expect((await supervisor.get(`${draft}${page}`)).statusCode, page).toBe(404)
    }
    // The supervisor cannot write to it either, even with a valid form token of their own.
    const own = await startDraft(supervisor)
    const post = await supervisor.post(`${draft}/incident/details`, answers.incidentDetails, own)
    expect(post.statusCode).toBe(404)
    const deleted = await supervisor.post(`${draft}/delete`, {}, own)
    expect(deleted.statusCode).toBe(404)
    expect((await officer.get(draft)).statusCode).toBe(200)
    // An analyst cannot make reports at all.
    const analyst = new Browser(t.app)
    await analyst.signIn('analyst')
    expect((await analyst.get('/reports')).statusCode).toBe(403)
  })

  it('says the CED section cannot start until CED (Taser) is a tactic', async () => {
    const draft = await startDraft(officer)
    await fill(officer, draft, 'tactics', answers.tacticsWithoutCed)
    const list = await officer.get(draft)
    expect(taskStatuses(list.body)[3]).toBe('CED use: Cannot start yet')
    expect(list.body).not.toContain(`href="${draft}/ced"`)
    expect((await officer.get(`${draft}/ced`)).headers.location).toBe(draft)
    await fill(officer, draft, 'tactics', answers.tacticsWithCed)
    expect(taskStatuses((await officer.get(draft)).body)[3]).toBe('CED use: Not yet started')
    expect((await officer.get(`${draft}/ced`)).headers.location).toBe(`${draft}/ced/1`)
  })

  it('works the "add another tactic" buttons without JavaScript', async () => {
    const draft = await startDraft(officer)
    const first = { 'tactics-0-tactic': 'unarmed_skills', 'tactics-0-effective': 'yes' }
    const added = await officer.post(`${draft}/tactics`, { ...first, action: 'add' })
    expect(added.statusCode).toBe(200)
    expect(added.body).toContain('id="tactics-1-tactic"')
    expect(added.body).not.toContain('govuk-error-summary')
    const removed = await officer.post(`${draft}/tactics`, {
      ...first,
      'tactics-1-tactic': 'baton_drawn',
      'tactics-1-effective': 'no',
      action: 'remove-0',
    })
    expect(removed.statusCode).toBe(200)
    expect(removed.body).toMatch(/<option value="baton_drawn" selected>/)
    expect(removed.body).not.toContain('id="tactics-1-tactic"')
    // Import-only codes are never offered.
    expect(removed.body).not.toContain('value="handcuffing_not_stated"')
  })

  it('has on its page every field the field map names', async () => {
    const draft = await startDraft(officer)
    const incident = await db.selectFrom('incidents').select('reference').executeTakeFirstOrThrow()
    await fill(officer, draft, 'incident', { incidentKind: 'existing', reference: incident.reference })
    await fill(officer, draft, 'tactics', answers.tacticsWithCed)
    const pages = new Map<string, string>()
    const missing: string[] = []
    for (const path of [...schemaPaths(reportSubmission).filter((p) => p.length), ...rulePaths]) {
      const { page, field } = fieldFor(path)
      if (!pages.has(page)) {
        const response = await officer.get(`${draft}/${page}`)
        expect(response.statusCode, page).toBe(200)
        pages.set(page, response.body)
      }
      if (!pages.get(page)?.includes(`id="${field}"`)) missing.push(`${path.join('.')} → ${page}#${field}`)
    }
    expect(missing).toEqual([])
    expect([...pages.keys()].sort()).toEqual([
      'about-you',
      'account',
      'ced/1',
      'incident',
      'incident/details',
      'outcomes',
      'person',
      'person/details',
      'reasons',
      'tactics',
    ])
  })

  it('links each problem of an incomplete draft to its page and field when it is submitted', async () => {
    const draft = await startDraft(officer)
    await fillTaserReport(officer, draft, ['about-you'])
    await officer.post(`${draft}/account`, { ...answers.account, justification: '' })
    const response = await officer.post(`${draft}/submit`, {}, `${draft}/check`)
    expect(response.statusCode).toBe(400)
    expect(errorSummary(response.body)).toEqual([
      `Answer the questions about you and the person’s behaviour → ${draft}/about-you#mainDuty`,
      `Explain why the force you used was necessary and proportionate → ${draft}/account#justification`,
    ])
    expect(response.body).toContain('Incomplete')
    // Nothing was submitted, and the draft is still there.
    expect((await officer.get(draft)).statusCode).toBe(200)
  })
})

async function forceId(): Promise<string> {
  return (await db.selectFrom('forces').select('id').where('code', '=', 'demo').executeTakeFirstOrThrow()).id
}
