import { sql, type RawBuilder } from 'kysely'
import { cedLevels, isDischarge } from '../domain/use-of-force/ced.js'
import { tactics } from '../domain/use-of-force/tactics.js'

/**
 * The Home Office rule for counting CED (domain reference 1.4), per report, as SQL over a `reports` row: a CED *use*
 * is a report recording the CED tactic, at a level or with none stated (the HO's "Not stated", part of its CED
 * total); a *discharge* is a report whose highest level (`ced_highest_level`, derived when the report is written) is
 * in the discharge group (drive-stun, fired, angled drive-stun). Every count of CED uses and discharges outside the
 * statistics engine reads these two (the engine's tactic rows say the same with the same mask and levels).
 */
export const dischargeLevels = cedLevels.codes.map((code) => code.value).filter(isDischarge)

const cedTactic = tactics.toMask(['ced'])

/** True for a report that records the CED tactic. `reports` is the alias of the reports row, e.g. 'r'. */
export function cedUsed(reports: string): RawBuilder<boolean> {
  return sql<boolean>`((${sql.ref(`${reports}.tactic_mask`)} & ${sql.lit(cedTactic)}) <> 0)`
}

/** True for a report whose highest CED level is a discharge. `reports` is the alias of the reports row. */
export function cedDischarged(reports: string): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(`${reports}.ced_highest_level`)} in (${sql.join(dischargeLevels)}))`
}
