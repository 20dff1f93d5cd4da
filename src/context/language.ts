// Choosing one of the site's locales from the Accept-Language header (RFC 9110 §12.5.4, RFC 4647).

/** Longest Accept-Language value read; the rest is ignored. */
export const ACCEPT_LANGUAGE_MAX = 1000
/** Most language ranges read from Accept-Language. */
export const ACCEPT_LANGUAGE_ENTRIES = 20

// A language range (RFC 4647 §2.1): "*" or alphanumeric subtags of 1–8 characters joined by "-".
// The "-" between repetitions leaves the regex one way to match, so it cannot backtrack badly.
const RANGE = /^(?:\*|[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)$/
// A weight (RFC 9110 §12.4.2): 0 to 1 with at most three decimals.
const WEIGHT = /^q=(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/i

type Range = { tag: string; q: number }

/** The ranges of a header, bounded, malformed entries dropped, highest weight first. */
function parseRanges(header: string): Range[] {
  let text = header
  if (text.length > ACCEPT_LANGUAGE_MAX) {
    // Cut at the last whole entry rather than mid-tag ("fr-C").
    text = text.slice(0, ACCEPT_LANGUAGE_MAX)
    const comma = text.lastIndexOf(',')
    text = comma === -1 ? '' : text.slice(0, comma)
  }
  const ranges: Range[] = []
  const entries = text.split(',', ACCEPT_LANGUAGE_ENTRIES)
  for (const entry of entries) {
    const [rawTag = '', ...params] = entry.split(';')
    const tag = rawTag.trim().toLowerCase()
    if (!RANGE.test(tag)) {
      continue
    }
    let q = 1
    let valid = true
    for (const param of params) {
      const p = param.trim()
      if (p === '') {
        continue
      }
      if (!WEIGHT.test(p)) {
        // Only "q" is defined for Accept-Language; anything else makes the entry unreadable.
        valid = false
        break
      }
      q = Number(p.slice(2))
    }
    if (valid) {
      ranges.push({ tag, q })
    }
  }
  // Array.prototype.sort is stable: equal weights keep the header's order.
  return ranges.sort((a, b) => b.q - a.q)
}

/** The primary language subtag: "fr" for "fr-CA". */
function primary(tag: string): string {
  const dash = tag.indexOf('-')
  return dash === -1 ? tag : tag.slice(0, dash)
}

/**
 * Whether the visitor refused a locale: the most specific range covering it has q=0, so
 * "fr;q=0" refuses "fr" and "fr-FR", while "fr-CA, fr;q=0" still accepts "fr-CA".
 */
function refused(locale: string, weights: ReadonlyMap<string, number>): boolean {
  let candidate = locale
  for (;;) {
    const q = weights.get(candidate)
    if (q !== undefined) {
      return q === 0
    }
    const dash = candidate.lastIndexOf('-')
    if (dash === -1) {
      return false
    }
    candidate = candidate.slice(0, dash)
  }
}

/**
 * The index of the locale for one range, or undefined: the exact tag; then the range truncated
 * from the end (RFC 4647 §3.4 lookup: "zh-hant-tw" → "zh-hant" → "zh"); then the first locale
 * with the same primary subtag ("pt" or "pt-PT" → "pt-BR" when that is all the site has).
 */
function matchRange(
  tag: string,
  lowered: readonly string[],
  weights: ReadonlyMap<string, number>
): number | undefined {
  let candidate = tag
  for (;;) {
    const index = lowered.indexOf(candidate)
    if (index !== -1 && !refused(candidate, weights)) {
      return index
    }
    const dash = candidate.lastIndexOf('-')
    if (dash === -1) {
      break
    }
    candidate = candidate.slice(0, dash)
  }
  const language = primary(tag)
  const index = lowered.findIndex((l) => primary(l) === language && !refused(l, weights))
  return index === -1 ? undefined : index
}

/**
 * Negotiate `Accept-Language` against the site's locales, RFC 4647 lookup-style: ranges are tried
 * from the highest weight down (equal weights in header order), each matched exactly, then by
 * truncation (`fr-CA` → `fr`), then by primary subtag (`pt-PT` → `pt-BR`); `*` takes the first
 * locale not refused. `q=0` refuses a locale when it is the most specific range covering it
 * (`fr;q=0` refuses `fr` and `fr-FR`). Matching ignores case; the result is spelled as in
 * `locales`.
 *
 * Returns the default locale (the first) when nothing fits or the header is absent or garbage;
 * `''` only when `locales` is empty. Reads at most 1000 characters and 20 entries. Never throws.
 *
 * @example
 * negotiateLanguage('fr-CA,fr;q=0.9,en;q=0.8', ['en', 'fr']) // 'fr'
 * negotiateLanguage('de-DE', ['en', 'fr']) // 'en'
 */
export function negotiateLanguage(header: string | null, locales: readonly string[]): string {
  if (typeof header !== 'string' || header === '') {
    return locales[0] ?? ''
  }
  // Visitors send a few distinct headers ("en-GB,en;q=0.9"…): each is negotiated once per
  // isolate and locales array (a compiled config's), in a bounded memo of a pure function.
  let memo = negotiated.get(locales)
  if (!memo) {
    memo = new Map()
    negotiated.set(locales, memo)
  }
  let locale = memo.get(header)
  if (locale === undefined) {
    locale = negotiate(header, locales)
    if (memo.size >= NEGOTIATED_MAX) {
      memo.clear()
    }
    memo.set(header, locale)
  }
  return locale
}

/** Distinct headers remembered per locales array; past that the memo starts again. */
const NEGOTIATED_MAX = 256
const negotiated = new WeakMap<readonly string[], Map<string, string>>()

/** `negotiateLanguage` without its memo. */
function negotiate(header: string, locales: readonly string[]): string {
  const fallback = locales[0] ?? ''
  if (locales.length === 0) {
    return fallback
  }
  const lowered = locales.map((l) => l.toLowerCase())
  const ranges = parseRanges(header)
  // Each tag's weight; ranges are sorted, so a repeated tag keeps its highest weight.
  const weights = new Map<string, number>()
  for (const range of ranges) {
    if (!weights.has(range.tag)) {
      weights.set(range.tag, range.q)
    }
  }
  for (const range of ranges) {
    if (range.q === 0) {
      break
    }
    if (range.tag === '*') {
      const index = lowered.findIndex((l) => !refused(l, weights))
      if (index !== -1) {
        return locales[index] ?? fallback
      }
      continue
    }
    const index = matchRange(range.tag, lowered, weights)
    if (index !== undefined) {
      return locales[index] ?? fallback
    }
  }
  return fallback
}

/**
 * The locale spelled as in `locales` when `value` is one of them (ignoring case), else undefined.
 * @example localeOf('PT-br', ['en', 'pt-BR']) // 'pt-BR'
 */
export function localeOf(value: unknown, locales: readonly string[]): string | undefined {
  if (typeof value !== 'string' || value.length > 100) {
    return undefined
  }
  const lowered = value.toLowerCase()
  return locales.find((l) => l.toLowerCase() === lowered)
}
