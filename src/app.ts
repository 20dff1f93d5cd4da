// The Tailor worker as a Hono app: personalise, then fetch the page from the origin.
import type { MiddlewareHandler } from 'hono'
import { Hono } from 'hono/tiny'
import { forwardToConsole } from './api/forward'
import { readCacheOptions } from './cache'
import type { TailorBindings, TailorEnv } from './env'
import { errorAnswer } from './proxy'
import type { OriginAsk, PageRequest } from './middleware'
import { origin, originProxy, pagePath, tailor, waitUntilIn } from './middleware'
import type { TailorOptions } from './personalise'

/** The answer to an error nothing else caught: logged, and a 500 that names no internals. */
function unexpected(err: unknown): Response {
  const { name, message } = err instanceof Error ? err : new Error(String(err))
  console.error(`tailor/app: unexpected ${name}: ${message}`)
  return errorAnswer(500, 'Internal error.')
}

/** The middleware in front of the origin proxy, and one error answer that names no internals. */
function build(options: TailorOptions, middleware: MiddlewareHandler<TailorEnv>) {
  const app = new Hono<TailorEnv>()
  app.use(middleware)
  // The live config's `cache` field wins; this one applies only while no valid config is live.
  app.all('*', origin({ cache: readCacheOptions(options.config), clock: options.clock }))
  app.onError(unexpected)
  return app
}

/**
 * Build the whole worker: the `tailor()` middleware (every `/_tailor/*` route included) in front
 * of the origin proxy. The console worker (src/console.ts) is this app.
 * @example export default createApp({ config })
 */
export function createApp(options: TailorOptions) {
  return build(options, tailor(options))
}

/**
 * The page worker (src/worker.ts): the same page path, with `/_tailor/*` but health handed to
 * the console worker (binding `TAILOR_CONSOLE`), so its bundle holds no centre, report or admin.
 * Its `fetch` calls the page path and the origin proxy as plain functions: no router on the way
 * of a page, whose fixed cost per request is measured (`npm run bench -- --set production`).
 * Behaves as the Hono app would: HEAD is answered without a body, and an unexpected error is a
 * 500 that names no internals.
 * @example export default createPageApp({ config })
 */
export function createPageApp(options: TailorOptions) {
  const pages = pagePath(options, forwardToConsole)
  const proxy = originProxy({ cache: readCacheOptions(options.config), clock: options.clock })
  // One function per isolate (not a closure per page): the page path hands it the request.
  const upstream = (ask: OriginAsk, page: PageRequest) =>
    proxy(page.request, page.env, waitUntilIn(page.ctx), ask)
  return {
    async fetch(
      request: Request,
      env: TailorBindings | undefined,
      ctx: ExecutionContext | undefined
    ): Promise<Response> {
      try {
        const res = await pages.serve({
          request,
          env,
          ctx,
          upstream,
        })
        return request.method === 'HEAD' ? new Response(null, res) : res
      } catch (err) {
        return unexpected(err)
      }
    },
  } satisfies ExportedHandler<TailorBindings>
}
