import { parseArgs } from 'node:util'
import { systemClock } from '../clock.js'
import { ConfigError, loadConfig } from '../config.js'
import { openDatabase, type Db } from '../db/database.js'
import { migrateDown, migrateToLatest } from '../db/migrate.js'
import { seedDemoForce } from '../db/seed/seed-demo.js'
import { verifyAuditLedger } from '../features/audit/ledger.js'
import { newUser } from '../features/admin/admin.schema.js'
import { createForce, createUser } from '../features/admin/admin.service.js'
import { systemActor } from '../features/audit/ledger.js'
import { backupDatabase, restoreDatabase, RestoreError } from '../features/backup/backup.js'
import { runScheduledJobs } from '../features/jobs/scheduled-jobs.js'
import { importComparatorsCommand, importComparatorsUsage } from '../features/comparators/comparators.cli.js'

const usage = `Usage: forceledger <command> [options]

Commands:
  migrate                 Apply every pending database migration.
  migrate-down            Undo the most recent migration.
  seed-demo               Seed Demo Constabulary (development only; does nothing if it exists).
  backup FILE             Write every row of the database to FILE (gzip), from one consistent snapshot.
  restore FILE            Load a backup into a new, empty, migrated database; checks every table and the audit
                          ledger against the file and commits only if all agree. On PostgreSQL, run as the owner.
  run-jobs                Run the scheduled jobs once (welfare follow-ups, early-intervention flags, expired
                          sessions); the server also runs them every JOBS_INTERVAL_MINUTES (default 5).
  verify-audit            Walk every chain of the audit ledger; exit 1 and name the first broken entry if any.
  create-force            --code CODE --name NAME: add a force (a fresh production install starts here).
  create-user             --force CODE --username NAME --display-name TEXT --role ROLE [--role ROLE…]
                          The password is read from the FORCELEDGER_PASSWORD environment variable.
${importComparatorsUsage}

The database is DATABASE_URL when set, otherwise the embedded database in DATA_DIR (default ./.data/pglite).`

type Command = (db: Db, args: string[]) => Promise<number>

const commands: Record<string, Command> = {
  'import-comparators': importComparatorsCommand,
  async migrate(db) {
    const { results } = await migrateToLatest(db)
    for (const r of results ?? []) console.log(`${r.status}: ${r.migrationName}`)
    console.log(results?.length ? `Applied ${results.length} migration(s).` : 'The database is up to date.')
    return 0
  },
  async 'migrate-down'(db) {
    const { results } = await migrateDown(db)
    for (const r of results ?? []) console.log(`${r.status}: ${r.migrationName} (down)`)
    return 0
  },
  async 'seed-demo'(db) {
    if (loadConfig().env === 'production') {
      console.error('Refusing to seed demo data when NODE_ENV=production.')
      return 1
    }
    await migrateToLatest(db)
    console.log(
      (await seedDemoForce(db, systemClock)) ? 'Seeded Demo Constabulary.' : 'Demo Constabulary exists already.',
    )
    return 0
  },
  async backup(db, args) {
    const [file] = args
    if (!file) throw new UsageError('backup needs the file to write: forceledger backup FILE')
    const { tables, rows } = await backupDatabase(db, file, systemClock())
    console.log(`Backed up ${rows.toLocaleString('en-GB')} rows from ${tables} tables to ${file}.`)
    return 0
  },
  async restore(db, args) {
    const [file] = args
    if (!file) throw new UsageError('restore needs the backup file: forceledger restore FILE')
    await migrateToLatest(db)
    try {
      const { tables, rows } = await restoreDatabase(db, file)
      console.log(`Restored ${rows.toLocaleString('en-GB')} rows into ${tables} tables; the audit ledger verifies.`)
      return 0
    } catch (error) {
      if (!(error instanceof RestoreError)) throw error
      console.error(`Nothing was restored. ${error.message}.`)
      return 1
    }
  },
  async 'run-jobs'(db) {
    const { done, failed } = await runScheduledJobs({ db, clock: systemClock })
    for (const [job, count] of Object.entries(done)) console.log(`${job}: ${count}`)
    for (const f of failed) console.error(`failed: ${f.job}${f.forceId ? ` (force ${f.forceId})` : ''}: ${f.error}`)
    return failed.length > 0 ? 1 : 0
  },
  async 'verify-audit'(db) {
    const result = await verifyAuditLedger(db)
    if (result.ok) {
      console.log(`The audit ledger is intact: ${result.entriesChecked} entries in ${result.chains} chains.`)
      return 0
    }
    const broken = result.firstBroken
    console.error(`The audit ledger is broken at entry ${broken.id}: ${broken.reason}.`)
    console.error(`${result.entriesChecked} entries before it verified.`)
    return 1
  },
  async 'create-force'(db, args) {
    const { values } = parseArgs({ args, options: { code: { type: 'string' }, name: { type: 'string' } } })
    if (!values.code || !values.name) throw new UsageError('create-force needs --code and --name')
    const id = await createForce(db, systemClock, { code: values.code, name: values.name })
    console.log(`Created force ${values.code} (${id}).`)
    return 0
  },
  async 'create-user'(db, args) {
    const { values } = parseArgs({
      args,
      options: {
        force: { type: 'string' },
        username: { type: 'string' },
        'display-name': { type: 'string' },
        role: { type: 'string', multiple: true },
      },
    })
    if (!values.force) throw new UsageError('create-user needs --force CODE')
    const force = await db.selectFrom('forces').select('id').where('code', '=', values.force).executeTakeFirst()
    if (!force) throw new UsageError(`there is no force with code ${values.force}`)
    const parsed = newUser.safeParse({
      username: values.username ?? '',
      displayName: values['display-name'] ?? '',
      email: '',
      unitId: '',
      roles: values.role ?? [],
      password: process.env.FORCELEDGER_PASSWORD ?? '',
    })
    const result = parsed.success
      ? await createUser({ db, clock: systemClock }, systemActor, force.id, parsed.data)
      : { ok: false as const, errors: parsed.error.issues.map((i) => ({ field: i.path.join('.'), text: i.message })) }
    if (!result.ok) {
      for (const e of result.errors) console.error(`${e.field}: ${e.text}`)
      return 1
    }
    console.log(`Created user ${values.username}.`)
    return 0
  },
}

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv
  const command = name ? commands[name] : undefined
  if (!command) {
    console.log(usage)
    return name && name !== 'help' && name !== '--help' ? 2 : 0
  }
  const config = loadConfig()
  const database = await openDatabase(config.database)
  try {
    return await command(database.db, args)
  } finally {
    await database.close()
  }
}

try {
  process.exitCode = await main(process.argv.slice(2))
} catch (error) {
  if (error instanceof ConfigError || error instanceof UsageError) {
    console.error(error.message)
    process.exitCode = 2
  } else {
    throw error
  }
}
