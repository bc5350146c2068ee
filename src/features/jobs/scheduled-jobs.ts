import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import { systemActor, type Actor } from '../audit/ledger.js'
import { deleteExpiredSessions } from '../auth/session-store.js'
import { evaluateEarlyIntervention } from '../early-intervention/early-intervention.service.js'
import { applyRetention } from '../retention/retention.service.js'
import { runPreparations } from '../transparency/preparation-jobs.js'
import { homeOfficeTables } from '../transparency/table-source.js'
import { ensureWelfareFollowUps } from '../welfare/welfare.service.js'

/**
 * Work that follows from what was recorded rather than from a request: welfare follow-ups for officers recorded as
 * assaulted or injured, early-intervention flags as of today, records past their retention period, publications
 * waiting to be prepared and expired sessions. Each job is
 * idempotent, so running twice, or late, or on two servers at once changes nothing twice (the per-force jobs
 * serialise on their own locks). The server runs them at start and every few minutes (`JOBS_INTERVAL_MINUTES`);
 * `forceledger run-jobs` runs them once, for a cron job or after a bulk import.
 *
 * Not run when a page opens: a GET must not change anything, and the list pages then stay as fast as their queries.
 */
interface Deps {
  db: Db
  clock: Clock
}

type ForceJob = (deps: Deps, actor: Actor, forceId: string) => Promise<number>

const forceJobs: Record<string, ForceJob> = {
  'welfare follow-ups created': (deps, actor, forceId) => ensureWelfareFollowUps(deps, actor, forceId),
  'early-intervention flags raised': async (deps, actor, forceId) =>
    (await evaluateEarlyIntervention(deps, actor, forceId)).raised,
  'records removed under the retention periods': (deps, actor, forceId) => applyRetention(deps, actor, forceId),
  // Publications asked for but not prepared, e.g. when the server stopped (a request starts them at once).
  'publications prepared': (deps, _actor, forceId) => runPreparations({ ...deps, tables: homeOfficeTables }, forceId),
}

/** What one run did: a count per job, and the jobs that failed with why (the others still ran). */
export interface JobsRun {
  done: Record<string, number>
  failed: { job: string; forceId: string | null; error: string }[]
}

export async function runScheduledJobs(deps: Deps): Promise<JobsRun> {
  const run: JobsRun = { done: {}, failed: [] }
  const attempt = async (job: string, forceId: string | null, work: () => Promise<number>) => {
    try {
      run.done[job] = (run.done[job] ?? 0) + (await work())
    } catch (error) {
      run.failed.push({ job, forceId, error: error instanceof Error ? error.message : String(error) })
    }
  }
  await attempt('expired sessions removed', null, () => deleteExpiredSessions(deps.db, deps.clock()))
  const forces = await deps.db.selectFrom('forces').select('id').orderBy('id').execute()
  for (const { id } of forces)
    for (const [job, work] of Object.entries(forceJobs)) await attempt(job, id, () => work(deps, systemActor, id))
  return run
}

/**
 * Runs the jobs now and then every `intervalMinutes`, one run at a time; `stop` waits for a run in progress.
 * Failures are logged and retried at the next run.
 */
export function startScheduledJobs(
  deps: Deps,
  intervalMinutes: number,
  log: { info(details: object, message: string): void; error(details: object, message: string): void },
): { stop(): Promise<void> } {
  let running: Promise<void> | null = null
  const tick = () => {
    if (running) return
    running = runScheduledJobs(deps)
      .then(({ done, failed }) => {
        if (failed.length > 0) log.error({ failed }, 'scheduled jobs failed')
        if (Object.values(done).some((n) => n > 0)) log.info({ done }, 'scheduled jobs ran')
      })
      .catch((error: unknown) => log.error({ error }, 'scheduled jobs failed'))
      .finally(() => {
        running = null
      })
  }
  tick()
  const timer = setInterval(tick, intervalMinutes * 60_000)
  timer.unref()
  return {
    async stop() {
      clearInterval(timer)
      await running
    },
  }
}
