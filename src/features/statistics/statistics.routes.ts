import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import type { StatTable } from '../../domain/statistics/stat-table.js'
import { londonDate } from '../../domain/calendar.js'
import {
  asNumber,
  CSV_MEDIA_TYPE,
  ODS_MEDIA_TYPE,
  tablesToCsv,
  tablesToOds,
  tableToCsv,
} from '../../lib/spreadsheets/index.js'
import { actorOf, principalOf } from '../../web/access.js'
import { HttpError } from '../../web/errors.js'
import { errorContext } from '../../web/render.js'
import { annualReturnCsv, exportAnnualReturn, validateAnnualReturn } from './annual-return.js'
import {
  financialYearOf,
  monthChoices,
  monthLabel,
  parseFilter,
  periodLabel,
  periodShortcuts,
  unitChoices,
  type StatisticsFilter,
} from './filters.js'
import { tableSet } from './tables.js'

const thisMonthOf = (clock: Clock) => londonDate(clock()).slice(0, 7)

/** The query string of a filter, for links that keep it. */
function filterQuery(filter: StatisticsFilter): string {
  const params = new URLSearchParams({ from: filter.period.from, to: filter.period.to })
  if (filter.unitId) params.set('unit', filter.unitId)
  return params.toString()
}

/** The table as the page shows it: header rows (column groups), and each row's cells with the label indented. */
function tableView(table: StatTable) {
  const groups: { label: string; span: number }[] = []
  for (const column of table.columns) {
    const last = groups.at(-1)
    const label = column.group ?? ''
    if (last && last.label === label) last.span++
    else groups.push({ label, span: 1 })
  }
  return {
    ...table,
    number: table.id.replace('table-', ''),
    groups: groups.some((g) => g.label !== '') ? groups : [],
  }
}

const tableParams = z.object({ number: z.coerce.number().int().min(1).max(17) })
const yearQuery = z.object({ year: z.coerce.number().int().min(2017).max(2100).optional().catch(undefined) })

/**
 * The Home Office table set for the force (tables 1 to 17) for any period and unit, as pages and downloads, and the
 * annual data return with its validation report.
 */
export async function statisticsRoutes(app: FastifyInstance, { db, clock }: { db: Db; clock: Clock }) {
  async function filterOf(request: FastifyRequest) {
    const principal = principalOf(request)
    const thisMonth = thisMonthOf(clock)
    const parsed = await parseFilter(db, principal.forceId, request.query, thisMonth)
    return { ...parsed, principal, thisMonth }
  }

  async function tablesFor(forceId: string, filter: StatisticsFilter) {
    return tableSet(db, { scope: { kind: 'force', forceId, unitId: filter.unitId }, period: filter.period })
  }

  async function describe(forceId: string, filter: StatisticsFilter) {
    if (!filter.unitId) return 'the whole force'
    const unit = await db.selectFrom('org_units').select('name').where('id', '=', filter.unitId).executeTakeFirst()
    return unit?.name ?? 'the whole force'
  }

  app.get('/statistics', { config: { access: 'statistics.view' } }, async (request, reply) => {
    const { filter, errors, typed, principal, thisMonth } = await filterOf(request)
    const tables = await tablesFor(principal.forceId, filter)
    const units = await unitChoices(db, principal.forceId)
    const query = filterQuery(filter)
    const months = monthChoices(thisMonth)
    const select = (chosen: string) => months.map((m) => ({ value: m, text: monthLabel(m), selected: m === chosen }))
    return reply.render('statistics/views/index.njk', {
      pageTitle: 'Home Office statistics',
      period: periodLabel(filter.period),
      scopeName: await describe(principal.forceId, filter),
      fromItems: select(errors.length ? (typed.from ?? '') : filter.period.from),
      toItems: select(errors.length ? (typed.to ?? '') : filter.period.to),
      unitItems: [
        { value: '', text: 'The whole force', selected: !filter.unitId },
        ...units.map((u) => ({
          value: u.id,
          text: `${'– '.repeat(u.depth)}${u.name}`,
          selected: u.id === filter.unitId,
        })),
      ],
      shortcuts: periodShortcuts(thisMonth).map((s) => ({
        label: s.label,
        href: `/statistics?${filterQuery({ period: s.period, unitId: filter.unitId })}`,
      })),
      tables: tables.map((t) => ({ id: t.id, title: t.title, number: t.id.replace('table-', '') })),
      reports: tables[0]?.rows[0]?.values[1] ?? 0,
      query,
      ...errorContext(errors),
    })
  })

  app.get('/statistics/tables/:number', { config: { access: 'statistics.view' } }, async (request, reply) => {
    const params = tableParams.safeParse(request.params)
    if (!params.success) throw new HttpError(404, 'Page not found')
    const { filter, principal } = await filterOf(request)
    const tables = await tablesFor(principal.forceId, filter)
    const table = tables[params.data.number - 1]
    if (!table) throw new HttpError(404, 'Page not found')
    return reply.render('statistics/views/table.njk', {
      pageTitle: table.title,
      table: tableView(table),
      period: periodLabel(filter.period),
      scopeName: await describe(principal.forceId, filter),
      query: filterQuery(filter),
    })
  })

  const download = (reply: FastifyReply, name: string, type: string, body: string | Uint8Array) =>
    reply
      .header('content-type', type)
      .header('content-disposition', `attachment; filename="${name}"`)
      .send(typeof body === 'string' ? body : Buffer.from(body))

  const fileStem = (filter: StatisticsFilter) => `use-of-force-${filter.period.from}-to-${filter.period.to}`

  app.get('/statistics/tables.ods', { config: { access: 'statistics.view' } }, async (request, reply) => {
    const { filter, principal } = await filterOf(request)
    const tables = await tablesFor(principal.forceId, filter)
    return download(reply, `${fileStem(filter)}.ods`, ODS_MEDIA_TYPE, tablesToOds(tables, asNumber))
  })

  app.get('/statistics/tables.csv', { config: { access: 'statistics.view' } }, async (request, reply) => {
    const { filter, principal } = await filterOf(request)
    const tables = await tablesFor(principal.forceId, filter)
    return download(reply, `${fileStem(filter)}.csv`, CSV_MEDIA_TYPE, tablesToCsv(tables, asNumber))
  })

  app.get('/statistics/tables/:number.csv', { config: { access: 'statistics.view' } }, async (request, reply) => {
    const params = tableParams.safeParse(request.params)
    if (!params.success) throw new HttpError(404, 'Page not found')
    const { filter, principal } = await filterOf(request)
    const table = (await tablesFor(principal.forceId, filter))[params.data.number - 1]
    if (!table) throw new HttpError(404, 'Page not found')
    return download(reply, `${fileStem(filter)}-${table.id}.csv`, CSV_MEDIA_TYPE, tableToCsv(table, asNumber))
  })

  // --- The annual data return ----------------------------------------------------------------------------------

  const returnYearOf = (request: FastifyRequest) => {
    const thisMonth = thisMonthOf(clock)
    // The latest financial year that has ended.
    const latest = financialYearOf(thisMonth) - 1
    const year = yearQuery.parse(request.query).year ?? latest
    if (year > latest) throw new HttpError(404, 'Page not found')
    return { year, latest }
  }

  app.get('/statistics/annual-return', { config: { access: 'statistics.view' } }, async (request, reply) => {
    const principal = principalOf(request)
    const { year, latest } = returnYearOf(request)
    const validation = await validateAnnualReturn(db, principal.forceId, year)
    return reply.render('statistics/views/annual-return.njk', {
      pageTitle: 'Annual data return',
      year,
      yearLabel: `${year} to ${year + 1}`,
      years: [latest, latest - 1, latest - 2].map((y) => ({
        value: y,
        text: `April ${y} to March ${y + 1}`,
        selected: y === year,
      })),
      validation,
    })
  })

  app.get('/statistics/annual-return.csv', { config: { access: 'statistics.view' } }, async (request, reply) => {
    const principal = principalOf(request)
    const { year } = returnYearOf(request)
    const rows = await exportAnnualReturn({ db, clock }, actorOf(request), principal.forceId, year)
    return download(
      reply,
      `annual-data-return-${year}-${String((year + 1) % 100).padStart(2, '0')}.csv`,
      CSV_MEDIA_TYPE,
      annualReturnCsv(rows),
    )
  })
}
