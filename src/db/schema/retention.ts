/** Table types for retention periods (migration 2026-11-22-15). */

export interface RetentionPoliciesTable {
  force_id: string
  record_type: string
  keep_days: number
  updated_at: Date
  updated_by: string | null
}

export interface RetentionTables {
  retention_policies: RetentionPoliciesTable
}
