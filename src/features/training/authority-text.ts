import { describeReason, type ModelAuthority } from '../../domain/taser/authority.js'
import { longDate } from '../../domain/calendar.js'
import { cedDeviceModels } from '../../domain/use-of-force/ced.js'
import { employmentStatuses, rankAbbreviation, type Rank } from '../../domain/workforce.js'

/** Authority in words, for the Taser pages and the home page panel. */

export const modelLabel = (model: string): string => cedDeviceModels.byValue(model)?.label ?? model

export const statusLabel = (status: string): string =>
  employmentStatuses.find((s) => s.value === status)?.label ?? status

export function personName(p: { givenName: string; familyName: string; rank: string | null }): string {
  return `${p.rank ? `${rankAbbreviation(p.rank as Rank)} ` : ''}${p.givenName} ${p.familyName}`
}

/** The reasons an officer may not carry a model, one sentence each. */
export function reasonsText(model: ModelAuthority): string[] {
  return model.reasons.map((r) => describeReason(r, longDate))
}
