import path from 'node:path'
import { fileURLToPath } from 'node:url'
import nunjucks from 'nunjucks'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/** Times are stored in UTC and shown in Europe/London, in these two forms everywhere. */
export const dateTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
})
const date = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'long' })

/**
 * One Nunjucks environment for the whole app. Templates are found by path from these roots: `layout.njk` and
 * `errors/…` from src/web/templates, a feature's views as `auth/views/sign-in.njk`, GOV.UK macros as `govuk/…`.
 * We call Nunjucks directly rather than through @fastify/view: it is one line to render, and one environment
 * keeps the filters and globals in one place.
 */
export function createTemplateEnvironment(): nunjucks.Environment {
  const searchPaths = [
    path.join(root, 'src/web/templates'),
    path.join(root, 'src/features'),
    path.join(root, 'node_modules/govuk-frontend/dist'),
  ]
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(searchPaths), {
    autoescape: true,
    throwOnUndefined: false,
  })
  env.addFilter('dateTime', (value: Date | string | null) => (value ? dateTime.format(new Date(value)) : ''))
  env.addFilter('date', (value: Date | string | null) => (value ? date.format(new Date(value)) : ''))
  env.addFilter('number', (value: number | null) =>
    value === null || value === undefined ? '' : value.toLocaleString('en-GB'),
  )
  return env
}
