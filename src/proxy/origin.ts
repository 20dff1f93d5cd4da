// The request Tailor sends to the origin: same method, body and headers, minus what must not pass.
import { stripCookie } from '../visitor'
import { CONDITIONAL_REQUEST_HEADERS, HOP_BY_HOP, isUntrustedForwarding } from './headers'

// Codings the Workers runtime decodes for us, so HTML stays rewritable.
const DECODABLE = new Set(['gzip', 'br', 'identity'])

/** Keep only codings the runtime decodes (RFC 9110 §12.5.3), with their q-values. */
export function limitAcceptEncoding(header: string | null): string | null {
  if (header === null) {
    return null
  }
  const kept = header
    .slice(0, 200)
    .split(',')
    .map((part) => part.trim())
    .filter((part) => DECODABLE.has(part.split(';')[0]?.trim().toLowerCase() ?? ''))
  return kept.length ? kept.join(', ') : 'identity'
}

/** Where a request goes: ORIGIN's scheme, host and path prefix, then the request's path and query. */
export function originUrl(requestUrl: URL, origin: URL): URL {
  const target = new URL(origin.href)
  target.pathname = origin.pathname.replace(/\/$/, '') + requestUrl.pathname
  target.search = requestUrl.search
  return target
}

// Per origin URL (parsed once per isolate): its href before the request's path (no query or
// fragment, no trailing "/"), and its fragment, which `originUrl` keeps.
const prefixes = new WeakMap<URL, { before: string; hash: string }>()

/**
 * `originUrl(requestUrl, origin).href`, built as a string: the request to the origin parses it
 * once, where a URL object would be copied, changed twice and serialised again per request.
 * @example originHref(new URL('https://tailor.dev/post?id=2'), new URL('https://example.com/blog')) // 'https://example.com/blog/post?id=2'
 */
export function originHref(requestUrl: URL, origin: URL): string {
  let parts = prefixes.get(origin)
  if (!parts) {
    const bare = new URL(origin.href)
    bare.search = ''
    bare.hash = ''
    parts = { before: bare.href.replace(/\/$/, ''), hash: origin.hash }
    prefixes.set(origin, parts)
  }
  return parts.before + requestUrl.pathname + requestUrl.search + parts.hash
}

/** Choices for `buildOriginRequest`. */
export type OriginRequestOptions = {
  /**
   * Drop `If-None-Match` and `If-Modified-Since`, so the origin answers with the whole page.
   * Set when this visitor's page will be personalised: the origin's 304 would confirm a copy
   * the visitor should not see (docs/operating.md, "Caching and conditional requests").
   * Default false: conditions reach the origin.
   */
  dropConditions?: boolean
  /** The request's URL, parsed already by the caller (else parsed here from `request.url`). */
  requestUrl?: URL
}

/**
 * Build the upstream request, in one pass over the incoming headers. Redirects are not followed
 * (`redirect: 'manual'`), so the visitor's browser sees them; the body streams through untouched.
 *
 * Dropped: hop-by-hop fields and those the `Connection` field names (RFC 9110 §7.6.1), every
 * client-sent forwarding claim (`src/proxy/headers.ts`), Tailor's own cookies. Set from what
 * Tailor knows: `X-Forwarded-For` (only the platform's `CF-Connecting-IP`), `-Host`, `-Proto`.
 * @example fetch(buildOriginRequest(c.req.raw, new URL('https://www.example.com'), '__Host-tailor'))
 */
export function buildOriginRequest(
  request: Request,
  target: URL | string,
  cookieNames: string | readonly string[],
  options: OriginRequestOptions = {}
): Request {
  return new Request(target, originRequestInit(request, cookieNames, options))
}

/**
 * What `buildOriginRequest` builds, as the init of `fetch(target, init)`: the runtime's fetch
 * copies its request anyway, so a Request built first would be one more copy of every field.
 *
 * Cost, measured in workerd (issue 9): walking a `Headers` object costs about 8 µs under load
 * however it is done (`forEach` is the cheapest walk), about 30 times a `get`; a plain list of
 * pairs as `headers` costs the runtime about 9 µs more to convert than a `Headers` object. So
 * the incoming fields are walked once to find what to drop or change, copied natively in one
 * call, and only those fields are touched on the copy.
 * @example fetch(originHref(url, origin), originRequestInit(c.req.raw, '__Host-tailor'))
 */
export function originRequestInit(
  request: Request,
  cookieNames: string | readonly string[],
  options: OriginRequestOptions = {}
): RequestInit {
  const url = options.requestUrl ?? new URL(request.url)
  const incoming = request.headers
  // The fields to drop or change, found in one walk (names lower-cased, a repeated field's
  // values combined: Fetch standard "sort and combine").
  const drop: string[] = []
  let connection: string | undefined
  let upgrade: string | undefined
  let client: string | undefined
  let cookie: string | undefined
  let encoding: string | undefined
  const conditions = options.dropConditions ? CONDITIONAL_REQUEST_HEADERS : undefined
  incoming.forEach((value, name) => {
    if (HOP_BY_HOP.has(name) || isUntrustedForwarding(name) || conditions?.includes(name)) {
      drop.push(name)
    } else if (name === 'cookie') {
      cookie = value
    } else if (name === 'accept-encoding') {
      encoding = value
    } else if (name === 'cf-connecting-ip') {
      client = value
    }
    if (name === 'connection') {
      connection = value
    } else if (name === 'upgrade') {
      upgrade = value
    }
  })
  // Fields the client's Connection header marks as hop-by-hop (a WebSocket's "Upgrade" is kept).
  if (connection) {
    for (const name of connection.toLowerCase().split(',')) {
      const field = name.trim()
      if (field && !drop.includes(field)) {
        drop.push(field)
      }
    }
  }
  // A copy made natively in one call; only the few fields that must change are touched.
  const headers = new Headers(incoming)
  for (const name of drop) {
    headers.delete(name)
  }
  if (cookie !== undefined && !drop.includes('cookie')) {
    let kept: string | null = cookie
    for (const cookieName of typeof cookieNames === 'string' ? [cookieNames] : cookieNames) {
      kept = stripCookie(kept, cookieName)
    }
    if (kept === null) {
      headers.delete('cookie')
    } else if (kept !== cookie) {
      headers.set('cookie', kept)
    }
  }
  if (encoding !== undefined && !drop.includes('accept-encoding')) {
    const limited = limitAcceptEncoding(encoding) ?? 'identity'
    if (limited !== encoding) {
      headers.set('accept-encoding', limited)
    }
  }
  if (upgrade) {
    // A WebSocket handshake keeps its Upgrade and Connection fields (RFC 6455 §4.1).
    headers.set('upgrade', upgrade)
    headers.set('connection', 'Upgrade')
  }
  // Only the platform's own CF-Connecting-IP is trusted as the client address.
  if (client) {
    headers.set('x-forwarded-for', client)
  }
  headers.set('x-forwarded-host', url.host)
  headers.set('x-tailor-via', '1')
  headers.set('x-forwarded-proto', url.protocol.slice(0, -1))
  // A GET (most requests) names neither method nor body: each member given is one more for the
  // runtime to read and convert.
  const init: RequestInit = { headers, redirect: 'manual' }
  const method = request.method
  if (method !== 'GET') {
    init.method = method
    init.body = method === 'HEAD' ? null : request.body
  }
  return init
}

/**
 * A redirect that points at the origin's own host is pointed back at Tailor's host, so visitors
 * stay behind Tailor (what reverse proxies call proxy_redirect). Other Locations are untouched.
 */
export function rebaseLocation(
  location: string | null,
  origin: URL,
  requestUrl: URL
): string | null {
  if (location === null) {
    return null
  }
  try {
    const target = new URL(location, origin)
    if (target.origin !== origin.origin) {
      return null
    }
    const prefix = origin.pathname.replace(/\/$/, '')
    const path =
      prefix && target.pathname.startsWith(prefix)
        ? target.pathname.slice(prefix.length)
        : target.pathname
    return new URL(path + target.search + target.hash, requestUrl.origin).href
  } catch {
    return null
  }
}
