import { randomUUID } from 'node:crypto'
import { sql, type Transaction } from 'kysely'
import { addDays, londonDate } from '../../domain/calendar.js'
import { reportBody, type SubjectDetails } from '../../domain/use-of-force/report.js'
import { reportFlags } from '../../domain/use-of-force/rules.js'
import { welfareSteps } from '../../domain/welfare/welfare.js'
import { appendAuditBatch, systemActor, type AuditEvent } from '../../features/audit/ledger.js'
import {
  addDefaultThresholds,
  evaluateEarlyInterventionIn,
} from '../../features/early-intervention/early-intervention.service.js'
import { incidentColumns, subjectColumns, toReportRows } from '../../features/reports/report-record.js'
import { insertReportRows, insertVersions } from '../../features/reports/reports.repository.js'
import { ensureWelfareFollowUpsIn } from '../../features/welfare/welfare.service.js'
import type { Database } from '../schema.js'

const DAY_MS = 86_400_000

/**
 * Demo early intervention and welfare, after the reports: the recommended thresholds; flags as they would have been
 * raised 90 days ago (since closed by the team's sergeant) and today; and a welfare follow-up for every
 * officer assaulted or injured in the demo year, older ones completed, recent ones part-way.
 *
 * The demo reports put no officer over a threshold today, so one constable in the `supervisor` account's team gets
 * three more reports, on children, in the last 60 days: that team's sergeant then has a flag to act on.
 */
export async function seedDemoEarlyInterventionWelfare(
  trx: Transaction<Database>,
  { forceId, now }: { forceId: string; now: Date },
): Promise<void> {
  const today = londonDate(now)
  await addDefaultThresholds(trx, systemActor, forceId, now)
  await evaluateEarlyInterventionIn(trx, systemActor, forceId, addDays(today, -90), now)
  await addReportsOnChildren(trx, forceId, now)
  await evaluateEarlyInterventionIn(trx, systemActor, forceId, today, now)
  const sergeants = await teamSergeants(trx, forceId)
  await closeEarlierFlags(trx, forceId, today, now, sergeants)
  await ensureWelfareFollowUpsIn(trx, systemActor, forceId, now)
  await progressFollowUps(trx, forceId, now, sergeants)
}

/** A sergeant with the supervisor role in each team, to act for the team. */
async function teamSergeants(trx: Transaction<Database>, forceId: string) {
  const rows = await trx
    .selectFrom('users as u')
    .innerJoin('user_roles as r', 'r.user_id', 'u.id')
    .select(['u.id', 'u.unit_id', 'u.display_name'])
    .where('u.force_id', '=', forceId)
    .where('r.role', '=', 'supervisor')
    .where('u.unit_id', 'is not', null)
    .orderBy('u.username')
    .execute()
  const byTeam = new Map<string, { id: string; name: string }>()
  for (const row of rows)
    if (row.unit_id && !byTeam.has(row.unit_id)) byTeam.set(row.unit_id, { id: row.id, name: row.display_name })
  return byTeam
}

async function addReportsOnChildren(trx: Transaction<Database>, forceId: string, now: Date) {
  const officer = await trx
    .selectFrom('personnel as p')
    .innerJoin('users as s', 's.unit_id', 'p.unit_id')
    .innerJoin('users as u', 'u.person_id', 'p.id')
    .select(['p.id', 'p.unit_id', 'u.id as user_id'])
    .where('s.username', '=', 'supervisor')
    .where('p.force_id', '=', forceId)
    .where('p.rank', '=', 'constable')
    .where('u.username', '<>', 'officer')
    .orderBy('p.collar_number')
    .executeTakeFirstOrThrow()
  // A report with no Taser and no injuries to copy the officer's account from.
  const source = await sql<{ payload: Record<string, unknown> }>`
    select v.payload from reports r join report_versions v on v.report_id = r.id and v.version = r.version
    where r.force_id = ${forceId} and r.ced_highest_level is null and r.subject_injured = 'no'
      and r.officer_injured = 'no' and not r.assaulted_by_subject
    order by r.occurred_at limit 1`.execute(trx)
  const payload = source.rows[0]?.payload
  if (!payload) throw new Error('demo seed: no report to copy')
  const { incident, subject, ...rest } = payload as {
    incident: { locationTypes: string[]; area: string; planned: boolean }
    subject: SubjectDetails
  }
  const body = reportBody.parse(rest)
  const child: SubjectDetails = { ...subject, ageBand: 'age_11_17' }
  const events: AuditEvent[] = []
  for (const daysAgo of [52, 31, 9]) {
    const occurredAt = new Date(now.getTime() - daysAgo * DAY_MS - 3 * 3_600_000)
    const submittedAt = new Date(occurredAt.getTime() + 2 * 3_600_000)
    const { rows } = await sql<{ n: number }>`select nextval('incident_reference_seq')::bigint as n`.execute(trx)
    const reference = `${occurredAt.getUTCFullYear()}-${String(rows[0]?.n ?? 0).padStart(6, '0')}`
    const details = { ...incident, occurredAt: occurredAt.toISOString() } as Parameters<typeof incidentColumns>[0]
    const incidentId = randomUUID()
    const subjectId = randomUUID()
    const reportId = randomUUID()
    await trx
      .insertInto('incidents')
      .values({
        id: incidentId,
        force_id: forceId,
        reference,
        created_by: officer.user_id,
        ...incidentColumns(details),
      })
      .execute()
    await trx
      .insertInto('subjects')
      .values({
        id: subjectId,
        force_id: forceId,
        incident_id: incidentId,
        label: 'Person 1',
        ...subjectColumns(child),
      })
      .execute()
    await insertReportRows(trx, [
      toReportRows(
        body,
        {
          id: reportId,
          forceId,
          incidentId,
          subjectId,
          officerPersonId: officer.id,
          officerUnitId: officer.unit_id,
          reporterUserId: officer.user_id,
          occurredAt: details.occurredAt,
          submittedAt,
          version: 1,
        },
        randomUUID,
      ),
    ])
    await insertVersions(trx, [
      {
        reportId,
        version: 1,
        kind: 'submitted',
        reason: null,
        authorUserId: officer.user_id,
        createdAt: submittedAt,
        payload: {
          incident: { reference, ...details },
          subject: { id: subjectId, label: 'Person 1', ...child },
          ...body,
        },
      },
    ])
    events.push({
      forceId,
      actor: { userId: officer.user_id, label: 'demo seed' },
      action: 'report.submitted',
      entityType: 'report',
      entityId: reportId,
      details: { reference, version: 1, flags: reportFlags(body, child.ageBand) },
    })
  }
  await appendAuditBatch(trx, events, now)
}

/** Flags raised before today were discussed with the officer by their sergeant and closed. */
async function closeEarlierFlags(
  trx: Transaction<Database>,
  forceId: string,
  today: string,
  now: Date,
  sergeants: Map<string, { id: string; name: string }>,
) {
  const flags = await trx
    .selectFrom('early_intervention_flags as f')
    .innerJoin('personnel as p', 'p.id', 'f.person_id')
    .select(['f.id', 'f.as_of', 'p.unit_id'])
    .where('f.force_id', '=', forceId)
    .where('f.as_of', '<', today)
    .execute()
  const events: AuditEvent[] = []
  for (const flag of flags) {
    const sergeant = sergeants.get(flag.unit_id)
    if (!sergeant) continue
    const at = new Date(`${addDays(flag.as_of, 6)}T10:00:00Z`)
    const notes = 'Went through each report with the officer. Use of force was justified each time; no concerns.'
    const action = await trx
      .insertInto('early_intervention_actions')
      .values({
        flag_id: flag.id,
        outcome: 'discussed',
        notes,
        closes: true,
        recorded_by_user_id: sergeant.id,
        recorded_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx
      .updateTable('early_intervention_flags')
      .set({ status: 'closed', closed_at: at })
      .where('id', '=', flag.id)
      .execute()
    events.push({
      forceId,
      actor: { userId: sergeant.id, label: 'demo seed' },
      action: 'early_intervention_flag.closed',
      entityType: 'early_intervention_flag',
      entityId: flag.id,
      details: { actionId: action.id, outcome: 'discussed', notes },
    })
  }
  await appendAuditBatch(trx, events, now)
}

/**
 * Steps recorded by the officer's sergeant: every step for incidents over 60 days ago (so those follow-ups are
 * complete), the first three for those 14 to 60 days ago, the welfare contact alone for the last fortnight's but
 * one in three, which has nothing yet.
 */
async function progressFollowUps(
  trx: Transaction<Database>,
  forceId: string,
  now: Date,
  sergeants: Map<string, { id: string; name: string }>,
) {
  const followUps = await trx
    .selectFrom('welfare_follow_ups as f')
    .innerJoin('personnel as p', 'p.id', 'f.person_id')
    .select(['f.id', 'f.occurred_at', 'f.assaulted', 'p.unit_id'])
    .where('f.force_id', '=', forceId)
    .orderBy('f.occurred_at')
    .execute()
  const offsets = [0, 1, 7, 21, 28]
  const rows: {
    id: string
    follow_up_id: string
    step: string
    outcome: 'done' | 'not_needed'
    carried_out_by: string
    carried_out_on: string
    notes: string
    recorded_by_user_id: string | null
    recorded_at: Date
  }[] = []
  const completed: string[] = []
  followUps.forEach((f, n) => {
    const ageDays = (now.getTime() - new Date(f.occurred_at).getTime()) / DAY_MS
    const steps = ageDays > 60 ? 5 : ageDays > 14 ? 3 : n % 3 === 0 ? 0 : 1
    const sergeant = sergeants.get(f.unit_id)
    const day = londonDate(new Date(f.occurred_at))
    welfareSteps.values.slice(0, steps).forEach((step, k) => {
      const on = addDays(day, offsets[k] ?? 0)
      rows.push({
        id: randomUUID(),
        follow_up_id: f.id,
        step,
        // No crime to investigate where the officer was injured but not assaulted.
        outcome: step === 'investigation' && !f.assaulted ? 'not_needed' : 'done',
        carried_out_by: sergeant?.name ?? 'Duty sergeant',
        carried_out_on: on,
        notes: step === 'support' ? 'Occupational health and the Federation offered; officer declined for now.' : '',
        recorded_by_user_id: sergeant?.id ?? null,
        recorded_at: new Date(`${on}T12:00:00Z`),
      })
    })
    if (steps === 5) completed.push(f.id)
  })
  for (let i = 0; i < rows.length; i += 1000)
    await trx
      .insertInto('welfare_step_entries')
      .values(rows.slice(i, i + 1000))
      .execute()
  if (completed.length)
    await sql`update welfare_follow_ups f set status = 'completed',
      completed_at = (select max(e.recorded_at) from welfare_step_entries e where e.follow_up_id = f.id)
      where f.id = any(${completed}::uuid[])`.execute(trx)
  // One entry per follow-up for the steps the seed recorded, rather than one per step: the seed stays quick.
  const completedIds = new Set(completed)
  const stepsOf = new Map<string, typeof rows>()
  for (const r of rows) stepsOf.set(r.follow_up_id, [...(stepsOf.get(r.follow_up_id) ?? []), r])
  await appendAuditBatch(
    trx,
    [...stepsOf].map(([id, entries]) => ({
      forceId,
      actor: { userId: entries[0]?.recorded_by_user_id ?? null, label: 'demo seed' },
      action: completedIds.has(id) ? 'welfare_follow_up.completed' : 'welfare_follow_up.step_recorded',
      entityType: 'welfare_follow_up',
      entityId: id,
      details: { steps: entries.map((e) => ({ entryId: e.id, step: e.step, outcome: e.outcome })) },
    })),
    now,
  )
}
