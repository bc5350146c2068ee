/**
 * What must be undone if the run is interrupted (Ctrl-C): a server process, a PostgreSQL cluster. Each entry removes
 * itself when it is undone the ordinary way.
 */
const pending = new Set<() => Promise<void>>()

export function onInterrupt(undo: () => Promise<void>): () => void {
  pending.add(undo)
  return () => pending.delete(undo)
}

/** Undoes everything still pending, newest first, ignoring failures: used on the way out. */
export async function undoAll(): Promise<void> {
  for (const undo of [...pending].reverse()) {
    pending.delete(undo)
    await undo().catch(() => undefined)
  }
}
