import { describe, it, expect } from 'vitest'
import { roles } from '../../domain/roles.js'
import { rankOrder } from '../../domain/workforce.js'
import { demoAccounts, generateDemoForce, type DemoCedTraining, type DemoForce, type DemoPerson } from './demo-force.js'

// Calendar helpers of the test's own, so the lapse checks do not trust the generator's date arithmetic.
const isoOf = (date: Date): string => date.toISOString().slice(0, 10)

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return isoOf(d)
}

/** Calendar months, clamped to the end of a shorter month. */
function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number]
  const first = new Date(Date.UTC(year, month - 1 + months, 1))
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate()
  first.setUTCDate(Math.min(day, lastDay))
  return isoOf(first)
}

function personMap(demo: DemoForce): Map<string, DemoPerson> {
  return new Map(demo.people.map((p) => [p.key, p]))
}

function trainingByPerson(demo: DemoForce): Map<string, DemoCedTraining[]> {
  const byPerson = new Map<string, DemoCedTraining[]>()
  for (const record of demo.cedTraining)
    byPerson.set(record.personKey, [...(byPerson.get(record.personKey) ?? []), record])
  for (const records of byPerson.values()) records.sort((a, b) => a.completedOn.localeCompare(b.completedOn))
  return byPerson
}

/** Authority rests on the last passed course and lapses 12 months after it. */
function lastPassed(records: readonly DemoCedTraining[]): string {
  const passed = records.filter((r) => r.passed).map((r) => r.completedOn)
  return passed.sort().at(-1) ?? ''
}

const today = new Date('2026-03-15T12:00:00Z')
const demo = generateDemoForce({ seed: 1, today })
const people = personMap(demo)
const units = new Map(demo.units.map((u) => [u.key, u]))
const unitOf = (p: DemoPerson) => units.get(p.unitKey)
const training = trainingByPerson(demo)

const share = (predicate: (p: DemoPerson) => boolean): number =>
  demo.people.filter(predicate).length / demo.people.length

describe('generateDemoForce', () => {
  it('gives identical output for the same seed and day, and different output for another seed', () => {
    expect(generateDemoForce({ seed: 1, today })).toEqual(demo)
    expect(generateDemoForce({ today })).toEqual(demo)
    const other = generateDemoForce({ seed: 2, today })
    expect(other.people.map((p) => `${p.givenName} ${p.familyName}`)).not.toEqual(
      demo.people.map((p) => `${p.givenName} ${p.familyName}`),
    )
    expect(other.cedTraining).not.toEqual(demo.cedTraining)
  })

  it('keeps the same people on any day, with only the dates moving', () => {
    const later = generateDemoForce({ seed: 1, today: new Date('2027-09-01T12:00:00Z') })
    const identity = (d: DemoForce) =>
      d.people.map((p) => [p.key, p.unitKey, p.givenName, p.familyName, p.collarNumber])
    expect(identity(later)).toEqual(identity(demo))
  })

  it('rejects a bad seed or date', () => {
    expect(() => generateDemoForce({ seed: 1.5, today })).toThrow(RangeError)
    expect(() => generateDemoForce({ today: new Date('not a date') })).toThrow(RangeError)
  })

  describe('organisation', () => {
    it('is one force with three BCUs of five or six teams each, and force-level departments', () => {
      const roots = demo.units.filter((u) => u.parentKey === null)
      expect(roots).toEqual([expect.objectContaining({ kind: 'force', name: 'Demo Constabulary' })])
      const bcus = demo.units.filter((u) => u.kind === 'bcu')
      expect(bcus).toHaveLength(3)
      for (const bcu of bcus) {
        expect(bcu.parentKey).toBe(roots[0]?.key)
        const teams = demo.units.filter((u) => u.parentKey === bcu.key)
        expect(teams.length).toBeGreaterThanOrEqual(5)
        expect(teams.length).toBeLessThanOrEqual(6)
        expect(teams.every((t) => t.kind === 'team')).toBe(true)
      }
      const departments = demo.units.filter((u) => u.kind === 'department').map((u) => u.name)
      for (const name of [/professional standards/i, /training/i, /control room/i, /analysis/i]) {
        expect(departments.some((d) => name.test(d))).toBe(true)
      }
    })

    it('has unique keys and codes, and lists every parent before its children', () => {
      expect(new Set(demo.units.map((u) => u.key)).size).toBe(demo.units.length)
      expect(new Set(demo.units.map((u) => u.code)).size).toBe(demo.units.length)
      const seen = new Set<string>()
      for (const unit of demo.units) {
        if (unit.parentKey !== null) expect(seen.has(unit.parentKey)).toBe(true)
        seen.add(unit.key)
      }
    })
  })

  describe('workforce', () => {
    it('has about 1,500 people with realistic shares of students, specials and staff', () => {
      expect(demo.people.length).toBeGreaterThanOrEqual(1400)
      expect(demo.people.length).toBeLessThanOrEqual(1600)
      const within = (value: number, min: number, max: number) => value >= min && value <= max
      expect(
        within(
          share((p) => p.status === 'probationer'),
          0.08,
          0.12,
        ),
      ).toBe(true)
      expect(
        within(
          share((p) => p.status === 'special_constable'),
          0.04,
          0.06,
        ),
      ).toBe(true)
      expect(
        within(
          share((p) => p.status === 'police_staff'),
          0.22,
          0.28,
        ),
      ).toBe(true)
    })

    it('puts everyone in a unit that exists, most of them in BCU teams', () => {
      for (const p of demo.people) expect(units.has(p.unitKey), p.key).toBe(true)
      expect(share((p) => unitOf(p)?.kind === 'team')).toBeGreaterThan(0.6)
    })

    it('has unique person keys and full names', () => {
      expect(new Set(demo.people.map((p) => p.key)).size).toBe(demo.people.length)
      expect(new Set(demo.people.map((p) => `${p.givenName} ${p.familyName}`)).size).toBe(demo.people.length)
    })

    it('gives officers unique collar numbers and police staff neither rank nor collar number', () => {
      const collars = demo.people.flatMap((p) => (p.collarNumber === null ? [] : [p.collarNumber]))
      expect(new Set(collars).size).toBe(collars.length)
      for (const p of demo.people) {
        if (p.status === 'police_staff') {
          expect(p.rank, p.key).toBeNull()
          expect(p.collarNumber, p.key).toBeNull()
        } else if (p.status === 'special_constable') {
          expect(p.collarNumber, p.key).toMatch(/^SC\d+$/)
        } else {
          expect(p.rank, p.key).not.toBeNull()
          expect(p.collarNumber, p.key).toMatch(/^\d{4}$/)
        }
      }
    })

    it('has realistic ranks: mostly constables, 6–8 constables per sergeant, a command team per BCU', () => {
      const officers = demo.people.filter((p) => p.status === 'regular' || p.status === 'probationer')
      expect(officers.filter((p) => p.rank === 'constable').length / officers.length).toBeGreaterThan(0.7)

      const inTeams = officers.filter((p) => unitOf(p)?.kind === 'team')
      const ratio =
        inTeams.filter((p) => p.rank === 'constable').length / inTeams.filter((p) => p.rank === 'sergeant').length
      expect(ratio).toBeGreaterThanOrEqual(6)
      expect(ratio).toBeLessThanOrEqual(8)

      for (const bcu of demo.units.filter((u) => u.kind === 'bcu')) {
        const ranksHere = demo.people.filter((p) => p.unitKey === bcu.key).map((p) => p.rank)
        expect(ranksHere).toContain('superintendent')
        expect(ranksHere).toContain('chief_inspector')
      }
      for (const team of demo.units.filter((u) => u.kind === 'team')) {
        expect(
          demo.people.some((p) => p.unitKey === team.key && p.rank === 'inspector'),
          team.key,
        ).toBe(true)
      }
      const chiefOfficers = demo.people.filter((p) => unitOf(p)?.kind === 'force').map((p) => p.rank)
      expect(chiefOfficers).toEqual(expect.arrayContaining(['chief_constable', 'deputy_chief_constable']))
      expect(demo.people.filter((p) => p.rank === 'chief_constable')).toHaveLength(1)
      expect(demo.people.every((p) => p.status !== 'probationer' || p.rank === 'constable')).toBe(true)
    })

    it('has joining dates in the past, students within the last three years', () => {
      for (const p of demo.people) {
        expect(p.joinedOn, p.key).toMatch(/^\d{4}-\d{2}-\d{2}$/)
        expect(p.joinedOn <= '2026-03-15', p.key).toBe(true)
        if (p.status === 'probationer') expect(p.joinedOn >= '2023-03-15', p.key).toBe(true)
      }
    })
  })

  describe('Taser training', () => {
    const trained = [...training.keys()].map((key) => people.get(key))

    it('trains about 350 officers, mostly regular constables and sergeants in response and roads teams', () => {
      expect(trained.length).toBeGreaterThanOrEqual(330)
      expect(trained.length).toBeLessThanOrEqual(370)
      expect(trained.every((p) => p !== undefined && p.status !== 'police_staff')).toBe(true)
      const frontLine = trained.filter(
        (p) =>
          p?.status === 'regular' &&
          (p.rank === 'constable' || p.rank === 'sergeant') &&
          /-(response-[a-z]|roads)$/.test(p.unitKey),
      )
      expect(frontLine.length / trained.length).toBeGreaterThan(0.85)
      expect(trained.filter((p) => p?.status !== 'regular').length).toBeLessThanOrEqual(5)
    })

    it('starts every history with one initial course of 18+ hours, then refreshers of 6+ hours', () => {
      for (const [key, records] of training) {
        const joinedOn = people.get(key)?.joinedOn ?? ''
        expect(records[0]?.course, key).toBe('initial')
        expect(
          records.filter((r) => r.course === 'initial'),
          key,
        ).toHaveLength(1)
        for (const r of records) {
          expect(r.completedOn > joinedOn, key).toBe(true)
          expect(r.completedOn <= '2026-03-15', key).toBe(true)
          expect(r.hours, key).toBeGreaterThanOrEqual(r.course === 'initial' ? 18 : 6)
        }
        // A change of device model only ever happens on a conversion course.
        records.slice(1).forEach((r, i) => {
          if (r.deviceModel !== records[i]?.deviceModel) expect(r.course, key).toBe('conversion')
        })
      }
    })

    it('books refreshers so that an officer who keeps training never lapses in between', () => {
      for (const [key, records] of training) {
        const passed = records.filter((r) => r.passed).map((r) => r.completedOn)
        passed.slice(1).forEach((day, i) => expect(day <= addMonths(passed[i] ?? '', 12), key).toBe(true))
      }
    })

    it('trains mostly on X2, some on TASER 7, with a few TASER 10 conversions', () => {
      const initials = demo.cedTraining.filter((r) => r.course === 'initial')
      expect(initials.filter((r) => r.deviceModel === 'X2').length / initials.length).toBeGreaterThan(0.75)
      expect(initials.some((r) => r.deviceModel === 'TASER 7')).toBe(true)
      const taser10 = demo.cedTraining.filter((r) => r.deviceModel === 'TASER 10')
      expect(taser10.length).toBeGreaterThan(0)
      expect(taser10.length).toBeLessThanOrEqual(20)
      expect(taser10.every((r) => r.course === 'conversion')).toBe(true)
    })
  })

  // The London date of each instant is worked out by hand: 23:30 UTC on 30 June is already 1 July in BST.
  describe.each([
    ['2026-03-15', new Date('2026-03-15T12:00:00Z')],
    ['2026-07-01', new Date('2026-06-30T23:30:00Z')],
    ['2025-03-01', new Date('2025-03-01T09:00:00Z')],
    ['2028-01-05', new Date('2028-01-05T08:00:00Z')],
  ])('authority lapses relative to today (%s)', (day, instant) => {
    const onDay = generateDemoForce({ seed: 7, today: instant })
    const histories = [...trainingByPerson(onDay)]
    const lapseOf = (records: readonly DemoCedTraining[]) => addMonths(lastPassed(records), 12)
    const inThirtyDays = addDays(day, 30)

    it('has six officers whose authority lapses within the next 30 days', () => {
      const soon = histories.filter(([, records]) => lapseOf(records) > day && lapseOf(records) <= inThirtyDays)
      expect(soon).toHaveLength(6)
      for (const [key, records] of soon) {
        expect(lastPassed(records) > addMonths(day, -12), key).toBe(true)
        expect(lastPassed(records) <= addMonths(day, -11), key).toBe(true)
      }
    })

    it('has four officers last trained 12–13 months ago, one of whom lapsed exactly a week ago', () => {
      const lapsed = histories.filter(
        ([, records]) => lastPassed(records) >= addMonths(day, -13) && lastPassed(records) < addMonths(day, -12),
      )
      expect(lapsed).toHaveLength(4)
      const lastWeek = lapsed.filter(([, records]) => lastPassed(records) === addMonths(addDays(day, -7), -12))
      expect(lastWeek).toHaveLength(1)
      expect(lapseOf(lastWeek[0]?.[1] ?? [])).toBe(addDays(day, -7))
      // The demo supervisor sees it in their own team.
      const supervisor = demoAccounts.find((a) => a.role === 'supervisor')
      const team = onDay.people.find((p) => p.key === supervisor?.personKey)?.unitKey
      expect(onDay.people.find((p) => p.key === lastWeek[0]?.[0])?.unitKey).toBe(team)
    })

    it('keeps everyone else current for more than 30 days', () => {
      const others = histories.filter(([, records]) => lapseOf(records) > inThirtyDays)
      expect(others).toHaveLength(histories.length - 10)
    })

    it('has one failed refresher, the last course of that officer, within the past month', () => {
      const failed = onDay.cedTraining.filter((r) => !r.passed)
      expect(failed).toHaveLength(1)
      const [record] = failed
      expect(record?.course).toBe('refresher')
      expect((record?.completedOn ?? '') >= addDays(day, -30)).toBe(true)
      expect((record?.completedOn ?? '') <= day).toBe(true)
      const history = trainingByPerson(onDay).get(record?.personKey ?? '') ?? []
      expect(history.at(-1)).toBe(record)
    })
  })
})

describe('demoAccounts', () => {
  const byRole = (role: string) => {
    const found = demoAccounts.find((a) => a.role === role)
    if (!found) throw new Error(`No demo account for ${role}`)
    return found
  }
  const holder = (role: string): DemoPerson => {
    const person = people.get(byRole(role).personKey ?? '')
    if (!person) throw new Error(`The ${role} account's person is not in the demo force`)
    return person
  }

  it('has exactly one account per role, with the expected usernames', () => {
    expect(demoAccounts.map((a) => a.role).sort()).toEqual(roles.map((r) => r.value).sort())
    expect(demoAccounts.map((a) => a.username).sort()).toEqual(
      ['admin', 'analyst', 'authorising-officer', 'officer', 'psd', 'scrutiny', 'supervisor', 'taser-lead'].sort(),
    )
  })

  it.each([1, 2, 99])('links to people who exist for seed %i', (seed) => {
    const keys = new Set(generateDemoForce({ seed, today }).people.map((p) => p.key))
    for (const a of demoAccounts) if (a.personKey !== null) expect(keys.has(a.personKey), a.username).toBe(true)
  })

  it('names each holder as the person record does', () => {
    for (const a of demoAccounts) {
      const person = people.get(a.personKey ?? '')
      if (person) expect(a.displayName).toContain(`${person.givenName} ${person.familyName}`)
    }
  })

  it('makes the officer a Taser-trained, currently authorised constable in a response team', () => {
    const officer = holder('officer')
    expect(officer).toMatchObject({ rank: 'constable', status: 'regular' })
    expect(unitOf(officer)?.name).toMatch(/^Response team/)
    const records = training.get(officer.key) ?? []
    expect(records.every((r) => r.passed)).toBe(true)
    expect(addMonths(lastPassed(records), 12) > addDays('2026-03-15', 30)).toBe(true)
  })

  it('makes the supervisor the sergeant of that same team', () => {
    expect(holder('supervisor')).toMatchObject({ rank: 'sergeant', unitKey: holder('officer').unitKey })
  })

  it('places the other roles where they belong', () => {
    expect(unitOf(holder('taser_lead'))?.name).toMatch(/operational training/i)
    expect(holder('taser_lead').status).toBe('regular')
    expect(rankOrder(holder('authorising_officer').rank ?? 'constable')).toBeGreaterThanOrEqual(rankOrder('inspector'))
    expect(unitOf(holder('psd'))?.name).toMatch(/professional standards/i)
    expect(holder('analyst').status).toBe('police_staff')
    expect(unitOf(holder('analyst'))?.name).toMatch(/analysis/i)
    expect(byRole('scrutiny_panel').personKey).toBeNull()
    expect(unitOf(holder('admin'))?.kind).toBe('department')
  })
})
