import { describe, expect, it } from 'vitest'
import {
  forbidsTransform,
  mergeVary,
  parseContentType,
  personaliseHeaders,
  skipReason,
} from './html'

const page = (headers: HeadersInit, status = 200) => new Response('<p>x</p>', { status, headers })

describe('skipReason', () => {
  it.each<[string, string, Response, string | undefined]>([
    ['plain html', 'GET', page({ 'content-type': 'text/html' }), undefined],
    [
      'upper case and parameters',
      'GET',
      page({ 'content-type': 'TEXT/HTML ; Charset="UTF-8"' }),
      undefined,
    ],
    ['xhtml', 'GET', page({ 'content-type': 'application/xhtml+xml' }), undefined],
    ['us-ascii', 'GET', page({ 'content-type': 'text/html; charset=us-ascii' }), undefined],
    ['HEAD', 'HEAD', page({ 'content-type': 'text/html' }), 'method HEAD'],
    ['POST', 'POST', page({ 'content-type': 'text/html' }), 'method POST'],
    ['206', 'GET', page({ 'content-type': 'text/html' }, 206), 'status 206'],
    ['404', 'GET', page({ 'content-type': 'text/html' }, 404), 'status 404'],
    [
      '304',
      'GET',
      new Response(null, { status: 304, headers: { 'content-type': 'text/html' } }),
      'status 304',
    ],
    ['204', 'GET', new Response(null, { status: 204 }), 'status 204'],
    ['no body', 'GET', new Response(null, { headers: { 'content-type': 'text/html' } }), 'no body'],
    [
      'no content-type (no sniffing)',
      'GET',
      new Response(new Blob(['<!doctype html><html>']).stream()),
      'not html: no content-type',
    ],
    ['json', 'GET', page({ 'content-type': 'application/json' }), 'not html: application/json'],
    ['text/htmlx', 'GET', page({ 'content-type': 'text/htmlx' }), 'not html: text/htmlx'],
    [
      'latin-1',
      'GET',
      page({ 'content-type': 'text/html; charset=iso-8859-1' }),
      'charset iso-8859-1',
    ],
    ['utf-16', 'GET', page({ 'content-type': 'text/html; charset=UTF-16' }), 'charset utf-16'],
    [
      'attachment',
      'GET',
      page({ 'content-type': 'text/html', 'content-disposition': 'Attachment; filename="a.html"' }),
      'attachment',
    ],
    [
      'no-transform',
      'GET',
      page({ 'content-type': 'text/html', 'cache-control': 'public, No-Transform' }),
      'no-transform',
    ],
    [
      'zstd',
      'GET',
      page({ 'content-type': 'text/html', 'content-encoding': 'zstd' }),
      'content-encoding zstd',
    ],
    // The runtime decodes only exact "gzip" and "br"; other spellings arrive still encoded.
    ['gzip', 'GET', page({ 'content-type': 'text/html', 'content-encoding': 'gzip' }), undefined],
    ['br', 'GET', page({ 'content-type': 'text/html', 'content-encoding': 'br' }), undefined],
    [
      'GZIP',
      'GET',
      page({ 'content-type': 'text/html', 'content-encoding': 'GZIP' }),
      'content-encoding GZIP',
    ],
    [
      'gzip, br',
      'GET',
      page({ 'content-type': 'text/html', 'content-encoding': 'gzip, br' }),
      'content-encoding gzip, br',
    ],
    [
      'x-gzip',
      'GET',
      page({ 'content-type': 'text/html', 'content-encoding': 'x-gzip' }),
      'content-encoding x-gzip',
    ],
    [
      'identity',
      'GET',
      page({ 'content-type': 'text/html', 'content-encoding': 'identity' }),
      undefined,
    ],
    [
      'IDENTITY',
      'GET',
      page({ 'content-type': 'text/html', 'content-encoding': 'IDENTITY' }),
      undefined,
    ],
  ])('%s', (_name, method, res, expected) => {
    expect(skipReason(method, res)).toBe(expected)
  })
})

describe('forbidsTransform', () => {
  it('answers each value on its own when values alternate (the last answer is remembered)', () => {
    const values: [string | null, boolean][] = [
      ['no-cache', false],
      ['public, No-Transform', true],
      ['public, No-Transform', true],
      ['no-cache', false],
      [null, false],
      ['no-transform', true],
      ['x-no-transform-ish', false],
      ['max-age=60 , no-transform ,private', true],
      ['no-cache', false],
    ]
    expect(values.map(([header]) => forbidsTransform(header))).toEqual(values.map(([, f]) => f))
  })
})

describe('parseContentType', () => {
  it('reads type and quoted charset', () => {
    expect(parseContentType('Text/HTML; foo=bar; charset="UTF-8"')).toEqual({
      type: 'text/html',
      charset: 'utf-8',
    })
    expect(parseContentType(null)).toEqual({ type: '' })
  })
})

describe('mergeVary', () => {
  it.each<[string | null, string]>([
    [null, 'Accept-Language, Cookie'],
    ['Accept-Encoding', 'Accept-Encoding, Accept-Language, Cookie'],
    ['cookie, accept-language', 'cookie, accept-language'],
    ['*', '*'],
    ['Origin, *', '*'],
  ])('%s', (current, expected) => {
    expect(mergeVary(current, ['Accept-Language', 'Cookie'])).toBe(expected)
  })
})

describe('personaliseHeaders', () => {
  it('makes a rewritten response private and drops what no longer holds', () => {
    const h = new Headers({
      'cache-control': 'public, max-age=600, s-maxage=3600',
      etag: '"abc"',
      'content-length': '1234',
      'accept-ranges': 'bytes',
      vary: 'Accept-Encoding',
      'server-timing': 'origin;dur=12',
      'x-origin': 'kept',
    })
    personaliseHeaders(h, 1.26, true)
    expect(h.get('cache-control')).toBe('private, no-store')
    expect(h.get('etag')).toBeNull()
    expect(h.get('content-length')).toBeNull()
    expect(h.get('accept-ranges')).toBeNull()
    expect(h.get('vary')).toBe(
      'Accept-Encoding, Accept-Language, Cookie, Sec-CH-UA-Mobile, User-Agent'
    )
    expect(h.get('server-timing')).toBe('origin;dur=12, tailor;dur=1.3')
    expect(h.get('x-origin')).toBe('kept')
  })

  it('drops every shared-cache directive field, rewritten or not', () => {
    for (const rewritten of [true, false]) {
      const h = new Headers({
        'cdn-cache-control': 'max-age=3600',
        'cloudflare-cdn-cache-control': 'max-age=3600',
        'surrogate-control': 'max-age=3600',
        'akamai-cache-control': 'max-age=3600',
        'vercel-cdn-cache-control': 'max-age=3600',
        'surrogate-key': 'page-1',
        'cache-tag': 'page-1',
        'x-accel-expires': '3600',
      })
      personaliseHeaders(h, 0, rewritten)
      expect([...h.keys()].sort()).toEqual(['cache-control', 'server-timing', 'vary'])
    }
  })

  it('drops every digest and validator of the origin’s bytes from a rewritten body', () => {
    const h = new Headers({
      'content-md5': 'Q2hlY2sgSW50ZWdyaXR5IQ==',
      digest: 'sha-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=',
      'content-digest': 'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:',
      'repr-digest': 'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:',
      'last-modified': 'Tue, 01 Jan 2030 00:00:00 GMT',
      etag: 'W/"v1"',
      'want-content-digest': 'sha-256=1',
    })
    personaliseHeaders(h, 0, true)
    expect([...h.keys()].sort()).toEqual([
      'cache-control',
      'server-timing',
      'vary',
      'want-content-digest',
    ])
  })

  it('keeps the origin validators when the body was not rewritten', () => {
    const h = new Headers({ etag: '"abc"', 'content-length': '10' })
    personaliseHeaders(h, 0, false)
    expect(h.get('etag')).toBe('"abc"')
    expect(h.get('content-length')).toBe('10')
    expect(h.get('cache-control')).toBe('private, no-store')
  })
})
