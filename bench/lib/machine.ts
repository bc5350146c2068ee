import { execFileSync } from 'node:child_process'
import { availableParallelism, cpus, totalmem } from 'node:os'

export interface Machine {
  nproc: number
  cpuModel: string
  memoryGiB: number
  node: string
  platform: string
}

export function machine(): Machine {
  return {
    nproc: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  }
}

export interface Revision {
  commit: string
  /** Files changed since that commit (the benchmark measured them too), bench/ left out. */
  uncommitted: string[]
}

/** Which code was measured: the commit, and any uncommitted changes outside bench/. */
export function revision(cwd: string): Revision {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8' }).trim()
    const status = execFileSync('git', ['status', '--porcelain'], { cwd, encoding: 'utf8' })
    const uncommitted = status
      .split('\n')
      .map((line) => line.slice(3).trim())
      .filter((file) => file && !file.startsWith('bench/'))
    return { commit, uncommitted }
  } catch {
    return { commit: 'unknown', uncommitted: [] }
  }
}
