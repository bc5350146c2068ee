import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiClientFor, countRows } from '../../../test/support/api.js'
import { testApp, type TestApp } from '../../../test/support/app.js'
import { invalidPayloadArb, validSubmissionArb } from '../../../test/support/report-arbitraries.js'
import { submissionIssues } from '../../../test/support/report-fixtures.js'
import { reportSubmission } from '../../domain/use-of-force/report.js'

const now = new Date()
let t: TestApp
let officer: Awaited<ReturnType<typeof apiClientFor>>
beforeAll(async () => {
  // The server's clock is pinned to the generators' "now", so "in the future" means the same to both.
  t = await testApp({ clock: () => now })
  officer = await apiClientFor(t.app, t.database.db, 'officer')
})
afterAll(() => t.close())

describe('the reports API, on generated reports', () => {
  it('gives back every valid report exactly as it was sent, read from its rows', async () => {
    await fc.assert(
      fc.asyncProperty(validSubmissionArb(now), async (sent) => {
        const created = await officer.post('/api/v1/reports', sent)
        expect(created.statusCode, created.body).toBe(201)
        const read = (await officer.get(`/api/v1/reports/${created.json().id}`)).json()
        const { incident, subject, id: _id, version: _v, submittedAt: _s, amendedAt: _a, ...body } = read
        // What was sent, as the schema reads it: absent optional answers null, text trimmed, selections in order.
        const { incident: sentIncident, subject: sentSubject, ...sentBody } = reportSubmission.parse(sent)
        expect(body).toEqual(sentBody)
        expect(incident).toMatchObject(sentIncident)
        expect(subject).toMatchObject(sentSubject)
      }),
      { numRuns: 40 },
    )
  })

  it('answers every invalid payload with a 4xx and field errors, and writes nothing', async () => {
    const before = await Promise.all(
      (['reports', 'incidents', 'subjects'] as const).map((table) => countRows(t.database.db, table)),
    )
    await fc.assert(
      fc.asyncProperty(invalidPayloadArb(now), async ({ label, payload }) => {
        // The API receives JSON: a value JSON cannot carry (Infinity, undefined) may arrive as a valid one.
        fc.pre(submissionIssues(JSON.parse(JSON.stringify(payload) ?? 'null'), now).length > 0)
        const response = await officer.post('/api/v1/reports', payload)
        expect(response.statusCode, label).toBeGreaterThanOrEqual(400)
        expect(response.statusCode, label).toBeLessThan(500)
        expect(response.json().errors?.length, `${label}: ${response.body}`).toBeGreaterThan(0)
      }),
      { numRuns: 150 },
    )
    const after = await Promise.all(
      (['reports', 'incidents', 'subjects'] as const).map((table) => countRows(t.database.db, table)),
    )
    expect(after).toEqual(before)
  })
})
