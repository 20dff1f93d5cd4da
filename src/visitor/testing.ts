// Helpers for the visitor tests only (not exported from index): keyrings and hand-made tokens.
import { encodeBase64url } from './base64url'
import type { Keyring } from './keys'
import { loadKeyring } from './keys'

/** The keys of vitest.config.ts: "k2" signs, "k1" still verifies. */
export const CURRENT = 'k2:test-secret-two-0123456789abcdef,k1:test-secret-one-0123456789abcdef'
/** Before rotation: "k1" alone. */
export const BEFORE_ROTATION = 'k1:test-secret-one-0123456789abcdef'
/** After retiring "k1": only "k2" is listed. */
export const RETIRED = 'k2:test-secret-two-0123456789abcdef'
/** An attacker's guess: the right key id, the wrong secret. */
export const FORGED = 'k2:not-the-secret-0123456789abcdef'

/** 2026-01-01T00:00:00Z, in milliseconds. */
export const NOW = Date.UTC(2026, 0, 1)

/**
 * A keyring, or a thrown error saying why not.
 * @example const keyring = await keyringOf(CURRENT)
 */
export async function keyringOf(secret: string): Promise<Keyring> {
  const loaded = await loadKeyring(secret)
  if (!loaded.ok) {
    throw new Error(loaded.message)
  }
  return loaded.keyring
}

/**
 * A token whose payload text is exactly `payload` (JSON or not), correctly signed for `purpose`
 * with the key `kid` (default: the signer): what only a buggy signer could produce.
 * @example await craftToken('[1]', { purpose: 'visitor', keyring }) // '1.k2.WzFd.…'
 */
export async function craftToken(
  payload: string,
  opts: { purpose: string; keyring: Keyring; kid?: string; encoded?: string }
): Promise<string> {
  const kid = opts.kid ?? opts.keyring.signer.kid
  const key = opts.keyring.verifiers.get(kid)
  if (!key) {
    throw new Error(`no key "${kid}"`)
  }
  const encoder = new TextEncoder()
  const body = opts.encoded ?? encodeBase64url(encoder.encode(payload))
  const text = `tailor:${opts.purpose}:1.${kid}.${body}`
  const signature = await crypto.subtle.sign('HMAC', key, encoder.encode(text))
  return `1.${kid}.${body}.${encodeBase64url(new Uint8Array(signature))}`
}

/**
 * The claims `signToken` writes, with overrides, as JSON text.
 * @example claimsJson({ v: 2 }) // '{"v":2,"pur":"visitor","kid":"k2",…}'
 */
export function claimsJson(overrides: Record<string, unknown> = {}): string {
  const iat = Math.floor(NOW / 1000)
  const base = {
    v: 1,
    pur: 'visitor',
    kid: 'k2',
    iat,
    exp: iat + 3600,
    d: { prefs: {}, created: iat },
  }
  return JSON.stringify({ ...base, ...overrides })
}

/**
 * The `name=value` part of a Set-Cookie value: what the browser sends back.
 * @example cookiePair('a=b; Path=/') // 'a=b'
 */
export function cookiePair(setCookie: string): string {
  return setCookie.slice(0, setCookie.indexOf(';'))
}
