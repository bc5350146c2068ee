import { randomUUID } from 'node:crypto'
import { sql, type Insertable, type Transaction } from 'kysely'
import type { Clock } from '../../clock.js'
import type { Role } from '../../domain/roles.js'
import type { SubjectDetails } from '../../domain/use-of-force/report.js'
import { reportFlags } from '../../domain/use-of-force/rules.js'
import { rankAbbreviation } from '../../domain/workforce.js'
import { appendAudit, appendAuditBatch, systemActor, type AuditEvent } from '../../features/audit/ledger.js'
import { hashPassword } from '../../features/auth/passwords.js'
import { incidentColumns, subjectColumns, toReportRows, type ReportRows } from '../../features/reports/report-record.js'
import { insertReportRows, insertVersions } from '../../features/reports/reports.repository.js'
import { chunks } from '../batches.js'
import type { Db } from '../database.js'
import type { Database } from '../schema.js'
import { seedDemoDeviceLogs } from './demo-device-logs.js'
import { seedDemoEarlyInterventionWelfare } from './demo-early-intervention-welfare.js'
import { demoAccounts, generateDemoForce, type DemoForce } from './demo-force.js'
import { seedDemoAuthorisations } from './demo-authorisations.js'
import { generateDemoReports, type DemoReports } from './demo-reports.js'
import { seedDemoScrutiny } from './demo-scrutiny.js'
import { seedDemoDashboards } from './demo-dashboards.js'
import { seedDemoPublications } from './publications.js'
import { seedDemoReviews } from './demo-reviews.js'
import { demoModelCode, seedDemoTaser } from './demo-taser.js'

/** The demo accounts' password. It exists only in demo mode: production never seeds. */
export const DEMO_PASSWORD = 'demo-password'

/** A key the generator itself produced: missing means a bug in the generator, so fail loudly. */
function idOf(ids: Map<string, string>, key: string): string {
  const id = ids.get(key)
  if (!id) throw new Error(`demo seed: no id for ${key}`)
  return id
}

/**
 * Seeds "Demo Constabulary" once: its units, about 1,500 officers and staff, Taser training records, one account per
 * role (and a password-less account for every other officer) and a year of use-of-force reports. Does nothing if the demo force exists already, so a second start seeds nothing twice.
 * Returns whether it seeded.
 */
export async function seedDemoForce(db: Db, clock: Clock): Promise<boolean> {
  const existing = await db.selectFrom('forces').select('id').where('code', '=', 'demo').executeTakeFirst()
  if (existing) return false
  const demo = generateDemoForce({ seed: 1, today: clock() })
  const passwordHashes = await Promise.all(demoAccounts.map(() => hashPassword(DEMO_PASSWORD)))

  await db.transaction().execute(async (trx) => {
    const force = await trx
      .insertInto('forces')
      .values({ code: demo.force.code, name: demo.force.name })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx.insertInto('force_settings').values({ force_id: force.id }).execute()
    // Ids are made here rather than returned by the inserts, so rows can go in batches and refer to each other.
    const unitIds = new Map(demo.units.map((u) => [u.key, randomUUID()]))
    const personIds = new Map(demo.people.map((p) => [p.key, randomUUID()]))
    await trx
      .insertInto('org_units')
      .values(
        demo.units.map((unit) => ({
          id: idOf(unitIds, unit.key),
          force_id: force.id,
          parent_id: unit.parentKey ? idOf(unitIds, unit.parentKey) : null,
          kind: unit.kind,
          code: unit.code,
          name: unit.name,
        })),
      )
      .execute()
    for (const batch of chunks(demo.people)) {
      await trx
        .insertInto('personnel')
        .values(
          batch.map((p) => ({
            id: idOf(personIds, p.key),
            force_id: force.id,
            unit_id: idOf(unitIds, p.unitKey),
            collar_number: p.collarNumber,
            given_name: p.givenName,
            family_name: p.familyName,
            rank: p.rank,
            status: p.status,
            joined_on: p.joinedOn,
          })),
        )
        .execute()
    }
    for (const batch of chunks(demo.cedTraining)) {
      await trx
        .insertInto('ced_training_records')
        .values(
          batch.map((t) => ({
            force_id: force.id,
            person_id: idOf(personIds, t.personKey),
            course: t.course,
            device_model: demoModelCode(t.deviceModel),
            completed_on: t.completedOn,
            hours: t.hours,
            passed: t.passed,
          })),
        )
        .execute()
    }
    const userIds = await insertAccounts(trx, force.id, demo, { personIds, unitIds, passwordHashes })
    const demoReports = generateDemoReports({ seed: 1, today: clock(), force: demo })
    const reports = await seedDemoReports(trx, force.id, demoReports, {
      personIds,
      userIds,
      unitOf: new Map(demo.people.map((p) => [p.key, idOf(unitIds, p.unitKey)])),
    })
    await seedDemoTaser(trx, {
      forceId: force.id,
      demo,
      reports: demoReports,
      personIds,
      unitIds,
      userIds,
      now: clock(),
    })
    // After the armoury: the device logs must agree with who held each device when.
    await seedDemoDeviceLogs(trx, { forceId: force.id, clock })
    // After the Taser seed: authorisations deploy Taser-trained officers to the incidents seeded above.
    await seedDemoAuthorisations(trx, { forceId: force.id, now: clock() })
    // After the reports: thresholds, flags and welfare follow-ups come from them.
    await seedDemoEarlyInterventionWelfare(trx, { forceId: force.id, now: clock() })
    // After the reports: the demo supervisor's team's reviews are decided from the reports' flags.
    await seedDemoReviews(trx, { forceId: force.id, now: clock() })
    // After the reports (and their reviews, which the case packs show): panels, samples and findings.
    await seedDemoScrutiny(trx, { forceId: force.id, now: clock() })
    await appendAudit(
      trx,
      {
        forceId: force.id,
        actor: systemActor,
        action: 'force.seeded',
        entityType: 'force',
        entityId: force.id,
        details: {
          units: demo.units.length,
          people: demo.people.length,
          cedTrainingRecords: demo.cedTraining.length,
          accounts: userIds.size,
          reports,
        },
      },
      clock(),
    )
  })
  // After the transaction: the comparator importer opens its own.
  const { id: forceId } = await db
    .selectFrom('forces')
    .select('id')
    .where('code', '=', 'demo')
    .executeTakeFirstOrThrow()
  await seedDemoDashboards(db, { forceId, clock })
  // After the rollups: a published quarter, with a revision, for the public transparency pages.
  await seedDemoPublications(db, { forceId, clock })
  return true
}

/**
 * One account per role to sign in with, and an account for every other officer so their reports have an author.
 * Those accounts have no password: in a real force officers sign in through the force's single sign-on.
 */
async function insertAccounts(
  trx: Transaction<Database>,
  forceId: string,
  demo: DemoForce,
  ids: { personIds: Map<string, string>; unitIds: Map<string, string>; passwordHashes: string[] },
): Promise<Map<string, string>> {
  const peopleByKey = new Map(demo.people.map((p) => [p.key, p]))
  const withDemoAccount = new Set(demoAccounts.map((a) => a.personKey))
  const accounts = [
    ...demoAccounts.map((account, index) => {
      const person = account.personKey ? peopleByKey.get(account.personKey) : undefined
      return {
        personKey: account.personKey,
        username: account.username,
        displayName: account.displayName,
        passwordHash: ids.passwordHashes[index] ?? null,
        unitKey: person?.unitKey ?? null,
        roles: [account.role],
      }
    }),
    ...demo.people
      .filter((p) => p.status !== 'police_staff' && p.rank !== null && p.collarNumber && !withDemoAccount.has(p.key))
      .map((p) => ({
        personKey: p.key,
        username: `officer-${(p.collarNumber ?? p.key).toLowerCase()}`,
        displayName: `${p.rank ? rankAbbreviation(p.rank) : ''} ${p.givenName} ${p.familyName}`.trim(),
        passwordHash: null,
        unitKey: p.unitKey,
        roles: p.rank === 'sergeant' ? (['officer', 'supervisor'] as Role[]) : (['officer'] as Role[]),
      })),
  ]
  const userIds = new Map<string, string>()
  for (const batch of chunks(accounts)) {
    const rows = batch.map((a) => ({
      id: randomUUID(),
      force_id: forceId,
      username: a.username,
      display_name: a.displayName,
      password_hash: a.passwordHash,
      person_id: a.personKey ? idOf(ids.personIds, a.personKey) : null,
      unit_id: a.unitKey ? idOf(ids.unitIds, a.unitKey) : null,
    }))
    await trx.insertInto('users').values(rows).execute()
    await trx
      .insertInto('user_roles')
      .values(batch.flatMap((a, i) => a.roles.map((role) => ({ user_id: rows[i]?.id ?? '', role }))))
      .execute()
    batch.forEach((a, i) => {
      if (a.personKey) userIds.set(a.personKey, rows[i]?.id ?? '')
    })
  }
  return userIds
}

/**
 * A year of reports, written the way many reports are written at once (imports, migrations): rows in batches, each
 * report with its first version and its own audit entry. Returns how many reports it wrote.
 */
async function seedDemoReports(
  trx: Transaction<Database>,
  forceId: string,
  generated: DemoReports,
  ids: { personIds: Map<string, string>; userIds: Map<string, string>; unitOf: Map<string, string> },
): Promise<number> {
  const { rows: numbers } = await sql<{ n: number }>`
    select nextval('incident_reference_seq')::bigint as n from generate_series(1, ${generated.incidents.length}::int)`.execute(
    trx,
  )
  const incidents: Insertable<Database['incidents']>[] = []
  const subjects: Insertable<Database['subjects']>[] = []
  const reports: ReportRows[] = []
  const versions: Parameters<typeof insertVersions>[1] = []
  const events: AuditEvent[] = []
  for (const [i, incident] of generated.incidents.entries()) {
    const incidentId = randomUUID()
    const reference = `${incident.occurredAt.slice(0, 4)}-${String(numbers[i]?.n ?? i).padStart(6, '0')}`
    const details = {
      occurredAt: incident.occurredAt,
      locationTypes: incident.locationTypes,
      area: incident.area,
      planned: incident.planned,
    }
    const firstReporter = incident.reports[0]?.officerPersonKey ?? ''
    incidents.push({
      id: incidentId,
      force_id: forceId,
      reference,
      created_by: idOf(ids.userIds, firstReporter),
      ...incidentColumns(details),
    })
    const subjectIds = new Map<string, { id: string; label: string; details: SubjectDetails }>()
    incident.subjects.forEach((subject, n) => {
      const id = randomUUID()
      const label = `Person ${n + 1}`
      subjectIds.set(subject.key, { id, label, details: subject.details })
      subjects.push({ id, force_id: forceId, incident_id: incidentId, label, ...subjectColumns(subject.details) })
    })
    for (const report of incident.reports) {
      const subject = subjectIds.get(report.subjectKey)
      if (!subject) throw new Error(`demo seed: no subject ${report.subjectKey}`)
      const id = randomUUID()
      const userId = idOf(ids.userIds, report.officerPersonKey)
      const submittedAt = new Date(report.submittedAt)
      reports.push(
        toReportRows(
          report.body,
          {
            id,
            forceId,
            incidentId,
            subjectId: subject.id,
            officerPersonId: idOf(ids.personIds, report.officerPersonKey),
            officerUnitId: ids.unitOf.get(report.officerPersonKey) ?? null,
            reporterUserId: userId,
            occurredAt: incident.occurredAt,
            submittedAt,
            version: 1,
          },
          randomUUID,
        ),
      )
      versions.push({
        reportId: id,
        version: 1,
        kind: 'submitted' as const,
        reason: null,
        authorUserId: userId,
        createdAt: submittedAt,
        payload: {
          incident: { reference, ...details },
          subject: { id: subject.id, label: subject.label, ...subject.details },
          ...report.body,
        },
      })
      events.push({
        forceId,
        actor: { userId, label: 'demo seed' },
        action: 'report.submitted',
        entityType: 'report',
        entityId: id,
        details: { reference, version: 1, flags: reportFlags(report.body, subject.details.ageBand) },
      })
    }
  }
  for (const batch of chunks(incidents)) await trx.insertInto('incidents').values(batch).execute()
  for (const batch of chunks(subjects)) await trx.insertInto('subjects').values(batch).execute()
  await insertReportRows(trx, reports)
  await insertVersions(trx, versions)
  await appendAuditBatch(trx, events, new Date())
  for (const draft of generated.drafts) {
    const startedAt = new Date(draft.startedAt)
    await trx
      .insertInto('report_drafts')
      .values({
        force_id: forceId,
        owner_user_id: idOf(ids.userIds, draft.officerPersonKey),
        data: JSON.stringify(draft.data),
        created_at: startedAt,
        updated_at: startedAt,
      })
      .execute()
  }
  return reports.length
}
