import { sql, type RawBuilder, type Transaction } from 'kysely'
import type { Db } from '../../db/database.js'
import { pageOf } from '../../db/paging.js'
import { scopeCondition } from '../../db/scope.js'
import { reportFlagSql } from '../../db/report-flags.js'
import type { Database } from '../../db/schema.js'
import { metrics, WINDOW_DAYS, type Metric } from '../../domain/early-intervention/early-intervention.js'
import type { ScopeFilter } from '../auth/policy.js'

type Executor = Db | Transaction<Database>

/** Whether a report (`r`, its subject `s`) counts towards each metric. */
const metricPredicates: Record<Metric, RawBuilder<boolean>> = {
  ced_discharge: reportFlagSql.cedDischarge('r'),
  drive_stun: reportFlagSql.driveStun('r'),
  child: reportFlagSql.child('s'),
  prolonged_discharge: reportFlagSql.prolongedDischarge('r'),
  subject_injury: reportFlagSql.subjectInjured('r'),
  use_of_force: sql<boolean>`true`,
}

/** The UK calendar day a report's incident happened on: windows are whole days in the UK. */
const incidentDay = sql<string>`(r.occurred_at at time zone 'Europe/London')::date`
/** The first instant of a UK calendar day. */
const dayStart = (day: RawBuilder<string>) => sql`(${day})::timestamp at time zone 'Europe/London'`

/**
 * Every counted event of the force's active thresholds up to the end of `asOf`, looking back `lookbackDays`: one row
 * per (threshold, officer, report). One scan of the reports, each tagged with every metric it counts towards.
 */
function events(forceId: string, asOf: string, lookbackDays: number) {
  const tags = metrics.values.map((m) => sql`case when ${metricPredicates[m]} then ${m}::text end`)
  return sql`
    select t.id as threshold_id, t.window_days, t.min_count, hit.person_id, hit.report_id, hit.day
    from (
      select r.officer_person_id as person_id, r.id as report_id, ${incidentDay} as day,
        array[${sql.join(tags)}] as tags
      from reports r
      join subjects s on s.id = r.subject_id
      where r.force_id = ${forceId} and r.officer_person_id is not null
        and r.occurred_at < ${dayStart(sql`${asOf}::date + 1`)}
        and r.occurred_at >= ${dayStart(sql`${asOf}::date - ${lookbackDays}::int`)}) hit
    join early_intervention_thresholds t on t.force_id = ${forceId} and t.active and t.metric = any(hit.tags)`
}

/** Episodes over a threshold on `asOf` not flagged before, each with its officer's team and count (see above). */
export function episodesQuery(forceId: string, asOf: string, lookbackDays: number) {
  return sql<{ threshold_id: string; person_id: string; team_id: string; started_on: string; event_count: number }>`
    with ev as (${events(forceId, asOf, lookbackDays)}),
    spells as (
      select threshold_id, person_id, day, window_days,
        lead(day, min_count - 1) over w as first_day,
        day + window_days - 1 as last_day
      from ev
      window w as (partition by threshold_id, person_id order by day, report_id)),
    joined as (
      select *, lag(last_day) over w as previous_last_day
      from spells where first_day is not null and first_day <= last_day
      window w as (partition by threshold_id, person_id order by day, first_day)),
    numbered as (
      select *, count(*) filter (where first_day > previous_last_day + 1)
        over (partition by threshold_id, person_id order by day, first_day rows unbounded preceding) as episode
      from joined),
    episodes as (
      select threshold_id, person_id, min(first_day) as started_on, max(last_day) as ends_on, max(window_days) as days
      from numbered group by threshold_id, person_id, episode)
    select e.threshold_id, e.person_id, p.unit_id as team_id, e.started_on::text as started_on,
      (select count(*) from ev where ev.threshold_id = e.threshold_id and ev.person_id = e.person_id
        and ev.day > ${asOf}::date - e.days)::int as event_count
    from episodes e
    join personnel p on p.id = e.person_id and (p.left_on is null or p.left_on > ${asOf}::date)
    where e.ends_on >= ${asOf}::date
      and not exists (select 1 from early_intervention_flags f
        where f.threshold_id = e.threshold_id and f.person_id = e.person_id
          and (f.episode_started_on = e.started_on or f.as_of between e.started_on and ${asOf}::date))`
}

export interface OverThreshold {
  thresholdId: string
  metric: Metric
  windowDays: number
  minCount: number
  personId: string
  teamId: string
  episodeStartedOn: string
  count: number
}

/**
 * Officers over an active threshold on `asOf` who have no flag for that episode yet.
 *
 * An officer is over a threshold on day d when at least `min_count` of their counted reports fall in the
 * `window_days` days ending on d. Events i to i+n-1 (in date order) keep them over it from the day of event i+n-1 to
 * the day event i leaves the window; overlapping or touching spells join into one episode, keyed by its first day.
 * An episode already flagged (same first day, or a flag raised during it) is not flagged again. The look-back is a
 * year beyond the longest window: an officer over a threshold for longer than that is flagged again.
 */
export async function overThresholds(db: Executor, forceId: string, asOf: string): Promise<OverThreshold[]> {
  const longest = await db
    .selectFrom('early_intervention_thresholds')
    .select((eb) => eb.fn.max('window_days').as('days'))
    .where('force_id', '=', forceId)
    .where('active', '=', true)
    .executeTakeFirst()
  if (!longest?.days) return []
  const { rows } = await episodesQuery(forceId, asOf, Number(longest.days) + 365).execute(db)
  if (rows.length === 0) return []
  const thresholds = new Map(
    (
      await db
        .selectFrom('early_intervention_thresholds')
        .select(['id', 'metric', 'window_days', 'min_count'])
        .where('id', 'in', [...new Set(rows.map((r) => r.threshold_id))])
        .execute()
    ).map((t) => [t.id, t]),
  )
  return rows.flatMap((r) => {
    const t = thresholds.get(r.threshold_id)
    if (!t) return []
    return [
      {
        thresholdId: r.threshold_id,
        metric: t.metric as Metric,
        windowDays: t.window_days,
        minCount: t.min_count,
        personId: r.person_id,
        teamId: r.team_id,
        episodeStartedOn: r.started_on,
        count: Number(r.event_count),
      },
    ]
  })
}

/**
 * Each officer's count in the window ending on `asOf`, for every serving officer (police staff not counted) in the
 * given teams, per threshold: those with none count 0. Keyed `thresholdId:teamId`.
 */
export async function teamCounts(
  db: Executor,
  forceId: string,
  asOf: string,
  pairs: readonly { thresholdId: string; teamId: string; personId: string }[],
): Promise<Map<string, number[]>> {
  if (pairs.length === 0) return new Map()
  const wanted = sql.join(pairs.map((p) => sql`(${p.thresholdId}::uuid, ${p.teamId}::uuid, ${p.personId}::uuid)`))
  const { rows } = await sql<{ threshold_id: string; team_id: string; n: number }>`
    with pair(threshold_id, team_id, person_id) as (values ${wanted}),
    team as (
      select distinct pair.threshold_id, pair.team_id, m.id as person_id
      from pair join personnel m on m.unit_id = pair.team_id
      where m.id = pair.person_id or (m.status <> 'police_staff' and m.joined_on <= ${asOf}::date
        and (m.left_on is null or m.left_on > ${asOf}::date))),
    -- Materialised: the events are found once, not once per team member.
    ev as materialized (${events(forceId, asOf, WINDOW_DAYS.max)})
    select team.threshold_id, team.team_id, count(ev.report_id)::int as n
    from team
    left join ev on ev.threshold_id = team.threshold_id and ev.person_id = team.person_id
      and ev.day > ${asOf}::date - ev.window_days
    group by team.threshold_id, team.team_id, team.person_id`.execute(db)
  const out = new Map<string, number[]>()
  for (const row of rows) {
    const key = `${row.threshold_id}:${row.team_id}`
    const list = out.get(key) ?? []
    list.push(Number(row.n))
    out.set(key, list)
  }
  return out
}

/** The reports one officer had counted under a metric in the window ending on `asOf`, newest first. */
export async function countedReports(db: Executor, personId: string, metric: Metric, windowDays: number, asOf: string) {
  const { rows } = await sql<{ id: string; reference: string; occurred_at: Date; ced_highest_level: string | null }>`
    select r.id, i.reference, r.occurred_at, r.ced_highest_level
    from reports r
    join subjects s on s.id = r.subject_id
    join incidents i on i.id = r.incident_id
    where r.officer_person_id = ${personId}
      and r.occurred_at >= ${dayStart(sql`${asOf}::date - ${windowDays}::int + 1`)}
      and r.occurred_at < ${dayStart(sql`${asOf}::date + 1`)}
      and ${metricPredicates[metric]}
    order by r.occurred_at desc`.execute(db)
  return rows.map((r) => ({
    id: r.id,
    reference: r.reference,
    occurredAt: r.occurred_at,
    cedHighestLevel: r.ced_highest_level,
  }))
}

export interface FlagListItem {
  id: string
  personId: string
  officer: string
  collarNumber: string | null
  teamName: string | null
  metric: Metric
  windowDays: number
  minCount: number
  count: number
  asOf: string
  status: 'open' | 'closed'
}

export async function listFlags(
  db: Executor,
  scope: ScopeFilter,
  options: { status: 'open' | 'closed' | 'all'; page: number; pageSize: number },
): Promise<{ flags: FlagListItem[]; total: number }> {
  if (scope.kind === 'none' || scope.kind === 'own') return { flags: [], total: 0 }
  let query = db
    .selectFrom('early_intervention_flags as f')
    .innerJoin('personnel as p', 'p.id', 'f.person_id')
    .leftJoin('org_units as u', 'u.id', 'p.unit_id')
    .where(scopeCondition(scope, { force: 'f.force_id', unit: 'p.unit_id', person: null }))
  if (options.status !== 'all') query = query.where('f.status', '=', options.status)
  const { rows, total } = await pageOf(
    query,
    (q) =>
      q
        .select([
          'f.id',
          'f.person_id',
          'p.given_name',
          'p.family_name',
          'p.rank',
          'p.collar_number',
          'u.name as team_name',
          'f.metric',
          'f.window_days',
          'f.min_count',
          'f.event_count',
          'f.as_of',
          'f.status',
        ])
        .orderBy('f.as_of', 'desc')
        .orderBy('p.family_name')
        .orderBy('f.id'),
    options,
  )
  return {
    total,
    flags: rows.map((r) => ({
      id: r.id,
      personId: r.person_id,
      officer: `${r.given_name} ${r.family_name}`,
      collarNumber: r.collar_number,
      teamName: r.team_name,
      metric: r.metric as Metric,
      windowDays: r.window_days,
      minCount: r.min_count,
      count: r.event_count,
      asOf: r.as_of,
      status: r.status,
    })),
  }
}

export async function findFlag(db: Executor, forceId: string, id: string) {
  return db
    .selectFrom('early_intervention_flags as f')
    .innerJoin('personnel as p', 'p.id', 'f.person_id')
    .leftJoin('org_units as u', 'u.id', 'p.unit_id')
    .leftJoin('org_units as team', 'team.id', 'f.team_id')
    .select([
      'f.id',
      'f.person_id',
      'f.threshold_id',
      'p.given_name',
      'p.family_name',
      'p.rank',
      'p.collar_number',
      'p.unit_id',
      'u.name as unit_name',
      'team.name as team_name',
      'f.metric',
      'f.window_days',
      'f.min_count',
      'f.episode_started_on',
      'f.as_of',
      'f.event_count',
      'f.team_size',
      'f.team_median',
      'f.team_mean',
      'f.status',
      'f.raised_at',
      'f.closed_at',
    ])
    .where('f.force_id', '=', forceId)
    .where('f.id', '=', id)
    .executeTakeFirst()
}

export async function flagActions(db: Executor, flagId: string) {
  return db
    .selectFrom('early_intervention_actions as a')
    .innerJoin('users as u', 'u.id', 'a.recorded_by_user_id')
    .select(['a.id', 'a.outcome', 'a.notes', 'a.closes', 'a.recorded_at', 'u.display_name as recorded_by'])
    .where('a.flag_id', '=', flagId)
    .orderBy('a.recorded_at')
    .orderBy('a.id')
    .execute()
}

/** Open flags within a scope: for the home page. */
export async function openFlagCount(db: Executor, scope: ScopeFilter): Promise<number> {
  return (await listFlags(db, scope, { status: 'open', page: 1, pageSize: 1 })).total
}

export async function listThresholds(db: Executor, forceId: string) {
  return db
    .selectFrom('early_intervention_thresholds')
    .select(['id', 'metric', 'window_days', 'min_count', 'active', 'updated_at'])
    .where('force_id', '=', forceId)
    .orderBy('active', 'desc')
    .orderBy('metric')
    .orderBy('window_days')
    .execute()
}
