import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Clock } from '../../clock.js'
import { systemActor } from '../../features/audit/ledger.js'
import { importComparatorFile } from '../../features/comparators/comparators.service.js'
import { refreshRollups } from '../../features/rollups/rollups.js'
import type { Db } from '../database.js'

/**
 * The demo force compares itself with Bedfordshire: 1,164 officers (FTE, March 2019) against the demo force's
 * 1,030 regular and student officers, towns and a rural west like the demo's basic command units, and a mixed
 * population (2011: 77% White, 13% Asian, 5% Black), so the disproportionality page has something to show.
 */
export const DEMO_COMPARATOR_AREA = 'Bedfordshire'

/** The published files the demo imports from ../shared/data when it is there (it is reference data, never copied). */
const censusAndWorkforce = ['census2011-police-ethnicity-groups-by-force-area.csv', 'police-workforce-fte-by-force.csv']
const homeOfficeWorkbooks = ['ho-use-of-force-2017-18.ods', 'ho-use-of-force-2018-19.ods']

/**
 * Runs after the demo force's transaction (the importer opens its own): the comparison area, the census and
 * workforce figures and, outside the unit suite, the Home Office workbooks, then builds the rollups so the first
 * dashboard opens at once. The unit suite's snapshot leaves the workbooks out because the comparator tests import
 * them into it and check a first import.
 */
export async function seedDemoDashboards(db: Db, { forceId, clock }: { forceId: string; clock: Clock }) {
  await db
    .insertInto('dashboard_settings')
    .values({ force_id: forceId, comparator_area: DEMO_COMPARATOR_AREA, updated_at: clock() })
    .onConflict((oc) => oc.column('force_id').doNothing())
    .execute()
  const files = [...censusAndWorkforce, ...(process.env.NODE_ENV === 'test' ? [] : homeOfficeWorkbooks)]
  for (const name of files) {
    const path = resolve(process.cwd(), '../shared/data', name)
    if (existsSync(path))
      await importComparatorFile({ db, clock }, systemActor, { fileName: name, bytes: readFileSync(path) })
  }
  await refreshRollups(db, forceId)
}
