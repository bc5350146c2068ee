import { createHash, randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import { chunks } from '../../db/batches.js'
import { decodeUtf8, type LineError } from '../../domain/imports/line-errors.js'
import { londonDate } from '../../domain/calendar.js'
import { parseTrainingCsv, type TrainingLine } from '../../domain/taser/training-csv.js'
import type { CedAssessment, CedCourse, CedPrerequisite } from '../../domain/taser/training.js'
import type { CedDeviceModel } from '../../domain/use-of-force/ced.js'
import type { UploadedFile } from '../../web/uploads.js'
import { appendAudit, type Actor } from '../audit/ledger.js'

interface Deps {
  db: Db
  clock: Clock
}

export interface CourseRecord {
  course: CedCourse
  deviceModel: CedDeviceModel
  completedOn: string
  hours: number
  passed: boolean
  assessments: { kind: CedAssessment; passed: boolean }[]
}

/**
 * Records one course. Returns false when the same course on the same day is already recorded for the person (the
 * natural key), so the form can say so rather than fail.
 */
export async function recordCourse(
  { db, clock }: Deps,
  actor: Actor,
  forceId: string,
  personId: string,
  record: CourseRecord,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('ced_training_records')
      .values({
        force_id: forceId,
        person_id: personId,
        course: record.course,
        device_model: record.deviceModel,
        completed_on: record.completedOn,
        hours: record.hours,
        passed: record.passed,
        recorded_by_user_id: actor.userId,
      })
      .onConflict((oc) => oc.columns(['person_id', 'course', 'device_model', 'completed_on']).doNothing())
      .returning('id')
      .executeTakeFirst()
    if (!row) return false
    if (record.assessments.length > 0)
      await trx
        .insertInto('ced_training_assessments')
        .values(record.assessments.map((a) => ({ training_record_id: row.id, kind: a.kind, passed: a.passed })))
        .execute()
    await appendAudit(
      trx,
      {
        forceId,
        actor,
        action: 'ced_training.recorded',
        entityType: 'person',
        entityId: personId,
        details: { trainingRecordId: row.id, ...record },
        requestId: actor.requestId,
      },
      clock(),
    )
    return true
  })
}

export async function recordPrerequisite(
  { db, clock }: Deps,
  actor: Actor,
  forceId: string,
  personId: string,
  input: { kind: CedPrerequisite; achievedOn: string; expiresOn: string },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('ced_prerequisites')
      .values({
        force_id: forceId,
        person_id: personId,
        kind: input.kind,
        achieved_on: input.achievedOn,
        expires_on: input.expiresOn,
        recorded_by_user_id: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await appendAudit(
      trx,
      {
        forceId,
        actor,
        action: 'ced_prerequisite.recorded',
        entityType: 'person',
        entityId: personId,
        details: { prerequisiteId: row.id, ...input },
        requestId: actor.requestId,
      },
      clock(),
    )
  })
}

export async function suspendAuthority(
  { db, clock }: Deps,
  actor: Actor,
  forceId: string,
  personId: string,
  input: { reason: string; suspendedOn: string },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('ced_suspensions')
      .values({
        force_id: forceId,
        person_id: personId,
        reason: input.reason,
        suspended_on: input.suspendedOn,
        suspended_by_user_id: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await appendAudit(
      trx,
      {
        forceId,
        actor,
        action: 'ced_authority.suspended',
        entityType: 'person',
        entityId: personId,
        details: { suspensionId: row.id, ...input },
        requestId: actor.requestId,
      },
      clock(),
    )
  })
}

/** Lifts a suspension that is still in force. Returns false when there is none with that id to lift. */
export async function liftSuspension(
  { db, clock }: Deps,
  actor: Actor,
  forceId: string,
  personId: string,
  suspensionId: string,
  input: { liftedOn: string; reason: string },
): Promise<'lifted' | 'not_found' | 'before_start'> {
  return db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('ced_suspensions')
      .select(['id', 'suspended_on'])
      .where('id', '=', suspensionId)
      .where('force_id', '=', forceId)
      .where('person_id', '=', personId)
      .where('lifted_on', 'is', null)
      .forUpdate()
      .executeTakeFirst()
    if (!current) return 'not_found'
    if (input.liftedOn < current.suspended_on) return 'before_start'
    await trx
      .updateTable('ced_suspensions')
      .set({ lifted_on: input.liftedOn, lifted_reason: input.reason, lifted_by_user_id: actor.userId })
      .where('id', '=', suspensionId)
      .execute()
    await appendAudit(
      trx,
      {
        forceId,
        actor,
        action: 'ced_authority.suspension_lifted',
        entityType: 'person',
        entityId: personId,
        details: { suspensionId, ...input },
        requestId: actor.requestId,
      },
      clock(),
    )
    return 'lifted'
  })
}

export async function setTaserPolicy(
  { db, clock }: Deps,
  actor: Actor,
  forceId: string,
  policy: { probationersAllowed: boolean; specialsAllowed: boolean },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('force_settings')
      .set({ ced_probationers_allowed: policy.probationersAllowed, ced_specials_allowed: policy.specialsAllowed })
      .where('force_id', '=', forceId)
      .execute()
    await appendAudit(
      trx,
      {
        forceId,
        actor,
        action: 'ced_policy.changed',
        entityType: 'force',
        entityId: forceId,
        details: policy,
        requestId: actor.requestId,
      },
      clock(),
    )
  })
}

export type ImportResult = { ok: true; added: number; alreadyRecorded: number } | { ok: false; errors: LineError[] }

/**
 * Imports a training records file: every line is checked first (format, then officer and any clash with what is
 * recorded), and nothing is written unless every line is good. A line identical to a recorded course is skipped, so
 * importing the same file twice changes nothing; a line that differs from the recorded course on that day is an
 * error rather than a silent overwrite.
 */
export async function importTraining(
  { db, clock }: Deps,
  actor: Actor,
  forceId: string,
  file: UploadedFile,
): Promise<ImportResult> {
  const now = clock()
  const text = decodeUtf8(file.bytes)
  if (text === null) return { ok: false, errors: [{ line: 1, message: 'The file must be a CSV file saved as UTF-8' }] }
  const parsed = parseTrainingCsv(text, londonDate(now))
  if (!parsed.ok) return parsed

  return db.transaction().execute(async (trx) => {
    const collars = [...new Set(parsed.lines.map((l) => l.collarNumber.toUpperCase()))]
    const people = await trx
      .selectFrom('personnel')
      .select(['id', 'collar_number', 'status', 'left_on'])
      .where('force_id', '=', forceId)
      .where(sql<boolean>`upper(collar_number) in (${sql.join(collars)})`)
      .execute()
    const personOf = new Map(people.map((p) => [(p.collar_number ?? '').toUpperCase(), p]))
    const existing = await trx
      .selectFrom('ced_training_records')
      .select(['person_id', 'course', 'device_model', 'completed_on', 'hours', 'passed'])
      .where('force_id', '=', forceId)
      .where('person_id', 'in', people.length > 0 ? people.map((p) => p.id) : [''])
      .execute()
    const recorded = new Map(existing.map((r) => [`${r.person_id}|${r.course}|${r.device_model}|${r.completed_on}`, r]))

    const errors: LineError[] = []
    const fresh: (TrainingLine & { personId: string })[] = []
    let alreadyRecorded = 0
    for (const line of parsed.lines) {
      const person = personOf.get(line.collarNumber.toUpperCase())
      if (!person) {
        errors.push({ line: line.line, message: `No officer in the force has collar number ${line.collarNumber}` })
        continue
      }
      if (person.status === 'police_staff') {
        errors.push({ line: line.line, message: `${line.collarNumber} is police staff, who do not carry Taser` })
        continue
      }
      const same = recorded.get(`${person.id}|${line.course}|${line.deviceModel}|${line.completedOn}`)
      if (same) {
        if (Number(same.hours) === line.hours && same.passed === line.passed) alreadyRecorded++
        else
          errors.push({
            line: line.line,
            message: `A different record of this course on ${line.completedOn} is already held for ${line.collarNumber} (${Number(same.hours)} hours, ${same.passed ? 'passed' : 'failed'})`,
          })
        continue
      }
      fresh.push({ ...line, personId: person.id })
    }
    if (errors.length > 0) return { ok: false, errors: errors.slice(0, 100) }
    if (fresh.length === 0) return { ok: true, added: 0, alreadyRecorded }

    const sha256 = createHash('sha256').update(file.bytes).digest('hex')
    const batch = await trx
      .insertInto('ced_training_imports')
      .values({
        force_id: forceId,
        file_sha256: sha256,
        file_name: file.name,
        imported_by_user_id: actor.userId ?? '',
        imported_at: now,
        records_added: fresh.length,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    for (const part of chunks(
      fresh.map((l) => ({ ...l, id: randomUUID() })),
      500,
    )) {
      await trx
        .insertInto('ced_training_records')
        .values(
          part.map((l) => ({
            id: l.id,
            force_id: forceId,
            person_id: l.personId,
            course: l.course,
            device_model: l.deviceModel,
            completed_on: l.completedOn,
            hours: l.hours,
            passed: l.passed,
            recorded_by_user_id: actor.userId,
            import_id: batch.id,
          })),
        )
        .execute()
      const assessments = part.flatMap((l) =>
        l.assessments.map((a) => ({ training_record_id: l.id, kind: a.kind, passed: a.passed })),
      )
      for (const rows of chunks(assessments)) await trx.insertInto('ced_training_assessments').values(rows).execute()
    }
    await appendAudit(
      trx,
      {
        forceId,
        actor,
        action: 'ced_training.imported',
        entityType: 'ced_training_import',
        entityId: batch.id,
        details: { fileSha256: sha256, fileName: file.name, added: fresh.length, alreadyRecorded },
        requestId: actor.requestId,
      },
      clock(),
    )
    return { ok: true, added: fresh.length, alreadyRecorded }
  })
}
