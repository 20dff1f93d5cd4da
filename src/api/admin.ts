// Site-owner routes: signed preview links (POST /_tailor/admin/preview) and their landing and exit.
import { Hono } from 'hono/tiny'
import { safeLocalPath } from '../context'
import type { TailorEnv } from '../env'
import type { Runtime } from '../personalise'
import { readLimited } from './body'
import { parsePreviewRequest, PREVIEW_COOKIE, PREVIEW_PURPOSE } from '../tooling'
import { signToken, verifyToken } from '../visitor'

/** Largest preview request body accepted, in bytes. */
const MAX_PREVIEW_BODY = 16 * 1024

/** Shortest admin token accepted; a shorter one leaves admin off. */
export const MIN_TOKEN_LENGTH = 16

async function sha256(text: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
}

/**
 * Compare a presented token with the configured one in constant time: both are hashed first, so
 * neither their contents nor their lengths leak through timing.
 */
export async function tokenMatches(presented: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([sha256(presented), sha256(expected)])
  return crypto.subtle.timingSafeEqual(a, b)
}

function previewCookie(value: string, maxAge: number): string {
  // Same attributes as the visitor cookie (RFC 6265bis __Host- prefix: Secure, Path=/, no Domain).
  return `${PREVIEW_COOKIE}=${value}; Path=/; Max-Age=${maxAge}; Secure; HttpOnly; SameSite=Lax`
}

/** The admin and preview routes, mounted under /_tailor. */
export function createAdminRoutes(runtime: Runtime) {
  const app = new Hono<TailorEnv>()

  // Every admin route needs the bearer token (constant-time check).
  // Bearer only, for the preview API; the report (src/api/report.tsx) also takes its session cookie.
  app.use('/admin/preview', async (c, next) => {
    const expected = c.env?.TAILOR_ADMIN_TOKEN
    if (!expected || expected.length < MIN_TOKEN_LENGTH) {
      return c.json(
        { error: 'Admin is off: set the TAILOR_ADMIN_TOKEN secret (16+ characters).' },
        503
      )
    }
    const auth = c.req.header('authorization') ?? ''
    const presented = /^Bearer (.+)$/i.exec(auth)?.[1]?.trim()
    if (!presented || !(await tokenMatches(presented, expected))) {
      c.header('www-authenticate', 'Bearer realm="tailor-admin"')
      return c.json({ error: 'Expected Authorization: Bearer <TAILOR_ADMIN_TOKEN>.' }, 401)
    }
    await next()
  })

  app.post('/admin/preview', async (c) => {
    const now = runtime.now()
    const { site } = await runtime.liveSite(c.req.raw, c.env, now)
    if (!site) {
      return c.json({ error: 'Tailor is not configured (see /_tailor/health).' }, 503)
    }
    let body: unknown = {}
    const read = await readLimited(c, MAX_PREVIEW_BODY, (c) =>
      c.json({ error: `Expected a body of at most ${MAX_PREVIEW_BODY} bytes.` }, 413)
    )
    if (!read.ok) {
      return read.response
    }
    const text = read.text
    if (text.trim()) {
      try {
        body = JSON.parse(text)
      } catch {
        return c.json({ error: 'Expected a JSON object.' }, 400)
      }
    }
    const parsed = parsePreviewRequest(body, site)
    if (!parsed.ok) {
      return c.json({ error: 'Invalid preview.', issues: parsed.issues }, 400)
    }
    const keys = await runtime.keyring(c.env)
    if (!keys.ok) {
      return c.json(
        { error: 'Previews cannot be signed: this site has no valid signing key.' },
        503
      )
    }
    const token = await signToken(parsed.data, {
      purpose: PREVIEW_PURPOSE,
      keyring: keys.keyring,
      now,
      ttlSeconds: parsed.minutes * 60,
    })
    const url = new URL(`/_tailor/preview/${token}`, c.req.url)
    return c.json({
      url: url.href,
      expiresAt: new Date(now + parsed.minutes * 60_000).toISOString(),
      preview: parsed.data,
    })
  })

  // The link's landing: check it, keep it in its own cookie, go to the page it names.
  app.get('/preview/exit', (c) => {
    c.header('set-cookie', previewCookie('', 0))
    return c.redirect('/', 303)
  })

  app.get('/preview/:token', async (c) => {
    const now = runtime.now()
    const keys = await runtime.keyring(c.env)
    const token = c.req.param('token')
    const verified = keys.ok
      ? await verifyToken(token, { purpose: PREVIEW_PURPOSE, keyring: keys.keyring, now })
      : undefined
    if (!verified?.ok) {
      const why = verified ? verified.reason : 'no signing key'
      return c.text(`This preview link is not valid (${why}). Ask for a new one.`, 410)
    }
    const path = safeLocalPath((verified.data as { path?: unknown } | null)?.path) ?? '/'
    c.header('set-cookie', previewCookie(token, Math.max(1, verified.exp - Math.floor(now / 1000))))
    return c.redirect(path, 303)
  })

  return app
}
