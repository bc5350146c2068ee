import { codeList, type ValueOf } from '../use-of-force/code-list.js'

/**
 * The report's free-text fields. A case pack shows one only once someone force-side has marked it releasable,
 * optionally as a redacted version: officers write names, addresses and call signs into free text.
 */
export const freeTextFields = codeList([
  { value: 'justification', label: 'Why the force was necessary and proportionate', order: 1 },
  { value: 'de_escalation', label: 'What was done to de-escalate', order: 2 },
  { value: 'injury_nature', label: 'Nature of the person’s injury', order: 3 },
])

export type FreeTextField = ValueOf<typeof freeTextFields>
