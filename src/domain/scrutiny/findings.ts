import { codeList, type ValueOf } from '../use-of-force/code-list.js'

/** A panel's finding on one case. */
export const findings = codeList([
  { value: 'appropriate', label: 'Appropriate', tag: 'green', order: 1 },
  { value: 'some_concerns', label: 'Some concerns', tag: 'yellow', order: 2 },
  { value: 'inappropriate', label: 'Inappropriate', tag: 'red', order: 3 },
])

export type Finding = ValueOf<typeof findings>

/** Themes a panel can tag a finding with, several per case; they are what the published summary counts. */
export const themes = codeList([
  { value: 'communication', label: 'Communication and de-escalation', order: 1 },
  { value: 'warning', label: 'Warning given before use', order: 2 },
  { value: 'proportionality', label: 'Proportionality of the force used', order: 3 },
  { value: 'vulnerability', label: 'Recognising vulnerability (age, mental health)', order: 4 },
  { value: 'extended_cycles', label: 'Repeated or extended Taser cycles', order: 5 },
  { value: 'aftercare', label: 'Aftercare and medical attention', order: 6 },
  { value: 'body_worn_video', label: 'Body-worn video use', order: 7 },
  { value: 'recording', label: 'Quality of the written record', order: 8 },
  { value: 'supervision', label: 'Supervision and review', order: 9 },
  { value: 'good_practice', label: 'Good practice to share', order: 10 },
])

export type Theme = ValueOf<typeof themes>
