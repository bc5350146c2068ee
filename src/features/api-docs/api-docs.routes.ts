import type { FastifyInstance } from 'fastify'
import { validSubmissionExample } from './example.js'
import { endpoints, openApiDocument } from './openapi.js'

/** The API's description: the OpenAPI document for tools, and a readable page for people. */
export async function apiDocsRoutes(app: FastifyInstance) {
  const document = openApiDocument()
  app.get('/api/v1/openapi.json', { config: { access: 'public', csrf: false } }, async () => document)
  app.get('/developers/api', { config: { access: 'public' } }, async (_request, reply) =>
    reply.render('api-docs/views/api-docs.njk', {
      pageTitle: 'ForceLedger API',
      endpoints,
      example: JSON.stringify(validSubmissionExample, null, 2),
    }),
  )
}
