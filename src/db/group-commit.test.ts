import { describe, expect, it } from 'vitest'
import { GroupCommit } from './group-commit.js'

/** A write that records each batch it was given and finishes when told to. */
function recorder(fail: (batch: number[]) => boolean = () => false) {
  const batches: number[][] = []
  const pending: (() => void)[] = []
  const write = (batch: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      batches.push(batch)
      pending.push(() => (fail(batch) ? reject(new Error('bad row')) : resolve(batch.map((n) => `done ${n}`))))
    })
  const finishAll = async () => {
    while (pending.length) {
      pending.splice(0).forEach((finish) => finish())
      await new Promise((r) => setImmediate(r))
    }
  }
  return { batches, write, finishAll }
}

describe('group commit', () => {
  it('sends an item alone at once when nothing is in flight, and queues the rest into one batch', async () => {
    const { batches, write, finishAll } = recorder()
    const group = new GroupCommit(write, { slots: 1, max: 64 })
    const results = [1, 2, 3, 4].map((n) => group.submit(n))
    expect(batches).toEqual([[1]])
    await finishAll()
    expect(await Promise.all(results)).toEqual(['done 1', 'done 2', 'done 3', 'done 4'])
    expect(batches).toEqual([[1], [2, 3, 4]])
  })

  it('caps a batch, and keeps apart items that must not share one', async () => {
    const { batches, write, finishAll } = recorder()
    const group = new GroupCommit(write, { slots: 1, max: 2, separate: (a, b) => a % 10 === b % 10 })
    const results = [1, 2, 12, 3, 4].map((n) => group.submit(n))
    await finishAll()
    await Promise.all(results)
    expect(batches).toEqual([[1], [2, 3], [12, 4]])
  })

  it('when a batch fails, writes each of its items alone so only the bad one fails', async () => {
    const { batches, write, finishAll } = recorder((batch) => batch.includes(3))
    const group = new GroupCommit(write, { slots: 1, max: 64 })
    const settling = Promise.allSettled([1, 2, 3, 4].map((n) => group.submit(n)))
    await finishAll()
    const settled = await settling
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled'])
    expect(batches).toEqual([[1], [2, 3, 4], [2], [3], [4]])
  })
})
