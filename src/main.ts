import { buildApp } from './app.js'
import { ConfigError, loadConfig, type Config } from './config.js'
import { systemClock } from './clock.js'
import { openDatabase } from './db/database.js'
import { migrateToLatest } from './db/migrate.js'
import { seedDemoForce } from './db/seed/seed-demo.js'
import { startScheduledJobs } from './features/jobs/scheduled-jobs.js'

function readConfig(): Config {
  try {
    return loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message)
      process.exit(1)
    }
    throw error
  }
}

const config = readConfig()
const database = await openDatabase(config.database)
await migrateToLatest(database.db)
const seeded = config.demoMode && (await seedDemoForce(database.db, systemClock))

const app = await buildApp({ config, db: database.db })
if (seeded) app.log.info('seeded Demo Constabulary: sign in with any demo account, password demo-password')
app.addHook('onClose', () => database.close())
const jobs =
  config.jobsIntervalMinutes > 0
    ? startScheduledJobs({ db: database.db, clock: systemClock }, config.jobsIntervalMinutes, app.log)
    : null

let stopping = false
async function shutdown(signal: string) {
  if (stopping) return
  stopping = true
  app.log.info({ signal }, 'shutting down')
  await jobs?.stop()
  // Stop accepting connections, let requests in flight finish, then close the database cleanly.
  await app.close()
  process.exit(0)
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))

await app.listen({ port: config.port, host: config.host })
app.log.info({ database: database.kind, demoMode: config.demoMode }, `ForceLedger is ready on port ${config.port}`)
