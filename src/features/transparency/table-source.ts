import { tableSet } from '../statistics/tables.js'
import type { TableSource } from './publications.service.js'

/** What a publication publishes: the force's Home Office table set for the quarter, from the counting engine. */
export const homeOfficeTables: TableSource = (db, { forceId, period }) =>
  tableSet(db, { scope: { kind: 'force', forceId }, period })
