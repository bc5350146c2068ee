import { describe, expect, it } from 'vitest'
import { highestCedLevel, isDischarge } from '../../domain/use-of-force/ced.js'
import { demoAccounts, generateDemoForce } from './demo-force.js'
import { generateDemoReports } from './demo-reports.js'

// The review seed refers the newest CED discharge waiting in the demo supervisor's team to Professional Standards
// (demo-reviews.ts); with none, the demo has no referral and the access matrix no record for /referrals/:id. The
// reports are placed relative to "today", so this plans them (no database) for the run's own day, the two days that
// had no referral, both clock changes and a leap day.
const days = [
  new Date(),
  new Date('2026-11-22T12:00:00Z'),
  new Date('2026-11-23T00:34:00Z'),
  new Date('2026-10-25T00:30:00Z'),
  new Date('2027-03-28T01:30:00Z'),
  new Date('2028-02-29T12:00:00Z'),
]

const BACKLOG_MS = 14 * 86_400_000
const accountKey = (username: string): string => demoAccounts.find((a) => a.username === username)?.personKey ?? ''

describe("the demo supervisor's referral on any day", () => {
  it.each(days.map((d) => [d.toISOString(), d] as const))(
    'has a recent discharge by the team, and the same Taser picture, when seeded at %s',
    (_, today) => {
      const force = generateDemoForce({ seed: 1, today })
      const demo = generateDemoReports({ seed: 1, today, force })
      const unitOf = new Map(force.people.map((p) => [p.key, p.unitKey]))
      const team = unitOf.get(accountKey('supervisor'))
      const reports = demo.incidents.flatMap((i) => i.reports)
      const highest = reports.map((r) => highestCedLevel(r.body.cedUses.flatMap((u) => u.levels)))

      const teamDischarges = reports.filter((r, i) => {
        const level = highest[i]
        const submitted = Date.parse(r.submittedAt)
        return (
          level != null &&
          isDischarge(level) &&
          unitOf.get(r.officerPersonKey) === team &&
          ![accountKey('supervisor'), accountKey('officer')].includes(r.officerPersonKey) &&
          submitted > today.getTime() - BACKLOG_MS &&
          submitted <= today.getTime()
        )
      })
      expect(team).toBeDefined()
      expect(teamDischarges.length).toBeGreaterThanOrEqual(1)

      // Planted within the quotas: about 209 uses, about 15 fired, whatever the day.
      expect(highest.filter((l) => l !== null).length).toBeGreaterThanOrEqual(202)
      expect(highest.filter((l) => l !== null).length).toBeLessThanOrEqual(216)
      expect(highest.filter((l) => l === 'fired').length).toBeGreaterThanOrEqual(14)
      expect(highest.filter((l) => l === 'fired').length).toBeLessThanOrEqual(16)
    },
  )
})
