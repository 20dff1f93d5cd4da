// The visitor cookie: the three outcomes of reading, the exact Set-Cookie values, and stripCookie.
import { beforeAll, describe, expect, it } from 'vitest'
import {
  clearVisitor,
  readVisitor,
  VISITOR_COOKIE_NAME,
  VISITOR_PURPOSE,
  writeVisitor,
} from './cookie'
import { cookieValue, stripCookie } from './cookie-header'
import type { VisitorState } from './state'
import type { Keyring } from './keys'
import {
  BEFORE_ROTATION,
  claimsJson,
  cookiePair,
  craftToken,
  CURRENT,
  FORGED,
  keyringOf,
  NOW,
  RETIRED,
} from './testing'
import { signToken } from './token'

const name = VISITOR_COOKIE_NAME
const IAT = Math.floor(NOW / 1000)
const visitor: VisitorState = {
  prefs: { theme: 'dark', topics: ['cycling', 'maps'], newsletter: false },
  created: IAT - 86400,
}

let keyring: Keyring
let setCookie: string
let pair: string

beforeAll(async () => {
  keyring = await keyringOf(CURRENT)
  setCookie = await writeVisitor(visitor, { name, keyring, now: NOW, maxAgeDays: 180 })
  pair = cookiePair(setCookie)
})

const read = (header: string | null, opts: { keyring?: Keyring; now?: number } = {}) =>
  readVisitor(header, { name, keyring: opts.keyring ?? keyring, now: opts.now ?? NOW })

/** A Cookie header holding a hand-made token whose data is `d`. */
const withData = async (d: unknown) =>
  `${name}=${await craftToken(claimsJson({ d }), { purpose: VISITOR_PURPOSE, keyring })}`

describe('writeVisitor', () => {
  it('writes the exact attributes of a __Host- cookie (RFC 6265bis §4.1.3.2)', () => {
    expect(setCookie).toMatch(
      /^__Host-tailor=1\.k2\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}; Path=\/; Max-Age=15552000; Secure; HttpOnly; SameSite=Lax$/
    )
    expect(setCookie).not.toMatch(/domain|expires/i)
  })

  it('caps Max-Age at 400 days (RFC 6265bis §5.6.2)', async () => {
    const long = await writeVisitor(visitor, { name, keyring, now: NOW, maxAgeDays: 1000 })
    expect(long).toContain('; Max-Age=34560000;')
  })

  it('gives the token the TTL of the cookie', async () => {
    const result = await read(pair)
    expect(result).toMatchObject({ status: 'valid', issuedAt: IAT })
    expect(await read(pair, { now: (IAT + 15552000) * 1000 - 1 })).toMatchObject({
      status: 'valid',
    })
    expect(await read(pair, { now: (IAT + 15552000) * 1000 })).toEqual({
      status: 'invalid',
      reason: 'expired',
    })
  })

  it('stores only VisitorState: extra fields are not written', async () => {
    const extra = { ...visitor, id: 'abc-123', country: 'NL' } as VisitorState
    const written = await writeVisitor(extra, { name, keyring, now: NOW, maxAgeDays: 1 })
    expect(await read(cookiePair(written))).toMatchObject({ status: 'valid', visitor })
  })

  it.each([
    [{ name: 'a;b' }, 'writeVisitor: Expected a cookie name (RFC 6265 token). Got "a;b".'],
    [{ name: '' }, 'writeVisitor: Expected a cookie name (RFC 6265 token). Got "".'],
    [{ name: 'a\r\nSet-Cookie: x' }, 'writeVisitor: Expected a cookie name (RFC 6265 token).'],
    [{ maxAgeDays: 0 }, 'writeVisitor: Expected maxAgeDays above 0. Got 0.'],
    [{ maxAgeDays: Number.NaN }, 'writeVisitor: Expected maxAgeDays above 0. Got NaN.'],
  ])('throws on a caller error: %j', async (override, message) => {
    await expect(
      writeVisitor(visitor, { name, keyring, now: NOW, maxAgeDays: 1, ...override })
    ).rejects.toThrow(message)
  })

  it.each([
    { prefs: { n: 1 }, created: 1 },
    { prefs: { list: ['a', 2] }, created: 1 },
    { prefs: [], created: 1 },
    { prefs: {}, created: '1' },
    { prefs: {} },
  ])('throws on a state that is not VisitorState: %j', async (bad) => {
    await expect(
      writeVisitor(bad as unknown as VisitorState, { name, keyring, now: NOW, maxAgeDays: 1 })
    ).rejects.toThrow('writeVisitor: Expected { prefs: object of string, string[] or boolean')
  })

  it('throws rather than write a cookie it could not read back', async () => {
    const big = { prefs: { text: 'x'.repeat(3000) }, created: 1 }
    await expect(writeVisitor(big, { name, keyring, now: NOW, maxAgeDays: 1 })).rejects.toThrow(
      /^writeVisitor: Expected a cookie of at most 3800 characters\. Got \d+\.$/
    )
  })
})

describe('clearVisitor', () => {
  it('expires the cookie with the same name and attributes', () => {
    expect(clearVisitor(name)).toBe(
      '__Host-tailor=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax'
    )
    expect(clearVisitor('prefs')).toBe('prefs=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax')
  })

  it('throws on a name that would break the header', () => {
    expect(() => clearVisitor('a=b')).toThrow('clearVisitor: Expected a cookie name')
  })
})

describe('readVisitor: valid', () => {
  it('reads what writeVisitor wrote, with the key id and issue time', async () => {
    expect(await read(`a=1; ${pair}; b=2`)).toEqual({
      status: 'valid',
      visitor,
      kid: 'k2',
      issuedAt: IAT,
    })
  })

  it.each([
    ['alone', () => pair],
    ['first', () => `${pair}; a=1`],
    ['last', () => `a=1; ${pair}`],
    [
      'with spaces and tabs around name and value',
      () => ` a=1 ;\t${pair.replace('=', ' = ')} \t; b=2`,
    ],
    ['next to similar names', () => `${name}2=x; x${name}=y; ${pair}; ${name.toLowerCase()}=z`],
    ['next to a nameless cookie', () => `justavalue; ${pair}`],
  ])('finds it %s', async (_, header) => {
    expect(await read(header())).toMatchObject({ status: 'valid', visitor })
  })

  it('reads a cookie signed with the old first key after rotation', async () => {
    const old = await writeVisitor(visitor, {
      name,
      keyring: await keyringOf(BEFORE_ROTATION),
      now: NOW,
      maxAgeDays: 30,
    })
    expect(await read(cookiePair(old))).toMatchObject({ status: 'valid', visitor, kid: 'k1' })
  })

  it('finds it at the end of a Cookie header over 8 KB', async () => {
    const filler = Array.from({ length: 400 }, (_, i) => `c${i}=${'v'.repeat(20)}`).join('; ')
    expect(filler.length).toBeGreaterThan(8 * 1024)
    expect(await read(`${filler}; ${pair}`)).toMatchObject({ status: 'valid', visitor })
  })

  it('keeps only VisitorState fields of a payload, dropping anything else', async () => {
    const header = await withData({ prefs: { a: 'b' }, created: 5, id: 'tracking-id' })
    expect(await read(header)).toMatchObject({
      status: 'valid',
      visitor: { prefs: { a: 'b' }, created: 5 },
    })
    const result = await read(header)
    expect(result.status === 'valid' && Object.keys(result.visitor)).toEqual(['prefs', 'created'])
  })

  it('keeps a pref named "__proto__" as plain data', async () => {
    const header = await withData(JSON.parse('{"prefs":{"__proto__":"x"},"created":1}'))
    const result = await read(header)
    expect(result.status).toBe('valid')
    const prefs = result.status === 'valid' ? result.visitor.prefs : {}
    expect(Object.getPrototypeOf(prefs)).toBe(Object.prototype)
    expect(Object.hasOwn(prefs, '__proto__')).toBe(true)
  })
})

describe('readVisitor: absent', () => {
  it.each([
    ['no header', null],
    ['an empty header', ''],
    ['other cookies only', 'a=1; b=2'],
    ['a longer name', `${name}2=x`],
    ['a name with a prefix', `x${name}=x`],
    ['the name in another case (names are case-sensitive)', `${name.toLowerCase()}=x`],
    ['the name as a value', `a=${name}`],
    ['the name without "=" (a nameless cookie)', name],
  ])('%s', async (_, header) => {
    expect(await read(header)).toEqual({ status: 'absent' })
  })

  it('scans a huge header of separators in linear time', async () => {
    const started = Date.now()
    expect(await read(`${';'.repeat(200_000)}=${name}`)).toEqual({ status: 'absent' })
    expect(await read(`${' ;'.repeat(100_000)}${name}`)).toEqual({ status: 'absent' })
    expect(Date.now() - started).toBeLessThan(1000)
  })
})

describe('readVisitor: invalid', () => {
  const invalid = (reason: string) => ({ status: 'invalid', reason })

  it('duplicate: the name twice, even when both are genuine', async () => {
    expect(await read(`${pair}; ${pair}`)).toEqual(invalid('duplicate'))
    expect(await read(`${pair}; a=1; ${name}=other`)).toEqual(invalid('duplicate'))
    expect(await read(`${name}=x; ${pair}`)).toEqual(invalid('duplicate'))
  })

  it('tampered payload', async () => {
    const [head, kid, payload, sig] = pair.split('.')
    const changed = (payload as string).replace(/.$/, (c) => (c === 'A' ? 'Q' : 'A'))
    expect(await read(`${head}.${kid}.${changed}.${sig}`)).toEqual(invalid('bad-signature'))
  })

  it('tampered signature', async () => {
    const changed = pair.slice(0, -5) + (pair.at(-5) === 'A' ? 'B' : 'A') + pair.slice(-4)
    expect(await read(changed)).toEqual(invalid('bad-signature'))
  })

  it('truncated', async () => {
    expect(await read(pair.slice(0, -1))).toEqual(invalid('malformed'))
    expect(await read(pair.slice(0, pair.lastIndexOf('.')))).toEqual(invalid('malformed'))
  })

  it('empty value', async () => {
    expect(await read(`a=1; ${name}=; b=2`)).toEqual(invalid('malformed'))
  })

  it('quoted value', async () => {
    expect(await read(pair.replace('=', '="') + '"')).toEqual(invalid('malformed'))
  })

  it('wrong key', async () => {
    expect(await read(pair, { keyring: await keyringOf(FORGED) })).toEqual(invalid('bad-signature'))
  })

  it('retired key', async () => {
    const old = await writeVisitor(visitor, {
      name,
      keyring: await keyringOf(BEFORE_ROTATION),
      now: NOW,
      maxAgeDays: 30,
    })
    expect(await read(cookiePair(old), { keyring: await keyringOf(RETIRED) })).toEqual(
      invalid('unknown-key')
    )
  })

  it('expired', async () => {
    expect(await read(pair, { now: NOW + 181 * 86400_000 })).toEqual(invalid('expired'))
  })

  it('oversized: checked before the token is parsed', async () => {
    expect(await read(`${name}=${'x'.repeat(3801)}`)).toEqual(invalid('oversized'))
    expect(await read(`${name}=${'x'.repeat(3800)}`)).toEqual(invalid('malformed'))
  })

  it('wrong purpose: a preview token signed with the same key', async () => {
    const preview = await signToken(visitor, {
      purpose: 'preview',
      keyring,
      now: NOW,
      ttlSeconds: 60,
    })
    expect(await read(`${name}=${preview}`)).toEqual(invalid('bad-signature'))
  })

  it('wrong version', async () => {
    expect(await read(pair.replace('=1.', '=2.'))).toEqual(invalid('unsupported-version'))
  })

  it('payload kid other than the header kid', async () => {
    const crafted = await craftToken(claimsJson({ kid: 'k1' }), {
      purpose: VISITOR_PURPOSE,
      keyring,
    })
    expect(await read(`${name}=${crafted}`)).toEqual(invalid('malformed'))
  })

  it('garbage base64', async () => {
    expect(await read(`${name}=1.k2.$$$$.${'A'.repeat(43)}`)).toEqual(invalid('malformed'))
    expect(await read(`${name}=%E2%82%AC`)).toEqual(invalid('malformed'))
  })

  it('non-object JSON', async () => {
    const crafted = await craftToken('[]', { purpose: VISITOR_PURPOSE, keyring })
    expect(await read(`${name}=${crafted}`)).toEqual(invalid('malformed'))
  })

  it.each([
    ['data null', null],
    ['data an array', [visitor]],
    ['data a string', 'visitor'],
    ['prefs missing', { created: 1 }],
    ['prefs an array', { prefs: [], created: 1 }],
    ['prefs null', { prefs: null, created: 1 }],
    ['a pref a number', { prefs: { n: 1 }, created: 1 }],
    ['a pref null', { prefs: { n: null }, created: 1 }],
    ['a pref an object', { prefs: { n: { a: 'b' } }, created: 1 }],
    ['a pref an array with a number', { prefs: { n: ['a', 1] }, created: 1 }],
    ['created missing', { prefs: {} }],
    ['created a string', { prefs: {}, created: '1' }],
    ['created negative', { prefs: {}, created: -1 }],
  ])('a payload not shaped as VisitorState: %s → malformed', async (_, d) => {
    expect(await read(await withData(d))).toEqual(invalid('malformed'))
  })
})

describe('cookieValue', () => {
  it.each([
    ['no header', null, undefined],
    ['absent', 'a=1; b=2', undefined],
    ['once', `a=1; ${name}=abc; b=2`, 'abc'],
    ['once, whitespace trimmed', `a=1;  ${name} = abc ;b=2`, 'abc'],
    ['twice: ambiguous, so none', `${name}=abc; a=1; ${name}=def`, undefined],
    ['a similar name is another cookie', `x${name}=abc; ${name}2=def`, undefined],
    ['the name in another case is another cookie', `${name.toLowerCase()}=abc`, undefined],
    ['empty value', `${name}=`, ''],
  ])('%s', (_, header, expected) => {
    expect(cookieValue(header, name)).toBe(expected)
  })
})

describe('stripCookie', () => {
  it.each([
    ['no header', null, null],
    ['an empty header', '', null],
    ['only the cookie', `${name}=abc`, null],
    ['only the cookie, twice', `${name}=abc; ${name}=def`, null],
    ['the cookie and empty pairs', `${name}=abc;; `, null],
    ['first', `${name}=abc; a=1; b=2`, 'a=1; b=2'],
    ['middle', `a=1; ${name}=abc; b=2`, 'a=1; b=2'],
    ['last', `a=1; b=2; ${name}=abc`, 'a=1; b=2'],
    ['every occurrence', `${name}=x; a=1; ${name}=y; b=2; ${name}=z`, 'a=1; b=2'],
    ['no spaces', `a=1;${name}=abc;b=2`, 'a=1;b=2'],
    ['whitespace around the name', `a=1;  ${name} =abc ;\tb=2`, 'a=1;\tb=2'],
    [
      'similar names stay',
      `${name}2=x; x${name}=y; ${name}=z; a=${name}`,
      `${name}2=x; x${name}=y; a=${name}`,
    ],
    [
      'the name in another case stays',
      `${name.toLowerCase()}=x; ${name}=y`,
      `${name.toLowerCase()}=x`,
    ],
    ['the name without "=" stays (a nameless cookie)', `${name}; a=1`, `${name}; a=1`],
    [
      'odd bytes of other cookies stay',
      `a="q u o t e d";  ${name}=x; b=%20=;c`,
      'a="q u o t e d"; b=%20=;c',
    ],
  ])('%s', (_, header, expected) => {
    expect(stripCookie(header, name)).toBe(expected)
  })

  it('returns the very same string when the cookie is not there', () => {
    const header = '  a=1 ;b=2;  '
    expect(stripCookie(header, name)).toBe(header)
  })
})
