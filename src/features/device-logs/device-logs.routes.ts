import type { FastifyInstance, FastifyReply } from 'fastify'
import { z } from 'zod'
import type { Clock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import type { LineError } from '../../domain/imports/line-errors.js'
import { actorOf, principalOf } from '../../web/access.js'
import { paging } from '../../web/pagination.js'
import { HttpError } from '../../web/errors.js'
import { hasPermission } from '../auth/policy.js'
import { runReconciliation } from '../reconciliation/reconciliation.service.js'
import { findDeviceLogImport, listCameraImports, listDeviceLogImports } from './device-logs.repository.js'
import { importCameraEvents, importDeviceLog } from './device-logs.service.js'
import { acceptFileUploads, rejectedFileSummary, uploadedFile } from '../../web/uploads.js'

/** An X2 holds about 16,000 events (~1 MB as text); 20 MB leaves room for any device and a year of camera data. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024
const PAGE_SIZE = 25

const listQuery = z.object({
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
  camera: z.enum(['imported', 'duplicate']).optional().catch(undefined),
})
const idParams = z.object({ id: z.uuid() })
const noticeQuery = z.object({
  done: z.enum(['imported', 'duplicate']).optional().catch(undefined),
})

/** Device-log and camera-recording uploads, and the history of every import. */
export async function deviceLogRoutes(app: FastifyInstance, { db, clock }: { db: Db; clock: Clock }) {
  await acceptFileUploads(app, MAX_UPLOAD_BYTES)

  const deps = { db, clock }

  function renderUpload(
    reply: FastifyReply,
    kind: 'device-log' | 'camera-events',
    problem: { summary: string; lines?: LineError[]; fileName?: string } | null = null,
  ) {
    const errors = problem ? [{ href: '#file', text: problem.summary }] : []
    return reply.code(problem ? 400 : 200).render('device-logs/views/upload.njk', {
      pageTitle: kind === 'device-log' ? 'Import a device log' : 'Import camera recordings',
      kind,
      maxMegabytes: MAX_UPLOAD_BYTES / 1024 / 1024,
      errors,
      fieldErrors: problem ? { file: { text: problem.summary } } : {},
      lineErrors: problem?.lines ?? [],
      fileName: problem?.fileName,
    })
  }

  function fileProblem(file: 'missing' | 'too-large', kind: 'device-log' | 'camera-events') {
    return file === 'missing'
      ? { summary: kind === 'device-log' ? 'Select a device log file' : 'Select a camera recordings file' }
      : { summary: `The file must be smaller than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB` }
  }

  function rejected(errors: LineError[], fileName: string) {
    return {
      summary: rejectedFileSummary(errors.length),
      lines: errors,
      fileName,
    }
  }

  app.get('/device-logs', { config: { access: 'device-logs.view' } }, async (request, reply) => {
    const { page, camera } = listQuery.parse(request.query)
    const principal = principalOf(request)
    const { imports, total } = await listDeviceLogImports(db, principal.forceId, { page, pageSize: PAGE_SIZE })
    return reply.render('device-logs/views/imports.njk', {
      pageTitle: 'Device logs',
      imports,
      total,
      paging: paging({ page, pageSize: PAGE_SIZE }, total, (p) => `/device-logs?page=${p}`),
      cameraImports: await listCameraImports(db, principal.forceId, 10),
      canImport: hasPermission(principal, 'device-logs.import'),
      notice:
        camera === 'imported'
          ? 'Camera recordings imported and every device reconciled'
          : camera === 'duplicate'
            ? 'This camera file was imported before, so nothing has changed'
            : null,
    })
  })

  app.get('/device-logs/import', { config: { access: 'device-logs.import' } }, async (_request, reply) =>
    renderUpload(reply, 'device-log'),
  )

  app.post('/device-logs/import', { config: { access: 'device-logs.import' } }, async (request, reply) => {
    const file = uploadedFile(request.body)
    if (typeof file === 'string') return renderUpload(reply, 'device-log', fileProblem(file, 'device-log'))
    const principal = principalOf(request)
    const actor = actorOf(request)
    const outcome = await importDeviceLog(deps, actor, principal.forceId, file)
    if (outcome.status === 'rejected') return renderUpload(reply, 'device-log', rejected(outcome.errors, file.name))
    if (outcome.status === 'imported')
      await runReconciliation(deps, actor, principal.forceId, { deviceId: outcome.deviceId })
    return reply.redirect(`/device-logs/imports/${outcome.importId}?done=${outcome.status}`, 303)
  })

  app.get('/device-logs/imports/:id', { config: { access: 'device-logs.view' } }, async (request, reply) => {
    const parsed = idParams.safeParse(request.params)
    if (!parsed.success) throw new HttpError(404, 'Page not found')
    const principal = principalOf(request)
    const found = await findDeviceLogImport(db, principal.forceId, parsed.data.id)
    if (!found) throw new HttpError(404, 'Page not found')
    const { done } = noticeQuery.parse(request.query)
    const exceptions = await db
      .selectFrom('reconciliation_exceptions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('force_id', '=', principal.forceId)
      .where('device_id', '=', found.deviceId)
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow()
    return reply.render('device-logs/views/import.njk', {
      pageTitle: `Device log ${found.deviceSerial}`,
      log: {
        ...found,
        driftSeconds: Math.round((found.deviceClockAtDownload.getTime() - found.downloadedAt.getTime()) / 1000),
      },
      openExceptions: Number(exceptions.n),
      notice:
        done === 'imported'
          ? `Imported ${found.eventCount.toLocaleString('en-GB')} events (${found.newEventCount.toLocaleString('en-GB')} new) and reconciled the device`
          : done === 'duplicate'
            ? 'This file was imported before, so nothing has changed'
            : null,
    })
  })

  app.get('/device-logs/camera-events/import', { config: { access: 'device-logs.import' } }, async (_request, reply) =>
    renderUpload(reply, 'camera-events'),
  )

  app.post(
    '/device-logs/camera-events/import',
    { config: { access: 'device-logs.import' } },
    async (request, reply) => {
      const file = uploadedFile(request.body)
      if (typeof file === 'string') return renderUpload(reply, 'camera-events', fileProblem(file, 'camera-events'))
      const principal = principalOf(request)
      const actor = actorOf(request)
      const outcome = await importCameraEvents(deps, actor, principal.forceId, file)
      if (outcome.status === 'rejected')
        return renderUpload(reply, 'camera-events', rejected(outcome.errors, file.name))
      if (outcome.status === 'imported') await runReconciliation(deps, actor, principal.forceId)
      return reply.redirect(`/device-logs?camera=${outcome.status}`, 303)
    },
  )
}
