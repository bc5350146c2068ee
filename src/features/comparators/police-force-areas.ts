/**
 * The 43 territorial police forces of England and Wales by Home Office region, under the names the Home Office
 * use-of-force tables use, and the other spellings met in the published files (the 2016 CED workbook, the workforce
 * tables, the census aggregation).
 */
export const regions = {
  'North East': ['Cleveland', 'Durham', 'Northumbria'],
  'North West': ['Cheshire', 'Cumbria', 'Greater Manchester', 'Lancashire', 'Merseyside'],
  'Yorkshire and the Humber': ['Humberside', 'North Yorkshire', 'South Yorkshire', 'West Yorkshire'],
  'East Midlands': ['Derbyshire', 'Leicestershire', 'Lincolnshire', 'Northamptonshire', 'Nottinghamshire'],
  'West Midlands': ['Staffordshire', 'Warwickshire', 'West Mercia', 'West Midlands'],
  'East of England': ['Bedfordshire', 'Cambridgeshire', 'Essex', 'Hertfordshire', 'Norfolk', 'Suffolk'],
  London: ['City of London', 'Metropolitan'],
  'South East': ['Hampshire', 'Kent', 'Surrey', 'Sussex', 'Thames Valley'],
  'South West': ['Avon & Somerset', 'Devon & Cornwall', 'Dorset', 'Gloucestershire', 'Wiltshire'],
  Wales: ['Dyfed-Powys', 'Gwent', 'North Wales', 'South Wales'],
} as const satisfies Record<string, readonly string[]>

export type Region = keyof typeof regions
export type ForceArea = (typeof regions)[Region][number]

export const ENGLAND_AND_WALES = 'England and Wales'

export const forceAreas: readonly ForceArea[] = Object.values(regions).flat()

const aliases: Record<string, ForceArea> = {
  'metropolitan police': 'Metropolitan',
  'metropolitan police service': 'Metropolitan',
  'avon and somerset': 'Avon & Somerset',
  'devon and cornwall': 'Devon & Cornwall',
  'dyfed powys': 'Dyfed-Powys',
}

const byKey = new Map<string, ForceArea>([
  ...forceAreas.map((f) => [nameKey(f), f] as const),
  ...Object.entries(aliases).map(([k, f]) => [nameKey(k), f] as const),
])
const regionByKey = new Map(Object.keys(regions).map((r) => [nameKey(r), r as Region]))

/** Case, spacing, "&" and hyphens do not distinguish names. */
function nameKey(name: string): string {
  return name.toLowerCase().replace(/&/g, ' and ').replace(/[-–]/g, ' ').replace(/\s+/g, ' ').trim()
}

export function forceArea(name: string): ForceArea | undefined {
  return byKey.get(nameKey(name))
}

export function region(name: string): Region | undefined {
  return regionByKey.get(nameKey(name))
}

export function regionOf(force: ForceArea): Region {
  const found = (Object.keys(regions) as Region[]).find((r) => (regions[r] as readonly string[]).includes(force))
  if (!found) throw new Error(`No region for ${force}`)
  return found
}
