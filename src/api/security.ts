// The one secure-headers policy for everything under /_tailor (hono/secure-headers).
import type { MiddlewareHandler } from 'hono'
import { secureHeaders } from 'hono/secure-headers'

/** hono/secure-headers' options (its type is not exported by name). */
type SecureHeadersOptions = NonNullable<Parameters<typeof secureHeaders>[0]>

/**
 * The headers every answer under /_tailor carries: `nosniff`, no framing (`DENY`), no
 * cross-site reads (CORP/COOP same-origin), a referrer only to this site. HSTS is left to the
 * site (its whole host decides it, and `npm run dev` is plain http). Follows OWASP's REST
 * Security Cheat Sheet ("Security headers") for the JSON API.
 */
export const TAILOR_SECURE_HEADERS: SecureHeadersOptions = {
  referrerPolicy: 'same-origin',
  crossOriginResourcePolicy: 'same-origin',
  crossOriginOpenerPolicy: 'same-origin',
  xFrameOptions: 'DENY',
  xContentTypeOptions: true,
  strictTransportSecurity: false,
}

/** The Content-Security-Policy of answers that load nothing (JSON, plain text, redirects). */
const NOTHING_LOADS = {
  defaultSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
}

/**
 * The policy for the whole /_tailor tree. It does not overwrite a header a route set itself, so
 * the centre's HTML keeps its own CSP with the stylesheet's nonce (src/api/centre.tsx), built
 * from the same `TAILOR_SECURE_HEADERS`.
 * @example app.use('*', tailorSecureHeaders())
 */
export function tailorSecureHeaders(): MiddlewareHandler {
  return secureHeaders({
    ...TAILOR_SECURE_HEADERS,
    contentSecurityPolicy: NOTHING_LOADS,
    overwrite: false,
  })
}
