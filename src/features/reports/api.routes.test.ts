import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiClientFor, countRows } from '../../../test/support/api.js'
import { Browser, testApp, type TestApp } from '../../../test/support/app.js'
import { cedSubmission, validSubmission } from '../../../test/support/report-fixtures.js'
import { setUserDisabled } from '../admin/admin.service.js'
import { createApiToken, hashToken, revokeApiToken } from '../auth/api-tokens.js'

let t: TestApp
let officer: Awaited<ReturnType<typeof apiClientFor>>
beforeAll(async () => {
  t = await testApp()
  officer = await apiClientFor(t.app, t.database.db, 'officer')
})
afterAll(() => t.close())

describe('the reports API', () => {
  it('takes a valid report and gives it back exactly as it was sent', async () => {
    const sent = cedSubmission({ level: 'fired' })
    const created = await officer.post('/api/v1/reports', sent)
    expect(created.statusCode).toBe(201)
    const { id, reference, version, flags } = created.json()
    expect(created.headers.location).toBe(`/api/v1/reports/${id}`)
    expect(reference).toMatch(/^\d{4}-\d{6}$/)
    expect(version).toBe(1)
    expect(flags).toMatchObject({ cedDischarge: true, mandatoryReview: true })

    const read = await officer.get(`/api/v1/reports/${id}`)
    expect(read.statusCode).toBe(200)
    const { incident, subject, id: _id, version: _v, submittedAt: _s, amendedAt: _a, ...body } = read.json()
    const { incident: sentIncident, subject: sentSubject, ...sentBody } = sent
    expect(body).toEqual(sentBody)
    expect(incident).toMatchObject({ ...sentIncident, reference })
    expect(subject).toMatchObject({ ...sentSubject, label: 'Person 1' })

    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', id)
      .orderBy('id')
      .execute()
    expect(audit.map((a) => a.action)).toEqual(['report.submitted', 'report.viewed'])
  })

  it('refuses an invalid report with a field error for each problem, and writes nothing', async () => {
    const before = await countRows(t.database.db, 'reports')
    const bad = { ...validSubmission(), tactics: [{ tactic: 'tactical_communication', effective: true }], reasons: [] }
    const response = await officer.post('/api/v1/reports', bad)
    expect(response.statusCode).toBe(400)
    const { errors } = response.json()
    expect(errors).toContainEqual({ path: 'reasons', message: 'Select at least one reason for using force' })
    const rules = await officer.post('/api/v1/reports', {
      ...validSubmission(),
      tactics: [{ tactic: 'tactical_communication', effective: true }],
    })
    expect(rules.statusCode).toBe(400)
    expect(rules.json().errors).toContainEqual({
      path: 'tactics',
      message: 'Tactical communication alone is not a use of force: add the force you used',
    })
    const notJson = await t.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      headers: { authorization: `Bearer ${officer.token}`, 'content-type': 'application/json' },
      payload: '{"tactics": [',
    })
    expect(notJson.statusCode).toBe(400)
    expect(notJson.headers['content-type']).toMatch(/application\/json/)
    expect(await countRows(t.database.db, 'reports')).toBe(before)
  })

  it('returns the first result for a retried submission and never writes a second report', async () => {
    const before = await countRows(t.database.db, 'reports')
    const payload = validSubmission()
    const headers = { 'idempotency-key': 'retry-test-0001' }
    const first = await officer.post('/api/v1/reports', payload, headers)
    const again = await officer.post('/api/v1/reports', payload, headers)
    expect(first.statusCode).toBe(201)
    expect(again.statusCode).toBe(200)
    expect(again.headers['idempotent-replayed']).toBe('true')
    expect(again.json()).toEqual(first.json())
    expect(await countRows(t.database.db, 'reports')).toBe(before + 1)

    const different = await officer.post('/api/v1/reports', { ...payload, outcomes: ['other'] }, headers)
    expect(different.statusCode).toBe(422)
    expect(await countRows(t.database.db, 'reports')).toBe(before + 1)
  })

  it('writes one report when the same key arrives several times at once', async () => {
    const before = await countRows(t.database.db, 'reports')
    const payload = validSubmission()
    const headers = { 'idempotency-key': 'race-test-0001' }
    const responses = await Promise.all([1, 2, 3, 4].map(() => officer.post('/api/v1/reports', payload, headers)))
    const ids = new Set(responses.map((r) => r.json().id))
    expect(responses.every((r) => r.statusCode === 201 || r.statusCode === 200)).toBe(true)
    expect(ids.size).toBe(1)
    expect(await countRows(t.database.db, 'reports')).toBe(before + 1)
  })

  it('lets a second officer add their report to the same incident and person', async () => {
    const first = (await officer.post('/api/v1/reports', validSubmission())).json()
    const supervisor = await apiClientFor(t.app, t.database.db, 'supervisor')
    const incident = await supervisor.get(`/api/v1/incidents/${first.reference}`)
    expect(incident.statusCode).toBe(200)
    const subjectId = incident.json().subjects[0].id
    const second = await supervisor.post('/api/v1/reports', {
      ...validSubmission(),
      incident: { reference: first.reference },
      subject: { id: subjectId },
    })
    expect(second.statusCode).toBe(201)
    expect(second.json().reference).toBe(first.reference)
    const rows = await t.database.db
      .selectFrom('reports')
      .select(['incident_id', 'subject_id'])
      .where('id', 'in', [first.id, second.json().id])
      .execute()
    expect(new Set(rows.map((r) => r.incident_id)).size).toBe(1)
    expect(new Set(rows.map((r) => r.subject_id)).size).toBe(1)

    const unknown = await supervisor.post('/api/v1/reports', {
      ...validSubmission(),
      incident: { reference: '1999-000000' },
    })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().errors).toContainEqual({
      path: 'incident.reference',
      message: 'There is no incident with that reference',
    })
  })

  it('shows a report only to readers in scope; others get 404', async () => {
    const { id } = (await officer.post('/api/v1/reports', validSubmission())).json()
    for (const username of ['supervisor', 'psd', 'analyst', 'taser-lead']) {
      const reader = await apiClientFor(t.app, t.database.db, username)
      expect((await reader.get(`/api/v1/reports/${id}`)).statusCode, username).toBe(200)
    }
    // An officer in another team of the force: made for this test, with the officer role.
    const other = await t.database.db
      .selectFrom('personnel as p')
      .innerJoin('org_units as u', 'u.id', 'p.unit_id')
      .select(['p.id', 'p.unit_id', 'p.force_id'])
      .where('u.code', '=', 'E-RA')
      .where('p.status', '=', 'regular')
      .executeTakeFirstOrThrow()
    const user = await t.database.db
      .insertInto('users')
      .values({
        force_id: other.force_id,
        username: 'east-officer',
        display_name: 'East officer',
        person_id: other.id,
        unit_id: other.unit_id,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await t.database.db.insertInto('user_roles').values({ user_id: user.id, role: 'officer' }).execute()
    const outsider = await apiClientFor(t.app, t.database.db, 'east-officer')
    expect((await outsider.get(`/api/v1/reports/${id}`)).statusCode).toBe(404)
    expect((await outsider.get('/api/v1/reports')).json().reports.map((r: { id: string }) => r.id)).not.toContain(id)
  })

  it('refuses requests without a valid token, and never accepts a session cookie', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/reports' })).statusCode).toBe(401)
    const wrong = await t.app.inject({
      method: 'GET',
      url: '/api/v1/reports',
      headers: { authorization: 'Bearer flt_nonsense' },
    })
    expect(wrong.statusCode).toBe(401)
    const browser = new Browser(t.app)
    await browser.signIn('officer')
    const withCookie = await t.app.inject({
      method: 'GET',
      url: '/api/v1/reports',
      headers: { cookie: browser.jar.header() },
    })
    expect(withCookie.statusCode).toBe(401)

    const user = await t.database.db
      .selectFrom('users')
      .select(['id', 'force_id'])
      .where('username', '=', 'officer')
      .executeTakeFirstOrThrow()
    const deps = { db: t.database.db, clock: () => new Date() }
    const owner = { userId: user.id, forceId: user.force_id }
    const { id, token } = await createApiToken(deps, { userId: user.id, label: 'officer' }, owner, 'to revoke')
    const headers = { authorization: `Bearer ${token}` }
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/reports', headers })).statusCode).toBe(200)
    expect(await revokeApiToken(deps, { userId: user.id, label: 'officer' }, owner, id)).toBe(true)
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/reports', headers })).statusCode).toBe(401)
    const stored = await t.database.db
      .selectFrom('api_tokens')
      .select('token_hash')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(stored.token_hash).not.toContain(token.slice(4, 20))
  })

  it('keeps every version: amendments need a reason and the current version, and show what changed', async () => {
    const { id } = (await officer.post('/api/v1/reports', validSubmission())).json()
    const current = (await officer.get(`/api/v1/reports/${id}`)).json()
    const { incident: _i, subject: _s, id: _id, version: _v, submittedAt: _sa, amendedAt: _aa, ...body } = current
    const amended = { ...body, outcomes: ['arrested', 'hospitalised'] }

    const noReason = await officer.post(`/api/v1/reports/${id}/amendments`, { expectedVersion: 1, report: amended })
    expect(noReason.statusCode).toBe(400)
    const ok = await officer.post(`/api/v1/reports/${id}/amendments`, {
      expectedVersion: 1,
      reason: 'Taken to hospital later',
      report: amended,
    })
    expect(ok.statusCode).toBe(200)
    expect(ok.json()).toMatchObject({
      version: 2,
      changes: [{ path: 'outcomes', before: 'arrested', after: 'arrested, hospitalised' }],
    })
    const stale = await officer.post(`/api/v1/reports/${id}/amendments`, {
      expectedVersion: 1,
      reason: 'Again',
      report: body,
    })
    expect(stale.statusCode).toBe(409)
    const unchanged = await officer.post(`/api/v1/reports/${id}/amendments`, {
      expectedVersion: 2,
      reason: 'Nothing',
      report: amended,
    })
    expect(unchanged.statusCode).toBe(400)

    const supervisor = await apiClientFor(t.app, t.database.db, 'supervisor')
    const notTheirs = await supervisor.post(`/api/v1/reports/${id}/amendments`, {
      expectedVersion: 2,
      reason: 'x',
      report: body,
    })
    expect(notTheirs.statusCode).toBe(404)

    const versions = (await officer.get(`/api/v1/reports/${id}/versions`)).json().versions
    expect(versions.map((v: { version: number; kind: string }) => [v.version, v.kind])).toEqual([
      [1, 'submitted'],
      [2, 'amended'],
    ])
    // Only what was amended shows as changed: each version records the incident and person the same way.
    expect(versions[1].changes).toEqual([{ path: 'outcomes', before: 'arrested', after: 'arrested, hospitalised' }])
    expect((await officer.get(`/api/v1/reports/${id}`)).json()).toMatchObject({
      version: 2,
      outcomes: ['arrested', 'hospitalised'],
    })
    await expect(sql`update report_versions set reason = 'rewritten'`.execute(t.database.db)).rejects.toThrow(
      /append-only/,
    )
  })

  it('refuses a submission, writing nothing, once the token is revoked, even by another process', async () => {
    const client = await apiClientFor(t.app, t.database.db, 'officer')
    expect((await client.post('/api/v1/reports', validSubmission())).statusCode).toBe(201)
    const before = await countRows(t.database.db, 'reports')
    // Revoked behind this process's back (another server, the CLI): its cache of the token cannot know.
    await t.database.db
      .updateTable('api_tokens')
      .set({ revoked_at: new Date() })
      .where('token_hash', '=', hashToken(client.token))
      .execute()
    const refused = await client.post('/api/v1/reports', validSubmission(), { 'idempotency-key': 'after-revoke-1' })
    expect(refused.statusCode).toBe(401)
    expect(refused.json().errors).toHaveLength(1)
    expect(await countRows(t.database.db, 'reports')).toBe(before)
    const keys = await t.database.db
      .selectFrom('idempotency_keys')
      .select('key')
      .where('key', '=', 'after-revoke-1')
      .execute()
    expect(keys).toEqual([])
    // The refusal made this process forget the token: reads stop at once too.
    expect((await client.get('/api/v1/reports')).statusCode).toBe(401)
  })

  it('stops an account’s token at once when an administrator disables the account', async () => {
    const client = await apiClientFor(t.app, t.database.db, 'analyst')
    expect((await client.get('/api/v1/reports')).statusCode).toBe(200)
    const admin = await t.database.db
      .selectFrom('users')
      .select(['id', 'force_id'])
      .where('username', '=', 'admin')
      .executeTakeFirstOrThrow()
    const deps = { db: t.database.db, clock: () => new Date() }
    const done = await setUserDisabled(deps, { userId: admin.id, label: 'admin' }, admin.force_id, client.userId, true)
    expect(done.ok).toBe(true)
    expect((await client.get('/api/v1/reports')).statusCode).toBe(401)
    await setUserDisabled(deps, { userId: admin.id, label: 'admin' }, admin.force_id, client.userId, false)
  })
})
