import { cpus, totalmem } from 'node:os'
import { availableParallelism } from 'node:os'

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
