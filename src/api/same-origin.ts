// Refuse state-changing requests that a browser sent from another site, or whose source is unknown.
import type { MiddlewareHandler } from 'hono'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Why a request looks cross-site, or undefined. Uses Fetch Metadata (`Sec-Fetch-Site`), then
 * `Origin`, then (when neither is sent) `Referer`. hono/csrf checks only form content types;
 * this checks every unsafe method, JSON included.
 */
export function crossSiteReason(request: Request): string | undefined {
  const own = new URL(request.url).origin
  const site = request.headers.get('sec-fetch-site')
  if (site !== null && site !== 'same-origin' && site !== 'none') {
    return `Sec-Fetch-Site is "${site.slice(0, 20)}"`
  }
  const origin = request.headers.get('origin')
  if (origin !== null && origin !== own) {
    return 'Origin is another site'
  }
  const referer = request.headers.get('referer')
  if (site === null && origin === null && referer !== null && refererOrigin(referer) !== own) {
    return 'Referer is another site'
  }
  return undefined
}

function refererOrigin(referer: string): string | undefined {
  try {
    return new URL(referer).origin
  } catch {
    return undefined
  }
}

/**
 * Why the source of a state-changing request cannot be established, or undefined. A request
 * with none of `Origin`, `Referer` and `Sec-Fetch-Site` is refused: OWASP's CSRF Prevention
 * Cheat Sheet ("Verifying origin with standard headers") says to block when neither source
 * header is present. Every browser sends `Origin` on a POST, PUT or DELETE (forms and fetch
 * alike), so only clients that chose not to (curl, scripts, some privacy proxies) are asked to.
 * @example missingSourceReason(new Request(url, { method: 'PUT' })) // 'Send the header Origin: …'
 */
export function missingSourceReason(request: Request): string | undefined {
  const h = request.headers
  if (h.has('origin') || h.has('referer') || h.has('sec-fetch-site')) {
    return undefined
  }
  const own = new URL(request.url).origin
  return `its source is unknown. Send the header Origin: ${own} (with curl: -H 'Origin: ${own}')`
}

/** Middleware: 403 with a JSON error for cross-site unsafe requests and those of unknown source. */
export function sameOrigin(): MiddlewareHandler {
  return async function sameOrigin(c, next) {
    if (!SAFE_METHODS.has(c.req.method)) {
      const cross = crossSiteReason(c.req.raw)
      const missing = cross ? undefined : missingSourceReason(c.req.raw)
      if (cross || missing) {
        c.header('cache-control', 'no-store')
        const error = cross
          ? `Cross-site request refused: ${cross}.`
          : `Request refused: ${missing}.`
        return c.json({ error }, 403)
      }
    }
    await next()
  }
}
