import { z } from 'zod'
import { findings, themes } from '../../domain/scrutiny/findings.js'
import { freeTextFields } from '../../domain/scrutiny/free-text.js'
import { strata } from '../../domain/scrutiny/strata.js'
import { date, withDates } from '../authorisations/authorisations.schema.js'

/** The scrutiny forms. Fields in page order, so the error summary follows the page. */

export const panelForm = z.object({
  name: z
    .string('Enter the panel’s name')
    .trim()
    .min(1, 'Enter the panel’s name')
    .max(120, 'The name must be 120 characters or fewer'),
})

export const memberForm = z.object({ member: z.uuid('Select a scrutiny panel member from the list') })

export const MAX_STRATUM_SIZE = 50

const size = z.preprocess(
  (v) => (v === undefined || (typeof v === 'string' && v.trim() === '') ? '0' : v),
  z.coerce
    .number({ error: 'Enter the number of cases as a whole number' })
    .int('Enter the number of cases as a whole number')
    .min(0, `Enter a number of cases from 0 to ${MAX_STRATUM_SIZE}`)
    .max(MAX_STRATUM_SIZE, `Enter a number of cases from 0 to ${MAX_STRATUM_SIZE}`),
)

export const drawForm = z
  .preprocess(
    (body) => withDates(['meetingOn'], { optional: true })(withDates(['periodFrom', 'periodTo'])(body)),
    z.object({
      periodFrom: date('Enter the first day of the period', 'The first day must be a real date, like 1 4 2026'),
      periodTo: date('Enter the last day of the period', 'The last day must be a real date, like 30 6 2026'),
      meetingOn: date('', 'The meeting date must be a real date, like 15 7 2026').nullable(),
      ...Object.fromEntries(strata.values.map((s) => [`size-${s}`, size])),
      seed: z
        .string()
        .trim()
        .max(200, 'The seed must be 200 characters or fewer')
        .regex(/^[\x21-\x7e]*$/, 'The seed can only use letters, digits and punctuation, with no spaces')
        .optional()
        .transform((v) => (v ? v : null)),
    }),
  )
  .superRefine((form, ctx) => {
    const f = form as Record<string, unknown>
    if (typeof f.periodFrom === 'string' && typeof f.periodTo === 'string' && f.periodTo < f.periodFrom)
      ctx.addIssue({ code: 'custom', path: ['periodTo'], message: 'The last day must be on or after the first day' })
    if (strata.values.every((s) => f[`size-${s}`] === 0))
      ctx.addIssue({
        code: 'custom',
        path: [`size-${strata.values[0]}`],
        message: 'Enter how many cases to draw from at least one stratum',
      })
  })

export const findingForm = z.object({
  finding: z.enum(findings.values, { error: 'Select the panel’s finding' }),
  themes: z
    .preprocess(
      (v) => (v === undefined ? [] : [v].flat()),
      z.array(z.enum(themes.values, { error: 'Select a theme from the list' })),
    )
    .transform((list) => [...new Set(list)]),
  comments: z.string().trim().max(5000, 'Comments must be 5,000 characters or fewer').default(''),
  feedback: z.string().trim().max(5000, 'Feedback must be 5,000 characters or fewer').default(''),
})

export const releaseChoices = ['withhold', 'release', 'redacted'] as const

/** For each free-text field: withhold it, release it as written, or release a redacted version typed here. */
export const releaseForm = z
  .object(
    Object.fromEntries(
      freeTextFields.values.flatMap((f) => [
        [`release-${f}`, z.enum(releaseChoices, { error: 'Select whether to release the text' }).default('withhold')],
        [
          `redacted-${f}`,
          z.string().trim().max(10_000, 'The redacted text must be 10,000 characters or fewer').default(''),
        ],
      ]),
    ),
  )
  .superRefine((form, ctx) => {
    for (const f of freeTextFields.values)
      if (form[`release-${f}`] === 'redacted' && form[`redacted-${f}`] === '')
        ctx.addIssue({ code: 'custom', path: [`redacted-${f}`], message: 'Enter the redacted text to release' })
  })
