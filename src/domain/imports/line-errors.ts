/** A problem in an uploaded file, with the line it is on (1 = the first line). */
export interface LineError {
  line: number
  message: string
}

/** At most this many problems are reported: enough to see what is wrong, without a wall of text. */
export const MAX_LINE_ERRORS = 100

/** Collects line errors up to the limit; `full` says when to stop looking. */
export class LineErrors {
  readonly list: LineError[] = []

  add(line: number, message: string): void {
    if (this.list.length < MAX_LINE_ERRORS) this.list.push({ line, message })
  }

  get full(): boolean {
    return this.list.length >= MAX_LINE_ERRORS
  }

  get any(): boolean {
    return this.list.length > 0
  }
}

/** The text of an uploaded file: UTF-8 (a byte-order mark is dropped), or null when it is not UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
  } catch {
    return null
  }
}
