// The Hono middleware with everything in one worker: the page path and all of /_tailor/*.
import type { MiddlewareHandler } from 'hono'
import { createRoutes } from '../api'
import type { TailorEnv } from '../env'
import type { TailorOptions } from '../personalise'
import { personalisePages } from './pages'

/**
 * Personalise the HTML responses of the handlers after it, and serve `/_tailor/*` (the centre,
 * the visitor API, health, previews, the report). The config is validated and compiled once, when
 * the factory runs; an invalid config is logged and every page passes through untouched.
 * @example
 * import config from './tailor.config.json'
 * const app = new Hono()
 * app.use(tailor({ config }))
 * app.get('*', (c) => c.html('<h1 data-tailor="greeting">Hello</h1>'))
 */
export function tailor(options: TailorOptions): MiddlewareHandler<TailorEnv> {
  return personalisePages(options, createRoutes)
}
