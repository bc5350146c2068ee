import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Db } from '../../db/database.js'
import { HttpError } from '../../web/errors.js'
import { DOWNLOADS } from './downloads.js'
import { findFile, findVersion, listPublications } from './publications.service.js'
import { quarterLabel } from './quarters.js'
import { fileSize, tableView } from './table-view.js'

/**
 * The public transparency pages: no sign-in. Everything here is read from published versions, frozen when they were
 * published, so no figure is ever counted on request and no small count can appear that disclosure control hid.
 *
 * Caching: a download never changes (its name carries the version), so it may be cached for a year. Pages are
 * cached for five minutes by anyone when nobody is signed in; for a signed-in visitor the page carries their
 * navigation, so it is private.
 */
const versionParams = z.object({ id: z.uuid(), version: z.coerce.number().int().min(1).max(10_000) })
const fileParams = versionParams.extend({ file: z.enum(DOWNLOADS.map((d) => d.name)) })

function paramsOr404<S extends z.ZodType>(schema: S, request: FastifyRequest): z.output<S> {
  const parsed = schema.safeParse(request.params)
  if (!parsed.success) throw new HttpError(404, 'Page not found')
  return parsed.data
}

function pageCache(request: FastifyRequest, reply: FastifyReply) {
  reply.header('cache-control', request.principal ? 'private, no-cache' : 'public, max-age=300')
}

export async function transparencyRoutes(app: FastifyInstance, { db }: { db: Db }) {
  app.get('/transparency', { config: { access: 'public' } }, async (request, reply) => {
    const publications = await listPublications(db, null)
    pageCache(request, reply)
    return reply.render('transparency/views/index.njk', {
      pageTitle: 'Use of force statistics',
      publications: publications.map((p) => ({
        ...p,
        label: quarterLabel(p.period),
        latest: p.versions[0],
      })),
    })
  })

  app.get('/transparency/:id', { config: { access: 'public' } }, async (request, reply) => {
    const { id } = paramsOr404(z.object({ id: z.uuid() }), request)
    const latest = await findVersion(db, id, null)
    if (!latest) throw new HttpError(404, 'Page not found')
    pageCache(request, reply)
    return reply.redirect(`/transparency/${id}/versions/${latest.version}`, 302)
  })

  app.get('/transparency/:id/versions/:version', { config: { access: 'public' } }, async (request, reply) => {
    const { id, version } = paramsOr404(versionParams, request)
    const published = await findVersion(db, id, version)
    if (!published) throw new HttpError(404, 'Page not found')
    pageCache(request, reply)
    const label = quarterLabel(published.period)
    return reply.render('transparency/views/version.njk', {
      pageTitle: `Use of force statistics, ${label}, version ${published.version}`,
      p: published,
      label,
      tables: published.tables.map(tableView),
      downloads: published.files.map((f) => ({
        href: `/transparency/${id}/versions/${version}/${f.name}`,
        text: DOWNLOADS.find((d) => d.name === f.name)?.label ?? f.name,
        size: fileSize(f.size),
        sha256: f.sha256,
      })),
    })
  })

  app.get('/transparency/:id/versions/:version/:file', { config: { access: 'public' } }, async (request, reply) => {
    const { id, version, file } = paramsOr404(fileParams, request)
    const stored = await findFile(db, id, version, file)
    if (!stored) throw new HttpError(404, 'Page not found')
    const etag = `"${stored.sha256}"`
    reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('etag', etag)
      .header(
        'content-disposition',
        `attachment; filename="${downloadName(stored.force_name, { from: stored.period_from, to: stored.period_to }, version, file)}"`,
      )
    if (request.headers['if-none-match'] === etag) return reply.code(304).send()
    return reply.type(stored.media_type).send(Buffer.from(stored.bytes))
  })
}

/** 'demo-constabulary-use-of-force-2026-04-to-2026-06-v2-tables.ods': says what it is once saved. */
function downloadName(force: string, period: { from: string; to: string }, version: number, file: string): string {
  const slug = force
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
  return `${slug}-use-of-force-${period.from}-to-${period.to}-v${version}-${file}`
}
