// The Hono middleware: serves /_tailor/*, and personalises every HTML page that passes through.
import type { MiddlewareHandler } from 'hono'
import { createRoutes } from '../api'
import type { TailorEnv } from '../env'
import { errorText, logWarn } from '../log'
import { personaliseHeaders, skipReason } from '../proxy'
import { buildRewriter, renderEdits } from '../rewrite'
import type { TailorOptions } from '../runtime'
import { createRuntime } from '../runtime'

/** Paths Tailor answers itself; everything else goes to the origin (or the app's own routes). */
export const TAILOR_PREFIX = '/_tailor'

/**
 * Personalise the HTML responses of the handlers after it, and serve the preference API under
 * `/_tailor/`. The config is validated and compiled once, when the factory runs; an invalid config
 * is logged and every page passes through untouched.
 *
 * @example
 * import config from './tailor.config.json'
 * const app = new Hono()
 * app.use(tailor({ config }))
 * app.get('*', (c) => c.html('<h1 data-tailor="greeting">Hello</h1>'))
 */
export function tailor(options: TailorOptions): MiddlewareHandler<TailorEnv> {
  const runtime = createRuntime(options)
  const routes = createRoutes(runtime)

  return async function tailor(c, next) {
    const path = c.req.path
    if (path === TAILOR_PREFIX || path.startsWith(`${TAILOR_PREFIX}/`)) {
      return routes.fetch(c.req.raw, c.env)
    }
    // Nothing to personalise: no valid config, or a method that never carries a page.
    if (!runtime.compiled || c.req.method !== 'GET') {
      await next()
      return
    }
    const started = performance.now()
    // Verify the cookie and decide while the origin is being fetched.
    const planned = runtime.read(c.req.raw, c.env, Date.now()).catch((err: unknown) => {
      logWarn('decide', `failed open: ${errorText(err)}`)
      return undefined
    })
    await next()
    const state = await planned
    if (!state) {
      return
    }
    c.set('tailor', state)
    // Only a 200 HTML page is personalised; everything else streams through byte for byte.
    if (skipReason(c.req.method, c.res) !== undefined) {
      return
    }
    try {
      const edits = renderEdits(state.decisions, state.facts, state.compiled)
      // Nothing changes for this visitor: skip the rewriter and stream the origin's bytes.
      const body = edits.length ? buildRewriter(edits).transform(c.res) : c.res
      const res = new Response(body.body, body)
      personaliseHeaders(res.headers, performance.now() - started, edits.length > 0)
      // Hono's `c.res` setter copies the previous response's headers onto the new one, which
      // would bring back the origin's Content-Length and Cache-Control; clear it first.
      c.res = undefined
      c.res = res
    } catch (err) {
      logWarn('rewrite', `failed open: ${errorText(err)}`)
    }
  }
}
