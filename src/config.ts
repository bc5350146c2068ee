import { z } from 'zod'
import { parseSsoConfig, type SsoConfig } from './features/sso/sso.config.js'

/**
 * Every environment variable the app reads, parsed once. Local defaults make `npm start` work on a fresh clone;
 * production refuses to start without the secrets it needs.
 */
const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection URL')
      .optional(),
    /** PostgreSQL connections per app process (default 10): raise it for a server with more cores. */
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).optional(),
    DATA_DIR: z.string().min(1).default('./.data/pglite'),
    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    SESSION_IDLE_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
    SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(72).default(12),
    /** How often the server runs its scheduled jobs (src/features/jobs/); 0 leaves them to `forceledger run-jobs`. */
    JOBS_INTERVAL_MINUTES: z.coerce
      .number()
      .int()
      .min(0)
      .max(24 * 60)
      .default(5),
    DEMO_MODE: z.enum(['true', 'false']).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.SESSION_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'is required when NODE_ENV=production' })
    }
    if (env.NODE_ENV === 'production' && env.DEMO_MODE === 'true') {
      ctx.addIssue({ code: 'custom', path: ['DEMO_MODE'], message: 'cannot be true when NODE_ENV=production' })
    }
  })

export interface Config {
  env: 'development' | 'test' | 'production'
  port: number
  host: string
  database: { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string; poolMax?: number }
  session: { secret: string; idleMinutes: number; absoluteHours: number; secureCookies: boolean }
  /** Demo mode seeds the demo force and shows the demo banner; never in production. */
  demoMode: boolean
  logLevel: string
  jobsIntervalMinutes: number
  /** Single sign-on with OpenID Connect (SSO_* variables), or null when SSO_ISSUER_URL is unset. */
  sso: SsoConfig | null
}

export class ConfigError extends Error {}

// Used only outside production, where the sessions hold demo data; production requires SESSION_SECRET.
const localSessionSecret = 'forceledger-local-development-secret-not-for-production'

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`DATABASE_URL=`) means unset, as it does to most shells' users.
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')))
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`)
    throw new ConfigError(`Invalid environment configuration:\n${lines.join('\n')}`)
  }
  const e = parsed.data
  const production = e.NODE_ENV === 'production'
  const sso = parseSsoConfig(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')), production)
  if (!sso.ok)
    throw new ConfigError(`Invalid environment configuration:\n${sso.issues.map((i) => `  ${i}`).join('\n')}`)
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, ...(e.DATABASE_POOL_MAX ? { poolMax: e.DATABASE_POOL_MAX } : {}) }
      : { kind: 'pglite', dataDir: e.DATA_DIR },
    session: {
      secret: e.SESSION_SECRET ?? localSessionSecret,
      idleMinutes: e.SESSION_IDLE_MINUTES,
      absoluteHours: e.SESSION_ABSOLUTE_HOURS,
      secureCookies: production,
    },
    demoMode: production ? false : e.DEMO_MODE !== 'false',
    logLevel: e.LOG_LEVEL,
    jobsIntervalMinutes: e.JOBS_INTERVAL_MINUTES,
    sso: sso.value,
  }
}
