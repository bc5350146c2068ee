import type { z } from 'zod'
import type { reportSubmission } from '../../../domain/use-of-force/report.js'

/**
 * A draft's answers: what the officer entered, section by section, in the input shape of `reportSubmission`, so
 * that submitting is `reportSubmission.safeParse(data)`. A draft keeps partial and wrong answers too (a length of
 * "abc" seconds stays "abc" and the schema says what is wrong with it), so every value is read defensively.
 */
export type DraftData = { [K in keyof z.input<typeof reportSubmission>]?: unknown } & {
  /** An amendment's draft: the version it was started from, which the amendment must still be current against. */
  basedOnVersion?: number
}

/** What a new report's draft starts with: no CED use until the officer adds CED (Taser) as a tactic. */
export const emptyDraft = (): DraftData => ({ cedUses: [] })

export function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : []
}

export function strings(value: unknown): string[] {
  return list(value).filter((v): v is string => typeof v === 'string')
}

/** A stored answer as the text a form field shows. */
export function text(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return ''
}

/** A yes/no answer as the value of its radios. */
export function yesNo(value: unknown): '' | 'yes' | 'no' {
  return value === true ? 'yes' : value === false ? 'no' : ''
}

/** The draft's existing incident reference, when the report is added to an incident already recorded. */
export function existingReference(data: DraftData): string | undefined {
  const incident = record(data.incident)
  return 'reference' in incident ? text(incident.reference).trim() : undefined
}

/** Whether the officer has CED (Taser) among their tactics. */
export function usesCed(data: DraftData): boolean {
  return list(data.tactics).some((t) => record(t).tactic === 'ced')
}

export function cedUseCount(data: DraftData): number {
  return list(data.cedUses).length
}
