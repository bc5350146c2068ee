/**
 * Reads RFC 4180 CSV back into rows of fields (a leading byte-order mark dropped), for checking what the writers and
 * LibreOffice produce. Fields are text; quoted fields may hold commas, doubled quotes and line breaks.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text
  const endField = () => {
    row.push(field)
    field = ''
  }
  for (let i = 0; i < input.length; i++) {
    const ch = input[i]
    if (quoted) {
      if (ch === '"' && input[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') endField()
    else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && input[i + 1] === '\n') i++
      endField()
      rows.push(row)
      row = []
    } else field += ch
  }
  if (field !== '' || row.length > 0) {
    endField()
    rows.push(row)
  }
  return rows
}
