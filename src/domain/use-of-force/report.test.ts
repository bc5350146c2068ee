import { describe, expect, it } from 'vitest'
import {
  FIXTURE_NOW,
  cedSubmission,
  submissionIssues,
  uninjuredSubject,
  validBodyWornVideo,
  validIncident,
  validSubject,
  validSubmission,
  type CedUseInput,
  type SubmissionInput,
} from '../../../test/support/report-fixtures.js'
import { cedCycle, reportSubmission } from './report.js'

const now = FIXTURE_NOW
const fired = (use: Partial<CedUseInput>) => cedSubmission({ level: 'fired', use })
const firstCartridge = (cartridge: Record<string, unknown>) =>
  fired({ cartridges: [{ serial: 'AFID-1', bay: 1, ...cartridge } as CedUseInput['cartridges'][number]] })

describe('the report schema', () => {
  it.each<[string, SubmissionInput, (string | number)[], string]>([
    [
      'area too long',
      validSubmission({ incident: { ...validIncident(), area: 'a'.repeat(101) } }),
      ['incident', 'area'],
      'The area must be 100 characters or fewer',
    ],
    [
      'blank justification',
      validSubmission({ justification: ' \n\t' }),
      ['justification'],
      'Explain why the force you used was necessary and proportionate',
    ],
    [
      'a reason twice',
      validSubmission({ reasons: ['protect_self', 'protect_self'] }),
      ['reasons'],
      'Select each answer only once',
    ],
    [
      'device serial too long',
      fired({ deviceSerial: 'X'.repeat(41) }),
      ['cedUses', 0, 'deviceSerial'],
      'The device serial number must be 40 characters or fewer',
    ],
    [
      'cartridge serial too long',
      firstCartridge({ serial: 'C'.repeat(41) }),
      ['cedUses', 0, 'cartridges', 0, 'serial'],
      'The cartridge serial number must be 40 characters or fewer',
    ],
    ['bay 0', firstCartridge({ bay: 0 }), ['cedUses', 0, 'cartridges', 0, 'bay'], 'The bay must be from 1 to 10'],
    ['bay 11', firstCartridge({ bay: 11 }), ['cedUses', 0, 'cartridges', 0, 'bay'], 'The bay must be from 1 to 10'],
    [
      'bay 1.5',
      firstCartridge({ bay: 1.5 }),
      ['cedUses', 0, 'cartridges', 0, 'bay'],
      'Enter the bay as a whole number, like 1 or 2',
    ],
    ['bay as text', firstCartridge({ bay: '1' }), ['cedUses', 0, 'cartridges', 0, 'bay'], 'Enter the bay as a number'],
    [
      'a 0-second cycle',
      fired({ cycles: [{ seconds: 0, extended: false, interrupted: false }] }),
      ['cedUses', 0, 'cycles', 0, 'seconds'],
      'A cycle must be at least 0.1 seconds',
    ],
    [
      'a 60.1-second cycle',
      fired({ cycles: [{ seconds: 60.1, extended: true, interrupted: false }] }),
      ['cedUses', 0, 'cycles', 0, 'seconds'],
      'A cycle must be 60 seconds or less',
    ],
    [
      'a 2.55-second cycle',
      fired({ cycles: [{ seconds: 2.55, extended: false, interrupted: false }] }),
      ['cedUses', 0, 'cycles', 0, 'seconds'],
      'Give the cycle length to one decimal place at most',
    ],
  ])('refuses %s with a message for people', (_, payload, path, message) => {
    expect(submissionIssues(payload, now)).toEqual([{ path, message }])
  })

  it('accepts every cycle length from 0.1 to 60 seconds in tenths', () => {
    const refused = Array.from({ length: 600 }, (_, i) => (i + 1) / 10).filter(
      (seconds) => !cedCycle.safeParse({ seconds, extended: seconds > 5, interrupted: false }).success,
    )
    expect(refused).toEqual([])
  })

  it('keeps a UTC date with milliseconds exactly, and turns an offset into UTC', () => {
    const at = (occurredAt: string) => {
      const { incident } = reportSubmission.parse(validSubmission({ incident: { ...validIncident(), occurredAt } }))
      return 'occurredAt' in incident ? incident.occurredAt : null
    }
    expect(at('2024-07-01T09:15:30.123Z')).toBe('2024-07-01T09:15:30.123Z')
    expect(at('2024-07-01T10:15:30+01:00')).toBe('2024-07-01T09:15:30.000Z')
  })

  it('trims text, and makes blank or missing optional answers null', () => {
    const { selfDefinedEthnicity: _, ...subject } = validSubject()
    const report = reportSubmission.parse({
      ...validSubmission(),
      subject,
      justification: '  Pushed him away.\n',
      subjectInjury: { ...uninjuredSubject(), nature: '   ' },
      bodyWornVideo: { ...validBodyWornVideo(), reference: '' },
    })
    expect(report.justification).toBe('Pushed him away.')
    expect(report.subjectInjury.nature).toBeNull()
    expect(report.bodyWornVideo.reference).toBeNull()
    expect('selfDefinedEthnicity' in report.subject && report.subject.selfDefinedEthnicity).toBeNull()
  })
})
