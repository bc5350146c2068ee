import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import type { Role } from '../../domain/roles.js'
import { appendAudit, recordAudit, type Actor } from '../audit/ledger.js'
import { forgetApiAccount } from '../auth/api-tokens.js'
import { findAccountById, type AccountRow } from '../auth/users.repository.js'
import { claimAt, claimText, mappedRoles } from './claims.js'
import type { ProviderFailure, SignedInIdentity } from './oidc-client.js'
import type { SsoConfig } from './sso.config.js'
import { accountIdsMatching, forceIdByCode, linkedSubject, linkedUserId, openUnitIdByCode } from './sso.repository.js'

/** Why single sign-on refused someone: each has its own page text (sso.routes.ts) and is kept in the audit ledger. */
export type SsoRefusal =
  | ProviderFailure
  /** No round trip for this browser: never started here, expired, or already used (a replayed callback). */
  | 'expired'
  /** The provider's answer carries a state other than the one this browser was sent with. */
  | 'bad_state'
  | 'no_account'
  /** The matched account is already linked to another identity at this provider. */
  | 'linked_to_another'
  | 'disabled'
  | 'no_role'
  | 'unknown_unit'
  /** A re-authentication came back as someone other than the person signed in. */
  | 'different_account'

export type Purpose = 'sign-in' | 'reauthenticate'

interface Deps {
  db: Db
  clock: Clock
  sso: SsoConfig
}

const actorOf = (account: AccountRow | null): Actor =>
  account ? { userId: account.id, label: account.username } : { userId: null, label: 'anonymous' }

/** Records a refused sign-in or re-authentication, with what is known of who tried. */
export async function recordRefusal(
  deps: Deps,
  input: {
    purpose: Purpose
    reason: SsoRefusal
    providerCode?: string | null
    identity?: SignedInIdentity | null
    account?: AccountRow | null
    requestId: string
  },
): Promise<void> {
  const { db, clock, sso } = deps
  const account = input.account ?? null
  const identity = input.identity ?? null
  await recordAudit(
    db,
    {
      forceId: account?.forceId ?? (await forceIdByCode(db, sso.forceCode)),
      actor: actorOf(account),
      action: input.purpose === 'sign-in' ? 'session.sign_in_failed' : 'session.sso_reauthentication_failed',
      entityType: 'user',
      entityId: account?.id ?? null,
      details: {
        method: 'sso',
        reason: input.reason,
        ...(input.providerCode ? { providerCode: input.providerCode } : {}),
        ...(identity
          ? { issuer: identity.issuer, subject: identity.subject, claimed: claimText(identity.claims, sso.matchClaim) }
          : {}),
      },
      requestId: input.requestId,
    },
    clock(),
  )
}

type Resolved =
  | { ok: true; account: AccountRow; roles: Role[]; unitId: string | null | undefined; linked: boolean }
  | { ok: false; reason: SsoRefusal; account: AccountRow | null }

/**
 * Who this identity is in ForceLedger, and what the claims give them. A linked subject decides the account; else
 * the match claim on first sign-in, in the configured force only. Nothing is written here.
 */
async function resolve(deps: Deps, identity: SignedInIdentity): Promise<Resolved> {
  const { db, sso } = deps
  const forceId = await forceIdByCode(db, sso.forceCode)
  if (!forceId) return { ok: false, reason: 'no_account', account: null }
  let userId = await linkedUserId(db, identity.issuer, identity.subject)
  const linked = userId !== null
  if (!userId) {
    const claimed = claimText(identity.claims, sso.matchClaim)
    // An address the provider itself says it has not verified proves nothing about who this is.
    const unverified = sso.matchOn === 'email' && identity.claims.email_verified === false
    const ids = claimed && !unverified ? await accountIdsMatching(db, forceId, sso.matchOn, claimed) : []
    // Two accounts with one email address: which is meant cannot be told, so neither.
    if (ids.length !== 1) return { ok: false, reason: 'no_account', account: null }
    userId = ids[0] ?? null
  }
  const account = userId ? await findAccountById(db, userId) : undefined
  if (!account || account.forceId !== forceId) return { ok: false, reason: 'no_account', account: null }
  if (!linked) {
    const other = await linkedSubject(db, identity.issuer, account.id)
    if (other !== null) return { ok: false, reason: 'linked_to_another', account }
  }
  if (account.disabledAt) return { ok: false, reason: 'disabled', account }
  const roles = mappedRoles(claimAt(identity.claims, sso.rolesClaim), sso.roleMap)
  if (roles.length === 0) return { ok: false, reason: 'no_role', account }
  let unitId: string | null | undefined
  if (sso.unitClaim) {
    const code = claimText(identity.claims, sso.unitClaim)
    unitId = code ? await openUnitIdByCode(db, forceId, code) : null
    if (!unitId) return { ok: false, reason: 'unknown_unit', account }
  }
  return { ok: true, account, roles, unitId, linked }
}

export type SsoResult =
  { ok: true; account: AccountRow } | { ok: false; reason: SsoRefusal; account: AccountRow | null }

/**
 * Completes a sign-in (or, for `reauthenticate`, proves the signed-in person again): links the subject to the
 * account on first use, makes the account's roles (and unit, when the claims carry one) what the claims say, and
 * records it, all in one transaction. Every refusal is recorded too.
 */
export async function completeSignIn(
  deps: Deps,
  identity: SignedInIdentity,
  input: { purpose: Purpose; signedInUserId: string | null; requestId: string },
): Promise<SsoResult> {
  const { db, clock } = deps
  const resolved = await resolve(deps, identity)
  const refuse = async (reason: SsoRefusal, account: AccountRow | null): Promise<SsoResult> => {
    await recordRefusal(deps, { purpose: input.purpose, reason, identity, account, requestId: input.requestId })
    return { ok: false, reason, account }
  }
  if (!resolved.ok) return refuse(resolved.reason, resolved.account)
  const { account, roles, unitId } = resolved
  if (input.purpose === 'reauthenticate' && account.id !== input.signedInUserId)
    return refuse('different_account', account)

  const now = clock()
  const actor = actorOf(account)
  const event = {
    forceId: account.forceId,
    actor,
    entityType: 'user',
    entityId: account.id,
    requestId: input.requestId,
  }
  const sameRoles = roles.join() === [...account.roles].sort().join()
  const sameUnit = unitId === undefined || unitId === account.unitId
  await db.transaction().execute(async (trx) => {
    if (!resolved.linked) {
      await trx
        .insertInto('sso_identities')
        .values({
          issuer: identity.issuer,
          subject: identity.subject,
          user_id: account.id,
          linked_at: now,
          last_signed_in_at: now,
        })
        // The same person signing in twice at once: the first link stands.
        .onConflict((oc) => oc.columns(['issuer', 'subject']).doNothing())
        .execute()
      await appendAudit(
        trx,
        { ...event, action: 'sso.identity_linked', details: { issuer: identity.issuer, subject: identity.subject } },
        now,
      )
    } else {
      await trx
        .updateTable('sso_identities')
        .set({ last_signed_in_at: now })
        .where('issuer', '=', identity.issuer)
        .where('subject', '=', identity.subject)
        .execute()
    }
    // The provider is the source of truth for roles (and unit) of anyone who signs in through it.
    if (!sameRoles || !sameUnit) {
      await trx.deleteFrom('user_roles').where('user_id', '=', account.id).execute()
      await trx
        .insertInto('user_roles')
        .values(roles.map((role) => ({ user_id: account.id, role })))
        .execute()
      if (!sameUnit)
        await trx.updateTable('users').set({ unit_id: unitId, updated_at: now }).where('id', '=', account.id).execute()
      await appendAudit(
        trx,
        {
          ...event,
          action: 'user.updated_from_sso',
          details: {
            roles: { from: account.roles, to: roles },
            ...(sameUnit ? {} : { unitId: { from: account.unitId, to: unitId } }),
          },
        },
        now,
      )
    }
    await appendAudit(
      trx,
      {
        ...event,
        action: input.purpose === 'sign-in' ? 'session.signed_in' : 'session.sso_reauthenticated',
        details: { method: 'sso', username: account.username, issuer: identity.issuer, subject: identity.subject },
      },
      now,
    )
  })
  if (!sameRoles || !sameUnit) forgetApiAccount(db, account.id)
  return { ok: true, account: (await findAccountById(db, account.id)) ?? account }
}
