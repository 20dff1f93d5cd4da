import { describe, expect, it } from 'vitest'
import { hasConditions, isNotModified, notModified } from './conditional'

const req = (headers: HeadersInit, method = 'GET') =>
  new Request('https://shop.example/', { method, headers })
const res = (headers: HeadersInit, status = 200) =>
  new Response(status === 200 ? 'body' : null, { status, headers })
const LM = 'Mon, 01 Jan 2029 00:00:00 GMT'

describe('isNotModified (RFC 9110 §13.2.2)', () => {
  it.each<[string, HeadersInit, HeadersInit, boolean]>([
    ['same strong tag', { 'if-none-match': '"a"' }, { etag: '"a"' }, true],
    ['weak comparison', { 'if-none-match': 'W/"a"' }, { etag: '"a"' }, true],
    ['one of a list', { 'if-none-match': '"x", W/"a"' }, { etag: 'W/"a"' }, true],
    ['another tag', { 'if-none-match': '"b"' }, { etag: '"a"' }, false],
    ['star', { 'if-none-match': '*' }, { etag: '"a"' }, true],
    ['no ETag to match', { 'if-none-match': '*' }, { 'last-modified': LM }, false],
    ['no validator at all', { 'if-modified-since': LM }, {}, false],
    ['not modified since', { 'if-modified-since': LM }, { 'last-modified': LM }, true],
    [
      'modified since',
      { 'if-modified-since': 'Sun, 31 Dec 2028 00:00:00 GMT' },
      { 'last-modified': LM },
      false,
    ],
    [
      'an invalid date is ignored',
      { 'if-modified-since': 'yesterday' },
      { 'last-modified': LM },
      false,
    ],
    [
      'If-None-Match wins over If-Modified-Since',
      { 'if-none-match': '"b"', 'if-modified-since': LM },
      { etag: '"a"', 'last-modified': LM },
      false,
    ],
    ['no conditions', {}, { etag: '"a"' }, false],
  ])('%s', (_name, request, response, expected) => {
    expect(isNotModified(req(request), res(response))).toBe(expected)
  })

  it('only a 200 to a GET or HEAD', () => {
    expect(isNotModified(req({ 'if-none-match': '"a"' }), res({ etag: '"a"' }, 404))).toBe(false)
    expect(hasConditions(req({ 'if-none-match': '"a"' }, 'POST'))).toBe(false)
    expect(hasConditions(req({ 'if-none-match': '"a"' }, 'HEAD'))).toBe(true)
  })
})

describe('notModified', () => {
  it('has no body and only the fields a 304 carries', async () => {
    const out = notModified(
      res({
        etag: '"a"',
        'cache-control': 'private, no-store',
        vary: 'Cookie',
        'content-type': 'text/html',
        'content-length': '4',
        'set-cookie': 'a=1',
      })
    )
    expect(out.status).toBe(304)
    expect(out.body).toBeNull()
    expect(Object.fromEntries(out.headers)).toEqual({
      etag: '"a"',
      'cache-control': 'private, no-store',
      vary: 'Cookie',
      'set-cookie': 'a=1',
    })
  })
})
