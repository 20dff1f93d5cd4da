// Request bodies read with a size limit (hono/body-limit), never buffered past it.
import type { Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'

/** A body read whole, or the response that refused it. */
export type LimitedBody = { ok: true; text: string } | { ok: false; response: Response }

/**
 * The request's body as text, at most `maxSize` bytes, checked by `hono/body-limit`: a declared
 * Content-Length over the limit is refused before anything is read, and an undeclared body is
 * counted as it streams and refused as soon as it passes the limit. Called inside a handler, so
 * the route's own checks (origin, Content-Type) keep coming first.
 * @example
 * const body = await readLimited(c, 8 * 1024, (c) => c.json({ error: 'Too large.' }, 413))
 * if (!body.ok) return body.response
 */
export async function readLimited(
  c: Context,
  maxSize: number,
  tooLarge: (c: Context) => Response | Promise<Response>
): Promise<LimitedBody> {
  let text = ''
  const refused = await bodyLimit({ maxSize, onError: tooLarge })(c, async () => {
    text = await c.req.text()
  })
  return refused ? { ok: false, response: refused } : { ok: true, text }
}
