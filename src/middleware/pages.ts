// The page path as Hono middleware: personalises every HTML page that passes through, and hands
// /_tailor/* to the routes it is given (all of them in one worker, or a forwarder to the console).
import type { MiddlewareHandler } from 'hono'
import type { TailorEnv, TailorBindings } from '../env'
import { errorText, logWarn } from '../log'
import type { Runtime, TailorOptions } from '../personalise'
import { createRuntime, editsFor, read, readInputFor, respond } from '../personalise'
import { GPC_JSON_PATH, gpcJsonResponse } from '../privacy'
import { hasConditions, skipReason } from '../proxy'
import { countSinkOf, executionContextOf, waitUntilOf } from './execution'

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

/**
 * The page path: `read` (cookie, context, consent, overrides, decide) while the origin is
 * fetched, then `respond` (edits, rewriter, headers, record), both from `src/personalise`.
 * `/_tailor/*` goes to `ownRoutes(runtime)`. The config is validated and compiled once, when the
 * factory runs; an invalid config is logged and every page passes through untouched.
 * @example app.use(personalisePages({ config }, createRoutes))
 */
export function personalisePages(
  options: TailorOptions,
  ownRoutes: (runtime: Runtime) => OwnRoutes
): MiddlewareHandler<TailorEnv> {
  const runtime = createRuntime(options)
  const routes = ownRoutes(runtime)

  return async function tailor(c, next) {
    const path = c.req.path
    // Tailor's own routes: the centre, the API, health, previews.
    if (path === TAILOR_PREFIX || path.startsWith(`${TAILOR_PREFIX}/`)) {
      return routes.fetch(c.req.raw, c.env, executionContextOf(c))
    }
    const now = runtime.now()
    // The live config, once: the page, the origin handler and the GPC resource all use this one.
    const site = await runtime
      .liveSite(c.req.raw, c.env, now, waitUntilOf(c))
      .catch((err: unknown) => {
        logWarn('decide', `failed open: ${errorText(err)}`)
        return undefined
      })
    // The site honours GPC through Tailor (config `consent.gpcJson`, default on).
    const method = c.req.method
    if (path === GPC_JSON_PATH && (method === 'GET' || method === 'HEAD')) {
      if (site?.site?.config.consent.gpcJson) {
        return gpcJsonResponse(method, site.site.config.consent.gpcLastUpdate)
      }
    }
    if (site) {
      c.set('tailorSite', site)
    }
    // A method that never carries a page, or no valid config: nothing to decide.
    if (method !== 'GET' || !site?.site) {
      await next()
      return
    }
    const started = performance.now()
    // The request's URL, parsed once for the read step, the origin and the respond step.
    const url = new URL(c.req.url)
    c.set('tailorUrl', url)
    // Verify the cookie and decide while the origin is being fetched.
    const planned = readInputFor(runtime, c.req.raw, c.env, site, now, true)
      .then((input) => read({ ...input, url }))
      .catch((err: unknown) => {
        logWarn('decide', `failed open: ${errorText(err)}`)
        return undefined
      })
    // A conditional GET for a page this visitor gets edits on: the origin must send the whole
    // page, not a 304 confirming the untouched copy (docs/operating.md, conditional requests).
    if (hasConditions(c.req.raw)) {
      const ahead = await planned
      let edits = 1
      try {
        edits = ahead ? editsFor(ahead, c.req.raw).length : 0
      } catch {
        // Counted as edits: asking for the whole page is always safe.
      }
      if (edits > 0) {
        c.set('tailorDropConditions', true)
      }
    }
    await next()
    const state = await planned
    // Reading failed: the origin's page goes out untouched (fail open).
    if (!state) {
      return
    }
    c.set('tailor', state)
    // Only a 200 HTML page is personalised; everything else streams through byte for byte.
    if (skipReason(method, c.res) !== undefined) {
      return
    }
    try {
      const res = await respond(state, c.req.raw, c.res, {
        started,
        now: runtime.now(),
        // Only a page with experiments counts anything.
        count: state.bet ? countSinkOf(c) : undefined,
        url,
      })
      // Hono's `c.res` setter copies the previous response's headers onto the new one, which
      // would bring back the origin's Content-Length and Cache-Control; clear it first.
      c.res = undefined
      c.res = res
    } catch (err) {
      logWarn('rewrite', `failed open: ${errorText(err)}`)
    }
  }
}
