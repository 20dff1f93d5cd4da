// The page worker's /_tailor/*: health answered here, everything else handed to the console worker
// (binding TAILOR_CONSOLE), so the page worker's bundle carries only the page path.
import { Hono } from 'hono/tiny'
import type { TailorEnv } from '../env'
import { errorText, logOnce } from '../log'
import type { OwnRoutes } from '../middleware/pages'
import type { Runtime } from '../personalise'
import { errorAnswer } from '../proxy'
import type { HealthBody } from './health'
import { health } from './health'
import { tailorSecureHeaders } from './security'

/** Said by health, and logged once, when the page worker has no console bound. */
export const CONSOLE_MISSING =
  'The console worker is not bound (TAILOR_CONSOLE): the preference centre, the visitor API and the report are off. Deploy wrangler.console.toml (npm run deploy does).'

/** How long health waits for the console's own health. */
const CONSOLE_HEALTH_MS = 2000

/** The console's health answer, or undefined when it did not answer in time or in shape. */
async function consoleHealth(consoleWorker: Fetcher, url: string): Promise<HealthBody | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<undefined>((done) => {
    timer = setTimeout(() => done(undefined), CONSOLE_HEALTH_MS)
  })
  const asked = consoleWorker
    .fetch(new Request(new URL('/_tailor/health', url)))
    .then((res) => res.json() as Promise<HealthBody>)
    .then((body) => (typeof body?.ok === 'boolean' && body.config ? body : undefined))
    .catch(() => undefined)
  try {
    return await Promise.race([asked, late])
  } finally {
    if (timer !== undefined) {
      clearTimeout(timer)
    }
  }
}

/**
 * What the page worker's health says about its console: unreachable, invalid, on another config
 * revision than this worker (one of the two was deployed alone), or its own warnings (a secret
 * set in one worker only shows here).
 * @example consoleWarnings(undefined, 'abcd1234') // ['The console worker did not answer its health check: …']
 */
export function consoleWarnings(theirs: HealthBody | undefined, revision: string): string[] {
  if (!theirs) {
    return [
      'The console worker did not answer its health check: the preference centre and the report may be down.',
    ]
  }
  const out = (theirs.warnings ?? []).map((w) => `Console worker: ${w}`)
  if (!theirs.ok) {
    out.unshift('Console worker: its config is invalid (see its errors with npm run check).')
  } else if (theirs.config.revision !== revision) {
    out.unshift(
      `The console worker runs config revision ${theirs.config.revision}, this worker ${revision}: after a config push this clears within two minutes; otherwise deploy both (npm run deploy).`
    )
  }
  return out
}

/** The console's health, as the page worker's health shows it. */
function consoleSummary(theirs: HealthBody): Record<string, unknown> {
  return {
    ok: theirs.ok,
    revision: theirs.config.revision,
    ...(theirs.experiments ? { experiments: theirs.experiments } : {}),
  }
}

/**
 * `/_tailor/health` here (this worker's config and counting, and its console's, which counts the
 * pings and goals); every other `/_tailor/*` request goes to the console worker unchanged: same
 * URL, method, headers and body, so the centre reads the visitor's cookie and answers for the same
 * host. No console: a 503 that says why.
 * @example personalisePages({ config }, forwardToConsole)
 */
export function forwardToConsole(runtime: Runtime): OwnRoutes {
  const own = new Hono<TailorEnv>({ strict: false }).basePath('/_tailor')
  own.use('*', async (c, next) => {
    await next()
    c.header('cache-control', 'no-store')
  })
  own.use('*', tailorSecureHeaders())
  own.get('/health', (c) =>
    health(c, runtime, async (revision) => {
      const consoleWorker = c.env?.TAILOR_CONSOLE
      if (!consoleWorker) {
        return { warnings: [CONSOLE_MISSING] }
      }
      const theirs = await consoleHealth(consoleWorker, c.req.url)
      return {
        warnings: consoleWarnings(theirs, revision),
        fields: { console: theirs ? consoleSummary(theirs) : { ok: false } },
      }
    })
  )
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
