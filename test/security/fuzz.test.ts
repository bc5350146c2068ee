/**
 * Fuzzing every input the app accepts: the JSON API, every form in the route table, every page of the report form,
 * every query string and every importer. The property is the same everywhere: the answer is a 2xx/3xx or a 4xx (a
 * line or field error), never a 500, and a refusal writes nothing (the audit ledger — every change of state appends
 * to it in the same transaction — and the importer's own table keep their row counts).
 *
 * Part of every `npm test` with bounded runs (well under a minute). FUZZ_RUNS=N multiplies every property's runs,
 * and SECURITY_SUITE=1 means FUZZ_RUNS=10: the longer run before a release. A failure prints fast-check's seed and
 * the shrunk input; replay it with `fc.assert(..., { seed, path })`.
 */
import fc from 'fast-check'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readComparatorFile } from '../../src/features/comparators/comparators.service.js'
import { UnreadableWorkbookError } from '../../src/features/comparators/ods.js'
import { canAccess } from '../../src/features/auth/policy.js'
import { findAccountByUsername, toPrincipal } from '../../src/features/auth/users.repository.js'
import { apiClientFor } from '../support/api.js'
import { Browser, csrfTokenFrom, testApp, type TestApp } from '../support/app.js'
import { odsWorkbook } from '../support/ods-workbook.js'
import { validSubmission } from '../support/report-fixtures.js'
import { answers, fillTaserReport, startDraft } from '../support/report-form.js'

let t: TestApp
const principals = new Map<string, ReturnType<typeof toPrincipal>>()
const principalOf = (username: string) => principals.get(username)!
const browsers = new Map<string, { browser: Browser; csrf: string }>()
const demoUsernames = ['officer', 'supervisor', 'taser-lead', 'authorising-officer', 'psd', 'analyst', 'admin']

const scale = Number(process.env.FUZZ_RUNS ?? (process.env.SECURITY_SUITE === '1' ? 10 : 1))
if (!(scale > 0)) throw new Error(`FUZZ_RUNS must be a positive number, not ${process.env.FUZZ_RUNS}`)
/** A property's runs: `base` in every `npm test`, more with FUZZ_RUNS or SECURITY_SUITE. */
const runs = (base: number) => Math.max(1, Math.round(base * scale))

// An hour after the incident in the report form's answers (test/support/report-form.ts), so they are in the past.
const NOW = new Date('2030-06-14T22:30:00Z')

beforeAll(async () => {
  t = await testApp({ clock: () => NOW })
  for (const username of demoUsernames) {
    const browser = new Browser(t.app)
    await browser.signIn(username)
    browsers.set(username, { browser, csrf: csrfTokenFrom((await browser.get('/account/api-tokens')).body) })
    principals.set(username, toPrincipal((await findAccountByUsername(t.database.db, username))!))
  }
}, 120_000)
afterAll(() => t?.close())

async function count(table: string): Promise<number> {
  const { rows } = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(t.database.db)
  return Number(rows[0]!.n)
}

/**
 * Audit entries that record a change of state: a refused password confirmation is audited on purpose (every
 * sign-in failure is), so it does not count as a write.
 */
async function changesAudited(): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    select count(*) as n from audit_log where action not like '%failed'`.execute(t.database.db)
  return Number(rows[0]!.n)
}

/** Row counts of the audit ledger and the given tables, to compare before and after a refused request. */
async function snapshot(tables: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (const table of ['audit_log', ...tables]) counts[table] = await count(table)
  return counts
}

// Hostile strings: formula injection, Unicode edge cases (lone surrogates, bidi overrides, zero-width, NUL), huge.
const hostileString = fc.oneof(
  fc.constantFrom(
    "=cmd|' /C calc'!A0",
    '+SUM(1+1)*cmd|" /C calc"!A0',
    '@SUM(1)',
    '-2+3',
    '\uD800',
    'a\uDC00b',
    '\u202Eevil\u202C',
    'zero\u200Bwidth\u200D',
    'nul\u0000byte',
    '\u0000',
    "'; drop table reports; --",
    '<script>alert(1)</script>',
    '../../../../etc/passwd',
    '%00',
    '\r\n\r\n',
    // Numbers a number field must refuse or take: huge, negative, not finite, other scripts' digits.
    '99999999999999999999999',
    '1e308',
    '-1',
    'NaN',
    'Infinity',
    '0x1F',
    '1,000.5',
    '\u0663',
    '\uFF13',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.integer({ min: 10_000, max: 200_000 }).map((n) => 'x'.repeat(n)),
)
// Raw escapes that no browser sends: a lone %, invalid hex, an encoded surrogate half, bytes that are not UTF-8.
const rawValue = fc.constantFrom('%', '%ZZ', '%ED%A0%80', '%FF', '%C0%AF', '%E2%80%AE', '%00', '%2500')
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, -0, 0.1, 2 ** 31, -1, true, false, null),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), hostileString, { maxKeys: 3 }),
)

/** Sets a value at a random path of an object (or adds an extra field there). */
function mutate(value: unknown, path: number[], replacement: unknown, extraKey: string | null): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return replacement
  const entries = Object.entries(value as Record<string, unknown>)
  if (entries.length === 0) return replacement
  const [key, child] = entries[path[0]! % entries.length]!
  const copy: Record<string, unknown> = Array.isArray(value) ? ([...value] as never) : { ...value }
  if (extraKey !== null && path.length === 1) copy[extraKey] = replacement
  else copy[key] = mutate(child, path.slice(1), replacement, extraKey)
  return copy
}

const mutatedSubmission = fc
  .record({
    path: fc.array(fc.nat(40), { minLength: 1, maxLength: 4 }),
    value: hostileValue,
    extraKey: fc.option(fc.constantFrom('__proto__', 'constructor', 'extra', 'id', 'forceId', 'officerPersonId'), {
      nil: null,
    }),
  })
  .map(({ path, value, extraKey }) => mutate(validSubmission({}, NOW), path, value, extraKey))

const ok4xx = (status: number) => status >= 400 && status < 500

describe('fuzz: the JSON API', () => {
  it('POST /api/v1/reports: any body is a 201 or a 4xx with field errors, and a refusal writes nothing', async () => {
    const api = await apiClientFor(t.app, t.database.db, 'officer')
    let n = 0
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutatedSubmission, fc.jsonValue(), hostileValue), async (body) => {
        const before = await snapshot(['reports', 'incidents'])
        const response = await api.post('/api/v1/reports', body, { 'idempotency-key': `fuzz-${n++}-${Date.now()}` })
        expect(response.statusCode, response.body.slice(0, 500)).toBeLessThan(500)
        if (response.statusCode !== 201) {
          expect(ok4xx(response.statusCode)).toBe(true)
          const json = response.json() as { errors: { path: string; message: string }[] }
          expect(json.errors.length).toBeGreaterThan(0)
          expect(await snapshot(['reports', 'incidents'])).toEqual(before)
        }
      }),
      { numRuns: runs(60) },
    )
  })

  it('answers malformed JSON, wrong content types and oversized bodies with a 4xx', async () => {
    const api = await apiClientFor(t.app, t.database.db, 'officer')
    const send = (payload: string | Buffer, contentType: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        headers: { authorization: `Bearer ${api.token}`, 'content-type': contentType, 'idempotency-key': 'fuzz-raw-1' },
        payload,
      })
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        const response = await send(Buffer.from(bytes), 'application/json')
        expect(response.statusCode).toBeLessThan(500)
        expect(ok4xx(response.statusCode) || response.statusCode === 201).toBe(true)
      }),
      { numRuns: runs(30) },
    )
    expect((await send('{"incident":', 'application/json')).statusCode).toBe(400)
    expect(ok4xx((await send('a=b', 'text/plain')).statusCode)).toBe(true)
    // The body limit (1 MiB, src/app.ts) is a clear 413, before any parsing.
    const huge = await send(JSON.stringify({ justification: 'x'.repeat(1024 * 1024 + 10) }), 'application/json')
    expect(huge.statusCode).toBe(413)
  })
})

/** Every form: the POST routes of the route table without path parameters, posted by a role that may use them. */
function formRoutes(): { url: string; username: string }[] {
  const skip = new Set(['/sign-in', '/sign-out'])
  const out: { url: string; username: string }[] = []
  for (const route of t.app.routeTable) {
    if (route.method !== 'POST' || route.url.includes(':') || route.url.startsWith('/api/') || skip.has(route.url))
      continue
    const username = demoUsernames.find((u) => canAccess(principalOf(u), route.access))
    if (username) out.push({ url: route.url, username })
  }
  return out
}

/**
 * Posts a form as the signed-in user, with the session's CSRF token, without fetching the page first; `raw` is a
 * name=value pair added as it is, for encodings no browser sends.
 */
function postForm(username: string, url: string, fields: Record<string, string | string[]>, raw = '') {
  const { browser, csrf } = browsers.get(username)!
  const body = new URLSearchParams({ _csrf: csrf })
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) body.append(k, one)
  return t.app.inject({
    method: 'POST',
    url,
    headers: { cookie: browser.jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
    payload: raw ? `${body.toString()}&${raw}` : body.toString(),
  })
}

/** The names of a page's form fields, to fuzz the fields the form really has. */
function fieldNames(html: string): string[] {
  const names = new Set<string>()
  for (const match of html.matchAll(/name="([^"]+)"/g)) if (match[1] !== '_csrf') names.add(match[1]!)
  return [...names]
}

describe('fuzz: every form', () => {
  it('any values in any of its fields: never a 500, and a refused form writes nothing', async () => {
    const routes = formRoutes()
    expect(routes.length).toBeGreaterThan(10)
    const problems: string[] = []
    for (const { url, username } of routes) {
      const { browser } = browsers.get(username)!
      const pages = [url, `${url}/new`, url.replace(/\/[^/]+$/, '/new')]
      let names: string[] = []
      for (const page of pages) {
        const response = await browser.get(page)
        if (response.statusCode === 200) {
          names = fieldNames(response.body)
          break
        }
      }
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(
            fc.constantFrom(...names, 'unexpected', '__proto__'),
            fc.oneof(hostileString, fc.array(hostileString, { maxLength: 3 })),
            { maxKeys: 8 },
          ),
          fc.option(
            fc.tuple(fc.constantFrom(...names, 'unexpected'), rawValue).map(([k, v]) => `${k}=${v}`),
            { nil: '' },
          ),
          async (fields, raw) => {
            const before = await changesAudited()
            const response = await postForm(username, url, fields, raw)
            if (response.statusCode >= 500)
              problems.push(
                `${url} as ${username}: ${response.statusCode} for ${JSON.stringify(fields).slice(0, 300)} ${raw}`,
              )
            else if (response.statusCode >= 400 && response.statusCode !== 413 && (await changesAudited()) !== before)
              problems.push(`${url} as ${username}: refused with ${response.statusCode} but wrote to the audit ledger`)
          },
        ),
        { numRuns: runs(6) },
      )
    }
    expect(problems).toEqual([])
  }, 300_000)
})

describe('fuzz: every query string', () => {
  it('refuses a NUL character in an address, a query string or a form with a 400 (a 500 until found here)', async () => {
    const { browser } = browsers.get('admin')!
    const before = await changesAudited()
    for (const url of ['/people?q=%00', '/admin/users?q=a%00b'])
      expect((await browser.get(url)).statusCode, url).toBe(400)
    expect((await browsers.get('officer')!.browser.get('/reports/%00')).statusCode).toBe(400)
    const form = await postForm('admin', '/account/api-tokens', { name: 'token\u0000' })
    expect(form.statusCode).toBe(400)
    expect(form.body).toContain('Remove the unusual characters')
    expect(await changesAudited()).toBe(before)
  })

  it('every page without path parameters: hostile values in its filters never make a 500', async () => {
    const problems: string[] = []
    let pages = 0
    for (const route of t.app.routeTable) {
      if (route.method !== 'GET' || /[:*]/.test(route.url) || route.url.startsWith('/api/')) continue
      const username = demoUsernames.find((u) => canAccess(principalOf(u), route.access))
      if (!username) continue
      const { browser } = browsers.get(username)!
      const page = await browser.get(route.url)
      // The page's own filters (the names in its forms), and the names every list takes.
      const names = [...new Set([...fieldNames(page.body), 'q', 'page', 'from', 'to', 'unit', 'status'])]
      pages++
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.tuple(
              fc.constantFrom(...names),
              fc.oneof(
                hostileString.map((v) => new URLSearchParams({ v }).toString().slice(2)),
                rawValue,
              ),
            ),
            { minLength: 1, maxLength: 4 },
          ),
          async (pairs) => {
            const url = `${route.url}?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`
            const response = await browser.get(url)
            if (response.statusCode >= 500) problems.push(`${url.slice(0, 200)} as ${username}: ${response.statusCode}`)
          },
        ),
        { numRuns: runs(3) },
      )
    }
    expect(pages).toBeGreaterThan(30)
    expect(problems).toEqual([])
  }, 300_000)

  it('the JSON API list: hostile filters get a 200 or a 4xx with errors, never a 500', async () => {
    const api = await apiClientFor(t.app, t.database.db, 'supervisor')
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('status', 'from', 'to', 'cursor', 'limit', 'officer', 'unit'),
        fc.oneof(
          hostileString.map((v) => new URLSearchParams({ v }).toString().slice(2)),
          rawValue,
        ),
        async (name, value) => {
          const response = await api.get(`/api/v1/reports?${name}=${value}`)
          expect(response.statusCode, response.body.slice(0, 300)).toBeLessThan(500)
          if (response.statusCode >= 400)
            expect((response.json() as { errors: unknown[] }).errors.length).toBeGreaterThan(0)
        },
      ),
      { numRuns: runs(30) },
    )
  })
})

describe('fuzz: every page of the report form', () => {
  // Each section's page as the journey reaches it, with its real answers (test/support/report-form.ts).
  const sections: [string, Record<string, string | string[]>][] = [
    ['incident/details', answers.incidentDetails],
    ['person/details', answers.person],
    ['tactics', answers.tacticsWithCed],
    ['ced/1', answers.cedFired],
    ['reasons', answers.reasons],
    ['outcomes', answers.outcomes],
    ['about-you', answers.aboutYou],
    ['account', answers.account],
  ]

  it('hostile values in a section of a complete draft: a 303 or the page with its errors, and the draft still works', async () => {
    const { browser } = browsers.get('officer')!
    const reports = () => snapshot(['reports', 'report_versions', 'incidents'])
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...sections),
        fc.dictionary(fc.string({ maxLength: 3 }), fc.oneof(hostileString, fc.array(hostileString, { maxLength: 3 })), {
          maxKeys: 1,
        }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        fc.array(fc.oneof(hostileString, fc.array(hostileString, { minLength: 2, maxLength: 3 })), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.boolean(),
        async ([page, valid], extra, picks, values, later) => {
          const draft = await startDraft(browser)
          await fillTaserReport(browser, draft)
          // Replace some of the page's real answers (or add unexpected ones) with hostile values.
          const names = Object.keys(valid)
          const form: Record<string, string | string[]> = { ...valid, ...extra }
          picks.forEach((pick, i) => (form[names[pick % names.length]!] = values[i % values.length]!))
          if (later) form.action = 'later'
          const saved = await postForm('officer', `${draft}/${page}`, form)
          expect(saved.statusCode, saved.body.slice(0, 300)).toBeLessThan(500)
          if (saved.statusCode >= 400) {
            expect(saved.statusCode).toBe(400)
            // The page with its error summary, or the refusal of a NUL character before the page is reached.
            expect(saved.body).toMatch(/govuk-error-summary|Remove the unusual characters/)
          }
          // Whatever was kept in the draft, every page of it still opens.
          for (const url of [draft, `${draft}/${page}`, `${draft}/check`]) {
            const shown = await browser.get(url)
            expect(shown.statusCode, `${url}: ${shown.body.slice(0, 300)}`).toBeLessThan(400)
          }
          const before = { rows: await reports(), audited: await changesAudited() }
          const submitted = await postForm('officer', `${draft}/submit`, {})
          expect(submitted.statusCode, submitted.body.slice(0, 300)).toBeLessThan(500)
          if (submitted.statusCode === 303) {
            const location = String(submitted.headers.location)
            expect((await browser.get(location.replace(/\/submitted$/, ''))).statusCode).toBe(200)
          } else {
            expect(submitted.statusCode).toBe(400)
            expect(await reports()).toEqual(before.rows)
            expect(await changesAudited()).toBe(before.audited)
            await postForm('officer', `${draft}/delete`, {})
          }
        },
      ),
      { numRuns: runs(12) },
    )
  }, 300_000)
})

describe('fuzz: every importer', () => {
  const uploads = [
    { url: '/taser/training/import', username: 'taser-lead', table: 'ced_training_records' },
    { url: '/device-logs/import', username: 'taser-lead', table: 'device_events' },
    { url: '/device-logs/camera-events/import', username: 'taser-lead', table: 'camera_recordings' },
    { url: '/deployment-funnel/incident-counts', username: 'taser-lead', table: 'incident_counts' },
  ]
  const csvLine = fc.array(fc.oneof(hostileString, fc.constantFrom('', '"', '""', ',', '2025-01-01', '12', 'X2')), {
    maxLength: 12,
  })
  const fileContent = fc.oneof(
    fc.uint8Array({ maxLength: 2000 }),
    fc.array(csvLine, { maxLength: 20 }).map((rows) => rows.map((r) => r.join(',')).join('\n')),
    // Wrong encodings: Latin-1 and UTF-16 text of a plausible CSV.
    fc.constant(Buffer.from('collar,name\n1234,Zoë Brontë\n', 'latin1')),
    fc.constant(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('collar,name\n1234,Zoe\n', 'utf16le')])),
    fc.constant('\uFEFF'),
  )

  for (const upload of uploads) {
    it(`${upload.url}: malformed, wrongly encoded or random files get a 4xx or line errors and import nothing`, async () => {
      const { browser } = browsers.get(upload.username)!
      await fc.assert(
        fc.asyncProperty(fileContent, async (content) => {
          const before = await snapshot([upload.table])
          const response = await browser.upload(upload.url, { name: 'fuzz.csv', content })
          expect(response.statusCode, response.body.slice(0, 300)).toBeLessThan(500)
          if (response.statusCode >= 400) expect(await snapshot([upload.table])).toEqual(before)
          else expect(response.statusCode).toBeLessThan(400)
        }),
        { numRuns: runs(15) },
      )
    })
  }

  it('refuses a file over each upload limit with a clear error and imports nothing', async () => {
    const limits: Record<string, number> = {
      '/taser/training/import': 2 * 1024 * 1024,
      '/device-logs/import': 20 * 1024 * 1024,
      '/device-logs/camera-events/import': 20 * 1024 * 1024,
      '/deployment-funnel/incident-counts': 1024 * 1024,
    }
    for (const upload of uploads) {
      const { browser } = browsers.get(upload.username)!
      const before = await snapshot([upload.table])
      const response = await browser.upload(upload.url, {
        name: 'big.csv',
        content: new Uint8Array(limits[upload.url]! + 1),
      })
      expect(ok4xx(response.statusCode), `${upload.url}: ${response.statusCode}`).toBe(true)
      expect(response.body, upload.url).toMatch(/must be smaller than|too large|Request body is too large/i)
      expect(await snapshot([upload.table])).toEqual(before)
    }
  }, 120_000)

  it('the Home Office workbook reader: any bytes, zip or spreadsheet is read or refused as unreadable, never a crash', () => {
    const cell = fc.oneof(hostileString, fc.double(), fc.constant(null))
    const workbook = fc
      .array(fc.array(cell, { maxLength: 8 }), { maxLength: 12 })
      .map((rows) => odsWorkbook([{ name: 'Table 1', rows: [['Incidents by police force'], ...rows] as never }]))
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 500 }),
          workbook,
          fc.uint8Array().map((b) => Uint8Array.from([0x50, 0x4b, ...b])),
        ),
        (bytes) => {
          try {
            readComparatorFile(bytes)
          } catch (error) {
            if (!(error instanceof UnreadableWorkbookError)) throw error
          }
        },
      ),
      { numRuns: runs(100) },
    )
  })
})
