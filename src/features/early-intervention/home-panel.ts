import type { Db } from '../../db/database.js'
import { hasPermission, scopeFilter } from '../auth/policy.js'
import type { HomePanel } from '../home/home.routes.js'
import { openFlagCount } from './early-intervention.repository.js'

/** The home page's count of open early-intervention flags: the team's for a supervisor, the force's for PSD. */
export function earlyInterventionPanel({ db }: { db: Db }): HomePanel {
  return async (principal) => {
    if (!hasPermission(principal, 'early-intervention.view')) return null
    const scope = scopeFilter(principal, 'early-intervention.view')
    return {
      template: 'early-intervention/views/home-panel.njk',
      context: { open: await openFlagCount(db, scope), force: scope.kind === 'force' },
    }
  }
}
