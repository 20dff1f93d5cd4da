// Context cells of a contextual bandit: a request's coarse label ("mobile/evening") and its small index.
import type { CompiledExperiment } from '../config'
import type { Facts } from '../context'
import { CONTEXT_FIELDS } from '../context'

/**
 * The values each `bandit.contextBy` field can take, in a fixed order: the order numbers the
 * cells, so it must never change (a cookie's or a ping token's cell index depends on it).
 * Continents are lower-cased in labels ("eu"); `weekend` reads as "weekday" or "weekend".
 */
export const CELL_VALUES: Readonly<Record<string, readonly string[]>> = {
  device: CONTEXT_FIELDS.device?.values ?? [],
  daypart: CONTEXT_FIELDS.daypart?.values ?? [],
  weekend: ['weekday', 'weekend'],
  continent: (CONTEXT_FIELDS.continent?.values ?? []).map((c) => c.toLowerCase()),
  referrer: CONTEXT_FIELDS.referrer?.values ?? [],
}

/**
 * The context fields an experiment's counts and weights are split by: its `bandit.contextBy`
 * when it is a bandit, else none (a fixed experiment is never split, whatever its config says).
 * @example contextByOf(compiled.experiments[0]) // ['device', 'daypart']
 */
export function contextByOf(exp: CompiledExperiment): readonly string[] {
  return exp.allocation === 'bandit' ? (exp.source?.bandit?.contextBy ?? []) : []
}

/** One field's value in a request, as a cell label part; undefined when the request lacks it. */
function valueOf(field: string, facts: Facts): string | undefined {
  if (field === 'weekend') {
    return facts.weekend === undefined ? undefined : facts.weekend ? 'weekend' : 'weekday'
  }
  const value = (facts as Record<string, unknown>)[field]
  return typeof value === 'string' ? value.toLowerCase() : undefined
}

/**
 * The index of a request's cell: 1 to the number of cells (at most 24, the config's cap), or 0
 * when `contextBy` is empty or a field is unknown (no timezone, no User-Agent). Mixed radix over
 * `CELL_VALUES`, the first field most significant. A small number that many visitors share, never
 * an identifier: it says as much as "a phone, in the evening".
 * @example cellIndex(['device'], { ...facts, device: 'tablet' }) // 2
 */
export function cellIndex(contextBy: readonly string[], facts: Facts): number {
  if (contextBy.length === 0) {
    return 0
  }
  let index = 0
  for (const field of contextBy) {
    const values = CELL_VALUES[field] ?? []
    const at = values.indexOf(valueOf(field, facts) ?? '')
    if (at === -1) {
      return 0
    }
    index = index * values.length + at
  }
  return index + 1
}

/**
 * How many cells `contextBy` makes (0 when it is empty).
 * @example cellCount(['device', 'daypart']) // 12
 */
export function cellCount(contextBy: readonly string[]): number {
  return contextBy.length === 0
    ? 0
    : contextBy.reduce((n, field) => n * (CELL_VALUES[field]?.length ?? 0), 1)
}

/**
 * The store's label of cell `index`, e.g. "mobile/evening"; "" (the pooled cell) for 0, or for an
 * index `contextBy` does not have (the config changed its fields since it was given).
 * @example cellLabel(['device', 'daypart'], 4) // 'mobile/evening'
 */
export function cellLabel(contextBy: readonly string[], index: unknown): string {
  if (
    !Number.isInteger(index) ||
    (index as number) < 1 ||
    (index as number) > cellCount(contextBy)
  ) {
    return ''
  }
  let rest = (index as number) - 1
  const parts: string[] = []
  for (let i = contextBy.length - 1; i >= 0; i--) {
    const values = CELL_VALUES[contextBy[i] as string] ?? []
    parts.unshift(values[rest % values.length] as string)
    rest = Math.floor(rest / values.length)
  }
  return parts.join('/')
}

/**
 * The label of a request's cell for `contextBy` fields, e.g. "mobile/evening"; "" when a field is
 * unknown or there are none.
 * @example cellOf(['device', 'weekend'], { ...facts, device: 'mobile', weekend: false }) // 'mobile/weekday'
 */
export function cellOf(contextBy: readonly string[], facts: Facts): string {
  return cellLabel(contextBy, cellIndex(contextBy, facts))
}

/** Each cell value in words, for the visitor: "on a phone", "in the morning". */
const CELL_WORDS: Readonly<Record<string, string>> = {
  mobile: 'on a phone',
  tablet: 'on a tablet',
  desktop: 'on a computer',
  night: 'at night',
  morning: 'in the morning',
  afternoon: 'in the afternoon',
  evening: 'in the evening',
  weekday: 'on a weekday',
  weekend: 'at the weekend',
  af: 'in Africa',
  an: 'in Antarctica',
  as: 'in Asia',
  eu: 'in Europe',
  na: 'in North America',
  oc: 'in Oceania',
  sa: 'in South America',
  search: 'from a search engine',
  social: 'from social media',
  email: 'from an email',
  internal: 'from this site',
  other: 'from another site',
  none: 'directly',
}

/**
 * Cell `index` in words for the preference centre, e.g. "on a phone, in the morning"; undefined
 * for no cell. The visitor sees what their cookie's cell index stands for.
 * @example cellWords(['device', 'daypart'], 2) // 'on a phone, in the morning'
 */
export function cellWords(contextBy: readonly string[], index: unknown): string | undefined {
  const label = cellLabel(contextBy, index)
  return label
    ? label
        .split('/')
        .map((part) => CELL_WORDS[part] ?? part)
        .join(', ')
    : undefined
}
