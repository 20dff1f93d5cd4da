// The Hono middleware: serves /_tailor/*, and personalises every HTML page that passes through.
import type { MiddlewareHandler } from 'hono'
import { createRoutes } from '../api'
import { GPC_JSON_PATH, gpcJsonResponse, recordPageView, siteOf } from '../centre'
import type { TailorEnv, TailorState } from '../env'
import { errorText, logWarn } from '../log'
import { checkMarkupCharset, hasConditions, personaliseHeaders, skipReason } from '../proxy'
import type { SlotEdit } from '../rewrite'
import { buildRewriter, renderEdits } from '../rewrite'
import type { TailorOptions } from '../runtime'
import { createRuntime } from '../runtime'
import { executionContextOf, waitUntilOf } from './execution'
import {
  EXPLAIN_HEADER,
  explainComment,
  explainHeader,
  previewBanner,
  wantsComments,
} from '../tooling'

/** Paths Tailor answers itself; everything else goes to the origin (or the app's own routes). */
export const TAILOR_PREFIX = '/_tailor'

/** The edits for this response: the decisions, plus explain comments and the preview banner. */
function editsFor(state: TailorState, request: Request): SlotEdit[] {
  const edits = renderEdits(state.decisions, state.facts, state.compiled)
  if (state.explain && wantsComments(request)) {
    const comments = state.decisions.map((d): SlotEdit => ({
      selector: d.slot.selector,
      kind: 'comment',
      text: explainComment(d, state.facts),
    }))
    edits.unshift(...comments)
  }
  if (state.preview) {
    edits.push({
      selector: 'body',
      kind: 'prepend',
      html: previewBanner(state.preview.data, state.preview.expiresAt),
    })
  }
  return edits
}

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
      return routes.fetch(c.req.raw, c.env, executionContextOf(c))
    }
    // The site honours GPC through Tailor (config `consent.gpcJson`, default on).
    if (path === GPC_JSON_PATH && (c.req.method === 'GET' || c.req.method === 'HEAD')) {
      const site = await siteOf(runtime, c.req.raw, c.env, Date.now()).catch(() => undefined)
      if (site?.config.consent.gpcJson) {
        return gpcJsonResponse(c.req.method, site.config.consent.gpcLastUpdate)
      }
    }
    const hints = runtime.hints(new URL(c.req.url).hostname)
    c.set('tailorCookies', hints.cookies)
    if (hints.origin) {
      c.set('tailorOrigin', hints.origin)
    }
    // A method that never carries a page: nothing to decide.
    if (c.req.method !== 'GET') {
      await next()
      return
    }
    const started = performance.now()
    // Verify the cookie and decide while the origin is being fetched.
    const planned = runtime
      .read(c.req.raw, c.env, Date.now(), waitUntilOf(c))
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
    if (!state) {
      return
    }
    c.set('tailor', state)
    // Only a 200 HTML page is personalised; everything else streams through byte for byte.
    if (skipReason(c.req.method, c.res) !== undefined) {
      return
    }
    try {
      const edits = editsFor(state, c.req.raw)
      if (edits.length) {
        // A charset declared only in the markup (WHATWG prescan, at most 1,024 bytes held back):
        // anything but UTF-8 passes through untouched, as when the header says so.
        const checked = await checkMarkupCharset(c.res)
        c.res = undefined
        c.res = checked.response
        if (checked.skip) {
          return
        }
      }
      // Nothing changes for this visitor: skip the rewriter and stream the origin's bytes.
      const body = edits.length ? buildRewriter(edits).transform(c.res) : c.res
      const res = new Response(body.body, body)
      personaliseHeaders(res.headers, performance.now() - started, edits.length > 0)
      // With consent, this page view adds to the visitor's reading signals (src/centre/record.ts).
      const recorded = await recordPageView(state, c.req.raw, Date.now())
      if (recorded) {
        res.headers.append('set-cookie', recorded)
      }
      if (state.explain) {
        res.headers.set(EXPLAIN_HEADER, explainHeader(state.decisions, state.facts))
      }
      if (state.simulation?.issues.length) {
        res.headers.set(
          'Tailor-Sim-Error',
          state.simulation.issues
            .join(' | ')
            .replace(/[^\x20-\x7e]/g, '?')
            .slice(0, 1000)
        )
      }
      // Hono's `c.res` setter copies the previous response's headers onto the new one, which
      // would bring back the origin's Content-Length and Cache-Control; clear it first.
      c.res = undefined
      c.res = res
    } catch (err) {
      logWarn('rewrite', `failed open: ${errorText(err)}`)
    }
  }
}
