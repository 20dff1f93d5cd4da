// The edge cache alone, with a stand-in Cache: what a page the origin marks uncacheable costs.
import { describe, expect, it, vi } from 'vitest'
import { createEdgeCache } from './edge'

const NOW = Date.UTC(2026, 0, 1, 12)
const url = new URL('https://shop.example/news')
const get = (headers: Record<string, string> = {}) => new Request(url, { headers })

function page(cacheControl: string, extra: Record<string, string> = {}): Response {
  return new Response('<p>news</p>', {
    headers: { 'content-type': 'text/html', 'cache-control': cacheControl, ...extra },
  })
}

/** A stand-in for `caches.default`, and how often the edge cache asked for it. */
function standIn() {
  const stored = new Map<string, Response>()
  const store = {
    match: vi.fn(async (key: Request) => stored.get(key.url)?.clone()),
    put: vi.fn(async (key: Request, res: Response) => {
      stored.set(key.url, new Response(await res.arrayBuffer(), res))
    }),
  }
  const cache = vi.fn(() => store as unknown as Cache)
  return { store, cache }
}

describe('createEdgeCache', () => {
  it('a page the origin refuses (no-cache) is judged without the cache, and then not looked up', async () => {
    const { store, cache } = standIn()
    const edge = createEdgeCache({}, cache)
    const first = edge?.lookup(get(), url, NOW)
    expect(await first).toBeUndefined()
    expect(store.match).toHaveBeenCalledTimes(1)
    cache.mockClear()

    const origin = page('no-cache')
    expect(edge?.keep(get(), url, origin, NOW, () => {})).toBe(origin)
    expect(cache).not.toHaveBeenCalled()

    // Known uncacheable: no lookup, and no promise to await.
    expect(edge?.lookup(get(), url, NOW + 1000)).toBeUndefined()
    expect(cache).not.toHaveBeenCalled()
    expect(store.match).toHaveBeenCalledTimes(1)
  })

  it('a page the origin lets shared caches keep is stored, and the next lookup is a hit', async () => {
    const { store, cache } = standIn()
    const edge = createEdgeCache({}, cache)
    const waits: Promise<unknown>[] = []
    const res = edge?.keep(get(), url, page('public, max-age=60'), NOW, (p) => waits.push(p))
    expect(await res?.text()).toBe('<p>news</p>')
    await Promise.all(waits)
    expect(store.put).toHaveBeenCalledTimes(1)
    const hit = await edge?.lookup(get(), url, NOW + 1000)
    expect(await hit?.text()).toBe('<p>news</p>')
    expect(hit?.headers.get('server-timing')).toBe('cache;desc=hit')
  })

  it('a request that bypasses the cache (Authorization, Range) neither looks up nor marks the page', async () => {
    const { store, cache } = standIn()
    const edge = createEdgeCache({}, cache)
    const authorised = get({ authorization: 'Bearer x' })
    expect(edge?.lookup(authorised, url, NOW)).toBeUndefined()
    edge?.keep(authorised, url, page('no-cache'), NOW, () => {})
    // Not marked by the bypassing request: the next plain request still looks the page up.
    expect(await edge?.lookup(get(), url, NOW)).toBeUndefined()
    expect(store.match).toHaveBeenCalledTimes(1)
  })

  it('a refusing answer that sets a cookie is not remembered (one visitor’s, not the page’s)', async () => {
    const { store, cache } = standIn()
    const edge = createEdgeCache({}, cache)
    edge?.keep(get(), url, page('no-cache', { 'set-cookie': 'a=1' }), NOW, () => {})
    expect(await edge?.lookup(get(), url, NOW)).toBeUndefined()
    expect(store.match).toHaveBeenCalledTimes(1)
  })
})
