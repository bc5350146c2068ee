import type { Db } from '../../db/database.js'
import { hasPermission } from '../auth/policy.js'
import type { HomePanel } from '../home/home.routes.js'
import { returnedReports, reviewQueue } from './review.service.js'

/**
 * The home page's review reminders: for a reviewer, how many reports wait for them; for an officer, their reports
 * returned for correction.
 */
export function reviewPanel({ db }: { db: Db }): HomePanel {
  return async (principal) => {
    const reviews = principal.roles.includes('supervisor') && hasPermission(principal, 'reports.review')
    const records = hasPermission(principal, 'reports.create')
    if (!reviews && !records) return null
    const [queue, returned] = await Promise.all([
      reviews ? reviewQueue(db, principal) : null,
      records ? returnedReports(db, principal) : [],
    ])
    const waiting = queue ? queue.reports.filter((r) => !r.own).length : null
    if (!waiting && returned.length === 0) return null
    return {
      template: 'review/views/home-panel.njk',
      context: { waiting, returned: returned.map((r) => ({ id: r.id, reference: r.reference })) },
    }
  }
}
