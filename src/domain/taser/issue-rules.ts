import { cedDeviceModels, type CedDeviceModel } from '../use-of-force/ced.js'
import { cartridgeFits, deviceStatuses, type CartridgeStatus, type DeviceStatus } from './armoury.js'
import { describeReason, type ModelAuthority } from './authority.js'
import { longDate } from '../calendar.js'

/**
 * When the armoury must refuse to issue a Taser (force CED policy, "drawing of Taser and cartridges"): the officer
 * is not authorised for the device's model on the day, the device is not in service or is already out, the officer
 * already holds one, there are more cartridges than bays, a cartridge has expired, does not fit or is not on the
 * shelf, or the spark test failed. Every reason that applies is given, in words the armourer can read out.
 */

export interface IssueCheck {
  /** The day of issue (UK calendar date). */
  today: string
  device: { serial: string; model: CedDeviceModel; status: DeviceStatus }
  /** The officer's authority for the device's model on `today`. */
  authority: ModelAuthority
  /** Who has the device now, if anyone. */
  deviceHeldBy: string | null
  /** The device the officer already holds, if any. */
  officerHolds: string | null
  cartridges: readonly { serial: string; cartridgeType: string; expiresOn: string; status: CartridgeStatus }[]
  sparkTestPassed: boolean
}

export function issueRefusals(check: IssueCheck): string[] {
  const { device, authority } = check
  const model = cedDeviceModels.label(device.model)
  const reasons: string[] = []
  if (!authority.authorised)
    reasons.push(...authority.reasons.map((r) => `Not authorised to carry a ${model}. ${describeReason(r, longDate)}`))
  if (device.status !== 'in_service')
    reasons.push(`Device ${device.serial} is not serviceable: ${deviceStatuses.label(device.status).toLowerCase()}.`)
  if (check.deviceHeldBy) reasons.push(`Device ${device.serial} is already issued to ${check.deviceHeldBy}.`)
  if (check.officerHolds) reasons.push(`The officer already holds device ${check.officerHolds}: return it first.`)
  const bays = cedDeviceModels.byValue(device.model).cartridgeBays
  if (check.cartridges.length > bays)
    reasons.push(
      `A ${model} holds ${bays === 1 ? 'one cartridge' : `${bays} cartridges`}, not ${check.cartridges.length}.`,
    )
  for (const c of check.cartridges) {
    if (c.expiresOn < check.today) reasons.push(`Cartridge ${c.serial} expired on ${longDate(c.expiresOn)}.`)
    if (!cartridgeFits(c.cartridgeType, device.model)) reasons.push(`Cartridge ${c.serial} does not fit a ${model}.`)
    if (c.status !== 'in_stock') reasons.push(`Cartridge ${c.serial} is not in stock (${c.status.replace('_', ' ')}).`)
  }
  if (!check.sparkTestPassed)
    reasons.push(`The spark test failed: do not issue device ${device.serial}; report a defect.`)
  return reasons
}
