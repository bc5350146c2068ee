import { randomUUID } from 'node:crypto'
import { sql, type Insertable, type Transaction } from 'kysely'
import { deriveAuthority } from '../../domain/taser/authority.js'
import { addDays, londonDate, shiftMonth } from '../../domain/calendar.js'
import { appendAuditBatch, type AuditEvent } from '../../features/audit/ledger.js'
import { cedAuthorityAsAt } from '../../features/training/authority.repository.js'
import { buildEvidencePack, lastDayOfMonth } from '../../features/threat-assessment/evidence.js'
import { chunks } from '../batches.js'
import { cedDischarged, cedUsed } from '../ced-counts.js'
import type { Database } from '../schema.js'
import { createRandom } from './random.js'

/**
 * Deployment authorisations for the demo force, read from what is already seeded (the control room's inspectors, the
 * year of incidents and reports, the officers with Taser authority): accreditations for the control room's senior officers,
 * one of them expired; the control room's immediate and prompt incident counts for the last 12 complete months; a
 * year of authorisations in the proportions of the published example (about 0.56% of incidents authorised, about 17%
 * of those with a Taser used, about 3% discharged); and one approved threat and risk assessment with a draft after it.
 */
export async function seedDemoAuthorisations(
  trx: Transaction<Database>,
  ctx: { forceId: string; now: Date },
): Promise<Record<string, number>> {
  const rng = createRandom(11)
  const { forceId, now } = ctx
  const today = londonDate(now)
  const thisMonth = today.slice(0, 7)

  // --- Accreditations: the control room's chief inspector and inspectors (the force incident managers) ----------
  const seniors = await trx
    .selectFrom('personnel as p')
    .innerJoin('org_units as u', 'u.id', 'p.unit_id')
    .where('p.force_id', '=', forceId)
    .where('u.code', '=', 'FCR')
    .where('p.rank', 'in', ['inspector', 'chief_inspector'])
    .select(['p.id'])
    .orderBy('p.collar_number')
    .execute()
  const demoAuthoriser = await trx
    .selectFrom('users')
    .select('person_id')
    .where('force_id', '=', forceId)
    .where('username', '=', 'authorising-officer')
    .executeTakeFirst()
  const ordered = [
    ...seniors.filter((s) => s.id === demoAuthoriser?.person_id),
    ...seniors.filter((s) => s.id !== demoAuthoriser?.person_id),
  ]
  // The last officer's accreditation expired four months ago and was not renewed: their authorisations stop there.
  const accreditations = ordered.map((s, i) => {
    const expired = i === ordered.length - 1 && ordered.length > 1
    return {
      id: randomUUID(),
      force_id: forceId,
      person_id: s.id,
      valid_from: addDays(today, expired ? -900 : -500 + i * 20),
      expires_on: expired ? addDays(today, -120) : addDays(today, 230 + i * 30),
      granted_by_user_id: null,
    }
  })
  if (accreditations.length) await trx.insertInto('authorising_accreditations').values(accreditations).execute()

  // --- Incident counts: the last 12 complete months, about 40,000 immediate and prompt incidents a year ----------
  const months = Array.from({ length: 12 }, (_, i) => shiftMonth(thisMonth, i - 12))
  const counts = months.map((month) => {
    // Busier in summer and December, as demand is.
    const m = Number(month.slice(5, 7))
    const season = 1 + 0.08 * Math.cos(((m - 7) / 6) * Math.PI) + (m === 12 ? 0.05 : 0)
    return {
      force_id: forceId,
      month: `${month}-01`,
      immediate: Math.round(1400 * season) + rng.int(-40, 40),
      prompt: Math.round(1950 * season) + rng.int(-60, 60),
      imported_by_user_id: null,
      imported_at: now,
    }
  })
  await trx.insertInto('incident_counts').values(counts).execute()
  const totalIncidents = counts.reduce((sum, c) => sum + c.immediate + c.prompt, 0)

  // --- Authorisations ------------------------------------------------------------------------------------------
  const start = sql`(${`${months[0]}-01`}::date)::timestamp at time zone 'Europe/London'`
  const end = sql`(${`${thisMonth}-01`}::date)::timestamp at time zone 'Europe/London'`
  const incidents = await trx
    .selectFrom('incidents as i')
    .innerJoin('reports as r', 'r.incident_id', 'i.id')
    .where('i.force_id', '=', forceId)
    .where(sql<boolean>`i.occurred_at >= ${start} and i.occurred_at < ${end}`)
    .where('i.planned', '=', false)
    .groupBy(['i.id', 'i.occurred_at'])
    .select([
      'i.id',
      'i.occurred_at',
      sql<boolean>`bool_or(${cedUsed('r')})`.as('used'),
      sql<boolean>`bool_or(${cedDischarged('r')})`.as('discharged'),
      sql<string[]>`array_agg(distinct r.officer_person_id) filter (where r.officer_person_id is not null)`.as(
        'officers',
      ),
    ])
    .orderBy('i.occurred_at')
    .execute()
  // Officers deployed as Taser officers must hold Taser authority on the day. Their records are read once and the
  // training capability's rule derives authority for each day.
  const taserTrained = await cedAuthorityAsAt(trx, { forceId, asAt: today })
  const authorisedByDay = new Map<string, string[]>()
  const authorisedOn = (at: Date): string[] => {
    const day = londonDate(at)
    let ids = authorisedByDay.get(day)
    if (!ids) {
      ids = taserTrained.filter((p) => deriveAuthority(p.input, day).authorisedModels.length > 0).map((p) => p.personId)
      authorisedByDay.set(day, ids)
    }
    return ids
  }

  const target = Math.round(totalIncidents * 0.0056)
  const discharged = rng.shuffle(incidents.filter((i) => i.discharged)).slice(0, Math.round(target * 0.029))
  const usedOnly = rng.shuffle(incidents.filter((i) => i.used && !i.discharged))
  const used = usedOnly.slice(0, Math.round(target * 0.178) - discharged.length)
  const noTaser = rng.shuffle(incidents.filter((i) => !i.used)).slice(0, Math.round(target * 0.35))
  const linked = [...discharged, ...used, ...noTaser]

  type Planned = { at: Date; incidentId: string | null; reference: string; grade: string; officers: string[] }
  const planned: Planned[] = linked.map((incident) => ({
    // Authorised a few minutes before force was used.
    at: new Date(new Date(incident.occurred_at).getTime() - rng.int(4, 25) * 60_000),
    incidentId: incident.id,
    reference: '',
    grade: rng.chance(0.7) ? 'immediate' : 'prompt',
    officers: (incident.officers ?? []).slice(0, 3),
  }))
  for (const p of planned) {
    const pool = authorisedOn(p.at)
    const onScene = p.officers.filter((id) => pool.includes(id))
    p.officers = onScene.length || pool.length === 0 ? onScene : [rng.pick(pool)]
  }
  // The rest led to no use of force, so have no ForceLedger incident: only the control room's log number.
  const startMs = new Date(`${months[0]}-01T00:00:00Z`).getTime()
  const spanMs = new Date(`${thisMonth}-01T00:00:00Z`).getTime() - startMs - 86_400_000
  const unlinkedCount = Math.max(0, target - linked.length)
  for (let n = 0; n < unlinkedCount + 12; n++) {
    const at = new Date(startMs + Math.floor(rng.next() * spanMs))
    const isPlanned = n >= unlinkedCount
    planned.push({
      at,
      incidentId: null,
      reference: `FCR-${londonDate(at).replaceAll('-', '')}-${String(rng.int(1, 1499)).padStart(4, '0')}`,
      grade: isPlanned ? 'planned' : rng.chance(0.6) ? 'immediate' : 'prompt',
      officers: authorisedOn(at).length ? Array.from({ length: rng.int(1, 3) }, () => rng.pick(authorisedOn(at))) : [],
    })
  }
  const references = new Map(
    (
      await trx
        .selectFrom('incidents')
        .select(['id', 'reference'])
        .where(
          'id',
          'in',
          linked.map((i) => i.id),
        )
        .execute()
    ).map((r) => [r.id, r.reference]),
  )
  const userOf = new Map(
    (
      await trx
        .selectFrom('users')
        .select(['id', 'person_id'])
        .where('force_id', '=', forceId)
        .where(
          'person_id',
          'in',
          accreditations.map((a) => a.person_id),
        )
        .execute()
    ).map((u) => [u.person_id, u.id]),
  )
  const rows: Insertable<Database['deployment_authorisations']>[] = []
  const officerRows: { authorisation_id: string; person_id: string }[] = []
  const events: AuditEvent[] = []
  for (const p of planned.sort((a, b) => a.at.getTime() - b.at.getTime())) {
    const day = londonDate(p.at)
    const holders = accreditations.filter((a) => a.valid_from <= day && a.expires_on >= day && userOf.has(a.person_id))
    const officers = [...new Set(p.officers)]
    if (holders.length === 0 || officers.length === 0) continue
    // The demo account's officer is on duty for about a third of them, so its own list is worth looking at.
    const accreditation = rng.chance(0.35) ? (holders[0] ?? rng.pick(holders)) : rng.pick(holders)
    const id = randomUUID()
    const reference = p.incidentId ? (references.get(p.incidentId) ?? p.reference) : p.reference
    rows.push({
      id,
      force_id: forceId,
      authorised_at: p.at,
      authoriser_person_id: accreditation.person_id,
      recorded_by_user_id: userOf.get(accreditation.person_id) ?? '',
      accreditation_id: accreditation.id,
      incident_reference: reference,
      incident_id: p.incidentId,
      grade: p.grade as 'immediate' | 'prompt' | 'planned',
      rationale: rationaleFor(p.grade, rng.int(0, RATIONALES.length - 1)),
    })
    for (const person of officers) officerRows.push({ authorisation_id: id, person_id: person })
    events.push({
      forceId,
      actor: { userId: null, label: 'demo seed' },
      action: 'authorisation.recorded',
      entityType: 'deployment_authorisation',
      entityId: id,
      details: { authorisedAt: p.at.toISOString(), incidentReference: reference, grade: p.grade },
    })
  }
  for (const batch of chunks(rows)) await trx.insertInto('deployment_authorisations').values(batch).execute()
  for (const batch of chunks(officerRows))
    await trx.insertInto('deployment_authorisation_officers').values(batch).execute()
  await appendAuditBatch(trx, events, now)
  const assessments = await seedAssessments(trx, forceId, now)
  return {
    accreditations: accreditations.length,
    incidentCountMonths: counts.length,
    authorisations: rows.length,
    assessments,
  }
}

const RATIONALES = [
  'Caller reports a man with a knife threatening staff. Officers on scene request Taser support.',
  'Domestic incident, suspect known for violence against officers and believed to have a weapon.',
  'Male in mental-health crisis on a bridge with a bladed article; negotiators en route.',
  'Reports of a fight involving several people outside licensed premises, one with a bottle.',
  'Suspect for a serious assault located; history of carrying weapons and resisting arrest.',
]

function rationaleFor(grade: string, n: number): string {
  return grade === 'planned'
    ? 'Planned arrest of a suspect with warning markers for weapons and violence. Briefed and risk assessed.'
    : (RATIONALES[n] ?? RATIONALES[0] ?? '')
}

/**
 * Version 1, approved two months ago on the evidence of the 12 months before it, with the PCC and the community
 * told; version 2, a draft started from it this week, its evidence not generated yet.
 */
async function seedAssessments(trx: Transaction<Database>, forceId: string, now: Date): Promise<number> {
  const userId = async (username: string) =>
    (await trx.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst())?.id ?? null
  const [lead, admin] = [await userId('taser-lead'), await userId('admin')]
  const today = londonDate(now)
  const approvedOn = addDays(today, -60)
  const to = shiftMonth(approvedOn.slice(0, 7), -1)
  const from = shiftMonth(to, -11)
  const evidence = await buildEvidencePack(trx, forceId, { from, to }, approvedOn)
  const decision =
    'Keep Taser with response teams on every shift in each basic command unit, and raise North BCU to 45 authorised ' +
    'officers: it has the most Taser uses and the most assaults on officers. No change for roads policing.'
  const targets = evidence.units
    .filter((u) => u.authorisedOfficers > 0)
    .map((u) => ({ unitId: u.unitId, name: u.name, target: u.name === 'North BCU' ? 45 : u.authorisedOfficers }))
  const approvedAt = new Date(`${approvedOn}T14:00:00Z`)
  await trx
    .insertInto('threat_assessments')
    .values([
      {
        force_id: forceId,
        version: 1,
        status: 'approved',
        period_from: `${from}-01`,
        period_to: lastDayOfMonth(to),
        evidence: JSON.stringify(evidence),
        evidence_generated_at: new Date(approvedAt.getTime() - 7 * 86_400_000),
        decision,
        targets: JSON.stringify(targets),
        created_by_user_id: lead,
        created_at: new Date(approvedAt.getTime() - 14 * 86_400_000),
        updated_at: approvedAt,
        approved_by_user_id: admin,
        approved_at: approvedAt,
        pcc_informed_on: addDays(approvedOn, 6),
        community_informed_on: addDays(approvedOn, 20),
      },
      {
        force_id: forceId,
        version: 2,
        status: 'draft',
        period_from: `${shiftMonth(today.slice(0, 7), -12)}-01`,
        period_to: lastDayOfMonth(shiftMonth(today.slice(0, 7), -1)),
        decision,
        targets: JSON.stringify(targets),
        created_by_user_id: lead,
        created_at: new Date(now.getTime() - 2 * 86_400_000),
        updated_at: new Date(now.getTime() - 2 * 86_400_000),
      },
    ])
    .execute()
  return 2
}
