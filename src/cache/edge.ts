// The Workers Cache API in front of the origin: look a page up, and keep the origin's copy of it.
import type { WaitUntil } from '../env'
import { errorText, logOnce, logWarn } from '../log'
import type { CacheOptions, StoreDecision } from './policy'
import {
  bypassReason,
  cacheKey,
  cacheKeyUrl,
  refusesSharedStorage,
  storeDecision,
  storedHeaders,
} from './policy'
import { createSkipList } from './skip'

/** The Server-Timing entry of a page answered from the edge cache. */
export const HIT_TIMING = 'cache;desc=hit'

/** The zone's default cache, or undefined where the runtime has none (e.g. plain Node). */
export function defaultCache(): Cache | undefined {
  return typeof caches === 'undefined' ? undefined : caches.default
}

/**
 * The cached copy of a page, marked with `Server-Timing: cache;desc=hit`, or undefined on a
 * miss. A broken cache is a miss (fail open), logged.
 * @example const hit = await lookup(caches.default, new URL(c.req.url))
 */
export async function lookup(cache: Cache, url: URL): Promise<Response | undefined> {
  let hit: Response | undefined
  try {
    hit = await cache.match(cacheKey(url))
  } catch (err) {
    logWarn('cache', `lookup failed, asking the origin: ${errorText(err)}`)
    return undefined
  }
  if (!hit) {
    return undefined
  }
  const res = new Response(hit.body, hit)
  const timing = res.headers.get('server-timing')
  res.headers.set('server-timing', timing ? `${timing}, ${HIT_TIMING}` : HIT_TIMING)
  return res
}

/**
 * Put the origin's response in the cache when `storeDecision` allows it, and return the response
 * to send on, with the decision. The body is teed: the visitor's copy streams at once, the
 * cache's copy is written in the background (`waitUntil`), so no page is ever buffered whole for
 * the cache's sake. Without `waitUntil` (a bare `app.request()` in tests) nothing is stored.
 *
 * Call it only with the origin's own response, before any personalisation: that is what makes
 * the cache hold one copy for every visitor. The decision refuses a personalised page anyway
 * (`Cache-Control: private, no-store`).
 * @example const { response } = keep(caches.default, url, await fetch(req), {}, (p) => ctx.waitUntil(p))
 */
export function keep(
  cache: Cache,
  url: URL,
  response: Response,
  options: CacheOptions,
  waitUntil: WaitUntil | undefined
): { response: Response; decision: StoreDecision } {
  const decision = storeDecision(response, options)
  if (!decision.store || !response.body) {
    return { response, decision }
  }
  if (!waitUntil) {
    logOnce('cache', 'no ExecutionContext.waitUntil here, so pages are not stored')
    return { response, decision: { store: false, reason: 'no waitUntil' } }
  }
  const [forVisitor, forCache] = response.body.tee()
  const copy = new Response(forCache, {
    status: response.status,
    statusText: response.statusText,
    headers: storedHeaders(response.headers, decision.ttl),
  })
  waitUntil(
    cache.put(cacheKey(url), copy).catch((err: unknown) => {
      logWarn('cache', `store failed: ${errorText(err)}`)
    })
  )
  return { response: new Response(forVisitor, response), decision }
}

/** The edge cache as the origin handler uses it; see `createEdgeCache`. */
export type EdgeCache = {
  /**
   * The cached page for this request, or undefined (a miss). Undefined at once, with no lookup
   * to await, for a page known uncacheable, a request that bypasses the cache, or no cache.
   */
  lookup(request: Request, url: URL, now: number): Promise<Response | undefined> | undefined
  /** Store the origin's response when allowed; returns the response to send on. */
  keep(
    request: Request,
    url: URL,
    response: Response,
    now: number,
    waitUntil: WaitUntil | undefined
  ): Response
}

/**
 * The edge cache for one origin handler (once per isolate), or undefined when it is off.
 *
 * It remembers, per isolate, the pages whose origin response was a 200 that may not be kept
 * (see `createSkipList`), and skips their lookups: with an origin that marks nothing cacheable,
 * the default costs one lookup per page per minute per isolate, not one per request. A
 * `Set-Cookie` answer is not remembered, since it is usually one visitor's (a first visit), not
 * the page's.
 * @example const edge = createEdgeCache({}); const hit = await edge?.lookup(req, url, Date.now())
 */
export function createEdgeCache(
  options: CacheOptions = {},
  cache: () => Cache | undefined = defaultCache
): EdgeCache | undefined {
  if (options.enabled === false) {
    return undefined
  }
  const uncacheable = createSkipList()
  return {
    lookup(request, url, now) {
      // A page known uncacheable first: the usual dynamic page asks nothing more, and has no
      // promise to await.
      if (uncacheable.has(cacheKeyUrl(url), now)) {
        return undefined
      }
      const store = cache()
      if (!store || bypassReason(request) !== undefined) {
        return undefined
      }
      return lookup(store, url)
    },
    keep(request, url, response, now, waitUntil) {
      if (bypassReason(request) !== undefined) {
        return response
      }
      const key = cacheKeyUrl(url)
      // The usual dynamic page (`no-cache`, `private`…) is refused by its Cache-Control alone:
      // the outcome `keep` reaches (not stored, remembered unless it sets a cookie) without
      // judging the rest of the response, or asking for the cache.
      if (
        response.status === 200 &&
        refusesSharedStorage(response.headers.get('cache-control')) &&
        !response.headers.has('set-cookie')
      ) {
        uncacheable.add(key, now)
        return response
      }
      const store = cache()
      if (!store) {
        return response
      }
      const kept = keep(store, url, response, options, waitUntil)
      if (kept.decision.store) {
        uncacheable.delete(key)
      } else if (
        response.status === 200 &&
        kept.decision.reason !== 'set-cookie' &&
        kept.decision.reason !== 'no waitUntil'
      ) {
        uncacheable.add(key, now)
      }
      return kept.response
    },
  }
}
