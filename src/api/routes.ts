// The /_tailor routes: health and the visitor's preference API.
import { Hono } from 'hono'
import { formatIssues, validatePreferences } from '../config'
import type { TailorEnv } from '../env'
import type { Runtime } from '../runtime'
import { clearVisitor, writeVisitor } from '../visitor'
import { sameOrigin } from './same-origin'

/** Largest preferences body accepted, in bytes. */
const MAX_BODY = 8 * 1024

/**
 * The routes, mounted under /_tailor by the middleware.
 * - GET /_tailor/health: 200 with the config version (503 when the config is invalid).
 * - GET|PUT|DELETE /_tailor/api/preferences: what the cookie holds; replace it; erase it.
 */
export function createRoutes(runtime: Runtime) {
  const app = new Hono<TailorEnv>().basePath('/_tailor')

  app.use('*', async (c, next) => {
    await next()
    // Everything here reflects one visitor's cookie or live state: never cache it.
    c.header('cache-control', 'no-store')
  })

  app.get('/health', (c) => {
    if (!runtime.compiled) {
      return c.json({ ok: false, errors: formatIssues(runtime.issues) }, 503)
    }
    return c.json({ ok: true, config: { version: runtime.compiled.config.version } })
  })

  const api = new Hono<TailorEnv>()
  api.use('*', sameOrigin())

  api.get('/preferences', async (c) => {
    const state = await runtime.read(c.req.raw, c.env, Date.now())
    if (!state) {
      return c.json({ error: 'Tailor is not configured (see /_tailor/health).' }, 503)
    }
    return c.json({
      cookie: state.visitor.status,
      preferences: state.facts.prefs,
      vocabulary: state.compiled.config.preferences,
    })
  })

  api.put('/preferences', async (c) => {
    const compiled = runtime.compiled
    if (!compiled) {
      return c.json({ error: 'Tailor is not configured (see /_tailor/health).' }, 503)
    }
    const type = c.req.header('content-type') ?? ''
    if (!/^application\/json\s*(?:;|$)/i.test(type)) {
      return c.json({ error: 'Expected Content-Type: application/json.' }, 415)
    }
    const declared = Number(c.req.header('content-length') ?? 0)
    const text = declared > MAX_BODY ? '' : await c.req.text()
    if (declared > MAX_BODY || text.length > MAX_BODY) {
      return c.json({ error: `Expected a body of at most ${MAX_BODY} bytes.` }, 413)
    }
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      return c.json({ error: 'Expected a JSON object.', issues: [] }, 400)
    }
    const checked = validatePreferences(body, compiled.config.preferences)
    if (!checked.ok) {
      return c.json({ error: 'Invalid preferences.', issues: checked.issues }, 400)
    }
    const keys = await runtime.keyring(c.env)
    if (!keys.ok) {
      // The details (which key, why) go to the log, not to the visitor.
      return c.json(
        { error: 'Preferences cannot be saved: this site has no valid signing key.' },
        503
      )
    }
    const now = Date.now()
    const state = await runtime.read(c.req.raw, c.env, now)
    const created =
      state?.visitor.status === 'valid' ? state.visitor.visitor.created : Math.floor(now / 1000)
    let cookie: string
    try {
      cookie = await writeVisitor(
        { prefs: checked.value, created },
        { name: runtime.cookieName, keyring: keys.keyring, now, maxAgeDays: runtime.maxAgeDays }
      )
    } catch {
      // Only a cookie over the size a browser keeps gets here (the config allows long lists).
      return c.json({ error: 'Preferences too large to keep in a cookie.' }, 413)
    }
    c.header('set-cookie', cookie)
    return c.json({ cookie: 'valid', preferences: checked.value })
  })

  api.delete('/preferences', (c) => {
    c.header('set-cookie', clearVisitor(runtime.cookieName))
    return c.json({ cookie: 'absent', preferences: {} })
  })

  app.route('/api', api)
  app.notFound((c) => c.json({ error: 'Not found.' }, 404))
  return app
}
