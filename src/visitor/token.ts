// Signed, purpose-bound, expiring tokens (HMAC-SHA256): the visitor cookie, later preview links.
import { decodeBase64url, encodeBase64url } from './base64url'
import type { Keyring } from './keys'
import { KID_PATTERN } from './keys'

/** Why a token was refused. None of them is an error: each is an ordinary outcome of reading. */
export type TokenFailure =
  | 'malformed'
  | 'oversized'
  | 'unknown-key'
  | 'bad-signature'
  | 'wrong-purpose'
  | 'expired'
  | 'unsupported-version'

export type TokenVerification =
  | { ok: true; data: unknown; iat: number; exp: number; kid: string }
  | { ok: false; reason: TokenFailure }

/** The token format this code writes and reads: the first field of every token. */
export const TOKEN_VERSION = 1

/**
 * Longest token `verifyToken` reads by default, in characters. It leaves room for the cookie's
 * name within the 4096 octets RFC 6265bis §5.6 lets a user agent refuse beyond (name + value).
 */
export const MAX_TOKEN_LENGTH = 3800

/** How far in the future `iat` may be (clock skew between isolates), in seconds. */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60

/** A purpose names what a token is for: 'visitor', 'preview'. Lower case, digits and "-". */
const PURPOSE_PATTERN = /^[a-z][a-z0-9-]{0,31}$/

// HMAC-SHA256 gives 32 bytes: 43 base64url characters without padding.
const SIGNATURE_CHARS = 43
const PAYLOAD_PATTERN = /^[A-Za-z0-9_-]+$/
const VERSION_PATTERN = /^[0-9]{1,9}$/

const encoder = new TextEncoder()
// Invalid UTF-8 throws ('malformed') rather than become U+FFFD; a BOM is kept, so JSON refuses it.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/**
 * What the HMAC covers. The purpose is part of it, so a token signed for one purpose never
 * verifies for another, even under the same key. It cannot be confused with another purpose's
 * text: kid and payload contain no "." and are read from the right.
 */
const signedText = (purpose: string, kid: string, payload: string): string =>
  `tailor:${purpose}:${TOKEN_VERSION}.${kid}.${payload}`

/**
 * Sign `data` (any JSON value) for one purpose with the keyring's first key. The token reads
 * `1.<kid>.<payload>.<sig>`: payload is base64url(JSON of `{ v, pur, kid, iat, exp, d }`), the
 * times in seconds since the epoch, `exp = iat + ttlSeconds`.
 *
 * Throws only on programmer errors: a purpose outside `[a-z][a-z0-9-]{0,31}`, a ttl that is not
 * a positive integer, `now` not finite, `data` undefined or not serialisable as JSON.
 * Beware: the payload is signed, not encrypted; anyone holding the token can read `data`.
 * @example
 * const token = await signToken({ prefs: { theme: 'dark' }, created: 1767225600 }, {
 *   purpose: 'visitor', keyring, now: Date.now(), ttlSeconds: 180 * 86400,
 * }) // '1.k2.eyJ2IjoxLCJwdXIiOiJ2aXNpdG9yIiwia2lkIjoiazIiLC….Qm9…'
 */
export async function signToken(
  data: unknown,
  opts: { purpose: string; keyring: Keyring; now: number; ttlSeconds: number }
): Promise<string> {
  const { purpose, keyring, now, ttlSeconds } = opts
  if (!PURPOSE_PATTERN.test(purpose)) {
    throw new TypeError(
      `signToken: Expected a purpose of 1 to 32 characters from a-z, 0-9 and "-". Got ${JSON.stringify(purpose)}.`
    )
  }
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1) {
    throw new RangeError(
      `signToken: Expected ttlSeconds to be a positive integer. Got ${ttlSeconds}.`
    )
  }
  if (!Number.isFinite(now)) {
    throw new RangeError(`signToken: Expected now in milliseconds. Got ${now}.`)
  }
  if (data === undefined) {
    throw new TypeError('signToken: Expected data that JSON can hold. Got undefined.')
  }
  const { kid, key } = keyring.signer
  const iat = Math.floor(now / 1000)
  const claims = { v: TOKEN_VERSION, pur: purpose, kid, iat, exp: iat + ttlSeconds, d: data }
  const payload = encodeBase64url(encoder.encode(JSON.stringify(claims)))
  const signature = await crypto.subtle.sign(
    'HMAC',
    key,
    encoder.encode(signedText(purpose, kid, payload))
  )
  return `${TOKEN_VERSION}.${kid}.${payload}.${encodeBase64url(new Uint8Array(signature))}`
}

/**
 * Verify a token for one purpose. Never throws and never rejects: any surprise is 'malformed'.
 *
 * In order: the length (before anything is parsed: 'oversized'); the shape and version of the
 * header; the key id ('unknown-key' when no listed key has it, e.g. a retired key); the
 * signature, checked with `crypto.subtle.verify` (constant time) BEFORE the payload is decoded
 * ('bad-signature'); then the claims: `v` ('unsupported-version'), `pur` ('wrong-purpose'), `kid`
 * equal to the header's, `iat` at most 5 minutes ahead of `now`, and `exp` after `now`
 * ('expired'). Inconsistent claims are 'malformed'.
 *
 * Beware: a token made for another purpose fails as 'bad-signature', not 'wrong-purpose', because
 * the purpose is inside the HMAC and nothing is parsed before the HMAC holds. 'wrong-purpose'
 * means a correctly signed payload names another purpose: a bug in a signer, never a visitor.
 * @example
 * await verifyToken(token, { purpose: 'visitor', keyring, now: Date.now() })
 * // { ok: true, data: { prefs: { theme: 'dark' }, created: 1767225600 }, iat, exp, kid: 'k2' }
 * await verifyToken(token, { purpose: 'preview', keyring, now: Date.now() })
 * // { ok: false, reason: 'bad-signature' }
 */
export async function verifyToken(
  value: string,
  opts: { purpose: string; keyring: Keyring; now: number; maxLength?: number }
): Promise<TokenVerification> {
  try {
    const { purpose, keyring, now, maxLength = MAX_TOKEN_LENGTH } = opts
    if (typeof value !== 'string') {
      return fail('malformed')
    }
    if (value.length > maxLength) {
      return fail('oversized')
    }
    // The version comes first so a later format, whatever its shape, is named as such.
    const dot = value.indexOf('.')
    const version = dot === -1 ? value : value.slice(0, dot)
    if (version !== String(TOKEN_VERSION)) {
      return fail(VERSION_PATTERN.test(version) ? 'unsupported-version' : 'malformed')
    }
    const parts = value.split('.')
    if (parts.length !== 4) {
      return fail('malformed')
    }
    const [, kid = '', payload = '', sig = ''] = parts
    if (
      !KID_PATTERN.test(kid) ||
      !PAYLOAD_PATTERN.test(payload) ||
      sig.length !== SIGNATURE_CHARS
    ) {
      return fail('malformed')
    }
    const signature = decodeBase64url(sig)
    if (!signature) {
      return fail('malformed')
    }
    const key = keyring.verifiers.get(kid)
    if (!key) {
      return fail('unknown-key')
    }
    const genuine = await crypto.subtle.verify(
      'HMAC',
      key,
      signature,
      encoder.encode(signedText(purpose, kid, payload))
    )
    if (!genuine) {
      return fail('bad-signature')
    }
    // From here the bytes are ours; the checks below catch a signer's bug, not an attacker.
    const bytes = decodeBase64url(payload)
    if (!bytes) {
      return fail('malformed')
    }
    const claims: unknown = JSON.parse(decoder.decode(bytes))
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
      return fail('malformed')
    }
    const { v, pur, kid: claimedKid, iat, exp } = claims as Record<string, unknown>
    if (v !== TOKEN_VERSION) {
      return fail('unsupported-version')
    }
    if (pur !== purpose) {
      return fail('wrong-purpose')
    }
    if (
      claimedKid !== kid ||
      !isSeconds(iat) ||
      !isSeconds(exp) ||
      exp < iat ||
      !Object.hasOwn(claims, 'd')
    ) {
      return fail('malformed')
    }
    if (!Number.isFinite(now)) {
      // A clock that cannot be read cannot show the token is still fresh: fail closed.
      return fail('expired')
    }
    if (iat * 1000 > now + MAX_CLOCK_SKEW_SECONDS * 1000) {
      return fail('malformed')
    }
    if (exp * 1000 <= now) {
      return fail('expired')
    }
    return { ok: true, data: (claims as { d: unknown }).d, iat, exp, kid }
  } catch {
    return fail('malformed')
  }
}

const fail = (reason: TokenFailure): TokenVerification => ({ ok: false, reason })

const isSeconds = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
