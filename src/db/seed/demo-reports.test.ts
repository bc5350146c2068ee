import { describe, expect, it } from 'vitest'
import { highestCedLevel, isDischarge, type CedLevel } from '../../domain/use-of-force/ced.js'
import { incidentDetails, reportBody, subjectDetails } from '../../domain/use-of-force/report.js'
import { reportRules } from '../../domain/use-of-force/rules.js'
import { demoAccounts, generateDemoForce, type DemoCedTraining } from './demo-force.js'
import {
  demoDevices,
  demoDeviceSerials,
  generateDemoReports,
  type DemoIncident,
  type DemoReport,
} from './demo-reports.js'

// Calendar helpers of the test's own, so the date checks do not trust the generator's arithmetic.
const londonFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' })
const londonDate = (iso: string): string => londonFormat.format(new Date(iso))

function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number]
  const first = new Date(Date.UTC(year, month - 1 + months, 1))
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate()
  first.setUTCDate(Math.min(day, lastDay))
  return first.toISOString().slice(0, 10)
}

const hours = (ms: number): number => ms / 3_600_000

const today = new Date('2026-03-15T12:00:00Z')
const force = generateDemoForce({ seed: 1, today })
const demo = generateDemoReports({ seed: 1, today, force })

interface Row extends DemoReport {
  incident: DemoIncident
  subject: DemoIncident['subjects'][number]
}

const rows: Row[] = demo.incidents.flatMap((incident) =>
  incident.reports.map((report) => {
    const subject = incident.subjects.find((s) => s.key === report.subjectKey)
    if (!subject) throw new Error(`Report on ${report.subjectKey}, who is not in incident ${incident.key}`)
    return { ...report, incident, subject }
  }),
)

const share = (predicate: (r: Row) => boolean): number => rows.filter(predicate).length / rows.length
const highest = (r: Row): CedLevel | null => highestCedLevel(r.body.cedUses.flatMap((u) => u.levels))
const cedRows = rows.filter((r) => r.body.tactics.some((t) => t.tactic === 'ced'))
const discharged = cedRows.filter((r) => {
  const level = highest(r)
  return level !== null && isDischarge(level)
})

const people = new Map(force.people.map((p) => [p.key, p]))
const officerKey = demoAccounts.find((a) => a.username === 'officer')?.personKey ?? ''

describe('generateDemoReports', () => {
  it('gives identical output for the same seed and day, and different output for another seed', () => {
    expect(generateDemoReports({ seed: 1, today, force })).toEqual(demo)
    expect(generateDemoReports({ today, force })).toEqual(demo)
    const other = generateDemoReports({ seed: 2, today, force })
    expect(other.incidents.map((i) => i.occurredAt)).not.toEqual(demo.incidents.map((i) => i.occurredAt))
  })

  it('makes about 3,000–3,500 reports in about 2,000–2,400 incidents, with unique keys', () => {
    expect(demo.incidents.length).toBeGreaterThanOrEqual(2000)
    expect(demo.incidents.length).toBeLessThanOrEqual(2400)
    expect(rows.length).toBeGreaterThanOrEqual(3000)
    expect(rows.length).toBeLessThanOrEqual(3500)
    expect(new Set(demo.incidents.map((i) => i.key)).size).toBe(demo.incidents.length)
    expect(demo.incidents[0]?.key).toBe('i00001')
    const subjectKeys = demo.incidents.flatMap((i) => i.subjects.map((s) => s.key))
    expect(new Set(subjectKeys).size).toBe(subjectKeys.length)
  })

  it('writes every report so that it passes the schema unchanged and every cross-field rule', () => {
    for (const r of rows) {
      const parsed = reportBody.safeParse(r.body)
      expect(parsed.success, `${r.incident.key}/${r.officerPersonKey}: ${parsed.error?.message}`).toBe(true)
      if (!parsed.success) continue
      expect(parsed.data).toEqual(r.body)
      expect(reportRules(parsed.data), `${r.incident.key}/${r.officerPersonKey}`).toEqual([])
    }
  })

  it('gives incidents and people valid details', () => {
    for (const incident of demo.incidents) {
      const { occurredAt, locationTypes, area, planned } = incident
      const parsed = incidentDetails.safeParse({ occurredAt, locationTypes, area, planned })
      expect(parsed.success, incident.key).toBe(true)
      expect(parsed.data?.occurredAt).toBe(occurredAt)
      for (const subject of incident.subjects) expect(subjectDetails.parse(subject.details)).toEqual(subject.details)
      // Every subject has at least one report, and no officer reports twice on the same person.
      for (const subject of incident.subjects) {
        const officers = incident.reports.filter((r) => r.subjectKey === subject.key).map((r) => r.officerPersonKey)
        expect(officers.length).toBeGreaterThan(0)
        expect(new Set(officers).size).toBe(officers.length)
      }
    }
  })

  it('links several officers’ reports on the same person, and sometimes two people in one incident', () => {
    const multiOfficer = demo.incidents.filter((incident) =>
      incident.subjects.some((s) => incident.reports.filter((r) => r.subjectKey === s.key).length >= 2),
    )
    expect(multiOfficer.length / demo.incidents.length).toBeGreaterThan(0.22)
    expect(multiOfficer.length / demo.incidents.length).toBeLessThan(0.4)
    const sample = multiOfficer.find((i) => i.subjects.length === 1)
    expect(new Set(sample?.reports.map((r) => r.subjectKey))).toEqual(new Set([sample?.subjects[0]?.key]))
    const twoPeople = demo.incidents.filter((i) => i.subjects.length === 2).length / demo.incidents.length
    expect(twoPeople).toBeGreaterThan(0.02)
    expect(twoPeople).toBeLessThan(0.1)
    expect(share((r) => r.incident.reports.length === 1)).toBeGreaterThan(0.35)
  })

  it('has only front-line officers report — never police staff — response officers most, areas in their BCU', () => {
    const bcuOfArea = new Map<string, string>()
    for (const r of rows) {
      const person = people.get(r.officerPersonKey)
      expect(person, r.officerPersonKey).toBeDefined()
      if (!person) continue
      expect(person.status).not.toBe('police_staff')
      expect(person.rank).not.toBeNull()
      const match = /^(bcu-\w+)-(response|neighbourhood|roads)\b/.exec(person.unitKey)
      expect(match, person.unitKey).not.toBeNull()
      const bcu = match?.[1] ?? ''
      expect(bcuOfArea.get(r.incident.area) ?? bcu, r.incident.area).toBe(bcu)
      bcuOfArea.set(r.incident.area, bcu)
    }
    expect(share((r) => people.get(r.officerPersonKey)?.unitKey.includes('-response-') === true)).toBeGreaterThan(0.6)
    expect(share((r) => people.get(r.officerPersonKey)?.status === 'regular')).toBeGreaterThan(0.7)
    expect(rows.some((r) => people.get(r.officerPersonKey)?.status === 'probationer')).toBe(true)
    expect(rows.some((r) => people.get(r.officerPersonKey)?.status === 'special_constable')).toBe(true)
  })

  it('places every incident in the 12 months up to today, and every submission after its incident', () => {
    const isoWithMs = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
    const firstDay = addMonths(londonDate(today.toISOString()), -12)
    for (const incident of demo.incidents) {
      expect(incident.occurredAt).toMatch(isoWithMs)
      expect(londonDate(incident.occurredAt) >= firstDay, incident.occurredAt).toBe(true)
      expect(Date.parse(incident.occurredAt)).toBeLessThanOrEqual(today.getTime())
      for (const report of incident.reports) {
        expect(report.submittedAt).toMatch(isoWithMs)
        expect(Date.parse(report.submittedAt)).toBeGreaterThanOrEqual(Date.parse(incident.occurredAt))
        expect(Date.parse(report.submittedAt)).toBeLessThanOrEqual(today.getTime())
      }
    }
    const times = demo.incidents.map((i) => i.occurredAt)
    expect(times).toEqual([...times].sort())
    // The whole year is covered, not a corner of it.
    expect(londonDate(times[0] ?? '') < addMonths(firstDay, 1)).toBe(true)
    expect(londonDate(times.at(-1) ?? '') > addMonths(londonDate(today.toISOString()), -1)).toBe(true)
    // Mostly within the shift or the next day; a few late.
    const delays = rows.map((r) => hours(Date.parse(r.submittedAt) - Date.parse(r.incident.occurredAt)))
    expect(delays.filter((h) => h <= 24).length / delays.length).toBeGreaterThan(0.85)
    expect(delays.some((h) => h > 48)).toBe(true)
  })

  it('follows the dates when today moves', () => {
    const later = new Date('2027-09-01T08:00:00Z')
    const moved = generateDemoReports({ seed: 1, today: later, force: generateDemoForce({ seed: 1, today: later }) })
    const firstDay = addMonths('2027-09-01', -12)
    for (const incident of moved.incidents) {
      expect(londonDate(incident.occurredAt) >= firstDay).toBe(true)
      expect(Date.parse(incident.occurredAt)).toBeLessThanOrEqual(later.getTime())
    }
  })

  it('matches the national shares of people (perceived ethnicity, gender, age) and outcomes', () => {
    expect(share((r) => r.subject.details.perceivedEthnicity === 'white')).toBeGreaterThan(0.6)
    expect(share((r) => r.subject.details.perceivedEthnicity === 'white')).toBeLessThan(0.78)
    expect(share((r) => r.subject.details.perceivedEthnicity === 'black')).toBeGreaterThan(0.1)
    expect(share((r) => r.subject.details.gender === 'male')).toBeGreaterThan(0.75)
    expect(share((r) => r.subject.details.gender === 'male')).toBeLessThan(0.9)
    expect(share((r) => r.subject.details.ageBand === 'age_18_34')).toBeGreaterThan(0.45)
    expect(share((r) => r.subject.details.ageBand === 'age_18_34')).toBeLessThan(0.62)
    expect(share((r) => r.subject.details.ageBand === 'age_11_17')).toBeGreaterThan(0.04)
    expect(share((r) => r.subject.details.ageBand === 'under_11')).toBeLessThan(0.01)
    expect(share((r) => r.subject.details.healthCondition === 'none')).toBeGreaterThan(0.72)
    expect(share((r) => r.body.outcomes.includes('arrested'))).toBeGreaterThan(0.65)
    expect(share((r) => r.body.outcomes.includes('arrested'))).toBeLessThan(0.85)
    expect(share((r) => r.body.reasons.includes('protect_self'))).toBeGreaterThan(0.6)
    expect(share((r) => r.body.impactFactors.includes('alcohol'))).toBeGreaterThan(0.28)
    expect(share((r) => r.body.impactFactors.includes('alcohol'))).toBeLessThan(0.46)
  })

  it('has handcuffing dominant and mostly compliant, tactical communication never alone, rare weapons', () => {
    const used = (tactic: string) => share((r) => r.body.tactics.some((t) => t.tactic === tactic))
    const cuffed = share((r) => r.body.tactics.some((t) => t.tactic.endsWith('handcuffing')))
    expect(cuffed).toBeGreaterThan(0.6)
    expect(used('compliant_handcuffing') / cuffed).toBeGreaterThan(0.55)
    expect(used('compliant_handcuffing') / cuffed).toBeLessThan(0.75)
    expect(used('tactical_communication')).toBeGreaterThan(0.3)
    expect(used('tactical_communication')).toBeLessThan(0.5)
    for (const rare of ['baton_used', 'irritant_spray_pava_used', 'spit_and_bite_guard', 'firearm_aimed']) {
      expect(used(rare), rare).toBeLessThan(0.03)
    }
    expect(used('firearm_fired') + used('aep_fired')).toBe(0)
  })

  it('has the force’s published Taser picture: about 209 uses, about 15 fired, discharge about 10%', () => {
    expect(cedRows.length).toBeGreaterThanOrEqual(180)
    expect(cedRows.length).toBeLessThanOrEqual(240)
    const fired = cedRows.filter((r) => highest(r) === 'fired').length
    expect(fired).toBeGreaterThanOrEqual(10)
    expect(fired).toBeLessThanOrEqual(20)
    expect(discharged.length / cedRows.length).toBeGreaterThan(0.07)
    expect(discharged.length / cedRows.length).toBeLessThan(0.14)
    const count = (level: CedLevel) => cedRows.filter((r) => highest(r) === level).length
    // Red-dot is the most common level; drive-stun and angled drive-stun are few.
    for (const level of ['drawn', 'aimed', 'arced', 'fired'] as const)
      expect(count('red_dot')).toBeGreaterThan(count(level))
    expect(count('drive_stun')).toBeGreaterThan(0)
    expect(count('angle_drive_stun')).toBeGreaterThanOrEqual(1)
    expect(count('angle_drive_stun')).toBeLessThanOrEqual(2)
  })

  it('records each Taser use in full: fired with cartridges, prolonged cycles marked extended, pooled devices', () => {
    const uses = cedRows.flatMap((r) => r.body.cedUses)
    expect(uses.length).toBe(cedRows.length)
    const serials = new Set(demoDeviceSerials)
    for (const use of uses) {
      expect(serials.has(use.deviceSerial), use.deviceSerial).toBe(true)
      expect(use.deviceModel).toBe(demoDevices.find((d) => d.serial === use.deviceSerial)?.model)
      if (use.levels.includes('fired')) expect(use.levels).toContain('drawn')
    }
    const firedUses = uses.filter((u) => u.levels.includes('fired'))
    expect(firedUses.every((u) => u.cartridges.length > 0 && u.cycles.length > 0)).toBe(true)
    expect(firedUses.filter((u) => u.levels.includes('red_dot')).length / firedUses.length).toBeGreaterThan(0.6)
    const prolonged = uses.filter((u) => u.cycles.some((c) => c.seconds > 5))
    expect(prolonged.length).toBeGreaterThanOrEqual(1)
    expect(prolonged.length).toBeLessThanOrEqual(3)
    for (const u of prolonged) for (const c of u.cycles) if (c.seconds > 5) expect(c.seconds).toBeLessThanOrEqual(8)
    expect(uses.some((u) => u.probeMiss === 'one')).toBe(true)
  })

  it('keeps a fixed pool of about 120 devices, mostly X2', () => {
    expect(demoDeviceSerials.length).toBeGreaterThanOrEqual(100)
    expect(demoDeviceSerials.length).toBeLessThanOrEqual(140)
    expect(new Set(demoDeviceSerials).size).toBe(demoDeviceSerials.length)
    for (const serial of demoDeviceSerials) expect(serial).toMatch(/^[A-Z0-9]{3}-\d{6}$/)
    expect(demoDevices.filter((d) => d.model === 'x2').length).toBeGreaterThan(demoDevices.length / 2)
    expect(demoDevices.some((d) => d.model === 'taser_7')).toBe(true)
  })

  it('lets only officers authorised for Taser on the day record being trained, carrying or using one', () => {
    const training = new Map<string, DemoCedTraining[]>()
    for (const t of force.cedTraining) training.set(t.personKey, [...(training.get(t.personKey) ?? []), t])
    const authorised = (personKey: string, day: string): boolean => {
      const passed = (training.get(personKey) ?? []).filter((t) => t.passed && t.completedOn <= day)
      return passed.some((t) => addMonths(t.completedOn, 12) > day)
    }
    for (const r of rows) {
      const { cedTrained, cedCarried } = r.body.officer
      if (cedCarried) expect(cedTrained).toBe(true)
      if (cedTrained) expect(authorised(r.officerPersonKey, londonDate(r.incident.occurredAt))).toBe(true)
    }
    expect(cedRows.every((r) => r.body.officer.cedCarried)).toBe(true)
    // Some authorised officers were not carrying on the day.
    expect(rows.some((r) => r.body.officer.cedTrained && !r.body.officer.cedCarried)).toBe(true)
  })

  it('includes the cases review and scrutiny need: discharges on children and in mental-health crisis, injuries', () => {
    const onChild = discharged.filter((r) => r.subject.details.ageBand === 'age_11_17')
    expect(onChild.length).toBeGreaterThanOrEqual(2)
    const inCrisis = discharged.filter((r) =>
      ['mental', 'physical_and_mental'].includes(r.subject.details.healthCondition),
    )
    expect(inCrisis.length).toBeGreaterThanOrEqual(3)
    expect(cedRows.some((r) => r.subject.details.ageBand === 'under_11')).toBe(false)

    const subjectsWith = (level: string) =>
      new Set(rows.filter((r) => r.body.subjectInjury.level === level).map((r) => r.subjectKey)).size
    expect(subjectsWith('minor')).toBeGreaterThan(10)
    expect(subjectsWith('severe')).toBeGreaterThanOrEqual(1)
    expect(subjectsWith('severe')).toBeLessThanOrEqual(2)
    expect(rows.some((r) => r.body.subjectInjury.level === 'death' || r.body.outcomes.includes('fatality'))).toBe(false)

    const assaultInjury = share(
      (r) => r.body.officerInjury.injured === 'yes' && r.body.officerInjury.intentionalAssault === 'yes',
    )
    expect(assaultInjury).toBeGreaterThan(0.03)
    expect(assaultInjury).toBeLessThan(0.08)
  })

  it('writes the free text from varied templates, with every placeholder filled', () => {
    const texts = rows.flatMap((r) => [r.body.justification, r.body.deEscalation])
    for (const text of texts) {
      expect(text).not.toMatch(/[{}]/)
      expect(text).toMatch(/^[A-Z].*[.]$/)
    }
    expect(new Set(rows.map((r) => r.body.justification)).size).toBeGreaterThan(rows.length / 2)
    // Officers' accounts name nobody: people are "the male", "the girl" and so on.
    const names = force.people.map((p) => p.familyName)
    const sample = rows.slice(0, 300).map((r) => r.body.justification)
    for (const name of names.slice(0, 200)) expect(sample.some((t) => t.includes(` ${name} `))).toBe(false)
  })

  describe('the demo officer', () => {
    const mine = rows.filter((r) => r.officerPersonKey === officerKey)

    it('has about 20 reports across the year, including a Taser use', () => {
      expect(mine.length).toBeGreaterThanOrEqual(15)
      expect(mine.length).toBeLessThanOrEqual(25)
      expect(mine.filter((r) => r.body.cedUses.length > 0).length).toBeGreaterThanOrEqual(1)
      const months = new Set(mine.map((r) => r.incident.occurredAt.slice(0, 7)))
      expect(months.size).toBeGreaterThanOrEqual(8)
    })

    it('has two drafts: one 30 hours old (overdue against 24 hours) and one 2 hours old', () => {
      expect(demo.drafts).toHaveLength(2)
      const ages = demo.drafts.map((d) => hours(today.getTime() - Date.parse(d.startedAt))).sort((a, b) => a - b)
      expect(ages).toEqual([2, 30])
      for (const draft of demo.drafts) {
        expect(draft.officerPersonKey).toBe(officerKey)
        const incident = incidentDetails.parse(draft.data.incident)
        expect(Date.parse(incident.occurredAt)).toBeLessThan(Date.parse(draft.startedAt))
        // A draft is unfinished: it cannot yet be submitted.
        expect(reportBody.safeParse(draft.data).success).toBe(false)
      }
    })
  })
})
