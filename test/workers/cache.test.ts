// Cache-then-personalise through the whole app: one origin copy per URL, never a visitor's page.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp } from '../../src/app'
import { cacheKey, HIT_TIMING, keep, readCacheOptions } from '../../src/cache'
import { ENV, htmlPage, mockOrigin, ORIGIN, TEST_CONFIG, TEST_PAGE } from '../helpers/origin'
import { visitorCookie } from '../helpers/visitor'

afterEach(() => {
  vi.restoreAllMocks()
})

const HERE = 'https://shop.example'
const app = createApp({ config: TEST_CONFIG })

let unique = 0
/** A path no other test has used, so no test sees another's cached copy. */
function freshPath(name: string): string {
  unique++
  return `/cache-test/${name}-${unique}-${crypto.randomUUID()}`
}

/** One visit with a real ExecutionContext, waiting for the background cache write to finish. */
async function visit(
  path: string,
  headers: HeadersInit = {},
  target = app,
  init: RequestInit = {}
) {
  const ctx = createExecutionContext()
  const res = await target.request(
    new Request(`${HERE}${path}`, { headers, ...init }),
    undefined,
    ENV,
    ctx
  )
  const html = await res.text()
  await waitOnExecutionContext(ctx)
  return { res, html }
}

async function cached(path: string): Promise<Response | undefined> {
  return caches.default.match(cacheKey(new URL(`${HERE}${path}`)))
}

const CACHEABLE = { 'cache-control': 'public, max-age=300' }

describe('cache-then-personalise', () => {
  it('one origin copy serves every visitor, each personalised on top of it', async () => {
    const path = freshPath('shared')
    const { seen } = mockOrigin({ [`${ORIGIN}${path}`]: () => htmlPage(TEST_PAGE, CACHEABLE) })
    const cyclist = await visitorCookie({ interests: ['cycling'] })

    const first = await visit(path, { cookie: cyclist })
    const second = await visit(path, { 'accept-language': 'fr' })
    const third = await visit(path)

    expect(seen).toHaveLength(1)
    expect(first.html).toContain('<p>Cycling story</p></section>')
    expect(second.html).toContain('<h1 id="greeting">Bonjour</h1>')
    expect(second.html).not.toContain('Cycling story</p></section>')
    expect(third.html).toBe(TEST_PAGE)
    for (const { res } of [first, second, third]) {
      expect(res.headers.get('cache-control')).toBe('private, no-store')
    }
    expect(first.res.headers.get('server-timing')).not.toContain(HIT_TIMING)
    expect(second.res.headers.get('server-timing')).toMatch(/^cache;desc=hit, tailor;dur=/)
  })

  it("a visitor's personalised page never comes back to another visitor", async () => {
    const path = freshPath('private')
    mockOrigin({ [`${ORIGIN}${path}`]: () => htmlPage(TEST_PAGE, CACHEABLE) })
    const ana = await visitorCookie({ name: 'Ana', interests: ['cycling'] })

    const hers = await visit(path, { cookie: ana })
    expect(hers.html).toContain('Hello, <b>Ana</b>')

    const stored = await cached(path)
    expect(stored).toBeDefined()
    expect(await stored?.text()).toBe(TEST_PAGE)

    const someoneElse = await visit(path)
    expect(someoneElse.html).toBe(TEST_PAGE)
    expect(someoneElse.html).not.toContain('Ana')
    expect(someoneElse.html).not.toContain('Cycling story</p></section>')
  })

  it('keeps the origin’s headers on the stored copy, with the decided lifetime as s-maxage', async () => {
    const path = freshPath('headers')
    mockOrigin({ [`${ORIGIN}${path}`]: () => htmlPage(TEST_PAGE, { ...CACHEABLE, age: '10' }) })
    await visit(path)
    const stored = await cached(path)
    expect(stored?.headers.get('cache-control')).toBe('public, max-age=300, s-maxage=290')
    expect(stored?.headers.get('etag')).toBe('"v1"')
    expect(stored?.headers.get('set-cookie')).toBeNull()
  })

  it('caps the lifetime at the config’s maxAgeSeconds', async () => {
    const capped = createApp({ config: { ...TEST_CONFIG, cache: { maxAgeSeconds: 30 } } })
    const path = freshPath('capped')
    mockOrigin({
      [`${ORIGIN}${path}`]: () => htmlPage(TEST_PAGE, { 'cache-control': 's-maxage=86400' }),
    })
    await visit(path, {}, capped)
    expect((await cached(path))?.headers.get('cache-control')).toBe('s-maxage=30')
  })

  it.each<[string, Record<string, string>]>([
    ['Set-Cookie', { ...CACHEABLE, 'set-cookie': 'sid=abc; Path=/; HttpOnly' }],
    ['private', { 'cache-control': 'private, max-age=300' }],
    ['no-store', { 'cache-control': 'no-store' }],
    ['no-cache', { 'cache-control': 'no-cache, max-age=300' }],
    ['Vary: *', { ...CACHEABLE, vary: '*' }],
    ['Vary: Cookie', { ...CACHEABLE, vary: 'Cookie' }],
    ['no explicit lifetime', { 'cache-control': 'public' }],
  ])('never stores an origin page with %s', async (_name, headers) => {
    const path = freshPath('refused')
    const { seen } = mockOrigin({ [`${ORIGIN}${path}`]: () => htmlPage(TEST_PAGE, headers) })
    await visit(path)
    const again = await visit(path)
    expect(seen).toHaveLength(2)
    expect(await cached(path)).toBeUndefined()
    expect(again.res.headers.get('server-timing')).not.toContain(HIT_TIMING)
  })

  it('an origin Set-Cookie reaches its own visitor and only that one', async () => {
    const path = freshPath('set-cookie')
    let n = 0
    mockOrigin({
      [`${ORIGIN}${path}`]: () =>
        htmlPage(TEST_PAGE, { ...CACHEABLE, 'set-cookie': `sid=s${++n}; Path=/` }),
    })
    const a = await visit(path)
    const b = await visit(path)
    expect(a.res.headers.get('set-cookie')).toBe('sid=s1; Path=/')
    expect(b.res.headers.get('set-cookie')).toBe('sid=s2; Path=/')
  })

  it('does not store a 404, a redirect or a stylesheet', async () => {
    const paths = [freshPath('missing'), freshPath('moved'), freshPath('css')]
    mockOrigin({
      [`${ORIGIN}${paths[0]}`]: () =>
        new Response('<p>gone</p>', {
          status: 404,
          headers: { 'content-type': 'text/html', ...CACHEABLE },
        }),
      [`${ORIGIN}${paths[1]}`]: () =>
        new Response(null, { status: 301, headers: { location: '/elsewhere', ...CACHEABLE } }),
      [`${ORIGIN}${paths[2]}`]: () =>
        new Response('body{}', { headers: { 'content-type': 'text/css', ...CACHEABLE } }),
    })
    for (const path of paths) {
      await visit(path)
      expect(await cached(path)).toBeUndefined()
    }
  })

  it.each<[string, RequestInit]>([
    ['Authorization', { headers: { authorization: 'Basic YTpi' } }],
    ['Range', { headers: { range: 'bytes=0-99' } }],
    ['HEAD', { method: 'HEAD' }],
  ])('a request with %s neither reads nor fills the cache', async (_name, init) => {
    const path = freshPath('bypass')
    const { seen } = mockOrigin({ [`${ORIGIN}${path}`]: () => htmlPage(TEST_PAGE, CACHEABLE) })
    await visit(path, init.headers, app, { method: init.method })
    expect(await cached(path)).toBeUndefined()
    await visit(path) // fills the cache
    await visit(path, init.headers, app, { method: init.method })
    expect(seen).toHaveLength(3)
  })

  it('is off with "cache": { "enabled": false }', async () => {
    const off = createApp({ config: { ...TEST_CONFIG, cache: { enabled: false } } })
    const path = freshPath('off')
    const { seen } = mockOrigin({ [`${ORIGIN}${path}`]: () => htmlPage(TEST_PAGE, CACHEABLE) })
    await visit(path, {}, off)
    await visit(path, {}, off)
    expect(seen).toHaveLength(2)
    expect(await cached(path)).toBeUndefined()
  })

  it('fails open when the cache breaks', async () => {
    const path = freshPath('broken')
    mockOrigin({ [`${ORIGIN}${path}`]: () => htmlPage(TEST_PAGE, CACHEABLE) })
    vi.spyOn(caches.default, 'match').mockRejectedValue(new Error('cache down'))
    vi.spyOn(caches.default, 'put').mockRejectedValue(new Error('cache down'))
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { res, html } = await visit(path)
    expect(res.status).toBe(200)
    expect(html).toBe(TEST_PAGE)
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
      'tailor/cache: lookup failed, asking the origin: Error: cache down',
      'tailor/cache: store failed: Error: cache down',
    ])
  })
})

describe('the default path for pages the origin does not mark cacheable', () => {
  it('looks a page up once, then skips lookups while the origin keeps saying no', async () => {
    const path = freshPath('skip')
    let cacheControl = 'no-cache'
    const { seen } = mockOrigin({
      [`${ORIGIN}${path}`]: () => htmlPage(TEST_PAGE, { 'cache-control': cacheControl }),
    })
    const match = vi.spyOn(caches.default, 'match')
    const fresh = createApp({ config: TEST_CONFIG })
    await visit(path, {}, fresh)
    await visit(path, {}, fresh)
    await visit(path, {}, fresh)
    expect(match).toHaveBeenCalledTimes(1)
    expect(seen).toHaveLength(3)

    // The origin changes its mind: the next fetch is stored, and lookups resume.
    cacheControl = 'public, max-age=300'
    await visit(path, {}, fresh)
    const hit = await visit(path, {}, fresh)
    expect(seen).toHaveLength(4)
    expect(hit.res.headers.get('server-timing')).toContain(HIT_TIMING)
  })

  it('does not remember a page for a Set-Cookie (one visitor’s answer, not the page’s)', async () => {
    const path = freshPath('first-visit')
    let n = 0
    mockOrigin({
      [`${ORIGIN}${path}`]: () =>
        htmlPage(TEST_PAGE, n++ === 0 ? { ...CACHEABLE, 'set-cookie': 'seen=1' } : CACHEABLE),
    })
    const fresh = createApp({ config: TEST_CONFIG })
    await visit(path, {}, fresh) // Set-Cookie: not stored
    await visit(path, {}, fresh) // stored
    const third = await visit(path, {}, fresh)
    expect(n).toBe(2)
    expect(third.res.headers.get('server-timing')).toContain(HIT_TIMING)
  })
})

describe('keep', () => {
  it('never stores a page Tailor personalised', async () => {
    const path = freshPath('personalised')
    mockOrigin({ [`${ORIGIN}${path}`]: () => htmlPage(TEST_PAGE, CACHEABLE) })
    const cookie = await visitorCookie({ name: 'Ana' })
    // A bare app.request (no ExecutionContext) stores nothing, so the cache is still empty here.
    const personalised = await app.request(`${HERE}${path}`, { headers: { cookie } }, ENV)
    expect(personalised.headers.get('cache-control')).toBe('private, no-store')

    const ctx = createExecutionContext()
    const url = new URL(`${HERE}${path}`)
    const out = keep(caches.default, url, personalised, {}, (p) => ctx.waitUntil(p))
    expect(out.decision).toEqual({
      store: false,
      reason: 'vary: accept-language, cookie, sec-ch-ua-mobile, user-agent',
    })
    expect(await out.response.text()).toContain('Hello, <b>Ana</b>')
    await waitOnExecutionContext(ctx)
    expect(await cached(path)).toBeUndefined()
  })

  it('streams the visitor’s copy while the cache’s copy is written', async () => {
    const url = new URL(`${HERE}${freshPath('stream')}`)
    const enc = new TextEncoder()
    const parts = ['<!doctype html><p>', 'one', '</p><p>two</p>']
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const part = parts.shift()
        if (part === undefined) {
          controller.close()
          return
        }
        await new Promise((r) => setTimeout(r, 2))
        controller.enqueue(enc.encode(part))
      },
    })
    const ctx = createExecutionContext()
    const { response, decision } = keep(
      caches.default,
      url,
      new Response(body, { headers: { 'content-type': 'text/html', ...CACHEABLE } }),
      {},
      (p) => ctx.waitUntil(p)
    )
    expect(decision).toEqual({ store: true, ttl: 300 })
    expect(await response.text()).toBe('<!doctype html><p>one</p><p>two</p>')
    await waitOnExecutionContext(ctx)
    expect(await (await caches.default.match(cacheKey(url)))?.text()).toBe(
      '<!doctype html><p>one</p><p>two</p>'
    )
  })
})

describe('conditional requests on a cached page', () => {
  it('an untouched page is confirmed with a bodiless 304 from the cached validators', async () => {
    const path = freshPath('conditional')
    const { seen } = mockOrigin({ [`${ORIGIN}${path}`]: () => htmlPage(TEST_PAGE, CACHEABLE) })
    await visit(path)
    expect(await cached(path)).toBeDefined()

    const again = await visit(path, { 'if-none-match': '"v1"' })
    expect(seen).toHaveLength(1)
    expect(again.res.status).toBe(304)
    expect(again.html).toBe('')
    expect(again.res.headers.get('etag')).toBe('"v1"')

    const changed = await visit(path, { 'if-none-match': '"v0"' })
    expect(changed.res.status).toBe(200)
    expect(changed.html).toBe(TEST_PAGE)
  })

  it('a page personalised for this visitor is a 200 from the cached copy, never a 304', async () => {
    const path = freshPath('conditional-personal')
    const { seen } = mockOrigin({ [`${ORIGIN}${path}`]: () => htmlPage(TEST_PAGE, CACHEABLE) })
    await visit(path)
    const fr = await visit(path, { 'accept-language': 'fr', 'if-none-match': '"v1"' })
    expect(seen).toHaveLength(1)
    expect(fr.res.status).toBe(200)
    expect(fr.html).toContain('<h1 id="greeting">Bonjour</h1>')
    expect(fr.res.headers.get('etag')).toBeNull()
  })
})

describe('readCacheOptions', () => {
  it.each<[unknown, unknown]>([
    [{}, { enabled: true }],
    [{ cache: {} }, { enabled: true }],
    [{ cache: { enabled: false } }, { enabled: false }],
    [{ cache: { maxAgeSeconds: 600 } }, { enabled: true, maxAgeSeconds: 600 }],
    [{ cache: { maxAgeSeconds: 0 } }, { enabled: false }],
    [{ cache: { enabled: 'yes' } }, { enabled: false }],
    [{ cache: { ttl: 5 } }, { enabled: false }],
    [null, { enabled: true }],
  ])('%j', (config, expected) => {
    expect(readCacheOptions(config)).toEqual(expected)
  })
})
