import type { FastifyRequest } from 'fastify'
import { accountOf, actorOf, principalOf } from '../../web/access.js'
import type { Caller } from './reports.service.js'

/** Who is asking, as the reports service needs it: permissions, the audit actor, and where the officer works. */
export function callerOf(request: FastifyRequest): Caller {
  return {
    principal: principalOf(request),
    actor: actorOf(request),
    officerUnitId: accountOf(request).personUnitId,
    apiTokenHash: request.apiTokenHash,
  }
}
