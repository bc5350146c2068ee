import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabase } from '../../../test/support/database.js'
import type { DatabaseHandle } from '../../db/database.js'
import { isDischarge, type CedLevel } from '../../domain/use-of-force/ced.js'
import { formatPercent, funnelStages, loadFunnel } from './funnel.js'

let handle: DatabaseHandle
let forceId: string
let accreditationId: string
let authoriserPersonId: string
let authoriserUserId: string
/** Demo incidents classified from the raw record (each CED use's levels), not from the column the funnel reads. */
let discharged: string[]
let usedOnly: string[]
let noCed: string[]

beforeAll(async () => {
  handle = await testDatabase()
  const db = handle.db
  forceId = (await db.selectFrom('forces').select('id').where('code', '=', 'demo').executeTakeFirstOrThrow()).id
  const authoriser = await db
    .selectFrom('users')
    .select(['id', 'person_id'])
    .where('username', '=', 'authorising-officer')
    .executeTakeFirstOrThrow()
  authoriserUserId = authoriser.id
  authoriserPersonId = authoriser.person_id ?? ''
  accreditationId = (
    await db
      .insertInto('authorising_accreditations')
      .values({ force_id: forceId, person_id: authoriserPersonId, valid_from: '2018-01-01', expires_on: '2021-12-31' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id
  const uses = await db
    .selectFrom('report_ced_uses as u')
    .innerJoin('reports as r', 'r.id', 'u.report_id')
    .select(['r.incident_id', 'u.levels'])
    .execute()
  const levelsByIncident = new Map<string, CedLevel[]>()
  for (const u of uses)
    levelsByIncident.set(u.incident_id, [...(levelsByIncident.get(u.incident_id) ?? []), ...(u.levels as CedLevel[])])
  discharged = [...levelsByIncident].filter(([, levels]) => levels.some(isDischarge)).map(([id]) => id)
  usedOnly = [...levelsByIncident].filter(([, levels]) => levels.length && !levels.some(isDischarge)).map(([id]) => id)
  noCed = (
    await db
      .selectFrom('incidents')
      .select('id')
      .where('id', 'not in', [...levelsByIncident.keys()])
      .limit(400)
      .execute()
  ).map((i) => i.id)
})

afterAll(() => handle.close())

async function authorise(
  at: string,
  incidentId: string | null,
  grade: 'immediate' | 'prompt' | 'planned' = 'immediate',
) {
  return {
    id: randomUUID(),
    force_id: forceId,
    authorised_at: at,
    authoriser_person_id: authoriserPersonId,
    recorded_by_user_id: authoriserUserId,
    accreditation_id: accreditationId,
    incident_reference: 'TEST',
    incident_id: incidentId,
    grade,
    rationale: 'Test',
  }
}

describe('percentages as the published tables print them', () => {
  it('are whole numbers, two decimal places below 1%, and absent when there is nothing to divide by', () => {
    expect(formatPercent(309, 55_154)).toBe('0.56%')
    expect(formatPercent(9, 309)).toBe('3%')
    expect(formatPercent(1, 200)).toBe('0.50%')
    expect(formatPercent(0, 10)).toBe('0%')
    expect(formatPercent(1, 2)).toBe('50%')
    expect(formatPercent(10, 10)).toBe('100%')
    expect(formatPercent(3, 0)).toBeNull()
  })
})

describe('the deployment funnel', () => {
  it('reproduces the published example: 55,154 incidents, 309 authorisations (0.56%), 55 uses, 9 discharges (3%)', async () => {
    const db = handle.db
    expect(discharged.length).toBeGreaterThanOrEqual(9)
    expect(usedOnly.length).toBeGreaterThanOrEqual(49)
    expect(noCed.length).toBeGreaterThanOrEqual(200)

    // April 2019 to March 2020: 12 months of counts adding up to 55,154.
    const months = Array.from({ length: 12 }, (_, i) =>
      i < 9 ? `2019-${String(i + 4).padStart(2, '0')}` : `2020-0${i - 8}`,
    )
    await db
      .insertInto('incident_counts')
      .values(
        months.map((month, i) => ({
          force_id: forceId,
          month: `${month}-01`,
          immediate: 1900 + i,
          prompt: i === 11 ? 55_154 - months.reduce((sum, _m, j) => sum + 1900 + j, 0) - 2500 * 11 : 2500,
          imported_at: new Date(),
        })),
      )
      .execute()

    const inPeriod = (n: number) => new Date(Date.UTC(2019, 3, 2) + n * 3_600_000 * 23).toISOString()
    const rows = [
      ...discharged.slice(0, 9).map((id, n) => authorise(inPeriod(n), id)),
      ...usedOnly.slice(0, 46).map((id, n) => authorise(inPeriod(20 + n), id, 'prompt')),
      // A second authorisation for an incident already counted: one more authorisation, not one more use.
      authorise(inPeriod(80), usedOnly[0] ?? null),
      ...noCed.slice(0, 150).map((id, n) => authorise(inPeriod(100 + n), id)),
      ...Array.from({ length: 103 }, (_, n) => authorise(inPeriod(260 + n), null, n % 2 ? 'immediate' : 'prompt')),
      // Outside the funnel: planned operations, and authorisations either side of the period (London time).
      authorise(inPeriod(5), discharged[9] ?? usedOnly[50] ?? null, 'planned'),
      authorise('2019-03-31T22:59:00Z', usedOnly[47] ?? null),
      authorise('2020-03-31T23:00:00Z', usedOnly[48] ?? null),
    ]
    await db
      .insertInto('deployment_authorisations')
      .values(await Promise.all(rows))
      .execute()

    const funnel = await loadFunnel(db, forceId, '2019-04', '2020-03')
    expect(funnel).toMatchObject({ incidents: 55_154, authorisations: 309, uses: 55, discharges: 9, planned: 1 })
    expect(funnel.monthsWithoutCounts).toEqual([])
    const stages = funnelStages(funnel)
    expect(stages.map((s) => [s.count, s.percent])).toEqual([
      [55_154, null],
      [309, '0.56%'],
      // The published table says 17%: 55 of 309 is 17.8%, which it truncated. We round, as it did for 0.56% and 3%.
      [55, '18%'],
      [9, '3%'],
    ])
    expect(Math.trunc((55 / 309) * 100)).toBe(17)

    // One month on its own, and a month with no counts imported.
    const april = await loadFunnel(db, forceId, '2019-04', '2019-04')
    expect(april.incidents).toBe(1900 + 2500)
    const withGap = await loadFunnel(db, forceId, '2019-03', '2019-04')
    expect(withGap.monthsWithoutCounts).toEqual(['2019-03'])
    expect(withGap.authorisations).toBe(april.authorisations + 1)
  })
})
