import { createHash, createHmac, randomBytes } from 'node:crypto'
import { sql, type Transaction } from 'kysely'
import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import type { Database } from '../../db/schema.js'
import type { Period } from '../../domain/statistics/period.js'
import { csvFile } from '../../lib/spreadsheets/csv.js'
import type { SheetCell } from '../../lib/spreadsheets/layout.js'
import { appendAudit, type Actor } from '../audit/ledger.js'
import type { Agreement, CedUseSource, Field, Pseudonym, TacticSource } from './agreements.js'

/**
 * Builds a data-sharing extract: the agreement's fields for every record of the force in the period, with
 * pseudonyms keyed for that recipient, as CSV, and records it in the audit ledger (who, agreement, period, rows,
 * sha-256 of the file) in the same transaction. The ledger entry holds nothing from the file itself.
 */

interface Deps {
  db: Db
  clock: Clock
}

type Trx = Transaction<Database>

export interface Extract {
  fileName: string
  csv: string
  rows: number
  sha256: string
}

/**
 * The force's secret key for an agreement, made (32 random bytes) and audited the first time it is needed. Kept in
 * the database only: a recipient's pseudonyms stay the same for as long as the key does.
 */
async function agreementKey(trx: Trx, forceId: string, agreement: Agreement, actor: Actor, now: Date) {
  const made = await trx
    .insertInto('data_sharing_keys')
    .values({ force_id: forceId, agreement: agreement.id, secret: randomBytes(32), created_at: now })
    .onConflict((oc) => oc.columns(['force_id', 'agreement']).doNothing())
    .returning('agreement')
    .executeTakeFirst()
  if (made) {
    await appendAudit(
      trx,
      {
        forceId,
        actor,
        action: 'data-sharing.key_created',
        entityType: 'data_sharing_agreement',
        entityId: agreement.id,
        details: { recipient: agreement.recipient },
      },
      now,
    )
  }
  const { secret } = await trx
    .selectFrom('data_sharing_keys')
    .select('secret')
    .where('force_id', '=', forceId)
    .where('agreement', '=', agreement.id)
    .executeTakeFirstOrThrow()
  return secret
}

/** HMAC-SHA-256 under the recipient's key, hex. */
export function pseudonymFor(secret: Uint8Array): Pseudonym {
  return (id) => createHmac('sha256', secret).update(id).digest('hex')
}

/** The instants a period of whole London months covers, as SQL (from its first day to the day after its last). */
const periodStart = (p: Period) => sql<Date>`((${p.from} || '-01')::timestamp at time zone 'Europe/London')`
const periodEnd = (p: Period) =>
  sql<Date>`(((${p.to} || '-01')::date + interval '1 month')::timestamp at time zone 'Europe/London')`
const londonMonth = sql<string>`to_char(timezone('Europe/London', r.occurred_at), 'YYYY-MM')`

async function cedUseSources(trx: Trx, forceId: string, period: Period): Promise<CedUseSource[]> {
  const { rows } = await sql<{
    report_id: string
    seq: number
    month: string
    age_band: string
    health_condition: string
    device_serial: string
    device_model: string | null
    firmware: string | null
    levels: string[]
    highest_level: string
    cartridges_fired: number
    cycle_seconds: (string | number)[] | null
    interrupted_cycles: number
    repeat_cycle_same_cartridge: boolean
    probe_miss: string
    probe_sites: string[]
    distance_metres: string | number | null
    effective: boolean
    probes_removed_by: string | null
    medical_check: boolean
    subject_injured: string
    subject_injury_level: string | null
    subject_medical_offered: boolean
    subject_medical_provided: boolean
    outcomes: string[]
    defect_after: boolean
  }>`
    select r.id as report_id, u.seq, ${londonMonth} as month, s.age_band, s.health_condition,
      u.device_serial, u.device_model, d.firmware, u.levels, u.highest_level,
      jsonb_array_length(u.cartridges) as cartridges_fired,
      (select array_agg(c.seconds order by c.seq) from report_ced_cycles c where c.ced_use_id = u.id) as cycle_seconds,
      (select count(*) from report_ced_cycles c where c.ced_use_id = u.id and c.interrupted)::int as interrupted_cycles,
      u.repeat_cycle_same_cartridge, u.probe_miss, u.probe_sites, u.distance_metres, u.effective,
      u.probes_removed_by, u.medical_check, r.subject_injured, r.subject_injury_level, r.subject_medical_offered,
      r.subject_medical_provided, r.outcomes,
      exists (select 1 from ced_device_defects x where x.device_id = d.id
        and x.reported_at >= r.occurred_at and x.reported_at < r.occurred_at + interval '7 days') as defect_after
    from report_ced_uses u
    join reports r on r.id = u.report_id
    join subjects s on s.id = r.subject_id
    left join ced_devices d on d.force_id = r.force_id and d.serial = u.device_serial
    where r.force_id = ${forceId} and r.occurred_at >= ${periodStart(period)} and r.occurred_at < ${periodEnd(period)}`.execute(
    trx,
  )
  return rows.map((r) => ({
    reportId: r.report_id,
    useNumber: r.seq + 1,
    month: r.month,
    ageBand: r.age_band,
    healthCondition: r.health_condition,
    deviceSerial: r.device_serial,
    deviceModel: r.device_model,
    firmware: r.firmware,
    levels: r.levels,
    highestLevel: r.highest_level,
    cartridgesFired: r.cartridges_fired,
    cycleSeconds: (r.cycle_seconds ?? []).map(Number),
    interruptedCycles: r.interrupted_cycles,
    repeatCycleSameCartridge: r.repeat_cycle_same_cartridge,
    probeMiss: r.probe_miss,
    probeSites: r.probe_sites,
    distanceMetres: r.distance_metres === null ? null : Number(r.distance_metres),
    effective: r.effective,
    probesRemovedBy: r.probes_removed_by,
    medicalCheck: r.medical_check,
    subjectInjured: r.subject_injured,
    subjectInjuryLevel: r.subject_injury_level,
    medicalOffered: r.subject_medical_offered,
    medicalProvided: r.subject_medical_provided,
    outcomes: r.outcomes,
    defectReportedWithin7Days: r.defect_after,
  }))
}

async function tacticSources(trx: Trx, forceId: string, period: Period): Promise<TacticSource[]> {
  const { rows } = await sql<{
    report_id: string
    month: string
    seq: number
    tactic_count: number
    tactic: string
    effective: boolean
    subject_conduct: string
    main_duty: string
    single_crewed: boolean
    ced_highest_level: string | null
    subject_injured: string
    officer_injured: string
  }>`
    select r.id as report_id, ${londonMonth} as month, t.seq,
      (count(*) over (partition by r.id))::int as tactic_count, t.tactic, t.effective, r.subject_conduct,
      r.main_duty, r.single_crewed, r.ced_highest_level, r.subject_injured, r.officer_injured
    from report_tactics t
    join reports r on r.id = t.report_id
    where r.force_id = ${forceId} and r.occurred_at >= ${periodStart(period)} and r.occurred_at < ${periodEnd(period)}`.execute(
    trx,
  )
  return rows.map((r) => ({
    reportId: r.report_id,
    month: r.month,
    tacticNumber: r.seq + 1,
    tacticCount: r.tactic_count,
    tactic: r.tactic,
    effective: r.effective,
    subjectConduct: r.subject_conduct,
    mainDuty: r.main_duty,
    singleCrewed: r.single_crewed,
    cedHighestLevel: r.ced_highest_level,
    subjectInjured: r.subject_injured,
    officerInjured: r.officer_injured,
  }))
}

/**
 * Lines of the file: the profile's fields in order. Sorted by month, then pseudonym, then the number within the
 * report, so the order says nothing the fields do not (not the time of day, not the order of recording).
 */
function lines<S extends { month: string; reportId: string }>(
  fields: Field<S>[],
  sources: S[],
  pseudonym: Pseudonym,
  within: (s: S) => number,
): SheetCell[][] {
  return sources
    .map((s) => ({
      key: [s.month, pseudonym(s.reportId)] as const,
      n: within(s),
      cells: fields.map((f) => f.value(s, pseudonym)),
    }))
    .sort((a, b) => a.key[0].localeCompare(b.key[0]) || a.key[1].localeCompare(b.key[1]) || a.n - b.n)
    .map((line) => line.cells)
}

export async function createExtract(
  deps: Deps,
  request: { forceId: string; forceCode: string; actor: Actor; agreement: Agreement; period: Period },
): Promise<Extract> {
  const { forceId, actor, agreement, period } = request
  const now = deps.clock()
  return deps.db.transaction().execute(async (trx) => {
    const pseudonym = pseudonymFor(await agreementKey(trx, forceId, agreement, actor, now))
    const body =
      agreement.source === 'ced-uses'
        ? lines(agreement.fields, await cedUseSources(trx, forceId, period), pseudonym, (s) => s.useNumber)
        : lines(agreement.fields, await tacticSources(trx, forceId, period), pseudonym, (s) => s.tacticNumber)
    const header: SheetCell[] = agreement.fields.map((f) => f.name)
    const csv = csvFile([header, ...body])
    const sha256 = createHash('sha256').update(csv, 'utf8').digest('hex')
    const fileName = `${agreement.id}-${request.forceCode.toLowerCase()}-${period.from}-to-${period.to}.csv`
    await appendAudit(
      trx,
      {
        forceId,
        actor,
        action: 'data-sharing.extracted',
        entityType: 'data_sharing_agreement',
        entityId: agreement.id,
        details: {
          recipient: agreement.recipient,
          from: period.from,
          to: period.to,
          rows: body.length,
          sha256,
          fileName,
        },
      },
      now,
    )
    return { fileName, csv, rows: body.length, sha256 }
  })
}

export interface PastExtract {
  at: Date
  actor: string
  agreement: string
  from: string
  to: string
  rows: number
  sha256: string
}

/** The force's latest extracts, from the audit ledger. */
export async function recentExtracts(db: Db, forceId: string, limit = 20): Promise<PastExtract[]> {
  const entries = await db
    .selectFrom('audit_log')
    .select(['occurred_at', 'actor', 'entity_id', 'details'])
    .where('force_id', '=', forceId)
    .where('action', '=', 'data-sharing.extracted')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
  return entries.map((e) => {
    const d = e.details as { from: string; to: string; rows: number; sha256: string }
    return {
      at: e.occurred_at,
      actor: e.actor,
      agreement: e.entity_id ?? '',
      from: d.from,
      to: d.to,
      rows: d.rows,
      sha256: d.sha256,
    }
  })
}
