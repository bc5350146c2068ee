const ISO_UTC = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,3}))?Z$/

/** Milliseconds since the epoch for a UTC ISO 8601 time with `Z`, or null when it is not one or not a real date. */
export function parseUtc(text: string): number | null {
  const m = ISO_UTC.exec(text)
  if (!m) return null
  const year = +(m[1] ?? 0)
  const month = +(m[2] ?? 0)
  const day = +(m[3] ?? 0)
  const hour = +(m[4] ?? 0)
  const minute = +(m[5] ?? 0)
  const second = +(m[6] ?? 0)
  // Checked by hand rather than by Date, which rolls 31 April over to 1 May (and is slower, a million times over).
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59)
    return null
  const fraction = m[7] ? Number(m[7].padEnd(3, '0')) : 0
  return Date.UTC(year, month - 1, day, hour, minute, second, fraction)
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}
