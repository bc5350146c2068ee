import { z } from 'zod'
import type { FieldError } from '../../web/render.js'
import { MONTH } from '../../domain/calendar.js'
import { calendarDate } from '../../web/date-input.js'

/** Forms of the authorisations feature. Fields in page order, so the error summary follows the page. */

export const grades = [
  { value: 'immediate', label: 'Immediate', hint: 'An emergency: attend at once' },
  { value: 'prompt', label: 'Prompt', hint: 'Attend as soon as possible, but not an emergency' },
  { value: 'planned', label: 'Planned', hint: 'A planned operation or arrest' },
] as const

export function gradeLabel(grade: string): string {
  return grades.find((g) => g.value === grade)?.label ?? grade
}

const text = (value: unknown) => (typeof value === 'string' ? value : '')

/**
 * GOV.UK date inputs arrive as three boxes (`name-day`, `name-month`, `name-year`). They are combined into `name` as
 * 'YYYY-MM-DD' before parsing; boxes that are all empty become '' (null when the date is optional) and boxes that
 * make no real date become 'invalid', so the schema can say which.
 */
export function withDates(names: string[], options: { optional?: boolean } = {}) {
  return (body: unknown) => {
    const b = (body ?? {}) as Record<string, unknown>
    const out: Record<string, unknown> = { ...b }
    for (const name of names) {
      const [day, month, year] = ['day', 'month', 'year'].map((part) => text(b[`${name}-${part}`]).trim())
      const empty = options.optional ? null : ''
      out[name] = !day && !month && !year ? empty : (calendarDate(day ?? '', month ?? '', year ?? '') ?? 'invalid')
    }
    return out
  }
}

export const date = (missing: string, invalid: string) =>
  z
    .string()
    .min(1, missing)
    .regex(/^\d{4}-\d{2}-\d{2}$/, invalid)

/** A date error belongs to the date input's first box, which is where the error summary must take the reader. */
export function onFirstBox(errors: FieldError[], dateFields: string[]): FieldError[] {
  return errors.map((e) => (dateFields.includes(e.field) ? { ...e, field: `${e.field}-day` } : e))
}

export const accreditationForm = z.preprocess(
  withDates(['validFrom', 'expiresOn']),
  z.object({
    collarNumber: z
      .string('Enter the officer’s collar number')
      .trim()
      .min(1, 'Enter the officer’s collar number')
      .max(20, 'Collar number must be 20 characters or fewer'),
    validFrom: date('Enter the date the accreditation starts', 'The start date must be a real date, like 1 4 2026'),
    expiresOn: date('Enter the date the accreditation expires', 'The expiry date must be a real date, like 31 3 2027'),
  }),
)

export type AccreditationInput = z.output<typeof accreditationForm>

const TIME = /^([01]?\d|2[0-3])[:.]?([0-5]\d)$/

export const authorisationForm = z.preprocess(
  withDates(['authorisedOn']),
  z.object({
    authorisedOn: date('Enter the date you authorised the deployment', 'The date must be a real date, like 14 3 2026'),
    authorisedTime: z
      .string('Enter the time you authorised the deployment')
      .trim()
      .min(1, 'Enter the time you authorised the deployment')
      .regex(TIME, 'Enter the time in 24-hour format, like 21:30')
      .transform((v) => {
        const [, h, m] = TIME.exec(v) ?? []
        return `${String(h).padStart(2, '0')}:${m}`
      }),
    incidentReference: z
      .string('Enter the incident reference')
      .trim()
      .min(1, 'Enter the incident reference')
      .max(40, 'Incident reference must be 40 characters or fewer')
      .regex(/^[A-Za-z0-9/-]+$/, 'Incident reference must only include letters, numbers, hyphens and slashes'),
    grade: z.enum(['immediate', 'prompt', 'planned'], 'Select the grade of the incident'),
    officers: z
      .string('Enter the collar numbers of the officers deployed')
      .transform((v) => [...new Set(v.split(/[\s,;]+/).filter(Boolean))])
      .pipe(
        z
          .array(z.string())
          .min(1, 'Enter the collar numbers of the officers deployed')
          .max(50, 'Enter 50 officers or fewer'),
      ),
    rationale: z
      .string('Enter your rationale')
      .trim()
      .min(1, 'Enter your rationale')
      .max(5000, 'Rationale must be 5,000 characters or fewer'),
  }),
)

export type AuthorisationInput = z.output<typeof authorisationForm>

export const linkForm = z.object({
  reference: z
    .string('Enter the ForceLedger incident reference')
    .trim()
    .min(1, 'Enter the ForceLedger incident reference')
    .max(40, 'Incident reference must be 40 characters or fewer'),
})

/** The funnel's period: whole months, because incident counts are monthly. */
export const periodQuery = z.object({
  from: z.string().regex(MONTH).optional().catch(undefined),
  to: z.string().regex(MONTH).optional().catch(undefined),
})
