import type { z } from 'zod'
import type { reportSubmission } from '../../domain/use-of-force/report.js'

/** The example on the API page: a Taser fired once. A test holds it to the schema and the rules. */
export const validSubmissionExample: z.input<typeof reportSubmission> = {
  incident: {
    occurredAt: '2026-03-14T22:41:00.000Z',
    locationTypes: ['street_highway'],
    area: 'Riverside',
    planned: false,
  },
  subject: {
    ageBand: 'age_18_34',
    gender: 'male',
    perceivedEthnicity: 'white',
    selfDefinedEthnicity: null,
    healthCondition: 'none',
  },
  tactics: [
    { tactic: 'tactical_communication', effective: false },
    { tactic: 'ced', effective: true },
    { tactic: 'non_compliant_handcuffing', effective: true },
  ],
  reasons: ['protect_self', 'protect_public', 'effect_arrest'],
  impactFactors: ['possession_of_weapon', 'alcohol'],
  outcomes: ['arrested'],
  officer: {
    mainDuty: 'response',
    singleCrewed: false,
    cedTrained: true,
    cedCarried: true,
    assaultedBySubject: false,
    threatenedWithWeapon: true,
    assaultedWithWeapon: false,
  },
  subjectConduct: 'serious_aggravated_resistance',
  officerInjury: { injured: 'no', intentionalAssault: null, level: null, medicalProvided: false },
  subjectInjury: { injured: 'no', level: null, nature: null, medicalOffered: true, medicalProvided: true },
  bodyWornVideo: { activated: true, reference: 'BWV-2026-0314-0041' },
  justification:
    'The man advanced towards members of the public holding a knife and ignored repeated instructions to drop it.',
  deEscalation: 'I gave clear instructions from a distance and a Taser warning before firing.',
  cedUses: [
    {
      deviceSerial: 'X29-00172245',
      deviceModel: 'x2',
      levels: ['drawn', 'aimed', 'red_dot', 'fired'],
      driveStunRepeat: false,
      cartridges: [{ serial: 'C-44810093', bay: 1 }],
      cycles: [{ seconds: 5, extended: false, interrupted: false }],
      repeatCycleSameCartridge: false,
      probeMiss: 'none',
      probeSites: ['front_7', 'front_10'],
      warningGiven: true,
      distanceMetres: 3.5,
      effective: true,
      probesRemovedBy: 'medical_staff',
      medicalCheck: true,
      footageReference: 'BWV-2026-0314-0041',
    },
  ],
}
