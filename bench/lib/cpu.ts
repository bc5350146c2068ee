import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

// Clock ticks per second for /proc/<pid>/stat (100 on every Linux we run, but ask once rather than assume).
const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    return 100
  }
})()

/**
 * User + system CPU time of one process so far, in milliseconds (0 if it has gone). 10 ms resolution. With
 * `reapedChildren`, add that of its children that have exited and been waited for.
 */
export function processCpuMs(pid: number, reapedChildren = false): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // utime, stime, cutime and cstime are fields 14 to 17 of stat; 12 to 15 once pid and comm are dropped.
    const own = Number(fields[11]) + Number(fields[12])
    const children = reapedChildren ? Number(fields[13]) + Number(fields[14]) : 0
    return ((own + children) * 1000) / ticksPerSecond
  } catch {
    return 0
  }
}

/** This process's CPU time so far, in milliseconds (microsecond resolution). */
export function ownCpuMs(): number {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}

/**
 * CPU time every process on the machine has used so far (all cores, not idle or waiting for I/O), in milliseconds.
 * Less ours, it shows how much other work ran beside a measurement: on a shared machine, that is noise.
 */
export function machineCpuMs(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? ''
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number)
    return ((user + nice + system + irq + softirq + steal) * 1000) / ticksPerSecond
  } catch {
    return 0
  }
}
