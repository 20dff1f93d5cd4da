// The page path: personalises every HTML page that passes through, and hands /_tailor/* to the
// routes it is given (all of them in one worker, or a forwarder to the console). One plain
// function (`pagePath`), used as it is by the page worker and as Hono middleware by `tailor()`.
import type { MiddlewareHandler } from 'hono'
import { getPath } from 'hono/utils/url'
import type { TailorEnv, TailorBindings } from '../env'
import { errorText, logWarn } from '../log'
import type { LiveSite, Runtime, TailorOptions, TailorState } from '../personalise'
import { createRuntime, editsFor, read, readInputFor, respond } from '../personalise'
import { GPC_JSON_PATH, gpcJsonResponse } from '../privacy'
import { hasConditions, skipReason } from '../proxy'
import { countSinkIn, executionContextOf, waitUntilIn } from './execution'

/** Paths Tailor answers itself; everything else goes to the origin (or the app's own routes). */
export const TAILOR_PREFIX = '/_tailor'

/** What answers /_tailor/*: Hono's `fetch` shape, so a sub-app or a forwarder fits. */
export type OwnRoutes = {
  fetch(
    request: Request,
    env: TailorBindings | undefined,
    ctx: ExecutionContext | undefined
  ): Response | Promise<Response>
}

/** What the page path learned before the origin is asked, for the one that asks it. */
export type OriginAsk = {
  /** This request's live config (undefined when reading it failed). */
  site: LiveSite | undefined
  /** The request's URL, parsed once (only on a page that is read); only read, never changed. */
  url: URL | undefined
  /** Ask the origin for the whole page, not a 304 (this visitor's page gets edits). */
  dropConditions: boolean
  /** Whether the request is a conditional GET or HEAD (`hasConditions`), when already known. */
  conditional?: boolean
}

/** One request on the page path: the request, its platform values, and who fetches the page. */
export type PageRequest = {
  request: Request
  env: TailorBindings | undefined
  ctx: ExecutionContext | undefined
  /**
   * Fetch the origin's response (the origin proxy, or the handlers after a Hono middleware). It
   * is given this request too, so it can be one function per isolate, not a closure per page.
   */
  upstream: (ask: OriginAsk, page: PageRequest) => Promise<Response>
  /** Told the request's state once it is read (Hono's `c.set('tailor', …)`). */
  onState?: (state: TailorState) => void
}

/**
 * The page path, once per isolate: `serve` asks the origin, then, for a 200 HTML page only,
 * reads the request (cookie, context, consent, overrides, decide) and responds (edits, rewriter,
 * headers, record), both from `src/personalise`. A conditional GET is read before the origin is
 * asked, since its edits decide whether the origin may answer 304. `/_tailor/*` goes to
 * `ownRoutes(runtime)`. The config is validated and compiled once, here; an invalid config is
 * logged and every page passes through.
 * @example const pages = pagePath({ config }, forwardToConsole); await pages.serve({ request, env, ctx, upstream })
 */
export function pagePath(options: TailorOptions, ownRoutes: (runtime: Runtime) => OwnRoutes) {
  const runtime = createRuntime(options)
  const routes = ownRoutes(runtime)

  async function serve(page: PageRequest): Promise<Response> {
    const { request, env, ctx, upstream } = page
    // Hono's own path reading (percent-decoded), so `/%5Ftailor/` is Tailor's as it always was.
    const path = getPath(request)
    // Tailor's own routes: the centre, the API, health, previews.
    if (path === TAILOR_PREFIX || path.startsWith(`${TAILOR_PREFIX}/`)) {
      return routes.fetch(request, env, ctx)
    }
    const now = runtime.now()
    // The live config, once: the page, the origin and the GPC resource all use this one.
    let site: LiveSite | undefined
    try {
      site = await runtime.liveSite(request, env, now, waitUntilIn(ctx))
    } catch (err) {
      logWarn('decide', `failed open: ${errorText(err)}`)
    }
    // The site honours GPC through Tailor (config `consent.gpcJson`, default on).
    const method = request.method
    if (path === GPC_JSON_PATH && (method === 'GET' || method === 'HEAD')) {
      if (site?.site?.config.consent.gpcJson) {
        return gpcJsonResponse(method, site.site.config.consent.gpcLastUpdate)
      }
    }
    // A method that never carries a page, or no valid config: nothing to decide.
    if (method !== 'GET' || !site?.site) {
      return upstream({ site, url: undefined, dropConditions: false }, page)
    }
    const started = performance.now()
    // The request's URL, parsed once for the read step, the origin and the respond step.
    const url = new URL(request.url)
    // A conditional GET for a page this visitor gets edits on: the origin must send the whole
    // page, not a 304 confirming the untouched copy (docs/operating.md, conditional requests).
    // So that request is read before the origin is asked.
    let planned: Promise<TailorState | undefined> | undefined
    let dropConditions = false
    const conditional = hasConditions(request)
    if (conditional) {
      planned = plan(runtime, request, env, site, now, url)
      const ahead = await planned
      let edits = 1
      try {
        edits = ahead ? editsFor(ahead, request).length : 0
      } catch {
        // Counted as edits: asking for the whole page is always safe.
      }
      dropConditions = edits > 0
    }
    const origin = await upstream({ site, url, dropConditions, conditional }, page)
    // Only a 200 HTML page is personalised; everything else streams through byte for byte, and
    // is not read at all unless someone listens for the state.
    const skip = skipReason(method, origin)
    if (skip !== undefined && !page.onState) {
      return origin
    }
    // Every other request is read once its origin has answered: what the read step builds then
    // lives only as long as the response needs it, not across the wait for the origin.
    const state = await (planned ?? plan(runtime, request, env, site, now, url))
    // Reading failed: the origin's page goes out untouched (fail open).
    if (!state) {
      return origin
    }
    page.onState?.(state)
    if (skip !== undefined) {
      return origin
    }
    try {
      return await respond(state, request, origin, {
        started,
        now: runtime.now(),
        // Only a page with experiments counts anything.
        count: state.bet ? countSinkIn(env, ctx) : undefined,
        url,
      })
    } catch (err) {
      logWarn('rewrite', `failed open: ${errorText(err)}`)
      return origin
    }
  }

  return { runtime, serve }
}

/**
 * The read step of a page: undefined when it fails (the page then goes out untouched). Run once
 * the origin has answered, so an asset is never read and what the step builds is not kept
 * across the wait for the origin. One async function, not a chain of `then`/`catch` closures
 * per page.
 */
async function plan(
  runtime: Runtime,
  request: Request,
  env: TailorBindings | undefined,
  site: LiveSite,
  now: number,
  url: URL
): Promise<TailorState | undefined> {
  try {
    const input = await readInputFor(runtime, request, env, site, now, true)
    input.url = url
    return await read(input)
  } catch (err) {
    logWarn('decide', `failed open: ${errorText(err)}`)
    return undefined
  }
}

/**
 * The page path as Hono middleware: the handlers after it are the origin. Sets `tailorSite`,
 * `tailorUrl` and `tailorDropConditions` for `origin()`, and `tailor` (the state) for routes
 * that explain it.
 * @example app.use(personalisePages({ config }, createRoutes))
 */
export function personalisePages(
  options: TailorOptions,
  ownRoutes: (runtime: Runtime) => OwnRoutes
): MiddlewareHandler<TailorEnv> {
  const { serve } = pagePath(options, ownRoutes)
  return async function tailor(c, next) {
    let reached = false
    const res = await serve({
      request: c.req.raw,
      env: c.env,
      ctx: executionContextOf(c),
      upstream: async ({ site, url, dropConditions }) => {
        if (site) {
          c.set('tailorSite', site)
        }
        if (url) {
          c.set('tailorUrl', url)
        }
        if (dropConditions) {
          c.set('tailorDropConditions', true)
        }
        await next()
        reached = true
        return c.res
      },
      onState: (state) => c.set('tailor', state),
    })
    if (!reached) {
      // Tailor's own answer (a route, the GPC resource): Hono makes it the response.
      return res
    }
    if (res !== c.res) {
      // Hono's `c.res` setter copies the previous response's headers onto the new one, which
      // would bring back the origin's Content-Length and Cache-Control; clear it first.
      c.res = undefined
      c.res = res
    }
  }
}
