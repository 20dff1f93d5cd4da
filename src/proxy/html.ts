// Which responses Tailor may rewrite, and the headers a personalised response carries.
import { rememberLast } from '../memo'
import { BODY_DESCRIPTION_HEADERS, SHARED_CACHE_HEADERS } from './headers'

const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml'])
// Charsets HTMLRewriter streams as UTF-8 without loss (US-ASCII is a subset).
const UTF8_CHARSETS = new Set(['utf-8', 'utf8', 'unicode-1-1-utf-8', 'us-ascii'])

/**
 * The Content-Encoding values the Workers runtime decodes on `fetch()` (so the body Tailor reads
 * is HTML): exactly `gzip` and `br`, in lower case. Coding names are case-insensitive (RFC 9110
 * §8.4.1), but workerd matches them exactly: measured with workerd 1.20260426, `GZIP`, `Gzip`,
 * `x-gzip`, `gzip ` and `gzip, br` all reach the worker still encoded. Anything else passes
 * through untouched (docs/operating.md).
 */
const RUNTIME_DECODED = new Set(['gzip', 'br'])

/** `identity` (any case, RFC 9110 §8.4.1) or empty: the body is not encoded at all. */
function isIdentity(encoding: string): boolean {
  const value = encoding.trim().toLowerCase()
  return value === '' || value === 'identity'
}

/** A Content-Type value's media type and charset, lower-cased (`parseContentType`). */
export type ContentType = Readonly<{ type: string; charset?: string }>

/**
 * The media type and charset of a Content-Type value (RFC 9110 §8.3), lower-cased. One page's
 * Content-Type is read by the cache, the rewrite check and the charset check, and a site sends
 * the same value on every page: the last value's answer is remembered.
 */
export const parseContentType: (header: string | null) => ContentType = rememberLast((header) => {
  if (!header) {
    return NO_CONTENT_TYPE
  }
  const [type = '', ...params] = header.split(';')
  let charset: string | undefined
  for (const param of params) {
    const [name, value] = param.split('=')
    if (name?.trim().toLowerCase() === 'charset' && value !== undefined) {
      charset = value.trim().replace(/^"|"$/g, '').toLowerCase()
    }
  }
  return Object.freeze({ type: type.trim().toLowerCase(), charset })
})
const NO_CONTENT_TYPE: ContentType = Object.freeze({ type: '' })

/**
 * Why a response must pass through untouched, or undefined when it may be personalised.
 * Only a 200 GET response with an HTML media type and a body qualifies; no sniffing.
 * @example skipReason('GET', res) // 'not html: image/png'
 */
export function skipReason(method: string, res: Response): string | undefined {
  if (method !== 'GET') {
    return `method ${method}`
  }
  if (res.status !== 200) {
    return `status ${res.status}`
  }
  if (!res.body) {
    return 'no body'
  }
  // Each `res.headers` read crosses into the runtime: once here.
  const headers = res.headers
  const { type, charset } = parseContentType(headers.get('content-type'))
  if (!HTML_TYPES.has(type)) {
    return `not html: ${type || 'no content-type'}`
  }
  if (charset !== undefined && !UTF8_CHARSETS.has(charset)) {
    return `charset ${charset}`
  }
  const disposition = headers.get('content-disposition')
  if (disposition !== null && /^\s*attachment/i.test(disposition)) {
    return 'attachment'
  }
  // RFC 9111 §5.2.2.6: no-transform forbids intermediaries to change the content.
  if (forbidsTransform(headers.get('cache-control'))) {
    return 'no-transform'
  }
  const encoding = headers.get('content-encoding')
  if (encoding !== null && !RUNTIME_DECODED.has(encoding) && !isIdentity(encoding)) {
    // Still encoded: the rewriter would see compressed bytes. Passed through byte for byte.
    return `content-encoding ${encoding.slice(0, 40)}`
  }
  return undefined
}

/**
 * Whether a Cache-Control value has `no-transform`. A site sends the same value on every page,
 * so the last value's answer is remembered (one regular expression per new value, not per page).
 * @example forbidsTransform('public, No-Transform') // true
 */
export const forbidsTransform: (header: string | null) => boolean = rememberLast(
  (header) => header !== null && /(?:^|,)\s*no-transform\s*(?:,|$)/i.test(header)
)

/** What a personalised response depends on, merged into `Vary` (RFC 9110 §12.5.5). */
export const VARY_ON = ['Accept-Language', 'Cookie', 'Sec-CH-UA-Mobile', 'User-Agent']

/** Merge field names into a Vary value, keeping the origin's (and `*`, which covers all). */
export function mergeVary(current: string | null, add: readonly string[]): string {
  const names = (current ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean)
  if (names.includes('*')) {
    return '*'
  }
  const seen = new Set(names.map((n) => n.toLowerCase()))
  for (const name of add) {
    if (!seen.has(name.toLowerCase())) {
      names.push(name)
      seen.add(name.toLowerCase())
    }
  }
  return names.join(', ')
}

// Fields a personalised response drops: always, and also when its body was rewritten.
const DROPPED: readonly string[] = SHARED_CACHE_HEADERS
const DROPPED_REWRITTEN: readonly string[] = [...SHARED_CACHE_HEADERS, ...BODY_DESCRIPTION_HEADERS]
// `Vary` of a response that had none (most pages).
const VARY_ALONE = mergeVary(null, VARY_ON)

/**
 * Make a response's headers fit a page personalised for one visitor: never stored by a shared
 * cache (`private, no-store`, and none of the CDN-targeted fields that CDNs obey over
 * Cache-Control, RFC 9213), no length, digests or validators of the origin's bytes when the body
 * was rewritten, and the time Tailor took. The lists are in `src/proxy/headers.ts`.
 *
 * Each field is deleted by name, present or not: under load in workerd (issue 9) a `delete` or
 * `get` costs about a thirtieth of one walk over the fields, so 19 deletes cost less than
 * finding the few that are there.
 * @example personaliseHeaders(res.headers, 1.2, true) // cache-control: private, no-store
 */
export function personaliseHeaders(headers: Headers, durationMs: number, rewritten: boolean): void {
  // A rewritten body is no longer the origin's bytes: its length, digests, validators and ranges
  // no longer hold. Without validators no client can revalidate it, so it is never a 304.
  for (const name of rewritten ? DROPPED_REWRITTEN : DROPPED) {
    headers.delete(name)
  }
  const vary = headers.get('vary')
  const existing = headers.get('server-timing')
  headers.set('cache-control', 'private, no-store')
  headers.set('vary', vary === null ? VARY_ALONE : mergeVary(vary, VARY_ON))
  const timing = `tailor;dur=${Math.max(0, durationMs).toFixed(1)}`
  headers.set('server-timing', existing ? `${existing}, ${timing}` : timing)
}
