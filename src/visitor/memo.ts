// Verified visitor cookies remembered per isolate, so a returning visitor's cookie is HMAC-checked once.
//
// Why this is safe:
// - The key is the cookie's whole signed value (header, payload and signature) under the exact
//   keyring object that verified it (keyrings are cached per TAILOR_SECRET string, so another
//   secret, or a rotation, is another object and a miss). A hit therefore means these very bytes
//   already passed `crypto.subtle.verify` with these very keys; one changed byte is another key.
// - Only a successful verification is stored: a tampered, unknown-key or malformed value never is,
//   and is verified in full every time it comes back.
// - Nothing crosses visitors: the entry is found only by presenting that exact value, which is the
//   visitor's own cookie; what it returns is what the value itself says, re-validated and copied
//   per request (`toVisitorState`), so no request can change what a later one reads.
// - Time still counts: expiry and the issued-at skew are checked against each request's clock on
//   every hit; a stale entry falls through to the full verification, which says why it failed.
// - Bounded: at most VERIFIED_MEMO_MAX values per keyring, least recently used dropped first.
import type { Keyring } from './keys'
import { MAX_CLOCK_SKEW_SECONDS } from './token'

/** Most verified cookie values remembered per keyring. */
export const VERIFIED_MEMO_MAX = 512

/** What a successful verification said: the signed data and its claims. */
export type Verified = { data: unknown; kid: string; iat: number; exp: number }

// A WeakMap on the keyring: a keyring nobody holds any more takes its entries with it.
const memo = new WeakMap<Keyring, Map<string, Verified>>()

/**
 * The earlier verification of exactly `value` under `keyring`, when it still holds at `now`
 * (not expired, not issued in the future); undefined otherwise (then verify in full).
 * @example recall(keyring, token, Date.now()) ?? (await verifyToken(token, opts))
 */
export function recall(keyring: Keyring, value: string, now: number): Verified | undefined {
  const entries = memo.get(keyring)
  const hit = entries?.get(value)
  if (!entries || !hit) {
    return undefined
  }
  entries.delete(value)
  if (
    !Number.isFinite(now) ||
    hit.exp * 1000 <= now ||
    hit.iat * 1000 > now + MAX_CLOCK_SKEW_SECONDS * 1000
  ) {
    return undefined
  }
  // Re-inserted: Maps iterate in insertion order, so the first key is the least recently used.
  entries.set(value, hit)
  return hit
}

/** Remember a value that just passed verification in full (and nothing else). */
export function remember(keyring: Keyring, value: string, verified: Verified): void {
  let entries = memo.get(keyring)
  if (!entries) {
    entries = new Map()
    memo.set(keyring, entries)
  }
  entries.delete(value)
  if (entries.size >= VERIFIED_MEMO_MAX) {
    entries.delete(entries.keys().next().value as string)
  }
  entries.set(value, verified)
}

/** How many values are remembered for this keyring (for tests of the bound). */
export function rememberedCount(keyring: Keyring): number {
  return memo.get(keyring)?.size ?? 0
}
