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
 * Cost: each call on a `Headers` object crosses into the runtime and costs more than the
 * JavaScript around it (timed in workerd, issue 9). So the fields are read in one pass, copied
 * natively in one call, and only the few that must change are touched on the copy.
 * @example fetch(originHref(url, origin), originRequestInit(c.req.raw, '__Host-tailor'))
 */
export function originRequestInit(
  request: Request,
  cookieNames: string | readonly string[],
  options: OriginRequestOptions = {}
): RequestInit {
  const url = options.requestUrl ?? new URL(request.url)
  const incoming = request.headers
  const headers = new Headers(incoming)
  // One pass over the runtime's fields (names lower-cased, Fetch standard "sort and combine");
  // what follows works on that plain array.
  const fields = [...incoming]
  let connection: string | undefined
  let upgrade: string | undefined
  let client: string | undefined
  for (const [name, value] of fields) {
    if (name === 'connection') {
      connection = value
    } else if (name === 'upgrade') {
      upgrade = value
    } else if (name === 'cf-connecting-ip') {
      client = value
    }
  }
  // Fields the client's Connection header marks as hop-by-hop (a WebSocket's "Upgrade" is kept).
  const named = connection
    ? new Set(
        connection
          .toLowerCase()
          .split(',')
          .map((n) => n.trim())
          .filter(Boolean)
      )
    : undefined
  const dropped = options.dropConditions ? CONDITIONAL_REQUEST_HEADERS : undefined
  for (const [name, value] of fields) {
    if (
      HOP_BY_HOP.has(name) ||
      named?.has(name) ||
      isUntrustedForwarding(name) ||
      dropped?.includes(name)
    ) {
      headers.delete(name)
    } else if (name === 'cookie') {
      let cookie: string | null = value
      for (const cookieName of typeof cookieNames === 'string' ? [cookieNames] : cookieNames) {
        cookie = stripCookie(cookie, cookieName)
      }
      if (cookie === null) {
        headers.delete('cookie')
      } else if (cookie !== value) {
        headers.set('cookie', cookie)
      }
    } else if (name === 'accept-encoding') {
      const limited = limitAcceptEncoding(value) ?? 'identity'
      if (limited !== value) {
        headers.set(name, limited)
      }
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
  const method = request.method
  const hasBody = method !== 'GET' && method !== 'HEAD'
  return { method, headers, body: hasBody ? request.body : null, redirect: 'manual' }
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
