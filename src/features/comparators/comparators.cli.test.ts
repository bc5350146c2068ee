import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { DatabaseHandle } from '../../db/database.js'
import { testDatabase } from '../../../test/support/database.js'
import { importComparatorsCommand } from './comparators.cli.js'
import { forceAreas } from './police-force-areas.js'

let handle: DatabaseHandle
let dir: string
beforeAll(async () => {
  handle = await testDatabase()
  dir = await mkdtemp(path.join(tmpdir(), 'comparators-cli-'))
})
afterAll(async () => {
  await handle.close()
  await rm(dir, { recursive: true, force: true })
})

/** Runs the command, returning its exit code and everything it printed. */
async function run(args: string[]) {
  const lines: string[] = []
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line))
  const error = vi.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(line))
  try {
    return { code: await importComparatorsCommand(handle.db, args), output: lines.join('\n') }
  } finally {
    log.mockRestore()
    error.mockRestore()
  }
}

describe('forceledger import-comparators', () => {
  it('imports a file, says so, and changes nothing the second time', async () => {
    const file = path.join(dir, 'fte.csv')
    await writeFile(file, ['Police force,FTE Count,Year', ...forceAreas.map((f) => `${f},10,2040`)].join('\n'))
    expect(await run([file])).toEqual({
      code: 0,
      output: expect.stringMatching(/^fte\.csv: imported 43 figures .* 1 of 1 checks hold\.$/),
    })
    expect(await run([file])).toEqual({ code: 0, output: 'fte.csv: already imported (as fte.csv); nothing changed.' })
  })

  it('exits 1 naming the file it could not import, and 2 without a file', async () => {
    const bad = path.join(dir, 'bad.csv')
    await writeFile(bad, 'Police force,FTE Count,Year\nKent,3000,2041\n')
    const refused = await run([bad, path.join(dir, 'missing.ods')])
    expect(refused.code).toBe(1)
    expect(refused.output).toContain('bad.csv: 1 check(s) failed, so nothing was imported:')
    expect(refused.output).toContain('missing.ods: there is no file at')
    expect((await run(['--accept-mismatches', bad])).output).toContain(
      'mismatch accepted: Officer FTE at 31 March 2041',
    )
    expect((await run([])).code).toBe(2)
  })
})
