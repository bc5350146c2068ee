import { codeList, type ValueOf } from '../use-of-force/code-list.js'

/**
 * What ForceLedger removes when it is no longer needed, and after how long by default; each force can set its own
 * periods within the limits (a force setting, `retention_policies`). Only working records are here: drafts never
 * submitted, and the keys that stop a retried API submission being stored twice. Use-of-force reports, their
 * versions and reviews, device logs and the audit ledger are never removed by ForceLedger: they are police records
 * reviewed for retention under the force's Management of Police Information (MoPI) process, and several are
 * append-only by design.
 */
export const retainedRecords = codeList([
  {
    value: 'report_drafts',
    order: 1,
    label: 'Unsent report drafts',
    hint: 'Drafts an officer started and never submitted, counted from the last time they were saved.',
    defaultDays: 90,
    minDays: 28,
    maxDays: 3650,
  },
  {
    value: 'idempotency_keys',
    order: 2,
    label: 'API submission keys',
    hint: 'What lets a system retry an API submission without storing it twice, counted from the submission.',
    defaultDays: 30,
    minDays: 2,
    maxDays: 3650,
  },
])

export type RetainedRecord = ValueOf<typeof retainedRecords>

/** A record kept `days` days is due for removal when its time (last saved, submitted) is before this. */
export function removalCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * 86_400_000)
}
