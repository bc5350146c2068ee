import type { ColumnType } from 'kysely'

/** Table types for data-sharing extracts (migration 2026-11-22-13). */

export interface DataSharingKeysTable {
  force_id: string
  agreement: string
  /** 32 random bytes; Buffer on PostgreSQL, Uint8Array on PGlite. */
  secret: ColumnType<Uint8Array, Uint8Array, never>
  created_at: ColumnType<Date, Date, never>
}

export interface DataSharingTables {
  data_sharing_keys: DataSharingKeysTable
}
