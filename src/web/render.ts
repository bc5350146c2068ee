import type { FastifyInstance, FastifyReply } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { roleLabel } from '../domain/roles.js'
import { navigationFor } from './navigation.js'
import { createTemplateEnvironment } from './templates.js'

declare module 'fastify' {
  interface FastifyReply {
    /** Renders a page inside the service layout, with the context every page needs. */
    render(template: string, context?: Record<string, unknown>): FastifyReply
  }
}

export interface FieldError {
  /** The id of the field, without '#'. */
  field: string
  text: string
}

/** The shape govukErrorSummary wants, and a lookup for each field's errorMessage. */
export function errorContext(errors: FieldError[]) {
  return {
    errors: errors.map((e) => ({ href: `#${e.field}`, text: e.text })),
    fieldErrors: Object.fromEntries(errors.map((e) => [e.field, { text: e.text }])),
  }
}

export const renderPlugin = fp(async (app: FastifyInstance, { config }: { config: Config }) => {
  const env = createTemplateEnvironment()
  app.decorateReply(
    'render',
    function render(this: FastifyReply, template: string, context: Record<string, unknown> = {}) {
      const request = this.request
      const html = env.render(template, {
        serviceName: 'ForceLedger',
        serviceUrl: '/',
        demoMode: config.demoMode,
        cspNonce: this.cspNonce?.script,
        csrfToken: this.generateCsrf(),
        currentUser: request.account
          ? { displayName: request.account.displayName, roles: request.account.roles.map(roleLabel) }
          : null,
        currentPath: request.url,
        ...navigationFor(request.principal, request.url.split('?')[0] ?? '/'),
        ...context,
      })
      return this.type('text/html; charset=utf-8').send(html)
    },
  )
})
