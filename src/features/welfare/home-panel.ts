import type { Db } from '../../db/database.js'
import { hasPermission, scopeFilter } from '../auth/policy.js'
import type { HomePanel } from '../home/home.routes.js'
import { listFollowUps } from './welfare.repository.js'

/** The home page's count of open welfare follow-ups: the officer's own, the team's, or the force's. */
export function welfarePanel({ db }: { db: Db }): HomePanel {
  return async (principal) => {
    if (!hasPermission(principal, 'welfare.view')) return null
    const scope = scopeFilter(principal, 'welfare.view')
    const { total } = await listFollowUps(db, scope, { status: 'open', page: 1, pageSize: 1 })
    if (scope.kind === 'own' && total === 0) return null
    return { template: 'welfare/views/home-panel.njk', context: { open: total, scope: scope.kind } }
  }
}
