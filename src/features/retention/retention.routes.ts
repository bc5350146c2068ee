import type { FastifyInstance, FastifyReply } from 'fastify'
import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import { retainedRecords, type RetainedRecord } from '../../domain/retention/retention.js'
import { actorOf, principalOf } from '../../web/access.js'
import { errorContext, type FieldError } from '../../web/render.js'
import { retentionPeriods, saveRetentionPeriods } from './retention.service.js'

/** The force's retention periods for working records, for administrators. */
export async function retentionRoutes(app: FastifyInstance, { db, clock }: { db: Db; clock: Clock }) {
  const render = (reply: FastifyReply, values: Record<string, string>, errors: FieldError[] = [], saved = false) =>
    reply.code(errors.length ? 400 : 200).render('retention/views/retention.njk', {
      pageTitle: 'Retention',
      notice: saved ? 'Retention periods saved' : null,
      records: retainedRecords.codes.map((c) => ({ ...c, value: values[c.value] ?? '', key: c.value })),
      ...errorContext(errors),
    })

  app.get('/admin/retention', { config: { access: 'retention.manage' } }, async (request, reply) => {
    const periods = await retentionPeriods(db, principalOf(request).forceId)
    const saved = (request.query as { done?: string }).done === 'saved'
    return render(reply, Object.fromEntries(Object.entries(periods).map(([k, v]) => [k, String(v)])), [], saved)
  })

  app.post('/admin/retention', { config: { access: 'retention.manage' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>
    const values: Record<string, string> = {}
    const errors: FieldError[] = []
    const periods = {} as Record<RetainedRecord, number>
    for (const code of retainedRecords.codes) {
      const text = typeof body[code.value] === 'string' ? (body[code.value] as string).trim() : ''
      values[code.value] = text
      const days = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN
      if (!text) errors.push({ field: code.value, text: `Enter how many days to keep ${code.label.toLowerCase()}` })
      else if (!Number.isInteger(days))
        errors.push({
          field: code.value,
          text: `${code.label}: enter a whole number of days, like ${code.defaultDays}`,
        })
      else if (days < code.minDays || days > code.maxDays)
        errors.push({
          field: code.value,
          text: `${code.label}: enter a number of days from ${code.minDays} to ${code.maxDays.toLocaleString('en-GB')}`,
        })
      else periods[code.value] = days
    }
    if (errors.length) return render(reply, values, errors)
    await saveRetentionPeriods({ db, clock }, actorOf(request), principalOf(request).forceId, periods)
    return reply.redirect('/admin/retention?done=saved', 303)
  })
}
