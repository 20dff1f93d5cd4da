// Whether the origin's page may be kept in the shared edge cache, for how long, and under which key.
import { rememberLast } from '../memo'
import { parseContentType } from '../proxy'

/**
 * How Tailor keeps the origin's un-personalised pages (the `cache` field of the config).
 * @example { enabled: true, maxAgeSeconds: 600 }
 */
export type CacheOptions = {
  /**
   * Keep the origin's un-personalised HTML in the edge cache, for as long as the origin's
   * `Cache-Control` lets a shared cache keep it. Default true: pages the origin does not mark
   * cacheable are never stored, so the default changes nothing for them.
   */
  enabled?: boolean
  /** Longest a page is kept, in seconds, whatever the origin allows. Default: what the origin says. */
  maxAgeSeconds?: number
}

/** The outcome for one origin response: keep it for `ttl` seconds, or why not. */
export type StoreDecision = { store: true; ttl: number } | { store: false; reason: string }

const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml'])

/**
 * The directives of a Cache-Control value (RFC 9111 §5.2), names lower-cased, quoted values
 * unquoted. A directive given twice keeps the list of its values, so callers can refuse it.
 *
 * Beware: a quoted value may hold commas (`private="set-cookie, x-user"`), so the value is
 * scanned, not split on ",".
 * @example parseCacheControl('public, max-age=60, private="a, b"')
 * // Map { 'public' => [true], 'max-age' => ['60'], 'private' => ['a, b'] }
 */
export function parseCacheControl(header: string | null): Map<string, (string | true)[]> {
  const out = new Map<string, (string | true)[]>()
  scanCacheControl(header, (name, value) => {
    const list = out.get(name)
    if (list) {
      list.push(value)
    } else {
      out.set(name, [value])
    }
    return false
  })
  return out
}

/**
 * Call `visit` with each directive of a Cache-Control value in order, as `parseCacheControl`
 * reads them (the first 2,000 characters), until it returns true.
 */
function scanCacheControl(
  header: string | null,
  visit: (name: string, value: string | true) => boolean
): void {
  const text = (header ?? '').slice(0, 2000)
  let i = 0
  while (i < text.length) {
    const nameMatch = /^[\s,]*([^\s,=]+)\s*/.exec(text.slice(i))
    if (!nameMatch) {
      break
    }
    i += nameMatch[0].length
    const name = (nameMatch[1] ?? '').toLowerCase()
    let value: string | true = true
    if (text[i] === '=') {
      i++
      if (text[i] === '"') {
        let quoted = ''
        i++
        while (i < text.length && text[i] !== '"') {
          if (text[i] === '\\' && i + 1 < text.length) {
            i++
          }
          quoted += text[i]
          i++
        }
        i++
        value = quoted
      } else {
        const token = /^[^\s,]*/.exec(text.slice(i))?.[0] ?? ''
        i += token.length
        value = token
      }
    }
    if (visit(name, value)) {
      return
    }
  }
}

const REFUSING = new Set(['no-store', 'private', 'no-cache'])

/**
 * Whether a Cache-Control value alone forbids a shared cache to keep the response: it holds
 * `no-store`, `private` or `no-cache` as `parseCacheControl` reads it (then `storeDecision`
 * refuses, whatever else the response says). Read only up to the first such directive, with no
 * map built: the edge cache judges the usual dynamic page with it. A site sends the same value on
 * every dynamic page ("no-cache", "private, max-age=0"…): the last value's answer is remembered.
 * @example refusesSharedStorage('no-cache, max-age=0') // true
 */
export const refusesSharedStorage: (header: string | null) => boolean = rememberLast((header) => {
  let refused = false
  scanCacheControl(header, (name) => (refused = REFUSING.has(name)))
  return refused
})

/** A delta-seconds value (RFC 9111 §1.2.2), or undefined when it is not one. */
function deltaSeconds(value: string | true | undefined): number | undefined {
  return typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : undefined
}

/**
 * Why this request must neither be answered from the cache nor fill it, or undefined when it
 * may. Only a plain GET qualifies: RFC 9111 §3.5 forbids a shared cache to reuse a response to
 * a request with Authorization, and a Range request wants part of a page, not the page.
 * @example bypassReason(new Request(url, { method: 'POST' })) // 'method POST'
 */
export function bypassReason(request: Request): string | undefined {
  if (request.method !== 'GET') {
    return `method ${request.method}`
  }
  if (request.headers.has('authorization')) {
    return 'authorization'
  }
  if (request.headers.has('range')) {
    return 'range'
  }
  return undefined
}

/**
 * Whether the origin's response to a GET may be kept in a shared cache, and for how many
 * seconds. Conservative: anything Tailor cannot key or cannot revalidate is not stored.
 *
 * Stored only: a 200 HTML page; no `Set-Cookie`; no `private`, `no-store` or `no-cache` in any
 * form (RFC 9111 §5.2.2); `Vary` absent or only `Accept-Encoding` (the key is the URL alone, so
 * `Vary: *` or `Vary: Cookie` cannot be honoured); an explicit lifetime from `s-maxage`, else
 * `max-age`, else `Expires` − `Date` (§4.2.1), less `Age`, above zero, capped by
 * `maxAgeSeconds`. A lifetime directive that is repeated or not a number is refused (§4.2.1
 * says to treat such a response as stale). A page that Tailor personalised always carries
 * `private, no-store`, so it can never pass.
 * @example
 * storeDecision(new Response('<p>hi</p>', { headers: {
 *   'content-type': 'text/html', 'cache-control': 'public, s-maxage=600, max-age=60' } }))
 * // { store: true, ttl: 600 }
 */
export function storeDecision(response: Response, options: CacheOptions = {}): StoreDecision {
  if (response.status !== 200) {
    return { store: false, reason: `status ${response.status}` }
  }
  const headers = response.headers
  if (headers.has('set-cookie')) {
    return { store: false, reason: 'set-cookie' }
  }
  const { type } = parseContentType(headers.get('content-type'))
  if (!HTML_TYPES.has(type)) {
    return { store: false, reason: `not html: ${type || 'no content-type'}` }
  }
  const vary = (headers.get('vary') ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean)
  if (vary.some((name) => name !== 'accept-encoding')) {
    return { store: false, reason: `vary: ${vary.join(', ')}` }
  }
  const cc = parseCacheControl(headers.get('cache-control'))
  for (const directive of ['no-store', 'private', 'no-cache']) {
    if (cc.has(directive)) {
      return { store: false, reason: directive }
    }
  }
  let lifetime: number | undefined
  for (const directive of ['s-maxage', 'max-age']) {
    const values = cc.get(directive)
    if (values) {
      lifetime = values.length === 1 ? deltaSeconds(values[0]) : undefined
      if (lifetime === undefined) {
        return { store: false, reason: `invalid ${directive}` }
      }
      break
    }
  }
  if (lifetime === undefined) {
    const expires = headers.get('expires')
    if (expires === null) {
      return { store: false, reason: 'no explicit lifetime' }
    }
    const date = Date.parse(headers.get('date') ?? '')
    const at = Date.parse(expires)
    // RFC 9111 §5.3: an invalid Expires (e.g. "0") means already expired.
    lifetime = Number.isNaN(at)
      ? 0
      : Math.floor((at - (Number.isNaN(date) ? Date.now() : date)) / 1000)
  }
  const age = deltaSeconds(headers.get('age') ?? undefined) ?? 0
  let ttl = lifetime - age
  if (options.maxAgeSeconds !== undefined) {
    ttl = Math.min(ttl, options.maxAgeSeconds)
  }
  if (ttl <= 0) {
    return { store: false, reason: 'already stale' }
  }
  return { store: true, ttl }
}

/**
 * The cache key of a page: a bare GET of its public URL (no fragment, no headers), so one copy
 * serves every visitor and purging the page's URL purges Tailor's copy too.
 * @example cacheKey(new URL('https://shop.example/a?b=1#top')).url // 'https://shop.example/a?b=1'
 */
export function cacheKey(url: URL): Request {
  return new Request(cacheKeyUrl(url), { method: 'GET' })
}

/** The URL of a page's cache key, as a string: the URL without its fragment. */
export function cacheKeyUrl(url: URL): string {
  // Each `href` read makes a new string in the runtime: once.
  const href = url.href
  const hash = href.indexOf('#')
  return hash === -1 ? href : href.slice(0, hash)
}

/**
 * The headers of the copy put in the cache: the origin's, with the lifetime Tailor decided
 * written as `s-maxage` (which browsers ignore and shared caches obey, RFC 9111 §5.2.2.10)
 * and no `Age` (the lifetime already counts it).
 * @example storedHeaders(res.headers, 60).get('cache-control') // 'public, max-age=300, s-maxage=60'
 */
export function storedHeaders(origin: Headers, ttl: number): Headers {
  const headers = new Headers(origin)
  const kept = (origin.get('cache-control') ?? '')
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d && !/^s-maxage\s*=/i.test(d))
  headers.set('cache-control', [...kept, `s-maxage=${ttl}`].join(', '))
  headers.delete('age')
  return headers
}
