// The config's signal rules compiled once (path pattern → interest), and the fields they add.
import type { FieldSpec } from '../context'
import { CONTEXT_FIELDS, COUNTRY_CODE } from '../context'
import type { Config } from './schema'

/** One rule ready for requests. */
export type CompiledSignalRule = { interest: string; score: number; test(path: string): boolean }

const COMPILED = new WeakMap<Config['signals'], readonly CompiledSignalRule[]>()

/**
 * A path pattern as a test: a prefix match, where `*` stands for any characters but "/". Built
 * once: the pattern is escaped, so nothing else in it has a regex meaning.
 * @example pathPattern('/shop/' + '*' + '/bikes')('/shop/kids/bikes/12') // true
 */
export function pathPattern(pattern: string): (path: string) => boolean {
  if (!pattern.includes('*')) {
    return (path) => path.startsWith(pattern)
  }
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('[^/]*')
  const regex = new RegExp(`^${source}`)
  return (path) => regex.test(path)
}

/** The config's signal rules, compiled once per config object. */
export function signalRules(config: Pick<Config, 'signals'>): readonly CompiledSignalRule[] {
  const signals = config.signals
  let rules = COMPILED.get(signals)
  if (!rules) {
    rules = signals.rules.map((r) => ({
      interest: r.interest,
      score: r.score,
      test: pathPattern(r.path),
    }))
    COMPILED.set(signals, rules)
  }
  return rules
}

/**
 * What one view of `path` adds: interest → score. When several rules name the same interest,
 * the highest score counts once (a page is one view, however many rules match it).
 * @example signalsForPath(config, '/cycling/gravel') // { cycling: 1 }
 */
export function signalsForPath(
  config: Pick<Config, 'signals'>,
  path: string
): Record<string, number> {
  const out = new Map<string, number>()
  for (const rule of signalRules(config)) {
    if (rule.test(path)) {
      out.set(rule.interest, Math.max(out.get(rule.interest) ?? 0, rule.score))
    }
  }
  return Object.fromEntries(out)
}

/** Every interest the rules name, in the order the config first names them. */
export function signalInterests(config: Pick<Config, 'signals'>): string[] {
  return [...new Set(config.signals.rules.map((r) => r.interest))]
}

/**
 * The words for an interest: the label of a `set` preference option with that id ("Cycling"),
 * else `signals.labels`, else the id itself.
 * @example interestLabel(config, 'cycling') // 'Cycling'
 */
export function interestLabel(config: Pick<Config, 'signals' | 'preferences'>, id: string): string {
  for (const pref of Object.values(config.preferences)) {
    if (pref.type === 'set' && Object.hasOwn(pref.options, id)) {
      return pref.options[id] ?? id
    }
  }
  const labels = config.signals.labels
  return (Object.hasOwn(labels, id) ? labels[id] : undefined) ?? id
}

/** `signals.<interest>` for each interest the rules name: a decayed score, 0 up to the cap. */
export function signalFields(
  config: Pick<Config, 'signals' | 'preferences'>
): Record<string, FieldSpec> {
  const out: Record<string, FieldSpec> = {}
  for (const id of signalInterests(config)) {
    out[`signals.${id}`] = {
      type: 'number',
      range: [0, config.signals.cap],
      noun: `your reading score for ${interestLabel(config, id)}`,
    }
  }
  return out
}

/** Display names in English, or undefined where the runtime has no such data. */
function displayNames(type: 'language' | 'region'): Intl.DisplayNames | undefined {
  try {
    return new Intl.DisplayNames(['en'], { type })
  } catch {
    return undefined
  }
}

/** Labels for the site's locales: "fr" → "French", so a reason reads "your language is French". */
export function localeLabels(locales: readonly string[]): Record<string, string> {
  const names = displayNames('language')
  const out: Record<string, string> = {}
  for (const locale of locales) {
    try {
      const name = names?.of(locale)
      if (name && name !== locale) {
        out[locale] = name
      }
    } catch {
      // A tag Intl does not know keeps its code.
    }
  }
  return out
}

let countries: Record<string, string> | undefined

/** Labels for country codes: "US" → "United States"; Tor and unknown are spelled out. */
export function countryLabels(codes: readonly string[]): Record<string, string> {
  if (countries) {
    return countries
  }
  const names = displayNames('region')
  const out: Record<string, string> = { T1: 'the Tor network', XX: 'unknown' }
  for (const code of codes) {
    if (code === 'T1' || code === 'XX') {
      continue
    }
    try {
      const name = names?.of(code)
      if (name && name !== code) {
        out[code] = name
      }
    } catch {
      // Keep the code.
    }
  }
  countries = out
  return out
}

/**
 * `language`, `country`, `device` and `referrer` with labels, so reasons read "your language is
 * French", "your country is Switzerland", "your device is a phone" rather than "fr", "CH", "mobile".
 */
export function labelledContextFields(locales: readonly string[]): Record<string, FieldSpec> {
  const out: Record<string, FieldSpec> = {}
  const language = CONTEXT_FIELDS.language
  const country = CONTEXT_FIELDS.country
  if (language) {
    out.language = { ...language, labels: localeLabels(locales) }
  }
  if (country) {
    out.country = {
      ...country,
      labels: countryLabels(COUNTRY_CODE.source.match(/[A-Z][A-Z0-9]/g) ?? []),
    }
  }
  const device = CONTEXT_FIELDS.device
  if (device) {
    out.device = { ...device, labels: DEVICE_LABELS }
  }
  const referrer = CONTEXT_FIELDS.referrer
  if (referrer) {
    out.referrer = { ...referrer, labels: REFERRER_LABELS }
  }
  return out
}

// "because your device is a phone", "because where you came from is a search engine".
const DEVICE_LABELS = { mobile: 'a phone', tablet: 'a tablet', desktop: 'a computer' }
const REFERRER_LABELS = {
  search: 'a search engine',
  social: 'a social network',
  email: 'an email',
  internal: 'this site',
  other: 'another website',
  none: 'nowhere (a bookmark or a typed address)',
}
