import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import { addDays, londonDate } from '../../domain/calendar.js'
import { scopeFilter, scopeOf } from '../auth/policy.js'
import type { HomePanel } from '../home/home.routes.js'
import { cedAuthorityAsAt } from './authority.repository.js'
import { modelLabel, reasonsText } from './authority-text.js'

/**
 * The home page's Taser authority panel: an officer's own authority (until when, or why not); for a supervisor or
 * the Taser lead, how many in their scope lapse in the next 30 days or may not carry.
 */
export function taserAuthorityPanel({ db, clock }: { db: Db; clock: Clock }): HomePanel {
  return async (principal) => {
    const scope = scopeOf(principal, 'training.view')
    if (scope === null || (scope === 'force' && !principal.roles.includes('taser_lead'))) return null
    const today = londonDate(clock())
    const people = await cedAuthorityAsAt(db, {
      forceId: principal.forceId,
      asAt: today,
      scope: scopeFilter(principal, 'training.view'),
    })
    if (scope === 'own') {
      const me = people[0]
      if (!me) return null
      const authorised = me.authority.models.filter((m) => m.authorised)
      return {
        template: 'training/views/home-panel.njk',
        context: {
          own: {
            authorised: authorised.map((m) => ({ model: modelLabel(m.model), until: m.authorisedUntil })),
            reasons: authorised.length
              ? []
              : me.authority.models.filter((m) => m.qualifiedOn !== null).flatMap((m) => reasonsText(m)),
            personId: me.personId,
          },
        },
      }
    }
    const inForce = people.filter((p) => !p.input.leftOn)
    const soon = addDays(today, 30)
    return {
      template: 'training/views/home-panel.njk',
      context: {
        scope: {
          lapsing: inForce.filter((p) =>
            p.authority.models.some((m) => m.authorised && m.lapsesOn !== null && m.lapsesOn <= soon),
          ).length,
          notAuthorised: inForce.filter(
            (p) => p.authority.authorisedModels.length === 0 && p.authority.models.some((m) => m.qualifiedOn !== null),
          ).length,
        },
      },
    }
  }
}
