import { LineErrors, type LineError } from '../imports/line-errors.js'
import { cedDeviceModels, type CedDeviceModel } from '../use-of-force/ced.js'
import { isCalendarDate } from '../calendar.js'
import { cedAssessments, cedCourses, type CedAssessment, type CedCourse } from './training.js'

/**
 * The training records file (docs/training-import.md): a CSV with a header line and one course per line. Parsing
 * checks each line on its own; whether the collar number exists and whether the course is already recorded is for
 * the importer, which has the database.
 */
export const TRAINING_COLUMNS = [
  'collar_number',
  'course',
  'device_model',
  'completed_on',
  'hours',
  'passed',
  'qualification_shoot',
  'written_test',
  'scenarios',
] as const

export interface TrainingLine {
  line: number
  collarNumber: string
  course: CedCourse
  deviceModel: CedDeviceModel
  completedOn: string
  hours: number
  passed: boolean
  assessments: { kind: CedAssessment; passed: boolean }[]
}

const MAX_LINES = 20_000

const COLLAR = /^[A-Za-z0-9]{1,20}$/
const HOURS = /^\d{1,2}(\.\d)?$/

export type TrainingParse = { ok: true; lines: TrainingLine[] } | { ok: false; errors: LineError[] }

/** Parses the file. Never throws on bad input; `today` (YYYY-MM-DD) refuses courses dated in the future. */
export function parseTrainingCsv(text: string, today: string): TrainingParse {
  const problems = new LineErrors()
  const add = (line: number, message: string) => problems.add(line, message)
  const rows = text
    .replace(/^\uFEFF/, '')
    .split('\n')
    .map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l))
  while (rows.length > 0 && rows[rows.length - 1]?.trim() === '') rows.pop()
  const header = TRAINING_COLUMNS.join(',')
  if ((rows[0] ?? '').trim().toLowerCase() !== header) {
    return { ok: false, errors: [{ line: 1, message: `The first line must be “${header}”` }] }
  }
  if (rows.length < 2)
    return { ok: false, errors: [{ line: 1, message: 'The file has no courses after the first line' }] }
  if (rows.length > MAX_LINES + 1)
    return {
      ok: false,
      errors: [{ line: 1, message: `Import at most ${MAX_LINES.toLocaleString('en-GB')} courses at once` }],
    }

  const lines: TrainingLine[] = []
  const seen = new Map<string, number>()
  for (let n = 2; n <= rows.length && !problems.full; n++) {
    const cells = (rows[n - 1] ?? '').split(',').map((c) => c.trim())
    if (cells.length !== TRAINING_COLUMNS.length) {
      add(n, `A line has ${TRAINING_COLUMNS.length} fields separated by commas; this one has ${cells.length}`)
      continue
    }
    const [collar, course, model, completedOn, hoursText, passedText, ...assessmentTexts] = cells as string[]
    const before = problems.list.length
    if (!COLLAR.test(collar ?? '')) add(n, 'collar_number must be letters and digits, up to 20')
    if (!cedCourses.has(course)) add(n, `course must be one of ${cedCourses.values.join(', ')}`)
    if (!cedDeviceModels.has(model)) add(n, `device_model must be one of ${cedDeviceModels.values.join(', ')}`)
    if (!isCalendarDate(completedOn ?? '')) add(n, 'completed_on must be a date like 2026-03-14')
    else if ((completedOn ?? '') > today) add(n, 'completed_on cannot be in the future')
    const hours = HOURS.test(hoursText ?? '') ? Number(hoursText) : Number.NaN
    if (Number.isNaN(hours) || hours <= 0) add(n, 'hours must be a number of hours like 7 or 7.5')
    else if (cedCourses.has(course) && hours < cedCourses.byValue(course).minimumHours)
      add(n, `${cedCourses.label(course)}: at least ${cedCourses.byValue(course).minimumHours} hours`)
    if (passedText !== 'yes' && passedText !== 'no') add(n, 'passed must be yes or no')
    const assessments: TrainingLine['assessments'] = []
    cedAssessments.values.forEach((kind, i) => {
      const value = assessmentTexts[i] ?? ''
      if (value === '') return
      if (value !== 'pass' && value !== 'fail') add(n, `${kind} must be pass, fail or empty (not assessed)`)
      else assessments.push({ kind, passed: value === 'pass' })
    })
    if (passedText === 'yes' && assessments.some((a) => !a.passed))
      add(n, 'A course with a failed assessment cannot be passed: set passed to no')
    if (problems.list.length > before) continue

    const key = `${collar?.toUpperCase()}|${course}|${model}|${completedOn}`
    const first = seen.get(key)
    if (first !== undefined) {
      add(n, `The same course for the same officer on the same day is on line ${first}`)
      continue
    }
    seen.set(key, n)
    lines.push({
      line: n,
      collarNumber: collar ?? '',
      course: course as CedCourse,
      deviceModel: model as CedDeviceModel,
      completedOn: completedOn ?? '',
      hours,
      passed: passedText === 'yes',
      assessments,
    })
  }
  return problems.any ? { ok: false, errors: problems.list } : { ok: true, lines }
}
