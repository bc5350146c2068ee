import { sql } from 'kysely'
import type { Db } from '../../db/database.js'
import type { DisclosureMethod } from '../../domain/disclosure/disclosure.js'
import type { Period } from '../../domain/statistics/period.js'
import { appendAudit, type Actor } from '../audit/ledger.js'
import { prepare, type TransparencyDeps } from './publications.service.js'

/**
 * Preparing a quarter (counting it, disclosure control on every table, the open data and every download file) runs
 * as a job rather than in the analyst's request: the request only queues it, and the analyst's page shows it as
 * being prepared, then the draft, or why it failed.
 *
 * - **Once per quarter at a time.** A unique index allows one waiting or running job per force and quarter, so asking
 *   again while it is being prepared adds nothing.
 * - **Safe on restart.** A job is taken with `for update skip locked`, so two servers never run the same one, and its
 *   draft is written in one transaction, so a job cut short leaves nothing half-written. A job still marked running
 *   long after it started belongs to a server that stopped; it is taken again, up to `MAX_ATTEMPTS` times.
 * - **Run at once and on schedule.** The server starts the queue as soon as a job is asked for (`PreparationRunner`);
 *   the scheduled jobs (src/features/jobs/) run it as well, which picks up whatever a restart left behind.
 */
export type JobStatus = 'queued' | 'running' | 'ready' | 'failed'

export interface PreparationJob {
  id: string
  period: Period
  status: JobStatus
  requestedAt: Date
  finishedAt: Date | null
  error: string | null
  publicationId: string | null
}

/** Long enough for the largest preparation on a busy machine; a running job older than this was abandoned. */
const LEASE_MINUTES = 10
const MAX_ATTEMPTS = 3

/** Queues a quarter to be prepared, or finds the job already waiting or running for it. */
export async function requestPreparation(
  { db, clock }: Pick<TransparencyDeps, 'db' | 'clock'>,
  actor: Actor,
  forceId: string,
  period: Period,
  method: DisclosureMethod,
): Promise<{ jobId: string; queued: boolean }> {
  return db.transaction().execute(async (trx) => {
    const now = clock()
    const inserted = await trx
      .insertInto('publication_jobs')
      .values({
        force_id: forceId,
        period_from: period.from,
        period_to: period.to,
        method: JSON.stringify(method),
        requested_by_user_id: actor.userId,
        requested_at: now,
        status: 'queued',
      })
      .onConflict((oc) =>
        oc.columns(['force_id', 'period_from', 'period_to']).where('status', 'in', ['queued', 'running']).doNothing(),
      )
      .returning('id')
      .executeTakeFirst()
    if (!inserted) {
      const active = await trx
        .selectFrom('publication_jobs')
        .select('id')
        .where('force_id', '=', forceId)
        .where('period_from', '=', period.from)
        .where('period_to', '=', period.to)
        .where('status', 'in', ['queued', 'running'])
        .executeTakeFirstOrThrow()
      return { jobId: active.id, queued: false }
    }
    await appendAudit(
      trx,
      {
        forceId,
        actor,
        action: 'publication.preparation_requested',
        entityType: 'publication_job',
        entityId: inserted.id,
        details: { period, method },
        requestId: actor.requestId ?? null,
      },
      now,
    )
    return { jobId: inserted.id, queued: true }
  })
}

/**
 * Runs waiting jobs (of one force, or of every force) one after another until none is left; returns how many were
 * prepared. A job that fails is marked failed with the reason, and the others still run.
 */
export async function runPreparations(deps: TransparencyDeps, forceId: string | null): Promise<number> {
  let prepared = 0
  for (;;) {
    const job = await claimNext(deps, forceId)
    if (!job) return prepared
    try {
      const actor: Actor = { userId: job.requested_by_user_id, label: job.username ?? 'system' }
      const period = { from: job.period_from, to: job.period_to }
      const publicationId = await prepare(deps, actor, job.force_id, period, job.method)
      await finish(deps, job.id, { status: 'ready', publication_id: publicationId })
      prepared++
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      await finish(deps, job.id, { status: 'failed', error: reason.slice(0, 500) || 'Unknown error' })
    }
  }
}

async function claimNext({ db, clock }: TransparencyDeps, forceId: string | null) {
  const now = clock()
  const abandoned = new Date(now.getTime() - LEASE_MINUTES * 60_000)
  return db.transaction().execute(async (trx) => {
    // A job abandoned too often is not tried again: it would only stop the server once more.
    await trx
      .updateTable('publication_jobs')
      .set({ status: 'failed', finished_at: now, error: 'The server stopped while preparing it, three times.' })
      .where('status', '=', 'running')
      .where('started_at', '<', abandoned)
      .where('attempts', '>=', MAX_ATTEMPTS)
      .execute()
    let next = trx
      .selectFrom('publication_jobs')
      .select('id')
      .where((eb) =>
        eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'running'), eb('started_at', '<', abandoned)])]),
      )
      .orderBy('requested_at')
      .limit(1)
      .forUpdate()
      .skipLocked()
    if (forceId) next = next.where('force_id', '=', forceId)
    const row = await next.executeTakeFirst()
    if (!row) return undefined
    await trx
      .updateTable('publication_jobs')
      .set({ status: 'running', started_at: now, attempts: sql`attempts + 1` })
      .where('id', '=', row.id)
      .execute()
    return trx
      .selectFrom('publication_jobs as j')
      .leftJoin('users as u', 'u.id', 'j.requested_by_user_id')
      .select([
        'j.id',
        'j.force_id',
        'j.period_from',
        'j.period_to',
        'j.method',
        'j.requested_by_user_id',
        'u.username',
      ])
      .where('j.id', '=', row.id)
      .executeTakeFirstOrThrow()
  })
}

async function finish(
  { db, clock }: TransparencyDeps,
  jobId: string,
  outcome: { status: 'ready'; publication_id: string } | { status: 'failed'; error: string },
) {
  await db
    .updateTable('publication_jobs')
    .set({ ...outcome, finished_at: clock() })
    .where('id', '=', jobId)
    .where('status', '=', 'running')
    .execute()
}

/**
 * What the analyst's page shows: each quarter's latest job while it is waiting or running, or when it failed (until
 * the quarter is asked for again). A ready job needs no line of its own: its draft is listed.
 */
export async function listPreparations(db: Db, forceId: string): Promise<PreparationJob[]> {
  const rows = await db
    .selectFrom('publication_jobs')
    .selectAll()
    .distinctOn(['period_from', 'period_to'])
    .where('force_id', '=', forceId)
    .orderBy('period_from', 'desc')
    .orderBy('period_to')
    .orderBy('requested_at', 'desc')
    .execute()
  return rows
    .filter((r) => r.status !== 'ready')
    .map((r) => ({
      id: r.id,
      period: { from: r.period_from, to: r.period_to },
      status: r.status,
      requestedAt: r.requested_at,
      finishedAt: r.finished_at,
      error: r.error,
      publicationId: r.publication_id,
    }))
}

/**
 * Starts the queue in the background when a job is asked for, one run at a time (a run started while one is going
 * is picked up by it); `idle` waits for the run in progress, for a clean shutdown and for tests.
 */
export class PreparationRunner {
  private running: Promise<void> | null = null
  private again = false

  constructor(
    private readonly deps: TransparencyDeps,
    private readonly log: { error(details: object, message: string): void },
  ) {}

  kick(): void {
    if (this.running) {
      this.again = true
      return
    }
    this.running = (async () => {
      do {
        this.again = false
        await runPreparations(this.deps, null)
      } while (this.again)
    })()
      .catch((error: unknown) => this.log.error({ error }, 'preparing a publication failed'))
      .finally(() => {
        this.running = null
      })
  }

  async idle(): Promise<void> {
    await this.running
  }
}
