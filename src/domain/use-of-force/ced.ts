import { codeList, multiCodeList, type ValueOf } from './code-list.js'

/**
 * CED (Taser) detail: the levels of use recorded on each CED use of a report, the probe strike sites of the body map,
 * and the device models. Domain reference 1.4 and the Met CED column blocks (2.2).
 */

/**
 * Levels of use, multi-valued per CED use: the officer records every level reached.
 *
 * `severity` decides which level is "highest". The Home Office counts "the 'highest' use of CED from each incident"
 * (drawn, aimed, red-dotted and then fired counts as Fired only) but never states a total order, and its own column
 * orders disagree (2017 onwards: … Drive stun, Fired, Angled drive stun; before 2017: … Drive stun, Angled drive stun,
 * Fired). The Met publishes one: angle drive stun, fired, drive stun, arced, red-dot, aimed, drawn (Met rank 1 to 7).
 * We use the Met's, so our HO and Met figures rest on the same choice. Higher `severity` is more severe.
 *
 * `hoRow` is the child row of "CED, of which" in HO Table 1; `hoColumn` the heading in HO Table 13 (CED by force),
 * which spells two levels differently. `metColumn` is the column name within a Met CED block, after the block prefix
 * (see `metCedBlockColumn`).
 */
export const cedLevels = multiCodeList([
  {
    value: 'drawn',
    label: 'Drawn',
    group: 'non_discharge',
    severity: 1,
    hoColumnOrder: 1,
    hoRow: 'Drawn',
    hoColumn: 'Drawn',
    metTactic: 'CED (Taser) Drawn',
    metColumn: 'Drawn',
    bit: 0,
    order: 1,
  },
  {
    value: 'aimed',
    label: 'Aimed',
    group: 'non_discharge',
    severity: 2,
    hoColumnOrder: 2,
    hoRow: 'Aimed',
    hoColumn: 'Aimed',
    metTactic: 'CED (Taser) Aimed',
    metColumn: 'Aimed',
    bit: 1,
    order: 2,
  },
  {
    value: 'red_dot',
    label: 'Red-dot',
    group: 'non_discharge',
    severity: 3,
    hoColumnOrder: 3,
    hoRow: 'Red-dot',
    hoColumn: 'Red-dot',
    metTactic: 'CED (Taser) Red-Dotted',
    metColumn: 'Red-Dotted',
    bit: 2,
    order: 3,
  },
  {
    value: 'arced',
    label: 'Arced',
    group: 'non_discharge',
    severity: 4,
    hoColumnOrder: 4,
    hoRow: 'Arced',
    hoColumn: 'Arced',
    metTactic: 'CED (Taser) Arced',
    metColumn: 'Arced',
    bit: 3,
    order: 4,
  },
  {
    value: 'drive_stun',
    label: 'Drive-stun',
    group: 'discharge',
    severity: 5,
    hoColumnOrder: 5,
    hoRow: 'Drive-stun',
    hoColumn: 'Drive stun',
    metTactic: 'CED (Taser) Drive Stun',
    metColumn: 'Drive Stun',
    bit: 4,
    order: 5,
  },
  {
    value: 'fired',
    label: 'Fired',
    group: 'discharge',
    severity: 6,
    hoColumnOrder: 6,
    hoRow: 'Fired',
    hoColumn: 'Fired',
    metTactic: 'CED (Taser) Fired',
    metColumn: 'Fired',
    bit: 5,
    order: 6,
  },
  {
    value: 'angle_drive_stun',
    label: 'Angled drive-stun',
    group: 'discharge',
    severity: 7,
    hoColumnOrder: 7,
    hoRow: 'Angle-drive stun',
    hoColumn: 'Angled drive stun',
    metTactic: 'CED (Taser) Angle Drive Stun',
    metColumn: 'Angle Drive Stun',
    bit: 6,
    order: 7,
  },
])

export type CedLevel = ValueOf<typeof cedLevels>

/** The HO groups: "Total non-discharge" and "Total discharge". */
export const cedLevelGroups = codeList([
  { value: 'non_discharge', label: 'Non-discharge', order: 1 },
  { value: 'discharge', label: 'Discharge', order: 2 },
])

export type CedLevelGroup = ValueOf<typeof cedLevelGroups>

/** The highest level across a report's CED uses, or null when none gives a level (the HO "Not stated" row). */
export function highestCedLevel(levels: Iterable<CedLevel>): CedLevel | null {
  let highest: (typeof cedLevels.codes)[number] | null = null
  for (const level of levels) {
    const code = cedLevels.byValue(level)
    if (highest === null || code.severity > highest.severity) highest = code
  }
  return highest?.value ?? null
}

/** Drive-stun, fired and angled drive-stun: the CED discharged into the person. */
export function isDischarge(level: CedLevel): boolean {
  return cedLevels.byValue(level).group === 'discharge'
}

const frontZones = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '15'] as const
// The Met body map has no zone I (presumably so it cannot be misread as 1).
const backZones = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K'] as const

/**
 * Probe strike sites on the body map: front zones 1 to 15 and back zones A to K (no I), as in the Met's CED columns.
 * Multi-valued per CED use. Values are `front_1` … `front_15`, `back_a` … `back_k`; bits follow the Met column order.
 */
export const cedBodySites = multiCodeList([
  ...frontZones.map((zone, i) => ({
    value: `front_${zone}` as const,
    label: `Front ${zone}` as const,
    side: 'front' as const,
    metColumn: `CED Front ${zone}` as const,
    bit: i,
    order: i + 1,
  })),
  ...backZones.map((zone, i) => ({
    value: `back_${zone.toLowerCase() as Lowercase<typeof zone>}` as const,
    label: `Back ${zone}` as const,
    side: 'back' as const,
    metColumn: `CED Back ${zone}` as const,
    bit: frontZones.length + i,
    order: frontZones.length + i + 1,
  })),
])

export type CedBodySite = ValueOf<typeof cedBodySites>

/**
 * The name of a Met CED column in block 1 to 4 (a report holds up to 4 CED uses), given its block-1 name such as
 * 'CED Drawn' or 'CED Front 1'. Blocks 2 to 4 use the prefix 'CED2 ' and so on, and their arced column is literally
 * 'CED2 ArCED2' (a find-and-replace accident in the Met file, kept so our export matches theirs).
 */
export function metCedBlockColumn(block: 1 | 2 | 3 | 4, blockOneColumn: string): string {
  if (!blockOneColumn.startsWith('CED ')) throw new Error(`'${blockOneColumn}' is not a Met CED block column`)
  if (block === 1) return blockOneColumn
  if (blockOneColumn === 'CED Arced') return `CED${block} ArCED${block}`
  return `CED${block} ${blockOneColumn.slice('CED '.length)}`
}

/**
 * Device models in UK service. `cartridgeBays` is how many cartridges the device holds at once, which bounds the bay
 * number recorded for a fired cartridge. [U] X26 1, X2 2 and TASER 7 2 are well known; the TASER 10 holds a magazine
 * of 10 probes fired one per trigger pull, so we count each probe position as a bay with one probe.
 */
export const cedDeviceModels = codeList([
  { value: 'x26', label: 'TASER X26', cartridgeBays: 1, probesPerCartridge: 2, order: 1 },
  { value: 'x2', label: 'TASER X2', cartridgeBays: 2, probesPerCartridge: 2, order: 2 },
  { value: 'taser_7', label: 'TASER 7', cartridgeBays: 2, probesPerCartridge: 2, order: 3 },
  { value: 'taser_10', label: 'TASER 10', cartridgeBays: 10, probesPerCartridge: 1, order: 4 },
])

export type CedDeviceModel = ValueOf<typeof cedDeviceModels>
