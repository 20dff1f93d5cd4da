// The Tailor worker as a Hono app: personalise, then fetch the page from the origin.
import type { MiddlewareHandler } from 'hono'
import { Hono } from 'hono/tiny'
import { forwardToConsole } from './api/forward'
import { readCacheOptions } from './cache'
import type { TailorEnv } from './env'
import { errorAnswer } from './proxy'
import { origin, personalisePages, tailor } from './middleware'
import type { TailorOptions } from './personalise'

/** The middleware in front of the origin proxy, and one error answer that names no internals. */
function build(options: TailorOptions, middleware: MiddlewareHandler<TailorEnv>) {
  const app = new Hono<TailorEnv>()
  app.use(middleware)
  // The live config's `cache` field wins; this one applies only while no valid config is live.
  app.all('*', origin({ cache: readCacheOptions(options.config), clock: options.clock }))
  app.onError((err) => {
    console.error(`tailor/app: unexpected ${err.name}: ${err.message}`)
    return errorAnswer(500, 'Internal error.')
  })
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
 * @example export default createPageApp({ config })
 */
export function createPageApp(options: TailorOptions) {
  return build(options, personalisePages(options, forwardToConsole))
}
