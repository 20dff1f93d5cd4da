// The /_tailor routes: health and the visitor's preference API.
import { Hono } from 'hono/tiny'
import { configForHost, demoMismatch, formatIssues } from '../config'
import type { TailorEnv } from '../env'
import type { Runtime } from '../personalise'
import { createAdminRoutes } from './admin'
import { createCentreRoutes } from './centre'
import { tailorSecureHeaders } from './security'
import { createVisitorApi } from './visitor'

/**
 * The routes, mounted under /_tailor by the middleware.
 * - GET /_tailor/health: 200 with the config version (503 when the config is invalid).
 * - GET /_tailor/: the preference centre; POST /_tailor/{preferences,pause,consent,signals/clear,
 *   erase}: its forms (src/api/centre.tsx).
 * - /_tailor/api/*: the same actions as JSON (src/api/visitor.ts).
 */
export function createRoutes(runtime: Runtime) {
  // strict: false, so the centre answers at /_tailor/ (its address) as well as /_tailor.
  const app = new Hono<TailorEnv>({ strict: false }).basePath('/_tailor')

  app.use('*', async (c, next) => {
    await next()
    // Everything here reflects one visitor's cookie or live state: never cache it.
    c.header('cache-control', 'no-store')
  })
  // One secure-headers policy for every answer here, JSON API included (src/api/security.ts).
  app.use('*', tailorSecureHeaders())

  app.get('/health', async (c) => {
    const live = await runtime.live(c.env, runtime.now())
    const config = {
      version: 1,
      revision: live.revision,
      source: live.source,
      ...(live.checkedAt === undefined
        ? {}
        : { checkedAt: new Date(live.checkedAt).toISOString() }),
    }
    if (!live.compiled) {
      return c.json({ ok: false, config, errors: formatIssues(live.issues) }, 503)
    }
    // Personalisation from context works without keys, so a missing secret is a warning here.
    const keys = await runtime.keyring(c.env)
    const site = configForHost(live.compiled, new URL(c.req.url).hostname)
    const warnings = [
      ...(keys.ok ? [] : [`${keys.message} Cookies are off.`]),
      ...[demoMismatch(live.compiled.config.demo, site.origin ?? c.env?.ORIGIN)].filter(
        (w): w is string => w !== undefined
      ),
    ]
    return c.json(warnings.length ? { ok: true, config, warnings } : { ok: true, config })
  })

  // The visitor's JSON API and the preference centre share one code path (src/centre).
  const api = createVisitorApi(runtime)
  app.route('/', createCentreRoutes(runtime))

  app.route('/', createAdminRoutes(runtime))
  app.route('/api', api)
  app.notFound((c) => c.json({ error: 'Not found.' }, 404))
  return app
}
