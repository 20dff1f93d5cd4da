// The one place that reads `request.cf`: the platform's geolocation, validated into plain values.
import { CONTINENTS, COUNTRY_CODE } from './fields'

/** The geo part of `request.cf`, validated. A field is undefined when absent or malformed. */
export type CfGeo = {
  country?: string
  region?: string
  city?: string
  continent?: string
  eu?: boolean
  timezone?: string
}

/** Longest region, city or timezone kept; anything longer is treated as malformed, not cut. */
export const CF_STRING_MAX = 100

// ISO 3166-1 alpha-2, plus Cloudflare's "T1" (Tor) and "XX" (unknown): the catalogue's own set.
const COUNTRY = COUNTRY_CODE
// IANA names ("Europe/Paris", "America/Argentina/Buenos_Aires", "Etc/GMT+5", "UTC"). Whether the
// runtime knows the zone is decided later, by Intl (see ./time).
const TIMEZONE = /^[A-Za-z][A-Za-z0-9_+/-]*$/
// Control characters (C0, DEL, C1): never part of a real place name.
const CONTROL = /\p{Cc}/u
const CONTINENT_SET: ReadonlySet<string> = new Set(CONTINENTS)

/** A non-empty string of at most CF_STRING_MAX characters with no control characters. */
function boundedString(value: unknown): string | undefined {
  if (typeof value !== 'string') {
    return undefined
  }
  const text = value.trim()
  if (text === '' || text.length > CF_STRING_MAX || CONTROL.test(text)) {
    return undefined
  }
  return text
}

function countryOf(value: unknown): string | undefined {
  return typeof value === 'string' && COUNTRY.test(value) ? value : undefined
}

/**
 * Cloudflare sends `isEUCountry: "1"` for EU countries and omits the field otherwise; tests may
 * pass a boolean. Omitted with a real country means "outside the EU"; omitted with no country
 * (or Tor "T1", unknown "XX") means unknown.
 */
function euOf(value: unknown, country: string | undefined): boolean | undefined {
  if (value === '1' || value === true) {
    return true
  }
  if (value === '0' || value === false) {
    return false
  }
  if (value === undefined && country !== undefined && country !== 'T1' && country !== 'XX') {
    return false
  }
  return undefined
}

/** Read `request.cf` without trusting it: a getter that throws counts as absent. */
function cfOf(request: Request): Record<string, unknown> | undefined {
  try {
    const cf: unknown = (request as { cf?: unknown }).cf
    return typeof cf === 'object' && cf !== null && !Array.isArray(cf)
      ? (cf as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

/** Own data property only: `{ country: ... }` inherited from a prototype is not the platform's. */
function own(cf: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(cf, key) ? cf[key] : undefined
}

/**
 * The one place that reads `request.cf`. Never throws; no `cf` (a plain test request, local
 * development without geolocation) gives `{}`. Each field is validated on its own: a malformed
 * one is left out and the others are kept.
 *
 * Geolocation comes only from the platform. Client-sent headers such as `CF-IPCountry`,
 * `CF-IPCity` or `X-Forwarded-For` are never read: a visitor can set them to anything.
 *
 * - `country`: two upper-case letters (`XX` unknown, `T1` Tor), else undefined.
 * - `region`, `city`: trimmed, 1 to 100 characters, no control characters.
 * - `continent`: one of `CONTINENTS`.
 * - `eu`: from `isEUCountry` ("1" → true, "0"/false → false; absent with a real country → false).
 * - `timezone`: an IANA-looking name of at most 100 characters.
 *
 * @example
 * readCf(new Request('https://shop.example/', { cf: { country: 'FR', isEUCountry: '1', timezone: 'Europe/Paris' } }))
 * // { country: 'FR', eu: true, timezone: 'Europe/Paris' }
 */
export function readCf(request: Request): CfGeo {
  const cf = cfOf(request)
  if (!cf) {
    return {}
  }
  const geo: CfGeo = {}
  try {
    const country = countryOf(own(cf, 'country'))
    const region = boundedString(own(cf, 'region'))
    const city = boundedString(own(cf, 'city'))
    const continentValue = own(cf, 'continent')
    const continent =
      typeof continentValue === 'string' && CONTINENT_SET.has(continentValue)
        ? continentValue
        : undefined
    const eu = euOf(own(cf, 'isEUCountry'), country)
    const zone = boundedString(own(cf, 'timezone'))
    const timezone = zone !== undefined && TIMEZONE.test(zone) ? zone : undefined

    if (country !== undefined) {
      geo.country = country
    }
    if (region !== undefined) {
      geo.region = region
    }
    if (city !== undefined) {
      geo.city = city
    }
    if (continent !== undefined) {
      geo.continent = continent
    }
    if (eu !== undefined) {
      geo.eu = eu
    }
    if (timezone !== undefined) {
      geo.timezone = timezone
    }
  } catch {
    // A getter on an exotic cf object threw: count the whole object as absent.
    return {}
  }
  return geo
}

/**
 * A GET request for another URL of this site, from the same visitor: the given headers and the
 * original request's platform data (`cf`: geo, timezone). The preference centre uses it to decide
 * a page again ("why this page looks as it does") exactly as the middleware did.
 * @example sameVisitorRequest(request, new URL('/cycling/', request.url), request.headers)
 */
export function sameVisitorRequest(request: Request, url: URL, headers: Headers): Request {
  const cf = cfOf(request)
  return new Request(url, cf ? ({ headers, cf } as RequestInit) : { headers })
}
