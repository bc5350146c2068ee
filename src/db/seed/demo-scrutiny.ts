import { sql, type Transaction } from 'kysely'
import type { Finding, Theme } from '../../domain/scrutiny/findings.js'
import { addDays } from '../../domain/calendar.js'
import { appendAudit, systemActor } from '../../features/audit/ledger.js'
import { recordSample, writeFinding, writeReleases } from '../../features/scrutiny/scrutiny.service.js'
import type { Database } from '../schema.js'

/** Findings the demo panel recorded, in case order; cycled through the drawn cases. */
const demoFindings: { finding: Finding; themes: Theme[]; comments: string; feedback: string }[] = [
  {
    finding: 'appropriate',
    themes: ['communication', 'warning', 'good_practice'],
    comments: 'Clear warning and a proportionate response to a threat with a weapon.',
    feedback: 'The panel noted a clear warning before the Taser was used and good aftercare.',
  },
  {
    finding: 'some_concerns',
    themes: ['vulnerability', 'communication'],
    comments: 'Little on how the person’s mental health was taken into account.',
    feedback: 'The panel would like to see how the person’s mental health shaped the decisions recorded.',
  },
  {
    finding: 'appropriate',
    themes: ['aftercare', 'body_worn_video'],
    comments: '',
    feedback: 'Good aftercare recorded.',
  },
  {
    finding: 'some_concerns',
    themes: ['recording'],
    comments: 'The account is brief for a discharge.',
    feedback: 'The panel found the written account too brief to follow the decisions made.',
  },
  { finding: 'appropriate', themes: ['proportionality'], comments: '', feedback: '' },
  {
    finding: 'inappropriate',
    themes: ['extended_cycles', 'proportionality', 'supervision'],
    comments: 'A second cycle while the person was already on the ground.',
    feedback: 'The panel was not satisfied that the second cycle was necessary.',
  },
]

/**
 * Demo scrutiny: two panels so the isolation shows. The demo `scrutiny` account sits on the independent Taser panel,
 * which has a stratified sample of the last six months (fixed seeds, so the demo is the same every time) with some
 * free text released and findings on most cases, and a sample of every report of the day of the demo officer's
 * latest report, so the officer and their supervisor have panel feedback to see. The community panel has a sample
 * of its own and no members yet, so the `scrutiny` account never sees it.
 */
export async function seedDemoScrutiny(trx: Transaction<Database>, { forceId, now }: { forceId: string; now: Date }) {
  const today = now.toISOString().slice(0, 10)
  const demoMember = await trx
    .selectFrom('users')
    .where('force_id', '=', forceId)
    .where('username', '=', 'scrutiny')
    .select('id')
    .executeTakeFirstOrThrow()
  const panels = await trx
    .insertInto('scrutiny_panels')
    .values([
      { force_id: forceId, name: 'Independent Taser scrutiny panel' },
      { force_id: forceId, name: 'Community use of force panel' },
    ])
    .returning(['id', 'name'])
    .execute()
  const [taserPanel, communityPanel] = panels.map((p) => p.id)
  if (!taserPanel || !communityPanel) throw new Error('demo seed: panels not created')
  await trx
    .insertInto('scrutiny_panel_members')
    .values([{ panel_id: taserPanel, user_id: demoMember.id, added_at: now }])
    .execute()
  await appendAudit(
    trx,
    {
      forceId,
      actor: systemActor,
      action: 'scrutiny_panel.seeded',
      entityType: 'force',
      entityId: forceId,
      details: { panels: panels.map((p) => p.name) },
    },
    now,
  )

  const taserSample = await recordSample(
    trx,
    systemActor,
    forceId,
    {
      panelId: taserPanel,
      periodFrom: addDays(today, -182),
      periodTo: addDays(today, -1),
      meetingOn: addDays(today, 14),
      seed: 'demo-constabulary-panel-1',
      strata: [
        { stratum: 'ced_discharge', size: 5 },
        { stratum: 'child', size: 3 },
        { stratum: 'mental_health', size: 3 },
        { stratum: 'black', size: 2 },
        { stratum: 'any', size: 3 },
      ],
    },
    now,
  )
  const { rows: latest } = await sql<{ day: string }>`
    select to_char((r.occurred_at at time zone 'Europe/London')::date, 'YYYY-MM-DD') as day
    from reports r join users u on u.person_id = r.officer_person_id
    where u.username = 'officer' and r.force_id = ${forceId}
    order by r.occurred_at desc limit 1`.execute(trx)
  const day = latest[0]?.day
  const daySample = day
    ? await recordSample(
        trx,
        systemActor,
        forceId,
        {
          panelId: taserPanel,
          periodFrom: day,
          periodTo: day,
          meetingOn: null,
          seed: 'demo-constabulary-panel-2',
          strata: [{ stratum: 'any', size: 50 }],
        },
        now,
      )
    : null

  const caseIds = async (sampleId: string | null) =>
    sampleId
      ? (
          await trx
            .selectFrom('scrutiny_cases')
            .where('sample_id', '=', sampleId)
            .select('id')
            .orderBy('case_number')
            .execute()
        ).map((c) => c.id)
      : []
  const taserCases = await caseIds(taserSample)
  for (const [i, caseId] of taserCases.entries()) {
    // Free text released on the first four cases (one redacted); findings on all but the last three.
    if (i < 4)
      await writeReleases(
        trx,
        systemActor,
        forceId,
        caseId,
        [
          { field: 'justification', release: true, redactedText: null },
          {
            field: 'de_escalation',
            release: i === 1,
            redactedText: i === 1 ? 'I spoke calmly to [the person] and asked them to put the knife down.' : null,
          },
        ],
        now,
      )
    const finding = demoFindings[i % demoFindings.length]
    if (finding && i < taserCases.length - 3)
      await writeFinding(trx, { userId: demoMember.id, label: 'scrutiny' }, forceId, caseId, finding, now)
  }
  for (const [i, caseId] of (await caseIds(daySample)).entries()) {
    const finding = demoFindings[(i + 2) % demoFindings.length]
    if (finding) await writeFinding(trx, { userId: demoMember.id, label: 'scrutiny' }, forceId, caseId, finding, now)
  }
  // The community panel has its own sample and, until the force adds its members, no one who can see it.
  await recordSample(
    trx,
    systemActor,
    forceId,
    {
      panelId: communityPanel,
      periodFrom: addDays(today, -91),
      periodTo: addDays(today, -1),
      meetingOn: null,
      seed: 'demo-constabulary-panel-3',
      strata: [
        { stratum: 'child', size: 4 },
        { stratum: 'mental_health', size: 4 },
      ],
    },
    now,
  )
}
