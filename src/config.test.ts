import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './config.js'

describe('loadConfig', () => {
  it('gives a working local configuration with no variables at all', () => {
    const config = loadConfig({})
    expect(config.port).toBe(3000)
    expect(config.database).toEqual({ kind: 'pglite', dataDir: './.data/pglite' })
    expect(config.demoMode).toBe(true)
    expect(config.session.secureCookies).toBe(false)
  })

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@localhost:5432/db' }).database).toEqual({
      kind: 'postgres',
      url: 'postgres://u:p@localhost:5432/db',
    })
  })

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' })).toMatchObject({ port: 3000, database: { kind: 'pglite' } })
  })

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError)
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/)
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must be a postgres/)
  })

  it('refuses production without a session secret, and never seeds demo data in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET: is required/)
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'short' })).toThrow(/SESSION_SECRET/)
    const secret = 'x'.repeat(32)
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: secret, DEMO_MODE: 'true' })).toThrow(/DEMO_MODE/)
    const production = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: secret })
    expect(production.demoMode).toBe(false)
    expect(production.session.secureCookies).toBe(true)
  })
})
