import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type TestApp } from '../../../test/support/app.js'
import { reportSubmission } from '../../domain/use-of-force/report.js'
import { incidentRules, reportRules } from '../../domain/use-of-force/rules.js'
import { validSubmissionExample } from './example.js'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

describe('API description', () => {
  it('documents every API route the app serves, and nothing it does not', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json()
    expect(document.openapi).toBe('3.1.0')
    const documented = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    )
    const served = t.app.routeTable
      .filter((r) => r.url.startsWith('/api/v1/') && r.url !== '/api/v1/openapi.json' && r.method !== 'HEAD')
      .map((r) => `${r.method} ${r.url}`)
    expect(documented.sort()).toEqual(served.sort())
    expect(document.components.schemas.ReportSubmission.properties).toHaveProperty('cedUses')
  })

  it('shows an example that the API would accept', () => {
    const parsed = reportSubmission.safeParse(validSubmissionExample)
    expect(parsed.success).toBe(true)
    if (!parsed.success) return
    expect(reportRules(parsed.data)).toEqual([])
    expect('occurredAt' in parsed.data.incident && incidentRules(parsed.data.incident, new Date())).toEqual([])
  })

  it('has a readable page anyone can open', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/developers/api' })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('POST /api/v1/reports')
    expect(page.body).toContain('Idempotency-Key')
  })
})
