import { describe, expect, it } from 'vitest'
import type { ModelAuthority } from './authority.js'
import { issueRefusals, type IssueCheck } from './issue-rules.js'

const authorised: ModelAuthority = {
  model: 'x2',
  authorised: true,
  reasons: [],
  qualifiedOn: '2024-01-10',
  lastTrainedOn: '2026-03-01',
  trainingLapsesOn: '2027-03-01',
  authorisedUntil: '2027-02-28',
  lapsesOn: '2027-03-01',
}

const good: IssueCheck = {
  today: '2026-11-22',
  device: { serial: 'X29-001204', model: 'x2', status: 'in_service' },
  authority: authorised,
  deviceHeldBy: null,
  officerHolds: null,
  cartridges: [
    { serial: 'XP1000001', cartridgeType: 'x2_smart', expiresOn: '2026-11-22', status: 'in_stock' },
    { serial: 'XP1000002', cartridgeType: 'x2_smart', expiresOn: '2028-01-01', status: 'in_stock' },
  ],
  sparkTestPassed: true,
}

describe('refusing issue at the armoury', () => {
  it('issues an authorised officer a serviceable device with cartridges valid today', () => {
    expect(issueRefusals(good)).toEqual([])
  })

  it.each<[string, Partial<IssueCheck>, RegExp]>([
    [
      'lapsed officer',
      {
        authority: {
          ...authorised,
          authorised: false,
          reasons: [{ code: 'training_lapsed', lastTrainedOn: '2025-11-15', lapsedOn: '2026-11-15' }],
        },
      },
      /^Not authorised to carry a TASER X2\. Last trained on 15 November 2025; authority lapsed on 15 November 2026\.$/,
    ],
    ['defective device', { device: { ...good.device, status: 'defective' } }, /is not serviceable: defective/],
    ['device already out', { deviceHeldBy: 'PC Jo Bloggs (4521)' }, /already issued to PC Jo Bloggs/],
    ['officer already holds one', { officerHolds: 'X29-001257' }, /already holds device X29-001257/],
    [
      'cartridge expired yesterday',
      { cartridges: [{ serial: 'XP1', cartridgeType: 'x2_smart', expiresOn: '2026-11-21', status: 'in_stock' }] },
      /Cartridge XP1 expired on 21 November 2026/,
    ],
    [
      'TASER 7 cartridge in an X2',
      {
        cartridges: [{ serial: 'T71', cartridgeType: 'taser7_standard', expiresOn: '2027-01-01', status: 'in_stock' }],
      },
      /does not fit a TASER X2/,
    ],
    [
      'spent cartridge',
      { cartridges: [{ serial: 'XP2', cartridgeType: 'x2_smart', expiresOn: '2027-01-01', status: 'spent' }] },
      /not in stock \(spent\)/,
    ],
    ['failed spark test', { sparkTestPassed: false }, /spark test failed/],
    [
      'two cartridges in an X26',
      {
        device: { serial: 'X26-1', model: 'x26', status: 'in_service' },
        authority: { ...authorised, model: 'x26' },
        cartridges: [
          { serial: 'XC1', cartridgeType: 'x26_standard', expiresOn: '2027-01-01', status: 'in_stock' },
          { serial: 'XC2', cartridgeType: 'x26_standard', expiresOn: '2027-01-01', status: 'in_stock' },
        ],
      },
      /^A TASER X26 holds one cartridge, not 2\.$/,
    ],
  ])('refuses: %s', (_name, change, reason) => {
    const reasons = issueRefusals({ ...good, ...change })
    expect(reasons).toHaveLength(1)
    expect(reasons[0]).toMatch(reason)
  })

  it('gives every reason at once', () => {
    expect(issueRefusals({ ...good, sparkTestPassed: false, deviceHeldBy: 'someone' })).toHaveLength(2)
  })
})
