import { sql, type Transaction } from 'kysely'
import type { Db } from '../../db/database.js'
import { scopeCondition } from '../../db/scope.js'
import type { Database } from '../../db/schema.js'
import type { SampleStratumRow } from '../../db/schema/scrutiny.js'
import type { Candidate } from '../../domain/scrutiny/sampling.js'
import { stratumOf, type Stratum } from '../../domain/scrutiny/strata.js'
import type { CedLevel } from '../../domain/use-of-force/ced.js'
import type { HealthCondition } from '../../domain/use-of-force/subject.js'
import type { ScopeFilter } from '../auth/policy.js'

type Executor = Db | Transaction<Database>

export interface PanelRow {
  id: string
  name: string
  members: number
  samples: number
}

export async function listPanels(db: Executor, forceId: string): Promise<PanelRow[]> {
  const rows = await db
    .selectFrom('scrutiny_panels as p')
    .where('p.force_id', '=', forceId)
    .select((eb) => [
      'p.id',
      'p.name',
      eb
        .selectFrom('scrutiny_panel_members as m')
        .whereRef('m.panel_id', '=', 'p.id')
        .select(eb.fn.countAll<number>().as('n'))
        .as('members'),
      eb
        .selectFrom('scrutiny_samples as s')
        .whereRef('s.panel_id', '=', 'p.id')
        .select(eb.fn.countAll<number>().as('n'))
        .as('samples'),
    ])
    .orderBy('p.name')
    .execute()
  return rows.map((r) => ({ id: r.id, name: r.name, members: Number(r.members), samples: Number(r.samples) }))
}

/** The panels an account is a member of. */
export async function panelsOfMember(db: Executor, forceId: string, userId: string) {
  return db
    .selectFrom('scrutiny_panels as p')
    .innerJoin('scrutiny_panel_members as m', 'm.panel_id', 'p.id')
    .where('p.force_id', '=', forceId)
    .where('m.user_id', '=', userId)
    .select(['p.id', 'p.name'])
    .orderBy('p.name')
    .execute()
}

export async function findPanel(db: Executor, forceId: string, panelId: string) {
  return db
    .selectFrom('scrutiny_panels')
    .where('force_id', '=', forceId)
    .where('id', '=', panelId)
    .select(['id', 'name'])
    .executeTakeFirst()
}

export async function panelNameTaken(db: Executor, forceId: string, name: string): Promise<boolean> {
  const row = await db
    .selectFrom('scrutiny_panels')
    .where('force_id', '=', forceId)
    .where(sql<boolean>`lower(name) = lower(${name})`)
    .select('id')
    .executeTakeFirst()
  return row !== undefined
}

export async function panelMembers(db: Executor, panelId: string) {
  return db
    .selectFrom('scrutiny_panel_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .where('m.panel_id', '=', panelId)
    .select(['u.id', 'u.display_name as name', 'u.username', 'm.added_at as addedAt'])
    .orderBy('u.display_name')
    .execute()
}

/** Enabled accounts with the scrutiny panel role: the only accounts that can join a panel. */
export async function eligibleMembers(db: Executor, forceId: string) {
  return db
    .selectFrom('users as u')
    .innerJoin('user_roles as r', 'r.user_id', 'u.id')
    .where('u.force_id', '=', forceId)
    .where('r.role', '=', 'scrutiny_panel')
    .where('u.disabled_at', 'is', null)
    .select(['u.id', 'u.display_name as name', 'u.username'])
    .orderBy('u.display_name')
    .execute()
}

export async function samplesOfPanel(db: Executor, panelId: string) {
  return db
    .selectFrom('scrutiny_samples as s')
    .where('s.panel_id', '=', panelId)
    .select((eb) => [
      's.id',
      's.period_from as periodFrom',
      's.period_to as periodTo',
      's.meeting_on as meetingOn',
      's.drawn_at as drawnAt',
      eb
        .selectFrom('scrutiny_cases as c')
        .whereRef('c.sample_id', '=', 's.id')
        .select(eb.fn.countAll<number>().as('n'))
        .as('cases'),
      eb
        .selectFrom('scrutiny_cases as c')
        .innerJoin('scrutiny_findings as f', 'f.case_id', 'c.id')
        .whereRef('c.sample_id', '=', 's.id')
        .select(eb.fn.countAll<number>().as('n'))
        .as('findings'),
    ])
    .orderBy('s.drawn_at', 'desc')
    .execute()
}

export interface SampleRow {
  id: string
  panelId: string
  panelName: string
  periodFrom: string
  periodTo: string
  meetingOn: string | null
  seed: string
  algorithm: string
  strata: SampleStratumRow[]
  candidates: [string, string][]
  fingerprint: string
  drawnBy: string | null
  drawnAt: Date
}

export async function findSample(db: Executor, forceId: string, sampleId: string): Promise<SampleRow | undefined> {
  const row = await db
    .selectFrom('scrutiny_samples as s')
    .innerJoin('scrutiny_panels as p', 'p.id', 's.panel_id')
    .leftJoin('users as u', 'u.id', 's.drawn_by_user_id')
    .where('s.force_id', '=', forceId)
    .where('s.id', '=', sampleId)
    .select([
      's.id',
      's.panel_id',
      'p.name as panel_name',
      's.period_from',
      's.period_to',
      's.meeting_on',
      's.seed',
      's.algorithm',
      's.strata',
      's.candidates',
      's.fingerprint',
      'u.display_name as drawn_by',
      's.drawn_at',
    ])
    .executeTakeFirst()
  if (!row) return undefined
  return {
    id: row.id,
    panelId: row.panel_id,
    panelName: row.panel_name,
    periodFrom: row.period_from,
    periodTo: row.period_to,
    meetingOn: row.meeting_on,
    seed: row.seed,
    algorithm: row.algorithm,
    strata: row.strata,
    candidates: row.candidates,
    fingerprint: row.fingerprint,
    drawnBy: row.drawn_by,
    drawnAt: row.drawn_at,
  }
}

export async function isMember(db: Executor, panelId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('scrutiny_panel_members')
    .where('panel_id', '=', panelId)
    .where('user_id', '=', userId)
    .select('user_id')
    .executeTakeFirst()
  return row !== undefined
}

/**
 * The force's reports that occurred in the period (calendar days in the force's time zone), each with the stratum it
 * falls in among those chosen; reports in none are left out. Ordered by id, though the draw sorts them itself.
 */
export async function candidatesFor(
  db: Executor,
  forceId: string,
  period: { from: string; to: string },
  chosen: ReadonlySet<Stratum>,
): Promise<Candidate[]> {
  const rows = await db
    .selectFrom('reports as r')
    .innerJoin('subjects as s', 's.id', 'r.subject_id')
    .where('r.force_id', '=', forceId)
    .where(
      sql<boolean>`(r.occurred_at at time zone 'Europe/London')::date between ${period.from}::date and ${period.to}::date`,
    )
    .select([
      'r.id',
      'r.ced_highest_level',
      'r.subject_injured',
      's.age_band',
      's.health_condition',
      's.perceived_ethnicity',
    ])
    .orderBy('r.id')
    .execute()
  const candidates: Candidate[] = []
  for (const r of rows) {
    const stratum = stratumOf(
      {
        cedHighestLevel: r.ced_highest_level as CedLevel | null,
        ageBand: r.age_band,
        healthCondition: r.health_condition as HealthCondition,
        perceivedEthnicity: r.perceived_ethnicity,
        subjectInjured: r.subject_injured,
      },
      chosen,
    )
    if (stratum) candidates.push({ key: r.id, stratum })
  }
  return candidates
}

export interface CaseRow {
  id: string
  caseNumber: number
  reportId: string
  stratum: string
  position: number
  finding: string | null
  themes: string[]
  comments: string | null
  feedback: string | null
  releases: number
}

export async function casesOfSample(db: Executor, sampleId: string): Promise<CaseRow[]> {
  const rows = await db
    .selectFrom('scrutiny_cases as c')
    .leftJoin('scrutiny_findings as f', 'f.case_id', 'c.id')
    .where('c.sample_id', '=', sampleId)
    .select((eb) => [
      'c.id',
      'c.case_number',
      'c.report_id',
      'c.stratum',
      'c.position',
      'f.finding',
      'f.themes',
      'f.comments',
      'f.feedback',
      eb
        .selectFrom('scrutiny_releases as x')
        .whereRef('x.case_id', '=', 'c.id')
        .select(eb.fn.countAll<number>().as('n'))
        .as('releases'),
    ])
    .orderBy('c.case_number')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    caseNumber: r.case_number,
    reportId: r.report_id,
    stratum: r.stratum,
    position: r.position,
    finding: r.finding,
    themes: r.themes ?? [],
    comments: r.comments,
    feedback: r.feedback,
    releases: Number(r.releases),
  }))
}

export async function findCase(db: Executor, sampleId: string, caseNumber: number) {
  return db
    .selectFrom('scrutiny_cases as c')
    .leftJoin('scrutiny_findings as f', 'f.case_id', 'c.id')
    .where('c.sample_id', '=', sampleId)
    .where('c.case_number', '=', caseNumber)
    .select([
      'c.id',
      'c.case_number as caseNumber',
      'c.report_id as reportId',
      'c.stratum',
      'f.finding',
      'f.themes',
      'f.comments',
      'f.feedback',
      'f.recorded_at as recordedAt',
    ])
    .executeTakeFirst()
}

export async function releasesOf(db: Executor, caseId: string) {
  return db
    .selectFrom('scrutiny_releases')
    .where('case_id', '=', caseId)
    .select(['field', 'redacted_text as redactedText'])
    .execute()
}

/** The latest supervisor review decision on each report, if any (report_reviews, migration 08). */
export async function reviewDecisions(db: Executor, reportIds: readonly string[]): Promise<Map<string, string>> {
  if (reportIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('report_reviews')
    .where('report_id', 'in', reportIds)
    .select(['report_id', 'decision'])
    .distinctOn('report_id')
    .orderBy('report_id')
    .orderBy('round', 'desc')
    .execute()
  return new Map(rows.map((r) => [r.report_id, r.decision]))
}

export interface FeedbackItem {
  reportId: string
  officerName: string | null
  month: Date
  panelName: string
  meetingOn: string | null
  finding: string
  themes: string[]
  feedback: string
  recordedAt: Date
}

/** Findings on the reports in a scope (an officer's own, a supervisor's team), newest first. */
export async function feedbackFor(db: Executor, scope: ScopeFilter): Promise<FeedbackItem[]> {
  if (scope.kind === 'none') return []
  const query = db
    .selectFrom('scrutiny_findings as f')
    .innerJoin('scrutiny_cases as c', 'c.id', 'f.case_id')
    .innerJoin('scrutiny_samples as s', 's.id', 'c.sample_id')
    .innerJoin('scrutiny_panels as p', 'p.id', 's.panel_id')
    .innerJoin('reports as r', 'r.id', 'c.report_id')
    .leftJoin('personnel as o', 'o.id', 'r.officer_person_id')
    .where(scopeCondition(scope, { force: 'r.force_id', unit: 'r.officer_unit_id', person: 'r.officer_person_id' }))
  const rows = await query
    .select([
      'r.id as reportId',
      'o.given_name',
      'o.family_name',
      'r.occurred_at',
      'p.name as panelName',
      's.meeting_on',
      'f.finding',
      'f.themes',
      'f.feedback',
      'f.recorded_at',
    ])
    .orderBy('f.recorded_at', 'desc')
    .limit(200)
    .execute()
  return rows.map((r) => ({
    reportId: r.reportId,
    officerName: r.given_name ? `${r.given_name} ${r.family_name}` : null,
    month: r.occurred_at,
    panelName: r.panelName,
    meetingOn: r.meeting_on,
    finding: r.finding,
    themes: r.themes,
    feedback: r.feedback,
    recordedAt: r.recorded_at,
  }))
}
