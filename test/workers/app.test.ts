// The whole app through Hono: personalisation, pass-through, the preference API, failing open.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp } from '../../src/app'
import { ENV, htmlPage, mockOrigin, ORIGIN, TEST_CONFIG, TEST_PAGE } from '../helpers/origin'
import { visitorCookie } from '../helpers/visitor'

afterEach(() => {
  vi.restoreAllMocks()
})

const app = createApp({ config: TEST_CONFIG })
const HERE = 'https://shop.example'

function get(path: string, headers: HeadersInit = {}, cf?: Record<string, unknown>) {
  return app.request(new Request(`${HERE}${path}`, { headers, cf } as RequestInit), undefined, ENV)
}

describe('personalising a page', () => {
  it('rewrites the marked blocks and makes the response private', async () => {
    mockOrigin({
      [`${ORIGIN}/`]: () =>
        htmlPage(TEST_PAGE, { vary: 'Accept-Encoding', 'server-timing': 'db;dur=3' }),
    })
    const res = await get(
      '/',
      { 'accept-language': 'fr-CA,fr;q=0.9,en;q=0.5' },
      { country: 'FR', timezone: 'Europe/Paris' }
    )
    const html = await res.text()
    expect(res.status).toBe(200)
    expect(html).toContain('<h1 id="greeting">Bonjour</h1>')
    expect(html).toContain('<p id="shipping">Livraison gratuite</p>')
    expect(html).toContain('<p>General story</p>') // no interest chosen: hero untouched
    expect(res.headers.get('cache-control')).toBe('private, no-store')
    expect(res.headers.get('vary')).toBe(
      'Accept-Encoding, Accept-Language, Cookie, Sec-CH-UA-Mobile, User-Agent'
    )
    expect(res.headers.get('etag')).toBeNull()
    expect(res.headers.get('content-length')).toBeNull()
    expect(res.headers.get('server-timing')).toMatch(/^db;dur=3, tailor;dur=\d+(\.\d)?$/)
    expect(res.headers.get('set-cookie')).toBeNull()
  })

  it('uses the chosen interests from the signed cookie and never forwards the cookie', async () => {
    const { seen } = mockOrigin({ [`${ORIGIN}/`]: () => htmlPage() })
    const cookie = await visitorCookie({ interests: ['cycling'] })
    const res = await get('/', { cookie: `theme=dark; ${cookie}` })
    const html = await res.text()
    expect(html).toContain('<section id="hero"><p>Cycling story</p></section>')
    expect(seen[0]?.request.headers.get('cookie')).toBe('theme=dark')
  })

  it('escapes a hostile display name', async () => {
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage() })
    const cookie = await visitorCookie({ name: `<script>alert("x")</script>'&` })
    const html = await (await get('/', { cookie })).text()
    expect(html).toContain(
      '<h1 id="greeting">Hello, <b>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;</b></h1>'
    )
    expect(html).not.toContain('<script>alert')
  })

  it('ignores a tampered cookie exactly like an absent one', async () => {
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage() })
    const cookie = await visitorCookie({ interests: ['cycling'] })
    const tampered = cookie.slice(0, -3) + (cookie.endsWith('A') ? 'BBB' : 'AAA')
    const res = await get('/', { cookie: tampered })
    const html = await res.text()
    expect(html).toContain('<p>General story</p>')
    expect(html).not.toContain('Cycling story</p></section>')
    expect(res.headers.get('set-cookie')).toBeNull()
  })

  it('a cookie signed with an unknown key is ignored', async () => {
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage() })
    const cookie = await visitorCookie(
      { interests: ['cycling'] },
      { secret: 'k9:some-other-secret-0123456789' }
    )
    expect(await (await get('/', { cookie })).text()).toContain('<p>General story</p>')
  })

  it('shows the app banner on mobile by removing hidden', async () => {
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage() })
    const html = await (
      await get('/', {
        'sec-ch-ua-mobile': '?1',
        'user-agent': 'Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile',
      })
    ).text()
    expect(html).toContain('<div id="banner">Get the app</div>')
  })

  it('takes geo only from request.cf, never from a client header', async () => {
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage() })
    const html = await (await get('/', { 'cf-ipcountry': 'FR' })).text()
    expect(html).toContain('<p id="shipping">Shipping worldwide</p>')
  })

  it('streams the origin bytes untouched when nothing changes for this visitor', async () => {
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage() })
    const res = await get('/', { 'accept-language': 'en' })
    expect(await res.text()).toBe(TEST_PAGE)
    // Not rewritten: length and validator still describe the bytes; caching still private.
    expect(res.headers.get('content-length')).toBe(
      String(new TextEncoder().encode(TEST_PAGE).length)
    )
    expect(res.headers.get('etag')).toBe('"v1"')
    expect(res.headers.get('cache-control')).toBe('private, no-store')
  })
})

describe('passing through', () => {
  const bytes = new Uint8Array([0, 1, 2, 250, 251, 252, 255, 60, 104, 49, 62])

  it.each<[string, () => Response]>([
    [
      'an image',
      () => new Response(bytes, { headers: { 'content-type': 'image/png', etag: '"i"' } }),
    ],
    ['json', () => new Response(bytes, { headers: { 'content-type': 'application/json' } })],
    [
      'html with an unknown charset',
      () => new Response(bytes, { headers: { 'content-type': 'text/html; charset=x-unknown' } }),
    ],
    [
      'html marked no-transform',
      () =>
        new Response(bytes, {
          headers: { 'content-type': 'text/html', 'cache-control': 'no-transform' },
        }),
    ],
    [
      'an html attachment',
      () =>
        new Response(bytes, {
          headers: { 'content-type': 'text/html', 'content-disposition': 'attachment' },
        }),
    ],
    [
      'a 206',
      () =>
        new Response(bytes, {
          status: 206,
          headers: { 'content-type': 'text/html', 'content-range': 'bytes 0-10/100' },
        }),
    ],
    [
      'a 404 page',
      () => new Response(bytes, { status: 404, headers: { 'content-type': 'text/html' } }),
    ],
  ])('%s, byte for byte with its headers', async (_name, respond) => {
    mockOrigin({ [`${ORIGIN}/x`]: respond })
    const expected = respond()
    const res = await get('/x', { 'accept-language': 'fr' }, { country: 'FR' })
    expect(res.status).toBe(expected.status)
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes)
    expect([...res.headers]).toEqual([...expected.headers])
  })

  it('a POST with its body, both ways, untouched', async () => {
    const { seen } = mockOrigin({
      [`${ORIGIN}/form?a=1`]: () =>
        new Response(TEST_PAGE, { status: 200, headers: { 'content-type': 'text/html' } }),
    })
    const res = await app.request(
      `${HERE}/form?a=1`,
      {
        method: 'POST',
        body: bytes,
        headers: { 'content-type': 'application/octet-stream', 'accept-language': 'fr' },
      },
      ENV
    )
    expect(await res.text()).toBe(TEST_PAGE)
    expect(seen[0]?.request.method).toBe('POST')
    expect(seen[0]?.body).toEqual(bytes)
    expect(res.headers.get('cache-control')).toBeNull()
  })

  it.each(['PUT', 'DELETE', 'PATCH'])('a %s with its body', async (method) => {
    const { seen } = mockOrigin({ [`${ORIGIN}/thing`]: () => new Response(null, { status: 204 }) })
    const res = await app.request(`${HERE}/thing`, { method, body: 'payload' }, ENV)
    expect(res.status).toBe(204)
    expect(seen[0]?.request.method).toBe(method)
    expect(new TextDecoder().decode(seen[0]?.body)).toBe('payload')
  })

  it('HEAD is passed through without a body', async () => {
    const { seen } = mockOrigin({
      [`${ORIGIN}/`]: () =>
        new Response(null, { headers: { 'content-type': 'text/html', 'content-length': '999' } }),
    })
    const res = await app.request(`${HERE}/`, { method: 'HEAD' }, ENV)
    expect(seen[0]?.request.method).toBe('HEAD')
    expect(res.headers.get('content-length')).toBe('999')
    expect(res.headers.get('cache-control')).toBeNull()
  })

  it('a 304 passes through', async () => {
    mockOrigin({
      [`${ORIGIN}/`]: () => new Response(null, { status: 304, headers: { etag: '"v1"' } }),
    })
    const res = await get('/', { 'if-none-match': '"v1"' })
    expect(res.status).toBe(304)
    expect(res.headers.get('etag')).toBe('"v1"')
  })

  it('redirects are not followed; one to the origin host comes back to ours', async () => {
    const { seen } = mockOrigin({
      [`${ORIGIN}/old`]: () =>
        new Response(null, { status: 301, headers: { location: `${ORIGIN}/new?x=1` } }),
      [`${ORIGIN}/away`]: () =>
        new Response(null, { status: 302, headers: { location: 'https://elsewhere.example/' } }),
    })
    const res = await get('/old')
    expect(res.status).toBe(301)
    expect(res.headers.get('location')).toBe(`${HERE}/new?x=1`)
    expect(seen[0]?.request.redirect).toBe('manual')
    const away = await get('/away')
    expect(away.headers.get('location')).toBe('https://elsewhere.example/')
  })

  it('an unreachable origin is a 502 that says so, is never stored and may be retried', async () => {
    vi.spyOn(globalThis, 'fetch').mockRejectedValue(new TypeError('Network connection lost.'))
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const res = await get('/')
    expect(res.status).toBe(502)
    expect(await res.text()).toBe('Bad gateway: the site could not be reached. Try again shortly.')
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('retry-after')).toBe('30')
  })
})

describe('failing open', () => {
  it('an invalid config leaves every page as the origin sent it, and health says why', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const broken = createApp({ config: { ...TEST_CONFIG, version: 2 } })
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage() })
    const res = await broken.request(`${HERE}/`, { headers: { 'accept-language': 'fr' } }, ENV)
    expect(await res.text()).toBe(TEST_PAGE)
    expect(res.headers.get('cache-control')).toBe('public, max-age=300')
    expect(warn).toHaveBeenCalledTimes(1)
    expect(String(warn.mock.calls[0]?.[0])).toContain('config: version: Expected 1. Got 2.')
    const health = await broken.request(`${HERE}/_tailor/health`, {}, ENV)
    expect(health.status).toBe(503)
    expect(await health.json()).toEqual({
      ok: false,
      config: { version: 1, revision: expect.stringMatching(/^[0-9a-f]{8}$/), source: 'bundled' },
      errors: ['config: version: Expected 1. Got 2.'],
    })
  })

  it('a rewriter that throws while being set up leaves the origin page, with one log line', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    vi.spyOn(HTMLRewriter.prototype, 'transform').mockImplementation(() => {
      throw new Error('boom')
    })
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage() })
    const cookie = await visitorCookie({ interests: ['cycling'] })
    const res = await get('/', { cookie })
    expect(await res.text()).toBe(TEST_PAGE)
    expect(warn).toHaveBeenCalledTimes(1)
    expect(String(warn.mock.calls[0]?.[0])).toBe('tailor/rewrite: failed open: Error: boom')
    expect(String(warn.mock.calls[0]?.[0])).not.toContain(cookie.split('=')[1] ?? '')
  })

  it('without TAILOR_SECRET a cookie is not read, and the page still renders from context', async () => {
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage() })
    const cookie = await visitorCookie({ interests: ['cycling'] })
    const res = await app.request(
      `${HERE}/`,
      { headers: { cookie, 'accept-language': 'fr' } },
      { ORIGIN }
    )
    const html = await res.text()
    expect(html).toContain('Bonjour')
    expect(html).toContain('<p>General story</p>')
  })
})
