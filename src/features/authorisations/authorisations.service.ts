import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import { longDate } from '../../domain/calendar.js'
import { rankOrder, type Rank } from '../../domain/workforce.js'
import type { FieldError } from '../../web/render.js'
import { appendAudit, type Actor } from '../audit/ledger.js'
import { canActOn, type Principal } from '../auth/policy.js'
import { occurredAtFromFields } from '../reports/form/occurred-at.js'
import { cedAuthorityAsAt } from '../training/authority.repository.js'
import type { AccreditationInput, AuthorisationInput } from './authorisations.schema.js'

export type Outcome<T = void> = { ok: true; value: T } | { ok: false; errors: FieldError[] }

const fail = (field: string, text: string): { ok: false; errors: FieldError[] } => ({
  ok: false,
  errors: [{ field, text }],
})

interface Deps {
  db: Db
  clock: Clock
}

/** Accreditation is for senior officers: inspector or above (the force incident managers who authorise). */
const LOWEST_AUTHORISING_RANK: Rank = 'inspector'

/** How far ahead of the server's clock a typed time may be, for a clock a minute or two fast. */
const FUTURE_TOLERANCE_MS = 5 * 60_000

export async function grantAccreditation(
  deps: Deps,
  actor: Actor,
  forceId: string,
  input: AccreditationInput,
): Promise<Outcome<string>> {
  const { db, clock } = deps
  if (input.expiresOn < input.validFrom)
    return fail('expiresOn-day', 'The expiry date must be the same as or after the start date')
  const person = await db
    .selectFrom('personnel')
    .select(['id', 'rank', 'left_on'])
    .where('force_id', '=', forceId)
    .where('collar_number', '=', input.collarNumber)
    .executeTakeFirst()
  if (!person || person.left_on !== null)
    return fail('collarNumber', 'No serving officer in the force has that collar number')
  if (!person.rank || rankOrder(person.rank as Rank) < rankOrder(LOWEST_AUTHORISING_RANK))
    return fail('collarNumber', 'Only an inspector or above can be accredited to authorise deployments')
  return {
    ok: true,
    value: await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('authorising_accreditations')
        .values({
          force_id: forceId,
          person_id: person.id,
          valid_from: input.validFrom,
          expires_on: input.expiresOn,
          granted_by_user_id: actor.userId,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await appendAudit(
        trx,
        {
          forceId,
          actor,
          action: 'accreditation.granted',
          entityType: 'authorising_accreditation',
          entityId: row.id,
          details: { personId: person.id, validFrom: input.validFrom, expiresOn: input.expiresOn },
          requestId: actor.requestId ?? null,
        },
        clock(),
      )
      return row.id
    }),
  }
}

/**
 * The accreditation a person holds on a London calendar day, if any: valid from its first day to its expiry day,
 * both included. The one rule for "accredited on that date"; the latest-expiring wins when several overlap.
 */
export async function accreditationOn(db: Db, forceId: string, personId: string, day: string) {
  return db
    .selectFrom('authorising_accreditations')
    .select(['id', 'valid_from', 'expires_on'])
    .where('force_id', '=', forceId)
    .where('person_id', '=', personId)
    .where('valid_from', '<=', day)
    .where('expires_on', '>=', day)
    .orderBy('expires_on', 'desc')
    .executeTakeFirst()
}

/** The London wall-clock date and time as an instant, through the report form's one conversion (BST-aware). */
function londonInstant(day: string, time: string): Date {
  const [year = '', month = '', date = ''] = day.split('-')
  return new Date(occurredAtFromFields({ day: date, month, year, time }) ?? Number.NaN)
}

/**
 * Records an authorisation by the signed-in officer. Refused when their accreditation is not valid on the day they
 * authorised (London date), when the time is in the future, or when a deployed officer is not a serving officer of
 * the force authorised to carry Taser that day. Linked at once to the incident with that reference if ForceLedger already has it.
 */
export async function recordAuthorisation(
  deps: Deps,
  actor: Actor,
  principal: Principal,
  input: AuthorisationInput,
): Promise<Outcome<string>> {
  const { db, clock } = deps
  const forceId = principal.forceId
  if (!principal.personId)
    return fail('authorisedOn-day', 'Your account is not linked to an officer, so it cannot authorise deployments')
  const authorisedAt = londonInstant(input.authorisedOn, input.authorisedTime)
  if (Number.isNaN(authorisedAt.getTime())) return fail('authorisedTime', 'Enter a real time, like 21:30')
  if (authorisedAt.getTime() > clock().getTime() + FUTURE_TOLERANCE_MS)
    return fail('authorisedOn-day', 'The time you authorised the deployment must be in the past')
  const accreditation = await accreditationOn(db, forceId, principal.personId, input.authorisedOn)
  if (!accreditation)
    return fail(
      'authorisedOn-day',
      `You do not hold an accreditation to authorise deployments valid on ${longDate(input.authorisedOn)}`,
    )
  const officers = await db
    .selectFrom('personnel')
    .select(['id', 'collar_number'])
    .where('force_id', '=', forceId)
    .where('collar_number', 'in', input.officers)
    .where('rank', 'is not', null)
    .where('left_on', 'is', null)
    .execute()
  const found = new Set(officers.map((o) => o.collar_number))
  const unknown = input.officers.filter((c) => !found.has(c))
  if (unknown.length)
    return fail('officers', `No serving officer in the force has collar number ${unknown.slice(0, 5).join(', ')}`)
  // Only officers who may carry Taser that day can be deployed as Taser officers: authority as the training
  // capability derives it, never as typed.
  const authority = await cedAuthorityAsAt(db, {
    forceId,
    asAt: input.authorisedOn,
    personIds: officers.map((o) => o.id),
  })
  const authorised = new Set(authority.filter((a) => a.authority.authorisedModels.length > 0).map((a) => a.personId))
  const notAuthorised = officers.filter((o) => !authorised.has(o.id)).map((o) => o.collar_number)
  if (notAuthorised.length)
    return fail(
      'officers',
      `Not authorised to carry Taser on ${longDate(input.authorisedOn)}: collar number ${notAuthorised.slice(0, 5).join(', ')}`,
    )
  const incident = await db
    .selectFrom('incidents')
    .select('id')
    .where('force_id', '=', forceId)
    .where('reference', '=', input.incidentReference)
    .executeTakeFirst()

  const id = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('deployment_authorisations')
      .values({
        force_id: forceId,
        authorised_at: authorisedAt,
        authoriser_person_id: principal.personId ?? '',
        recorded_by_user_id: principal.userId,
        accreditation_id: accreditation.id,
        incident_reference: input.incidentReference,
        incident_id: incident?.id ?? null,
        grade: input.grade,
        rationale: input.rationale,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx
      .insertInto('deployment_authorisation_officers')
      .values(officers.map((o) => ({ authorisation_id: row.id, person_id: o.id })))
      .execute()
    await appendAudit(
      trx,
      {
        forceId,
        actor,
        action: 'authorisation.recorded',
        entityType: 'deployment_authorisation',
        entityId: row.id,
        details: {
          authorisedAt: authorisedAt.toISOString(),
          accreditationId: accreditation.id,
          incidentReference: input.incidentReference,
          incidentId: incident?.id ?? null,
          grade: input.grade,
          officers: officers.map((o) => o.id),
        },
        requestId: actor.requestId ?? null,
      },
      clock(),
    )
    return row.id
  })
  return { ok: true, value: id }
}

/**
 * Links an authorisation to the ForceLedger incident its reports are on, once. Only the authoriser may (the
 * permission's own scope); a link already made is never changed, so the funnel cannot be rearranged after the fact.
 */
export async function linkIncident(
  deps: Deps,
  actor: Actor,
  principal: Principal,
  authorisationId: string,
  reference: string,
): Promise<Outcome | { ok: false; status: 404 }> {
  const { db, clock } = deps
  const authorisation = await db
    .selectFrom('deployment_authorisations')
    .select(['id', 'force_id', 'authoriser_person_id', 'incident_id'])
    .where('id', '=', authorisationId)
    .executeTakeFirst()
  if (
    !authorisation ||
    !canActOn(principal, 'authorisations.record', {
      forceId: authorisation.force_id,
      unitPath: [],
      ownerPersonId: authorisation.authoriser_person_id,
    })
  )
    return { ok: false, status: 404 }
  if (authorisation.incident_id) return fail('reference', 'This authorisation is already linked to an incident')
  const incident = await db
    .selectFrom('incidents')
    .select('id')
    .where('force_id', '=', principal.forceId)
    .where('reference', '=', reference)
    .executeTakeFirst()
  if (!incident) return fail('reference', 'No incident in ForceLedger has that reference')
  await db.transaction().execute(async (trx) => {
    // The condition makes a concurrent second link a no-op rather than an overwrite.
    const result = await trx
      .updateTable('deployment_authorisations')
      .set({ incident_id: incident.id })
      .where('id', '=', authorisation.id)
      .where('incident_id', 'is', null)
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) === 0) return
    await appendAudit(
      trx,
      {
        forceId: principal.forceId,
        actor,
        action: 'authorisation.linked',
        entityType: 'deployment_authorisation',
        entityId: authorisation.id,
        details: { incidentId: incident.id, reference },
        requestId: actor.requestId ?? null,
      },
      clock(),
    )
  })
  return { ok: true, value: undefined }
}

/** Whether the principal may see one authorisation (its authoriser under own scope, or anyone with force scope). */
export function canView(principal: Principal, row: { force_id: string; authoriser_person_id: string }): boolean {
  return canActOn(principal, 'authorisations.view', {
    forceId: row.force_id,
    unitPath: [],
    ownerPersonId: row.authoriser_person_id,
  })
}
