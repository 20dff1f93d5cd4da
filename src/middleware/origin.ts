// The handler that fetches the page from the origin: ORIGIN when set, else the embedded demo site.
import type { Handler } from 'hono'
import type { TailorEnv } from '../env'
import { errorText, logWarn } from '../log'
import { buildOriginRequest, originUrl, rebaseLocation } from '../proxy'

/** The default cookie name, for when no valid config says otherwise. */
const DEFAULT_COOKIE = '__Host-tailor'

function parseOrigin(value: string | undefined): URL | undefined {
  if (!value) {
    return undefined
  }
  try {
    const url = new URL(value)
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined
  } catch {
    return undefined
  }
}

/**
 * Proxy every request to the origin, streaming both ways. Redirects come back to the browser
 * as they are (pointed back at this host when they name the origin's).
 * @example app.all('*', origin())
 */
export function origin(): Handler<TailorEnv> {
  return async function origin(c) {
    const cookieName = c.var.tailor?.compiled.config.cookie.name ?? DEFAULT_COOKIE
    const requestUrl = new URL(c.req.url)
    const base = parseOrigin(c.env.ORIGIN)
    if (c.env.ORIGIN && !base) {
      logWarn('origin', 'ORIGIN is not an http(s) URL; set it like "https://www.example.com"')
      return c.text('Tailor: ORIGIN is not a valid http(s) URL.', 502)
    }
    if (!base) {
      if (!c.env.ASSETS) {
        return c.text('Tailor: set ORIGIN to the site to put Tailor in front of.', 502)
      }
      return c.env.ASSETS.fetch(buildOriginRequest(c.req.raw, requestUrl, cookieName))
    }
    let res: Response
    try {
      res = await fetch(buildOriginRequest(c.req.raw, originUrl(requestUrl, base), cookieName))
    } catch (err) {
      logWarn('origin', `fetch failed: ${errorText(err)}`)
      return c.text('Tailor: the origin could not be reached.', 502)
    }
    const location = rebaseLocation(res.headers.get('location'), base, requestUrl)
    if (location === null) {
      return res
    }
    const moved = new Response(res.body, res)
    moved.headers.set('location', location)
    return moved
  }
}
