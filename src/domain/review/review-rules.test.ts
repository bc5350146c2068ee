import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { ReportFlags } from '../use-of-force/rules.js'
import {
  inReviewSample,
  iopcCriteriaMet,
  mandatoryReviewReasons,
  reviewDecisionIssues,
  reviewRequirement,
  reviewState,
  type IopcCriterion,
  type ReviewChecklist,
  type ReviewRequirement,
  type ReviewSetting,
  type ReviewState,
} from './review-rules.js'

const none: ReportFlags = {
  cedDischarge: false,
  child: false,
  subjectInjured: false,
  prolongedDischarge: false,
  firearm: false,
  fatality: false,
  mandatoryReview: false,
  mandatoryReferral: false,
}
const flagged = (flags: Partial<ReportFlags>): ReportFlags => ({ ...none, ...flags })
const mandatoryOnly: ReviewSetting = { policy: 'mandatory', samplePercent: 10 }
const everyReport: ReviewSetting = { policy: 'all', samplePercent: 10 }
const sampleAll: ReviewSetting = { policy: 'sample', samplePercent: 100 }

describe('reviewRequirement', () => {
  const id = '6f1c2d1e-0000-4000-8000-000000000001'
  it.each<[string, Partial<ReportFlags>, ReviewSetting, ReviewRequirement]>([
    ['a CED discharge', { cedDischarge: true, mandatoryReview: true }, mandatoryOnly, 'mandatory'],
    ['a child', { child: true, mandatoryReview: true }, mandatoryOnly, 'mandatory'],
    ['an injured person', { subjectInjured: true, mandatoryReview: true }, mandatoryOnly, 'mandatory'],
    ['a cycle over 5 s', { prolongedDischarge: true, mandatoryReview: true }, mandatoryOnly, 'mandatory'],
    ['a firearm', { firearm: true, mandatoryReview: true }, mandatoryOnly, 'mandatory'],
    ['mandatory whatever the setting', { firearm: true, mandatoryReview: true }, everyReport, 'mandatory'],
    ['nothing flagged, mandatory only', {}, mandatoryOnly, null],
    ['nothing flagged, every report', {}, everyReport, 'every-report'],
    ['nothing flagged, a sample of 100%', {}, sampleAll, 'sampled'],
  ])('%s', (_, flags, setting, expected) => {
    expect(reviewRequirement(flagged(flags), setting, id)).toBe(expected)
  })

  it('gives the reasons for a mandatory review, in the product’s order', () => {
    expect(mandatoryReviewReasons(flagged({ firearm: true, child: true, cedDischarge: true }))).toEqual([
      'it records a CED discharge',
      'the person was a child',
      'a firearm was aimed or fired',
    ])
    expect(mandatoryReviewReasons(none)).toEqual([])
  })
})

describe('inReviewSample', () => {
  it('always gives the same answer for the same report', () => {
    const id = randomUUID()
    expect(new Set(Array.from({ length: 5 }, () => inReviewSample(id, 37))).size).toBe(1)
  })

  it('draws about the percentage asked for, and a larger sample contains the smaller', () => {
    const ids = Array.from({ length: 4000 }, () => randomUUID())
    const ten = ids.filter((id) => inReviewSample(id, 10))
    const fifty = ids.filter((id) => inReviewSample(id, 50))
    expect(ten.length / ids.length).toBeGreaterThan(0.07)
    expect(ten.length / ids.length).toBeLessThan(0.13)
    expect(fifty.length / ids.length).toBeGreaterThan(0.45)
    expect(fifty.length / ids.length).toBeLessThan(0.55)
    expect(ten.every((id) => inReviewSample(id, 50))).toBe(true)
    expect(ids.every((id) => inReviewSample(id, 100))).toBe(true)
  })
})

describe('reviewState', () => {
  it.each<[string, Parameters<typeof reviewState>[0], number, boolean, ReviewState]>([
    ['no decision, review needed', null, 1, true, 'awaiting_review'],
    ['no decision, none needed', null, 1, false, 'not_required'],
    ['returned, not yet amended', { decision: 'returned', reportVersion: 1 }, 1, true, 'returned'],
    ['returned, then amended: resubmitted', { decision: 'returned', reportVersion: 1 }, 2, true, 'awaiting_review'],
    ['approved', { decision: 'approved', reportVersion: 2 }, 2, true, 'approved'],
    ['approved, then amended', { decision: 'approved', reportVersion: 2 }, 3, false, 'awaiting_review'],
    ['referred', { decision: 'referred', reportVersion: 1 }, 1, true, 'referred'],
    ['referred, then amended: stays referred', { decision: 'referred', reportVersion: 1 }, 2, true, 'referred'],
  ])('%s', (_, latest, version, required, expected) => {
    expect(reviewState(latest, version, required)).toBe(expected)
  })
})

describe('reviewDecisionIssues', () => {
  const allYes: ReviewChecklist = {
    justified: 'yes',
    proportionate: 'yes',
    necessary: 'yes',
    bwvReviewed: 'yes',
    aftercare: 'yes',
    policyFollowed: 'yes',
    learning: 'no',
  }
  it.each<[string, Partial<ReviewChecklist>, 'approved' | 'returned' | 'referred', string | null, string[]]>([
    ['approve with every yes', {}, 'approved', null, []],
    [
      'approve with no footage and no aftercare needed',
      { bwvReviewed: 'no_footage', aftercare: 'not_needed' },
      'approved',
      null,
      [],
    ],
    ['approve what was not justified', { justified: 'no' }, 'approved', null, ['decision']],
    ['approve what was not proportionate', { proportionate: 'no' }, 'approved', null, ['decision']],
    ['approve what was not necessary', { necessary: 'no' }, 'approved', null, ['decision']],
    ['approve when policy was not followed', { policyFollowed: 'no' }, 'approved', null, ['decision']],
    ['refer what was not justified', { justified: 'no' }, 'referred', null, []],
    ['return with corrections', {}, 'returned', 'Add the footage reference', []],
    ['return without corrections', {}, 'returned', null, ['corrections']],
  ])('%s', (_, answers, decision, corrections, fields) => {
    const issues = reviewDecisionIssues({ decision, checklist: { ...allYes, ...answers }, corrections })
    expect(issues.map((i) => i.field)).toEqual(fields)
  })
})

describe('iopcCriteriaMet', () => {
  const noFacts = { complaint: false, conductMatter: false }
  it.each<[string, Partial<ReportFlags>, { complaint: boolean; conductMatter: boolean }, IopcCriterion[]]>([
    ['nothing', {}, noFacts, []],
    ['a minor injury', { subjectInjured: true }, noFacts, []],
    [
      'a serious injury or death',
      { subjectInjured: true, mandatoryReferral: true },
      noFacts,
      ['death_or_serious_injury'],
    ],
    ['a complaint', {}, { complaint: true, conductMatter: false }, ['complaint']],
    ['a conduct matter', {}, { complaint: false, conductMatter: true }, ['conduct_matter']],
    ['a CED discharge on a child, nothing more', { cedDischarge: true, child: true }, noFacts, []],
    [
      'a CED discharge on an adult with a complaint',
      { cedDischarge: true },
      { complaint: true, conductMatter: false },
      ['complaint'],
    ],
    [
      'a CED discharge on a child with a complaint',
      { cedDischarge: true, child: true },
      { complaint: true, conductMatter: false },
      ['complaint', 'child_ced_discharge'],
    ],
    [
      'a CED discharge on a child with a conduct matter',
      { cedDischarge: true, child: true },
      { complaint: false, conductMatter: true },
      ['conduct_matter', 'child_ced_discharge'],
    ],
    [
      'a CED aimed at a child with a complaint',
      { child: true },
      { complaint: true, conductMatter: false },
      ['complaint'],
    ],
  ])('%s', (_, flags, facts, expected) => {
    expect(iopcCriteriaMet(flagged(flags), facts)).toEqual(expected)
  })
})
