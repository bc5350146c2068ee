import { readFileSync } from 'node:fs'

/**
 * Where a V8 CPU profile (`node --cpu-prof`) spent its time: self time grouped by package (or by folder of our own
 * source), and the busiest functions. Idle time is left out of the shares, so they say where the CPU went.
 */

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}

interface CpuProfile {
  startTime: number
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

export interface ProfileSummary {
  file: string
  busyMs: number
  idleMs: number
  byPackage: { name: string; ms: number; share: number }[]
  topFunctions: { name: string; where: string; ms: number; share: number }[]
}

function packageOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame
  // Built-in bindings have no URL: name them, since `writev` (a socket write, i.e. a syscall) can dominate.
  if (!url) return functionName.startsWith('(') ? functionName : `native ${functionName || '(anonymous)'}`
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (modules?.[1]) return modules[1]
  if (url.startsWith('node:'))
    return `node:${url.slice(5).split('/')[0] === 'internal' ? url.slice(5).split('/')[1] : url.slice(5)}`
  const ours = /\/(src\/[^/]+(?:\/[^/]+)?)\//.exec(url)
  if (ours?.[1]) return ours[1]
  return url
    .replace(/^file:\/\//, '')
    .split('/')
    .slice(-2)
    .join('/')
}

/**
 * `fromUs` leaves out samples before that moment (microseconds on the monotonic clock, as `process.hrtime` and V8's
 * profiles both count), so start-up work such as loading modules does not dilute the picture.
 */
export function summariseCpuProfile(file: string, options: { fromUs?: number; top?: number } = {}): ProfileSummary {
  const top = options.top ?? 15
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const selfUs = new Map<number, number>()
  let at = profile.startTime
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0
    at += delta
    if (options.fromUs === undefined || at >= options.fromUs) selfUs.set(id, (selfUs.get(id) ?? 0) + delta)
  })

  let idleUs = 0
  const packages = new Map<string, number>()
  const functions = new Map<string, { where: string; us: number }>()
  for (const [id, us] of selfUs) {
    const node = byId.get(id)
    if (!node) continue
    const frame = node.callFrame
    if (frame.functionName === '(idle)') {
      idleUs += us
      continue
    }
    const name = packageOf(frame)
    packages.set(name, (packages.get(name) ?? 0) + us)
    const where = frame.url ? `${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber + 1}` : ''
    const key = `${frame.functionName || '(anonymous)'} ${where}`
    const entry = functions.get(key) ?? { where, us: 0 }
    entry.us += us
    functions.set(key, entry)
  }
  const busyUs = [...packages.values()].reduce((a, b) => a + b, 0)
  const share = (us: number) => us / (busyUs || 1)
  return {
    file,
    busyMs: busyUs / 1000,
    idleMs: idleUs / 1000,
    byPackage: [...packages.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000, share: share(us) })),
    topFunctions: [...functions.entries()]
      .sort((a, b) => b[1].us - a[1].us)
      .slice(0, top)
      .map(([key, f]) => ({ name: key.split(' ')[0] ?? key, where: f.where, ms: f.us / 1000, share: share(f.us) })),
  }
}
