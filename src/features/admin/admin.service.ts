import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import type { FieldError } from '../../web/render.js'
import { appendAudit, systemActor, type Actor } from '../audit/ledger.js'
import { hashPassword } from '../auth/passwords.js'
import { deleteSessionsOfUser } from '../auth/session-store.js'
import type { NewUser, UnitDetails, UserDetails } from './admin.schema.js'
import { subtreeOf } from '../../db/scope.js'
import { forgetApiAccount } from '../auth/api-tokens.js'

export type Outcome<T = void> = { ok: true; value: T } | { ok: false; errors: FieldError[] }

const fail = (field: string, text: string): { ok: false; errors: FieldError[] } => ({
  ok: false,
  errors: [{ field, text }],
})

interface Deps {
  db: Db
  clock: Clock
}

/** A new force with its top-level unit: where a fresh production installation starts. */
export async function createForce(db: Db, clock: Clock, input: { code: string; name: string }): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const force = await trx.insertInto('forces').values(input).returning('id').executeTakeFirstOrThrow()
    await trx.insertInto('force_settings').values({ force_id: force.id }).execute()
    await trx
      .insertInto('org_units')
      .values({ force_id: force.id, kind: 'force', code: input.code, name: input.name, parent_id: null })
      .execute()
    await appendAudit(
      trx,
      {
        forceId: force.id,
        actor: systemActor,
        action: 'force.created',
        entityType: 'force',
        entityId: force.id,
        details: input,
      },
      clock(),
    )
    return force.id
  })
}

async function unitBelongsToForce(db: Db, forceId: string, unitId: string | null): Promise<boolean> {
  if (unitId === null) return true
  const unit = await db
    .selectFrom('org_units')
    .select('id')
    .where('id', '=', unitId)
    .where('force_id', '=', forceId)
    .executeTakeFirst()
  return unit !== undefined
}

export async function createUser(deps: Deps, actor: Actor, forceId: string, input: NewUser): Promise<Outcome<string>> {
  const { db, clock } = deps
  if (!(await unitBelongsToForce(db, forceId, input.unitId))) return fail('unitId', 'Select a unit from the list')
  const taken = await db
    .selectFrom('users')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['username']), '=', input.username.toLowerCase()))
    .executeTakeFirst()
  if (taken) return fail('username', 'That username is already in use: choose another')
  const passwordHash = await hashPassword(input.password)
  const create = db.transaction().execute(async (trx) => {
    const user = await trx
      .insertInto('users')
      .values({
        force_id: forceId,
        username: input.username,
        display_name: input.displayName,
        email: input.email,
        unit_id: input.unitId,
        password_hash: passwordHash,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx
      .insertInto('user_roles')
      .values(input.roles.map((role) => ({ user_id: user.id, role })))
      .execute()
    const { password: _password, ...recorded } = input
    await appendAudit(
      trx,
      { forceId, actor, action: 'user.created', entityType: 'user', entityId: user.id, details: recorded },
      clock(),
    )
    return user.id
  })
  try {
    return { ok: true, value: await create }
  } catch (error) {
    // Two administrators creating the same username at once: the unique index decides, the loser is told.
    if (isUniqueViolation(error)) return fail('username', 'That username is already in use: choose another')
    throw error
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505'
}

/** Which kinds of unit may sit under which: teams under a BCU or the force, BCUs and departments under the force. */
const allowedParents: Record<UnitDetails['kind'], string[]> = {
  bcu: ['force'],
  department: ['force', 'bcu'],
  team: ['force', 'bcu', 'department'],
}

async function parentProblem(db: Db, forceId: string, input: UnitDetails): Promise<FieldError | null> {
  const parent = await db
    .selectFrom('org_units')
    .select('kind')
    .where('id', '=', input.parentId)
    .where('force_id', '=', forceId)
    .executeTakeFirst()
  if (!parent) return { field: 'parentId', text: 'Select a unit from the list' }
  if (!allowedParents[input.kind].includes(parent.kind)) {
    return {
      field: 'parentId',
      text: `A ${unitKindNames[input.kind]} cannot belong to a ${unitKindNames[parent.kind]}`,
    }
  }
  return null
}

const unitKindNames: Record<string, string> = {
  force: 'force',
  bcu: 'basic command unit',
  team: 'team',
  department: 'department',
}

export async function updateUser(
  deps: Deps,
  actor: Actor,
  forceId: string,
  userId: string,
  input: UserDetails,
): Promise<Outcome> {
  const { db, clock } = deps
  if (!(await unitBelongsToForce(db, forceId, input.unitId))) return fail('unitId', 'Select a unit from the list')
  if (actor.userId === userId && !input.roles.includes('admin')) {
    return fail('roles', 'You cannot remove your own administrator role: ask another administrator')
  }
  const updated = await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('users')
      .set({ display_name: input.displayName, email: input.email, unit_id: input.unitId, updated_at: clock() })
      .where('id', '=', userId)
      .where('force_id', '=', forceId)
      .returning('id')
      .executeTakeFirst()
    if (!row) return false
    await trx.deleteFrom('user_roles').where('user_id', '=', userId).execute()
    await trx
      .insertInto('user_roles')
      .values(input.roles.map((role) => ({ user_id: userId, role })))
      .execute()
    await appendAudit(
      trx,
      { forceId, actor, action: 'user.updated', entityType: 'user', entityId: userId, details: input },
      clock(),
    )
    return true
  })
  forgetApiAccount(db, userId)
  return updated ? { ok: true, value: undefined } : fail('form', 'That user does not exist')
}

/** Disabling takes effect at once: the account's sessions are ended in the same transaction. */
export async function setUserDisabled(
  deps: Deps,
  actor: Actor,
  forceId: string,
  userId: string,
  disabled: boolean,
): Promise<Outcome> {
  const { db, clock } = deps
  if (actor.userId === userId) return fail('form', 'You cannot disable your own account')
  const done = await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('users')
      .set({ disabled_at: disabled ? clock() : null, updated_at: clock() })
      .where('id', '=', userId)
      .where('force_id', '=', forceId)
      .returning('id')
      .executeTakeFirst()
    if (!row) return false
    if (disabled) await deleteSessionsOfUser(trx, userId)
    await appendAudit(
      trx,
      { forceId, actor, action: disabled ? 'user.disabled' : 'user.enabled', entityType: 'user', entityId: userId },
      clock(),
    )
    return true
  })
  forgetApiAccount(db, userId)
  return done ? { ok: true, value: undefined } : fail('form', 'That user does not exist')
}

export async function resetPassword(
  deps: Deps,
  actor: Actor,
  forceId: string,
  userId: string,
  newPassword: string,
): Promise<Outcome> {
  const { db, clock } = deps
  const passwordHash = await hashPassword(newPassword)
  const done = await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, updated_at: clock() })
      .where('id', '=', userId)
      .where('force_id', '=', forceId)
      .returning('id')
      .executeTakeFirst()
    if (!row) return false
    // A reset password ends every session signed in with the old one.
    await deleteSessionsOfUser(trx, userId)
    await appendAudit(
      trx,
      { forceId, actor, action: 'user.password_reset', entityType: 'user', entityId: userId },
      clock(),
    )
    return true
  })
  return done ? { ok: true, value: undefined } : fail('form', 'That user does not exist')
}

export async function createUnit(
  deps: Deps,
  actor: Actor,
  forceId: string,
  input: UnitDetails,
): Promise<Outcome<string>> {
  const { db, clock } = deps
  const problem = await parentProblem(db, forceId, input)
  if (problem) return { ok: false, errors: [problem] }
  const clash = await db
    .selectFrom('org_units')
    .select('id')
    .where('force_id', '=', forceId)
    .where('code', '=', input.code)
    .executeTakeFirst()
  if (clash) return fail('code', 'Another unit already has that code')
  const id = await db.transaction().execute(async (trx) => {
    const unit = await trx
      .insertInto('org_units')
      .values({ force_id: forceId, parent_id: input.parentId, kind: input.kind, code: input.code, name: input.name })
      .returning('id')
      .executeTakeFirstOrThrow()
    await appendAudit(
      trx,
      { forceId, actor, action: 'unit.created', entityType: 'org_unit', entityId: unit.id, details: input },
      clock(),
    )
    return unit.id
  })
  return { ok: true, value: id }
}

export async function updateUnit(
  deps: Deps,
  actor: Actor,
  forceId: string,
  unitId: string,
  input: UnitDetails,
): Promise<Outcome> {
  const { db, clock } = deps
  // A unit cannot move under itself or anything below it.
  const below = await db.selectFrom(subtreeOf(unitId).as('s')).select('s.id').execute()
  if (below.some((u) => u.id === input.parentId)) {
    return fail('parentId', 'A unit cannot belong to itself or to a unit within it')
  }
  const problem = await parentProblem(db, forceId, input)
  if (problem) return { ok: false, errors: [problem] }
  const clash = await db
    .selectFrom('org_units')
    .select('id')
    .where('force_id', '=', forceId)
    .where('code', '=', input.code)
    .where('id', '<>', unitId)
    .executeTakeFirst()
  if (clash) return fail('code', 'Another unit already has that code')
  const done = await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('org_units')
      .set({ name: input.name, code: input.code, kind: input.kind, parent_id: input.parentId })
      .where('id', '=', unitId)
      .where('force_id', '=', forceId)
      .where('kind', '<>', 'force')
      .returning('id')
      .executeTakeFirst()
    if (!row) return false
    await appendAudit(
      trx,
      { forceId, actor, action: 'unit.updated', entityType: 'org_unit', entityId: unitId, details: input },
      clock(),
    )
    return true
  })
  return done ? { ok: true, value: undefined } : fail('form', 'That unit does not exist or cannot be changed')
}
