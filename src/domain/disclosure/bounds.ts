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

/**
 * @param known what the reader knows of each value before using the sums: the value itself when it is shown, a
 *   range when it is rounded or hidden (max may be Infinity)
 * @returns the tightest range of each value that agrees with every sum
 */
export function feasibleRanges(table: CountTable, known: readonly Range[]): Range[] {
  const lp = program(table, known)
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
 * work out. Cheaper than `feasibleRanges` on large tables: a few programs that push every candidate up (or down) at
 * once each give a second table, which clears every candidate it moves by a whole unit; only the rest are bounded
 * one by one. Exact for network tables, like `feasibleRanges`.
 */
export function pinnedValues(table: CountTable, known: readonly Range[], candidates: readonly number[]): number[] {
  const lp = program(table, known)
  const columnOf = new Map(lp.unknowns.map((index, j) => [index, j]))
  const open = new Set(candidates.filter((i) => columnOf.has(i)))
  const clear = (point: number[]) => {
    for (const i of open) {
      const j = columnOf.get(i) ?? 0
      const value = (known[i]?.min ?? 0) + (point[j] ?? 0)
      if (Math.abs(value - (table.values[i] ?? 0)) >= 1 - 1e-6) open.delete(i)
    }
  }
  for (const sign of [1, -1]) {
    const objective: Record<number, number> = {}
    for (const i of open) objective[columnOf.get(i) ?? 0] = sign
    if (open.size > 0) clear(solve(lp.feasible, objective).point)
  }
  for (const i of [...open])
    for (const sign of [1, -1]) if (open.has(i)) clear(solve(lp.feasible, { [columnOf.get(i) ?? 0]: sign }).point)
  // Shown values and anything known exactly are pinned too, trivially.
  return candidates.filter((i) => open.has(i) || !columnOf.has(i))
}

interface Program {
  unknowns: number[]
  feasible: Tableau
}

/** The linear program of a table: one variable per unknown value (y = x − min) and a slack per upper limit. */
function program(table: CountTable, known: readonly Range[]): Program {
  const unknowns = known.flatMap((r, i) => (r.min < r.max ? [i] : []))
  const column = new Map(unknowns.map((index, j) => [index, j]))
  const capped = unknowns.filter((i) => Number.isFinite(known[i]?.max))
  const width = unknowns.length + capped.length
  const rows: { coefficients: number[]; rhs: number }[] = []
  for (const { total, parts } of table.sums) {
    // total − Σ parts = 0, with the known values moved to the right-hand side.
    const coefficients = new Array<number>(width).fill(0)
    let rhs = 0
    let any = false
    for (const [index, sign] of [[total, 1] as const, ...parts.map((p) => [p, -1] as const)]) {
      const j = column.get(index)
      rhs -= sign * (known[index]?.min ?? 0)
      if (j !== undefined) {
        coefficients[j] = (coefficients[j] ?? 0) + sign
        any = true
      }
    }
    if (any) rows.push({ coefficients, rhs })
  }
  capped.forEach((index, k) => {
    const coefficients = new Array<number>(width).fill(0)
    coefficients[column.get(index) ?? 0] = 1
    coefficients[unknowns.length + k] = 1
    rows.push({ coefficients, rhs: (known[index]?.max ?? 0) - (known[index]?.min ?? 0) })
  })
  return { unknowns, feasible: phaseOne(rows, width) }
}

interface Tableau {
  /** Constraint rows: variable coefficients then the right-hand side. */
  rows: number[][]
  basis: number[]
  variables: number
}

/** Finds a feasible basis (the true table is one, so there always is one) and drops redundant sums. */
function phaseOne(constraints: { coefficients: number[]; rhs: number }[], variables: number): Tableau {
  const m = constraints.length
  const width = variables + m
  const rows = constraints.map(({ coefficients, rhs }, i) => {
    const sign = rhs < 0 ? -1 : 1
    const row = new Array<number>(width + 1).fill(0)
    coefficients.forEach((a, j) => (row[j] = sign * a))
    row[variables + i] = 1
    row[width] = sign * rhs
    return row
  })
  const basis = rows.map((_, i) => variables + i)
  const tableau = { rows, basis, variables: width }
  // Minimise the sum of the artificial variables, i.e. maximise its negative.
  const objective = new Array<number>(width + 1).fill(0)
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
    rows: kept.map((r) => [...(tableau.rows[r] ?? []).slice(0, variables), tableau.rows[r]?.[width] ?? 0]),
    basis: kept.map((r) => tableau.basis[r] ?? 0),
    variables,
  }
}

/**
 * Maximises Σ weight × y from a feasible basis: the optimum (Infinity when unbounded) and the last table reached,
 * which is feasible either way.
 */
function solve(feasible: Tableau, weights: Record<number, number>): { optimum: number; point: number[] } {
  const tableau = {
    rows: feasible.rows.map((row) => [...row]),
    basis: [...feasible.basis],
    variables: feasible.variables,
  }
  const objective = new Array<number>(feasible.variables + 1).fill(0)
  for (const [j, w] of Object.entries(weights)) objective[Number(j)] = w
  const optimum = runSimplex(tableau, objective)
  const point = new Array<number>(feasible.variables).fill(0)
  tableau.rows.forEach((row, r) => (point[tableau.basis[r] ?? 0] = row[feasible.variables] ?? 0))
  return { optimum, point }
}

/** Maximises objective · y over the tableau in place; returns the optimum (Infinity when unbounded). */
function runSimplex(tableau: Tableau, objective: number[]): number {
  const n = tableau.variables
  // Reduced costs: z_j − c_j, kept up to date as a last row.
  const reduced = new Array<number>(n + 1).fill(0)
  for (let j = 0; j <= n; j++) {
    let z = 0
    tableau.rows.forEach((row, r) => (z += (objective[tableau.basis[r] ?? 0] ?? 0) * (row[j] ?? 0)))
    reduced[j] = j === n ? z : z - (objective[j] ?? 0)
  }
  for (;;) {
    const entering = reduced.findIndex((d, j) => j < n && d < -EPS)
    if (entering < 0) return reduced[n] ?? 0
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
    if (leaving < 0) return Infinity
    pivot(tableau, leaving, entering)
    const pivotRow = tableau.rows[leaving] ?? []
    const factor = reduced[entering] ?? 0
    for (let k = 0; k <= n; k++) reduced[k] = (reduced[k] ?? 0) - factor * (pivotRow[k] ?? 0)
  }
}

function pivot(tableau: Tableau, r: number, j: number): void {
  const row = tableau.rows[r] ?? []
  const a = row[j] ?? 1
  for (let k = 0; k < row.length; k++) row[k] = (row[k] ?? 0) / a
  tableau.rows.forEach((other, s) => {
    const factor = other[j] ?? 0
    if (s === r || factor === 0) return
    for (let k = 0; k < other.length; k++) other[k] = (other[k] ?? 0) - factor * (row[k] ?? 0)
  })
  tableau.basis[r] = j
}
