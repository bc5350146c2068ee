import { describe, expect, it } from 'vitest'
import { generateDemoForce } from './demo-force.js'
import { generateDemoReports } from './demo-reports.js'
import { planDemoTaser } from './demo-taser.js'

// The demo places the armoury's history relative to "today", so its invariants must hold whatever day the demo
// starts. This plans it (no database, so each day costs well under a second) for days that broke it or might:
// the run's own day, the night of 22–23 November 2026 (an officer on two issues at once), both clock changes, a
// leap day, and late evenings when London's date is already tomorrow.
const days = [
  new Date(),
  new Date('2026-11-22T12:00:00Z'),
  new Date('2026-11-23T00:34:00Z'),
  new Date('2026-11-24T23:30:00Z'),
  new Date('2026-10-25T00:30:00Z'),
  new Date('2027-03-28T01:30:00Z'),
  new Date('2027-07-01T23:30:00Z'),
  new Date('2028-02-29T12:00:00Z'),
]

const identity = (keys: string[]): Map<string, string> => new Map(keys.map((k) => [k, k]))
const overlap = (a: Interval, b: Interval): boolean => a.from < b.to && b.from < a.to

interface Interval {
  from: number
  to: number
}

describe('the demo armoury on any day', () => {
  it.each(days.map((d) => [d.toISOString(), d] as const))('keeps its invariants when seeded at %s', (_, now) => {
    const demo = generateDemoForce({ seed: 1, today: now })
    const reports = generateDemoReports({ seed: 1, today: now, force: demo })
    const people = identity(demo.people.map((p) => p.key))
    const plan = planDemoTaser({
      forceId: 'force',
      demo,
      reports,
      personIds: people,
      unitIds: identity(demo.units.map((u) => u.key)),
      userIds: people,
      now,
    })
    const issues = plan.issues.map((i) => ({
      ...i,
      from: i.issued_at.getTime(),
      to: i.returned_at?.getTime() ?? Infinity,
      spark: i.spark_test_at.getTime(),
    }))

    for (const column of ['device_id', 'person_id'] as const) {
      const byKey = new Map<string, typeof issues>()
      for (const i of issues) byKey.set(i[column], [...(byKey.get(i[column]) ?? []), i])
      const clashes = [...byKey.values()].flatMap((list) =>
        list.flatMap((a, n) =>
          list
            .slice(n + 1)
            .filter((b) => overlap(a, b))
            .map((b) => [a, b]),
        ),
      )
      expect(clashes, `${column} on two issues at once`).toEqual([])
    }
    for (const i of issues) {
      expect(i.spark).toBeGreaterThanOrEqual(i.from)
      expect(i.to).toBeGreaterThanOrEqual(i.spark)
    }

    // Every reported use's device was issued to the reporting officer, and spark tested, before the use.
    const deviceIdOf = new Map(plan.devices.map((d) => [d.serial, d.id]))
    const uses = reports.incidents.flatMap((incident) =>
      incident.reports.flatMap((r) =>
        r.body.cedUses.map((u) => ({
          person: r.officerPersonKey,
          device: deviceIdOf.get(u.deviceSerial),
          at: Date.parse(incident.occurredAt),
        })),
      ),
    )
    expect(uses.length).toBeGreaterThan(150)
    const uncovered = uses.filter(
      (u) =>
        !issues.some((i) => i.person_id === u.person && i.device_id === u.device && i.spark <= u.at && u.at <= i.to),
    )
    expect(uncovered).toEqual([])

    // The planted cases: devices out now, the discharge on an issue of its device, a refusal at a free device.
    expect(issues.filter((i) => i.returned_at === null).length).toBeGreaterThanOrEqual(4)
    const dischargeAt = plan.discharge.occurred_at.getTime()
    expect(
      issues.some(
        (i) =>
          i.person_id === plan.discharge.person_id &&
          i.device_id === plan.discharge.device_id &&
          i.from <= dischargeAt &&
          dischargeAt <= i.to,
      ),
    ).toBe(true)
    expect(plan.refusal.reasons.join(' ')).toMatch(/authority lapsed on/)
    const attempt = { from: plan.refusal.attempted_at.getTime(), to: plan.refusal.attempted_at.getTime() + 1 }
    expect(issues.filter((i) => i.device_id === plan.refusal.device_id && overlap(i, attempt))).toEqual([])
  })
})
