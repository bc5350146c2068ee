import { sql, type RawBuilder } from 'kysely'
import type { ScopeFilter } from '../features/auth/policy.js'

/** The units at or below a unit: the set a team or unit scope covers. */
export function subtreeOf(unitId: string) {
  return sql<{ id: string }>`(
    with recursive down as (
      select id from org_units where id = ${unitId}
      union all
      select o.id from org_units o join down on o.parent_id = down.id)
    select id from down)`
}

/** A column such as 'r.force_id', or an expression when the value is worked out (e.g. a `coalesce`). */
type Column = string | RawBuilder<unknown>

export interface ScopeColumns {
  /** The row's force. */
  force: Column
  /** The unit a team or unit scope is judged by; null when the rows have none, so such a scope covers no row. */
  unit: Column | null
  /** The person an own scope is judged by; null when the rows belong to nobody, so such a scope covers no row. */
  person: Column | null
}

/**
 * The SQL condition that keeps a list to a reader's scope (from `scopeFilter`): rows of their force, then only those
 * whose unit is at or below the scope's unit, or whose person is the reader. The one place a scope becomes SQL, so
 * every list applies the same rule as `canActOn` does to a single record.
 */
export function scopeCondition(scope: ScopeFilter, columns: ScopeColumns): RawBuilder<boolean> {
  if (scope.kind === 'none') return sql<boolean>`false`
  const inForce = sql<boolean>`${ref(columns.force)} = ${scope.forceId}`
  if (scope.kind === 'force') return inForce
  if (scope.kind === 'subtree') {
    return columns.unit === null
      ? sql<boolean>`false`
      : sql<boolean>`(${inForce} and ${ref(columns.unit)} in ${subtreeOf(scope.unitId)})`
  }
  return columns.person === null
    ? sql<boolean>`false`
    : sql<boolean>`(${inForce} and ${ref(columns.person)} = ${scope.personId})`
}

function ref(column: Column) {
  return typeof column === 'string' ? sql.ref(column) : column
}
