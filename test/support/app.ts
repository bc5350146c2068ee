import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.js'
import { systemClock, type Clock } from '../../src/clock.js'
import { loadConfig, type Config } from '../../src/config.js'
import type { DatabaseHandle } from '../../src/db/database.js'
import { DEMO_PASSWORD } from '../../src/db/seed/seed-demo.js'
import { testDatabase } from './database.js'

export interface TestApp {
  app: FastifyInstance
  database: DatabaseHandle
  config: Config
  close(): Promise<void>
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...overrides })
}

/** The app on a private copy of the demo database, driven in-process with inject(). */
export async function testApp(options: { clock?: Clock; env?: Record<string, string> } = {}): Promise<TestApp> {
  const database = await testDatabase()
  const config = testConfig(options.env)
  const app = await buildApp({ config, db: database.db, clock: options.clock ?? systemClock, logger: false })
  await app.ready()
  return {
    app,
    database,
    config,
    async close() {
      await app.close()
      await database.close()
    },
  }
}

/** Cookies from a response's set-cookie headers, as one Cookie request header (later values win). */
export class CookieJar {
  private readonly cookies = new Map<string, string>()

  store(setCookie: string | string[] | undefined) {
    for (const header of [setCookie ?? []].flat()) {
      const [pair] = header.split(';')
      const eq = pair!.indexOf('=')
      const name = pair!.slice(0, eq).trim()
      const value = pair!.slice(eq + 1).trim()
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(header)) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }
}

export function csrfTokenFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html)
  if (!match) throw new Error('no CSRF token on the page')
  return match[1]!
}

/** A browser-like client: keeps cookies, and fetches a CSRF token from a page before each form post. */
export class Browser {
  readonly jar = new CookieJar()

  constructor(private readonly app: FastifyInstance) {}

  async get(url: string) {
    const response = await this.app.inject({ method: 'GET', url, headers: { cookie: this.jar.header() } })
    this.jar.store(response.headers['set-cookie'])
    return response
  }

  /** Posts a form as the page at `from` would, with that page's CSRF token. */
  async post(url: string, form: Record<string, string | string[]>, from = url) {
    const page = await this.get(from)
    const body = new URLSearchParams()
    body.append('_csrf', csrfTokenFrom(page.body))
    for (const [key, value] of Object.entries(form)) for (const v of [value].flat()) body.append(key, v)
    const response = await this.app.inject({
      method: 'POST',
      url,
      headers: { cookie: this.jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    })
    this.jar.store(response.headers['set-cookie'])
    return response
  }

  /**
   * Uploads a file in the field `file` as the page at `from` would: a multipart form with that page's CSRF token,
   * or with `csrfToken` to test a forged one.
   */
  async upload(
    url: string,
    file: { name: string; content: string | Uint8Array },
    { from = url, csrfToken }: { from?: string; csrfToken?: string } = {},
  ) {
    const page = await this.get(from)
    const boundary = '----forceledger-test'
    const head =
      `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrfToken ?? csrfTokenFrom(page.body)}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
      `Content-Type: application/octet-stream\r\n\r\n`
    const payload = Buffer.concat([
      Buffer.from(head),
      Buffer.from(file.content),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ])
    const response = await this.app.inject({
      method: 'POST',
      url,
      headers: { cookie: this.jar.header(), 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    })
    this.jar.store(response.headers['set-cookie'])
    return response
  }

  async signIn(username: string, password = DEMO_PASSWORD) {
    const response = await this.post('/sign-in', { username, password }, '/sign-in')
    if (response.statusCode !== 303) throw new Error(`sign-in as ${username} failed: ${response.statusCode}`)
    return response
  }
}
