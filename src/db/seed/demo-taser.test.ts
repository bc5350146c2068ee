import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabase } from '../../../test/support/database.js'
import { addDays, londonDate } from '../../domain/calendar.js'
import { cedAuthorityAsAt } from '../../features/training/authority.repository.js'
import type { DatabaseHandle } from '../database.js'

let handle: DatabaseHandle
let forceId: string
beforeAll(async () => {
  handle = await testDatabase()
  forceId = (await handle.db.selectFrom('forces').select('id').executeTakeFirstOrThrow()).id
})
afterAll(() => handle.close())

describe('the demo force’s Taser governance', () => {
  it('derives the intended authority cases: lapsing within 30 days, lapsed, suspended, barred by policy', async () => {
    // The snapshot was seeded when the run started; that day is the demo's "today".
    const seededAt = await handle.db
      .selectFrom('audit_log')
      .select('occurred_at')
      .where('action', '=', 'force.taser_seeded')
      .executeTakeFirstOrThrow()
    const today = londonDate(new Date(seededAt.occurred_at))
    const people = await cedAuthorityAsAt(handle.db, { forceId, asAt: today })
    const authorised = people.filter((p) => p.authority.authorisedModels.length > 0)
    expect(authorised.length).toBeGreaterThan(300)

    const lapsingSoon = authorised.filter((p) =>
      p.authority.models.some((m) => m.authorised && m.lapsesOn !== null && m.lapsesOn <= addDays(today, 30)),
    )
    // Six by training (demo-force.ts) and one by a fitness test about to expire.
    expect(lapsingSoon.length).toBe(7)

    const reasons = (p: (typeof people)[number]) => p.authority.models.flatMap((m) => m.reasons.map((r) => r.code))
    const notAuthorised = people.filter((p) => p.authority.authorisedModels.length === 0)
    expect(notAuthorised.filter((p) => reasons(p).includes('training_lapsed')).length).toBeGreaterThanOrEqual(4)
    expect(notAuthorised.filter((p) => reasons(p).includes('prerequisite_expired'))).toHaveLength(1)
    expect(notAuthorised.filter((p) => reasons(p).includes('suspended'))).toHaveLength(1)
    expect(notAuthorised.filter((p) => reasons(p).includes('failed_course'))).toHaveLength(1)
    const probationers = people.filter((p) => p.status === 'probationer')
    expect(probationers.length).toBeGreaterThan(0)
    for (const p of probationers) expect(reasons(p)).toContain('status_not_allowed')
    // Specials are allowed in the demo force.
    expect(people.some((p) => p.status === 'special_constable' && p.authority.authorisedModels.length > 0)).toBe(true)
  })

  it('issued every reported CED use’s device to the reporting officer over a shift covering the use', async () => {
    const { rows } = await sql<{ uses: number; uncovered: number }>`
      select count(*)::int as uses,
        count(*) filter (where not exists (
          select 1 from ced_device_issues i join ced_devices d on d.id = i.device_id
          where d.serial = u.device_serial and i.person_id = r.officer_person_id
            and i.issued_at <= r.occurred_at and i.returned_at >= r.occurred_at
            and i.spark_test_at >= i.issued_at and i.spark_test_at <= r.occurred_at))::int as uncovered
      from report_ced_uses u join reports r on r.id = u.report_id`.execute(handle.db)
    expect(rows[0]?.uses).toBeGreaterThan(150)
    expect(rows[0]?.uncovered).toBe(0)
  })

  it('never had a device, or an officer, on two issues at once', async () => {
    for (const column of ['device_id', 'person_id']) {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from ced_device_issues a join ced_device_issues b
          on a.${sql.ref(column)} = b.${sql.ref(column)} and a.id < b.id
         and a.issued_at < coalesce(b.returned_at, 'infinity') and b.issued_at < coalesce(a.returned_at, 'infinity')`.execute(
        handle.db,
      )
      expect(rows[0]?.n, column).toBe(0)
    }
  })

  it('has a defective device, expired cartridges in stock, devices out now, a refusal and an unintentional discharge', async () => {
    const counts = await sql<Record<string, number>>`
      select (select count(*)::int from ced_devices where status = 'defective') as defective,
        (select count(*)::int from ced_devices) as devices,
        (select count(*)::int from ced_cartridges where status = 'in_stock' and expires_on < current_date) as expired,
        (select count(*)::int from ced_device_issues where returned_at is null) as out_now,
        (select count(*)::int from ced_issue_refusals) as refusals,
        (select count(*)::int from ced_unintentional_discharges) as discharges,
        (select count(*)::int from ced_training_assessments) as assessments`.execute(handle.db)
    expect(counts.rows[0]).toMatchObject({ defective: 1, devices: 124, expired: 12, refusals: 1, discharges: 1 })
    expect(counts.rows[0]?.out_now).toBeGreaterThanOrEqual(4)
    expect(counts.rows[0]?.assessments).toBeGreaterThan(1000)
    const refusal = await handle.db.selectFrom('ced_issue_refusals').select('reasons').executeTakeFirstOrThrow()
    expect(refusal.reasons.join(' ')).toMatch(/authority lapsed on/)
  })
})
