import type { Clock } from '../../clock.js'
import { londonDate } from '../../domain/calendar.js'
import { defaultMethod } from '../../domain/disclosure/disclosure.js'
import type { StatTable } from '../../domain/statistics/stat-table.js'
import { prepare, publish, type TableSource } from '../../features/transparency/publications.service.js'
import { endedQuarters } from '../../features/transparency/quarters.js'
import { homeOfficeTables } from '../../features/transparency/table-source.js'
import type { Db } from '../database.js'

/** The Home Office tables first published: 1 to 13, before tables 14 to 17 could be protected in good time. */
const FIRST_PUBLISHED = 13

export const DEMO_REVISION_NOTE =
  'Tables 14 to 17 added: each tactic by basic command unit and by age, gender, ethnicity and health condition. ' +
  'No figure of tables 1 to 13 changed.'

/**
 * The demo force's public page starts with one published quarter, the one before the last that ended (the last is
 * left for the analyst to prepare and publish): version 1 with Home Office tables 1 to 13, as the force first
 * published, and version 2 adding tables 14 to 17, with its note. Both go through the real prepare and publish, so
 * the files, the audit entries and the list of changes are what an analyst's would be. The quarter is counted once
 * for both versions, which keeps the demo seed quick.
 */
export async function seedDemoPublications(db: Db, { forceId, clock }: { forceId: string; clock: Clock }) {
  const quarter = endedQuarters(londonDate(clock()), 2)[1]
  if (!quarter) return
  const analyst = await db
    .selectFrom('users')
    .select('id')
    .where('force_id', '=', forceId)
    .where('username', '=', 'analyst')
    .executeTakeFirstOrThrow()
  const actor = { userId: analyst.id, label: 'analyst' }
  let counted: Promise<StatTable[]> | undefined
  const quarterTables: TableSource = (...args) => (counted ??= homeOfficeTables(...args))
  const firstTables: TableSource = async (...args) => (await quarterTables(...args)).slice(0, FIRST_PUBLISHED)
  const publicationId = await prepare({ db, clock, tables: firstTables }, actor, forceId, quarter, defaultMethod)
  await publish({ db, clock, tables: firstTables }, actor, forceId, publicationId, '')
  await prepare({ db, clock, tables: quarterTables }, actor, forceId, quarter, defaultMethod)
  await publish({ db, clock, tables: quarterTables }, actor, forceId, publicationId, DEMO_REVISION_NOTE)
}
