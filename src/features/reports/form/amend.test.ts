import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiClientFor } from '../../../../test/support/api.js'
import { Browser, testApp, type TestApp } from '../../../../test/support/app.js'
import { systemActor } from '../../audit/ledger.js'
import { createUser } from '../../admin/admin.service.js'
import {
  answers,
  errorSummary,
  fill,
  fillTaserReport,
  startDraft,
  taskStatuses,
} from '../../../../test/support/report-form.js'

const NOW = new Date('2030-06-14T21:30:00Z')

let t: TestApp
let officer: Browser
beforeAll(async () => {
  t = await testApp({ clock: () => NOW })
  officer = new Browser(t.app)
  await officer.signIn('officer')
})
afterAll(() => t.close())

/** A fired-Taser report submitted through the form; its id. */
async function submitted(): Promise<string> {
  const draft = await startDraft(officer)
  await fillTaserReport(officer, draft)
  const response = await officer.post(`${draft}/submit`, {}, `${draft}/check`)
  expect(response.statusCode).toBe(303)
  return String(response.headers.location).split('/')[2] ?? ''
}

async function amend(reportId: string): Promise<string> {
  const response = await officer.post(`/reports/${reportId}/amend`, {}, `/reports/${reportId}`)
  expect(response.statusCode).toBe(303)
  return String(response.headers.location)
}

describe('amending a submitted report', () => {
  it('needs a reason, makes version 2 and shows the change in the history', async () => {
    const reportId = await submitted()
    const page = await officer.get(`/reports/${reportId}`)
    expect(page.body).toContain('Amend this report')

    const draft = await amend(reportId)
    // A second press continues the same amendment.
    expect(await amend(reportId)).toBe(draft)
    const list = await officer.get(draft)
    expect(list.body).toContain('Amend your report')
    // The incident and the person are not part of an amendment; everything else starts as submitted.
    expect(taskStatuses(list.body)).toEqual([
      'Force used: Completed',
      'CED use: Completed',
      'Reasons and impact factors: Completed',
      'Outcomes and injuries: Completed',
      'About you: Completed',
      'Your account: Completed',
    ])
    expect((await officer.get(`${draft}/incident`)).headers.location).toBe(draft)
    const prefilled = await officer.get(`${draft}/ced/1`)
    expect(prefilled.body).toContain('value="X29-00172245"')

    await fill(officer, draft, 'outcomes', {
      ...answers.outcomes,
      officerInjured: 'yes',
      intentionalAssault: 'yes',
      officerInjuryLevel: 'minor',
    })
    const check = await officer.get(`${draft}/check`)
    expect(check.body).toContain('Reason for the amendment')

    const noReason = await officer.post(`${draft}/submit`, { reason: '  ' }, `${draft}/check`)
    expect(noReason.statusCode).toBe(400)
    expect(errorSummary(noReason.body)).toEqual(['Enter the reason for the amendment → #reason'])

    const done = await officer.post(
      `${draft}/submit`,
      { reason: 'I left out my own injury: a cut to the hand.' },
      `${draft}/check`,
    )
    expect(done.statusCode).toBe(303)
    expect(done.headers.location).toBe(`/reports/${reportId}?done=amended`)
    expect((await officer.get(draft)).statusCode).toBe(404)

    const amended = await officer.get(`/reports/${reportId}?done=amended`)
    expect(amended.body).toContain('Report amended: this is version 2')
    expect(amended.body).toContain('Version 2: amended')
    expect(amended.body).toContain('I left out my own injury: a cut to the hand.')
    const changes = /data-testid="changes-2"[\s\S]*?<\/table>/.exec(amended.body)?.[0] ?? ''
    const rows = [...changes.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].map((m) =>
      [...(m[1] ?? '').matchAll(/<t[dh][^>]*>\s*([\s\S]*?)\s*<\/t[dh]>/g)].map((c) => c[1]),
    )
    expect(rows).toEqual([
      ['Answer', 'Was', 'Now'],
      ['You were injured', 'No', 'Yes'],
      ['Your injury was from an intentional assault', 'Not given', 'Yes'],
      ['How serious your injury was', 'Not given', 'Minor'],
    ])
  })

  it('refuses an amendment that changes nothing, and one made stale by another', async () => {
    const reportId = await submitted()
    const draft = await amend(reportId)
    const unchanged = await officer.post(`${draft}/submit`, { reason: 'Checking' }, `${draft}/check`)
    expect(unchanged.statusCode).toBe(400)
    expect(errorSummary(unchanged.body)).toEqual(['You have not changed anything in the report → #submit'])

    await fill(officer, draft, 'reasons', { ...answers.reasons, impactFactors: ['possession_of_weapon', 'drugs'] })
    // Meanwhile the report is amended another way (the API, from the officer's phone).
    const api = await apiClientFor(t.app, t.database.db, 'officer')
    const current = (await api.get(`/api/v1/reports/${reportId}`)).json()
    const { id: _id, version, submittedAt: _s, amendedAt: _a, incident: _i, subject: _p, ...report } = current
    const other = await api.post(`/api/v1/reports/${reportId}/amendments`, {
      expectedVersion: version,
      reason: 'Outcome corrected',
      report: { ...report, outcomes: ['arrested', 'hospitalised'] },
    })
    expect(other.statusCode).toBe(200)

    const stale = await officer.post(`${draft}/submit`, { reason: 'Drugs were a factor' }, `${draft}/check`)
    expect(stale.statusCode).toBe(409)
    expect(errorSummary(stale.body)).toEqual([
      'The report has changed since you opened it: reload it and try again → #submit',
    ])
    expect(stale.body).toContain('Drugs were a factor')
  })

  it('lets only the reporting officer amend', async () => {
    const reportId = await submitted()
    const supervisor = new Browser(t.app)
    await supervisor.signIn('supervisor')
    const page = await supervisor.get(`/reports/${reportId}`)
    expect(page.statusCode).toBe(200)
    expect(page.body).not.toContain('Amend this report')
    const own = await startDraft(supervisor)
    const refused = await supervisor.post(`/reports/${reportId}/amend`, {}, own)
    expect(refused.statusCode).toBe(404)
    // Another officer may read only their own reports: this one is not found, as if it did not exist.
    const db = t.database.db
    const team = await db
      .selectFrom('org_units')
      .select(['id', 'force_id'])
      .where('kind', '=', 'team')
      .where('code', '!=', 'bcu-north-response-a')
      .executeTakeFirstOrThrow()
    const created = await createUser({ db, clock: () => NOW }, systemActor, team.force_id, {
      username: 'another-officer',
      displayName: 'PC Other',
      email: null,
      unitId: team.id,
      roles: ['officer'],
      password: 'a-long-enough-password',
    })
    expect(created.ok).toBe(true)
    const another = new Browser(t.app)
    await another.signIn('another-officer', 'a-long-enough-password')
    expect((await another.get(`/reports/${reportId}`)).statusCode).toBe(404)
    // And someone without reports at all is refused.
    const outsider = new Browser(t.app)
    await outsider.signIn('authorising-officer')
    expect((await outsider.get(`/reports/${reportId}`)).statusCode).toBe(403)
  })
})
