import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, testApp, type TestApp } from '../../../test/support/app.js'
import { sharedData } from '../../../test/support/ods-workbook.js'
import { systemClock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import { londonDate, shiftMonth } from '../../domain/calendar.js'
import { createForce, createUser } from '../admin/admin.service.js'
import { systemActor } from '../audit/ledger.js'
import { importComparatorFile } from '../comparators/comparators.service.js'

let t: TestApp
let db: Db
let forceId: string
let otherForceId: string

const lastMonth = shiftMonth(londonDate(new Date()).slice(0, 7), -1)
const period = { from: shiftMonth(lastMonth, -11), to: lastMonth }
const PASSWORD = 'a-long-enough-password'

/** Reports of a force in the default period (the last 12 complete London months), optionally within units. */
async function directCount(force: string, unitIds?: string[]) {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from reports
    where force_id = ${force}
      and to_char(occurred_at at time zone 'Europe/London', 'YYYY-MM') between ${period.from} and ${period.to}
      ${unitIds ? sql`and officer_unit_id = any(${unitIds}::uuid[])` : sql``}`.execute(db)
  return Number(rows[0]?.n)
}

/** The headline number of reports on a dashboard page. */
function headlineReports(html: string): number {
  const match = /Use-of-force reports<\/dt><dd[^>]*>([\d,]+)<\/dd>/.exec(html)
  if (!match?.[1]) throw new Error('no headline on the page')
  return Number(match[1].replace(/,/g, ''))
}

async function signedIn(username: string, password?: string) {
  const browser = new Browser(t.app)
  await browser.signIn(username, password)
  return browser
}

async function unitOf(username: string) {
  return (await db.selectFrom('users').select('unit_id').where('username', '=', username).executeTakeFirstOrThrow())
    .unit_id as string
}

beforeAll(async () => {
  t = await testApp()
  db = t.database.db
  forceId = (await db.selectFrom('forces').select('id').where('code', '=', 'demo').executeTakeFirstOrThrow()).id
  // Another force with one report (a copy of a demo report), and an analyst of its own.
  otherForceId = await createForce(db, systemClock, { code: 'other', name: 'Other Constabulary' })
  const created = await createUser({ db, clock: systemClock }, systemActor, otherForceId, {
    username: 'other-analyst',
    displayName: 'Other analyst',
    email: null,
    unitId: null,
    roles: ['analyst'],
    password: PASSWORD,
  })
  if (!created.ok) throw new Error('could not create the other force’s analyst')
  await sql`create temp table copied as select * from reports
    where force_id = ${forceId} and to_char(occurred_at at time zone 'Europe/London', 'YYYY-MM') = ${lastMonth} limit 1`.execute(
    db,
  )
  await sql`update copied set id = gen_random_uuid(), force_id = ${otherForceId}, officer_unit_id = null`.execute(db)
  await sql`insert into reports select * from copied`.execute(db)
})

afterAll(async () => {
  await t.close()
})

describe('dashboards', () => {
  it('shows the analyst the whole force, each chart beside a table of the same numbers', async () => {
    const analyst = await signedIn('analyst')
    const page = await analyst.get('/dashboards')
    expect(page.statusCode).toBe(200)
    expect(headlineReports(page.body)).toBe(await directCount(forceId))
    // The trend chart's description and the trend table carry the same monthly numbers.
    const rows = [
      ...page.body.matchAll(
        /<th scope="row" class="govuk-table__header">(\w+ \d{4})<\/th>\s*<td[^>]*>([\d,]+)<\/td>\s*<td[^>]*>([\d,]+)<\/td>\s*<td[^>]*>([\d,]+)<\/td>\s*<\/tr>/g,
      ),
    ].slice(0, 12)
    expect(rows).toHaveLength(12)
    const desc = /<desc id="chart-trend-desc">([^<]+)<\/desc>/.exec(page.body)?.[1] ?? ''
    const taser = /<desc id="chart-taser-trend-desc">([^<]+)<\/desc>/.exec(page.body)?.[1] ?? ''
    const [used, discharged] = taser.split('Taser discharged: ')
    for (const [, month, reports, usedInMonth, dischargedInMonth] of rows) {
      expect(desc).toMatch(new RegExp(`${month} ${reports?.replace(/,/g, '')}[,.]`))
      expect(used).toMatch(new RegExp(`${month} ${usedInMonth}[,.]`))
      expect(discharged).toMatch(new RegExp(`${month} ${dischargedInMonth}[,.]`))
    }
    // One line with a point per month (and one in the legend), and no inline style anywhere in the charts.
    const trend = /<svg[^>]*data-testid="chart-trend"[\s\S]*?<\/svg>/.exec(page.body)?.[0] ?? ''
    expect(trend).toContain('role="img"')
    expect(trend.match(/<polyline/g)).toHaveLength(1)
    expect(trend.match(/<circle/g)).toHaveLength(12 + 1)
    expect(page.body).not.toMatch(/<svg[^>]*style=|<(rect|text|path|line|polyline|circle)[^>]*style=/)
    for (const id of [
      'chart-ced-level',
      'chart-funnel',
      'chart-ethnicity',
      'chart-age-band',
      'chart-health',
      'chart-area',
    ])
      expect(page.body).toContain(`data-testid="${id}"`)
    expect(page.body).toContain('Assaults on officers and injuries')
  })

  it('shows a supervisor only their own team, and refuses another unit as if it did not exist', async () => {
    const supervisor = await signedIn('supervisor')
    const team = await unitOf('supervisor')
    const page = await supervisor.get('/dashboards')
    expect(page.statusCode).toBe(200)
    expect(headlineReports(page.body)).toBe(await directCount(forceId, [team]))
    expect(headlineReports(page.body)).toBeLessThan(await directCount(forceId))
    expect(page.body).not.toContain('Whole force')
    const otherTeam = (
      await db
        .selectFrom('org_units')
        .select('id')
        .where('force_id', '=', forceId)
        .where('id', '<>', team)
        .where('kind', '=', 'team')
        .executeTakeFirstOrThrow()
    ).id
    expect((await supervisor.get(`/dashboards?unit=${otherTeam}`)).statusCode).toBe(404)
    expect((await supervisor.get('/dashboards/disproportionality')).statusCode).toBe(404)
  })

  it('lets a force-wide reader narrow to a unit and everything under it', async () => {
    const analyst = await signedIn('analyst')
    const team = await unitOf('supervisor')
    const bcu = (await db.selectFrom('org_units').select('parent_id').where('id', '=', team).executeTakeFirstOrThrow())
      .parent_id as string
    const under = (await db.selectFrom('org_units').select('id').where('parent_id', '=', bcu).execute()).map(
      (u) => u.id,
    )
    const page = await analyst.get(`/dashboards?unit=${bcu}`)
    expect(headlineReports(page.body)).toBe(await directCount(forceId, [bcu, ...under]))
  })

  it('never shows one force another force’s figures or units', async () => {
    const other = await signedIn('other-analyst', PASSWORD)
    const page = await other.get('/dashboards')
    expect(page.statusCode).toBe(200)
    expect(headlineReports(page.body)).toBe(1)
    const demoUnit = await unitOf('supervisor')
    expect((await other.get(`/dashboards?unit=${demoUnit}`)).statusCode).toBe(404)
    const analyst = await signedIn('analyst')
    expect(headlineReports((await analyst.get('/dashboards')).body)).toBe(await directCount(forceId))
  })

  it('is refused to roles without the permission', async () => {
    const officer = await signedIn('officer')
    expect((await officer.get('/dashboards')).statusCode).toBe(403)
    expect((await new Browser(t.app).get('/dashboards')).statusCode).toBe(302)
  })

  it('compares the force with Bedfordshire’s population and officers, and the published years', async () => {
    const analyst = await signedIn('analyst')
    const page = await analyst.get('/dashboards')
    expect(page.body).toContain('Bedfordshire police force area')
    // The census and workforce files are in the demo snapshot when ../shared/data is present.
    if (sharedData('census2011-police-ethnicity-groups-by-force-area.csv')) {
      const reports = await directCount(forceId)
      // Bedfordshire, 2011 Census: 615,061 residents in the Home Office groups.
      const per1000 = ((reports / 615_061) * 1000).toFixed(2)
      expect(page.body).toContain(`>${per1000}<`)
    }
    const workbook = sharedData('ho-use-of-force-2018-19.ods')
    if (!workbook) return
    await importComparatorFile({ db, clock: systemClock }, systemActor, {
      fileName: 'ho-use-of-force-2018-19.ods',
      bytes: workbook,
    })
    const compared = await analyst.get('/dashboards')
    expect(compared.body).toContain('data-testid="comparator-national"')
    // England and Wales 2018/19: 427,725 reports; 56,075,912 residents in 2011: 7.63 per 1,000.
    expect(compared.body).toMatch(
      /data-testid="comparator-national"[\s\S]*?427,725 reports a year: 2018\/19\. Population: 2011 Census\. Officers: 31 March 2019\.[\s\S]*?>7\.63</,
    )
    expect(compared.body.match(/data-testid="comparator-similar"/g)).toHaveLength(4)
  })

  it('shows disproportionality against the census for the whole force', async () => {
    const analyst = await signedIn('analyst')
    const page = await analyst.get('/dashboards/disproportionality')
    expect(page.statusCode).toBe(200)
    if (!sharedData('census2011-police-ethnicity-groups-by-force-area.csv')) return
    expect(page.body).toContain('data-testid="rr-reports-white"')
    expect(page.body).toContain('Reference group')
    expect(page.body).toContain('data-testid="table-children"')
    // Asian is Asian plus Chinese in the census groups: 81,480 + 3,806 in Bedfordshire.
    expect(page.body).toMatch(/data-testid="rr-reports-asian"[\s\S]*?85,286/)
  })

  it('lets the analyst choose the area and similar forces; bad input is refused and changes nothing', async () => {
    const analyst = await signedIn('analyst')
    const settings = () =>
      db
        .selectFrom('dashboard_settings')
        .select(['comparator_area', 'similar_areas'])
        .where('force_id', '=', forceId)
        .executeTakeFirstOrThrow()
    const before = await settings()
    const refused = await analyst.post('/dashboards/settings', {
      comparatorArea: 'Bedfordshire',
      similarAreas: ['Bedfordshire', 'Kent'],
    })
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain('govuk-error-summary')
    expect(refused.body).toContain('href="#similarAreas"')
    expect(refused.body).toMatch(/value="Kent" checked/)
    const unknown = await analyst.post('/dashboards/settings', { comparatorArea: 'Atlantis' })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.body).toContain('href="#comparatorArea"')
    expect(await settings()).toEqual(before)

    const saved = await analyst.post('/dashboards/settings', {
      comparatorArea: 'Bedfordshire',
      similarAreas: ['Kent', 'Essex'],
    })
    expect(saved.statusCode).toBe(303)
    expect(await settings()).toEqual({ comparator_area: 'Bedfordshire', similar_areas: ['Kent', 'Essex'] })
    const audit = await db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'dashboard_settings.changed')
      .executeTakeFirstOrThrow()
    expect(audit.details).toMatchObject({ after: { comparatorArea: 'Bedfordshire', similarAreas: ['Kent', 'Essex'] } })
    expect((await (await signedIn('taser-lead')).get('/dashboards/settings')).statusCode).toBe(403)
    const page = await analyst.get('/dashboards')
    expect(page.body).toContain('those the force chose')
  })
})
