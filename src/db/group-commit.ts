/**
 * Group commit: callers hand in one item each; while a write is in flight, further items queue, and as soon as a
 * slot is free every queued item (up to `max`) goes in ONE write, so the per-statement costs (round trip, executor
 * start-up, commit and WAL flush) are shared. At low load an item goes alone at once: there is no timer.
 *
 * `write` takes a batch and returns one result per item, in order. If it fails as a whole (say one bad row breaks a
 * constraint), each item is written again alone, so only the bad one fails. `separate` says two items must not share
 * a batch (the later one waits for the next).
 */
export class GroupCommit<Item, Result> {
  private readonly queue: { item: Item; resolve: (r: Result) => void; reject: (e: unknown) => void }[] = []
  private inFlight = 0

  constructor(
    private readonly write: (batch: Item[]) => Promise<Result[]>,
    private readonly options: { slots: number; max: number; separate?: (a: Item, b: Item) => boolean },
  ) {}

  submit(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ item, resolve, reject })
      this.next()
    })
  }

  private next(): void {
    if (this.inFlight >= this.options.slots || this.queue.length === 0) return
    const batch = this.take()
    this.inFlight++
    void this.run(batch).finally(() => {
      this.inFlight--
      this.next()
    })
  }

  /** The oldest queued items, up to `max`, leaving behind any that must not share a batch with one taken. */
  private take() {
    const { max, separate } = this.options
    const batch: typeof this.queue = []
    const left: typeof this.queue = []
    for (const entry of this.queue) {
      const apart = batch.length >= max || (separate && batch.some((b) => separate(b.item, entry.item)))
      ;(apart ? left : batch).push(entry)
    }
    this.queue.splice(0, this.queue.length, ...left)
    return batch
  }

  private async run(batch: typeof this.queue): Promise<void> {
    try {
      const results = await this.write(batch.map((b) => b.item))
      batch.forEach((b, i) => b.resolve(results[i] as Result))
    } catch (error) {
      if (batch.length === 1) return batch[0]?.reject(error)
      // One item may have broken the whole write: each alone, so only that one fails.
      await Promise.all(
        batch.map((b) =>
          this.write([b.item]).then(
            ([result]) => b.resolve(result as Result),
            (e: unknown) => b.reject(e),
          ),
        ),
      )
    }
  }
}
