import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import { displayValue, protectTable, SUPPRESSED_SYMBOL } from '../../domain/disclosure/disclosure.js'
import { oneWayTable } from '../../domain/disclosure/table.js'
import { buildCasePack, coarseMonth } from '../../domain/scrutiny/case-pack.js'
import { findings, themes, type Finding, type Theme } from '../../domain/scrutiny/findings.js'
import { freeTextFields, type FreeTextField } from '../../domain/scrutiny/free-text.js'
import { compareDraws, drawSample, SAMPLING_ALGORITHM, type Candidate } from '../../domain/scrutiny/sampling.js'
import { strata, type Stratum } from '../../domain/scrutiny/strata.js'
import { actorOf, principalOf } from '../../web/access.js'
import { HttpError } from '../../web/errors.js'
import { parseForm } from '../../web/forms.js'
import { errorContext, type FieldError } from '../../web/render.js'
import { hasPermission, scopeFilter } from '../auth/policy.js'
import { dateBoxes } from '../../web/date-input.js'
import { onFirstBox } from '../authorisations/authorisations.schema.js'
import { probeMissLabels, probeRemovalLabels } from '../reports/form/options.js'
import { loadReport } from '../reports/reports.repository.js'
import {
  candidatesFor,
  casesOfSample,
  eligibleMembers,
  feedbackFor,
  findCase,
  findPanel,
  findSample,
  isMember,
  listPanels,
  panelMembers,
  panelsOfMember,
  releasesOf,
  reviewDecisions,
  samplesOfPanel,
  type SampleRow,
} from './scrutiny.repository.js'
import { drawForm, findingForm, memberForm, panelForm, releaseForm } from './scrutiny.schema.js'
import {
  addMember,
  createPanel,
  drawPanelSample,
  recordFinding,
  removeMember,
  setReleases,
} from './scrutiny.service.js'

/**
 * External scrutiny. Two sides, on two URL trees, so one check guards each:
 * - `/scrutiny/…` is the force side (`scrutiny.manage`): panels, members, drawing samples, releasing free text,
 *   and the summary to publish. It sees which report each case is.
 * - `/panel/…` is a panel member's (`scrutiny.review`): only samples of panels they belong to — checked on every
 *   request, and a sample of another panel is "Page not found", exactly like one that does not exist.
 * `/scrutiny-feedback` shows findings on an officer's own reports, or a supervisor's team's.
 */

type Side = 'force' | 'panel'

const uuid = z.uuid()
const caseNumber = z.coerce.number().int().min(1).max(100_000)

function param(request: FastifyRequest, name: string): string {
  const value = (request.params as Record<string, string>)[name]
  if (!uuid.safeParse(value).success) throw new HttpError(404, 'Page not found')
  return value as string
}

function caseParam(request: FastifyRequest): number {
  const parsed = caseNumber.safeParse((request.params as Record<string, string>).n)
  if (!parsed.success) throw new HttpError(404, 'Page not found')
  return parsed.data
}

const body = (request: FastifyRequest) => (request.body ?? {}) as Record<string, unknown>
const str = (v: unknown) => (typeof v === 'string' ? v : '')

const REVIEW_LABELS: Record<string, string> = {
  approved: 'Approved by the supervisor',
  returned: 'Returned to the officer for correction',
  referred: 'Referred to Professional Standards',
}

const findingItem = (value: string | null) => (value ? findings.byValue(value) : undefined)

export async function scrutinyRoutes(app: FastifyInstance, { db, clock }: { db: Db; clock: Clock }) {
  const deps = { db, clock }

  /** The sample, if the caller's side may see it: the force side sees its force's, a member only their panels'. */
  async function sampleFor(request: FastifyRequest, side: Side): Promise<SampleRow> {
    const principal = principalOf(request)
    const sample = await findSample(db, principal.forceId, param(request, 'id'))
    if (!sample) throw new HttpError(404, 'Page not found')
    if (side === 'panel' && !(await isMember(db, sample.panelId, principal.userId)))
      throw new HttpError(404, 'Page not found')
    return sample
  }

  const base = (side: Side, sample: SampleRow) =>
    side === 'force' ? `/scrutiny/samples/${sample.id}` : `/panel/samples/${sample.id}`

  function sampleView(sample: SampleRow) {
    return {
      ...sample,
      strata: sample.strata.map((s) => ({ ...s, label: strata.label(s.stratum as Stratum) })),
    }
  }

  // ---------------------------------------------------------------- force side: panels
  function renderPanels(request: FastifyRequest, reply: FastifyReply, errors: FieldError[] = [], name = '') {
    return listPanels(db, principalOf(request).forceId).then((panels) =>
      reply.code(errors.length ? 400 : 200).render('scrutiny/views/panels.njk', {
        pageTitle: 'Scrutiny panels',
        panels,
        values: { name },
        ...errorContext(errors),
      }),
    )
  }

  app.get('/scrutiny', { config: { access: 'scrutiny.manage' } }, (request, reply) => renderPanels(request, reply))

  app.post('/scrutiny/panels', { config: { access: 'scrutiny.manage' } }, async (request, reply) => {
    const name = str(body(request).name)
    const parsed = parseForm(panelForm, { name })
    if (!parsed.ok) return renderPanels(request, reply, parsed.errors, name)
    const outcome = await createPanel(deps, actorOf(request), principalOf(request).forceId, parsed.value.name)
    if (!outcome.ok) return renderPanels(request, reply, [{ field: outcome.field, text: outcome.message }], name)
    return reply.redirect(`/scrutiny/panels/${outcome.value}?done=created`, 303)
  })

  async function renderPanel(request: FastifyRequest, reply: FastifyReply, errors: FieldError[] = []) {
    const principal = principalOf(request)
    const panel = await findPanel(db, principal.forceId, param(request, 'id'))
    if (!panel) throw new HttpError(404, 'Page not found')
    const [members, eligible, samples] = await Promise.all([
      panelMembers(db, panel.id),
      eligibleMembers(db, principal.forceId),
      samplesOfPanel(db, panel.id),
    ])
    const memberIds = new Set(members.map((m) => m.id))
    const done = z
      .enum(['created', 'added', 'removed', 'drawn'])
      .optional()
      .catch(undefined)
      .parse((request.query as Record<string, unknown>).done)
    return reply.code(errors.length ? 400 : 200).render('scrutiny/views/panel.njk', {
      pageTitle: panel.name,
      panel,
      members,
      samples,
      memberItems: [
        { value: '', text: 'Choose a member' },
        ...eligible
          .filter((u) => !memberIds.has(u.id))
          .map((u) => ({ value: u.id, text: `${u.name} (${u.username})` })),
      ],
      notice: done
        ? { created: 'Panel created', added: 'Member added', removed: 'Member removed', drawn: 'Sample drawn' }[done]
        : null,
      ...errorContext(errors),
    })
  }

  app.get('/scrutiny/panels/:id', { config: { access: 'scrutiny.manage' } }, (request, reply) =>
    renderPanel(request, reply),
  )

  app.post('/scrutiny/panels/:id/members', { config: { access: 'scrutiny.manage' } }, async (request, reply) => {
    const principal = principalOf(request)
    const panel = await findPanel(db, principal.forceId, param(request, 'id'))
    if (!panel) throw new HttpError(404, 'Page not found')
    const parsed = parseForm(memberForm, { member: str(body(request).member) })
    if (!parsed.ok) return renderPanel(request, reply, parsed.errors)
    const outcome = await addMember(deps, actorOf(request), principal.forceId, panel.id, parsed.value.member)
    if (!outcome.ok) return renderPanel(request, reply, [{ field: outcome.field, text: outcome.message }])
    return reply.redirect(`/scrutiny/panels/${panel.id}?done=added`, 303)
  })

  app.post(
    '/scrutiny/panels/:id/members/:userId/remove',
    { config: { access: 'scrutiny.manage' } },
    async (request, reply) => {
      const principal = principalOf(request)
      const panel = await findPanel(db, principal.forceId, param(request, 'id'))
      if (!panel) throw new HttpError(404, 'Page not found')
      await removeMember(deps, actorOf(request), principal.forceId, panel.id, param(request, 'userId'))
      return reply.redirect(`/scrutiny/panels/${panel.id}?done=removed`, 303)
    },
  )

  // ---------------------------------------------------------------- force side: drawing a sample
  const dateFields = ['periodFrom', 'periodTo', 'meetingOn']

  async function renderDraw(
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, string> = {},
    errors: FieldError[] = [],
  ) {
    const panel = await findPanel(db, principalOf(request).forceId, param(request, 'id'))
    if (!panel) throw new HttpError(404, 'Page not found')
    const boxes = (name: string) => ({
      day: values[`${name}-day`] ?? '',
      month: values[`${name}-month`] ?? '',
      year: values[`${name}-year`] ?? '',
    })
    return reply.code(errors.length ? 400 : 200).render('scrutiny/views/draw.njk', {
      pageTitle: 'Draw a sample',
      panel,
      strata: strata.codes.map((s) => ({ value: s.value, label: s.label, size: values[`size-${s.value}`] ?? '' })),
      values: {
        seed: values.seed ?? '',
        periodFrom: boxes('periodFrom'),
        periodTo: boxes('periodTo'),
        meetingOn: boxes('meetingOn'),
      },
      algorithm: SAMPLING_ALGORITHM,
      ...errorContext(errors),
    })
  }

  app.get('/scrutiny/panels/:id/samples/new', { config: { access: 'scrutiny.manage' } }, (request, reply) => {
    // Suggested sizes and a period ending today; the force changes them to suit the meeting.
    const today = clock().toISOString().slice(0, 10)
    const d = dateBoxes(today)
    return renderDraw(request, reply, {
      'periodTo-day': d.day,
      'periodTo-month': d.month,
      'periodTo-year': d.year,
      'size-ced_discharge': '5',
      'size-child': '3',
      'size-mental_health': '3',
      'size-any': '4',
    })
  })

  app.post('/scrutiny/panels/:id/samples', { config: { access: 'scrutiny.manage' } }, async (request, reply) => {
    const principal = principalOf(request)
    const panel = await findPanel(db, principal.forceId, param(request, 'id'))
    if (!panel) throw new HttpError(404, 'Page not found')
    const values = Object.fromEntries(Object.entries(body(request)).map(([k, v]) => [k, str(v)]))
    const parsed = parseForm(drawForm, values)
    if (!parsed.ok) return renderDraw(request, reply, values, onFirstBox(parsed.errors, dateFields))
    const form = parsed.value as Record<string, unknown> & {
      periodFrom: string
      periodTo: string
      meetingOn: string | null
      seed: string | null
    }
    const outcome = await drawPanelSample(deps, actorOf(request), principal.forceId, {
      panelId: panel.id,
      periodFrom: form.periodFrom,
      periodTo: form.periodTo,
      meetingOn: form.meetingOn,
      seed: form.seed,
      strata: strata.values
        .map((s) => ({ stratum: s, size: Number(form[`size-${s}`] ?? 0) }))
        .filter((s) => s.size > 0),
    })
    if (!outcome.ok)
      return renderDraw(
        request,
        reply,
        values,
        onFirstBox([{ field: outcome.field, text: outcome.message }], dateFields),
      )
    return reply.redirect(`/scrutiny/samples/${outcome.value}?done=drawn`, 303)
  })

  // ---------------------------------------------------------------- a sample: both sides
  async function renderSample(request: FastifyRequest, reply: FastifyReply, side: Side) {
    const sample = await sampleFor(request, side)
    const cases = await casesOfSample(db, sample.id)
    const done = (request.query as Record<string, unknown>).done === 'drawn'
    return reply.render(side === 'force' ? 'scrutiny/views/sample.njk' : 'scrutiny/views/panel-sample.njk', {
      pageTitle: `${sample.panelName}: sample of ${sample.periodFrom} to ${sample.periodTo}`,
      sample: sampleView(sample),
      base: base(side, sample),
      cases: cases.map((c) => ({
        caseNumber: c.caseNumber,
        stratum: strata.label(c.stratum as Stratum),
        // The report only on the force side; the panel's list says nothing a case pack would not.
        reportId: side === 'force' ? c.reportId : null,
        released: c.releases,
        finding: findingItem(c.finding) ?? null,
      })),
      canRelease: hasPermission(principalOf(request), 'scrutiny.release'),
      notice: done ? 'Sample drawn. Its seed and candidates are kept so anyone can draw it again' : null,
    })
  }

  app.get('/scrutiny/samples/:id', { config: { access: 'scrutiny.manage' } }, (request, reply) =>
    renderSample(request, reply, 'force'),
  )
  app.get('/panel/samples/:id', { config: { access: 'scrutiny.review' } }, (request, reply) =>
    renderSample(request, reply, 'panel'),
  )

  // ---------------------------------------------------------------- a case pack: both sides
  async function renderCase(
    request: FastifyRequest,
    reply: FastifyReply,
    side: Side,
    options: { errors?: FieldError[]; values?: Record<string, unknown>; notice?: string | null } = {},
  ) {
    const sample = await sampleFor(request, side)
    const found = await findCase(db, sample.id, caseParam(request))
    if (!found) throw new HttpError(404, 'Page not found')
    const [report, releases, reviews] = await Promise.all([
      loadReport(db, principalOf(request).forceId, found.reportId),
      releasesOf(db, found.id),
      reviewDecisions(db, [found.reportId]),
    ])
    if (!report) throw new HttpError(404, 'Page not found')
    const pack = buildCasePack(
      found.caseNumber,
      report,
      releases.map((r) => ({ field: r.field as FreeTextField, redactedText: r.redactedText })),
    )
    const decision = reviews.get(found.reportId)
    const values = options.values ?? {
      finding: found.finding ?? '',
      themes: found.themes ?? [],
      comments: found.comments ?? '',
      feedback: found.feedback ?? '',
    }
    const chosenThemes = new Set([values.themes ?? []].flat() as string[])
    const principal = principalOf(request)
    const releaseMap = new Map(releases.map((r) => [r.field, r.redactedText]))
    const textOf = (f: FreeTextField) =>
      f === 'justification'
        ? report.body.justification
        : f === 'de_escalation'
          ? report.body.deEscalation
          : report.body.subjectInjury.nature
    return reply.code(options.errors?.length ? 400 : 200).render('scrutiny/views/case.njk', {
      pageTitle: `Case ${pack.caseNumber}`,
      side,
      sample: sampleView(sample),
      base: base(side, sample),
      stratum: strata.label(found.stratum as Stratum),
      pack: {
        ...pack,
        cedUses: pack.cedUses.map((u) => ({
          ...u,
          probeMiss: probeMissLabels[u.probeMiss as keyof typeof probeMissLabels] ?? u.probeMiss,
          probesRemovedBy: u.probesRemovedBy
            ? (probeRemovalLabels[u.probesRemovedBy as keyof typeof probeRemovalLabels] ?? u.probesRemovedBy)
            : null,
        })),
      },
      review: decision ? (REVIEW_LABELS[decision] ?? decision) : 'Not reviewed',
      reportId: side === 'force' ? found.reportId : null,
      finding: found.finding ? { ...findingItem(found.finding), recordedAt: found.recordedAt } : null,
      findingThemes: (found.themes ?? []).map((t) => themes.label(t as Theme)),
      findingComments: found.comments,
      findingFeedback: found.feedback,
      canRecord: side === 'panel',
      canRelease: side === 'force' && hasPermission(principal, 'scrutiny.release'),
      // The force-side release form shows the original text to the person deciding; the panel never gets it.
      releaseFields:
        side === 'force'
          ? freeTextFields.codes
              .filter((f) => textOf(f.value) !== null)
              .map((f) => {
                const v = options.values
                const current = releaseMap.has(f.value)
                  ? releaseMap.get(f.value)
                    ? 'redacted'
                    : 'release'
                  : 'withhold'
                const choice = v ? str(v[`release-${f.value}`]) || 'withhold' : current
                return {
                  value: f.value,
                  label: f.label,
                  original: textOf(f.value),
                  choice,
                  redacted: v ? str(v[`redacted-${f.value}`]) : (releaseMap.get(f.value) ?? ''),
                }
              })
          : [],
      findingItems: findings.codes.map((f) => ({ value: f.value, text: f.label, checked: values.finding === f.value })),
      themeItems: themes.codes.map((t) => ({ value: t.value, text: t.label, checked: chosenThemes.has(t.value) })),
      values,
      notice: options.notice ?? null,
      ...errorContext(options.errors ?? []),
    })
  }

  const caseNotice = (request: FastifyRequest) => {
    const done = (request.query as Record<string, unknown>).done
    return done === 'finding' ? 'Finding saved' : done === 'released' ? 'Release decisions saved' : null
  }

  app.get('/scrutiny/samples/:id/cases/:n', { config: { access: 'scrutiny.manage' } }, (request, reply) =>
    renderCase(request, reply, 'force', { notice: caseNotice(request) }),
  )
  app.get('/panel/samples/:id/cases/:n', { config: { access: 'scrutiny.review' } }, (request, reply) =>
    renderCase(request, reply, 'panel', { notice: caseNotice(request) }),
  )

  app.post('/panel/samples/:id/cases/:n/finding', { config: { access: 'scrutiny.review' } }, async (request, reply) => {
    const sample = await sampleFor(request, 'panel')
    const found = await findCase(db, sample.id, caseParam(request))
    if (!found) throw new HttpError(404, 'Page not found')
    const raw = body(request)
    const values = {
      finding: str(raw.finding),
      themes: raw.themes ?? [],
      comments: str(raw.comments),
      feedback: str(raw.feedback),
    }
    const parsed = parseForm(findingForm, values)
    if (!parsed.ok) {
      // A themes error belongs to the first checkbox, where the summary must take the reader.
      const errors = parsed.errors.map((e) => (e.field.startsWith('themes') ? { ...e, field: 'themes' } : e))
      return renderCase(request, reply, 'panel', { errors, values })
    }
    await recordFinding(deps, actorOf(request), principalOf(request).forceId, found.id, {
      finding: parsed.value.finding as Finding,
      themes: parsed.value.themes as Theme[],
      comments: parsed.value.comments,
      feedback: parsed.value.feedback,
    })
    return reply.redirect(`/panel/samples/${sample.id}/cases/${found.caseNumber}?done=finding`, 303)
  })

  app.post(
    '/scrutiny/samples/:id/cases/:n/release',
    { config: { access: 'scrutiny.release' } },
    async (request, reply) => {
      const sample = await sampleFor(request, 'force')
      const found = await findCase(db, sample.id, caseParam(request))
      if (!found) throw new HttpError(404, 'Page not found')
      const values = Object.fromEntries(Object.entries(body(request)).map(([k, v]) => [k, str(v)]))
      const parsed = parseForm(releaseForm, values)
      if (!parsed.ok) return renderCase(request, reply, 'force', { errors: parsed.errors, values })
      const form = parsed.value as Record<string, string>
      await setReleases(
        deps,
        actorOf(request),
        principalOf(request).forceId,
        found.id,
        freeTextFields.values.map((f) => ({
          field: f,
          release: form[`release-${f}`] !== 'withhold',
          redactedText: form[`release-${f}`] === 'redacted' ? (form[`redacted-${f}`] ?? '') : null,
        })),
      )
      return reply.redirect(`/scrutiny/samples/${sample.id}/cases/${found.caseNumber}?done=released`, 303)
    },
  )

  // ---------------------------------------------------------------- re-draw and compare: both sides
  async function renderVerify(request: FastifyRequest, reply: FastifyReply, side: Side) {
    const sample = await sampleFor(request, side)
    const principal = principalOf(request)
    const cases = await casesOfSample(db, sample.id)
    const requests = sample.strata.map((s) => ({ stratum: s.stratum as Stratum, size: s.requested }))
    const recorded: Candidate[] = sample.candidates.map(([key, stratum]) => ({ key, stratum: stratum as Stratum }))
    // 1. From the candidates recorded at the draw: proves the draw followed from the seed.
    const fromRecorded = drawSample(sample.seed, requests, recorded)
    const drawnNow = cases.map((c) => ({ key: c.reportId, stratum: c.stratum }))
    // 2. From the records as they are today: shows whether the candidate list was (and still is) faithful.
    const current = await candidatesFor(
      db,
      principal.forceId,
      { from: sample.periodFrom, to: sample.periodTo },
      new Set(requests.map((r) => r.stratum)),
    )
    const fromCurrent = drawSample(sample.seed, requests, current)
    const recordedKeys = new Map(recorded.map((c) => [c.key, c.stratum]))
    const currentKeys = new Map(current.map((c) => [c.key, c.stratum]))
    return reply.render('scrutiny/views/verify.njk', {
      pageTitle: 'Draw the sample again',
      side,
      sample: sampleView(sample),
      base: base(side, sample),
      recorded: compareDraws(drawnNow, fromRecorded.drawn),
      fingerprintMatches: fromRecorded.fingerprint === sample.fingerprint,
      current: compareDraws(drawnNow, fromCurrent.drawn),
      currentFingerprint: fromCurrent.fingerprint,
      candidateChanges: {
        added: [...currentKeys.keys()].filter((k) => !recordedKeys.has(k)).length,
        removed: [...recordedKeys.keys()].filter((k) => !currentKeys.has(k)).length,
        moved: [...currentKeys].filter(([k, s]) => recordedKeys.has(k) && recordedKeys.get(k) !== s).length,
      },
      candidateCount: recorded.length,
    })
  }

  app.get('/scrutiny/samples/:id/verify', { config: { access: 'scrutiny.manage' } }, (request, reply) =>
    renderVerify(request, reply, 'force'),
  )
  app.get('/panel/samples/:id/verify', { config: { access: 'scrutiny.review' } }, (request, reply) =>
    renderVerify(request, reply, 'panel'),
  )

  // ---------------------------------------------------------------- the summary to publish: both sides
  async function renderSummary(request: FastifyRequest, reply: FastifyReply, side: Side) {
    const sample = await sampleFor(request, side)
    const cases = await casesOfSample(db, sample.id)
    const withFinding = cases.filter((c) => c.finding !== null)
    const byFinding = protectTable(
      oneWayTable(findings.values.map((f) => withFinding.filter((c) => c.finding === f).length)),
    )
    // Themes overlap (a case can have several), so they have no total: each count is protected on its own.
    const themeCounts = themes.values.map((t) => withFinding.filter((c) => c.themes.includes(t)).length)
    const byTheme = protectTable({ values: themeCounts, sums: [] })
    return reply.render('scrutiny/views/summary.njk', {
      pageTitle: 'Panel summary',
      side,
      sample: sampleView(sample),
      base: base(side, sample),
      cases: cases.length,
      reviewed: withFinding.length,
      findingRows: [
        ...findings.codes.map((f, i) => ({
          label: f.label,
          value: displayValue(byFinding.values[i] ?? { status: 'suppressed' }),
        })),
        {
          label: 'Total',
          value: displayValue(byFinding.values[findings.values.length] ?? { status: 'suppressed' }),
          total: true,
        },
      ],
      themeRows: themes.codes.map((t, i) => ({
        label: t.label,
        value: displayValue(byTheme.values[i] ?? { status: 'suppressed' }),
      })),
      statement: byFinding.statement,
      symbol: SUPPRESSED_SYMBOL,
    })
  }

  app.get('/scrutiny/samples/:id/summary', { config: { access: 'scrutiny.manage' } }, (request, reply) =>
    renderSummary(request, reply, 'force'),
  )
  app.get('/panel/samples/:id/summary', { config: { access: 'scrutiny.review' } }, (request, reply) =>
    renderSummary(request, reply, 'panel'),
  )

  // ---------------------------------------------------------------- a member's panels
  app.get('/panel', { config: { access: 'scrutiny.review' } }, async (request, reply) => {
    const principal = principalOf(request)
    const panels = await panelsOfMember(db, principal.forceId, principal.userId)
    const withSamples = await Promise.all(panels.map(async (p) => ({ ...p, samples: await samplesOfPanel(db, p.id) })))
    return reply.render('scrutiny/views/panel-home.njk', { pageTitle: 'Your scrutiny panel', panels: withSamples })
  })

  // ---------------------------------------------------------------- feedback to officers and supervisors
  app.get('/scrutiny-feedback', { config: { access: 'scrutiny.feedback' } }, async (request, reply) => {
    const principal = principalOf(request)
    const items = await feedbackFor(db, scopeFilter(principal, 'scrutiny.feedback'))
    return reply.render('scrutiny/views/feedback.njk', {
      pageTitle: 'Scrutiny panel feedback',
      items: items.map((i) => ({
        ...i,
        month: coarseMonth(i.month),
        finding: findingItem(i.finding),
        themes: i.themes.map((t) => themes.label(t as Theme)),
      })),
      canSeeReports: hasPermission(principal, 'reports.view'),
      canSeeTeam: scopeFilter(principal, 'scrutiny.feedback').kind === 'subtree',
    })
  })

  app.get('/scrutiny/method', { config: { access: 'signed-in' } }, (_request, reply) =>
    reply.render('scrutiny/views/method.njk', { pageTitle: 'How samples are drawn', algorithm: SAMPLING_ALGORITHM }),
  )
}
