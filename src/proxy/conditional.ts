// Conditional GETs (RFC 9110 §13): when Tailor may answer 304, and a proper 304 when it does.
import { CONDITIONAL_REQUEST_HEADERS } from './headers'

/**
 * Fields a 304 carries (RFC 9110 §15.4.5): those a 200 would have had that guide a cache's
 * update, plus `Last-Modified` (useful without an ETag), `Set-Cookie` and `Server-Timing`.
 */
const NOT_MODIFIED_FIELDS = [
  'cache-control',
  'content-location',
  'date',
  'etag',
  'expires',
  'last-modified',
  'vary',
  'set-cookie',
  'server-timing',
]

/** Whether a GET or HEAD carries `If-None-Match` or `If-Modified-Since`. */
export function hasConditions(request: Request): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return false
  }
  return CONDITIONAL_REQUEST_HEADERS.some((name) => request.headers.has(name))
}

/** The opaque part of an entity-tag, for the weak comparison (RFC 9110 §8.8.3.2). */
function opaqueTag(tag: string): string {
  return tag.trim().replace(/^W\//, '')
}

/**
 * Whether the client's copy is still current, so a 304 may replace this 200 (RFC 9110 §13.2.2):
 * `If-None-Match` by weak comparison against the response's `ETag`; when absent,
 * `If-Modified-Since` against `Last-Modified` (an invalid date is ignored, §13.1.3). A response
 * with neither validator (a personalised page) is never "not modified".
 * @example isNotModified(req /* If-None-Match: "v1" *\/, res /* ETag: W/"v1" *\/) // true
 */
export function isNotModified(request: Request, response: Response): boolean {
  if (response.status !== 200 || !hasConditions(request)) {
    return false
  }
  const etag = response.headers.get('etag')
  const lastModified = response.headers.get('last-modified')
  if (etag === null && lastModified === null) {
    return false
  }
  const ifNoneMatch = request.headers.get('if-none-match')
  if (ifNoneMatch !== null) {
    if (etag === null) {
      return false
    }
    if (ifNoneMatch.trim() === '*') {
      return true
    }
    const wanted = opaqueTag(etag)
    return ifNoneMatch
      .slice(0, 4000)
      .split(',')
      .some((tag) => opaqueTag(tag) === wanted)
  }
  const since = Date.parse(request.headers.get('if-modified-since') ?? '')
  const modified = Date.parse(lastModified ?? '')
  return !Number.isNaN(since) && !Number.isNaN(modified) && modified <= since
}

/**
 * A proper 304 for a response: no body (the response's is cancelled, so the origin's stream is
 * not read), and only the fields RFC 9110 §15.4.5 lists.
 * @example return isNotModified(req, res) ? notModified(res) : res
 */
export function notModified(response: Response): Response {
  response.body?.cancel().catch(() => {})
  const headers = new Headers()
  for (const name of NOT_MODIFIED_FIELDS) {
    if (name === 'set-cookie') {
      for (const cookie of response.headers.getSetCookie()) {
        headers.append(name, cookie)
      }
      continue
    }
    const value = response.headers.get(name)
    if (value !== null) {
      headers.set(name, value)
    }
  }
  return new Response(null, { status: 304, headers })
}
