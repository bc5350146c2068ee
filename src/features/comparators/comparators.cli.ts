import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { systemClock } from '../../clock.js'
import type { Db } from '../../db/database.js'
import { systemActor } from '../audit/ledger.js'
import { ChecksFailedError, importComparatorFile } from './comparators.service.js'
import { UnreadableWorkbookError } from './ods.js'

export const importComparatorsUsage = `  import-comparators      FILE… [--accept-mismatches]: import Home Office use-of-force workbooks (.ods), the
                          police workforce CSV or the 2011 Census CSVs as national comparators. Each file is
                          checked (forces add up to England and Wales, and so on) and refused if a check fails,
                          unless --accept-mismatches; the same file twice changes nothing.`

/** `forceledger import-comparators FILE…`: 0 when every file is in, 1 when one was refused, 2 on bad usage. */
export async function importComparatorsCommand(db: Db, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'accept-mismatches': { type: 'boolean', default: false } },
  })
  if (positionals.length === 0) {
    console.error('import-comparators needs at least one file.')
    return 2
  }
  let code = 0
  for (const file of positionals) {
    const fileName = path.basename(file)
    try {
      const bytes = new Uint8Array(await readFile(file))
      const result = await importComparatorFile({ db, clock: systemClock }, systemActor, {
        fileName,
        bytes,
        acceptMismatches: values['accept-mismatches'],
      })
      if (result.status === 'already-imported') {
        console.log(`${fileName}: already imported (as ${result.fileName}); nothing changed.`)
        continue
      }
      const { source } = result
      const failed = source.checks.filter((c) => !c.ok)
      console.log(
        `${fileName}: imported ${source.figures.length} figures from "${source.title}". ` +
          `${source.checks.length - failed.length} of ${source.checks.length} checks hold.`,
      )
      for (const c of failed) console.log(`  mismatch accepted: ${c.name}: expected ${c.expected}, found ${c.actual}`)
      for (const note of source.notes) console.log(`  note: ${note}`)
    } catch (error) {
      if (!(error instanceof ChecksFailedError || error instanceof UnreadableWorkbookError || isMissingFile(error)))
        throw error
      console.error(`${fileName}: ${isMissingFile(error) ? `there is no file at ${file}.` : (error as Error).message}`)
      code = 1
    }
  }
  return code
}

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === 'ENOENT'
}
