import { codeList, type ValueOf } from '../use-of-force/code-list.js'

/**
 * What reconciliation can find wrong, in the order the Taser lead's queue lists them. `keyPrefix` starts each
 * exception's stable key (see matcher.ts): re-running reconciliation finds the same key for the same fact, so an
 * exception is raised once however often it runs.
 */
export const exceptionKinds = codeList([
  {
    value: 'unreported_discharge',
    label: 'Unreported discharge',
    description: 'The device logged trigger pulls that no reported CED use accounts for.',
    keyPrefix: 'unreported',
    order: 1,
  },
  {
    value: 'unreported_arc',
    label: 'Unreported arc',
    description: 'The device logged a warning arc that no reported CED use or spark test accounts for.',
    keyPrefix: 'unreported',
    order: 2,
  },
  {
    value: 'reported_without_event',
    label: 'Reported use with no device event',
    description: 'A report records a discharge or arc, but the device log for that time has none.',
    keyPrefix: 'no-event',
    order: 3,
  },
  {
    value: 'more_cycles_than_reported',
    label: 'More cycles than reported',
    description: 'The device logged more trigger cycles than the report records.',
    keyPrefix: 'cycles',
    order: 4,
  },
  {
    value: 'longer_than_reported',
    label: 'Longer than reported',
    description: 'The device’s cycles add up to more time than the report records.',
    keyPrefix: 'duration',
    order: 5,
  },
  {
    value: 'extended_cycle_not_reported',
    label: 'Extended cycle not reported',
    description: 'The device logged a cycle over 5 seconds that the report does not record as extended.',
    keyPrefix: 'extended',
    order: 6,
  },
  {
    value: 'clock_drift',
    label: 'Clock drift',
    description: 'The device clock was out by more than the force allows when it was synchronised or downloaded.',
    keyPrefix: 'drift',
    order: 7,
  },
  {
    value: 'not_downloaded',
    label: 'Not downloaded in time',
    description: 'The device has not been downloaded within the force’s policy period.',
    keyPrefix: 'not-downloaded',
    order: 8,
  },
  {
    value: 'armed_without_recording',
    label: 'Armed with no camera recording',
    description: 'The device was armed while its holder’s body-worn camera was not recording.',
    keyPrefix: 'no-recording',
    order: 9,
  },
  {
    value: 'no_footage_reference',
    label: 'No footage reference',
    description: 'A reported CED use has no body-worn video footage reference.',
    keyPrefix: 'no-footage',
    order: 10,
  },
])

export type ExceptionKind = ValueOf<typeof exceptionKinds>

/** How an exception was closed by the Taser lead. */
export const resolutionOutcomes = codeList([
  { value: 'report_amended', label: 'Explained: the report was submitted or amended', order: 1 },
  { value: 'test_or_training', label: 'Explained: a spark test, function test or training', order: 2 },
  { value: 'unintentional_discharge', label: 'Unintentional discharge, recorded', order: 3 },
  { value: 'device_fault', label: 'Device fault or data error', order: 4 },
  { value: 'referred', label: 'Referred to Professional Standards', order: 5 },
  { value: 'no_action', label: 'No further action, with reasons', order: 6 },
])

export type ResolutionOutcome = ValueOf<typeof resolutionOutcomes>
