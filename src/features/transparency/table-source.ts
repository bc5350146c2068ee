import { tableSet } from '../statistics/tables.js'
import type { TableSource } from './publications.service.js'

/**
 * What a quarterly publication publishes: the force's whole Home Office table set for the quarter, tables 1 to 17,
 * from the counting engine. Over one quarter most cells of tables 14 to 17 (each tactic by basic command unit and by
 * age, gender, ethnicity or health) are small, so disclosure control hides many of them; what it shows is still
 * safe to show, and the table is the one the Home Office asks for.
 */
export const homeOfficeTables: TableSource = (db, { forceId, period }) =>
  tableSet(db, { scope: { kind: 'force', forceId }, period })
