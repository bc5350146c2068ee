import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import type { UnitKind } from '../../db/schema.js'
import { roleLabel, roles } from '../../domain/roles.js'
import { actorOf, principalOf } from '../../web/access.js'
import { HttpError } from '../../web/errors.js'
import { parseForm } from '../../web/forms.js'
import { paging } from '../../web/pagination.js'
import { errorContext, type FieldError } from '../../web/render.js'
import { recordAudit } from '../audit/ledger.js'
import { findUser, listUnits, listUsers, usernameTaken, type UserRecord } from './admin.repository.js'
import { newUser, passwordReset, unitDetails, userDetails } from './admin.schema.js'
import { createUnit, createUser, resetPassword, setUserDisabled, updateUnit, updateUser } from './admin.service.js'
import { orderAsTree, subtreeIds, unitItems, type UnitNode } from './unit-tree.js'

const PAGE_SIZE = 50

const listQuery = z.object({
  q: z.string().max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
})

const idParams = z.object({ id: z.uuid() })

// What the page after a redirect says was done: a fixed message chosen by a query flag, never text from the URL.
const userNotices = {
  created: 'User created',
  updated: 'Changes saved',
  disabled: 'Account disabled. The person has been signed out',
  enabled: 'Account enabled. The person can sign in again',
  password: 'Password reset. The person has been signed out',
}
const unitNotices = { created: 'Unit added', updated: 'Unit changed' }

const noticeQuery = <K extends string>(notices: Record<K, string>) =>
  z.object({
    done: z
      .enum(Object.keys(notices) as [K, ...K[]])
      .optional()
      .catch(undefined),
  })

const unitKindLabels: Record<UnitKind, string> = {
  force: 'Force',
  bcu: 'Basic command unit',
  team: 'Team',
  department: 'Department',
}

const roleItems = roles.map((r) => ({ value: r.value, text: r.label, hint: { text: r.description } }))

interface UserFormValues {
  username: string
  displayName: string
  email: string
  unitId: string
  roles: string[]
}

interface UnitFormValues {
  name: string
  code: string
  kind: string
  parentId: string
}

const text = (value: unknown) => (typeof value === 'string' ? value : '')

/** What the person typed, to put back in the form. Passwords are never echoed. */
function userValues(body: unknown): UserFormValues {
  const b = (body ?? {}) as Record<string, unknown>
  return {
    username: text(b.username),
    displayName: text(b.displayName),
    email: text(b.email),
    unitId: text(b.unitId),
    roles: [b.roles ?? []].flat().filter((r): r is string => typeof r === 'string'),
  }
}

function unitValues(body: unknown): UnitFormValues {
  const b = (body ?? {}) as Record<string, unknown>
  return { name: text(b.name), code: text(b.code), kind: text(b.kind), parentId: text(b.parentId) }
}

/** A record id from the URL: anything that is not a UUID is simply a page that does not exist. */
function idOf(request: FastifyRequest): string {
  const parsed = idParams.safeParse(request.params)
  if (!parsed.success) throw new HttpError(404, 'Page not found')
  return parsed.data.id
}

/** Users, roles and the organisation tree, for administrators of the force. */
export async function adminRoutes(app: FastifyInstance, { db, clock }: { db: Db; clock: Clock }) {
  const deps = { db, clock }

  async function unitTree(forceId: string): Promise<UnitNode[]> {
    return orderAsTree(await listUnits(db, forceId))
  }

  async function userOr404(forceId: string, userId: string): Promise<UserRecord> {
    const user = await findUser(db, forceId, userId)
    if (!user) throw new HttpError(404, 'Page not found')
    return user
  }

  async function renderNewUser(
    request: FastifyRequest,
    reply: FastifyReply,
    values: UserFormValues,
    errors: FieldError[] = [],
  ) {
    const units = await unitTree(principalOf(request).forceId)
    return reply.render('admin/views/user-new.njk', {
      pageTitle: 'Create user',
      values,
      unitItems: unitItems(units, { selected: values.unitId || null, none: 'No unit' }),
      roleItems,
      ...errorContext(errors),
    })
  }

  async function renderUser(
    request: FastifyRequest,
    reply: FastifyReply,
    user: UserRecord,
    options: { values?: UserFormValues; errors?: FieldError[]; notice?: string } = {},
  ) {
    const units = await unitTree(principalOf(request).forceId)
    const values = options.values ?? {
      username: user.username,
      displayName: user.displayName,
      email: user.email ?? '',
      unitId: user.unitId ?? '',
      roles: user.roles,
    }
    return reply.render('admin/views/user.njk', {
      pageTitle: user.displayName,
      user: {
        ...user,
        roleLabels: user.roles.map(roleLabel),
        unitLabel: units.find((u) => u.id === user.unitId)?.label ?? null,
      },
      isSelf: user.id === principalOf(request).userId,
      values,
      unitItems: unitItems(units, { selected: values.unitId || null, none: 'No unit' }),
      roleItems,
      notice: options.notice,
      ...errorContext(options.errors ?? []),
    })
  }

  async function renderUnitForm(
    request: FastifyRequest,
    reply: FastifyReply,
    options: { unit?: UnitNode; values: UnitFormValues; errors?: FieldError[] },
  ) {
    const units = await unitTree(principalOf(request).forceId)
    // A unit cannot sit under itself or anything within it, so those are not offered.
    const exclude = options.unit ? subtreeIds(units, options.unit.id) : undefined
    return reply.render('admin/views/unit-form.njk', {
      pageTitle: options.unit ? `Change ${options.unit.name}` : 'Add a unit',
      unit: options.unit,
      values: options.values,
      parentItems: unitItems(units, { selected: options.values.parentId || null, exclude }),
      kindItems: (['bcu', 'team', 'department'] as const).map((kind) => ({ value: kind, text: unitKindLabels[kind] })),
      ...errorContext(options.errors ?? []),
    })
  }

  // ---- Users

  app.get('/admin/users', { config: { access: 'users.manage' } }, async (request, reply) => {
    const { q, page } = listQuery.parse(request.query)
    const forceId = principalOf(request).forceId
    const { users, total } = await listUsers(db, forceId, { search: q, page, pageSize: PAGE_SIZE })
    // Team names repeat across basic command units, so each unit is shown by its path.
    const unitLabels = new Map((await unitTree(forceId)).map((u) => [u.id, u.label]))
    const href = (p: number) => `/admin/users?${new URLSearchParams({ ...(q ? { q } : {}), page: String(p) })}`
    return reply.render('admin/views/users.njk', {
      pageTitle: 'Users',
      q: q ?? '',
      users: users.map((u) => ({
        ...u,
        roleLabels: u.roles.map(roleLabel),
        unitLabel: u.unitId ? unitLabels.get(u.unitId) : null,
      })),
      total,
      paging: paging({ page, pageSize: PAGE_SIZE }, total, href),
    })
  })

  app.get('/admin/users/new', { config: { access: 'users.manage' } }, async (request, reply) =>
    renderNewUser(request, reply, { username: '', displayName: '', email: '', unitId: '', roles: [] }),
  )

  app.post('/admin/users', { config: { access: 'users.manage' } }, async (request, reply) => {
    const values = userValues(request.body)
    const parsed = parseForm(newUser, request.body)
    if (!parsed.ok) {
      // Say the username is taken alongside the other problems, rather than only once they are fixed.
      const errors = parsed.errors
      if (!errors.some((e) => e.field === 'username') && (await usernameTaken(db, values.username))) {
        errors.unshift({ field: 'username', text: 'That username is already in use: choose another' })
      }
      return renderNewUser(request, reply.code(400), values, errors)
    }
    const result = await createUser(deps, actorOf(request), principalOf(request).forceId, parsed.value)
    if (!result.ok) return renderNewUser(request, reply.code(400), values, result.errors)
    return reply.redirect(`/admin/users/${result.value}?done=created`, 303)
  })

  app.get('/admin/users/:id', { config: { access: 'users.manage' } }, async (request, reply) => {
    const principal = principalOf(request)
    const user = await userOr404(principal.forceId, idOf(request))
    // Opening an account's page is a read of personal data, so it goes in the ledger.
    await recordAudit(
      db,
      {
        forceId: principal.forceId,
        actor: actorOf(request),
        action: 'user.viewed',
        entityType: 'user',
        entityId: user.id,
        requestId: request.id,
      },
      clock(),
    )
    const { done } = noticeQuery(userNotices).parse(request.query)
    return renderUser(request, reply, user, { notice: done && userNotices[done] })
  })

  app.post('/admin/users/:id', { config: { access: 'users.manage' } }, async (request, reply) => {
    const forceId = principalOf(request).forceId
    const user = await userOr404(forceId, idOf(request))
    const values = { ...userValues(request.body), username: user.username }
    const parsed = parseForm(userDetails, request.body)
    if (!parsed.ok) return renderUser(request, reply.code(400), user, { values, errors: parsed.errors })
    const result = await updateUser(deps, actorOf(request), forceId, user.id, parsed.value)
    if (!result.ok) return renderUser(request, reply.code(400), user, { values, errors: result.errors })
    return reply.redirect(`/admin/users/${user.id}?done=updated`, 303)
  })

  for (const [action, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    app.post(`/admin/users/:id/${action}`, { config: { access: 'users.manage' } }, async (request, reply) => {
      const forceId = principalOf(request).forceId
      const user = await userOr404(forceId, idOf(request))
      const result = await setUserDisabled(deps, actorOf(request), forceId, user.id, disabled)
      if (!result.ok) {
        const errors = result.errors.map((e) => ({ ...e, field: 'account-status' }))
        return renderUser(request, reply.code(400), user, { errors })
      }
      return reply.redirect(`/admin/users/${user.id}?done=${action}d`, 303)
    })
  }

  app.post('/admin/users/:id/password', { config: { access: 'users.manage' } }, async (request, reply) => {
    const forceId = principalOf(request).forceId
    const user = await userOr404(forceId, idOf(request))
    const parsed = parseForm(passwordReset, request.body)
    if (!parsed.ok) return renderUser(request, reply.code(400), user, { errors: parsed.errors })
    const result = await resetPassword(deps, actorOf(request), forceId, user.id, parsed.value.password)
    if (!result.ok) throw new HttpError(404, 'Page not found')
    return reply.redirect(`/admin/users/${user.id}?done=password`, 303)
  })

  // ---- Organisation units

  app.get('/admin/units', { config: { access: 'units.manage' } }, async (request, reply) => {
    const units = await unitTree(principalOf(request).forceId)
    const { done } = noticeQuery(unitNotices).parse(request.query)
    return reply.render('admin/views/units.njk', {
      pageTitle: 'Organisation',
      units: units.map((u) => ({ ...u, kindLabel: unitKindLabels[u.kind] })),
      organisationName: units[0]?.name,
      notice: done && unitNotices[done],
    })
  })

  app.get('/admin/units/new', { config: { access: 'units.manage' } }, async (request, reply) =>
    renderUnitForm(request, reply, { values: { name: '', code: '', kind: '', parentId: '' } }),
  )

  app.post('/admin/units', { config: { access: 'units.manage' } }, async (request, reply) => {
    const values = unitValues(request.body)
    const parsed = parseForm(unitDetails, request.body)
    if (!parsed.ok) return renderUnitForm(request, reply.code(400), { values, errors: parsed.errors })
    const result = await createUnit(deps, actorOf(request), principalOf(request).forceId, parsed.value)
    if (!result.ok) return renderUnitForm(request, reply.code(400), { values, errors: result.errors })
    return reply.redirect('/admin/units?done=created', 303)
  })

  /** The force's top-level unit is the force itself: it is changed by other means, never from this page. */
  async function editableUnit(request: FastifyRequest): Promise<UnitNode> {
    const id = idOf(request)
    const unit = (await unitTree(principalOf(request).forceId)).find((u) => u.id === id)
    if (!unit || unit.kind === 'force') throw new HttpError(404, 'Page not found')
    return unit
  }

  app.get('/admin/units/:id', { config: { access: 'units.manage' } }, async (request, reply) => {
    const unit = await editableUnit(request)
    return renderUnitForm(request, reply, {
      unit,
      values: { name: unit.name, code: unit.code, kind: unit.kind, parentId: unit.parentId ?? '' },
    })
  })

  app.post('/admin/units/:id', { config: { access: 'units.manage' } }, async (request, reply) => {
    const unit = await editableUnit(request)
    const values = unitValues(request.body)
    const parsed = parseForm(unitDetails, request.body)
    if (!parsed.ok) return renderUnitForm(request, reply.code(400), { unit, values, errors: parsed.errors })
    const result = await updateUnit(deps, actorOf(request), principalOf(request).forceId, unit.id, parsed.value)
    if (!result.ok) return renderUnitForm(request, reply.code(400), { unit, values, errors: result.errors })
    return reply.redirect('/admin/units?done=updated', 303)
  })
}
