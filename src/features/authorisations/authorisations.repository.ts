import { sql } from 'kysely'
import { cedDischarged, cedUsed } from '../../db/ced-counts.js'
import type { Db } from '../../db/database.js'
import { pageOf } from '../../db/paging.js'
import { scopeCondition } from '../../db/scope.js'
import type { ScopeFilter } from '../auth/policy.js'

const officerName = sql<string>`concat_ws(' ', p.given_name, p.family_name)`

export interface AccreditationRow {
  id: string
  collarNumber: string | null
  name: string
  rank: string | null
  validFrom: string
  expiresOn: string
}

export async function listAccreditations(db: Db, forceId: string): Promise<AccreditationRow[]> {
  const rows = await db
    .selectFrom('authorising_accreditations as a')
    .innerJoin('personnel as p', 'p.id', 'a.person_id')
    .where('a.force_id', '=', forceId)
    .select(['a.id', 'p.collar_number', officerName.as('name'), 'p.rank', 'a.valid_from', 'a.expires_on'])
    .orderBy('a.expires_on', 'desc')
    .orderBy('p.family_name')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    collarNumber: r.collar_number,
    name: r.name,
    rank: r.rank,
    validFrom: r.valid_from,
    expiresOn: r.expires_on,
  }))
}

export interface AuthorisationListItem {
  id: string
  authorisedAt: Date
  authoriser: string
  incidentReference: string
  linked: boolean
  grade: string
  officers: number
}

/** Authorisations the scope covers, newest first. Authorisations have no unit: the scope is own or force. */
export async function listAuthorisations(
  db: Db,
  scope: ScopeFilter,
  options: { page: number; pageSize: number },
): Promise<{ items: AuthorisationListItem[]; total: number }> {
  if (scope.kind === 'none' || scope.kind === 'subtree') return { items: [], total: 0 }
  const query = db
    .selectFrom('deployment_authorisations as d')
    .where(scopeCondition(scope, { force: 'd.force_id', unit: null, person: 'd.authoriser_person_id' }))
  const { rows, total } = await pageOf(
    query,
    (q) =>
      q
        .innerJoin('personnel as p', 'p.id', 'd.authoriser_person_id')
        .select([
          'd.id',
          'd.authorised_at',
          officerName.as('authoriser'),
          'd.incident_reference',
          'd.incident_id',
          'd.grade',
          sql<number>`(select count(*) from deployment_authorisation_officers o where o.authorisation_id = d.id)`.as(
            'officers',
          ),
        ])
        .orderBy('d.authorised_at', 'desc')
        .orderBy('d.id'),
    options,
  )
  return {
    total,
    items: rows.map((r) => ({
      id: r.id,
      authorisedAt: r.authorised_at,
      authoriser: r.authoriser,
      incidentReference: r.incident_reference,
      linked: r.incident_id !== null,
      grade: r.grade,
      officers: Number(r.officers),
    })),
  }
}

export interface AuthorisationDetail {
  id: string
  forceId: string
  authoriserPersonId: string
  authorisedAt: Date
  authoriser: string
  authoriserRank: string | null
  accreditation: { validFrom: string; expiresOn: string }
  incidentReference: string
  grade: string
  rationale: string
  officers: { collarNumber: string | null; name: string; rank: string | null; unit: string }[]
  incident: { id: string; reference: string; occurredAt: Date } | null
  reports: { id: string; officer: string; cedLevel: string | null; cedUsed: boolean; discharged: boolean }[]
}

export async function findAuthorisation(db: Db, id: string): Promise<AuthorisationDetail | null> {
  const row = await db
    .selectFrom('deployment_authorisations as d')
    .innerJoin('personnel as p', 'p.id', 'd.authoriser_person_id')
    .innerJoin('authorising_accreditations as a', 'a.id', 'd.accreditation_id')
    .leftJoin('incidents as i', 'i.id', 'd.incident_id')
    .where('d.id', '=', id)
    .select([
      'd.id',
      'd.force_id',
      'd.authoriser_person_id',
      'd.authorised_at',
      officerName.as('authoriser'),
      'p.rank',
      'a.valid_from',
      'a.expires_on',
      'd.incident_reference',
      'd.grade',
      'd.rationale',
      'i.id as incident_id',
      'i.reference as incident_ref',
      'i.occurred_at as incident_occurred_at',
    ])
    .executeTakeFirst()
  if (!row) return null
  const [officers, reports] = await Promise.all([
    db
      .selectFrom('deployment_authorisation_officers as o')
      .innerJoin('personnel as p', 'p.id', 'o.person_id')
      .innerJoin('org_units as u', 'u.id', 'p.unit_id')
      .where('o.authorisation_id', '=', id)
      .select(['p.collar_number', officerName.as('name'), 'p.rank', 'u.name as unit'])
      .orderBy('p.collar_number')
      .execute(),
    row.incident_id
      ? db
          .selectFrom('reports as r')
          .leftJoin('personnel as p', 'p.id', 'r.officer_person_id')
          .where('r.incident_id', '=', row.incident_id)
          .select([
            'r.id',
            officerName.as('officer'),
            'r.ced_highest_level',
            cedUsed('r').as('used'),
            cedDischarged('r').as('discharged'),
          ])
          .orderBy('r.submitted_at')
          .execute()
      : Promise.resolve([]),
  ])
  return {
    id: row.id,
    forceId: row.force_id,
    authoriserPersonId: row.authoriser_person_id,
    authorisedAt: row.authorised_at,
    authoriser: row.authoriser,
    authoriserRank: row.rank,
    accreditation: { validFrom: row.valid_from, expiresOn: row.expires_on },
    incidentReference: row.incident_reference,
    grade: row.grade,
    rationale: row.rationale,
    officers: officers.map((o) => ({ collarNumber: o.collar_number, name: o.name, rank: o.rank, unit: o.unit })),
    incident:
      row.incident_id && row.incident_ref && row.incident_occurred_at
        ? { id: row.incident_id, reference: row.incident_ref, occurredAt: row.incident_occurred_at }
        : null,
    reports: reports.map((r) => ({
      id: r.id,
      officer: r.officer,
      cedLevel: r.ced_highest_level,
      cedUsed: Boolean(r.used),
      discharged: Boolean(r.discharged),
    })),
  }
}
