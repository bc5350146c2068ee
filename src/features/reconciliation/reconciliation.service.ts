import { createHash } from 'node:crypto'
import { sql, type Transaction } from 'kysely'
import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import type { Database } from '../../db/schema.js'
import type { ResolutionOutcome } from '../../domain/reconciliation/exception-kinds.js'
import {
  downloadFindings,
  footageFindings,
  reconcileDevice,
  type CameraData,
  type DeviceEvent,
  type Finding,
} from '../../domain/reconciliation/matcher.js'
import { appendAudit, appendAuditBatch, type Actor, type AuditEvent } from '../audit/ledger.js'
import { canonicalJson } from '../audit/canonical-json.js'
import {
  loadCameraData,
  loadDevices,
  loadDownloads,
  loadEvents,
  loadExistingExceptions,
  loadIssues,
  loadReportedUses,
  loadSettings,
  loadUnintentionalDischarges,
  lockForce,
  matcherSettings,
  type SettingsValues,
} from './reconciliation.repository.js'

interface Deps {
  db: Db
  clock: Clock
}

export interface RunSummary {
  runId: string
  devices: number
  events: number
  reportedUses: number
  raised: number
  reopened: number
  cleared: number
  openAfter: number
  /** Where the time went, for the benchmark. */
  timings: { loadMs: number; matchMs: number; writeMs: number; load: Record<string, number> }
}

function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>()
  for (const row of rows) {
    const k = key(row)
    const list = out.get(k)
    if (list) list.push(row)
    else out.set(k, [row])
  }
  return out
}

/** Indexes of the seqs in increasing order; usually they already are (events are stored as they were imported). */
function seqOrder(seqs: readonly number[]): number[] {
  const order = seqs.map((_, i) => i)
  for (let i = 1; i < seqs.length; i++)
    if ((seqs[i] ?? 0) < (seqs[i - 1] ?? 0)) return order.sort((a, b) => (seqs[a] ?? 0) - (seqs[b] ?? 0))
  return order
}

/** What a finding says, hashed: a resolved exception reopens only when this changes. */
function evidenceHash(finding: Finding): string {
  return createHash('sha256')
    .update(canonicalJson({ kind: finding.kind, reportId: finding.reportId, details: finding.details }))
    .digest('hex')
}

/**
 * Reconciles the force's device logs against its reports (or one device's, after an import), and brings the
 * exceptions queue up to date in the same transaction: new findings are raised, findings that no longer hold are
 * cleared, a resolved exception is reopened only if its evidence changed. Every change is audited.
 */
export async function runReconciliation(
  deps: Deps,
  actor: Actor,
  forceId: string,
  options: { deviceId?: string } = {},
): Promise<RunSummary> {
  return deps.db.transaction().execute((trx) => runReconciliationIn(trx, deps.clock, actor, forceId, options))
}

export async function runReconciliationIn(
  trx: Transaction<Database>,
  clock: Clock,
  actor: Actor,
  forceId: string,
  options: { deviceId?: string } = {},
): Promise<RunSummary> {
  const startedAt = clock()
  const load: Record<string, number> = {}
  // Each load timed on its own: the benchmark prints where the time goes.
  const timed = async <T>(name: string, work: Promise<T>): Promise<T> => {
    const t = performance.now()
    const result = await work
    load[name] = performance.now() - t
    return result
  }
  const t0 = performance.now()
  await lockForce(trx, forceId)
  const deviceId = options.deviceId ?? null
  const settings = matcherSettings(await loadSettings(trx, forceId))
  const devices = await loadDevices(trx, forceId, deviceId)
  const onlySerial = deviceId ? (devices[0]?.serial ?? null) : null
  const downloads = groupBy(await loadDownloads(trx, forceId, deviceId), (d) => d.deviceId)
  const eventRows = await timed('events', loadEvents(trx, forceId, deviceId))
  const issues = groupBy(await timed('issues', loadIssues(trx, forceId, deviceId)), (i) => i.deviceId)
  const useRows = deviceId && !onlySerial ? [] : await timed('uses', loadReportedUses(trx, forceId, onlySerial))
  const cameraRows = await timed('camera', loadCameraData(trx, forceId))
  const unintentional = groupBy(await loadUnintentionalDischarges(trx, forceId, deviceId), (u) => u.deviceId)
  const existing = await timed('exceptions', loadExistingExceptions(trx, forceId, deviceId))
  const t1 = performance.now()

  const deviceBySerial = new Map(devices.map((d) => [d.serial.toUpperCase(), d.id]))
  const uses = useRows.map((u) => ({
    reportId: u.report_id,
    seq: u.seq,
    officerPersonId: u.officer_person_id,
    occurredAt: u.occurred_at,
    levels: u.levels,
    cycleCount: u.cycle_count,
    totalCycleMs: u.total_ms,
    extendedCycles: u.extended,
    footageReference: u.footage_reference,
    deviceId: deviceBySerial.get(u.serial) ?? null,
  }))
  const usesByDevice = groupBy(uses, (u) => u.deviceId)
  const camera: CameraData = {
    recordings: groupBy(cameraRows.recordings, (r) => r.personId),
    coverage: cameraRows.coverage,
  }

  const findings: Finding[] = []
  let eventCount = 0
  const eventsByDevice = new Map(eventRows.map((r) => [r.device_id, r]))
  for (const device of devices) {
    const row = eventsByDevice.get(device.id)
    const events: DeviceEvent[] = []
    const syncs: { seq: number; deviceAt: number; trueAt: number }[] = []
    if (row) {
      eventCount += row.seqs.length
      for (const i of seqOrder(row.seqs)) {
        const event = {
          seq: row.seqs[i] ?? 0,
          at: row.ats[i] ?? 0,
          kind: row.kinds[i] ?? 'armed',
          durationMs: row.durations[i] ?? null,
        }
        events.push(event)
        const trueAt = row.trues[i]
        if (event.kind === 'time_sync' && trueAt != null) syncs.push({ seq: event.seq, deviceAt: event.at, trueAt })
      }
    }
    findings.push(
      ...reconcileDevice(
        {
          deviceId: device.id,
          events,
          syncs,
          downloads: (downloads.get(device.id) ?? []).map((d) => ({ ...d, importId: d.id })),
          issues: issues.get(device.id) ?? [],
          uses: usesByDevice.get(device.id) ?? [],
          unintentional: (unintentional.get(device.id) ?? []).map((u) => u.at),
        },
        camera,
        settings,
      ),
    )
  }
  findings.push(...footageFindings(uses))
  const lastDownload = new Map<string, number>()
  for (const [id, list] of downloads) lastDownload.set(id, Math.max(...list.map((d) => d.downloadedAt)))
  findings.push(
    ...downloadFindings(
      devices
        .filter((d) => d.status === 'in_service')
        .map((d) => ({ deviceId: d.id, lastDownloadAt: lastDownload.get(d.id) ?? null, inServiceSince: d.createdAt })),
      startedAt.getTime(),
      settings,
    ),
  )
  const t2 = performance.now()

  const written = await applyFindings(trx, { forceId, actor, now: startedAt }, findings, existing)
  const openAfter = Number(
    (
      await trx
        .selectFrom('reconciliation_exceptions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('force_id', '=', forceId)
        .where('status', '=', 'open')
        .executeTakeFirstOrThrow()
    ).n,
  )
  const run = await trx
    .insertInto('reconciliation_runs')
    .values({
      force_id: forceId,
      device_id: deviceId,
      run_by_user_id: actor.userId,
      started_at: startedAt,
      finished_at: clock(),
      devices: devices.length,
      events: eventCount,
      reported_uses: uses.length,
      ...written,
      open_after: openAfter,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await appendAudit(
    trx,
    {
      forceId,
      actor,
      action: 'reconciliation.run',
      entityType: 'reconciliation_run',
      entityId: run.id,
      details: { deviceId, devices: devices.length, events: eventCount, reportedUses: uses.length, ...written },
    },
    clock(),
  )
  return {
    runId: run.id,
    devices: devices.length,
    events: eventCount,
    reportedUses: uses.length,
    ...written,
    openAfter,
    timings: { loadMs: t1 - t0, matchMs: t2 - t1, writeMs: performance.now() - t2, load },
  }
}

const BATCH = 2000

/** Raises, refreshes, reopens and clears exceptions so the queue matches the findings. */
async function applyFindings(
  trx: Transaction<Database>,
  context: { forceId: string; actor: Actor; now: Date },
  findings: Finding[],
  existing: Awaited<ReturnType<typeof loadExistingExceptions>>,
): Promise<{ raised: number; reopened: number; cleared: number }> {
  const { forceId, actor, now } = context
  const byKey = new Map(existing.map((e) => [e.key, e]))
  const found = new Set<string>()
  const fresh: Finding[] = []
  const refresh: { id: string; finding: Finding; hash: string; reopen: string | null }[] = []
  const audit: AuditEvent[] = []
  for (const finding of findings) {
    if (found.has(finding.key)) continue
    found.add(finding.key)
    const hash = evidenceHash(finding)
    const old = byKey.get(finding.key)
    if (!old) {
      fresh.push(finding)
      continue
    }
    // A resolved exception stays resolved unless what it says has changed; a cleared one that is found again reopens.
    const reopen =
      old.status === 'cleared'
        ? 'Found again by reconciliation'
        : old.status === 'resolved' && old.evidenceHash !== hash
          ? 'The device log or report changed after it was resolved'
          : null
    if (old.status === 'resolved' && !reopen) continue
    refresh.push({ id: old.id, finding, hash, reopen })
  }
  const cleared = existing.filter((e) => e.status === 'open' && !found.has(e.key))

  for (let i = 0; i < fresh.length; i += BATCH) {
    const batch = fresh.slice(i, i + BATCH)
    const rows = await trx
      .insertInto('reconciliation_exceptions')
      .values(
        batch.map((f) => ({
          force_id: forceId,
          key: f.key,
          kind: f.kind,
          status: 'open' as const,
          device_id: f.deviceId,
          report_id: f.reportId,
          person_id: f.personId,
          occurred_at: new Date(f.occurredAt),
          details: JSON.stringify(f.details),
          evidence_hash: evidenceHash(f),
          raised_at: now,
          last_found_at: now,
        })),
      )
      .returning(['id', 'key'])
      .execute()
    const ids = new Map(rows.map((r) => [r.key, r.id]))
    for (const f of batch)
      audit.push({
        forceId,
        actor,
        action: 'reconciliation_exception.raised',
        entityType: 'reconciliation_exception',
        entityId: ids.get(f.key) ?? null,
        details: { kind: f.kind, key: f.key, ...f.details },
      })
  }

  for (let i = 0; i < refresh.length; i += BATCH) {
    const batch = refresh.slice(i, i + BATCH)
    await sql`
      update reconciliation_exceptions e set
        details = t.details::jsonb, evidence_hash = t.hash, last_found_at = ${now},
        occurred_at = to_timestamp(t.occurred_ms / 1000.0),
        status = 'open',
        reopened_count = e.reopened_count + case when t.reopen then 1 else 0 end,
        resolution = case when t.reopen then null else e.resolution end,
        resolution_note = case when t.reopen then null else e.resolution_note end,
        resolved_by_user_id = case when t.reopen then null else e.resolved_by_user_id end,
        resolved_at = case when t.reopen then null else e.resolved_at end
      from unnest(${batch.map((r) => r.id)}::uuid[], ${batch.map((r) => JSON.stringify(r.finding.details))}::text[],
        ${batch.map((r) => r.hash)}::text[], ${batch.map((r) => r.finding.occurredAt)}::float8[],
        ${batch.map((r) => r.reopen !== null)}::boolean[]) as t(id, details, hash, occurred_ms, reopen)
      where e.id = t.id`.execute(trx)
    for (const r of batch)
      if (r.reopen)
        audit.push({
          forceId,
          actor,
          action: 'reconciliation_exception.reopened',
          entityType: 'reconciliation_exception',
          entityId: r.id,
          details: { reason: r.reopen, ...r.finding.details },
        })
  }

  for (let i = 0; i < cleared.length; i += BATCH) {
    const ids = cleared.slice(i, i + BATCH).map((e) => e.id)
    await sql`update reconciliation_exceptions set status = 'cleared', last_found_at = last_found_at
      where id = any(${ids}::uuid[])`.execute(trx)
    for (const id of ids)
      audit.push({
        forceId,
        actor,
        action: 'reconciliation_exception.cleared',
        entityType: 'reconciliation_exception',
        entityId: id,
        details: { reason: 'No longer found: the reports and logs now account for it' },
      })
  }
  await appendAuditBatch(trx, audit, now)
  return { raised: fresh.length, reopened: refresh.filter((r) => r.reopen).length, cleared: cleared.length }
}

export type ExceptionActionOutcome = { ok: true } | { ok: false; field: string; message: string }

async function exceptionFor(trx: Transaction<Database>, forceId: string, id: string) {
  return trx
    .selectFrom('reconciliation_exceptions')
    .select(['id', 'status', 'assigned_to_user_id'])
    .where('id', '=', id)
    .where('force_id', '=', forceId)
    .forUpdate()
    .executeTakeFirst()
}

/** Assigns an exception to someone who may work the queue, or takes the assignment away (null). */
export async function assignException(
  deps: Deps,
  actor: Actor,
  forceId: string,
  input: { exceptionId: string; assigneeId: string | null; eligible: ReadonlySet<string> },
): Promise<ExceptionActionOutcome> {
  if (input.assigneeId !== null && !input.eligible.has(input.assigneeId))
    return { ok: false, field: 'assignee', message: 'Select someone from the list' }
  return deps.db.transaction().execute(async (trx) => {
    const exception = await exceptionFor(trx, forceId, input.exceptionId)
    if (!exception) return { ok: false, field: 'assignee', message: 'This exception no longer exists' }
    if (exception.assigned_to_user_id === input.assigneeId) return { ok: true }
    const now = deps.clock()
    await trx
      .updateTable('reconciliation_exceptions')
      .set({ assigned_to_user_id: input.assigneeId, assigned_at: input.assigneeId ? now : null })
      .where('id', '=', exception.id)
      .execute()
    await appendAudit(
      trx,
      {
        forceId,
        actor,
        action: input.assigneeId ? 'reconciliation_exception.assigned' : 'reconciliation_exception.unassigned',
        entityType: 'reconciliation_exception',
        entityId: exception.id,
        details: { from: exception.assigned_to_user_id, to: input.assigneeId },
      },
      now,
    )
    return { ok: true }
  })
}

/** Closes an open exception with an outcome and a note saying why. */
export async function resolveException(
  deps: Deps,
  actor: Actor,
  forceId: string,
  input: { exceptionId: string; outcome: ResolutionOutcome; note: string },
): Promise<ExceptionActionOutcome> {
  return deps.db.transaction().execute(async (trx) => {
    const exception = await exceptionFor(trx, forceId, input.exceptionId)
    if (!exception) return { ok: false, field: 'outcome', message: 'This exception no longer exists' }
    if (exception.status !== 'open')
      return { ok: false, field: 'outcome', message: 'This exception is not open: it was resolved or cleared already' }
    const now = deps.clock()
    await trx
      .updateTable('reconciliation_exceptions')
      .set({
        status: 'resolved',
        resolution: input.outcome,
        resolution_note: input.note,
        resolved_by_user_id: actor.userId,
        resolved_at: now,
      })
      .where('id', '=', exception.id)
      .execute()
    await appendAudit(
      trx,
      {
        forceId,
        actor,
        action: 'reconciliation_exception.resolved',
        entityType: 'reconciliation_exception',
        entityId: exception.id,
        details: { outcome: input.outcome, note: input.note },
      },
      now,
    )
    return { ok: true }
  })
}

/** Changes the force's reconciliation settings; they apply from the next run. */
export async function saveSettings(deps: Deps, actor: Actor, forceId: string, values: SettingsValues): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const now = deps.clock()
    const row = {
      window_minutes: values.windowMinutes,
      drift_threshold_seconds: values.driftThresholdSeconds,
      download_period_days: values.downloadPeriodDays,
      spark_test_minutes: values.sparkTestMinutes,
      updated_at: now,
      updated_by_user_id: actor.userId,
    }
    await trx
      .insertInto('reconciliation_settings')
      .values({ force_id: forceId, ...row })
      .onConflict((oc) => oc.column('force_id').doUpdateSet(row))
      .execute()
    await appendAudit(
      trx,
      {
        forceId,
        actor,
        action: 'reconciliation.settings_changed',
        entityType: 'reconciliation_settings',
        entityId: forceId,
        details: { ...values },
      },
      now,
    )
  })
}
