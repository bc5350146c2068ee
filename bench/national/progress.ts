/**
 * A progress bar for long loads. Hand-written rather than `cli-progress` because it is this small, and because the
 * loads also run with output to a log file: there it prints a plain line every 10% instead of redrawing.
 */
export class Progress {
  private readonly started = performance.now()
  private lastDraw = 0
  private lastTenth = -1
  private readonly tty = process.stderr.isTTY === true

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly unit: string,
  ) {}

  update(done: number): void {
    const now = performance.now()
    const fraction = Math.min(1, done / this.total)
    const tenth = Math.floor(fraction * 10)
    if (this.tty ? now - this.lastDraw < 200 && done < this.total : tenth === this.lastTenth) return
    this.lastDraw = now
    this.lastTenth = tenth
    const seconds = (now - this.started) / 1000
    const rate = done / Math.max(seconds, 0.001)
    const eta = rate > 0 ? (this.total - done) / rate : 0
    const width = 30
    const filled = Math.round(fraction * width)
    const line =
      `${this.label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ` +
      `${done.toLocaleString('en-GB')}/${this.total.toLocaleString('en-GB')} ${this.unit}, ` +
      `${Math.round(rate).toLocaleString('en-GB')}/s, ${seconds.toFixed(0)} s, about ${eta.toFixed(0)} s left`
    process.stderr.write(this.tty ? `\r${line}\u001b[K` : `${line}\n`)
  }

  done(): void {
    if (this.tty) process.stderr.write('\n')
  }
}
