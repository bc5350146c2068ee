import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, testApp, type TestApp } from '../../../test/support/app.js'
import type { Db } from '../../db/database.js'
import type { Actor } from '../audit/ledger.js'
import { approve, findAssessment, generateEvidence, startVersion, updateDraft } from './threat-assessment.service.js'

let t: TestApp
let db: Db
let forceId: string
const clock = () => new Date('2026-11-22T12:00:00Z')
let lead: Actor
let admin: Actor

beforeAll(async () => {
  t = await testApp({ clock })
  db = t.database.db
  forceId = (await db.selectFrom('forces').select('id').where('code', '=', 'demo').executeTakeFirstOrThrow()).id
  const user = async (username: string): Promise<Actor> => ({
    userId: (await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id,
    label: username,
  })
  lead = await user('taser-lead')
  admin = await user('admin')
})

afterAll(() => t.close())

async function draftId(): Promise<string> {
  const existing = await db
    .selectFrom('threat_assessments')
    .select('id')
    .where('force_id', '=', forceId)
    .where('status', '=', 'draft')
    .executeTakeFirst()
  if (existing) return existing.id
  const started = await startVersion({ db, clock }, lead, forceId)
  if (typeof started !== 'string') throw new Error(started.message)
  return started
}

describe('threat and risk assessment', () => {
  it('builds the evidence pack from the records: uses, discharges, assaults and authorised officers by unit and team', async () => {
    const id = await draftId()
    const deps = { db, clock }
    await updateDraft(deps, lead, forceId, id, {
      from: '2025-11',
      to: '2026-10',
      decision: 'Keep numbers',
      targets: [],
    })
    expect(await generateEvidence(deps, lead, forceId, id)).toEqual({ ok: true, value: undefined })
    const assessment = await findAssessment(db, forceId, id)
    const evidence = assessment?.evidence
    if (!evidence) throw new Error('no evidence')

    // Counted independently of the helper the pack uses: straight from the raw CED use levels and report flags.
    const expected = await sql<{ uses: number; discharges: number; assaults: number }>`
      select
        count(*) filter (where exists (select 1 from report_ced_uses u where u.report_id = r.id))::int as uses,
        count(*) filter (where exists (select 1 from report_ced_uses u where u.report_id = r.id
          and u.levels && array['drive_stun', 'fired', 'angle_drive_stun']))::int as discharges,
        count(*) filter (where r.assaulted_by_subject)::int as assaults
      from reports r
      where r.force_id = ${forceId}
        and r.occurred_at >= timestamptz '2025-11-01 00:00 Europe/London'
        and r.occurred_at < timestamptz '2026-11-01 00:00 Europe/London'`.execute(db)
    const row = expected.rows[0]
    expect(evidence.totals.cedUses).toBe(row?.uses)
    expect(evidence.totals.discharges).toBe(row?.discharges)
    expect(evidence.totals.assaults).toBe(row?.assaults)
    expect(evidence.totals.cedUses).toBeGreaterThan(100)
    expect(evidence.units.reduce((sum, u) => sum + u.cedUses, 0)).toBe(evidence.totals.cedUses)
    expect(evidence.authorityAsAt).toBe('2026-10-31')
    expect(evidence.totals.authorisedOfficers).toBeGreaterThan(100)
    const north = evidence.units.find((u) => u.name === 'North BCU')
    expect(north?.teams.map((team) => team.name)).toContain('Response team A')
    expect(north?.teams.reduce((sum, team) => sum + team.authorisedOfficers, 0)).toBe(north?.authorisedOfficers)
    expect(evidence.funnel.incidents).toBeGreaterThan(30_000)
  })

  it('is approved by someone other than its author, and then neither the service nor the database will change it', async () => {
    const id = await draftId()
    const deps = { db, clock }
    await updateDraft(deps, lead, forceId, id, {
      from: '2025-11',
      to: '2026-10',
      decision: 'Forty officers per BCU',
      targets: [{ unitId: 'u', name: 'North BCU', target: 40 }],
    })
    await generateEvidence(deps, lead, forceId, id)
    expect(await approve(deps, lead, forceId, id)).toMatchObject({ ok: false, errors: [{ field: 'approve' }] })
    expect(await approve(deps, admin, forceId, id)).toEqual({ ok: true, value: undefined })

    const refusal = { ok: false, status: 409 }
    expect(
      await updateDraft(deps, lead, forceId, id, { from: '2025-11', to: '2026-10', decision: 'x', targets: [] }),
    ).toMatchObject(refusal)
    expect(await generateEvidence(deps, lead, forceId, id)).toMatchObject(refusal)
    expect(await approve(deps, admin, forceId, id)).toMatchObject(refusal)

    await expect(
      db.updateTable('threat_assessments').set({ decision: 'Tampered' }).where('id', '=', id).execute(),
    ).rejects.toThrow(/approved and cannot be changed/)
    await expect(
      db.updateTable('threat_assessments').set({ status: 'draft' }).where('id', '=', id).execute(),
    ).rejects.toThrow(/approved and cannot be changed/)
    await expect(db.deleteFrom('threat_assessments').where('id', '=', id).execute()).rejects.toThrow(
      /approved and cannot be changed/,
    )
    // The one thing that may be added later: the day the PCC and the community were told, once each.
    await db.updateTable('threat_assessments').set({ pcc_informed_on: '2026-11-20' }).where('id', '=', id).execute()
    await expect(
      db.updateTable('threat_assessments').set({ pcc_informed_on: '2026-11-21' }).where('id', '=', id).execute(),
    ).rejects.toThrow(/approved and cannot be changed/)
    expect((await findAssessment(db, forceId, id))?.decision).toBe('Forty officers per BCU')

    const actions = await db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', id)
      .orderBy('id')
      .execute()
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(['threat_assessment.approved', 'threat_assessment.updated']),
    )
  })

  it('starts a new version from the last approved one, one draft at a time', async () => {
    const deps = { db, clock }
    const latest = await db
      .selectFrom('threat_assessments')
      .select(['version', 'decision'])
      .where('force_id', '=', forceId)
      .orderBy('version', 'desc')
      .executeTakeFirstOrThrow()
    const next = await startVersion(deps, lead, forceId)
    if (typeof next !== 'string') throw new Error(next.message)
    const draft = await findAssessment(db, forceId, next)
    expect(draft).toMatchObject({
      version: latest.version + 1,
      status: 'draft',
      decision: latest.decision,
      evidence: null,
    })
    expect(await startVersion(deps, lead, forceId)).toMatchObject({ ok: false, status: 409 })
  })

  it('pages: the Taser lead drafts, the administrator approves, PSD reads, officers are refused', async () => {
    const taserLead = new Browser(t.app)
    await taserLead.signIn('taser-lead')
    const list = await taserLead.get('/threat-assessments')
    expect(list.statusCode).toBe(200)
    const id = await draftId()
    const page = await taserLead.get(`/threat-assessments/${id}`)
    expect(page.body).toContain('data-testid="edit-draft"')
    expect(page.body).not.toContain('data-testid="approve"')

    const units = await db
      .selectFrom('org_units as u')
      .innerJoin('org_units as p', 'p.id', 'u.parent_id')
      .where('p.kind', '=', 'force')
      .where('u.force_id', '=', forceId)
      .select(['u.id', 'u.name'])
      .execute()
    const north = units.find((u) => u.name === 'North BCU')?.id ?? ''
    const bad = await taserLead.post(
      `/threat-assessments/${id}/edit`,
      { from: '2025-11', to: '2026-10', decision: 'Keep it', [`target-${north}`]: 'forty' },
      `/threat-assessments/${id}/edit`,
    )
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain(`href="#target-${north}"`)
    expect(bad.body).toContain('value="forty"')
    const saved = await taserLead.post(
      `/threat-assessments/${id}/edit`,
      { from: '2025-11', to: '2026-10', decision: 'Forty-five in North', [`target-${north}`]: '45' },
      `/threat-assessments/${id}/edit`,
    )
    expect(saved.statusCode).toBe(303)
    expect(
      (await taserLead.post(`/threat-assessments/${id}/evidence`, {}, `/threat-assessments/${id}`)).statusCode,
    ).toBe(303)
    const withEvidence = await taserLead.get(`/threat-assessments/${id}`)
    expect(withEvidence.body).toContain('data-testid="evidence-units"')
    expect(withEvidence.body).toContain('data-testid="targets"')

    const administrator = new Browser(t.app)
    await administrator.signIn('admin')
    expect(
      (await administrator.post(`/threat-assessments/${id}/edit`, { from: '2025-11' }, `/threat-assessments/${id}`))
        .statusCode,
    ).toBe(403)
    const approval = await administrator.post(`/threat-assessments/${id}/approve`, {}, `/threat-assessments/${id}`)
    expect(approval.statusCode).toBe(303)
    const approved = await administrator.get(approval.headers.location as string)
    expect(approved.body).toContain('Assessment approved')
    expect((await taserLead.get(`/threat-assessments/${id}/edit`)).statusCode).toBe(409)

    const told = await taserLead.post(
      `/threat-assessments/${id}/informed`,
      { 'pccInformedOn-day': '22', 'pccInformedOn-month': '11', 'pccInformedOn-year': '2026' },
      `/threat-assessments/${id}`,
    )
    expect(told.statusCode).toBe(303)
    const early = await taserLead.post(
      `/threat-assessments/${id}/informed`,
      { 'communityInformedOn-day': '1', 'communityInformedOn-month': '1', 'communityInformedOn-year': '2020' },
      `/threat-assessments/${id}`,
    )
    expect(early.statusCode).toBe(400)
    expect(early.body).toContain('The date must be between the day of approval and today')

    const psd = new Browser(t.app)
    await psd.signIn('psd')
    expect((await psd.get(`/threat-assessments/${id}`)).statusCode).toBe(200)
    expect((await psd.post(`/threat-assessments/${id}/evidence`, {}, `/threat-assessments/${id}`)).statusCode).toBe(403)
    const officer = new Browser(t.app)
    await officer.signIn('officer')
    expect((await officer.get('/threat-assessments')).statusCode).toBe(403)
  })
})
