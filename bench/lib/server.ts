import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { onInterrupt } from './cleanup.js'
import { processCpuMs } from './cpu.js'
import { repoRoot } from './paths.js'

/**
 * The app as production runs it, `node --import tsx src/main.ts`, in a process of its own: a server sharing the
 * benchmark's event loop would be slowed by the load generator and flatter nobody.
 */
export interface ServerProcess {
  origin: string
  pid: number
  cpuMs(): number
  stop(): Promise<void>
}

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

export async function startServer(options: {
  /** A PostgreSQL URL, or a PGlite data directory. */
  database: { url: string } | { dataDir: string }
  /** Write a V8 CPU profile of the server into this directory when it stops. */
  cpuProfileDir?: string
}): Promise<ServerProcess> {
  const port = await freePort()
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    SESSION_SECRET: randomBytes(32).toString('hex'),
    HOST: '127.0.0.1',
    PORT: String(port),
    DEMO_MODE: 'false',
    LOG_LEVEL: 'warn',
    // An empty DATABASE_URL means unset to the app's config: PGlite in DATA_DIR.
    DATABASE_URL: 'url' in options.database ? options.database.url : '',
    DATA_DIR: 'dataDir' in options.database ? options.database.dataDir : '',
  }
  const profile = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : []
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'src/main.ts'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const output: string[] = []
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString('utf8'))
    if (output.length > 200) output.shift()
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  let exited: number | null = null
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exited = code ?? -1
      resolve()
    }),
  )

  const origin = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  for (;;) {
    if (exited !== null) throw new Error(`server exited (${exited}) before it was ready:\n${output.join('')}`)
    try {
      const response = await fetch(`${origin}/readyz`)
      if (response.ok) break
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop(child, exit)
      throw new Error(`server not ready within 60 s:\n${output.join('')}`)
    }
    await sleep(100)
  }
  const pid = child.pid ?? 0
  const forget = onInterrupt(() => stop(child, exit))
  return {
    origin,
    pid,
    cpuMs: () => processCpuMs(pid),
    async stop() {
      forget()
      await stop(child, exit)
      const logged = output.join('').trim()
      if (logged) console.log(`  server said:\n${logged.replace(/^/gm, '    ')}`)
    },
  }
}

/** SIGTERM, which main.ts answers by closing the app and the database; SIGKILL if it has not gone in 15 s. */
async function stop(child: ChildProcess, exit: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  const timeout = sleep(15_000).then(() => 'timeout' as const)
  if ((await Promise.race([exit, timeout])) === 'timeout') {
    child.kill('SIGKILL')
    await exit
  }
}
