import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabase } from '../../../test/support/database.js'
import type { DatabaseHandle } from '../../db/database.js'
import { parseCsv } from '../../lib/spreadsheets/parse-csv.js'
import { MET_COLUMNS } from './met-layout.js'
import { openDataCsv } from './open-data.js'

/** The Met's 271 columns as domain reference 2.2 lists them (FY20-21), typos included. */
const cedBlockOne = [
  'CED Drawn',
  'CED Aimed',
  'CED Arced',
  'CED Red-Dotted',
  'CED Drive Stun',
  'CED Drive Stun Repeat Application',
  'CED Angle Drive Stun',
  'CED Fired',
  'CED Fired Cartridge Number',
  'CED Fired 5 Secs Cycle Interrupted',
  'CED Fired Repeat Cycle Same Cartridge',
  'CED Fired Total Number Of Cycles',
  'CED Fired Cycle Extended Beyond 5 Secs',
  'CED Fired Miss With One Probe',
  'CED Fired Miss With Both Probes',
  ...Array.from({ length: 15 }, (_, i) => `CED Front ${i + 1}`),
  ...['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K'].map((zone) => `CED Back ${zone}`),
]
const metColumns = [
  'IncidentDate',
  'IncidentTime',
  'Incident Location: Street/Highway',
  'Incident Location: Public Transport',
  'Incident Location: Retail Premises',
  'Incident Location: Open ground (e.g. park, car park, field)',
  'Incident Location: Licensed Premises',
  'Incident Location: Sports or Event Stadia',
  'Incident Location: Hospital/A&E (non-mental-health setting)',
  'Incident Location: Mental Health Setting',
  'Incident Location: Police vehicle with prisoner handling cage',
  'Incident Location: Police vehicle without prisoner handling cage',
  'Incident Location: Dwelling',
  'Incident Location: Police station (excluding custody block)',
  'Incident Location: Custody Block',
  'Incident Location: Ambulance',
  'Incident Location: Other',
  'Borough',
  'PrimaryConduct',
  'AssaultedBySubject',
  'ThreatenedWithWeapon',
  'AssaultedWithWeapon',
  'Impact Factor: Possesion of a weapon',
  'Impact Factor: Alcohol',
  'Impact Factor: Drugs',
  'Impact Factor: Mental Health',
  'Impact Factor: Prior Knowledge',
  'Impact Factor: Size/Gender/Build',
  'Impact Factor: Acute Behavioural Disorder',
  'Impact Factor: Crowd',
  'Impact Factor: Other',
  'Reason for Force: Protect self',
  'Reason for Force: Protect Public',
  'Reason for Force: Protect Subject',
  'Reason for Force: Protect Other Officers',
  'Reason for Force: Prevent Offence',
  'Reason for Force: Secure Evidence',
  'Reason for Force: Effect Search',
  'Reason for Force: Effect Arrest',
  'Reason for Force: Method of Entry',
  'Reason for Force: Remove Handcuffs',
  'Reason for Force: Prevent Harm',
  'Reason for Force: Prevent Escape',
  'Reason for Force: Other',
  'MainDuty',
  'SingleCrewed',
  'TrainedCED',
  'CarryingCED',
  ...Array.from({ length: 19 }, (_, i) => [`Tactic ${i + 1}`, `Effective ${i + 1}`]).flat(),
  'Tactic 20',
  'Tactic Effective 20',
  'CED Used',
  'CED Device Serial No',
  ...cedBlockOne,
  // Blocks 2 to 4: the prefix 'CEDn ', and the arced column literally 'CEDn ArCEDn' (as in the Met's file).
  ...[2, 3, 4].flatMap((n) =>
    cedBlockOne.map((c) => (c === 'CED Arced' ? `CED${n} ArCED${n}` : `CED${n} ${c.slice('CED '.length)}`)),
  ),
  'Firearms Aimed',
  'Firearms Fired',
  'SubjectAge',
  'SubjectGender',
  'SubjectEthnicity',
  'PhysicalDisability',
  'MentalDisability',
  'StaffInjured',
  'StaffInjuryIntentional',
  'StaffInjuryLevel',
  'StaffMedProvided',
  'SubjectInjured',
  'SubjectNatureOfInjury',
  'SubjectMedOffered',
  'SubjectMedProvided',
  'Outcome: Made off/escaped',
  'Outcome: Arrested',
  'Outcome: Hospitalised',
  'Outcome: Detained - Mental Health Act',
  'Outcome: Fatality',
  'Outcome: Other',
]

let handle: DatabaseHandle
beforeAll(async () => {
  handle = await testDatabase()
})
afterAll(() => handle.close())

describe('record-level open data in the Met layout', () => {
  it('has the 271 columns of the Met file, in its order and spelling', () => {
    expect(metColumns).toHaveLength(271)
    expect([...MET_COLUMNS]).toEqual(metColumns)
  })

  it('holds no identifier and no free text of the records it is made from', async () => {
    const db = handle.db
    const forceId = (await db.selectFrom('forces').select('id').executeTakeFirstOrThrow()).id
    const period = { from: '2025-12', to: '2026-11' }
    const rows = parseCsv(await openDataCsv(db, forceId, period))
    expect(rows[0]).toEqual(metColumns)
    expect(rows.length).toBeGreaterThan(1000)
    expect(new Set(rows.map((r) => r.length))).toEqual(new Set([271]))

    // Everything that names or points at a person, a place or a record, and every answer in the officer's words.
    const { rows: secrets } = await sql<{ kind: string; value: string }>`
      with r as (
        select r.* from reports r join incidents i on i.id = r.incident_id
        where r.force_id = ${forceId}
          and i.occurred_at >= '2025-12-01T00:00:00Z' and i.occurred_at < '2026-12-01T00:00:00Z')
      select 'incident reference' as kind, i.reference as value from incidents i where i.id in (select incident_id from r)
      union all select 'area', i.area from incidents i where i.id in (select incident_id from r)
      union all select 'person', s.label from subjects s where s.id in (select subject_id from r)
      union all select 'justification', justification from r
      union all select 'de-escalation', de_escalation from r
      union all select 'injury', subject_injury_nature from r where subject_injury_nature is not null
      union all select 'video reference', bwv_reference from r where bwv_reference is not null
      union all select 'device serial', u.device_serial from report_ced_uses u where u.report_id in (select id from r)
      union all select 'footage reference', u.footage_reference from report_ced_uses u
        where u.report_id in (select id from r) and u.footage_reference is not null
      union all select 'cartridge serial', c->>'serial' from report_ced_uses u, jsonb_array_elements(u.cartridges) c
        where u.report_id in (select id from r)
      union all select 'officer name', p.given_name || ' ' || p.family_name from personnel p
        where p.id in (select officer_person_id from r)
      union all select 'collar number', p.collar_number from personnel p
        where p.id in (select officer_person_id from r) and p.collar_number is not null
      union all select 'username', u.username from users u where u.id in (select reporter_user_id from r)
      union all select 'report id', id::text from r`.execute(db)
    const kinds = new Set(secrets.map((s) => s.kind))
    for (const kind of [
      'incident reference',
      'area',
      'justification',
      'device serial',
      'officer name',
      'collar number',
    ])
      expect(kinds, kind).toContain(kind)

    // Every distinct value in the file, against every secret: equal to it, or (for longer ones) containing it.
    const values = [...new Set(rows.slice(1).flat())]
    expect(values.length).toBeLessThan(500) // code values, numbers and dates: no per-record text
    const leaks = secrets.flatMap(({ kind, value }) =>
      values
        .filter((field) => field === value || (value.length >= 8 && field.includes(value)))
        .map((field) => ({ kind, value, field })),
    )
    expect(leaks).toEqual([])
  })
})
