import type { ColumnType, Generated } from 'kysely'
import type { DisclosureMethod } from '../../domain/disclosure/disclosure.js'
import type { PublishedValue } from '../../domain/disclosure/stat-table.js'
import type { StatTable } from '../../domain/statistics/stat-table.js'

/** Table types for transparency publications (migration 2026-11-22-12-publications). */

type Timestamp = ColumnType<Date, Date | string, Date | string>
type Json<T> = ColumnType<T, string, string>

export type PublishedTable = StatTable<PublishedValue>

/** One cell that differs between a version and the one before it (text as a reader saw it; null: not in it). */
export interface CellChange {
  table: string
  tableTitle: string
  row: string
  column: string
  before: string | null
  after: string | null
}

export interface PublicationsTable {
  id: Generated<string>
  force_id: string
  period_from: string
  period_to: string
  created_at: Timestamp
}

export interface PublicationDraftsTable {
  publication_id: string
  method: Json<DisclosureMethod>
  tables: Json<PublishedTable[]>
  /** The record-level open data file as it will be published (see open-data.ts). */
  open_data_csv: string
  data_as_at: Timestamp
  prepared_by_user_id: string | null
  prepared_at: Timestamp
}

export interface PublicationVersionsTable {
  publication_id: string
  version: number
  method: Json<DisclosureMethod>
  method_statement: string
  tables: Json<PublishedTable[]>
  data_as_at: Timestamp
  published_by_user_id: string | null
  published_at: Timestamp
  revision_note: string | null
  changes: Json<CellChange[]>
}

export interface PublicationFilesTable {
  publication_id: string
  version: number
  name: string
  media_type: string
  bytes: Uint8Array
  sha256: string
}

/** A request to prepare a quarter, run as a job (migration 2026-11-22-17-publication-jobs). */
export interface PublicationJobsTable {
  id: Generated<string>
  force_id: string
  period_from: string
  period_to: string
  method: Json<DisclosureMethod>
  requested_by_user_id: string | null
  requested_at: Timestamp
  status: 'queued' | 'running' | 'ready' | 'failed'
  attempts: ColumnType<number, number | undefined, number>
  started_at: Timestamp | null
  finished_at: Timestamp | null
  error: string | null
  publication_id: string | null
}

/** The downloads of a draft, written when it is prepared and copied into publication_files when it is published. */
export interface PublicationDraftFilesTable {
  publication_id: string
  name: string
  media_type: string
  bytes: Uint8Array
  sha256: string
}

export interface TransparencyTables {
  publications: PublicationsTable
  publication_drafts: PublicationDraftsTable
  publication_versions: PublicationVersionsTable
  publication_files: PublicationFilesTable
  publication_jobs: PublicationJobsTable
  publication_draft_files: PublicationDraftFilesTable
}
