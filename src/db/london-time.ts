import { sql, type RawBuilder } from 'kysely'

/**
 * Calendar months in London time, as SQL. Times are stored as UTC instants; every monthly figure (statistics,
 * dashboards, publications) counts a report in the London month it happened in, so the boundaries are London
 * midnights (BST or GMT as the date falls), never UTC ones.
 */

/** The first instant of a London month 'YYYY-MM', as a timestamptz. */
export function londonMonthStart(month: string): RawBuilder<Date> {
  return sql<Date>`((${`${month}-01`}::date)::timestamp at time zone 'Europe/London')`
}

/** The first instant after a London month 'YYYY-MM' (the next month's start), as a timestamptz. */
export function londonMonthEnd(month: string): RawBuilder<Date> {
  return sql<Date>`(((${`${month}-01`}::date) + interval '1 month')::timestamp at time zone 'Europe/London')`
}

/** The London month 'YYYY-MM' of a timestamptz column, e.g. londonMonthOf('r.occurred_at'). */
export function londonMonthOf(column: string): RawBuilder<string> {
  return sql<string>`to_char(${sql.ref(column)} at time zone 'Europe/London', 'YYYY-MM')`
}
