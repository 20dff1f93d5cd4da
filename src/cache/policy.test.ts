// What may be stored in the shared edge cache, for how long, and under which key.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  bypassReason,
  cacheKey,
  parseCacheControl,
  refusesSharedStorage,
  storedHeaders,
  storeDecision,
} from './policy'
import type { StoreDecision } from './policy'

const page = (headers: Record<string, string>, status = 200) =>
  new Response('<p>hi</p>', {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', ...headers },
  })

describe('parseCacheControl', () => {
  it.each<[string | null, Record<string, (string | true)[]>]>([
    [null, {}],
    ['', {}],
    ['public, max-age=60', { public: [true], 'max-age': ['60'] }],
    [
      'Public,MAX-AGE=60 , s-maxage=120',
      { public: [true], 'max-age': ['60'], 's-maxage': ['120'] },
    ],
    [
      'private="set-cookie, x-user", max-age=5',
      { private: ['set-cookie, x-user'], 'max-age': ['5'] },
    ],
    ['max-age=1, max-age=2', { 'max-age': ['1', '2'] }],
    ['max-age="60"', { 'max-age': ['60'] }],
    [',,no-store,,', { 'no-store': [true] }],
  ])('%j', (header, expected) => {
    expect(Object.fromEntries(parseCacheControl(header))).toEqual(expected)
  })
})

describe('storeDecision', () => {
  it.each<[string, Record<string, string>, StoreDecision, number?]>([
    ['max-age', { 'cache-control': 'public, max-age=300' }, { store: true, ttl: 300 }],
    ['max-age without public', { 'cache-control': 'max-age=300' }, { store: true, ttl: 300 }],
    [
      's-maxage wins over max-age',
      { 'cache-control': 'max-age=60, s-maxage=600' },
      { store: true, ttl: 600 },
    ],
    [
      's-maxage=0 wins over max-age',
      { 'cache-control': 'max-age=60, s-maxage=0' },
      { store: false, reason: 'already stale' },
    ],
    ['Age is taken off', { 'cache-control': 'max-age=300', age: '100' }, { store: true, ttl: 200 }],
    [
      'Age past the lifetime',
      { 'cache-control': 'max-age=300', age: '300' },
      { store: false, reason: 'already stale' },
    ],
    [
      'must-revalidate is fine',
      { 'cache-control': 'public, max-age=30, must-revalidate' },
      { store: true, ttl: 30 },
    ],
    [
      'Expires − Date',
      { expires: 'Thu, 01 Jan 2026 00:10:00 GMT', date: 'Thu, 01 Jan 2026 00:00:00 GMT' },
      { store: true, ttl: 600 },
    ],
    [
      'Expires 0 is expired',
      { expires: '0', date: 'Thu, 01 Jan 2026 00:00:00 GMT' },
      { store: false, reason: 'already stale' },
    ],
    [
      'max-age wins over Expires',
      { 'cache-control': 'max-age=5', expires: 'Thu, 01 Jan 2099 00:00:00 GMT' },
      { store: true, ttl: 5 },
    ],
    ['no lifetime', {}, { store: false, reason: 'no explicit lifetime' }],
    [
      'public alone',
      { 'cache-control': 'public' },
      { store: false, reason: 'no explicit lifetime' },
    ],
    [
      'Set-Cookie',
      { 'cache-control': 'public, max-age=300', 'set-cookie': 'sid=1; Path=/' },
      { store: false, reason: 'set-cookie' },
    ],
    ['private', { 'cache-control': 'private, max-age=300' }, { store: false, reason: 'private' }],
    [
      'private=field',
      { 'cache-control': 'public, max-age=300, private="set-cookie"' },
      { store: false, reason: 'private' },
    ],
    [
      'no-store',
      { 'cache-control': 'no-store, max-age=300' },
      { store: false, reason: 'no-store' },
    ],
    [
      'no-cache',
      { 'cache-control': 'no-cache, max-age=300' },
      { store: false, reason: 'no-cache' },
    ],
    [
      'what Tailor sends',
      { 'cache-control': 'private, no-store', vary: 'Cookie' },
      { store: false, reason: 'vary: cookie' },
    ],
    ['Vary: *', { 'cache-control': 'max-age=300', vary: '*' }, { store: false, reason: 'vary: *' }],
    [
      'Vary: Cookie',
      { 'cache-control': 'max-age=300', vary: 'Accept-Encoding, Cookie' },
      { store: false, reason: 'vary: accept-encoding, cookie' },
    ],
    [
      'Vary: Accept-Encoding',
      { 'cache-control': 'max-age=300', vary: 'Accept-Encoding' },
      { store: true, ttl: 300 },
    ],
    [
      'repeated max-age',
      { 'cache-control': 'max-age=300, max-age=5' },
      { store: false, reason: 'invalid max-age' },
    ],
    [
      'max-age not a number',
      { 'cache-control': 'max-age=soon' },
      { store: false, reason: 'invalid max-age' },
    ],
    [
      'negative max-age',
      { 'cache-control': 'max-age=-1' },
      { store: false, reason: 'invalid max-age' },
    ],
    [
      'not html',
      { 'cache-control': 'max-age=300', 'content-type': 'text/css' },
      { store: false, reason: 'not html: text/css' },
    ],
    ['a 404', { 'cache-control': 'max-age=300' }, { store: false, reason: 'status 404' }, 404],
    ['a 206', { 'cache-control': 'max-age=300' }, { store: false, reason: 'status 206' }, 206],
  ])('%s', (_name, headers, expected, status = 200) => {
    expect(storeDecision(page(headers, status))).toEqual(expected)
  })

  it('caps the lifetime at maxAgeSeconds', () => {
    const res = page({ 'cache-control': 'public, s-maxage=86400' })
    expect(storeDecision(res, { maxAgeSeconds: 600 })).toEqual({ store: true, ttl: 600 })
    expect(storeDecision(res, { maxAgeSeconds: 100_000 })).toEqual({ store: true, ttl: 86400 })
  })
})

describe('refusesSharedStorage', () => {
  // What the full parser finds: the quick check must say the same of every value.
  const parsedRefusal = (header: string | null) => {
    const cc = parseCacheControl(header)
    return cc.has('no-store') || cc.has('private') || cc.has('no-cache')
  }

  it.each<[string | null, boolean]>([
    [null, false],
    ['', false],
    ['no-cache', true],
    ['No-Store', true],
    ['public, max-age=0, private', true],
    ['private=set-cookie', true],
    ['private="set-cookie, x-user"', true],
    ['no-cache ,max-age=5', true],
    ['x = private', true],
    ['public, max-age=60', false],
    ['max-age=private', false],
    ['x =private', false],
    ['x-no-store, no-storex, privately', false],
    // Inside a quoted value, or after a stray "=" (where the parser stops), it is no directive.
    ['public, x="a, private"', false],
    ['= no-cache', false],
    ['public, =x, no-store', false],
    // Only the first 2,000 characters are read.
    [`${'a'.repeat(1995)}, no-cache`, false],
    [`${'a'.repeat(1989)}, no-cache`, true],
  ])('%j', (header, expected) => {
    expect(refusesSharedStorage(header)).toBe(expected)
    expect(parsedRefusal(header)).toBe(expected)
  })

  it('remembers only the last value: alternating values each get their own answer', () => {
    for (let i = 0; i < 3; i++) {
      expect(refusesSharedStorage('no-cache')).toBe(true)
      expect(refusesSharedStorage('public, max-age=60')).toBe(false)
      expect(refusesSharedStorage(null)).toBe(false)
      expect(refusesSharedStorage('private')).toBe(true)
    }
  })

  it('agrees with the parser on any value', () => {
    const token = fc.constantFrom(
      'no-cache',
      'no-store',
      'private',
      'public',
      'max-age',
      'NO-CACHE',
      'x-private',
      'privatex',
      '60',
      '=',
      ',',
      ' ',
      '\t',
      '"',
      '\\'
    )
    fc.assert(
      fc.property(fc.array(token, { maxLength: 12 }), (parts) => {
        const header = parts.join('')
        expect(refusesSharedStorage(header)).toBe(parsedRefusal(header))
      }),
      { numRuns: 3000 }
    )
  })
})

describe('bypassReason', () => {
  it.each<[string, RequestInit, string | undefined]>([
    ['GET', {}, undefined],
    ['GET with cookies', { headers: { cookie: 'a=1' } }, undefined],
    ['HEAD', { method: 'HEAD' }, 'method HEAD'],
    ['POST', { method: 'POST', body: 'x' }, 'method POST'],
    ['Authorization', { headers: { authorization: 'Basic eDp5' } }, 'authorization'],
    ['Range', { headers: { range: 'bytes=0-10' } }, 'range'],
  ])('%s', (_name, init, expected) => {
    expect(bypassReason(new Request('https://shop.example/', init))).toBe(expected)
  })
})

describe('cacheKey', () => {
  it('is a bare GET of the URL without its fragment', () => {
    const key = cacheKey(new URL('https://shop.example/a/b?x=1&y=2#top'))
    expect(key.url).toBe('https://shop.example/a/b?x=1&y=2')
    expect(key.method).toBe('GET')
    expect([...key.headers]).toEqual([])
  })
})

describe('storedHeaders', () => {
  it('writes the decided lifetime as s-maxage and drops Age', () => {
    const headers = storedHeaders(
      new Headers({
        'cache-control': 'public, max-age=300, S-MaxAge=900',
        age: '20',
        etag: '"v1"',
      }),
      60
    )
    expect(headers.get('cache-control')).toBe('public, max-age=300, s-maxage=60')
    expect(headers.get('age')).toBeNull()
    expect(headers.get('etag')).toBe('"v1"')
  })
})
