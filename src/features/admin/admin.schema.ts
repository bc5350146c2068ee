import { z } from 'zod'
import { roleValues } from '../../domain/roles.js'

/** Local account passwords: long rather than complicated (NCSC guidance), with a ceiling argon2 can hash fast. */
export const password = z
  .string()
  .min(12, 'Password must be at least 12 characters')
  .max(256, 'Password must be 256 characters or fewer')

const optionalUuid = z
  .string()
  .trim()
  .transform((v) => (v === '' ? null : v))
  .pipe(z.uuid('Select a unit from the list').nullable())

/** Checkbox lists arrive as one string when one box is ticked, an array when several are, absent when none. */
const roleList = z.preprocess(
  (v) => (v === undefined ? [] : [v].flat()),
  z.array(z.enum(roleValues, 'Select a role from the list')).min(1, 'Select at least one role'),
)

export const userDetails = z.object({
  displayName: z.string().trim().min(1, 'Enter the person’s name').max(200, 'Name must be 200 characters or fewer'),
  email: z
    .string()
    .trim()
    .max(320, 'Email address must be 320 characters or fewer')
    .transform((v) => (v === '' ? null : v))
    .pipe(z.email('Enter an email address in the correct format, like name@example.police.uk').nullable()),
  unitId: optionalUuid,
  roles: roleList,
})

// Fields in the order the form shows them, so the error summary follows the page.
export const newUser = z.object({
  username: z
    .string()
    .trim()
    .min(3, 'Username must be at least 3 characters')
    .max(64, 'Username must be 64 characters or fewer')
    .regex(/^[a-z0-9._-]+$/i, 'Username must only include letters, numbers, full stops, hyphens and underscores'),
  ...userDetails.shape,
  password,
})

export const passwordReset = z.object({ password })

export const unitDetails = z.object({
  name: z.string().trim().min(1, 'Enter the unit’s name').max(200, 'Name must be 200 characters or fewer'),
  code: z
    .string()
    .trim()
    .min(1, 'Enter a short code for the unit')
    .max(40, 'Code must be 40 characters or fewer')
    .regex(/^[a-z0-9-]+$/i, 'Code must only include letters, numbers and hyphens'),
  kind: z.enum(['bcu', 'team', 'department'], 'Select the kind of unit'),
  parentId: z.uuid('Select the unit this one belongs to'),
})

export type NewUser = z.output<typeof newUser>
export type UserDetails = z.output<typeof userDetails>
export type UnitDetails = z.output<typeof unitDetails>
