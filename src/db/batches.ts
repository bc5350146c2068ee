/** Rows split into batches, so a bulk write is one INSERT per batch rather than one per row. */
export function chunks<T>(rows: T[], size = 1000): T[][] {
  const out: T[][] = []
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size))
  return out
}
