import type { FastifyInstance, FastifyReply } from 'fastify'
import { z } from 'zod'
import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import { formatMonth, londonDate, MONTH, monthOf, shiftMonth } from '../../domain/calendar.js'
import { CSV_MEDIA_TYPE } from '../../lib/spreadsheets/csv.js'
import { actorOf, principalOf } from '../../web/access.js'
import { parseForm } from '../../web/forms.js'
import { errorContext, type FieldError } from '../../web/render.js'
import { agreementById, agreements } from './agreements.js'
import { createExtract, recentExtracts } from './data-sharing.service.js'

/** Months offered: the current one and the five years before it. */
const MONTHS_OFFERED = 60

/**
 * Data-sharing extracts: the analyst chooses an agreement and a period and downloads the CSV; each download is in
 * the audit ledger, and the page lists the latest with their sha-256, so a recipient's file can be matched to its entry.
 */
export async function dataSharingRoutes(app: FastifyInstance, { db, clock }: { db: Db; clock: Clock }) {
  const extractForm = () => {
    const thisMonth = monthOf(londonDate(clock()))
    const month = (message: string) =>
      z
        .string({ error: message })
        .regex(MONTH, message)
        .refine((m) => m <= thisMonth && m > shiftMonth(thisMonth, -MONTHS_OFFERED), message)
    return z
      .object({
        agreement: z
          .string({ error: 'Select the agreement to extract data for' })
          .refine((id) => agreementById(id) !== undefined, 'Select the agreement to extract data for'),
        from: month('Select the first month of the period'),
        to: month('Select the last month of the period'),
      })
      .refine((v) => v.from <= v.to, { path: ['to'], message: 'The last month must be the same as or after the first' })
  }

  async function render(
    reply: FastifyReply,
    forceId: string,
    values: { agreement?: string; from: string; to: string },
    errors: FieldError[] = [],
  ) {
    const thisMonth = monthOf(londonDate(clock()))
    const monthItems = (selected: string) =>
      Array.from({ length: MONTHS_OFFERED }, (_, n) => shiftMonth(thisMonth, -n)).map((m) => ({
        value: m,
        text: formatMonth(m),
        selected: m === selected,
      }))
    const names = new Map(agreements.map((a) => [a.id, a.recipient]))
    return reply.code(errors.length ? 400 : 200).render('data-sharing/views/data-sharing.njk', {
      pageTitle: 'Data-sharing extracts',
      agreementItems: agreements.map((a) => ({
        value: a.id,
        text: a.title,
        hint: { text: `${a.purpose} One line per ${a.rowIs.replace(/^one /, '')}.` },
        checked: a.id === values.agreement,
      })),
      agreements,
      fromItems: monthItems(values.from),
      toItems: monthItems(values.to),
      extracts: (await recentExtracts(db, forceId)).map((e) => ({
        ...e,
        recipient: names.get(e.agreement) ?? e.agreement,
        period: e.from === e.to ? formatMonth(e.from) : `${formatMonth(e.from)} to ${formatMonth(e.to)}`,
      })),
      ...errorContext(errors),
    })
  }

  app.get('/data-sharing', { config: { access: 'data-sharing.extract' } }, async (request, reply) => {
    // The last 12 complete months unless chosen otherwise.
    const to = shiftMonth(monthOf(londonDate(clock())), -1)
    return render(reply, principalOf(request).forceId, { from: shiftMonth(to, -11), to })
  })

  app.post('/data-sharing', { config: { access: 'data-sharing.extract' } }, async (request, reply) => {
    const principal = principalOf(request)
    const parsed = parseForm(extractForm(), request.body)
    if (!parsed.ok) {
      const body = (request.body ?? {}) as Record<string, unknown>
      const text = (v: unknown) => (typeof v === 'string' ? v : '')
      return render(
        reply,
        principal.forceId,
        { agreement: text(body.agreement), from: text(body.from), to: text(body.to) },
        parsed.errors,
      )
    }
    const agreement = agreementById(parsed.value.agreement)
    if (!agreement) throw new Error('agreement checked by the form schema')
    const force = await db
      .selectFrom('forces')
      .select('code')
      .where('id', '=', principal.forceId)
      .executeTakeFirstOrThrow()
    const extract = await createExtract(
      { db, clock },
      {
        forceId: principal.forceId,
        forceCode: force.code,
        actor: actorOf(request),
        agreement,
        period: { from: parsed.value.from, to: parsed.value.to },
      },
    )
    return reply
      .header('content-type', CSV_MEDIA_TYPE)
      .header('content-disposition', `attachment; filename="${extract.fileName}"`)
      .header('cache-control', 'no-store')
      .send(extract.csv)
  })
}
