// Building one request's Facts from its URL, headers, platform geo and clock: pure and total.
import type { CfGeo } from './cf'
import { detectDevice } from './device'
import type { Facts } from './fields'
import { localeOf, negotiateLanguage } from './language'
import { classifyReferrer } from './referrer'
import { daypartOf, isWeekend, localTime } from './time'

/** Everything readContext needs about one request, gathered by the caller. */
export type ContextInput = {
  url: URL
  headers: Headers
  /** From `readCf(request)`: the only source of geolocation. */
  geo: CfGeo
  now: Date
  /** The visitor's validated preferences (from their cookie), {} when none. */
  prefs: Facts['prefs']
  /** Whether the visitor has been here before (decided by the caller from the cookie). */
  returning: boolean
  /** Reading signals the visitor consented to, decayed to now (see visitor/signals). Default {}. */
  signals?: Record<string, number>
  /** `readGpc(headers)`, when the caller has read it already (for consent); else read here. */
  gpc?: boolean
}

/** Site settings for readContext, from the config. */
export type ContextOptions = {
  /** The site's locales, first is the default. */
  locales: readonly string[]
  /** Name of the preference that, when set to one of the locales, overrides Accept-Language. Default 'language'. */
  languagePreference?: string
  /**
   * Only these fields are read (the ones a site's compiled conditions and templates name, see
   * `CompiledConfig.fields`); a context reader no field needs is skipped, and its fields stay
   * undefined (`utm` then `{}`). `path`, `returning`, `gpc`, `prefs` and `signals` are always set.
   * Absent: every field (the preference centre, the API, dev mode).
   */
  fields?: ReadonlySet<string>
}

/** Longest UTM value kept. */
export const UTM_MAX = 64
/** Longest path kept. */
export const PATH_MAX = 1000

// Characters a UTM value keeps: RFC 3986 "unreserved", lower case. Everything else is dropped.
const UTM_DROPPED = /[^a-z0-9._~-]+/g

/**
 * A UTM parameter as a fact: trimmed, lower-cased, only `[a-z0-9._~-]` kept, at most 64
 * characters; undefined when nothing is left.
 * @example cleanUtm(' Spring Sale! ') // 'springsale'
 */
export function cleanUtm(value: string | null): string | undefined {
  if (typeof value !== 'string') {
    return undefined
  }
  // Cut before the regex so an enormous value costs no more than a long one.
  const cleaned = value
    .slice(0, 4 * UTM_MAX)
    .trim()
    .toLowerCase()
    .replace(UTM_DROPPED, '')
    .slice(0, UTM_MAX)
  return cleaned === '' ? undefined : cleaned
}

/**
 * Whether any field line of a header is exactly "1". Headers joins repeated lines with ", ", so
 * the value is split on commas; each part is trimmed of whitespace (OWS, RFC 9110 §5.6.3).
 */
function anyLineIsOne(value: string | null): boolean {
  if (value === null || value.length > 200) {
    return false
  }
  return value.split(',').some((part) => part.trim() === '1')
}

/**
 * Global Privacy Control (W3C GPC §3.1: `Sec-GPC = "1"`, the only value). True when any of the
 * request's Sec-GPC lines is exactly `1`: a header sent twice ("1, 1") or a proxy that adds its
 * own line ("0, 1") still carries the visitor's signal, and doubt goes the visitor's way. `0`,
 * `true`, `yes`, `01` and `1.0` are not the signal.
 * @example readGpc(new Headers({ 'sec-gpc': '1' })) // true
 * @example readGpc(new Headers({ 'sec-gpc': 'true' })) // false
 */
export function readGpc(headers: Headers): boolean {
  return anyLineIsOne(headers.get('sec-gpc'))
}

/**
 * Do Not Track (W3C TPE §5.2: `DNT: 1` means "do not track"), read like Sec-GPC: true when any
 * line is exactly `1`. Tailor treats it like GPC unless the config's `consent.honourDnt` is false.
 * @example readDnt(new Headers({ dnt: '1' })) // true
 */
export function readDnt(headers: Headers): boolean {
  return anyLineIsOne(headers.get('dnt'))
}

/**
 * Build the Facts for one request. Pure and total: odd headers, an unknown timezone or an
 * invalid date leave the matching fields undefined and never throw.
 *
 * - Geo (`country` … `timezone`) is copied from `input.geo`, i.e. `request.cf`, never headers.
 * - `localHour`, `daypart`, `weekday`, `weekend` come from `geo.timezone` (see `localTime`,
 *   `daypartOf`); undefined without a known timezone.
 * - `device` from `detectDevice`; `referrer` from `classifyReferrer`.
 * - `language`: the preference `options.languagePreference` (default `language`) when it names
 *   one of the locales, else Accept-Language negotiated, else the first locale.
 * - `utm` from `utm_source`, `utm_medium`, `utm_campaign` (see `cleanUtm`); `path` is the URL's
 *   pathname (at most 1000 characters, no query); `gpc` from `Sec-GPC` (see `readGpc`).
 *
 * @example
 * readContext(
 *   {
 *     url: new URL('https://shop.example/bikes?utm_source=Newsletter'),
 *     headers: new Headers({ 'accept-language': 'fr-CA,fr;q=0.9', 'sec-gpc': '1' }),
 *     geo: { country: 'CA', timezone: 'America/Toronto' },
 *     now: new Date('2025-01-04T15:00:00Z'),
 *     prefs: {},
 *     returning: false,
 *   },
 *   { locales: ['en', 'fr'] }
 * )
 * // { country: 'CA', timezone: 'America/Toronto', localHour: 10, daypart: 'morning',
 * //   weekday: 'saturday', weekend: true, language: 'fr', referrer: 'none',
 * //   utm: { source: 'newsletter' }, path: '/bikes', returning: false, gpc: true, prefs: {},
 * //   signals: {} }
 */
export function readContext(input: ContextInput, options: ContextOptions): Facts {
  const { url, headers, geo } = input
  const only = options.fields
  const want = (field: string) => only === undefined || only.has(field)
  const prefs: Facts['prefs'] = input.prefs ?? {}
  const utm: Facts['utm'] = {}
  const wantReferrer = want('referrer')
  // The query is parsed only when a UTM field or the referrer (which reads utm_medium) is used.
  const query =
    wantReferrer || want('utm.source') || want('utm.medium') || want('utm.campaign')
      ? url.searchParams
      : undefined
  const source = want('utm.source') ? cleanUtm(query?.get('utm_source') ?? null) : undefined
  const medium = cleanUtm(query?.get('utm_medium') ?? null)
  const campaign = want('utm.campaign') ? cleanUtm(query?.get('utm_campaign') ?? null) : undefined
  if (source !== undefined) {
    utm.source = source
  }
  if (medium !== undefined && want('utm.medium')) {
    utm.medium = medium
  }
  if (campaign !== undefined) {
    utm.campaign = campaign
  }

  const facts: Facts = {
    utm,
    path: url.pathname.slice(0, PATH_MAX),
    returning: input.returning === true,
    gpc: input.gpc ?? readGpc(headers),
    prefs,
    signals: input.signals ?? {},
  }

  if (geo.country !== undefined && want('country')) {
    facts.country = geo.country
  }
  if (geo.region !== undefined && want('region')) {
    facts.region = geo.region
  }
  if (geo.city !== undefined && want('city')) {
    facts.city = geo.city
  }
  if (geo.continent !== undefined && want('continent')) {
    facts.continent = geo.continent
  }
  if (geo.eu !== undefined && want('eu')) {
    facts.eu = geo.eu
  }
  if (geo.timezone !== undefined) {
    if (want('timezone')) {
      facts.timezone = geo.timezone
    }
    // The local clock (Intl) only when a condition asks about the visitor's time.
    if (want('localHour') || want('daypart') || want('weekday') || want('weekend')) {
      const local = localTime(input.now, geo.timezone)
      if (local) {
        facts.localHour = local.hour
        facts.daypart = daypartOf(local.hour)
        facts.weekday = local.weekday
        facts.weekend = isWeekend(local.weekday)
      }
    }
  }

  const device = want('device') ? detectDevice(headers) : undefined
  if (device !== undefined) {
    facts.device = device
  }

  if (want('language')) {
    const name = options.languagePreference ?? 'language'
    const preferred = Object.hasOwn(prefs, name)
      ? localeOf(prefs[name], options.locales)
      : undefined
    const language = preferred ?? negotiateLanguage(headers.get('accept-language'), options.locales)
    if (language !== '') {
      facts.language = language
    }
  }

  if (wantReferrer) {
    facts.referrer = classifyReferrer(headers.get('referer'), url, medium)
  }
  return facts
}
