import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the app under test listens, such as http://127.0.0.1:41234 (no trailing slash). */
    baseUrl: string
  }
}

const root = fileURLToPath(new URL('../../..', import.meta.url))
// A cold PGlite start, the migrations and the demo seed take ~20 s here; allow for a slow machine.
const READY_TIMEOUT_MS = 90_000
const STOP_TIMEOUT_MS = 15_000

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
// A deadline that does not keep Vitest's process alive once the app has gone.
const deadline = (ms: number) => new Promise<null>((resolve) => setTimeout(() => resolve(null), ms).unref())

/**
 * Starts the real app as `npm start` would (without rebuilding the assets, which `npm run test:e2e` has just done)
 * on a free port with a fresh data directory, so it migrates and seeds the demo force. Tests read the address
 * with inject('baseUrl').
 */
export default async function setup(project: TestProject) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'forceledger-e2e-'))
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // Vitest sets NODE_ENV=test; a user's `npm start` runs in development.
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    TZ: 'Europe/London',
  }
  // Always the embedded database with the demo force, even when the unit suite is pointed at PostgreSQL.
  delete env.DATABASE_URL
  delete env.DEMO_MODE

  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `code ${code}`))
  })
  let exitedWith: string | null = null
  void exited.then((how) => (exitedWith = how))

  const cleanUp = () => rm(dataDir, { recursive: true, force: true })
  const started = Date.now()
  try {
    for (;;) {
      if (exitedWith) throw new Error(`The app exited (${exitedWith}) before it was ready:\n${output}`)
      if (Date.now() - started > READY_TIMEOUT_MS) {
        throw new Error(`The app was not ready within ${READY_TIMEOUT_MS / 1000} s:\n${output}`)
      }
      const ready = await fetch(`${baseUrl}/readyz`).then(
        (response) => response.ok,
        () => false,
      )
      if (ready) break
      await sleep(250)
    }
  } catch (error) {
    child.kill('SIGKILL')
    await exited
    await cleanUp()
    throw error
  }
  console.log(`ForceLedger ready at ${baseUrl} after ${((Date.now() - started) / 1000).toFixed(1)} s`)
  project.provide('baseUrl', baseUrl)

  return async () => {
    // Exiting before teardown, even cleanly, means something stopped the app under the tests.
    if (exitedWith) {
      await cleanUp()
      throw new Error(`The app exited (${exitedWith}) while the tests were running:\n${output}`)
    }
    // The app closes the server and the database on SIGTERM; only a hang earns SIGKILL.
    child.kill('SIGTERM')
    const how = await Promise.race([exited, deadline(STOP_TIMEOUT_MS)])
    if (how === null) {
      child.kill('SIGKILL')
      await exited
      await cleanUp()
      throw new Error(`The app did not stop within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM:\n${output}`)
    }
    await cleanUp()
    if (how !== 'code 0') throw new Error(`The app stopped with ${how}:\n${output}`)
    // Warnings and errors the app logged while the tests ran: a 500 behind a passing test should still be seen.
    if (output.trim()) console.warn(`The app logged:\n${output}`)
  }
}
