import type { Clock } from '../../../clock.js'
import type { Db } from '../../../db/database.js'
import { hasPermission, scopeFilter } from '../../auth/policy.js'
import type { HomePanel } from '../../home/home.routes.js'
import { ageText, overdueDrafts } from './drafts.service.js'

/**
 * The home page's reminder of overdue drafts: an officer's own, and for a supervisor their team's, each with the
 * officer's name and how long ago the draft was started.
 */
export function overdueDraftsPanel({ db, clock }: { db: Db; clock: Clock }): HomePanel {
  return async (principal) => {
    const own = hasPermission(principal, 'reports.create')
    const supervises = principal.roles.includes('supervisor')
    if (!own && !supervises) return null
    const now = clock()
    const [mine, team] = await Promise.all([
      own ? overdueDrafts(db, scopeFilter(principal, 'reports.create'), now) : null,
      supervises ? overdueDrafts(db, scopeFilter(principal, 'reports.view'), now) : null,
    ])
    return {
      template: 'reports/form/views/home-overdue.njk',
      context: {
        mine: mine && { count: mine.drafts.length, deadlineHours: mine.deadlineHours },
        team: team && {
          count: team.drafts.length,
          deadlineHours: team.deadlineHours,
          drafts: team.drafts.map((d) => ({
            officer: d.ownerName,
            age: ageText(d.ageMinutes),
            startedAt: d.startedAt,
          })),
        },
      },
    }
  }
}
