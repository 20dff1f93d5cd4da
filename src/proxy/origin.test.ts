import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  buildOriginRequest,
  limitAcceptEncoding,
  originRequestInit,
  originHref,
  originUrl,
  rebaseLocation,
} from './origin'

describe('originUrl', () => {
  it.each<[string, string, string]>([
    ['https://www.example.com', 'https://tailor.dev/a/b?x=1', 'https://www.example.com/a/b?x=1'],
    ['https://www.example.com/', 'https://tailor.dev/', 'https://www.example.com/'],
    [
      'https://example.com/blog',
      'https://tailor.dev/post?id=2',
      'https://example.com/blog/post?id=2',
    ],
    [
      'http://127.0.0.1:9000',
      'https://tailor.dev/caf%C3%A9?q=a%20b',
      'http://127.0.0.1:9000/caf%C3%A9?q=a%20b',
    ],
  ])('%s + %s', (origin, request, expected) => {
    expect(originUrl(new URL(request), new URL(origin)).href).toBe(expected)
  })
})

describe('originHref', () => {
  const origins = [
    'https://www.example.com',
    'https://www.example.com/',
    'https://example.com/blog',
    'https://example.com/blog/',
    'https://example.com/a//',
    'http://127.0.0.1:9000',
    'https://user:pw@example.com:8443/x?old=1#frag',
    'https://example.com/?',
  ].map((href) => new URL(href))

  it('is originUrl’s href, for every origin and request', () => {
    fc.assert(
      fc.property(
        fc.webUrl({ withQueryParameters: true, withFragments: true }),
        fc.constantFrom(...origins),
        (request, origin) => {
          const url = new URL(request)
          expect(originHref(url, origin)).toBe(originUrl(url, origin).href)
          // Twice: the second comes from the memo.
          expect(originHref(url, origin)).toBe(originUrl(url, origin).href)
        }
      ),
      { numRuns: 500 }
    )
  })

  it.each(['/caf%C3%A9?q=a%20b', '/a/./b/../c', '/%2e%2e/x', "/it's?a='b'", '/x?', '/?#'])(
    '%s',
    (path) => {
      const url = new URL(path, 'https://tailor.dev')
      for (const origin of origins) {
        expect(originHref(url, origin)).toBe(originUrl(url, origin).href)
      }
    }
  )
})

describe('limitAcceptEncoding', () => {
  it.each<[string | null, string | null]>([
    [null, null],
    ['gzip, deflate, br, zstd', 'gzip, br'],
    ['br;q=1.0, gzip;q=0.8, *;q=0.1', 'br;q=1.0, gzip;q=0.8'],
    ['zstd', 'identity'],
    ['identity', 'identity'],
  ])('%s', (header, expected) => {
    expect(limitAcceptEncoding(header)).toBe(expected)
  })
})

describe('buildOriginRequest', () => {
  const incoming = () =>
    new Request('https://shop.example/cart?x=1', {
      method: 'POST',
      body: 'a=1',
      headers: {
        cookie: 'sid=abc; __Host-tailor=1.k2.payload.sig; theme=dark',
        'x-forwarded-for': '6.6.6.6',
        'x-forwarded-host': 'evil.example',
        forwarded: 'for=6.6.6.6',
        'x-real-ip': '6.6.6.6',
        'cf-connecting-ip': '203.0.113.9',
        'accept-encoding': 'gzip, zstd',
        'sec-gpc': '1',
        dnt: '1',
        'content-type': 'application/x-www-form-urlencoded',
      },
    })

  it('keeps method, body and the visitor headers, drops what it must not forward', async () => {
    const req = buildOriginRequest(
      incoming(),
      new URL('https://origin.example/cart?x=1'),
      '__Host-tailor'
    )
    expect(req.url).toBe('https://origin.example/cart?x=1')
    expect(req.method).toBe('POST')
    expect(req.redirect).toBe('manual')
    expect(await req.text()).toBe('a=1')
    expect(req.headers.get('cookie')).toBe('sid=abc; theme=dark')
    expect(req.headers.get('x-forwarded-for')).toBe('203.0.113.9')
    expect(req.headers.get('x-forwarded-host')).toBe('shop.example')
    expect(req.headers.get('x-forwarded-proto')).toBe('https')
    expect(req.headers.get('forwarded')).toBeNull()
    expect(req.headers.get('x-real-ip')).toBeNull()
    expect(req.headers.get('accept-encoding')).toBe('gzip')
    // Privacy signals reach the origin untouched.
    expect(req.headers.get('sec-gpc')).toBe('1')
    expect(req.headers.get('dnt')).toBe('1')
    expect(req.headers.get('content-type')).toBe('application/x-www-form-urlencoded')
  })

  it('drops every client-sent forwarding claim, method override and Connection-named field', () => {
    const req = buildOriginRequest(
      new Request('https://shop.example/page', {
        headers: {
          'x-forwarded-port': '8443',
          'x-forwarded-server': 'evil.example',
          'x-forwarded-prefix': '/admin',
          'X-Forwarded-Ssl': 'on',
          'x-original-url': '/admin/delete',
          'x-rewrite-url': '/admin/delete',
          'x-http-method-override': 'DELETE',
          'x-http-method': 'DELETE',
          'x-method-override': 'DELETE',
          connection: 'keep-alive, X-Secret-Hop',
          'x-secret-hop': '1',
          'proxy-connection': 'keep-alive',
          'if-none-match': '"v1"',
          'x-kept': 'yes',
        },
      }),
      new URL('https://origin.example/page'),
      '__Host-tailor'
    )
    const names = [...req.headers.keys()]
    expect(names.filter((n) => n.startsWith('x-forwarded-')).sort()).toEqual([
      'x-forwarded-host',
      'x-forwarded-proto',
    ])
    for (const name of [
      'x-original-url',
      'x-rewrite-url',
      'x-http-method-override',
      'x-http-method',
      'x-method-override',
      'connection',
      'x-secret-hop',
      'proxy-connection',
    ]) {
      expect(req.headers.get(name), name).toBeNull()
    }
    expect(req.headers.get('x-kept')).toBe('yes')
    // Conditions reach the origin unless the caller says this page will be personalised.
    expect(req.headers.get('if-none-match')).toBe('"v1"')
  })

  it('drops the conditions when asked (a page that will be personalised)', () => {
    const req = buildOriginRequest(
      new Request('https://shop.example/', {
        headers: { 'if-none-match': '"v1"', 'if-modified-since': 'Tue, 01 Jan 2030 00:00:00 GMT' },
      }),
      new URL('https://origin.example/'),
      '__Host-tailor',
      { dropConditions: true }
    )
    expect(req.headers.get('if-none-match')).toBeNull()
    expect(req.headers.get('if-modified-since')).toBeNull()
  })

  it('keeps a WebSocket handshake’s Upgrade', () => {
    const req = buildOriginRequest(
      new Request('https://shop.example/ws', {
        headers: { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-key': 'abc' },
      }),
      new URL('https://origin.example/ws'),
      '__Host-tailor'
    )
    expect(req.headers.get('upgrade')).toBe('websocket')
    expect(req.headers.get('connection')).toBe('Upgrade')
    expect(req.headers.get('sec-websocket-key')).toBe('abc')
  })

  it('drops the Cookie header when Tailor’s was the only cookie', () => {
    const req = buildOriginRequest(
      new Request('https://shop.example/', { headers: { cookie: '__Host-tailor=1.a.b.c' } }),
      new URL('https://origin.example/'),
      '__Host-tailor'
    )
    expect(req.headers.has('cookie')).toBe(false)
  })
})

describe('originRequestInit', () => {
  const cookie = '__Host-tailor'
  it('names neither method nor body for a GET, and follows no redirect', () => {
    const init = originRequestInit(new Request('https://tailor.dev/a'), cookie)
    expect(init.method).toBeUndefined()
    expect('body' in init).toBe(false)
    expect(init.redirect).toBe('manual')
    expect(init.headers).toBeInstanceOf(Headers)
  })

  it('keeps the method, and the body only where a method carries one', async () => {
    const post = originRequestInit(
      new Request('https://tailor.dev/a', { method: 'POST', body: 'x=1' }),
      cookie
    )
    expect(post.method).toBe('POST')
    expect(await new Response(post.body).text()).toBe('x=1')
    const head = originRequestInit(new Request('https://tailor.dev/a', { method: 'HEAD' }), cookie)
    expect(head.method).toBe('HEAD')
    expect(head.body).toBeNull()
  })

  it('leaves the incoming request’s own headers as they were', () => {
    const request = new Request('https://tailor.dev/a', {
      headers: { cookie: `${cookie}=v; a=1`, 'x-forwarded-host': 'evil.example', te: 'trailers' },
    })
    const init = originRequestInit(request, cookie)
    const sent = init.headers as Headers
    expect(sent.get('cookie')).toBe('a=1')
    expect(sent.get('x-forwarded-host')).toBe('tailor.dev')
    expect(sent.has('te')).toBe(false)
    expect(request.headers.get('cookie')).toBe(`${cookie}=v; a=1`)
    expect(request.headers.get('x-forwarded-host')).toBe('evil.example')
  })
})

describe('rebaseLocation', () => {
  const origin = new URL('https://origin.example/blog')
  const here = new URL('https://shop.example/anything')
  it.each<[string | null, string | null]>([
    [null, null],
    ['https://origin.example/blog/new?a=1#top', 'https://shop.example/new?a=1#top'],
    ['/blog/relative', 'https://shop.example/relative'],
    ['https://elsewhere.example/x', null],
    ['http://origin.example/blog/x', null],
  ])('%s', (location, expected) => {
    expect(rebaseLocation(location, origin, here)).toBe(expected)
  })
})
