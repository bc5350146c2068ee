import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// Browser tests: one app server and one Chromium for the whole run, so files run one at a time. The *.e2e.ts suffix
// keeps them out of `npm test`, whose patterns only match *.test.ts.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/e2e/**/*.e2e.ts'],
    globalSetup: ['test/e2e/support/server.ts'],
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { TZ: 'Europe/London' },
  },
})
