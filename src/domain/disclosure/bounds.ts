import type { CountTable } from './table.js'

/**
 * What a reader can work out about the hidden (or rounded) values of a table from what it shows and its sums: the
 * least and greatest each value can be, by linear programming (two-phase simplex, Bland's rule, so it cannot
 * cycle). Tables that leave a force are small, so a dense tableau is plenty.
 *
 * For tables whose sums form a network (a one-way list, rows × columns with margins) the bounds are whole numbers
 * and both are reached by whole-number tables, so `max > min` means at least two tables fit what is shown.
 */
export interface Range {
  min: number
  /** Infinity when nothing shown limits the value from above. */
  max: number
}

const EPS = 1e-9
/** Pivots without gain before the simplex switches to Bland's rule. */
const STALL_LIMIT = 50

/**
 * @param known what the reader knows of each value before using the sums: the value itself when it is shown, a
 *   range when it is rounded or hidden (max may be Infinity)
 * @returns the tightest range of each value that agrees with every sum
 */
export function feasibleRanges(table: CountTable, known: readonly Range[]): Range[] {
  const lp = program(table, known, unknownsOf(known))
  const ranges = known.map((r) => ({ ...r }))
  lp.unknowns.forEach((index, j) => {
    const min = known[index]?.min ?? 0
    ranges[index] = {
      min: min - solve(lp.feasible, { [j]: -1 }).optimum,
      max: min + solve(lp.feasible, { [j]: 1 }).optimum,
    }
  })
  return ranges
}

/**
 * Which of `candidates` (unknown values of the table) fewer than two whole numbers fit: the values a reader could
 * work out. Cheaper than `feasibleRanges` on large tables: a few programs that push every open candidate up (or
 * down) at once each give a second table, which clears every candidate it moves by a whole unit; only the rest are
 * bounded one by one. Exact for network tables, like `feasibleRanges`.
 */
export function pinnedValues(table: CountTable, known: readonly Range[], candidates: readonly number[]): number[] {
  return pinnedIn(table, known, unknownsOf(known), candidates)
}

/**
 * `pinnedValues` for repeated checks of one table as more of it is hidden: the unknown values fall apart into
 * independent groups (no sum links two groups), each group is its own, smaller program, and a group that has not
 * changed since an earlier call is not solved again.
 */
export function linearAudit(table: CountTable): (known: readonly Range[], candidates: readonly number[]) => number[] {
  const sumsOf = table.values.map(() => [] as number[])
  table.sums.forEach((s, k) => [s.total, ...s.parts].forEach((i) => sumsOf[i]?.push(k)))
  const solved = new Map<string, number[]>()
  return (known, candidates) => {
    const pinned = new Set<number>()
    const wanted = new Set(candidates)
    const unknowns = unknownsOf(known)
    for (const group of independentGroups(table, sumsOf, unknowns)) {
      const open = group.filter((i) => wanted.has(i))
      if (open.length === 0) continue
      const key = JSON.stringify(group.map((i) => [i, known[i]?.min, known[i]?.max]))
      const found = solved.get(key) ?? pinnedIn(table, known, group, open)
      solved.set(key, found)
      for (const i of found) pinned.add(i)
    }
    // Shown values and anything known exactly are pinned too, trivially.
    const unknown = new Set(unknowns)
    return candidates.filter((i) => !unknown.has(i) || pinned.has(i))
  }
}

const unknownsOf = (known: readonly Range[]) => known.flatMap((r, i) => (r.min < r.max ? [i] : []))

/** The unknowns in groups that no sum links: connected components, each in ascending order. */
function independentGroups(table: CountTable, sumsOf: readonly number[][], unknowns: readonly number[]): number[][] {
  const isUnknown = new Set(unknowns)
  const group = new Map<number, number>()
  const groups: number[][] = []
  for (const start of unknowns) {
    if (group.has(start)) continue
    const members = [start]
    group.set(start, groups.length)
    for (let n = 0; n < members.length; n++)
      for (const k of sumsOf[members[n] ?? 0] ?? []) {
        const s = table.sums[k]
        for (const i of s ? [s.total, ...s.parts] : [])
          if (isUnknown.has(i) && !group.has(i)) {
            group.set(i, groups.length)
            members.push(i)
          }
      }
    groups.push(members.sort((a, b) => a - b))
  }
  return groups
}

function pinnedIn(
  table: CountTable,
  known: readonly Range[],
  unknowns: readonly number[],
  candidates: readonly number[],
): number[] {
  const lp = program(table, known, unknowns)
  const columnOf = new Map(lp.unknowns.map((index, j) => [index, j]))
  const open = new Set(candidates.filter((i) => columnOf.has(i)))
  /** Clears every open candidate that a second table moves by a whole unit, or that can move without limit. */
  const clear = ({ point, ray }: { point: number[]; ray: number[] | null }) => {
    const before = open.size
    for (const i of open) {
      const j = columnOf.get(i) ?? 0
      const value = (known[i]?.min ?? 0) + (point[j] ?? 0)
      if (Math.abs(value - (table.values[i] ?? 0)) >= 1 - 1e-6 || Math.abs(ray?.[j] ?? 0) > EPS) open.delete(i)
    }
    return open.size < before
  }
  // Push every open candidate at once, again and again while that still clears some.
  for (let cleared = true; cleared && open.size > 1;) {
    cleared = false
    for (const sign of [1, -1]) {
      const objective: Record<number, number> = {}
      for (const i of open) objective[columnOf.get(i) ?? 0] = sign
      if (clear(solve(lp.feasible, objective))) cleared = true
    }
  }
  for (const i of [...open])
    for (const sign of [1, -1]) if (open.has(i)) clear(solve(lp.feasible, { [columnOf.get(i) ?? 0]: sign }))
  return candidates.filter((i) => open.has(i) || !columnOf.has(i))
}

interface Program {
  unknowns: number[]
  feasible: Tableau
}

/**
 * The linear program of a table: one variable per unknown value (y = x − min) and a slack per upper limit, with the
 * sums that involve any of `unknowns` (the other values are taken as known).
 */
function program(table: CountTable, known: readonly Range[], unknowns: readonly number[]): Program {
  const column = new Map(unknowns.map((index, j) => [index, j]))
  const capped = unknowns.filter((i) => Number.isFinite(known[i]?.max))
  const width = unknowns.length + capped.length
  const rows: Constraint[] = []
  for (const { total, parts } of table.sums) {
    // total − Σ parts = 0, with the known values moved to the right-hand side.
    const coefficients = new Map<number, number>()
    let rhs = 0
    for (const [index, sign] of [[total, 1] as const, ...parts.map((p) => [p, -1] as const)]) {
      const j = column.get(index)
      rhs -= sign * (known[index]?.min ?? 0)
      if (j !== undefined) coefficients.set(j, (coefficients.get(j) ?? 0) + sign)
    }
    if (coefficients.size > 0) rows.push({ coefficients, rhs })
  }
  capped.forEach((index, k) => {
    const coefficients = new Map([
      [column.get(index) ?? 0, 1],
      [unknowns.length + k, 1],
    ])
    rows.push({ coefficients, rhs: (known[index]?.max ?? 0) - (known[index]?.min ?? 0), slack: unknowns.length + k })
  })
  return { unknowns: [...unknowns], feasible: phaseOne(rows, width) }
}

/** One equation: Σ coefficient × y = rhs, with only its non-zero coefficients, by column. */
interface Constraint {
  coefficients: Map<number, number>
  rhs: number
  /** A column with coefficient 1 here and in no other row, when the row has one (and rhs ≥ 0). */
  slack?: number
}

interface Tableau {
  /** Constraint rows: variable coefficients then the right-hand side. */
  rows: Float64Array[]
  basis: number[]
  variables: number
}

/**
 * Finds a feasible basis (the true table is one, so there always is one) and drops redundant sums. A row with its own
 * slack (an upper limit) starts with the slack in the basis; only the sums need an artificial variable.
 */
function phaseOne(constraints: Constraint[], variables: number): Tableau {
  const artificial = new Map<number, number>()
  constraints.forEach((c, i) => c.slack === undefined && artificial.set(i, variables + artificial.size))
  const width = variables + artificial.size
  const rows = constraints.map(({ coefficients, rhs }, i) => {
    const sign = rhs < 0 ? -1 : 1
    const row = new Float64Array(width + 1)
    for (const [j, a] of coefficients) row[j] = sign * a
    const own = artificial.get(i)
    if (own !== undefined) row[own] = 1
    row[width] = sign * rhs
    return row
  })
  const basis = constraints.map((c, i) => c.slack ?? artificial.get(i) ?? 0)
  const tableau = { rows, basis, variables: width }
  // Minimise the sum of the artificial variables, i.e. maximise its negative.
  const objective = new Float64Array(width + 1)
  for (let j = variables; j < width; j++) objective[j] = -1
  runSimplex(tableau, objective)
  // Drive artificial variables out of the basis; a row with nothing else to pivot on was a redundant sum.
  const kept: number[] = []
  tableau.rows.forEach((row, r) => {
    const basic = tableau.basis[r] ?? 0
    if (basic < variables) return kept.push(r)
    const j = row.findIndex((a, k) => k < variables && Math.abs(a) > EPS)
    if (j >= 0) {
      pivot(tableau, r, j)
      kept.push(r)
    }
  })
  return {
    rows: kept.map((r) => {
      const row = new Float64Array(variables + 1)
      row.set((tableau.rows[r] ?? row).subarray(0, variables))
      row[variables] = tableau.rows[r]?.[width] ?? 0
      return row
    }),
    basis: kept.map((r) => tableau.basis[r] ?? 0),
    variables,
  }
}

/**
 * Maximises Σ weight × y from a feasible basis: the optimum (Infinity when unbounded), the last table reached (a
 * feasible point either way) and, when unbounded, the direction in which the point can go as far as it likes.
 */
function solve(
  feasible: Tableau,
  weights: Record<number, number>,
): { optimum: number; point: number[]; ray: number[] | null } {
  const tableau = {
    rows: feasible.rows.map((row) => row.slice()),
    basis: [...feasible.basis],
    variables: feasible.variables,
  }
  const objective = new Float64Array(feasible.variables + 1)
  for (const [j, w] of Object.entries(weights)) objective[Number(j)] = w
  const { optimum, unboundedColumn } = runSimplex(tableau, objective)
  const point = new Array<number>(feasible.variables).fill(0)
  tableau.rows.forEach((row, r) => (point[tableau.basis[r] ?? 0] = row[feasible.variables] ?? 0))
  if (unboundedColumn < 0) return { optimum, point, ray: null }
  // Raising the unbounded column by t lowers each basic variable by t × its coefficient there.
  const ray = new Array<number>(feasible.variables).fill(0)
  ray[unboundedColumn] = 1
  tableau.rows.forEach((row, r) => (ray[tableau.basis[r] ?? 0] = -(row[unboundedColumn] ?? 0)))
  return { optimum, point, ray }
}

/**
 * Maximises objective · y over the tableau in place; returns the optimum, or Infinity and the column that can rise
 * without limit.
 */
function runSimplex(tableau: Tableau, objective: Float64Array): { optimum: number; unboundedColumn: number } {
  const n = tableau.variables
  // Reduced costs: z_j − c_j, kept up to date as a last row.
  const reduced = new Float64Array(n + 1)
  tableau.rows.forEach((row, r) => {
    const weight = objective[tableau.basis[r] ?? 0] ?? 0
    if (weight !== 0) for (let j = 0; j <= n; j++) reduced[j] = (reduced[j] ?? 0) + weight * (row[j] ?? 0)
  })
  for (let j = 0; j < n; j++) reduced[j] = (reduced[j] ?? 0) - (objective[j] ?? 0)
  // Entering column: the steepest reduced cost (few pivots), or after a run of pivots that gained nothing, Bland's
  // first improving column until one gains again (Bland's rule cannot cycle, and the objective never goes back).
  let stalled = 0
  for (;;) {
    let entering = -1
    for (let j = 0; j < n; j++) {
      const d = reduced[j] ?? 0
      if (d < -EPS && (entering < 0 || d < (reduced[entering] ?? 0))) {
        entering = j
        if (stalled >= STALL_LIMIT) break
      }
    }
    if (entering < 0) return { optimum: reduced[n] ?? 0, unboundedColumn: -1 }
    let leaving = -1
    let best = Infinity
    tableau.rows.forEach((row, r) => {
      const a = row[entering] ?? 0
      if (a <= EPS) return
      const ratio = (row[n] ?? 0) / a
      if (
        ratio < best - EPS ||
        (Math.abs(ratio - best) <= EPS && (tableau.basis[r] ?? 0) < (tableau.basis[leaving] ?? 0))
      ) {
        best = ratio
        leaving = r
      }
    })
    if (leaving < 0) return { optimum: Infinity, unboundedColumn: entering }
    const nonZero = pivot(tableau, leaving, entering)
    const pivotRow = tableau.rows[leaving] ?? reduced
    const factor = reduced[entering] ?? 0
    const before = reduced[n] ?? 0
    for (const k of nonZero) reduced[k] = (reduced[k] ?? 0) - factor * (pivotRow[k] ?? 0)
    stalled = (reduced[n] ?? 0) > before + EPS ? 0 : stalled + 1
  }
}

/**
 * Pivots on row r, column j; returns where the pivot row is non-zero. The rows of a table's sums are sparse (a sum
 * has a handful of members), so only those columns are worked on: most of the time is spent here.
 */
function pivot(tableau: Tableau, r: number, j: number): number[] {
  const row = tableau.rows[r] ?? new Float64Array(0)
  const a = row[j] ?? 1
  const nonZero: number[] = []
  for (let k = 0; k < row.length; k++)
    if (row[k] !== 0) {
      row[k] = (row[k] ?? 0) / a
      nonZero.push(k)
    }
  tableau.rows.forEach((other, s) => {
    const factor = other[j] ?? 0
    if (s === r || factor === 0) return
    for (const k of nonZero) other[k] = (other[k] ?? 0) - factor * (row[k] ?? 0)
  })
  tableau.basis[r] = j
  return nonZero
}
