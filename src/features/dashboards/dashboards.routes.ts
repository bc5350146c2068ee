import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import { MONTH_PATTERN, monthsOf, type Period } from '../../domain/statistics/period.js'
import { formatMonth, londonDate, shiftMonth } from '../../domain/calendar.js'
import { cedLevels } from '../../domain/use-of-force/ced.js'
import { ageBands, healthConditions, perceivedEthnicities } from '../../domain/use-of-force/subject.js'
import { actorOf, principalOf } from '../../web/access.js'
import { HttpError } from '../../web/errors.js'
import { parseForm } from '../../web/forms.js'
import { errorContext, type FieldError } from '../../web/render.js'
import { funnelStages, loadFunnel } from '../authorisations/funnel.js'
import { hasPermission, scopeOf } from '../auth/policy.js'
import { barChart, lineChart } from './charts.js'
import { forceAreas } from '../comparators/police-force-areas.js'
import { comparisonSettings, loadComparisons, MAX_SIMILAR_AREAS, saveComparisonSettings } from './comparisons.js'
import { dashboardFigures, loadDisproportionality, resolveScope, type Breakdown } from './dashboards.service.js'
import type { Counts } from './rollup.js'
import { CED_NOT_STATED } from './rollup-bucket.js'

const MAX_MONTHS = 60

const filterQuery = z.object({
  from: z.string().regex(MONTH_PATTERN).optional().catch(undefined),
  to: z.string().regex(MONTH_PATTERN).optional().catch(undefined),
  unit: z.uuid().optional().catch(undefined),
})

const areaNames: readonly string[] = forceAreas

const settingsForm = z
  .object({
    comparatorArea: z
      .string({ error: 'Select the police force area to compare with' })
      .refine((a) => areaNames.includes(a), 'Select the police force area to compare with'),
    similarAreas: z
      .array(z.string())
      .refine((list) => list.every((a) => areaNames.includes(a)), 'Select similar forces from the list')
      .refine((list) => list.length <= MAX_SIMILAR_AREAS, `Select ${MAX_SIMILAR_AREAS} similar forces or fewer`),
  })
  .refine((form) => !form.similarAreas.includes(form.comparatorArea), {
    path: ['similarAreas'],
    message: 'A force cannot be similar to itself: untick the area you compare with',
  })

/** Checkboxes send one value as a string, several as an array, none as nothing. */
const listOf = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : typeof value === 'string'
      ? [value]
      : []

const number = new Intl.NumberFormat('en-GB')
const oneDecimal = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 })
const twoDecimals = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
const percent = (share: number | null) => (share === null ? 'No reports' : `${Math.round(share * 100)}%`)
const rate = (value: number | null) => (value === null ? 'Not available' : twoDecimals.format(value))

/** Category labels from the code lists; areas are their own names. */
const labelOf: Record<Breakdown, (category: string) => string> = {
  ced_level: (c) => (cedLevels.has(c) ? cedLevels.byValue(c).label : c === CED_NOT_STATED ? 'Not stated' : c),
  ethnicity: (c) => (perceivedEthnicities.has(c) ? perceivedEthnicities.byValue(c).label : c),
  age_band: (c) => (ageBands.has(c) ? ageBands.byValue(c).label : c),
  health: (c) => (healthConditions.has(c) ? healthConditions.byValue(c).label : c),
  gender: (c) => c,
  area: (c) => c,
}

/** Code-list order for coded breakdowns (so age bands read youngest first); areas largest first. */
const orderOf: Partial<Record<Breakdown, readonly string[]>> = {
  ced_level: [...cedLevels.values, CED_NOT_STATED],
  ethnicity: perceivedEthnicities.values,
  age_band: ageBands.values,
  health: healthConditions.values,
}

/** The period asked for, or the last 12 complete months; months the other way round are swapped, as on the funnel. */
function periodFrom(query: z.infer<typeof filterQuery>, clock: Clock): Period {
  const thisMonth = londonDate(clock()).slice(0, 7)
  let to = query.to ?? shiftMonth(thisMonth, -1)
  let from = query.from ?? shiftMonth(to, -11)
  if (from > to) [from, to] = [to, from]
  if (monthsOf({ from, to }).length > MAX_MONTHS) from = shiftMonth(to, -(MAX_MONTHS - 1))
  return { from, to }
}

const periodText = (p: Period) =>
  p.from === p.to ? formatMonth(p.from) : `${formatMonth(p.from)} to ${formatMonth(p.to)}`

function monthItems(clock: Clock, selected: string) {
  const thisMonth = londonDate(clock()).slice(0, 7)
  const items = []
  for (let m = thisMonth, n = 0; n < MAX_MONTHS; m = shiftMonth(m, -1), n++)
    items.push({ value: m, text: formatMonth(m), selected: m === selected })
  return items
}

interface BreakdownView {
  key: Breakdown
  heading: string
  rows: { label: string; counts: Counts }[]
  chart: string
}

/**
 * The dashboards: `/dashboards` (trend, Taser level, funnel, who force was used on, where, assaults on officers and
 * injuries, comparators) and `/dashboards/disproportionality`. Every figure comes from the rollup, within the
 * reader's scope, decided on the server.
 */
export async function dashboardRoutes(app: FastifyInstance, { db, clock }: { db: Db; clock: Clock }) {
  async function load(request: FastifyRequest) {
    const query = filterQuery.parse(request.query)
    const principal = principalOf(request)
    const scope = await resolveScope(db, principal, query.unit ?? null)
    if (!scope) throw new HttpError(404, 'Page not found')
    const period = periodFrom(query, clock)
    const figures = await dashboardFigures(db, scope.rollup, period)
    return { principal, scope, period, figures }
  }

  app.get('/dashboards', { config: { access: 'dashboards.view' } }, async (request, reply) => {
    const { principal, scope, period, figures } = await load(request)
    const text = periodText(period)
    const whose = scope.unit ? scope.unit.name : 'the force'
    const months = figures.months.map((m) => ({ ...m, label: formatMonth(m.month) }))
    const breakdown = (key: Breakdown, heading: string): BreakdownView => {
      const order = orderOf[key]
      const rows = figures.breakdowns[key]
        .map((b) => ({ label: labelOf[key](b.category), counts: b.counts, rank: order?.indexOf(b.category) ?? 0 }))
        .sort((a, b) => a.rank - b.rank)
      return {
        key,
        heading,
        rows,
        chart: barChart(
          {
            id: `chart-${key.replace('_', '-')}`,
            title: `${heading}, ${text}`,
            description: `Use-of-force reports for ${whose}: ${rows.map((r) => `${r.label} ${number.format(r.counts.reports)}`).join(', ')}.`,
          },
          rows.map((r) => ({ label: r.label, value: r.counts.reports })),
        ),
      }
    }
    // Every level, in the Home Office order, zeros included: the chart shows what did not happen too.
    const cedRows = [...cedLevels.values, CED_NOT_STATED].map((level) => ({
      label: labelOf.ced_level(level),
      count: figures.breakdowns.ced_level.find((b) => b.category === level)?.counts.reports ?? 0,
    }))
    const funnel = scope.forceWide ? await loadFunnel(db, principal.forceId, period.from, period.to) : null
    const comparisons = scope.forceWide
      ? await loadComparisons(db, principal.forceId, {
          label: 'This force',
          periodText: text,
          totals: figures.totals,
          months: figures.months.length,
        })
      : null
    // Reports and Taser on separate charts: Taser is a few per cent of reports, flat on a shared scale.
    const trendSeries = [{ name: 'Use-of-force reports', values: months.map((m) => m.counts.reports) }]
    const taserSeries = [
      { name: 'Taser used', values: months.map((m) => m.counts.cedUsed) },
      { name: 'Taser discharged', values: months.map((m) => m.counts.cedDischarged) },
    ]
    const welfareSeries = [
      { name: 'Officer assaulted', values: months.map((m) => m.counts.officerAssaulted) },
      { name: 'Officer injured', values: months.map((m) => m.counts.officerInjured) },
      { name: 'Person injured', values: months.map((m) => m.counts.subjectInjured) },
    ]
    const describeSeries = (series: typeof trendSeries) =>
      series.map((s) => `${s.name}: ${s.values.map((v, i) => `${months[i]?.label} ${v}`).join(', ')}.`).join(' ')
    return reply.render('dashboards/views/dashboard.njk', {
      pageTitle: 'Dashboards',
      period: text,
      whose,
      scope,
      fromItems: monthItems(clock, period.from),
      toItems: monthItems(clock, period.to),
      unitItems: [
        ...(scopeOf(principal, 'dashboards.view') === 'force'
          ? [{ value: '', text: 'Whole force', selected: scope.unit === null }]
          : []),
        ...scope.units.map((u) => ({
          value: u.id,
          text: `${'– '.repeat(u.depth)}${u.name}`,
          selected: scope.unit?.id === u.id,
        })),
      ],
      totals: figures.totals,
      months,
      trendChart: lineChart(
        { id: 'chart-trend', title: `Use of force by month, ${text}`, description: describeSeries(trendSeries) },
        months.map((m) => m.month),
        trendSeries,
      ),
      taserTrendChart: lineChart(
        { id: 'chart-taser-trend', title: `Taser by month, ${text}`, description: describeSeries(taserSeries) },
        months.map((m) => m.month),
        taserSeries,
      ),
      cedRows,
      cedChart: barChart(
        {
          id: 'chart-ced-level',
          title: `Highest Taser use per report, ${text}`,
          description: `Reports by the highest level of Taser use: ${cedRows.map((r) => `${r.label} ${r.count}`).join(', ')}.`,
        },
        cedRows.map((r) => ({ label: r.label, value: r.count })),
      ),
      funnel: funnel && {
        ...funnel,
        stages: funnelStages(funnel),
        missing: funnel.monthsWithoutCounts.map(formatMonth),
        chart: barChart(
          {
            id: 'chart-funnel',
            title: `Deployment funnel, ${text}`,
            description: funnelStages(funnel)
              .map((s) => `${s.label} ${s.count}${s.percent ? ` (${s.percent} ${s.of})` : ''}`)
              .join(', '),
          },
          funnelStages(funnel).map((s) => ({ label: s.label, value: s.count })),
        ),
      },
      breakdowns: [
        breakdown('ethnicity', 'Perceived ethnicity'),
        breakdown('age_band', 'Perceived age'),
        breakdown('health', 'Perceived health condition'),
        breakdown('area', 'Area'),
      ],
      welfareChart: lineChart(
        {
          id: 'chart-welfare',
          title: `Assaults on officers and injuries by month, ${text}`,
          description: describeSeries(welfareSeries),
        },
        months.map((m) => m.month),
        welfareSeries,
      ),
      comparisons: comparisons && {
        ...comparisons,
        rows: comparisons.rows.map((r) => ({
          ...r,
          perYearText: {
            uses: r.perYear.uses === null ? 'Not available' : number.format(Math.round(r.perYear.uses)),
            ced: r.perYear.ced === null ? 'Not available' : number.format(Math.round(r.perYear.ced)),
            discharges:
              r.perYear.discharges === null ? 'Not available' : number.format(Math.round(r.perYear.discharges)),
          },
          populationText: r.population === null ? 'Not available' : number.format(r.population),
          officersText: r.officers === null ? 'Not available' : oneDecimal.format(r.officers),
          per1000Text: { uses: rate(r.per1000.uses), ced: rate(r.per1000.ced), discharges: rate(r.per1000.discharges) },
          per100Text: {
            uses: rate(r.per100Officers.uses),
            ced: rate(r.per100Officers.ced),
            discharges: rate(r.per100Officers.discharges),
          },
        })),
      },
      canConfigure: hasPermission(principal, 'dashboards.configure'),
      query: new URLSearchParams({ from: period.from, to: period.to }).toString(),
    })
  })

  app.get('/dashboards/disproportionality', { config: { access: 'dashboards.view' } }, async (request, reply) => {
    const { principal, scope, period, figures } = await load(request)
    if (!scope.forceWide) throw new HttpError(404, 'Page not found')
    const result = await loadDisproportionality(db, principal.forceId, figures)
    const perYear = (value: number | null) => (value === null ? null : (value * 12) / figures.months.length)
    return reply.render('dashboards/views/disproportionality.njk', {
      pageTitle: 'Disproportionality',
      period: periodText(period),
      fromItems: monthItems(clock, period.from),
      toItems: monthItems(clock, period.to),
      result: result && {
        ...result,
        byMeasure: result.byMeasure.map((m) => ({
          ...m,
          chart: barChart(
            {
              id: `chart-rr-${m.measure.toLowerCase()}`,
              title: `${m.label}: rate per 1,000 population a year, by perceived ethnicity`,
              description: m.groups
                .filter((g) => g.ratePer1000 !== null)
                .map((g) => `${perceivedEthnicities.byValue(g.group).label} ${rate(perYear(g.ratePer1000))}`)
                .join(', '),
            },
            m.groups
              .filter((g) => g.ratePer1000 !== null)
              .map((g) => ({
                label: perceivedEthnicities.byValue(g.group).label,
                value: perYear(g.ratePer1000) ?? 0,
              })),
            (v) => twoDecimals.format(v),
          ),
          rows: m.groups.map((g) => ({
            label: perceivedEthnicities.byValue(g.group).label,
            count: number.format(g.count),
            population: g.population === null ? 'Not available' : number.format(g.population),
            rate: rate(perYear(g.ratePer1000)),
            relative:
              g.group === 'white'
                ? 'Reference group'
                : g.relative
                  ? `${twoDecimals.format(g.relative.rate)} (${twoDecimals.format(g.relative.lower)} to ${twoDecimals.format(g.relative.upper)})`
                  : 'Cannot be worked out',
            reading: g.relative?.reading ?? null,
            group: g.group,
          })),
        })),
        children: result.children.map((c) => ({ ...c, shareText: percent(c.share) })),
        mentalHealth: result.mentalHealth.map((c) => ({ ...c, shareText: percent(c.share) })),
      },
      query: new URLSearchParams({ from: period.from, to: period.to }).toString(),
    })
  })

  async function renderSettings(
    reply: FastifyReply,
    values: { comparatorArea: string; similarAreas: string[] },
    errors: FieldError[] = [],
  ) {
    return reply.code(errors.length ? 400 : 200).render('dashboards/views/settings.njk', {
      pageTitle: 'Dashboard comparisons',
      areaItems: [
        { value: '', text: 'Select an area', selected: values.comparatorArea === '' },
        ...areaNames.map((a) => ({ value: a, text: a, selected: a === values.comparatorArea })),
      ],
      similarItems: areaNames.map((a) => ({ value: a, text: a, checked: values.similarAreas.includes(a) })),
      maxSimilar: MAX_SIMILAR_AREAS,
      ...errorContext(errors),
    })
  }

  app.get('/dashboards/settings', { config: { access: 'dashboards.configure' } }, async (request, reply) => {
    const settings = await comparisonSettings(db, principalOf(request).forceId)
    return renderSettings(reply, settings ?? { comparatorArea: '', similarAreas: [] })
  })

  app.post('/dashboards/settings', { config: { access: 'dashboards.configure' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>
    const values = {
      comparatorArea: typeof body.comparatorArea === 'string' ? body.comparatorArea : '',
      similarAreas: listOf(body.similarAreas),
    }
    const parsed = parseForm(settingsForm, values)
    if (!parsed.ok) return renderSettings(reply, values, parsed.errors)
    await saveComparisonSettings({ db, clock }, actorOf(request), principalOf(request).forceId, parsed.value)
    return reply.redirect('/dashboards#comparators', 303)
  })
}
