import { tableSet } from '../statistics/tables.js'
import type { TableSource } from './publications.service.js'

/**
 * What a quarterly publication publishes: the force's Home Office tables 1 to 13 for the quarter, from the counting
 * engine. Tables 14 to 17 (each tactic by basic command unit and by age, gender, ethnicity or health) are left to
 * the annual return: over one quarter nearly all of their cells are small, so disclosure control hides most of them,
 * and proving that no hidden cell can be worked out across their hundreds of sums takes about a minute per table.
 */
const AREA_BY_CHARACTERISTIC = new Set(['table-14', 'table-15', 'table-16', 'table-17'])

export const homeOfficeTables: TableSource = async (db, { forceId, period }) =>
  (await tableSet(db, { scope: { kind: 'force', forceId }, period })).filter((t) => !AREA_BY_CHARACTERISTIC.has(t.id))
