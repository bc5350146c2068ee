import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../db/database.js'
import type { StatTable } from '../../domain/statistics/stat-table.js'
import { validCedUse, uninjuredOfficer, uninjuredSubject } from '../../../test/support/report-fixtures.js'
import { testDatabase } from '../../../test/support/database.js'
import {
  addIncident,
  addReport,
  addSubject,
  statisticsForce,
  type StatisticsForce,
} from '../../../test/support/statistics-force.js'
import { tableSet } from './tables.js'

/**
 * The whole table set on eight reports worked out by hand. The reports (R1…R9, R7 outside the period):
 *
 *   I1 12 May 2024, street and licensed premises; person S1 (18-34, male, White, no condition)
 *     R1 North team: tactical communication, unarmed skills, non-compliant handcuffing; protect self, effect
 *        arrest; alcohol; arrested; officer injured (assault, minor); person not injured
 *     R2 South BCU: compliant handcuffing, CED fired; protect public; weapon; arrested, hospitalised; person injured
 *        (minor)
 *     R9 North team: tactical communication only; protect self; arrested
 *   I2 20 Aug 2024, dwelling; S2 (11-17, female, Black, mental) and S3 (35-49, other, Asian, not reported)
 *     R3 North BCU, on S2: CED drawn on one device and red-dotted on another (highest red-dot), CS drawn and PAVA
 *        drawn (one "irritant spray - drawn"); prevent harm; no impact factor; other outcome
 *     R4 Roads policing (a department), on S3: firearm aimed and fired (one "Firearms"), dog bite; other reason;
 *        mental health, drugs; made off; officer injured (not an assault, severe); person injured (severe)
 *   I3 15 Jan 2025, police station and custody block; S4 (65 and over, male, Mixed, physical)
 *     R5 no unit: limb restraints, CED drive-stun; protect subject; crowd; detained under the Mental Health Act
 *     R6 North team: tactical communication, ground restraint; protect self; arrested
 *     R8 South BCU: CED with no level (not stated); protect self; other outcome
 *   I4 5 Apr 2025 (next financial year): R7 North team, CED fired — never counted.
 */

let database: DatabaseHandle
let force: StatisticsForce
let tables: StatTable[]

const notHurt = { officerInjury: uninjuredOfficer(), subjectInjury: uninjuredSubject() }

beforeAll(async () => {
  database = await testDatabase()
  const { db } = database
  force = await statisticsForce(db, 'HAND')
  const { units } = force
  const i1 = await addIncident(db, force, '2024-05-12T10:00:00.000Z', ['street_highway', 'licensed_premises'])
  const s1 = await addSubject(db, force, i1)
  await addReport(
    db,
    force,
    { incident: i1, subjectId: s1, unitId: units.northTeam },
    {
      tactics: [
        { tactic: 'tactical_communication', effective: false },
        { tactic: 'unarmed_skills', effective: true },
        { tactic: 'non_compliant_handcuffing', effective: true },
      ],
      reasons: ['protect_self', 'effect_arrest'],
      impactFactors: ['alcohol'],
      outcomes: ['arrested'],
      officerInjury: { injured: 'yes', intentionalAssault: 'yes', level: 'minor', medicalProvided: false },
      subjectInjury: uninjuredSubject(),
    },
  )
  await addReport(
    db,
    force,
    { incident: i1, subjectId: s1, unitId: units.south },
    {
      tactics: [
        { tactic: 'compliant_handcuffing', effective: true },
        { tactic: 'ced', effective: true },
      ],
      cedUses: [validCedUse('fired')],
      reasons: ['protect_public'],
      impactFactors: ['possession_of_weapon'],
      outcomes: ['arrested', 'hospitalised'],
      officerInjury: uninjuredOfficer(),
      subjectInjury: {
        injured: 'yes',
        level: 'minor',
        nature: 'Probe marks',
        medicalOffered: true,
        medicalProvided: true,
      },
    },
  )
  await addReport(
    db,
    force,
    { incident: i1, subjectId: s1, unitId: units.northTeam },
    {
      tactics: [{ tactic: 'tactical_communication', effective: true }],
      reasons: ['protect_self'],
      impactFactors: [],
      outcomes: ['arrested'],
      ...notHurt,
    },
  )

  const i2 = await addIncident(db, force, '2024-08-20T22:15:00.000Z', ['dwelling'])
  const s2 = await addSubject(db, force, i2, {
    ageBand: 'age_11_17',
    gender: 'female',
    perceivedEthnicity: 'black',
    healthCondition: 'mental',
  })
  const s3 = await addSubject(db, force, i2, {
    ageBand: 'age_35_49',
    gender: 'other',
    perceivedEthnicity: 'asian',
    healthCondition: 'not_reported',
  })
  await addReport(
    db,
    force,
    { incident: i2, subjectId: s2, unitId: units.north },
    {
      tactics: [
        { tactic: 'ced', effective: true },
        { tactic: 'irritant_spray_cs_drawn', effective: false },
        { tactic: 'irritant_spray_pava_drawn', effective: false },
      ],
      cedUses: [validCedUse('drawn'), { ...validCedUse('red_dot'), deviceSerial: 'X29-00999999' }],
      reasons: ['prevent_harm'],
      impactFactors: [],
      outcomes: ['other'],
      ...notHurt,
    },
  )
  await addReport(
    db,
    force,
    { incident: i2, subjectId: s3, unitId: units.department },
    {
      tactics: [
        { tactic: 'firearm_aimed', effective: true },
        { tactic: 'firearm_fired', effective: true },
        { tactic: 'dog_bite', effective: true },
      ],
      reasons: ['other'],
      impactFactors: ['mental_health', 'drugs'],
      outcomes: ['made_off_escaped'],
      officerInjury: { injured: 'yes', intentionalAssault: 'no', level: 'severe', medicalProvided: true },
      subjectInjury: { injured: 'yes', level: 'severe', nature: 'Bite', medicalOffered: true, medicalProvided: true },
    },
  )

  const i3 = await addIncident(db, force, '2025-01-15T03:00:00.000Z', ['police_station', 'custody_block'])
  const s4 = await addSubject(db, force, i3, {
    ageBand: 'age_65_and_over',
    perceivedEthnicity: 'mixed',
    healthCondition: 'physical',
  })
  await addReport(
    db,
    force,
    { incident: i3, subjectId: s4, unitId: null },
    {
      tactics: [
        { tactic: 'limb_body_restraints', effective: true },
        { tactic: 'ced', effective: true },
      ],
      cedUses: [validCedUse('drive_stun')],
      reasons: ['protect_subject'],
      impactFactors: ['crowd'],
      outcomes: ['detained_mental_health_act'],
      ...notHurt,
    },
  )
  await addReport(
    db,
    force,
    { incident: i3, subjectId: s4, unitId: units.northTeam },
    {
      tactics: [
        { tactic: 'tactical_communication', effective: true },
        { tactic: 'ground_restraint', effective: true },
      ],
      reasons: ['protect_self'],
      impactFactors: [],
      outcomes: ['arrested'],
      ...notHurt,
    },
  )
  await addReport(
    db,
    force,
    { incident: i3, subjectId: s4, unitId: units.south },
    {
      tactics: [{ tactic: 'ced', effective: true }],
      cedUses: [],
      reasons: ['protect_self'],
      impactFactors: [],
      outcomes: ['other'],
      ...notHurt,
    },
  )

  // The next financial year: outside the period.
  const i4 = await addIncident(db, force, '2025-04-05T12:00:00.000Z')
  const s5 = await addSubject(db, force, i4)
  await addReport(
    db,
    force,
    { incident: i4, subjectId: s5, unitId: units.northTeam },
    {
      tactics: [{ tactic: 'ced', effective: true }],
      cedUses: [validCedUse('fired')],
    },
  )

  tables = await tableSet(db, {
    scope: { kind: 'force', forceId: force.forceId },
    period: { from: '2024-04', to: '2025-03' },
  })
}, 120_000)

afterAll(() => database.close())

function table(id: string): StatTable {
  const found = tables.find((t) => t.id === id)
  if (!found) throw new Error(`no ${id}`)
  return found
}

/** A row's values by its key, as an object keyed by column. */
function row(id: string, key: string): Record<string, number | null> {
  const t = table(id)
  const r = t.rows.find((x) => x.key === key)
  if (!r) throw new Error(`no row ${key} in ${id}`)
  return Object.fromEntries(t.columns.map((c, i) => [c.key, r.values[i] ?? null]))
}

/** Only the non-zero cells of a row, so a hand count lists just what it found. */
function nonZero(id: string, key: string): Record<string, number | null> {
  return Object.fromEntries(Object.entries(row(id, key)).filter(([, v]) => v !== 0))
}

describe('the table set on a hand-counted force', () => {
  it('lists the 17 tables in order', () => {
    expect(tables.map((t) => t.id)).toEqual(Array.from({ length: 17 }, (_, i) => `table-${i + 1}`))
  })

  it('table 1: times each tactic was reported and the reports involving it', () => {
    const t1 = (key: string) => row('table-1', key)
    expect(t1('total')).toEqual({ times: 12, reports: 8 })
    expect(t1('restraint')).toEqual({ times: 4, reports: 4 })
    expect(t1('restraint.handcuffing')).toEqual({ times: 2, reports: 2 })
    expect(t1('restraint.handcuffing.compliant-handcuffing')).toEqual({ times: 1, reports: 1 })
    expect(t1('restraint.handcuffing.non-compliant-handcuffing')).toEqual({ times: 1, reports: 1 })
    expect(t1('restraint.handcuffing.not-stated')).toEqual({ times: 0, reports: 0 })
    expect(t1('restraint.limb-body-restraints')).toEqual({ times: 1, reports: 1 })
    expect(t1('restraint.ground-restraint')).toEqual({ times: 1, reports: 1 })
    expect(t1('unarmed_skills')).toEqual({ times: 1, reports: 1 })
    expect(t1('other_equipment')).toEqual({ times: 1, reports: 1 })
    // CS and PAVA drawn in one report: one "Irritant spray - drawn".
    expect(t1('other_equipment.irritant-spray.irritant-spray-drawn')).toEqual({ times: 1, reports: 1 })
    expect(t1('other_equipment.baton')).toEqual({ times: 0, reports: 0 })
    expect(t1('less_lethal_weapons')).toEqual({ times: 4, reports: 4 })
    expect(t1('ced')).toEqual({ times: 4, reports: 4 })
    // Drawn then red-dotted counts once, as red-dot.
    expect(t1('ced.drawn')).toEqual({ times: 0, reports: 0 })
    expect(t1('ced.red_dot')).toEqual({ times: 1, reports: 1 })
    expect(t1('ced.drive_stun')).toEqual({ times: 1, reports: 1 })
    expect(t1('ced.fired')).toEqual({ times: 1, reports: 1 })
    expect(t1('ced.angle_drive_stun')).toEqual({ times: 0, reports: 0 })
    expect(t1('ced.not-stated')).toEqual({ times: 1, reports: 1 })
    // Aimed and fired in one report: one firearms use.
    expect(t1('firearms')).toEqual({ times: 1, reports: 1 })
    expect(t1('other')).toEqual({ times: 1, reports: 1 })
    expect(t1('other.dog-use.dog-bite')).toEqual({ times: 1, reports: 1 })
    expect(t1('not-reported')).toEqual({ times: 1, reports: 1 })
    expect(t1('tactical-communication')).toEqual({ times: 3, reports: 3 })
  })

  it('tables 2 to 5: by perceived age, gender, ethnicity and health condition', () => {
    expect(nonZero('table-2', 'group-reports')).toEqual({
      age_11_17: 1,
      age_18_34: 3,
      age_35_49: 1,
      age_65_and_over: 3,
      total: 8,
    })
    expect(nonZero('table-2', 'total')).toEqual({
      age_11_17: 2,
      age_18_34: 4,
      age_35_49: 2,
      age_65_and_over: 4,
      total: 12,
    })
    expect(nonZero('table-2', 'ced')).toEqual({ age_11_17: 1, age_18_34: 1, age_65_and_over: 2, total: 4 })
    expect(nonZero('table-2', 'ced.non-discharge')).toEqual({ age_11_17: 1, total: 1 })
    expect(nonZero('table-2', 'ced.discharge')).toEqual({ age_18_34: 1, age_65_and_over: 1, total: 2 })
    expect(nonZero('table-2', 'ced.not-stated')).toEqual({ age_65_and_over: 1, total: 1 })
    expect(nonZero('table-2', 'not-reported')).toEqual({ age_18_34: 1, total: 1 })
    expect(nonZero('table-2', 'tactical-communication')).toEqual({ age_18_34: 2, age_65_and_over: 1, total: 3 })

    expect(nonZero('table-3', 'group-reports')).toEqual({ male: 6, female: 1, other: 1, total: 8 })
    expect(nonZero('table-3', 'total')).toEqual({ male: 8, female: 2, other: 2, total: 12 })
    expect(nonZero('table-4', 'group-reports')).toEqual({ white: 3, black: 1, asian: 1, mixed: 3, total: 8 })
    expect(nonZero('table-4', 'total')).toEqual({ white: 4, black: 2, asian: 2, mixed: 4, total: 12 })
    expect(nonZero('table-4', 'firearms')).toEqual({ asian: 1, total: 1 })
    expect(nonZero('table-5', 'group-reports')).toEqual({ none: 3, mental: 1, not_reported: 1, physical: 3, total: 8 })
    expect(nonZero('table-5', 'ced.discharge')).toEqual({ none: 1, physical: 1, total: 2 })
  })

  it('tables 6 to 9: by reason, impact factor, outcome and location (several per report)', () => {
    expect(nonZero('table-6', 'group-reports')).toEqual({
      protect_self: 4,
      protect_public: 1,
      protect_subject: 1,
      effect_arrest: 1,
      prevent_harm: 1,
      other: 1,
      total: 8,
    })
    expect(nonZero('table-6', 'total')).toEqual({
      protect_self: 4,
      protect_public: 2,
      protect_subject: 2,
      effect_arrest: 2,
      prevent_harm: 2,
      other: 2,
      total: 12,
    })
    expect(nonZero('table-6', 'ced.not-stated')).toEqual({ protect_self: 1, total: 1 })
    expect(nonZero('table-7', 'group-reports')).toEqual({
      possession_of_weapon: 1,
      alcohol: 1,
      drugs: 1,
      mental_health: 1,
      crowd: 1,
      total: 8,
    })
    expect(nonZero('table-7', 'total')).toEqual({
      possession_of_weapon: 2,
      alcohol: 2,
      drugs: 2,
      mental_health: 2,
      crowd: 2,
      total: 12,
    })
    expect(nonZero('table-8', 'group-reports')).toEqual({
      made_off_escaped: 1,
      arrested: 4,
      hospitalised: 1,
      detained_mental_health_act: 1,
      other: 2,
      total: 8,
    })
    expect(nonZero('table-8', 'total')).toEqual({
      made_off_escaped: 2,
      arrested: 5,
      hospitalised: 2,
      detained_mental_health_act: 2,
      other: 3,
      total: 12,
    })
    expect(nonZero('table-9', 'group-reports')).toEqual({
      'group.public': 3,
      street_highway: 3,
      licensed_premises: 3,
      'group.police_setting': 3,
      police_station: 3,
      custody_block: 3,
      dwelling: 2,
      total: 8,
    })
    expect(nonZero('table-9', 'total')).toEqual({
      'group.public': 4,
      street_highway: 4,
      licensed_premises: 4,
      'group.police_setting': 4,
      police_station: 4,
      custody_block: 4,
      dwelling: 4,
      total: 12,
    })
  })

  it('tables 10 and 11: injuries to officers and to people', () => {
    expect(row('table-10', 'yes')).toEqual({ total: 2, minor: 1, severe: 1, not_reported: 0 })
    expect(row('table-10', 'yes.yes')).toEqual({ total: 1, minor: 1, severe: 0, not_reported: 0 })
    expect(row('table-10', 'yes.no')).toEqual({ total: 1, minor: 0, severe: 1, not_reported: 0 })
    expect(row('table-10', 'no')).toEqual({ total: 6, minor: 0, severe: 0, not_reported: 6 })
    // Not injured, so the assault question did not apply: shown as not reported.
    expect(row('table-10', 'no.not_reported')).toEqual({ total: 6, minor: 0, severe: 0, not_reported: 6 })
    expect(row('table-10', 'total')).toEqual({ total: 8, minor: 1, severe: 1, not_reported: 6 })
    expect(row('table-11', 'yes')).toEqual({ total: 2, minor: 1, severe: 1, death: 0, not_reported: 0 })
    expect(row('table-11', 'no')).toEqual({ total: 6, minor: 0, severe: 0, death: 0, not_reported: 6 })
    expect(row('table-11', 'total')).toEqual({ total: 8, minor: 1, severe: 1, death: 0, not_reported: 6 })
  })

  it('table 12: reports, distinct incidents and people for the force and each BCU', () => {
    const t12 = table('table-12')
    expect(t12.rows.map((r) => r.label)).toEqual(['Total HAND Constabulary', 'North BCU', 'South BCU', 'Other units'])
    expect(row('table-12', 'all')).toEqual({ total: 8, incidents: 3, people: 4 })
    expect(row('table-12', force.units.north)).toEqual({ total: 4, incidents: 3, people: 3 })
    expect(row('table-12', force.units.south)).toEqual({ total: 2, incidents: 2, people: 2 })
    expect(row('table-12', 'other')).toEqual({ total: 2, incidents: 2, people: 2 })
  })

  it('table 13: CED by highest level of use, total = non-discharge + discharge + not stated', () => {
    expect(nonZero('table-13', 'all')).toEqual({
      total: 4,
      'non-discharge': 1,
      red_dot: 1,
      discharge: 2,
      drive_stun: 1,
      fired: 1,
      not_stated: 1,
    })
    expect(nonZero('table-13', force.units.north)).toEqual({ total: 1, 'non-discharge': 1, red_dot: 1 })
    expect(nonZero('table-13', force.units.south)).toEqual({ total: 2, discharge: 1, fired: 1, not_stated: 1 })
    expect(nonZero('table-13', 'other')).toEqual({ total: 1, discharge: 1, drive_stun: 1 })
  })

  it('tables 14 to 17: the breakdowns for the force and each BCU', () => {
    const north = force.units.north
    expect(nonZero('table-14', `${north}.group-reports`)).toEqual({
      age_11_17: 1,
      age_18_34: 2,
      age_65_and_over: 1,
      total: 4,
    })
    expect(nonZero('table-14', `${north}.total`)).toEqual({ age_11_17: 2, age_18_34: 2, age_65_and_over: 1, total: 5 })
    expect(nonZero('table-14', `${force.units.south}.total`)).toEqual({ age_18_34: 2, age_65_and_over: 1, total: 3 })
    expect(nonZero('table-14', 'other.total')).toEqual({ age_35_49: 2, age_65_and_over: 2, total: 4 })
    expect(nonZero('table-14', 'all.total')).toEqual(nonZero('table-2', 'total'))
    expect(nonZero('table-15', 'other.group-reports')).toEqual({ male: 1, other: 1, total: 2 })
    expect(nonZero('table-16', `${force.units.south}.ced.discharge`)).toEqual({ white: 1, total: 1 })
    expect(nonZero('table-17', `${north}.ced.non-discharge`)).toEqual({ mental: 1, total: 1 })
  })

  it('a unit filter counts only that unit and below', async () => {
    const north = await tableSet(database.db, {
      scope: { kind: 'force', forceId: force.forceId, unitId: force.units.north },
      period: { from: '2024-04', to: '2025-03' },
    })
    const t1 = north.find((t) => t.id === 'table-1')
    const total = t1?.rows.find((r) => r.key === 'total')
    // R1, R3, R6 and R9; the team's reports are inside the BCU.
    expect(total?.values).toEqual([5, 4])
    const team = await tableSet(database.db, {
      scope: { kind: 'force', forceId: force.forceId, unitId: force.units.northTeam },
      period: { from: '2024-04', to: '2025-03' },
    })
    expect(team.find((t) => t.id === 'table-12')?.rows.map((r) => [r.label, r.values[0]])).toEqual([
      ['Total North response team', 3],
      ['North BCU', 3],
    ])
  })

  it('one force never sees another force; nationally every force is listed and adds up', async () => {
    const demo = await database.db
      .selectFrom('forces')
      .select(['id', 'name'])
      .where('id', '<>', force.forceId)
      .executeTakeFirstOrThrow()
    const period = { from: '2024-04', to: '2026-12' }
    const direct = await database.db
      .selectFrom('reports')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('force_id', '=', demo.id)
      .executeTakeFirstOrThrow()
    const demoTables = await tableSet(database.db, { scope: { kind: 'force', forceId: demo.id }, period })
    expect(demoTables.find((t) => t.id === 'table-12')?.rows[0]?.values[0]).toBe(Number(direct.n))
    const national = await tableSet(database.db, { scope: { kind: 'national' }, period })
    const t12 = national.find((t) => t.id === 'table-12')
    expect(t12?.rows.map((r) => [r.label, r.values[0]])).toEqual([
      ['Total all forces', Number(direct.n) + 9],
      [demo.name, Number(direct.n)],
      ['HAND Constabulary', 9],
    ])
  })

  it('counts months in London time', async () => {
    // 23:30 on 31 March UTC is 00:30 on 1 April in London (summer time): April, not March.
    const late = await addIncident(database.db, force, '2025-03-31T23:30:00.000Z')
    const person = await addSubject(database.db, force, late)
    await addReport(database.db, force, { incident: late, subjectId: person, unitId: force.units.south })
    const count = async (from: string, to: string) =>
      (await tableSet(database.db, { scope: { kind: 'force', forceId: force.forceId }, period: { from, to } })).find(
        (t) => t.id === 'table-12',
      )?.rows[0]?.values[0]
    expect(await count('2025-04', '2025-04')).toBe(2)
    expect(await count('2025-03', '2025-03')).toBe(0)
  })
})
