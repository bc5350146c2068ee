import { randomUUID } from 'node:crypto'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import formbody from '@fastify/formbody'
import fastifyStatic from '@fastify/static'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { systemClock, type Clock } from './clock.js'
import type { Config } from './config.js'
import type { Db } from './db/database.js'
import { adminRoutes } from './features/admin/admin.routes.js'
import { apiDocsRoutes } from './features/api-docs/api-docs.routes.js'
import { auditRoutes } from './features/audit/audit.routes.js'
import { comparatorRoutes } from './features/comparators/comparators.routes.js'
import { statisticsRoutes } from './features/statistics/statistics.routes.js'
import { authorisationRoutes } from './features/authorisations/authorisations.routes.js'
import { threatAssessmentRoutes } from './features/threat-assessment/threat-assessment.routes.js'
import { apiTokenRoutes } from './features/auth/api-tokens.routes.js'
import { authRoutes } from './features/auth/auth.routes.js'
import { ssoRoutes } from './features/sso/sso.routes.js'
import { deviceLogRoutes } from './features/device-logs/device-logs.routes.js'
import { healthRoutes } from './features/health/health.routes.js'
import { taserAuthorityPanel } from './features/training/home-panel.js'
import { trainingRoutes } from './features/training/training.routes.js'
import { retentionRoutes } from './features/retention/retention.routes.js'
import { armouryRoutes } from './features/armoury/armoury.routes.js'
import { earlyInterventionPanel } from './features/early-intervention/home-panel.js'
import { earlyInterventionRoutes } from './features/early-intervention/early-intervention.routes.js'
import { homeRoutes } from './features/home/home.routes.js'
import { peopleRoutes } from './features/people/people.routes.js'
import { reconciliationRoutes } from './features/reconciliation/reconciliation.routes.js'
import { referralRoutes } from './features/referrals/referrals.routes.js'
import { scrutinyRoutes } from './features/scrutiny/scrutiny.routes.js'
import { reportsApiRoutes } from './features/reports/api.routes.js'
import { reportFormRoutes } from './features/reports/form/form.routes.js'
import { overdueDraftsPanel } from './features/reports/form/home-panel.js'
import { reviewPanel } from './features/review/home-panel.js'
import { reviewRoutes } from './features/review/review.routes.js'
import { welfarePanel } from './features/welfare/home-panel.js'
import { welfareRoutes } from './features/welfare/welfare.routes.js'
import { dashboardRoutes } from './features/dashboards/dashboards.routes.js'
import { dataSharingRoutes } from './features/data-sharing/data-sharing.routes.js'
import { publishingRoutes } from './features/transparency/publishing.routes.js'
import { homeOfficeTables } from './features/transparency/table-source.js'
import { transparencyRoutes } from './features/transparency/transparency.routes.js'
import { accessPlugin } from './web/access.js'
import { errorsPlugin } from './web/errors.js'
import { renderPlugin } from './web/render.js'
import { securityPlugin } from './web/security.js'
import { sessionPlugin } from './web/session.js'

export interface AppDeps {
  config: Config
  db: Db
  clock?: Clock
  /** Pino options, or false for no logs (tests). */
  logger?: FastifyServerOptions['logger']
}

const publicDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../public')

// A request id from the caller is kept only if it looks like one, so log lines cannot be forged through it.
const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/

/** Logs carry the request id, method, path and status: no query strings, addresses, names or bodies. */
export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    serializers: {
      req: (req) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
      res: (res) => ({ statusCode: res.statusCode }),
    },
  }
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, db } = deps
  const clock = deps.clock ?? systemClock
  const app = Fastify({
    logger: deps.logger ?? loggerOptions(config.logLevel),
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
    },
    bodyLimit: 1024 * 1024,
    trustProxy: config.env === 'production',
  })
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })

  await app.register(errorsPlugin)
  await app.register(securityPlugin, { config })
  await app.register(sessionPlugin, { config, db, clock })
  // After the session plugin: its onRequest hook must know who is signed in before access is checked.
  await app.register(accessPlugin)
  await app.register(renderPlugin, { config })
  await app.register(formbody)

  // Static files through routes of our own, so they declare their access like every other route.
  await app.register(fastifyStatic, { root: publicDir, serve: false, maxAge: config.env === 'production' ? '1d' : 0 })
  for (const folder of ['stylesheets', 'javascripts', 'assets']) {
    app.get(`/${folder}/*`, { config: { access: 'public' }, logLevel: 'warn' }, (request, reply) =>
      reply.sendFile(`${folder}/${(request.params as { '*': string })['*']}`),
    )
  }

  await app.register(healthRoutes, { db })
  await app.register(authRoutes, { db, clock, config })
  await app.register(ssoRoutes, { db, clock, config })
  await app.register(homeRoutes, {
    panels: [
      overdueDraftsPanel({ db, clock }),
      taserAuthorityPanel({ db, clock }),
      reviewPanel({ db }),
      earlyInterventionPanel({ db }),
      welfarePanel({ db }),
    ],
  })
  await app.register(peopleRoutes, { db })
  await app.register(adminRoutes, { db, clock })
  await app.register(auditRoutes, { db, clock })
  await app.register(comparatorRoutes, { db })
  await app.register(reportsApiRoutes, { db, clock })
  await app.register(reportFormRoutes, { db, clock })
  await app.register(apiDocsRoutes)
  await app.register(apiTokenRoutes, { db, clock })
  await app.register(trainingRoutes, { db, clock })
  await app.register(armouryRoutes, { db, clock })
  await app.register(authorisationRoutes, { db, clock })
  await app.register(threatAssessmentRoutes, { db, clock })
  await app.register(deviceLogRoutes, { db, clock })
  await app.register(reconciliationRoutes, { db, clock })
  await app.register(reviewRoutes, { db, clock })
  await app.register(referralRoutes, { db, clock })
  await app.register(scrutinyRoutes, { db, clock })
  await app.register(earlyInterventionRoutes, { db, clock })
  await app.register(welfareRoutes, { db, clock })
  await app.register(dashboardRoutes, { db, clock })
  await app.register(dataSharingRoutes, { db, clock })
  await app.register(statisticsRoutes, { db, clock })
  await app.register(retentionRoutes, { db, clock })
  await app.register(transparencyRoutes, { db })
  await app.register(publishingRoutes, { db, clock, tables: homeOfficeTables })
  return app
}
