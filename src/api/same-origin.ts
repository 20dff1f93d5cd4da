// Refuse state-changing requests that a browser sent from another site.
import type { MiddlewareHandler } from 'hono'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Why a request looks cross-site, or undefined. Uses Fetch Metadata (`Sec-Fetch-Site`) and
 * `Origin`; a request with neither (curl, a server) is not a browser's and is allowed.
 * hono/csrf checks only form content types; this checks every unsafe method, JSON included.
 */
export function crossSiteReason(request: Request): string | undefined {
  const site = request.headers.get('sec-fetch-site')
  if (site !== null && site !== 'same-origin' && site !== 'none') {
    return `Sec-Fetch-Site is "${site.slice(0, 20)}"`
  }
  const origin = request.headers.get('origin')
  if (origin !== null && origin !== new URL(request.url).origin) {
    return 'Origin is another site'
  }
  return undefined
}

/** Middleware: 403 with a JSON error for cross-site unsafe requests. */
export function sameOrigin(): MiddlewareHandler {
  return async function sameOrigin(c, next) {
    if (!SAFE_METHODS.has(c.req.method)) {
      const reason = crossSiteReason(c.req.raw)
      if (reason) {
        c.header('cache-control', 'no-store')
        return c.json({ error: `Cross-site request refused: ${reason}.` }, 403)
      }
    }
    await next()
  }
}
