import type { StatTable } from '../../domain/statistics/stat-table.js'

/**
 * A table that exercises every part of the layout: grouped columns, a total row, "of which" rows, a cell that does
 * not apply, labels a CSV or a spreadsheet could mistake for a formula or split on, and non-ASCII text.
 */
export const sampleTable: StatTable = {
  id: 'table-x',
  title: 'Table X: Tactics used, by CED level — “test”',
  rowHeading: 'Tactic',
  columns: [
    { key: 'all', label: 'All incidents' },
    { key: 'drawn', label: 'Drawn', group: 'CED non-discharge' },
    { key: 'fired', label: 'Fired', group: 'CED discharge' },
  ],
  rows: [
    { key: 'total', label: 'Total', depth: 0, total: true, values: [12345, 30, 7] },
    { key: 'ced', label: 'CED, all uses', depth: 0, values: [37, 30, 7] },
    { key: 'ced-a', label: '=HYPERLINK("http://x","click")', depth: 1, values: [20, 18, 2] },
    { key: 'ced-b', label: '-minus, "quoted", Zoë', depth: 1, values: [17, 12, 5] },
    { key: 'other', label: '@other\nline', depth: 0, values: [12308, null, 0] },
  ],
  sums: [
    {
      total: [0, 0],
      parts: [
        [1, 0],
        [4, 0],
      ],
    },
  ],
  notes: ['Counts are of reports, one officer and one person.', '+ a note starting with a plus'],
}

/** Another table, so workbooks are checked with more than one sheet. */
export const secondTable: StatTable = {
  id: 'table-y',
  title: 'Table Y: Rates',
  rowHeading: 'Area',
  columns: [{ key: 'rate', label: 'Rate per 1,000' }],
  rows: [{ key: 'a', label: 'North', depth: 0, values: [1.25] }],
  sums: [],
  notes: [],
}
