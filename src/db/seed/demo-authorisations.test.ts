import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabase } from '../../../test/support/database.js'
import { deriveAuthority } from '../../domain/taser/authority.js'
import { londonDate } from '../../domain/calendar.js'
import { loadFunnel } from '../../features/authorisations/funnel.js'
import { cedAuthorityAsAt } from '../../features/training/authority.repository.js'
import type { DatabaseHandle } from '../database.js'

let handle: DatabaseHandle
let forceId: string

beforeAll(async () => {
  handle = await testDatabase()
  forceId = (await handle.db.selectFrom('forces').select('id').where('code', '=', 'demo').executeTakeFirstOrThrow()).id
})

afterAll(() => handle.close())

describe('the demo force’s deployment authorisations', () => {
  it('make a funnel shaped like the published one over the last 12 complete months', async () => {
    const counts = await handle.db.selectFrom('incident_counts').select('month').orderBy('month').execute()
    expect(counts).toHaveLength(12)
    const from = counts[0]?.month.slice(0, 7) ?? ''
    const to = counts[11]?.month.slice(0, 7) ?? ''
    const funnel = await loadFunnel(handle.db, forceId, from, to)
    expect(funnel.monthsWithoutCounts).toEqual([])
    expect(funnel.incidents).toBeGreaterThan(35_000)
    expect(funnel.authorisations / funnel.incidents).toBeGreaterThan(0.004)
    expect(funnel.authorisations / funnel.incidents).toBeLessThan(0.007)
    expect(funnel.uses / funnel.authorisations).toBeGreaterThan(0.12)
    expect(funnel.uses / funnel.authorisations).toBeLessThan(0.24)
    expect(funnel.discharges / funnel.authorisations).toBeGreaterThan(0.01)
    expect(funnel.discharges / funnel.authorisations).toBeLessThan(0.05)
    expect(funnel.planned).toBeGreaterThan(0)
  })

  it('are made by accredited officers on days their accreditation was valid, one of them now expired', async () => {
    const db = handle.db
    const outside = await db
      .selectFrom('deployment_authorisations as d')
      .innerJoin('authorising_accreditations as a', 'a.id', 'd.accreditation_id')
      .select(['d.authorised_at', 'a.valid_from', 'a.expires_on', 'a.person_id', 'd.authoriser_person_id'])
      .execute()
    expect(outside.length).toBeGreaterThan(200)
    for (const row of outside) {
      const day = londonDate(row.authorised_at)
      expect(row.person_id).toBe(row.authoriser_person_id)
      expect(day >= row.valid_from && day <= row.expires_on).toBe(true)
    }
    const today = londonDate(new Date())
    const accreditations = await db.selectFrom('authorising_accreditations').select('expires_on').execute()
    expect(accreditations.filter((a) => a.expires_on < today)).toHaveLength(1)
    const demoAccount = await db
      .selectFrom('users as u')
      .innerJoin('deployment_authorisations as d', 'd.authoriser_person_id', 'u.person_id')
      .where('u.username', '=', 'authorising-officer')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(demoAccount.n)).toBeGreaterThan(20)
  })

  it('deploy only officers who held Taser authority on the day', async () => {
    const rows = await handle.db
      .selectFrom('deployment_authorisations as d')
      .innerJoin('deployment_authorisation_officers as o', 'o.authorisation_id', 'd.id')
      .select(['d.authorised_at', 'o.person_id'])
      .execute()
    const people = new Map(
      (await cedAuthorityAsAt(handle.db, { forceId, asAt: londonDate(new Date()) })).map((p) => [p.personId, p]),
    )
    for (const row of rows) {
      const person = people.get(row.person_id)
      expect(person, 'a deployed officer with Taser training').toBeDefined()
      if (person)
        expect(deriveAuthority(person.input, londonDate(row.authorised_at)).authorisedModels.length).toBeGreaterThan(0)
    }
  })

  it('include an approved threat and risk assessment with its evidence, and a draft after it', async () => {
    const versions = await handle.db
      .selectFrom('threat_assessments')
      .select(['version', 'status', 'evidence', 'pcc_informed_on', 'community_informed_on'])
      .where('force_id', '=', forceId)
      .orderBy('version')
      .execute()
    expect(versions.map((v) => [v.version, v.status])).toEqual([
      [1, 'approved'],
      [2, 'draft'],
    ])
    expect(versions[0]?.evidence).toMatchObject({ totals: { cedUses: expect.any(Number) } })
    expect(versions[0]?.pcc_informed_on).not.toBeNull()
    expect(versions[0]?.community_informed_on).not.toBeNull()
  })
})
