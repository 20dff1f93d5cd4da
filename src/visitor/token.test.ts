// Signed tokens: every verification outcome, the order of the checks, and the wire format.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { decodeBase64url, encodeBase64url } from './base64url'
import type { Keyring } from './keys'
import {
  BEFORE_ROTATION,
  claimsJson,
  craftToken,
  CURRENT,
  FORGED,
  keyringOf,
  NOW,
  RETIRED,
} from './testing'
import { MAX_TOKEN_LENGTH, signToken, verifyToken } from './token'

const purpose = 'visitor'
const data = { prefs: { theme: 'dark', topics: ['cycling', 'maps'], news: true }, created: 1 }
const IAT = Math.floor(NOW / 1000)

let keyring: Keyring
let token: string

beforeAll(async () => {
  keyring = await keyringOf(CURRENT)
  token = await signToken(data, { purpose, keyring, now: NOW, ttlSeconds: 3600 })
})

afterEach(() => {
  vi.restoreAllMocks()
})

const verify = (value: string, opts: { keyring?: Keyring; now?: number; purpose?: string } = {}) =>
  verifyToken(value, {
    purpose: opts.purpose ?? purpose,
    keyring: opts.keyring ?? keyring,
    now: opts.now ?? NOW,
  })

/** Replace the character at `index` with another of the base64url alphabet. */
const flip = (text: string, index: number): string =>
  text.slice(0, index) + (text[index] === 'A' ? 'B' : 'A') + text.slice(index + 1)

describe('signToken', () => {
  it('writes 1.<kid>.<payload>.<sig> with a 43-character HMAC-SHA256 signature', () => {
    expect(token).toMatch(/^1\.k2\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/)
  })

  it('carries v, pur, kid, iat, exp and d in the payload, times in seconds', () => {
    const payload = decodeBase64url(token.split('.')[2] as string) as Uint8Array
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual({
      v: 1,
      pur: 'visitor',
      kid: 'k2',
      iat: IAT,
      exp: IAT + 3600,
      d: data,
    })
  })

  it('rounds iat down to the second', async () => {
    const later = await signToken(1, { purpose, keyring, now: NOW + 999, ttlSeconds: 60 })
    expect(await verify(later)).toMatchObject({ ok: true, iat: IAT, exp: IAT + 60 })
  })

  it.each([
    [
      { purpose: 'Visitor' },
      'signToken: Expected a purpose of 1 to 32 characters from a-z, 0-9 and "-". Got "Visitor".',
    ],
    [
      { purpose: 'a:b' },
      'signToken: Expected a purpose of 1 to 32 characters from a-z, 0-9 and "-". Got "a:b".',
    ],
    [{ ttlSeconds: 0 }, 'signToken: Expected ttlSeconds to be a positive integer. Got 0.'],
    [{ ttlSeconds: 1.5 }, 'signToken: Expected ttlSeconds to be a positive integer. Got 1.5.'],
    [{ now: Number.NaN }, 'signToken: Expected now in milliseconds. Got NaN.'],
  ])('throws on a programmer error: %j', async (override, message) => {
    await expect(
      signToken(1, { purpose, keyring, now: NOW, ttlSeconds: 60, ...override })
    ).rejects.toThrow(message)
  })

  it('throws on undefined data, which JSON cannot hold', async () => {
    await expect(
      signToken(undefined, { purpose, keyring, now: NOW, ttlSeconds: 60 })
    ).rejects.toThrow('signToken: Expected data that JSON can hold. Got undefined.')
  })

  it.each([null, 0, '', false, [], 'ünïcødé \u{1F600} \ud800'])('round-trips %j', async (value) => {
    const signed = await signToken(value, { purpose, keyring, now: NOW, ttlSeconds: 60 })
    expect(await verify(signed)).toMatchObject({ ok: true, data: value })
  })
})

describe('verifyToken: valid', () => {
  it('returns the data, the times and the key id', async () => {
    expect(await verify(token)).toEqual({ ok: true, data, iat: IAT, exp: IAT + 3600, kid: 'k2' })
  })

  it('accepts a token signed with the old first key after a new key is prepended (rotation)', async () => {
    const old = await signToken(data, {
      purpose,
      keyring: await keyringOf(BEFORE_ROTATION),
      now: NOW,
      ttlSeconds: 3600,
    })
    expect(old.startsWith('1.k1.')).toBe(true)
    expect(await verify(old)).toMatchObject({ ok: true, data, kid: 'k1' })
  })

  it('accepts a token until the last millisecond before exp', async () => {
    expect(await verify(token, { now: (IAT + 3600) * 1000 - 1 })).toMatchObject({ ok: true })
  })

  it('accepts an iat up to 5 minutes ahead (clock skew between isolates)', async () => {
    expect(await verify(token, { now: NOW - 5 * 60 * 1000 })).toMatchObject({ ok: true })
  })
})

describe('verifyToken: refused', () => {
  it('expired: at exp and after', async () => {
    expect(await verify(token, { now: (IAT + 3600) * 1000 })).toEqual({
      ok: false,
      reason: 'expired',
    })
    expect(await verify(token, { now: NOW + 86400_000 })).toEqual({ ok: false, reason: 'expired' })
  })

  it('expired: when now is not a number, fail closed', async () => {
    expect(await verify(token, { now: Number.NaN })).toEqual({ ok: false, reason: 'expired' })
  })

  it('tampered payload: changed data under the original signature', async () => {
    const [version, kid, , sig] = token.split('.')
    const forged = encodeBase64url(
      new TextEncoder().encode(claimsJson({ d: { ...data, prefs: { admin: true } } }))
    )
    expect(await verify(`${version}.${kid}.${forged}.${sig}`)).toEqual({
      ok: false,
      reason: 'bad-signature',
    })
  })

  it('tampered payload: one character changed', async () => {
    const at = token.indexOf('.', 2) + 5
    expect(await verify(flip(token, at))).toEqual({ ok: false, reason: 'bad-signature' })
  })

  it('tampered signature: one character changed', async () => {
    expect(await verify(flip(token, token.length - 10))).toEqual({
      ok: false,
      reason: 'bad-signature',
    })
  })

  it('tampered signature: non-zero padding bits, the same bytes spelled differently', async () => {
    // The last of 43 characters carries 4 bits and 2 zero bits; "…A" and "…B" decode alike.
    const last = token.at(-1) as string
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const twin = alphabet[alphabet.indexOf(last) + 1] as string
    expect(await verify(token.slice(0, -1) + twin)).toEqual({ ok: false, reason: 'malformed' })
  })

  it.each([
    ['the last character of the signature', (t: string) => t.slice(0, -1)],
    ['the whole signature', (t: string) => t.slice(0, t.lastIndexOf('.'))],
    ['the signature but not its dot', (t: string) => t.slice(0, t.lastIndexOf('.') + 1)],
    ['all but the header', (t: string) => t.slice(0, 5)],
    ['all but the version', (t: string) => t.slice(0, 1)],
    ['everything', () => ''],
  ])('truncated: %s → malformed', async (_, cut) => {
    expect(await verify(cut(token))).toEqual({ ok: false, reason: 'malformed' })
  })

  it('wrong key: the right key id with another secret', async () => {
    expect(await verify(token, { keyring: await keyringOf(FORGED) })).toEqual({
      ok: false,
      reason: 'bad-signature',
    })
  })

  it('retired key: its key id is no longer listed', async () => {
    const old = await signToken(data, {
      purpose,
      keyring: await keyringOf(BEFORE_ROTATION),
      now: NOW,
      ttlSeconds: 3600,
    })
    expect(await verify(old, { keyring: await keyringOf(RETIRED) })).toEqual({
      ok: false,
      reason: 'unknown-key',
    })
  })

  it('wrong purpose: a preview token under the same key never reads as a visitor token', async () => {
    const preview = await signToken(data, {
      purpose: 'preview',
      keyring,
      now: NOW,
      ttlSeconds: 3600,
    })
    expect(await verify(preview, { purpose: 'preview' })).toMatchObject({ ok: true })
    // The purpose is inside the HMAC, so this fails before the payload is even decoded.
    expect(await verify(preview)).toEqual({ ok: false, reason: 'bad-signature' })
  })

  it('wrong purpose: a correctly signed payload that names another purpose', async () => {
    const crafted = await craftToken(claimsJson({ pur: 'preview' }), { purpose, keyring })
    expect(await verify(crafted)).toEqual({ ok: false, reason: 'wrong-purpose' })
  })

  it.each([
    ['2', 'unsupported-version'],
    ['10', 'unsupported-version'],
    ['0', 'unsupported-version'],
    ['v1', 'malformed'],
    ['', 'malformed'],
  ])('header version %j → %s', async (version, reason) => {
    expect(await verify(version + token.slice(1))).toEqual({ ok: false, reason })
  })

  it('a later version is named as such whatever its shape', async () => {
    expect(await verify('2.some.other.shape.entirely')).toEqual({
      ok: false,
      reason: 'unsupported-version',
    })
  })

  it('payload version other than 1 → unsupported-version', async () => {
    const crafted = await craftToken(claimsJson({ v: 2 }), { purpose, keyring })
    expect(await verify(crafted)).toEqual({ ok: false, reason: 'unsupported-version' })
  })

  it('payload kid other than the header kid → malformed', async () => {
    const crafted = await craftToken(claimsJson({ kid: 'k1' }), { purpose, keyring, kid: 'k2' })
    expect(await verify(crafted)).toEqual({ ok: false, reason: 'malformed' })
  })

  it.each([
    ['a payload outside base64url', (t: string) => t.replace(/^1\.k2\.../, '1.k2.a$')],
    ['a signature outside base64url', (t: string) => `${t.slice(0, -3)}+/=`],
    ['a padded signature', (t: string) => `${t.slice(0, -1)}=`],
    ['a key id outside the key-id set', (t: string) => t.replace('1.k2.', '1.k!.')],
    ['an empty key id', (t: string) => t.replace('1.k2.', '1..')],
    ['an empty payload', (t: string) => t.replace(/^1\.k2\.[^.]+\./, '1.k2..')],
    ['a fifth part', (t: string) => `${t}.x`],
    ['spaces around it', (t: string) => ` ${t} `],
  ])('garbage: %s → malformed', async (_, mangle) => {
    expect(await verify(mangle(token))).toEqual({ ok: false, reason: 'malformed' })
  })

  it('garbage: a signed payload that is not canonical base64url → malformed', async () => {
    // 5 characters cannot be base64 of anything (length % 4 === 1), yet the HMAC over it holds.
    const crafted = await craftToken('', { purpose, keyring, encoded: 'abcde' })
    expect(await verify(crafted)).toEqual({ ok: false, reason: 'malformed' })
  })

  it('garbage: a signed payload that is not UTF-8 → malformed', async () => {
    const encoded = encodeBase64url(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))
    const crafted = await craftToken('', { purpose, keyring, encoded })
    expect(await verify(crafted)).toEqual({ ok: false, reason: 'malformed' })
  })

  it.each([
    ['an array', '[1,2]'],
    ['a string', '"visitor"'],
    ['a number', '42'],
    ['null', 'null'],
    ['not JSON', '{v:1}'],
    ['JSON with a byte-order mark', `\ufeff${claimsJson()}`],
    ['no d', JSON.stringify({ v: 1, pur: 'visitor', kid: 'k2', iat: IAT, exp: IAT + 60 })],
    ['an iat that is not a whole number', claimsJson({ iat: IAT + 0.5 })],
    ['an iat as a string', claimsJson({ iat: String(IAT) })],
    ['no exp', claimsJson({ exp: undefined })],
    ['an exp before the iat', claimsJson({ exp: IAT - 1 })],
    ['an iat more than 5 minutes ahead', claimsJson({ iat: IAT + 301, exp: IAT + 3600 })],
  ])('non-object or inconsistent claims: %s → malformed', async (_, json) => {
    const crafted = await craftToken(json, { purpose, keyring })
    expect(await verify(crafted)).toEqual({ ok: false, reason: 'malformed' })
  })

  it('the same claims, well formed, are accepted (the crafting helper is sound)', async () => {
    const crafted = await craftToken(claimsJson(), { purpose, keyring })
    expect(await verify(crafted)).toMatchObject({ ok: true, kid: 'k2' })
  })
})

describe('verifyToken: order of checks', () => {
  it('oversized: refused on length alone, before any parsing or crypto', async () => {
    const parse = vi.spyOn(JSON, 'parse')
    const hmac = vi.spyOn(crypto.subtle, 'verify')
    expect(await verify('x'.repeat(MAX_TOKEN_LENGTH + 1))).toEqual({
      ok: false,
      reason: 'oversized',
    })
    expect(await verify(`${token}${'A'.repeat(MAX_TOKEN_LENGTH)}`)).toEqual({
      ok: false,
      reason: 'oversized',
    })
    expect(parse).not.toHaveBeenCalled()
    expect(hmac).not.toHaveBeenCalled()
  })

  it('oversized: the limit is exactly maxLength, 3800 by default', async () => {
    expect(MAX_TOKEN_LENGTH).toBe(3800)
    const limit = { purpose, keyring, now: NOW }
    expect(await verifyToken(token, { ...limit, maxLength: token.length })).toMatchObject({
      ok: true,
    })
    expect(await verifyToken(token, { ...limit, maxLength: token.length - 1 })).toEqual({
      ok: false,
      reason: 'oversized',
    })
  })

  it('the signature is checked before the payload is parsed', async () => {
    const parse = vi.spyOn(JSON, 'parse')
    expect(await verify(flip(token, token.length - 10))).toEqual({
      ok: false,
      reason: 'bad-signature',
    })
    expect(parse).not.toHaveBeenCalled()
  })

  it('uses crypto.subtle.verify (constant-time comparison), not a string compare', async () => {
    const hmac = vi.spyOn(crypto.subtle, 'verify')
    await verify(token)
    expect(hmac).toHaveBeenCalledTimes(1)
  })

  it('never throws, whatever it is given', async () => {
    expect(await verify(123 as unknown as string)).toEqual({ ok: false, reason: 'malformed' })
    const broken = { signer: keyring.signer, verifiers: null } as unknown as Keyring
    expect(await verify(token, { keyring: broken })).toEqual({ ok: false, reason: 'malformed' })
  })
})
