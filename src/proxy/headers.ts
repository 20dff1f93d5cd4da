// The header lists of the proxy, each in one place: what never reaches the origin, what a
// personalised response must not carry.

/** RFC 9110 §7.6.1: hop-by-hop fields are for one connection only. */
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
])

/**
 * Client-sent fields that proxies and frameworks trust as facts about the request: the client's
 * address, the scheme, host, port and path the client used, or another method. A client can put
 * anything in them, so none reaches the origin; Tailor sets X-Forwarded-For/Host/Proto itself
 * from what it knows (RFC 7239 describes `Forwarded`, the rest are de facto). The whole
 * `X-Forwarded-*` family is matched by prefix (`isUntrustedForwarding`), so a new member
 * (X-Forwarded-Port, -Server, -Prefix, -Ssl, -Uri…) is dropped too.
 * - X-Real-IP: nginx's client address.
 * - X-Original-URL, X-Rewrite-URL: IIS / Symfony / Zend take the request path from them, which
 *   can route past path-based rules at the origin.
 * - X-HTTP-Method-Override, X-HTTP-Method, X-Method-Override: frameworks turn a GET or POST into
 *   another method, which would let a "safe" GET through Tailor become a DELETE at the origin.
 */
export const UNTRUSTED_FORWARDING: ReadonlySet<string> = new Set([
  'forwarded',
  'x-real-ip',
  'x-original-url',
  'x-rewrite-url',
  'x-http-method-override',
  'x-http-method',
  'x-method-override',
])

/** Whether a (lower-case) request field name is a client-sent forwarding claim Tailor drops. */
export function isUntrustedForwarding(name: string): boolean {
  return name.startsWith('x-forwarded-') || UNTRUSTED_FORWARDING.has(name)
}

/**
 * Fields that tell a shared cache (a CDN) how long to keep a response, obeyed over
 * `Cache-Control`. A personalised response drops them all, so no CDN keeps one visitor's page.
 * - `CDN-Cache-Control`: RFC 9213 (Targeted HTTP Cache Control), for every CDN.
 * - `Cloudflare-CDN-Cache-Control`: Cloudflare's own target (RFC 9213 §2.1, Cloudflare docs
 *   "CDN-Cache-Control").
 * - `Surrogate-Control`: W3C Edge Architecture note (2001), used by Fastly and Akamai.
 * - `Akamai-Cache-Control`, `Edge-Control`: Akamai's targeted and legacy fields.
 * - `Fastly-Surrogate-Control`: Fastly's alias of Surrogate-Control.
 * - `Vercel-CDN-Cache-Control`: Vercel's RFC 9213 target.
 * - `Netlify-CDN-Cache-Control`: Netlify's RFC 9213 target.
 * - `X-Accel-Expires`: nginx's proxy cache lifetime, obeyed over Cache-Control.
 * - `Surrogate-Key`, `Cache-Tag`: purge tags (Fastly, Cloudflare) that tie the page to
 *   shared-cache entries; meaningless on a page no cache keeps.
 */
export const SHARED_CACHE_HEADERS: readonly string[] = [
  'cdn-cache-control',
  'cloudflare-cdn-cache-control',
  'surrogate-control',
  'akamai-cache-control',
  'edge-control',
  'fastly-surrogate-control',
  'vercel-cdn-cache-control',
  'netlify-cdn-cache-control',
  'x-accel-expires',
  'surrogate-key',
  'cache-tag',
]

/**
 * Fields that describe the origin's exact bytes: their length, digests and validators. A
 * rewritten body is other bytes, so all of them are dropped from it.
 * - `Content-Length`, `Accept-Ranges` (RFC 9110 §8.6, §14.3): ranges of other bytes.
 * - `ETag`, `Last-Modified` (RFC 9110 §8.8): validators of the origin's representation; a
 *   personalised page is never answered with 304 (docs/operating.md).
 * - `Content-MD5` (RFC 1864, obsoleted), `Digest` (RFC 3230, obsoleted by RFC 9530),
 *   `Content-Digest` and `Repr-Digest` (RFC 9530 §2, §3): digests of the origin's bytes.
 * - `Want-Content-Digest`, `Want-Repr-Digest` are requests, not descriptions, and are kept.
 */
export const BODY_DESCRIPTION_HEADERS: readonly string[] = [
  'content-length',
  'accept-ranges',
  'etag',
  'last-modified',
  'content-md5',
  'digest',
  'content-digest',
  'repr-digest',
]

/** Request fields that make a GET conditional on the client's cached copy (RFC 9110 §13.1). */
export const CONDITIONAL_REQUEST_HEADERS: readonly string[] = ['if-none-match', 'if-modified-since']
