import { expect } from 'vitest'
import type { Browser } from './app.js'

/**
 * Filling in the report form as an officer would, one page at a time, for the form's tests. Each answer set is
 * what the page's form posts, so the tests exercise the same field names as the pages.
 */

export type FormAnswers = Record<string, string | string[]>

export const answers = {
  newIncident: { incidentKind: 'new' },
  incidentDetails: {
    'occurredAt-day': '14',
    'occurredAt-month': '6',
    'occurredAt-year': '2030',
    'occurredAt-time': '21:30',
    locationTypes: ['street_highway', 'licensed_premises'],
    area: 'Borough High Street, Southwark',
    planned: 'spontaneous',
  },
  person: {
    ageBand: 'age_18_34',
    gender: 'male',
    perceivedEthnicity: 'white',
    selfDefinedEthnicity: 'white_british',
    healthCondition: 'none',
  },
  tacticsWithCed: {
    'tactics-0-tactic': 'tactical_communication',
    'tactics-0-effective': 'no',
    'tactics-1-tactic': 'ced',
    'tactics-1-effective': 'yes',
    'tactics-2-tactic': 'non_compliant_handcuffing',
    'tactics-2-effective': 'yes',
  },
  tacticsWithoutCed: {
    'tactics-0-tactic': 'unarmed_skills',
    'tactics-0-effective': 'yes',
    'tactics-1-tactic': 'non_compliant_handcuffing',
    'tactics-1-effective': 'yes',
  },
  /** A TASER X2 drawn, aimed, red-dotted and fired: one cartridge, one 5-second cycle, both probes on target. */
  cedFired: {
    deviceSerial: 'X29-00172245',
    deviceModel: 'x2',
    levels: ['drawn', 'aimed', 'red_dot', 'fired'],
    'cartridges-0-serial': 'AFID-7Q4-19830',
    'cartridges-0-bay': '1',
    repeatCycleSameCartridge: 'no',
    probeMiss: 'none',
    probeSites: ['front_5', 'back_b'],
    probesRemovedBy: 'medical_staff',
    'cycles-0-seconds': '5',
    'cycles-0-extended': 'no',
    'cycles-0-interrupted': 'no',
    warningGiven: 'yes',
    distanceMetres: '3.5',
    effective: 'yes',
    medicalCheck: 'yes',
    footageReference: 'BWV-4417-0001',
  },
  reasons: { reasons: ['protect_self', 'effect_arrest'], impactFactors: ['possession_of_weapon'] },
  outcomes: {
    outcomes: ['arrested'],
    officerInjured: 'no',
    officerMedicalProvided: 'no',
    subjectInjured: 'yes',
    subjectInjuryLevel: 'minor',
    subjectInjuryNature: 'Probe marks to the chest',
    subjectMedicalOffered: 'yes',
    subjectMedicalProvided: 'yes',
  },
  aboutYou: {
    mainDuty: 'response',
    singleCrewed: 'no',
    cedTrained: 'yes',
    cedCarried: 'yes',
    threatenedWithWeapon: 'yes',
    assaultedBySubject: 'no',
    subjectConduct: 'aggressive_resistance',
  },
  account: {
    justification: 'He came at us with a knife and would not drop it. The CED was the least harmful way to stop him.',
    deEscalation: 'We kept our distance and told him many times to drop the knife, and warned him before firing.',
    bwvActivated: 'yes',
    bwvReference: 'BWV-4417-0001',
  },
} satisfies Record<string, FormAnswers>

/** Starts a draft from "Your reports" and gives its address. */
export async function startDraft(browser: Browser): Promise<string> {
  const response = await browser.post('/reports/drafts', {}, '/reports')
  expect(response.statusCode).toBe(303)
  const location = String(response.headers.location)
  expect(location).toMatch(/^\/reports\/drafts\/[0-9a-f-]{36}$/)
  return location
}

/** Posts one page of a draft and expects it to be accepted, going on to `next` (the task list by default). */
export async function fill(browser: Browser, draft: string, page: string, form: FormAnswers, next = draft) {
  const response = await browser.post(`${draft}/${page}`, form)
  expect(response.statusCode, response.statusCode === 400 ? errorSummary(response.body).join('\n') : '').toBe(303)
  expect(response.headers.location).toBe(next)
  return response
}

/** Fills every section of a new report with a fired Taser, leaving out the sections named in `skip`. */
export async function fillTaserReport(browser: Browser, draft: string, skip: string[] = []) {
  const steps: [string, FormAnswers, string?][] = [
    ['incident', answers.newIncident, `${draft}/incident/details`],
    ['incident/details', answers.incidentDetails],
    ['person/details', answers.person],
    ['tactics', answers.tacticsWithCed],
    ['ced/1', answers.cedFired, `${draft}/ced`],
    ['reasons', answers.reasons],
    ['outcomes', answers.outcomes],
    ['about-you', answers.aboutYou],
    ['account', answers.account],
  ]
  for (const [page, form, next] of steps) {
    if (!skip.includes(page)) await fill(browser, draft, page, form, next)
  }
}

/** The error summary's messages and links, as "message → href". */
export function errorSummary(html: string): string[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? ''
  return [...summary.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => `${decode(m[2] ?? '')} → ${m[1]}`)
}

const decode = (s: string) =>
  s
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')

/** The task list's sections and their statuses, as "Section: status". */
export function taskStatuses(html: string): string[] {
  const textOf = (fragment = '') =>
    fragment
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  const items = html.split('<li class="govuk-task-list__item').slice(1)
  return items.map((item) => {
    const name = /<(?:a|div)(?: class="[^"]*govuk-task-list__link[^"]*"[^>]*| *)>([^<]*)</.exec(item)?.[1]
    const status = /class="govuk-task-list__status[^"]*"[^>]*>([\s\S]*?)<\/div>/.exec(item)?.[1]
    return `${textOf(name)}: ${textOf(status)}`
  })
}

interface Introspectable {
  _zod: { def: { type: string } }
}

/**
 * Every path a schema's problems can name: each object and list (for "missing" and "too few"), and each answer
 * within them, with list items at position 0 and both sides of a union.
 */
export function schemaPaths(schema: Introspectable, path: (string | number)[] = []): (string | number)[][] {
  const def = schema._zod.def as { type: string } & Record<string, unknown>
  const inner = (key: string) => def[key] as Introspectable
  switch (def.type) {
    case 'object':
      return [
        path,
        ...Object.entries(def.shape as Record<string, Introspectable>).flatMap(([key, s]) =>
          schemaPaths(s, [...path, key]),
        ),
      ]
    case 'array':
      return [path, ...schemaPaths(inner('element'), [...path, 0])]
    case 'union':
      return (def.options as Introspectable[]).flatMap((option) => schemaPaths(option, path))
    case 'pipe':
      return schemaPaths(inner('in'), path)
    case 'optional':
    case 'nullable':
      return schemaPaths(inner('innerType'), path)
    default:
      return [path]
  }
}

/** Every path the cross-field rules (rules.ts) report a problem at, with list items at position 0. */
export const rulePaths: (string | number)[][] = [
  ['incident', 'occurredAt'],
  ['tactics'],
  ['tactics', 0, 'tactic'],
  ['cedUses'],
  ['officer', 'cedCarried'],
  ['officer', 'assaultedBySubject'],
  ['officerInjury', 'level'],
  ['officerInjury', 'intentionalAssault'],
  ['subjectInjury', 'level'],
  ['subjectInjury', 'nature'],
  ['subjectInjury', 'medicalOffered'],
  ['outcomes'],
  ['bodyWornVideo', 'reference'],
  ...[
    'cartridges',
    'cycles',
    'driveStunRepeat',
    'repeatCycleSameCartridge',
    'probeMiss',
    'probeSites',
    'probesRemovedBy',
  ].map((key) => ['cedUses', 0, key]),
  ['cedUses', 0, 'cartridges', 0, 'bay'],
  ['cedUses', 0, 'cycles', 0, 'extended'],
]
