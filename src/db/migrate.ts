import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely/migration'
import type { Db } from './database.js'
import { foundation } from './migrations/2026-11-22-01-foundation.js'
import { reports } from './migrations/2026-11-22-02-reports.js'
import { taserTrainingDevices } from './migrations/2026-11-22-03-taser-training-devices.js'
import { authorisations } from './migrations/2026-11-22-04-authorisations.js'
import { deviceLogs } from './migrations/2026-11-22-05-device-logs.js'
import { submissionPath } from './migrations/2026-11-22-06-submission-path.js'
import { comparators } from './migrations/2026-11-22-07-comparators.js'
import { earlyInterventionWelfare } from './migrations/2026-11-22-09-early-intervention-welfare.js'
import { reviews } from './migrations/2026-11-22-08-reviews.js'
import { scrutiny } from './migrations/2026-11-22-10-scrutiny.js'
import { dashboardRollup } from './migrations/2026-11-22-11-dashboard-rollup.js'
import { dataSharing } from './migrations/2026-11-22-13-data-sharing.js'
import { statistics } from './migrations/2026-11-22-14-statistics.js'
import { publications } from './migrations/2026-11-22-12-publications.js'
import { retention } from './migrations/2026-11-22-15-retention.js'
import { sso } from './migrations/2026-11-22-16-sso.js'
import { publicationJobs } from './migrations/2026-11-22-17-publication-jobs.js'
import { statisticsRollup } from './migrations/2026-11-22-18-statistics-rollup.js'
import { reportStatisticsView } from './migrations/2026-11-22-19-report-statistics-view.js'

/**
 * Migrations in the order they run. Listed here rather than read from the folder so the same list works under
 * tsx, in tests and in a bundled build. Names are timestamped; never rename or edit one that has shipped.
 */
const migrations: Record<string, Migration> = {
  '2026-11-22-01-foundation': foundation,
  '2026-11-22-02-reports': reports,
  '2026-11-22-03-taser-training-devices': taserTrainingDevices,
  '2026-11-22-04-authorisations': authorisations,
  '2026-11-22-05-device-logs': deviceLogs,
  '2026-11-22-06-submission-path': submissionPath,
  '2026-11-22-07-comparators': comparators,
  '2026-11-22-08-reviews': reviews,
  '2026-11-22-09-early-intervention-welfare': earlyInterventionWelfare,
  '2026-11-22-10-scrutiny': scrutiny,
  '2026-11-22-11-dashboard-rollup': dashboardRollup,
  '2026-11-22-13-data-sharing': dataSharing,
  '2026-11-22-14-statistics': statistics,
  '2026-11-22-12-publications': publications,
  '2026-11-22-15-retention': retention,
  '2026-11-22-16-sso': sso,
  '2026-11-22-17-publication-jobs': publicationJobs,
  '2026-11-22-18-statistics-rollup': statisticsRollup,
  '2026-11-22-19-report-statistics-view': reportStatisticsView,
}

const provider: MigrationProvider = { getMigrations: async () => migrations }

/**
 * A migration numbered below one already applied still runs (branches land in any order, and each migration here
 * stands on its own); without this Kysely refuses to start on such a database.
 */
const migrator = (db: Db) => new Migrator({ db, provider, allowUnorderedMigrations: true })

export async function migrateToLatest(db: Db): Promise<MigrationResultSet> {
  const result = await migrator(db).migrateToLatest()
  if (result.error) throw result.error
  return result
}

export async function migrateDown(db: Db): Promise<MigrationResultSet> {
  const result = await migrator(db).migrateDown()
  if (result.error) throw result.error
  return result
}
