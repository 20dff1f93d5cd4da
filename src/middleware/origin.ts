// The handler that fetches the page from the origin: ORIGIN when set, else the embedded demo site.
import type { Handler } from 'hono'
import type { CacheOptions, EdgeCache } from '../cache'
import { createEdgeCache } from '../cache'
import type { TailorBindings, TailorEnv, WaitUntil } from '../env'
import { errorText, logWarn } from '../log'
import { tailorCookieNames } from '../personalise'
import {
  buildOriginRequest,
  errorAnswer,
  hasConditions,
  isNotModified,
  notModified,
  originHref,
  originRequestInit,
  rebaseLocation,
  RETRY_AFTER_SECONDS,
  skipReason,
} from '../proxy'
import { VISITOR_COOKIE_NAME } from '../visitor'
import { waitUntilOf } from './execution'
import type { OriginAsk } from './pages'

/** Marks requests Tailor sends upstream, so a misconfigured ORIGIN cannot loop. */
export const VIA_HEADER = 'x-tailor-via'

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

// ORIGIN (or a host's origin) is one of a few strings per isolate: parsed once each, not per
// request. The URL is only read (originHref keys its memo on it), never changed.
const parsedOrigins = new Map<string, URL | undefined>()
function originOf(value: string | undefined): URL | undefined {
  if (!value) {
    return undefined
  }
  if (!parsedOrigins.has(value)) {
    if (parsedOrigins.size >= 16) {
      parsedOrigins.clear()
    }
    parsedOrigins.set(value, parseOrigin(value))
  }
  return parsedOrigins.get(value)
}

/**
 * The answer to a GET with `If-None-Match`/`If-Modified-Since` (docs/operating.md, "Caching and
 * conditional requests"). An origin's 304 passes on as a proper 304 (no body). A 200 becomes a
 * 304 from its own validators (a cached copy's, or an origin's that ignored the conditions)
 * unless the visitor's page will be personalised (`dropped`: their edits apply, so the
 * conditions were not sent and the page must come whole). A page Tailor will not rewrite (not
 * HTML, not a 200 GET…) may be confirmed either way.
 */
function answerConditions(
  request: Request,
  res: Response,
  dropped: boolean,
  conditional: boolean
): Response {
  if (res.status === 304) {
    return res.body ? notModified(res) : res
  }
  if (!conditional) {
    return res
  }
  if (dropped && skipReason(request.method, res) === undefined) {
    return res
  }
  return isNotModified(request, res) ? notModified(res) : res
}

export type OriginOptions = {
  /**
   * The edge cache in front of ORIGIN when no valid config is live for the request (behind
   * `tailor()`, the live config's `cache` field wins). Default: on, see CacheOptions.
   */
  cache?: CacheOptions
  /** The clock, ms since the epoch (the cache's memory of uncacheable pages). Default `Date.now`. */
  clock?: () => number
}

/**
 * Proxy every request to the origin, streaming both ways. Redirects come back to the browser
 * as they are (pointed back at this host when they name the origin's).
 *
 * With the cache on (the default), a GET for an HTML page is answered from the Workers Cache API
 * when an earlier visitor's request left the origin's copy there, and the origin's response is
 * kept when its Cache-Control allows a shared cache to keep it. Only the origin's own bytes are
 * stored: the `tailor()` middleware personalises after this handler returns. The embedded demo
 * site (Static Assets, no ORIGIN) is never cached: it is already at the edge.
 * @example app.all('*', origin({ cache: { maxAgeSeconds: 600 } }))
 */
export function origin(options: OriginOptions = {}): Handler<TailorEnv> {
  const proxy = originProxy(options)
  return function origin(c) {
    // Set by tailor(): the request's live config, the same one its page is personalised with.
    // `c.get`, not `c.var`: Hono builds a new object of every variable on each `c.var` read.
    return proxy(c.req.raw, c.env, waitUntilOf(c), {
      site: c.get('tailorSite'),
      url: c.get('tailorUrl'),
      dropConditions: c.get('tailorDropConditions') === true,
    })
  }
}

/**
 * `origin()` as a plain function of the request, for the page worker's `fetch` (no Hono on the
 * page path): `ask` is what the page path learned before asking (`OriginAsk`).
 * @example const proxy = originProxy({}); const res = await proxy(request, env, undefined, { site, url, dropConditions: false })
 */
export function originProxy(options: OriginOptions = {}) {
  // Once per isolate: the edge cache and its memory of pages the origin marks uncacheable; one
  // per live `cache` options object, so a KV config's `cache.*` applies once it is live.
  const fallback = createEdgeCache(options.cache)
  const clock = options.clock ?? Date.now
  const byOptions = new WeakMap<CacheOptions, EdgeCache | undefined>()
  function edgeFor(cache: CacheOptions | undefined): EdgeCache | undefined {
    if (!cache) {
      return fallback
    }
    if (!byOptions.has(cache)) {
      byOptions.set(cache, createEdgeCache(cache))
    }
    return byOptions.get(cache)
  }
  return async function proxy(
    request: Request,
    env: TailorBindings | undefined,
    waitUntil: WaitUntil | undefined,
    ask: OriginAsk
  ): Promise<Response> {
    const { site, dropConditions } = ask
    const conditional = ask.conditional ?? hasConditions(request)
    const cookieName = site ? tailorCookieNames(site.site) : [VISITOR_COOKIE_NAME]
    const edge = edgeFor(site?.site?.config.cache)
    const requestUrl = ask.url ?? new URL(request.url)
    // A request that already went through Tailor once: ORIGIN points back at this worker.
    if (request.headers.get(VIA_HEADER)) {
      logWarn('origin', 'ORIGIN leads back to Tailor itself; refusing to loop')
      return errorAnswer(508, 'Loop detected: this site is not set up correctly.')
    }
    const configured = site?.site?.origin ?? env?.ORIGIN
    // "self": the request's own URL. On a route in front of a zone, Cloudflare sends a Worker's
    // subrequest to its own hostname to the zone's origin server.
    const base = configured === 'self' ? new URL(requestUrl.origin) : originOf(configured)
    if (configured && !base) {
      logWarn('origin', 'ORIGIN is not an http(s) URL; set it like "https://www.example.com"')
      return errorAnswer(502, 'Bad gateway: this site is not set up correctly.')
    }
    if (!base) {
      if (!env?.ASSETS) {
        logWarn('origin', 'no ORIGIN and no ASSETS binding: set ORIGIN to the site to front')
        return errorAnswer(502, 'Bad gateway: this site is not set up correctly.')
      }
      const asset = await env.ASSETS.fetch(
        buildOriginRequest(request, requestUrl, cookieName, { dropConditions, requestUrl })
      )
      return answerConditions(request, asset, dropConditions, conditional)
    }
    // Most pages have no lookup to wait for (known uncacheable): no await then.
    const looking = edge?.lookup(request, requestUrl, clock())
    const hit = looking ? await looking : undefined
    if (hit) {
      return answerConditions(request, hit, dropConditions, conditional)
    }
    let res: Response
    try {
      const target = originHref(requestUrl, base)
      res = await fetch(
        target,
        originRequestInit(request, cookieName, { dropConditions, requestUrl })
      )
    } catch (err) {
      logWarn('origin', `fetch failed: ${errorText(err)}`)
      return errorAnswer(
        502,
        'Bad gateway: the site could not be reached. Try again shortly.',
        RETRY_AFTER_SECONDS
      )
    }
    if (edge) {
      res = edge.keep(request, requestUrl, res, clock(), waitUntil)
    }
    res = answerConditions(request, res, dropConditions, conditional)
    const location = rebaseLocation(res.headers.get('location'), base, requestUrl)
    if (location === null) {
      return res
    }
    const moved = new Response(res.body, res)
    moved.headers.set('location', location)
    return moved
  }
}
