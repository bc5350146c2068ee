import { describe, expect, it } from 'vitest'
import { barChart, lineChart, niceStep } from './charts.js'

const text = { id: 'c', title: 'Title <with> "marks"', description: 'A & B' }

describe('niceStep', () => {
  it.each([
    [0, 1],
    [3, 1],
    [40, 10],
    [330, 100],
    [1234, 500],
    [19, 5],
  ])('for a maximum of %d steps by %d', (max, step) => {
    expect(niceStep(max)).toBe(step)
  })
})

describe('barChart', () => {
  it('is a named image whose bars are in proportion and whose values are written out', () => {
    const svg = barChart(text, [
      { label: 'White', value: 200 },
      { label: 'Black & other', value: 50 },
      { label: 'None', value: 0 },
    ])
    expect(svg).toMatch(/^<svg class="app-chart" viewBox="0 0 360 114" role="img" focusable="false"/)
    expect(svg).toContain('aria-labelledby="c-title c-desc"')
    expect(svg).toContain('<title id="c-title">Title &lt;with&gt; &quot;marks&quot;</title>')
    expect(svg).toContain('<desc id="c-desc">A &amp; B</desc>')
    const widths = [...svg.matchAll(/<rect class="app-chart__bar"[^>]* width="([\d.]+)"/g)].map((m) => Number(m[1]))
    expect(widths).toEqual([290, 72.5, 0])
    expect([...svg.matchAll(/<text class="app-chart__value"[^>]*>([^<]*)</g)].map((m) => m[1])).toEqual([
      '200',
      '50',
      '0',
    ])
    expect(svg).toContain('>Black &amp; other<')
    expect(svg).not.toMatch(/style=/)
  })

  it('prints values with the formatter given, as its table does', () => {
    expect(barChart(text, [{ label: 'A', value: 2.7 }], (v) => v.toFixed(2))).toContain('>2.70<')
  })
})

describe('lineChart', () => {
  const months = ['2025-11', '2025-12', '2026-01', '2026-02']
  const svg = lineChart(text, months, [
    { name: 'Reports', values: [10, 20, 30, 40] },
    { name: 'Taser', values: [1, 2, 3, 4] },
  ])

  it('draws a line per series with a marker per month, each series its own shape and pattern', () => {
    expect(svg.match(/<polyline class="app-chart__line app-chart__line--1"/g)).toHaveLength(1)
    expect(svg.match(/<polyline class="app-chart__line app-chart__line--2"/g)).toHaveLength(1)
    // Four months and one in the legend: circles for the first series, squares for the second.
    expect(svg.match(/<circle class="app-chart__marker app-chart__marker--1"/g)).toHaveLength(5)
    expect(svg.match(/<rect class="app-chart__marker app-chart__marker--2"/g)).toHaveLength(5)
  })

  it('labels months, with the year under the first month and under January', () => {
    const labels = [...svg.matchAll(/<text class="app-chart__axis"[^>]*text-anchor="middle">([^<]+)</g)].map(
      (m) => m[1],
    )
    expect(labels).toEqual(['Nov', '2025', 'Dec', 'Jan', '2026', 'Feb'])
  })

  it('puts the highest value on the top gridline when it is a whole step', () => {
    const top = Math.min(
      ...[...svg.matchAll(/<polyline[^>]*points="([^"]+)"/g)][0]![1]!.split(' ').map((p) => Number(p.split(',')[1])),
    )
    const gridlines = [...svg.matchAll(/<line class="app-chart__grid"[^>]* y1="([\d.]+)"/g)].map((m) => Number(m[1]))
    expect(Math.min(...gridlines)).toBe(top)
  })
})
