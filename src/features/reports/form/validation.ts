import type { z } from 'zod'
import {
  cedUse,
  existingIncident,
  existingSubject,
  incidentDetails,
  reportBody,
  subjectDetails,
} from '../../../domain/use-of-force/report.js'
import { cedUseRules, incidentRules, reportRules, type RuleIssue } from '../../../domain/use-of-force/rules.js'
import type { FieldError } from '../../../web/render.js'
import type { IncidentSummary } from '../reports.repository.js'
import { cedUseCount, existingReference, record, usesCed, type DraftData } from './draft-data.js'
import { fieldFor, sectionOf, type Path, type SectionKey } from './field-map.js'
import { occurredAtIssues } from './occurred-at.js'

/**
 * The draft checked section by section with the report's own schemas, and with the cross-field rules once the whole
 * body parses (before that the rules cannot run). Every problem carries its path, which field-map.ts turns into a
 * page and a field.
 */

export interface DraftContext {
  now: Date
  /** The incident the draft names by reference, looked up: null when there is none (or no reference). */
  incident: IncidentSummary | null
  /** An amendment changes the officer's own answers only: the incident and the person stay as submitted. */
  amendment: boolean
}

export type SectionStatus = 'cannot-start' | 'not-started' | 'incomplete' | 'completed'

interface Section {
  key: SectionKey
  title: string
  /** The page the task list links to. */
  page(data: DraftData): string
  started(data: DraftData): boolean
  /** Where "complete this section" points, and what it says, when the section has not been started. */
  notStarted(data: DraftData): RuleIssue
  /** The section's schema problems (not the rules). */
  check(data: DraftData, context: DraftContext): RuleIssue[]
  /** Whether the section applies yet: the CED section needs CED among the tactics. */
  available?(data: DraftData): boolean
}

/** A schema's problems as the rules give theirs: a path and a message. */
export function issuesOf(error: z.ZodError, prefix: Path = []): RuleIssue[] {
  return error.issues.map((issue) => ({
    path: [...prefix, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))],
    message: issue.message,
  }))
}

function parse(schema: z.ZodType, value: unknown, prefix: Path = []): RuleIssue[] {
  const result = schema.safeParse(value)
  return result.success ? [] : issuesOf(result.error, prefix)
}

const defined = (data: DraftData, ...keys: (keyof DraftData)[]) => keys.some((key) => data[key] !== undefined)

/**
 * The report's own answers in the draft (everything but the incident and the person), as reportBody takes them.
 * The schema refuses unknown keys, so nothing else goes in; a group of answers missing altogether is checked as
 * empty, so each of its questions gets its own message.
 */
export function bodyInput(data: DraftData) {
  return {
    tactics: data.tactics,
    reasons: data.reasons,
    impactFactors: data.impactFactors,
    outcomes: data.outcomes,
    officer: data.officer ?? {},
    subjectConduct: data.subjectConduct,
    officerInjury: data.officerInjury ?? {},
    subjectInjury: data.subjectInjury ?? {},
    bodyWornVideo: data.bodyWornVideo ?? {},
    justification: data.justification,
    deEscalation: data.deEscalation,
    cedUses: data.cedUses ?? [],
  }
}

// Each section is checked with its own part of the report's schema, so messages and paths are the schema's.
const tacticsPart = reportBody.pick({ tactics: true })
const cedPart = reportBody.pick({ cedUses: true })
const reasonsPart = reportBody.pick({ reasons: true, impactFactors: true })
const outcomesPart = reportBody.pick({ outcomes: true, officerInjury: true, subjectInjury: true })
const aboutYouPart = reportBody.pick({ officer: true, subjectConduct: true })
const accountPart = reportBody.pick({ justification: true, deEscalation: true, bodyWornVideo: true })

export const sections: readonly Section[] = [
  {
    key: 'incident',
    title: 'Incident',
    page: () => 'incident',
    started: (data) => defined(data, 'incident'),
    notStarted: () => ({
      path: ['incident'],
      message: 'Give the date, time and place of the incident, or add your report to one already recorded',
    }),
    check(data, context) {
      const incident = record(data.incident)
      if (existingReference(data) !== undefined) {
        const issues = parse(existingIncident, incident, ['incident'])
        if (issues.length || context.incident) return issues
        return [{ path: ['incident', 'reference'], message: 'There is no incident with that reference' }]
      }
      const parsed = incidentDetails.safeParse(incident)
      if (parsed.success) return incidentRules(parsed.data, context.now)
      const issues = issuesOf(parsed.error, ['incident'])
      const timeIssues = occurredAtIssues(incident.occurredAt)
      if (!timeIssues.length) return issues
      // Say which box of the date and time is wrong, in place of the schema's one message for them all.
      const index = issues.findIndex((i) => i.path[1] === 'occurredAt')
      return index < 0 ? issues : [...issues.slice(0, index), ...timeIssues, ...issues.slice(index + 1)]
    },
  },
  {
    key: 'person',
    title: 'The person',
    page: (data) => (existingReference(data) === undefined ? 'person/details' : 'person'),
    started: (data) => defined(data, 'subject'),
    notStarted: (data) =>
      existingReference(data) === undefined
        ? { path: ['subject'], message: 'Give the details of the person you used force on' }
        : { path: ['subject', 'id'], message: 'Choose the person you used force on, or add their details' },
    check(data, context) {
      const subject = record(data.subject)
      if (!('id' in subject)) return parse(subjectDetails, subject, ['subject'])
      const issues = parse(existingSubject, subject, ['subject'])
      if (issues.length || context.incident?.subjects.some((s) => s.id === subject.id)) return issues
      return [{ path: ['subject', 'id'], message: 'Select the person from the list' }]
    },
  },
  {
    key: 'tactics',
    title: 'Force used',
    page: () => 'tactics',
    started: (data) => defined(data, 'tactics'),
    notStarted: () => ({ path: ['tactics'], message: 'Add the tactics you used' }),
    check: (data) => parse(tacticsPart, { tactics: data.tactics }),
  },
  {
    key: 'ced',
    title: 'CED use',
    page: () => 'ced',
    available: (data) => usesCed(data) || cedUseCount(data) > 0,
    started: (data) => cedUseCount(data) > 0,
    notStarted: () => ({ path: ['cedUses'], message: 'You used a CED (Taser): add the details of each CED use' }),
    check: (data) => parse(cedPart, { cedUses: data.cedUses ?? [] }),
  },
  {
    key: 'reasons',
    title: 'Reasons and impact factors',
    page: () => 'reasons',
    started: (data) => defined(data, 'reasons', 'impactFactors'),
    notStarted: () => ({ path: ['reasons'], message: 'Select at least one reason for using force' }),
    check: (data) => parse(reasonsPart, { reasons: data.reasons, impactFactors: data.impactFactors }),
  },
  {
    key: 'outcomes',
    title: 'Outcomes and injuries',
    page: () => 'outcomes',
    started: (data) => defined(data, 'outcomes', 'officerInjury', 'subjectInjury'),
    notStarted: () => ({ path: ['outcomes'], message: 'Give the outcomes of the incident and any injuries' }),
    check: (data) => {
      const { outcomes, officerInjury, subjectInjury } = bodyInput(data)
      return parse(outcomesPart, { outcomes, officerInjury, subjectInjury })
    },
  },
  {
    key: 'about-you',
    title: 'About you',
    page: () => 'about-you',
    started: (data) => defined(data, 'officer', 'subjectConduct'),
    notStarted: () => ({ path: ['officer'], message: 'Answer the questions about you and the person’s behaviour' }),
    check: (data) => {
      const { officer, subjectConduct } = bodyInput(data)
      return parse(aboutYouPart, { officer, subjectConduct })
    },
  },
  {
    key: 'account',
    title: 'Your account',
    page: () => 'account',
    started: (data) => defined(data, 'justification', 'deEscalation', 'bodyWornVideo'),
    notStarted: () => ({
      path: ['justification'],
      message: 'Explain why the force you used was necessary and proportionate',
    }),
    check: (data) => {
      const { justification, deEscalation, bodyWornVideo } = bodyInput(data)
      return parse(accountPart, { justification, deEscalation, bodyWornVideo })
    },
  },
]

/** The sections a draft has: an amendment's leave out the incident and the person, which it cannot change. */
function sectionsOf(context: Pick<DraftContext, 'amendment'>): readonly Section[] {
  return context.amendment ? sections.filter((s) => s.key !== 'incident' && s.key !== 'person') : sections
}

export interface DraftReview {
  /** Each section with its status and its problems (schema and rules), in task-list order. */
  sections: { section: Section; status: SectionStatus; issues: RuleIssue[] }[]
}

function cedUseIssues(data: DraftData): RuleIssue[] {
  const uses = bodyInput(data).cedUses
  if (!Array.isArray(uses)) return []
  return uses.flatMap((raw, index) => {
    const use = cedUse.safeParse(raw)
    return use.success ? cedUseRules(use.data, index) : []
  })
}

/** Every section of the draft checked: its schema always, the cross-field rules when the whole body parses. */
export function reviewDraft(data: DraftData, context: DraftContext): DraftReview {
  const body = reportBody.safeParse(bodyInput(data))
  // The whole set of rules needs the whole body; until then each CED use's own rules can still run on their own.
  const ruleIssues = body.success ? reportRules(body.data) : cedUseIssues(data)
  return {
    sections: sectionsOf(context).map((section) => {
      if (section.available && !section.available(data)) return { section, status: 'cannot-start', issues: [] }
      const issues = [...section.check(data, context), ...ruleIssues.filter((i) => sectionOf(i.path) === section.key)]
      const status = !section.started(data) ? 'not-started' : issues.length ? 'incomplete' : 'completed'
      return { section, status, issues }
    }),
  }
}

/** What stops the draft being submitted: one message for each section not started, every problem in the others. */
export function submissionIssues(review: DraftReview, data: DraftData): RuleIssue[] {
  return review.sections.flatMap(({ section, status, issues }) => {
    if (status === 'cannot-start') return []
    return status === 'not-started' ? [section.notStarted(data)] : issues
  })
}

/** The problems that belong on one page, one per field (the first), in the order they were found. */
export function issuesOnPage(issues: readonly RuleIssue[], page: string): FieldError[] {
  const out: FieldError[] = []
  const seen = new Set<string>()
  for (const issue of issues) {
    const ref = fieldFor(issue.path)
    if (ref.page !== page || seen.has(ref.field)) continue
    seen.add(ref.field)
    out.push({ field: ref.field, text: issue.message })
  }
  return out
}
