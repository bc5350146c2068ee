import { describe, expect, it } from 'vitest'
import { cedSubmission } from '../../../test/support/report-fixtures.js'
import { incidentDetails, reportSubmission, subjectDetails } from '../use-of-force/report.js'
import { buildCasePack, coarseLocation, coarseMonth, partOfDay } from './case-pack.js'

function source() {
  const submission = reportSubmission.parse(
    cedSubmission({
      level: 'fired',
      incident: {
        occurredAt: '2025-06-14T21:05:00+01:00',
        locationTypes: ['dwelling', 'street_highway'],
        area: '14 Acacia Avenue, Northfield',
        planned: false,
      },
      bodyWornVideo: { activated: true, reference: 'BWV-777-ALPHA' },
      subjectInjury: {
        injured: 'yes',
        level: 'minor',
        nature: 'Probe wound to the back of John Smith',
        medicalOffered: true,
        medicalProvided: true,
      },
      use: {
        deviceSerial: 'X29-SERIAL-9',
        cartridges: [{ serial: 'CART-123456', bay: 1 }],
        footageReference: 'FOOT-42',
      },
    }),
  )
  const { incident, subject, ...body } = submission
  return { incident: incidentDetails.parse(incident), subject: subjectDetails.parse(subject), body }
}

describe('anonymised case packs', () => {
  it('leaves out serial numbers, footage references, the area and the exact time, and withholds free text', () => {
    const s = source()
    const text = JSON.stringify(buildCasePack(3, s, []))
    for (const secret of [
      'X29-SERIAL-9',
      'CART-123456',
      'FOOT-42',
      'BWV-777-ALPHA',
      'Acacia',
      'Northfield',
      '21:05',
      '14 June',
      '2025-06-14',
      'kitchen knife',
      'John Smith',
      'drop the knife',
    ])
      expect(text).not.toContain(secret)
    const pack = buildCasePack(3, s, [])
    expect(pack.month).toBe('June 2025')
    expect(pack.partOfDay).toBe('Evening (6pm to midnight)')
    expect(pack.footageHeld).toBe(true)
    expect(pack.cedUses[0]?.cartridgesUsed).toBe(1)
    expect(pack.freeText.map((f) => [f.field, f.text])).toEqual([
      ['justification', null],
      ['de_escalation', null],
      ['injury_nature', null],
    ])
  })

  it('shows free text only as released: as written, or the redacted version', () => {
    const pack = buildCasePack(1, source(), [
      { field: 'justification', redactedText: null },
      { field: 'injury_nature', redactedText: 'Probe wound to the back of [the person]' },
    ])
    expect(pack.freeText.find((f) => f.field === 'justification')?.text).toContain('kitchen knife')
    expect(pack.freeText.find((f) => f.field === 'de_escalation')?.text).toBeNull()
    const nature = pack.freeText.find((f) => f.field === 'injury_nature')
    expect(nature).toMatchObject({ text: 'Probe wound to the back of [the person]', redacted: true })
    expect(JSON.stringify(pack)).not.toContain('John Smith')
  })

  it('coarsens times to the month and a part of the day in London, and places to their Home Office groups', () => {
    expect(coarseMonth(new Date('2026-03-31T23:30:00Z'))).toBe('April 2026')
    expect(partOfDay(new Date('2026-01-10T05:59:00Z'))).toBe('Night (midnight to 6am)')
    expect(partOfDay(new Date('2026-07-10T05:30:00Z'))).toBe('Morning (6am to noon)')
    expect(partOfDay(new Date('2026-07-10T12:00:00Z'))).toBe('Afternoon (noon to 6pm)')
    expect(coarseLocation(['street_highway', 'dwelling', 'street_highway'])).toEqual(['Public', 'Dwelling'])
  })
})
