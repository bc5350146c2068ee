import { codeList, type ValueOf } from '../use-of-force/code-list.js'

/**
 * The events a Taser logs (X2 event log, domain reference 7), as they appear in a device-log file and are stored.
 * `duration` says whether the event carries a duration and its upper bound in seconds; `armedState` marks the events
 * logged while armed, the only ones that carry the battery level and cartridge (temperature also needs
 * `temperature`: the X2 does not log it for trigger and arc).
 */
export const deviceEvents = codeList([
  { value: 'armed', label: 'Armed', duration: null, armedState: true, temperature: true, order: 1 },
  { value: 'safe', label: 'Safe', duration: 86_400, armedState: true, temperature: true, order: 2 },
  { value: 'trigger', label: 'Trigger', duration: 60, armedState: true, temperature: false, order: 3 },
  { value: 'arc', label: 'Arc', duration: 60, armedState: true, temperature: false, order: 4 },
  {
    value: 'cartridge_deployed',
    label: 'Cartridge deployed',
    duration: null,
    armedState: false,
    temperature: false,
    order: 5,
  },
  { value: 'time_sync', label: 'Time sync', duration: null, armedState: false, temperature: false, order: 6 },
  { value: 'usb_connection', label: 'USB connection', duration: null, armedState: false, temperature: false, order: 7 },
  { value: 'power_save', label: 'Power save', duration: null, armedState: false, temperature: false, order: 8 },
  {
    value: 'firmware_update',
    label: 'Firmware update',
    duration: null,
    armedState: false,
    temperature: false,
    order: 9,
  },
  {
    value: 'language_change',
    label: 'Language change',
    duration: null,
    armedState: false,
    temperature: false,
    order: 10,
  },
  { value: 'flashlight_on', label: 'Flashlight on', duration: null, armedState: false, temperature: false, order: 11 },
  {
    value: 'flashlight_off',
    label: 'Flashlight off',
    duration: null,
    armedState: false,
    temperature: false,
    order: 12,
  },
])

export type DeviceEventKind = ValueOf<typeof deviceEvents>

/** The events that put energy out of the device: each one must be accounted for by a report or a spark test. */
export function isEnergyEvent(kind: DeviceEventKind): kind is 'trigger' | 'arc' {
  return kind === 'trigger' || kind === 'arc'
}
