import { codeList, type ValueOf } from '../use-of-force/code-list.js'
import type { CedDeviceModel } from '../use-of-force/ced.js'

/** The armoury's vocabulary: what state a device is in, and which cartridges fit which model. */

export const deviceStatuses = codeList([
  // Only a device in service may be issued.
  { value: 'in_service', label: 'In service', order: 1 },
  { value: 'defective', label: 'Defective', order: 2 },
  { value: 'in_repair', label: 'Away for repair', order: 3 },
  { value: 'withdrawn', label: 'Withdrawn', order: 4 },
])

export type DeviceStatus = ValueOf<typeof deviceStatuses>

export const cartridgeStatuses = codeList([
  { value: 'in_stock', label: 'In stock', order: 1 },
  { value: 'issued', label: 'Issued', order: 2 },
  { value: 'spent', label: 'Spent', order: 3 },
  { value: 'withdrawn', label: 'Withdrawn', order: 4 },
])

export type CartridgeStatus = ValueOf<typeof cartridgeStatuses>

/** Cartridge types and the model each fits. TASER 7 has two, and guidance is to load a pair of the same type. */
export const cartridgeTypes = codeList([
  { value: 'x26_standard', label: 'X26 cartridge (21 ft)', model: 'x26', order: 1 },
  { value: 'x2_smart', label: 'X2 Smart cartridge (25 ft)', model: 'x2', order: 2 },
  { value: 'taser7_standard', label: 'TASER 7 standard-range cartridge (3.5°)', model: 'taser_7', order: 3 },
  { value: 'taser7_close', label: 'TASER 7 close-quarters cartridge (12°)', model: 'taser_7', order: 4 },
  { value: 'taser10_magazine', label: 'TASER 10 probe magazine', model: 'taser_10', order: 5 },
])

export type CartridgeType = ValueOf<typeof cartridgeTypes>

export function cartridgeFits(type: string, model: CedDeviceModel): boolean {
  return cartridgeTypes.byValue(type)?.model === model
}
