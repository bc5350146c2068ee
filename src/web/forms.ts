import type { z } from 'zod'
import type { FieldError } from './render.js'

/**
 * Parses a submitted form with a zod schema. On failure returns one error per field (the first message for each),
 * in the order the schema lists its fields, so the error summary follows the page.
 */
export function parseForm<S extends z.ZodType>(
  schema: S,
  body: unknown,
): { ok: true; value: z.output<S> } | { ok: false; errors: FieldError[] } {
  const result = schema.safeParse(body ?? {})
  if (result.success) return { ok: true, value: result.data }
  const seen = new Set<string>()
  const errors: FieldError[] = []
  for (const issue of result.error.issues) {
    const field = issue.path.map(String).join('-') || 'form'
    if (seen.has(field)) continue
    seen.add(field)
    errors.push({ field, text: issue.message })
  }
  return { ok: false, errors }
}

/** Only a path on this site: "/x" but never "//host" or "http://…", so a link cannot send someone elsewhere. */
export function safeReturnPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : '/'
}

/** A submitted form's fields, before a schema or reader has checked them. */
export type FormBody = Record<string, unknown>

/** A text field as submitted, trimmed; '' when absent or not text. */
export const text = (body: FormBody, name: string): string => {
  const value = body[name]
  return typeof value === 'string' ? value.trim() : ''
}
