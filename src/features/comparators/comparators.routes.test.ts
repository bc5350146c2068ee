import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, testApp, type TestApp } from '../../../test/support/app.js'
import { systemClock } from '../../clock.js'
import { importComparatorFile } from './comparators.service.js'
import { forceAreas } from './police-force-areas.js'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const csv = (year: number, forces: readonly string[]) =>
  new TextEncoder().encode(['Police force,FTE Count,Year', ...forces.map((f) => `${f},10,${year}`)].join('\n'))

describe('the national comparators page', () => {
  it('lists each import with its periods, file, hash and checks, failed checks marked', async () => {
    const deps = { db: t.database.db, clock: systemClock }
    const actor = { userId: null, label: 'system' }
    const good = await importComparatorFile(deps, actor, { fileName: 'fte-2029.csv', bytes: csv(2029, forceAreas) })
    await importComparatorFile(deps, actor, {
      fileName: 'fte-2030-short.csv',
      bytes: csv(2030, forceAreas.slice(1)),
      acceptMismatches: true,
    })
    const analyst = new Browser(t.app)
    await analyst.signIn('analyst')
    const page = await analyst.get('/comparators')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('<h1 class="govuk-heading-l">National comparators</h1>')
    expect(page.body).toContain('fte-2029.csv')
    expect(page.body).toContain('31 March 2029')
    expect(page.body).toContain('All checks hold')
    expect(page.body).toContain('1 checks failed')
    expect(page.body).toContain('<strong>Failed:</strong> Officer FTE at 31 March 2030: number of forces')
    if (good.status !== 'imported') throw new Error('expected a fresh import')
    expect(page.body).toMatch(/<code>[0-9a-f]{16} [0-9a-f]{16} [0-9a-f]{16} [0-9a-f]{16}<\/code>/)
    expect(page.body).toContain('href="/comparators"')
  })

  it('is refused to those without the permission', async () => {
    const officer = new Browser(t.app)
    await officer.signIn('officer')
    expect((await officer.get('/comparators')).statusCode).toBe(403)
    expect((await new Browser(t.app).get('/comparators')).statusCode).toBe(302)
  })
})
