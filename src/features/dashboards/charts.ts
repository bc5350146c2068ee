/**
 * Hand-written SVG charts, rendered on the server. Why no chart library: the page must work without JavaScript and
 * under a Content Security Policy with no 'unsafe-inline' (client-side libraries draw with scripts and inline
 * styles), and what we need — bars and lines over a dozen points — is a few dozen lines, far smaller than any
 * library. Every chart is an image with a title and a description (role="img"), its numbers are in a table beside
 * it, series differ by marker shape and line pattern as well as colour, and the drawing is 360 units wide so its
 * text stays legible when scaled to a 375 px phone. Colours and fonts are classes in application.scss.
 */

export interface ChartText {
  /** Unique on the page: the title and description ids derive from it. */
  id: string
  title: string
  description: string
}

const WIDTH = 360

const escapeXml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)

const number = new Intl.NumberFormat('en-GB')

function frame(text: ChartText, height: number, body: string): string {
  const id = escapeXml(text.id)
  return (
    `<svg class="app-chart" viewBox="0 0 ${WIDTH} ${height}" role="img" focusable="false" ` +
    `aria-labelledby="${id}-title ${id}-desc" data-testid="${id}">` +
    `<title id="${id}-title">${escapeXml(text.title)}</title>` +
    `<desc id="${id}-desc">${escapeXml(text.description)}</desc>${body}</svg>`
  )
}

/** A step of 1, 2 or 5 times a power of ten giving about `ticks` gridlines up to `max`. */
export function niceStep(max: number, ticks = 4): number {
  if (max <= 0) return 1
  const rough = max / ticks
  const power = 10 ** Math.floor(Math.log10(rough))
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power
  return Math.max(1, step)
}

export interface Bar {
  label: string
  value: number
}

const BAR_ROW = 38
const BAR_HEIGHT = 14

/**
 * Horizontal bars, one a row, the label above its bar and the value after it: labels of any length fit a phone,
 * and the value is written, so nothing depends on reading a length or a colour.
 */
export function barChart(text: ChartText, bars: readonly Bar[], format = (v: number) => number.format(v)): string {
  const max = Math.max(0, ...bars.map((b) => b.value))
  const room = WIDTH - 70
  const rows = bars.map((bar, i) => {
    const y = i * BAR_ROW
    const length = max > 0 ? Math.max(bar.value > 0 ? 2 : 0, (bar.value / max) * room) : 0
    return (
      `<text class="app-chart__label" x="0" y="${y + 13}">${escapeXml(bar.label)}</text>` +
      `<rect class="app-chart__bar" x="0" y="${y + 18}" width="${length.toFixed(1)}" height="${BAR_HEIGHT}"/>` +
      `<text class="app-chart__value" x="${(length + 6).toFixed(1)}" y="${y + 30}">${escapeXml(format(bar.value))}</text>`
    )
  })
  return frame(text, Math.max(BAR_ROW, bars.length * BAR_ROW), rows.join(''))
}

export interface Series {
  name: string
  values: readonly number[]
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const LEGEND_ROW = 20
const PLOT = { left: 40, right: 12, height: 170, bottom: 36 }

/** A marker of a different shape for each series (circle, square, triangle, diamond), centred on (x, y). */
function marker(series: number, x: number, y: number): string {
  const cls = `app-chart__marker app-chart__marker--${(series % 4) + 1}`
  const [cx, cy] = [x.toFixed(1), y.toFixed(1)]
  switch (series % 4) {
    case 0:
      return `<circle class="${cls}" cx="${cx}" cy="${cy}" r="4"/>`
    case 1:
      return `<rect class="${cls}" x="${(x - 4).toFixed(1)}" y="${(y - 4).toFixed(1)}" width="8" height="8"/>`
    case 2:
      return `<path class="${cls}" d="M${cx} ${(y - 5).toFixed(1)}L${(x + 5).toFixed(1)} ${(y + 4).toFixed(1)}L${(x - 5).toFixed(1)} ${(y + 4).toFixed(1)}Z"/>`
    default:
      return `<path class="${cls}" d="M${cx} ${(y - 5).toFixed(1)}L${(x + 5).toFixed(1)} ${cy}L${cx} ${(y + 5).toFixed(1)}L${(x - 5).toFixed(1)} ${cy}Z"/>`
  }
}

/**
 * Lines by month ('YYYY-MM'), each series its own line pattern and marker shape, with a legend that shows both.
 * Month labels thin out past twelve months; the year is written under January and the first month.
 */
export function lineChart(text: ChartText, months: readonly string[], series: readonly Series[]): string {
  const legendHeight = series.length * LEGEND_ROW + 6
  const top = legendHeight + 8
  const plotWidth = WIDTH - PLOT.left - PLOT.right
  const max = Math.max(0, ...series.flatMap((s) => s.values))
  const step = niceStep(max)
  const yMax = Math.max(step, Math.ceil(max / step) * step)
  const x = (i: number) => PLOT.left + (months.length <= 1 ? plotWidth / 2 : (i / (months.length - 1)) * plotWidth)
  const y = (v: number) => top + PLOT.height - (v / yMax) * PLOT.height
  const parts: string[] = []
  series.forEach((s, i) => {
    const ly = i * LEGEND_ROW + 10
    parts.push(
      `<line class="app-chart__line app-chart__line--${(i % 4) + 1}" x1="4" y1="${ly}" x2="34" y2="${ly}"/>`,
      marker(i, 19, ly),
      `<text class="app-chart__label" x="42" y="${ly + 4}">${escapeXml(s.name)}</text>`,
    )
  })
  for (let v = 0; v <= yMax; v += step)
    parts.push(
      `<line class="app-chart__grid" x1="${PLOT.left}" y1="${y(v).toFixed(1)}" x2="${WIDTH - PLOT.right}" y2="${y(v).toFixed(1)}"/>`,
      `<text class="app-chart__axis" x="${PLOT.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${number.format(v)}</text>`,
    )
  const every = Math.ceil(months.length / 12)
  months.forEach((month, i) => {
    if (i % every !== 0) return
    const [year, m] = month.split('-')
    const name = MONTHS[Number(m) - 1] ?? month
    const base = top + PLOT.height
    parts.push(
      `<text class="app-chart__axis" x="${x(i).toFixed(1)}" y="${base + 16}" text-anchor="middle">${name}</text>`,
    )
    if (i === 0 || m === '01')
      parts.push(
        `<text class="app-chart__axis" x="${x(i).toFixed(1)}" y="${base + 31}" text-anchor="middle">${year}</text>`,
      )
  })
  series.forEach((s, i) => {
    const points = s.values.map((v, j) => `${x(j).toFixed(1)},${y(v).toFixed(1)}`).join(' ')
    parts.push(`<polyline class="app-chart__line app-chart__line--${(i % 4) + 1}" points="${points}"/>`)
    s.values.forEach((v, j) => parts.push(marker(i, x(j), y(v))))
  })
  return frame(text, top + PLOT.height + PLOT.bottom, parts.join(''))
}
