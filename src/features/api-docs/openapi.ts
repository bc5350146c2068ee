import { z } from 'zod'
import { reportBody, reportSubmission } from '../../domain/use-of-force/report.js'
import { amendmentRequest } from '../reports/api.routes.js'

/**
 * The OpenAPI 3.1 description of the JSON API, built from the same zod schemas the API validates with, so the
 * document cannot drift from what the server accepts.
 */
const schema = (s: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _draft, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' })
  return rest
}

const errorsSchema = {
  type: 'object',
  required: ['error', 'errors'],
  properties: {
    error: { type: 'string', description: 'A summary for people.' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: {
          path: { type: 'string', description: 'The field, as a dotted path such as cedUses.0.cycles.1.extended.' },
          message: { type: 'string', description: 'What is wrong and how to put it right.' },
        },
      },
    },
  },
}

const json = (ref: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } })
const problem = (description: string) => ({ description, content: json('Errors') })
const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }

export interface Endpoint {
  method: 'get' | 'post'
  path: string
  summary: string
  description: string
}

/** Every endpoint, in the order the docs page lists them. */
export const endpoints: (Endpoint & { operation: Record<string, unknown> })[] = [
  {
    method: 'post',
    path: '/api/v1/reports',
    summary: 'Submit a use-of-force report',
    description:
      'One officer’s use of force on one person. Give a new incident’s details, or the reference of an incident ' +
      'already recorded; likewise a new person, or the id of a person on that incident. Send an Idempotency-Key ' +
      'header so a retry after a network failure returns the first result (200 with Idempotent-Replayed: true) ' +
      'instead of creating a second report.',
    operation: {
      parameters: [
        {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          schema: { type: 'string', pattern: '^[A-Za-z0-9_:.-]{8,100}$' },
          description: 'A key you generate once per report, such as a UUID.',
        },
      ],
      requestBody: { required: true, content: json('ReportSubmission') },
      responses: {
        201: { description: 'Submitted', content: json('SubmittedReport') },
        200: {
          description: 'A retry with the same Idempotency-Key: the first result',
          content: json('SubmittedReport'),
        },
        400: problem('The report has problems: each is listed with its field'),
        401: problem('No valid API token'),
        403: problem('The account may not submit reports'),
        422: problem('The Idempotency-Key was used for a different report'),
      },
    },
  },
  {
    method: 'get',
    path: '/api/v1/reports',
    summary: 'List reports you may see',
    description: 'Newest first, 100 a page (?page=2 for the next). Officers see their own; supervisors their team’s.',
    operation: { responses: { 200: { description: 'A page of reports' }, 401: problem('No valid API token') } },
  },
  {
    method: 'get',
    path: '/api/v1/reports/{id}',
    summary: 'Read a report',
    description: 'The report’s current version, exactly as submitted or last amended. Each read is recorded.',
    operation: {
      parameters: [idParameter],
      responses: {
        200: { description: 'The report', content: json('Report') },
        404: problem('Not found, or not yours to see'),
      },
    },
  },
  {
    method: 'get',
    path: '/api/v1/reports/{id}/versions',
    summary: 'A report’s history',
    description: 'Every version with its author, time, reason and what changed from the one before.',
    operation: {
      parameters: [idParameter],
      responses: { 200: { description: 'The versions' }, 404: problem('Not found') },
    },
  },
  {
    method: 'post',
    path: '/api/v1/reports/{id}/amendments',
    summary: 'Amend your report',
    description:
      'Submitted reports are never overwritten. An amendment gives the whole corrected report, the version it ' +
      'corrects and the reason; the earlier version is kept.',
    operation: {
      parameters: [idParameter],
      requestBody: { required: true, content: json('AmendmentRequest') },
      responses: {
        200: { description: 'Amended: the new version and what changed' },
        400: problem('The amendment has problems'),
        404: problem('Not found, or not your report'),
        409: problem('The report has changed since the version you give'),
      },
    },
  },
  {
    method: 'get',
    path: '/api/v1/incidents/{reference}',
    summary: 'Find an incident by its reference',
    description: 'To add your report to an incident another officer has recorded: its details and the people on it.',
    operation: {
      parameters: [{ name: 'reference', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { 200: { description: 'The incident' }, 404: problem('No incident with that reference') },
    },
  },
  {
    method: 'get',
    path: '/api/v1/code-lists',
    summary: 'Every code list',
    description: 'The values and labels of every list in the report, for clients that build their own forms.',
    operation: { responses: { 200: { description: 'The code lists' } } },
  },
]

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const e of endpoints) {
    paths[e.path] = { ...paths[e.path], [e.method]: { summary: e.summary, description: e.description, ...e.operation } }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'ForceLedger API',
      version: '1.0.0',
      description:
        'Record use of force from mobile apps and other systems, with the same validation as the web form. ' +
        'Authenticate with an API token (Your account → API tokens) as `Authorization: Bearer flt_…`.',
    },
    servers: [{ url: '/' }],
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API token: flt_…' } },
      schemas: {
        ReportSubmission: schema(reportSubmission, 'input'),
        ReportBody: schema(reportBody, 'input'),
        Report: schema(reportBody, 'output'),
        AmendmentRequest: schema(amendmentRequest, 'input'),
        SubmittedReport: {
          type: 'object',
          required: ['id', 'reference', 'version', 'flags'],
          properties: {
            id: { type: 'string', format: 'uuid' },
            reference: { type: 'string', description: 'The incident reference, such as 2026-000123' },
            version: { type: 'integer' },
            flags: { type: 'object', description: 'What the answers mean for review and referral' },
          },
        },
        Errors: errorsSchema,
      },
    },
  }
}
