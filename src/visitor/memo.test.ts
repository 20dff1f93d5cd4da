// The per-isolate memo of verified visitor cookies: hits skip the HMAC, and nothing else changes.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { readVisitor, VISITOR_COOKIE_NAME, writeVisitor } from './cookie'
import type { Keyring } from './keys'
import { loadKeyring } from './keys'
import { recall, remember, rememberedCount, VERIFIED_MEMO_MAX } from './memo'
import { FORGED, NOW } from './testing'

const name = VISITOR_COOKIE_NAME
const DAY = 86_400_000

// A keyring of its own per test (a distinct secret is a distinct keyring object), so no test
// sees another's entries.
let serial = 0
async function freshKeyring(kid = 'k2'): Promise<Keyring> {
  const loaded = await loadKeyring(`${kid}:memo-test-secret-${++serial}-0123456789abcdef`)
  if (!loaded.ok) {
    throw new Error(loaded.message)
  }
  return loaded.keyring
}

/** A `name=value` cookie header for a visitor, signed at NOW, valid for `days`. */
async function cookieFor(keyring: Keyring, days = 30, prefs = { theme: 'dark' }) {
  const header = await writeVisitor(
    { prefs, created: Math.floor(NOW / 1000) - 3600 },
    { name, keyring, now: NOW, maxAgeDays: days }
  )
  return header.slice(0, header.indexOf(';'))
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('verified cookie memo', () => {
  it('a hit reads the same visitor without verifying the HMAC again', async () => {
    const keyring = await freshKeyring()
    const cookie = await cookieFor(keyring)
    const verify = vi.spyOn(crypto.subtle, 'verify')
    const first = await readVisitor(cookie, { name, keyring, now: NOW })
    const second = await readVisitor(cookie, { name, keyring, now: NOW + 1000 })
    expect(first).toMatchObject({ status: 'valid', visitor: { prefs: { theme: 'dark' } } })
    expect(second).toEqual(first)
    expect(verify).toHaveBeenCalledTimes(1)
    expect(rememberedCount(keyring)).toBe(1)
  })

  it('each hit is a fresh copy: changing one read never changes the next', async () => {
    const keyring = await freshKeyring()
    const cookie = await cookieFor(keyring)
    const first = await readVisitor(cookie, { name, keyring, now: NOW })
    if (first.status !== 'valid') {
      throw new Error(first.status)
    }
    first.visitor.prefs.theme = 'light'
    const second = await readVisitor(cookie, { name, keyring, now: NOW })
    expect(second).toMatchObject({ status: 'valid', visitor: { prefs: { theme: 'dark' } } })
  })

  it('honours expiry after a hit: the same value read past its exp is expired', async () => {
    const keyring = await freshKeyring()
    const cookie = await cookieFor(keyring, 1)
    expect((await readVisitor(cookie, { name, keyring, now: NOW })).status).toBe('valid')
    expect(await readVisitor(cookie, { name, keyring, now: NOW + DAY + 1000 })).toEqual({
      status: 'invalid',
      reason: 'expired',
    })
    // Issued "in the future" for a clock set back more than the allowed skew: as without the memo.
    expect(await readVisitor(cookie, { name, keyring, now: NOW - DAY })).toEqual({
      status: 'invalid',
      reason: 'malformed',
    })
    expect(recall(keyring, cookie.slice(name.length + 1), NOW + DAY + 1000)).toBeUndefined()
  })

  it('a different keyring is a miss: a value verified under one secret is checked again', async () => {
    const keyring = await freshKeyring('k2')
    const cookie = await cookieFor(keyring)
    expect((await readVisitor(cookie, { name, keyring, now: NOW })).status).toBe('valid')
    // Same key id, another secret: the memo must not vouch for the value.
    const other = await loadKeyring(FORGED)
    if (!other.ok) {
      throw new Error(other.message)
    }
    expect(await readVisitor(cookie, { name, keyring: other.keyring, now: NOW })).toEqual({
      status: 'invalid',
      reason: 'bad-signature',
    })
    expect(rememberedCount(other.keyring)).toBe(0)
  })

  it('never caches a tampered value: each one is verified in full, and fails, every time', async () => {
    const keyring = await freshKeyring()
    const cookie = await cookieFor(keyring)
    const value = cookie.slice(name.length + 1)
    // One character of the payload changed (the signature no longer matches it).
    const i = value.indexOf('.', 3) + 5
    const tampered = `${name}=${value.slice(0, i)}${value[i] === 'A' ? 'B' : 'A'}${value.slice(i + 1)}`
    const verify = vi.spyOn(crypto.subtle, 'verify')
    for (let n = 0; n < 2; n++) {
      expect(await readVisitor(tampered, { name, keyring, now: NOW })).toEqual({
        status: 'invalid',
        reason: 'bad-signature',
      })
    }
    expect(verify).toHaveBeenCalledTimes(2)
    expect(rememberedCount(keyring)).toBe(0)
  })

  it(`keeps at most ${VERIFIED_MEMO_MAX} values per keyring, dropping the least recently used`, async () => {
    const keyring = await freshKeyring()
    const claims = { data: {}, kid: 'k2', iat: NOW / 1000, exp: NOW / 1000 + 60 }
    remember(keyring, 'value-0', claims)
    remember(keyring, 'value-1', claims)
    // A hit makes value-0 the most recently used, so value-1 is the first to go.
    expect(recall(keyring, 'value-0', NOW)).toBe(claims)
    for (let i = 2; i <= VERIFIED_MEMO_MAX; i++) {
      remember(keyring, `value-${i}`, claims)
    }
    expect(rememberedCount(keyring)).toBe(VERIFIED_MEMO_MAX)
    expect(recall(keyring, 'value-1', NOW)).toBeUndefined()
    expect(recall(keyring, 'value-0', NOW)).toBe(claims)
    expect(recall(keyring, `value-${VERIFIED_MEMO_MAX}`, NOW)).toBe(claims)
  })
})
