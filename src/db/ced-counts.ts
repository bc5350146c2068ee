import { sql, type RawBuilder } from 'kysely'
import { cedLevels, isDischarge } from '../domain/use-of-force/ced.js'

/**
 * The Home Office rule for counting CED (domain reference 1.4), per report, as SQL over `reports.ced_highest_level`
 * (the highest level across the report's CED uses, derived when the report is written): a CED *use* is any level
 * recorded; a *discharge* is a highest level in the discharge group (drive-stun, fired, angled drive-stun). Every
 * count of CED uses and discharges reads these two, so the rule lives in one place.
 */
export const dischargeLevels = cedLevels.codes.map((code) => code.value).filter(isDischarge)

/** True for a report that records any CED level. `column` names `ced_highest_level`, e.g. 'r.ced_highest_level'. */
export function cedUsed(column: string): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(column)} is not null)`
}

/** True for a report whose highest CED level is a discharge. */
export function cedDischarged(column: string): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(column)} in (${sql.join(dischargeLevels)}))`
}
