import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabase } from '../test/support/database.js'
import { Browser, testConfig } from '../test/support/app.js'
import { buildApp, loggerOptions } from './app.js'
import type { DatabaseHandle } from './db/database.js'

let handle: DatabaseHandle
beforeAll(async () => {
  handle = await testDatabase()
})
afterAll(() => handle.close())

describe('structured logs', () => {
  it('are JSON lines with request ids, and carry no names, passwords, addresses or query strings', async () => {
    const lines: string[] = []
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean))
        done()
      },
    })
    const app = await buildApp({
      config: testConfig(),
      db: handle.db,
      logger: { ...(loggerOptions('info') as object), stream },
    })
    const browser = new Browser(app)
    await browser.get('/sign-in?returnTo=%2Fpeople%3Fq%3DOkafor')
    await browser.post('/sign-in', { username: 'analyst', password: 'wrong-password' }, '/sign-in')
    await browser.signIn('analyst')
    await browser.get('/people?q=Okafor')
    await app.close()

    const entries = lines.map((line) => JSON.parse(line) as { reqId?: string; req?: { path: string } })
    expect(entries.length).toBeGreaterThan(4)
    expect(entries.filter((e) => e.req).every((e) => typeof e.reqId === 'string' && !e.req!.path.includes('?'))).toBe(
      true,
    )
    const all = lines.join('\n')
    for (const secret of ['analyst', 'demo-password', 'wrong-password', 'Okafor', '127.0.0.1', 'Tomasz']) {
      expect(all).not.toContain(secret)
    }
  })
})
