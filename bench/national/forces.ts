import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { CedLevel } from '../../src/domain/use-of-force/ced.js'
import type { PerceivedEthnicity } from '../../src/domain/use-of-force/subject.js'
import { repoRoot } from '../lib/paths.js'

/**
 * The 43 forces of England and Wales as the published tables size them (`../shared/data`, YE Mar 2019): use-of-force
 * incidents (HO Table 12), CED use by highest level (HO Table 13), officer FTE, and the force area's population by
 * ethnic group (2011 Census), so each synthetic force is shaped like its real one.
 */

export const sharedDataDir = path.resolve(repoRoot, '../shared/data')

export interface ForceProfile {
  name: string
  code: string
  region: string
  /** Share of the national use-of-force reports. */
  share: number
  /** Reports with a CED use, as a share of the force's reports (published incidents, scaled to the target rate). */
  cedRate: number
  /** Highest CED level of a report with a CED use ("not stated" left out: a report always states its levels). */
  cedLevels: [CedLevel, number][]
  /** Officer FTE at 31 March 2019. */
  officers: number
  /** Perceived ethnicity of people force was used on: the area's population weighted by the national disparities. */
  ethnicity: [PerceivedEthnicity, number][]
}

/** The national share of reports with a CED use (YE Mar 2020: 32,058 of 491,984 incidents, 6.5%). */
export const NATIONAL_CED_RATE = 0.065

/**
 * Use of force per head relative to White people, by perceived group (YE Mar 2020 tables against the 2011 Census:
 * Black about 3.5 times, Mixed about 2, Asian and Other slightly above 1). Applied to each force area's population.
 */
const disparity: Record<Exclude<PerceivedEthnicity, 'not_reported'>, number> = {
  white: 1,
  black: 3.5,
  asian: 1.1,
  mixed: 2.0,
  other: 1.6,
}
const NOT_REPORTED_ETHNICITY = 0.026

/**
 * Discharges were 11.5% of CED uses in 2018/19 counting "not stated", about 12% of stated levels; 10.4% in 2019/20.
 * Scaling each force's discharge levels by this brings the national share to about 10.5%.
 */
const DISCHARGE_SCALE = 0.85

function csv(name: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(path.join(sharedDataDir, name), 'utf8').trim().split(/\r?\n/)
  const columns = (head ?? '').split(',').map((c) => c.trim())
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [columns[i] ?? `${i}`, v.trim()])))
}

const key = (name: string) =>
  name
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z]/g, '')
const isForceRow = (name: string) => !/total/i.test(name)
const num = (v: string | undefined) => Number(v ?? 'NaN')

export function forceProfiles(): ForceProfile[] {
  const incidents = csv('uof-incidents-by-force-2018-19.csv').filter((r) => isForceRow(r['Police Force'] ?? ''))
  const ced = new Map(csv('ced-by-force-2018-19.csv').map((r) => [key(r['Police force'] ?? ''), r]))
  const fte = new Map(
    csv('police-workforce-fte-by-force.csv')
      .filter((r) => r.Year === '2019')
      .map((r) => [key(r['Police force'] ?? ''), num(r['FTE Count'])]),
  )
  const census = new Map(
    csv('census2011-police-ethnicity-groups-by-force-area.csv').map((r) => [key(r['Police force'] ?? ''), r]),
  )
  const total = incidents.reduce((n, r) => n + num(r.Total), 0)
  const nationalCed = [...ced.values()].filter((r) => /England and Wales/.test(r['Police force'] ?? ''))[0]
  const scale = NATIONAL_CED_RATE / (num(nationalCed?.Total) / total)

  const profiles = incidents.map((r) => {
    const name = r['Police Force'] ?? ''
    const k = key(name)
    const c = ced.get(k)
    const people = census.get(k)
    const officers = fte.get(k)
    if (!c || !people || officers === undefined) throw new Error(`No CED, census or workforce row for ${name}`)
    const uof = num(r.Total)
    const groups: [PerceivedEthnicity, number][] = [
      ['white', num(people.White) * disparity.white],
      ['black', num(people['Black (or Black British)']) * disparity.black],
      // The 2019/20 groups put Chinese with Asian.
      ['asian', (num(people['Asian (or Asian British)']) + num(people.Chinese)) * disparity.asian],
      ['mixed', num(people.Mixed) * disparity.mixed],
      ['other', num(people.Other) * disparity.other],
    ]
    const sum = groups.reduce((n, [, w]) => n + w, 0)
    const ethnicity: [PerceivedEthnicity, number][] = [
      ...groups.map(([g, w]): [PerceivedEthnicity, number] => [g, ((1 - NOT_REPORTED_ETHNICITY) * w) / sum]),
      ['not_reported', NOT_REPORTED_ETHNICITY],
    ]
    // A force that sent most CED as summary counts ("not stated") gets the national mix of levels at its total rate.
    const summaryOnly = num(c['Not stated']) > num(c.Total) / 2
    const levelsOf = summaryOnly ? (nationalCed ?? c) : c
    return {
      name,
      code: name
        .toUpperCase()
        .replace(/&/g, 'AND')
        .replace(/[^A-Z]+/g, '_'),
      region: r.Region ?? '',
      share: uof / total,
      cedRate: Math.min(0.5, (num(c.Total) / uof) * scale),
      cedLevels: [
        ['drawn', num(levelsOf.Drawn)],
        ['aimed', num(levelsOf.Aimed)],
        ['red_dot', num(levelsOf['Red-dot'])],
        ['arced', num(levelsOf.Arced)],
        ['drive_stun', num(levelsOf['Drive stun']) * DISCHARGE_SCALE],
        ['fired', num(levelsOf.Fired) * DISCHARGE_SCALE],
        ['angle_drive_stun', num(levelsOf['Angled drive stun']) * DISCHARGE_SCALE],
      ] satisfies [CedLevel, number][],
      officers,
      ethnicity,
    }
  })
  if (profiles.length !== 43) throw new Error(`Expected 43 forces in the published tables, found ${profiles.length}`)
  return profiles
}
