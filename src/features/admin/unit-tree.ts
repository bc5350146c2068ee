import type { UnitKind } from '../../db/schema.js'
import type { UnitRecord } from './admin.repository.js'

export interface UnitNode extends UnitRecord {
  /** 0 for the force, 1 for the units directly under it, and so on. */
  depth: number
  /** The unit's path below the force, e.g. 'North BCU – Response team A'; the force unit is just its name. */
  label: string
  parentName: string | null
}

// Under the force, basic command units come before departments; within a kind, by name.
const kindOrder: Record<UnitKind, number> = { force: 0, bcu: 1, department: 2, team: 3 }

/** The units in tree order (each unit followed by the units within it), with their depth and path. */
export function orderAsTree(units: readonly UnitRecord[]): UnitNode[] {
  const children = new Map<string | null, UnitRecord[]>()
  for (const unit of units) children.set(unit.parentId, [...(children.get(unit.parentId) ?? []), unit])
  for (const list of children.values()) {
    list.sort((a, b) => kindOrder[a.kind] - kindOrder[b.kind] || a.name.localeCompare(b.name, 'en-GB'))
  }
  const ordered: UnitNode[] = []
  const visit = (unit: UnitRecord, parent: UnitNode | null) => {
    const path = parent && parent.depth > 0 ? `${parent.label} – ${unit.name}` : unit.name
    const node: UnitNode = {
      ...unit,
      depth: parent ? parent.depth + 1 : 0,
      label: path,
      parentName: parent?.name ?? null,
    }
    ordered.push(node)
    for (const child of children.get(unit.id) ?? []) visit(child, node)
  }
  for (const root of children.get(null) ?? []) visit(root, null)
  return ordered
}

/** A unit and every unit below it. */
export function subtreeIds(units: readonly UnitRecord[], unitId: string): Set<string> {
  const found = new Set([unitId])
  const queue = [unitId]
  for (const id of queue) {
    for (const unit of units) {
      if (unit.parentId === id && !found.has(unit.id)) {
        found.add(unit.id)
        queue.push(unit.id)
      }
    }
  }
  return found
}

/** Items for a govukSelect of units: open units only, plus the current choice even if it has since closed. */
export function unitItems(
  nodes: readonly UnitNode[],
  options: { selected: string | null; exclude?: ReadonlySet<string>; none?: string },
) {
  const items = nodes
    .filter((n) => !options.exclude?.has(n.id) && (n.closedAt === null || n.id === options.selected))
    .map((n) => ({
      value: n.id,
      text: n.closedAt ? `${n.label} (closed)` : n.label,
      selected: n.id === options.selected,
    }))
  return options.none ? [{ value: '', text: options.none, selected: !options.selected }, ...items] : items
}
