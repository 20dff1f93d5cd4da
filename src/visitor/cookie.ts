// The visitor cookie: find and verify it, write it, clear it.
import { findCookie } from './cookie-header'
import type { Keyring } from './keys'
import { recall, remember } from './memo'
import type { VisitorState } from './state'
import { toVisitorState } from './state'
import type { TokenFailure } from './token'
import { MAX_TOKEN_LENGTH, signToken, verifyToken } from './token'

/** The three outcomes of reading the cookie. 'invalid' is used exactly like 'absent'. */
export type VisitorRead =
  | { status: 'absent' }
  | { status: 'valid'; visitor: VisitorState; kid: string; issuedAt: number }
  | { status: 'invalid'; reason: TokenFailure | 'duplicate' }

/** The token purpose of the visitor cookie: a token signed for anything else never reads as one. */
export const VISITOR_PURPOSE = 'visitor'

/**
 * The default cookie name. RFC 6265bis §4.1.3.2: a `__Host-` cookie is accepted only with Secure,
 * Path=/ and no Domain, so no sibling subdomain and no plain-HTTP page can set or shadow it.
 */
export const VISITOR_COOKIE_NAME = '__Host-tailor'

/** RFC 6265bis §5.6.2: a user agent caps Max-Age (and Expires) at 400 days. */
export const MAX_COOKIE_AGE_DAYS = 400

// RFC 6265bis §4.1.1: cookie-name is an RFC 9110 token. The same rule as the config's.
const COOKIE_NAME_PATTERN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/

// RFC 6265bis §4.1.2: the attributes. Secure + Path=/ + no Domain satisfy the `__Host-` prefix
// (§4.1.3.2); HttpOnly keeps page scripts out (§4.1.2.6); SameSite=Lax still sends the cookie on
// a top-level navigation from another site, so a visitor arriving from a link is personalised
// (§4.1.2.7). Section numbers here follow draft-ietf-httpbis-rfc6265bis-22.
const ATTRIBUTES = 'Secure; HttpOnly; SameSite=Lax'

/**
 * Find the cookie in a Cookie header and verify it. Three outcomes, never throws, never rejects.
 *
 * Bounded: the header is scanned once, in place, whatever its size; it is never split into a map
 * (so a Cookie header over 8 KB costs one pass and no allocation per pair), and the token's
 * length is checked before anything in it is parsed ('oversized').
 *
 * A name present twice is 'duplicate': a browser sends two cookies of one name when they differ
 * in Domain or Path (RFC 6265bis §5.8.3 sorts by path, then creation time), e.g. one set with
 * Domain by a sibling subdomain. Neither is trusted over the other. A payload whose shape is not
 * VisitorState (prefs an object of string, string[] or boolean; created a number) is 'malformed'.
 * @example
 * const opts = { name: '__Host-tailor', keyring, now: Date.now() }
 * await readVisitor('theme=x; __Host-tailor=1.k2.eyJ2…', opts)
 * // { status: 'valid', visitor: { prefs: { theme: 'dark' }, created: 1767225600 },
 * //   kid: 'k2', issuedAt: 1767225600 }
 * await readVisitor(null, opts) // { status: 'absent' }
 * await readVisitor('__Host-tailor=1.k2.eyJ2…; __Host-tailor=x', opts)
 * // { status: 'invalid', reason: 'duplicate' }
 */
export async function readVisitor(
  cookieHeader: string | null,
  opts: { name: string; keyring: Keyring; now: number }
): Promise<VisitorRead> {
  try {
    const found = findCookie(cookieHeader ?? '', opts.name)
    if (found.count === 0) {
      return { status: 'absent' }
    }
    if (found.count === 2) {
      return { status: 'invalid', reason: 'duplicate' }
    }
    // A value these keys verified before, still fresh at this request's clock (see ./memo).
    const known = recall(opts.keyring, found.value, opts.now)
    const result = known
      ? ({ ok: true, ...known } as const)
      : await verifyToken(found.value, {
          purpose: VISITOR_PURPOSE,
          keyring: opts.keyring,
          now: opts.now,
        })
    if (!result.ok) {
      return { status: 'invalid', reason: result.reason }
    }
    // A fresh copy per request: nothing a caller does to it reaches the remembered data.
    const visitor = toVisitorState(result.data)
    if (!visitor) {
      return { status: 'invalid', reason: 'malformed' }
    }
    if (!known) {
      const { data, kid, iat, exp } = result
      remember(opts.keyring, found.value, { data, kid, iat, exp })
    }
    return { status: 'valid', visitor, kid: result.kid, issuedAt: result.iat }
  } catch {
    return { status: 'invalid', reason: 'malformed' }
  }
}

/**
 * Sign the visitor's state and return a whole Set-Cookie header value:
 * `<name>=<token>; Path=/; Max-Age=<days × 86400, at most 400 days>; Secure; HttpOnly;
 * SameSite=Lax`.
 * The token expires with the cookie (its TTL is the Max-Age), so a cookie kept past its Max-Age
 * by a misbehaving client still reads as 'expired'.
 *
 * Throws on what a caller must fix, never on a visitor's input it has validated: a name that is
 * not a cookie-name token, maxAgeDays not above 0, a state not shaped as VisitorState, or a
 * token longer than `readVisitor` accepts (3800 characters). Beware: that last one is reachable
 * when the preference vocabulary allows long texts or many options; the caller should answer
 * with a clear 4xx rather than a 500.
 * @example
 * await writeVisitor({ prefs: { theme: 'dark' }, created: 1767225600 }, {
 *   name: '__Host-tailor', keyring, now: Date.now(), maxAgeDays: 180,
 * }) // '__Host-tailor=1.k2.eyJ2…; Path=/; Max-Age=15552000; Secure; HttpOnly; SameSite=Lax'
 */
export async function writeVisitor(
  visitor: VisitorState,
  opts: { name: string; keyring: Keyring; now: number; maxAgeDays: number }
): Promise<string> {
  checkName('writeVisitor', opts.name)
  if (!(opts.maxAgeDays > 0) || !Number.isFinite(opts.maxAgeDays)) {
    throw new RangeError(`writeVisitor: Expected maxAgeDays above 0. Got ${opts.maxAgeDays}.`)
  }
  const state = toVisitorState(visitor)
  if (!state) {
    throw new TypeError(
      'writeVisitor: Expected { prefs: object of string, string[] or boolean; created: number; ' +
        'paused?: boolean; consent?: { signals: boolean; at: number }; signals?: { id: [score, day] }; ' +
        'tests?: { agreed: boolean; at: number }; experiments?: { id: [phase, arm, bits] }; holdout?: [phase, arm, bits] }.'
    )
  }
  const maxAge = Math.max(1, Math.floor(Math.min(opts.maxAgeDays, MAX_COOKIE_AGE_DAYS) * 86400))
  const token = await signToken(state, {
    purpose: VISITOR_PURPOSE,
    keyring: opts.keyring,
    now: opts.now,
    ttlSeconds: maxAge,
  })
  if (token.length > MAX_TOKEN_LENGTH) {
    // Writing it anyway would log the visitor out: the next read would be 'oversized'.
    throw new RangeError(
      `writeVisitor: Expected a cookie of at most ${MAX_TOKEN_LENGTH} characters. Got ${token.length}.`
    )
  }
  return `${opts.name}=${token}; Path=/; Max-Age=${maxAge}; ${ATTRIBUTES}`
}

/**
 * A Set-Cookie value that expires the cookie now. It repeats the attributes of `writeVisitor`:
 * a browser replaces a cookie only when name, Domain and Path match (RFC 6265bis §5.7),
 * and a `__Host-` cookie is refused without Secure and Path=/ even when deleting it (§4.1.3.2).
 * Throws only when `name` is not a cookie-name token.
 * @example
 * clearVisitor('__Host-tailor')
 * // '__Host-tailor=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax'
 */
export function clearVisitor(name: string): string {
  checkName('clearVisitor', name)
  return `${name}=; Path=/; Max-Age=0; ${ATTRIBUTES}`
}

function checkName(caller: string, name: string): void {
  if (!COOKIE_NAME_PATTERN.test(name)) {
    // Also what keeps ";" and line breaks out of the Set-Cookie header.
    throw new TypeError(
      `${caller}: Expected a cookie name (RFC 6265 token). Got ${JSON.stringify(name)}.`
    )
  }
}
