// The page worker's /_tailor/*: health answered here, everything else handed to the console worker
// (binding TAILOR_CONSOLE), so the page worker's bundle carries only the page path.
import { Hono } from 'hono/tiny'
import type { TailorEnv } from '../env'
import { errorText, logOnce } from '../log'
import type { OwnRoutes } from '../middleware/pages'
import type { Runtime } from '../personalise'
import { errorAnswer } from '../proxy'
import { health } from './health'
import { tailorSecureHeaders } from './security'

/** Said by health, and logged once, when the page worker has no console bound. */
export const CONSOLE_MISSING =
  'The console worker is not bound (TAILOR_CONSOLE): the preference centre, the visitor API and the report are off. Deploy wrangler.console.toml (npm run deploy does).'

/**
 * `/_tailor/health` here (it reports this worker's config and counting); every other `/_tailor/*`
 * request goes to the console worker unchanged: same URL, method, headers and body, so the centre
 * reads the visitor's cookie and answers for the same host. No console: a 503 that says why.
 * @example personalisePages({ config }, forwardToConsole)
 */
export function forwardToConsole(runtime: Runtime): OwnRoutes {
  const own = new Hono<TailorEnv>({ strict: false }).basePath('/_tailor')
  own.use('*', async (c, next) => {
    await next()
    c.header('cache-control', 'no-store')
  })
  own.use('*', tailorSecureHeaders())
  own.get('/health', (c) => health(c, runtime, c.env?.TAILOR_CONSOLE ? [] : [CONSOLE_MISSING]))
  own.all('*', () => {
    logOnce('console', CONSOLE_MISSING)
    return errorAnswer(503, 'This part of the site is not available right now.', 30)
  })

  return {
    async fetch(request, env, ctx) {
      const consoleWorker = env?.TAILOR_CONSOLE
      if (
        !consoleWorker ||
        new URL(request.url).pathname.replace(/\/+$/, '') === '/_tailor/health'
      ) {
        return own.fetch(request, env, ctx)
      }
      try {
        return await consoleWorker.fetch(request)
      } catch (err) {
        logOnce('console', `the console worker failed: ${errorText(err)}`)
        return errorAnswer(503, 'This part of the site is not available right now.', 30)
      }
    },
  }
}
