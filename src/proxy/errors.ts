// Tailor's own error answers (the origin is down or misconfigured): short, never stored.

/** Seconds a client should wait before retrying when the origin could not be reached. */
export const RETRY_AFTER_SECONDS = 30

/**
 * An error answer of Tailor's own: plain text that names no internals (the details go to the
 * log), `Cache-Control: no-store` so no cache keeps an outage page (RFC 9111 §5.2.2.5),
 * `X-Content-Type-Options: nosniff`, and `Retry-After` (RFC 9110 §10.2.3) when the problem is
 * likely to pass (an unreachable origin), not when it is a configuration error.
 * @example errorAnswer(502, 'The site could not be reached.', RETRY_AFTER_SECONDS)
 */
export function errorAnswer(status: number, text: string, retryAfterSeconds?: number): Response {
  const headers = new Headers({
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  })
  if (retryAfterSeconds !== undefined) {
    headers.set('retry-after', String(retryAfterSeconds))
  }
  return new Response(text, { status, headers })
}
