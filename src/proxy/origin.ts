// The request Tailor sends to the origin: same method, body and headers, minus what must not pass.
import { stripCookie } from '../visitor'

// RFC 9110 §7.6.1: hop-by-hop fields are for one connection only.
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
]
// Client-sent forwarding headers can say anything; Tailor sets its own (RFC 7239).
const UNTRUSTED = [
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-real-ip',
]
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

/**
 * Build the upstream request. Redirects are not followed (`redirect: 'manual'`), so the visitor's
 * browser sees them; the body streams through untouched.
 * @example fetch(buildOriginRequest(c.req.raw, new URL('https://www.example.com'), '__Host-tailor'))
 */
export function buildOriginRequest(
  request: Request,
  target: URL,
  cookieNames: string | readonly string[]
): Request {
  const url = new URL(request.url)
  const headers = new Headers(request.headers)
  const upgrade = headers.get('upgrade')
  for (const name of [...HOP_BY_HOP, ...UNTRUSTED]) {
    headers.delete(name)
  }
  if (upgrade) {
    // A WebSocket handshake keeps its Upgrade and Connection fields (RFC 6455 §4.1).
    headers.set('upgrade', upgrade)
    headers.set('connection', 'Upgrade')
  }
  let cookie = request.headers.get('cookie')
  for (const name of typeof cookieNames === 'string' ? [cookieNames] : cookieNames) {
    cookie = stripCookie(cookie, name)
  }
  if (cookie === null) {
    headers.delete('cookie')
  } else {
    headers.set('cookie', cookie)
  }
  const encoding = limitAcceptEncoding(request.headers.get('accept-encoding'))
  if (encoding !== null) {
    headers.set('accept-encoding', encoding)
  }
  // Only the platform's own CF-Connecting-IP is trusted as the client address.
  const client = request.headers.get('cf-connecting-ip')
  if (client) {
    headers.set('x-forwarded-for', client)
  }
  headers.set('x-forwarded-host', url.host)
  headers.set('x-tailor-via', '1')
  headers.set('x-forwarded-proto', url.protocol.replace(':', ''))
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD'
  return new Request(target, {
    method: request.method,
    headers,
    body: hasBody ? request.body : null,
    redirect: 'manual',
  })
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
