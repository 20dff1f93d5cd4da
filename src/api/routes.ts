// The /_tailor routes: health and the visitor's preference API.
import { Hono } from 'hono/tiny'
import type { TailorEnv } from '../env'
import type { Runtime } from '../personalise'
import { createAdminRoutes } from './admin'
import { createCentreRoutes } from './centre'
import { createReportRoutes } from './report'
import { createExperimentRoutes } from './experiments'
import { health } from './health'
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

  app.get('/health', (c) => health(c, runtime))

  // The visitor's JSON API and the preference centre share one code path (src/centre).
  const api = createVisitorApi(runtime)
  app.route('/', createCentreRoutes(runtime))

  app.route('/', createAdminRoutes(runtime))
  app.route('/', createReportRoutes(runtime))
  app.route('/', createExperimentRoutes(runtime))
  app.route('/api', api)
  app.notFound((c) => c.json({ error: 'Not found.' }, 404))
  return app
}
