import { performance } from 'node:perf_hooks'

/**
 * A closed-loop load generator: `concurrency` workers, each sending its next request as soon as the last one is
 * answered, as a fixed set of clients would. A warm-up runs first and is not measured; then the measured run lasts
 * until `durationMs` has passed or `maxRequests` have been sent, whichever comes first.
 */

export interface LoadOptions {
  concurrency: number
  warmup: number
  durationMs: number
  maxRequests: number
  /** Sends request number `i` (unique across warm-up and run); resolves true if it succeeded. */
  send: (i: number) => Promise<boolean>
  /** Called around the measured part only, e.g. to read CPU counters. */
  onStart?: () => void
  onEnd?: () => void
}

export interface LoadResult {
  concurrency: number
  /** Requests measured (successful or not), excluding warm-up. */
  requests: number
  ok: number
  errors: number
  /** Failures during the warm-up, which should be none either. */
  warmupErrors: number
  /** Successful requests including warm-up: what the database should now hold. */
  okIncludingWarmup: number
  elapsedMs: number
  perSecond: number
  latencyMs: { p50: number; p95: number; p99: number; max: number; mean: number }
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN
  // Nearest rank: the smallest value with at least p% of values at or below it.
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[rank - 1] ?? Number.NaN
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { concurrency, warmup, durationMs, maxRequests, send } = options
  let next = 0
  let warmupOk = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < warmup) {
        if (await send(next++)) warmupOk++
      }
    }),
  )
  const warmupErrors = next - warmupOk

  const latencies = new Float64Array(maxRequests)
  let measured = 0
  let ok = 0
  const first = next
  options.onStart?.()
  const started = performance.now()
  // A clock check rather than a timer: PGlite answers through microtasks alone, so a timer may never get to run.
  const deadline = started + durationMs
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next - first < maxRequests && performance.now() < deadline) {
        const i = next++
        const t0 = performance.now()
        const success = await send(i)
        latencies[measured++] = performance.now() - t0
        if (success) ok++
      }
    }),
  )
  const elapsedMs = performance.now() - started
  options.onEnd?.()

  const sorted = latencies.slice(0, measured).sort()
  const mean = sorted.reduce((a, b) => a + b, 0) / (measured || 1)
  return {
    concurrency,
    requests: measured,
    ok,
    errors: measured - ok,
    warmupErrors,
    okIncludingWarmup: ok + warmupOk,
    elapsedMs,
    perSecond: (ok / elapsedMs) * 1000,
    latencyMs: {
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: sorted[sorted.length - 1] ?? Number.NaN,
      mean,
    },
  }
}
