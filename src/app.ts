// The Tailor worker as a Hono app: personalise, then fetch the page from the origin.
import { Hono } from 'hono/tiny'
import { readCacheOptions } from './cache'
import type { TailorEnv } from './env'
import { errorAnswer } from './proxy'
import { origin, tailor } from './middleware'
import type { TailorOptions } from './personalise'

/**
 * Build the whole worker: the `tailor()` middleware in front of the origin proxy.
 * @example export default createApp({ config })
 */
export function createApp(options: TailorOptions) {
  const app = new Hono<TailorEnv>()
  app.use(tailor(options))
  // The live config's `cache` field wins; this one applies only while no valid config is live.
  app.all('*', origin({ cache: readCacheOptions(options.config), clock: options.clock }))
  app.onError((err) => {
    console.error(`tailor/app: unexpected ${err.name}: ${err.message}`)
    return errorAnswer(500, 'Internal error.')
  })
  return app
}
