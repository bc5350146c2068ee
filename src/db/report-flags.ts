import { sql, type RawBuilder } from 'kysely'
import type { CedLevel } from '../domain/use-of-force/ced.js'
import { ageBands } from '../domain/use-of-force/subject.js'
import type { Outcome } from '../domain/use-of-force/context.js'
import { LONG_CYCLE_SECONDS, SERIOUS_INJURY_LEVELS } from '../domain/use-of-force/rules.js'
import { cedDischarged } from './ced-counts.js'

/**
 * The flags of `reportFlags` (src/domain/use-of-force/rules.ts) as SQL over stored reports, for counting them set by
 * set, built from the same code lists and constants. A test holds each to `reportFlags` on every demo report.
 * `r` is the reports row and `s` its subject: pass the aliases the query uses.
 */
const childBands = ageBands.codes.filter((band) => band.child).map((band) => band.value)
const driveStunLevels: CedLevel[] = ['drive_stun', 'angle_drive_stun']

/**
 * A report with a CED use (`cu`) matching a condition. The matching reports are gathered once (CED uses are few)
 * rather than looked up per report, so counting over every report stays one scan whatever the planner estimates.
 */
const cedUseIn = (r: string, condition: RawBuilder<boolean>) =>
  sql<boolean>`(${sql.ref(`${r}.id`)} = any(array(select cu.report_id from report_ced_uses cu where ${condition})))`

export const reportFlagSql = {
  cedDischarge: (r: string) => cedDischarged(r),
  child: (s: string) => sql<boolean>`(${sql.ref(`${s}.age_band`)} in (${sql.join(childBands)}))`,
  subjectInjured: (r: string) => sql<boolean>`(${sql.ref(`${r}.subject_injured`)} = 'yes')`,
  prolongedDischarge: (r: string) => cedUseIn(r, sql`cu.longest_cycle_seconds > ${LONG_CYCLE_SECONDS}`),
  /** Not one of reportFlags: any CED use in drive-stun or angled drive-stun. */
  driveStun: (r: string) => cedUseIn(r, sql`cu.levels && array[${sql.join(driveStunLevels)}]::text[]`),
  /** The officer recorded being assaulted by the person (with a weapon or not: the rules make that imply this). */
  officerAssaulted: (r: string) => sql<boolean>`${sql.ref(`${r}.assaulted_by_subject`)}`,
  /** Death or serious injury (a fatality outcome, or the person's injury recorded as severe or death). */
  mandatoryReferral: (r: string) =>
    sql<boolean>`(${'fatality' satisfies Outcome} = any(${sql.ref(`${r}.outcomes`)}) or ${sql.ref(
      `${r}.subject_injury_level`,
    )} in (${sql.join([...SERIOUS_INJURY_LEVELS])}))`,
  officerInjured: (r: string) => sql<boolean>`(${sql.ref(`${r}.officer_injured`)} = 'yes')`,
}
