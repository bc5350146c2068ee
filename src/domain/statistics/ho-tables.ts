import { cedLevels, type CedLevel } from '../use-of-force/ced.js'
import {
  impactFactors,
  locationGroups,
  locationTypes,
  outcomes,
  reasons,
  yesNoNotReported,
} from '../use-of-force/context.js'
import { ageBands, genders, healthConditions, perceivedEthnicities } from '../use-of-force/subject.js'
import { tacticGroups, tactics, type Tactic } from '../use-of-force/tactics.js'

/**
 * The layouts of the Home Office table set (YE March 2019 and 2020 workbooks, domain reference 1.7): which rows and
 * columns each table has, in HO order and wording, and which reports each row and column counts. Pure data built from
 * the code lists; the counting engine (src/features/statistics/engine.ts) turns the predicates into SQL.
 */

/**
 * Which reports a tactic row counts. `any`: the report records any tactic in `mask` and, when `cedLevels` is given,
 * its highest CED level is one of them (null in the list: CED recorded with no level, the HO "Not stated").
 * `all`: every report. `none`: no tactic in `mask` at all (the HO "Not reported" row).
 */
export type ReportMatch =
  | { readonly kind: 'any'; readonly mask: number; readonly cedLevels?: readonly (CedLevel | null)[] }
  | { readonly kind: 'all' }
  | { readonly kind: 'none'; readonly mask: number }

export interface TacticRow {
  readonly key: string
  readonly label: string
  readonly depth: number
  readonly total?: boolean
  /** The reports the row's "number of incidents involving tactic" counts. */
  readonly match: ReportMatch
  /** Rows whose "number of times reported" add up to this row's; empty for a leaf, whose times are its reports. */
  readonly parts: readonly string[]
}

const maskOf = (values: readonly Tactic[]) => tactics.toMask(values)
const tacticsWhere = (test: (code: (typeof tactics.codes)[number]) => boolean) =>
  tactics.codes.filter(test).map((code) => code.value)

/** Every tactic that is a use of force: all but tactical communication. */
export const useOfForceMask = maskOf(tacticsWhere((code) => code.useOfForce))

const leaf = (key: string, label: string, depth: number, match: ReportMatch): TacticRow => ({
  key,
  label,
  depth,
  match,
  parts: [],
})

/** The HO tactic rows of one type of force ("Total Restraint" and what is under it). */
function groupRows(group: (typeof tacticGroups.codes)[number]['value'], cedBlock: readonly TacticRow[]): TacticRow[] {
  const codes = tactics.codes.filter((code) => code.hoGroup === group)
  const groupLabel = tacticGroups.label(group)
  const rows: TacticRow[] = []
  const parts: string[] = []
  // Codes sharing an HO row (CS and PAVA spray, firearm aimed and fired) make one row, counted once per report.
  const seen = new Set<string>()
  for (const code of codes) {
    const parent = code.hoParent
    if (parent) {
      if (seen.has(`parent:${parent}`)) continue
      seen.add(`parent:${parent}`)
      if (parent === 'CED') {
        parts.push('ced')
        rows.push(...cedBlock)
        continue
      }
      const parentKey = `${group}.${slug(parent)}`
      parts.push(parentKey)
      const children = codes.filter((c) => c.hoParent === parent)
      const childRows = uniqueBy(children, (c) => c.hoRow).map((child) =>
        leaf(
          `${parentKey}.${slug(child.hoRow)}`,
          child.hoRow,
          2,
          anyOf(children.filter((c) => c.hoRow === child.hoRow).map((c) => c.value)),
        ),
      )
      rows.push({
        key: parentKey,
        label: `${parent}, of which`,
        depth: 1,
        match: anyOf(children.map((c) => c.value)),
        parts: childRows.map((row) => row.key),
      })
      rows.push(...childRows)
      continue
    }
    if (seen.has(code.hoRow)) continue
    seen.add(code.hoRow)
    const key = `${group}.${slug(code.hoRow)}`
    parts.push(key)
    rows.push(leaf(key, code.hoRow, 1, anyOf(codes.filter((c) => c.hoRow === code.hoRow).map((c) => c.value))))
  }
  const groupMatch = anyOf(codes.map((c) => c.value))
  // A type of force with a single row (unarmed skills, firearms) is that row: the HO prints it once, as the total.
  if (rows.length === 1 && rows[0]) {
    return [{ ...rows[0], key: group, label: `Total ${groupLabel}`, depth: 0, total: true }]
  }
  return [{ key: group, label: `Total ${groupLabel}`, depth: 0, total: true, match: groupMatch, parts }, ...rows]
}

function anyOf(values: readonly Tactic[], levels?: readonly (CedLevel | null)[]): ReportMatch {
  return levels ? { kind: 'any', mask: maskOf(values), cedLevels: levels } : { kind: 'any', mask: maskOf(values) }
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>()
  return items.filter((item) => !seen.has(key(item)) && seen.add(key(item)))
}

const levelsIn = (group: 'non_discharge' | 'discharge') =>
  cedLevels.codes.filter((code) => code.group === group).map((code) => code.value)

/** Table 1's CED block: the highest level of each report, then "Not stated" (CED recorded with no level). */
const cedByLevel: TacticRow[] = (() => {
  const children = [
    ...cedLevels.codes.map((code) => leaf(`ced.${code.value}`, code.hoRow, 2, anyOf(['ced'], [code.value]))),
    leaf('ced.not-stated', 'Not stated', 2, anyOf(['ced'], [null])),
  ]
  return [
    { key: 'ced', label: 'CED, of which', depth: 1, match: anyOf(['ced']), parts: children.map((r) => r.key) },
    ...children,
  ]
})()

/** The breakdown tables' CED block from 2019/20: non-discharge, discharge and not stated. */
const cedByGroup: TacticRow[] = (() => {
  const children = [
    leaf('ced.non-discharge', 'CED non-discharge', 2, anyOf(['ced'], levelsIn('non_discharge'))),
    leaf('ced.discharge', 'CED discharge', 2, anyOf(['ced'], levelsIn('discharge'))),
    leaf('ced.not-stated', 'CED not stated', 2, anyOf(['ced'], [null])),
  ]
  return [
    { key: 'ced', label: 'CED, of which', depth: 1, match: anyOf(['ced']), parts: children.map((r) => r.key) },
    ...children,
  ]
})()

function tacticRows(cedBlock: readonly TacticRow[]): TacticRow[] {
  const groups = tacticGroups.codes.filter((g) => g.value !== 'tactical_communication')
  const blocks = groups.map((g) => groupRows(g.value, cedBlock))
  return [
    {
      key: 'total',
      label: 'Total Tactics',
      depth: 0,
      total: true,
      // The HO's "incidents involving tactic" on this row is every report, those with no tactic recorded included.
      match: { kind: 'all' },
      parts: groups.map((g) => g.value),
    },
    ...blocks.flat(),
    { ...leaf('not-reported', 'Total Not reported', 0, { kind: 'none', mask: useOfForceMask }), total: true },
    leaf('tactical-communication', 'Tactical communication (with other tactic)', 0, anyOf(['tactical_communication'])),
  ]
}

/** Table 1's rows (CED by highest level). */
export const table1Rows: readonly TacticRow[] = tacticRows(cedByLevel)
/** The rows of the breakdown tables 2 to 9 and 14 to 17 (CED by non-discharge, discharge, not stated). */
export const breakdownRows: readonly TacticRow[] = tacticRows(cedByGroup)

/** Each row's leaves, per list of rows: a table set asks for them tens of thousands of times. */
const leafIndex = new WeakMap<readonly TacticRow[], ReadonlyMap<string, readonly string[]>>()

/** The rows a row's "times reported" adds up from, down to the leaves. */
export function leavesOf(rows: readonly TacticRow[], key: string): readonly string[] {
  let index = leafIndex.get(rows)
  if (!index) {
    const byKey = new Map(rows.map((row) => [row.key, row]))
    const walk = (k: string): string[] => {
      const row = byKey.get(k)
      if (!row) throw new Error(`No tactic row '${k}'`)
      return row.parts.length === 0 ? [k] : row.parts.flatMap(walk)
    }
    index = new Map(rows.map((row) => [row.key, walk(row.key)]))
    leafIndex.set(rows, index)
  }
  const leaves = index.get(key)
  if (!leaves) throw new Error(`No tactic row '${key}'`)
  return leaves
}

/** The identities of "times reported" down a tactic column: each parent is the sum of its parts. */
export function tacticRowSums(rows: readonly TacticRow[]): { total: number; parts: number[] }[] {
  const index = new Map(rows.map((row, i) => [row.key, i]))
  return rows.flatMap((row, i) =>
    row.parts.length === 0 ? [] : [{ total: i, parts: row.parts.map((part) => index.get(part) ?? -1) }],
  )
}

/**
 * A column of a breakdown table: the reports with `value` of a single-valued characteristic, or with any of the
 * `mask` bits of a multi-valued one. `group` marks a subtotal column (HO Table 9's "Public" and so on).
 */
export type BreakdownColumn =
  | { readonly key: string; readonly label: string; readonly value: string }
  | { readonly key: string; readonly label: string; readonly mask: number; readonly subtotal?: boolean }

export type BreakdownDimension =
  'age' | 'gender' | 'ethnicity' | 'health' | 'reason' | 'impact' | 'outcome' | 'location'

export interface BreakdownLayout {
  readonly dimension: BreakdownDimension
  /** Each report has exactly one value: the columns add up to the total column. */
  readonly singleValued: boolean
  readonly number: number
  readonly title: string
  readonly heading: string
  readonly columns: readonly BreakdownColumn[]
  readonly notes: readonly string[]
}

const valueColumns = (codes: readonly { value: string; label: string; hoLabel?: string }[]): BreakdownColumn[] =>
  codes.map((code) => ({ key: code.value, label: code.hoLabel ?? code.label, value: code.value }))

const bitColumns = (codes: readonly { value: string; label: string; bit: number }[]): BreakdownColumn[] =>
  codes.map((code) => ({ key: code.value, label: code.label, mask: 1 << code.bit }))

/** HO Table 9: each location group's subtotal, then its locations; a group of one location is shown once. */
const locationColumns: BreakdownColumn[] = locationGroups.codes.flatMap((group) => {
  const members = locationTypes.codes.filter((code) => code.hoGroup === group.value)
  const mask = locationTypes.toMask(members.map((m) => m.value))
  if (members.length === 1) return [{ key: group.value, label: group.label, mask }]
  return [{ key: `group.${group.value}`, label: group.label, mask, subtotal: true }, ...bitColumns(members)]
})

const PERCEIVED = (what: string) =>
  `These figures relate to subject ${what} as perceived by the reporting officer, and should not be considered as reliable and accurate as self-reported data.`
const MULTIPLE_TACTICS =
  'The number of times tactics were used on a group does not sum to the total number of incidents involving that group as multiple tactics can be used in an incident.'

export const breakdownLayouts: readonly BreakdownLayout[] = [
  {
    dimension: 'age',
    singleValued: true,
    number: 2,
    title: 'Number of times tactics were used, by officer perceived age of subject',
    heading: 'Perceived age',
    columns: valueColumns(ageBands.codes),
    notes: [MULTIPLE_TACTICS, PERCEIVED('age')],
  },
  {
    dimension: 'gender',
    singleValued: true,
    number: 3,
    title: 'Number of times tactics were used, by officer perceived gender of subject',
    heading: 'Perceived gender',
    columns: valueColumns(genders.codes),
    notes: [MULTIPLE_TACTICS, PERCEIVED('gender')],
  },
  {
    dimension: 'ethnicity',
    singleValued: true,
    number: 4,
    title: 'Number of times tactics were used, by officer perceived ethnicity of subject',
    heading: 'Perceived ethnicity',
    columns: valueColumns(perceivedEthnicities.codes),
    notes: [
      MULTIPLE_TACTICS,
      PERCEIVED('ethnicity'),
      'Ethnic groups as published from 2019/20: Asian or Asian British includes people perceived as Chinese.',
    ],
  },
  {
    dimension: 'health',
    singleValued: true,
    number: 5,
    title: 'Number of times tactics were used, by officer perceived physical or mental health condition of subject',
    heading: 'Perceived physical or mental health condition',
    columns: valueColumns(healthConditions.codes),
    notes: [MULTIPLE_TACTICS, PERCEIVED('physical or mental health condition')],
  },
  {
    dimension: 'reason',
    singleValued: false,
    number: 6,
    title: 'Number of times tactics were used, by reason for using force',
    heading: 'Reason for force',
    columns: bitColumns(reasons.codes),
    notes: [
      'The number of incidents involving each reason does not sum to the total number of incidents as multiple reasons can apply in an incident.',
      'A reason cannot necessarily be attributed to a specific tactic as one incident can involve multiple tactics.',
    ],
  },
  {
    dimension: 'impact',
    singleValued: false,
    number: 7,
    title: 'Number of times tactics were used, by impact factor',
    heading: 'Impact factor',
    columns: bitColumns(impactFactors.codes),
    notes: [
      'The number of incidents involving each impact factor does not sum to the total number of incidents as multiple impact factors can apply in an incident. It is possible that no impact factor would apply in some incidents.',
      'An impact factor cannot necessarily be attributed to a specific tactic as one incident can involve multiple tactics.',
    ],
  },
  {
    dimension: 'outcome',
    singleValued: false,
    number: 8,
    title: 'Number of times tactics were used, by incident outcome',
    heading: 'Outcome',
    columns: bitColumns(outcomes.codes),
    notes: [
      'The number of incidents involving each outcome does not sum to the total number of incidents as multiple outcomes can apply in an incident.',
      'An outcome cannot necessarily be attributed to a specific tactic as one incident can involve multiple tactics.',
    ],
  },
  {
    dimension: 'location',
    singleValued: false,
    number: 9,
    title: 'Number of times tactics were used, by incident location',
    heading: 'Incident location',
    columns: locationColumns,
    notes: [
      'The number of incidents in each location does not sum to the total number of incidents as multiple locations can apply in an incident.',
      'Tactics cannot be attributed to specific location as multiple locations can be recorded.',
    ],
  },
]

/** The per-force tables 14 to 17 repeat tables 2 to 5 for each force (and here each basic command unit). */
export const byAreaLayouts: readonly {
  readonly number: number
  readonly of: BreakdownDimension
  readonly title: string
}[] = [
  {
    number: 14,
    of: 'age',
    title: 'Number of times tactics were used, by police force and officer perceived age of subject',
  },
  {
    number: 15,
    of: 'gender',
    title: 'Number of times tactics were used, by police force and officer perceived gender of subject',
  },
  {
    number: 16,
    of: 'ethnicity',
    title: 'Number of times tactics were used, by police force and officer perceived ethnicity of subject',
  },
  {
    number: 17,
    of: 'health',
    title:
      'Number of times tactics were used, by police force and officer perceived physical or mental health condition of subject',
  },
]

/** HO Table 10's rows: officer injured × intentional assault, in HO order. */
export const officerInjuryRows = yesNoNotReported.values.flatMap((injured) =>
  yesNoNotReported.values.map((assault) => ({ injured, assault })),
)

/** Notes every tactic table carries (HO wording). */
export const tacticNotes = {
  coverage:
    'These figures do not represent all police use of force; they are indicative of the current level of recording.',
  unit: 'Each incident here is one report: one officer’s use of force on one person. Several officers using force on one person make several reports.',
  onceEach:
    'The tactics used in an incident are only counted once per incident, even if they were reported multiple times within the same incident.',
  highestCed:
    'These statistics present the ‘highest’ use of CED from each incident. For example, if a CED is drawn, aimed, red-dotted, and then fired, this use will appear under ‘Fired’ only.',
  cedNotStated: 'CED “Not stated”: a CED was recorded as used but no level of use was given.',
  tacticalCommunication:
    'Tactical communication is shown separately as it is not considered to be a use of force in itself.',
  totalExcludes:
    'The total number of tactics used excludes the use of tactical communication and not reported tactic use.',
  notReported: 'Not reported: incidents in which no use of force tactic was recorded.',
} as const
