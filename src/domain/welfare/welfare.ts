import { codeList, type ValueOf } from '../use-of-force/code-list.js'

/**
 * The welfare follow-up after an officer is assaulted or injured: the five steps of the national framework for
 * assaults on police officers (Operation Hampshire), each recorded with who carried it out, when, and notes. A
 * follow-up is complete when every step is done or recorded as not needed.
 */
export const welfareSteps = codeList([
  {
    value: 'welfare_contact',
    label: 'Welfare contact',
    hint: 'A supervisor spoke to the officer about their welfare, ideally before the end of the shift.',
    order: 1,
  },
  {
    value: 'recording',
    label: 'Recording',
    hint: 'The assault is recorded as a crime and any injury on the injury-on-duty record.',
    order: 2,
  },
  {
    value: 'investigation',
    label: 'Investigation',
    hint: 'The assault is investigated like any other crime, and the officer kept informed.',
    order: 3,
  },
  {
    value: 'supervision',
    label: 'Supervision',
    hint: 'A supervisor checked the investigation and the file, including the officer’s statement.',
    order: 4,
  },
  {
    value: 'support',
    label: 'Support',
    hint: 'Occupational health, trauma risk management, the Police Federation or other support offered.',
    order: 5,
  },
])

export type WelfareStep = ValueOf<typeof welfareSteps>

export const stepOutcomes = codeList([
  { value: 'done', label: 'Done', order: 1 },
  { value: 'not_needed', label: 'Not needed', order: 2 },
])

export type StepOutcome = ValueOf<typeof stepOutcomes>

/** Complete once every step has an entry (its latest entry is what counts; both outcomes settle a step). */
export function isComplete(recorded: Iterable<string>): boolean {
  const steps = new Set(recorded)
  return welfareSteps.values.every((step) => steps.has(step))
}
