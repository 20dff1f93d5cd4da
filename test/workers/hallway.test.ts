// One request, one config: the live (KV) config gives the origin handler its cookies and cache options.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp } from '../../src/app'
import { cacheKey } from '../../src/cache'
import { loadKeyring, readVisitor } from '../../src/visitor'
import { ENV, htmlPage, mockOrigin, ORIGIN, TEST_CONFIG } from '../helpers/origin'

const HERE = 'https://shop.example'
const kv = env.TAILOR_CONFIG as KVNamespace
const bindings = { ...ENV, TAILOR_CONFIG: kv }
const CACHEABLE = { 'cache-control': 'public, max-age=300' }

afterEach(async () => {
  vi.restoreAllMocks()
  await kv.delete('config')
})

async function visit(app: ReturnType<typeof createApp>, path: string, headers: HeadersInit = {}) {
  const ctx = createExecutionContext()
  const res = await app.request(
    new Request(`${HERE}${path}`, { headers }),
    undefined,
    bindings,
    ctx
  )
  const html = await res.text()
  await waitOnExecutionContext(ctx)
  return { res, html }
}

describe('the live config reaches origin()', () => {
  it('a KV config that turns the cache off is obeyed (the bundled one leaves it on)', async () => {
    const path = `/hallway/kv-cache-off-${crypto.randomUUID()}`
    mockOrigin({ [`${ORIGIN}${path}`]: () => htmlPage(undefined, CACHEABLE) })
    await kv.put('config', JSON.stringify({ ...TEST_CONFIG, cache: { enabled: false } }))
    const app = createApp({ config: TEST_CONFIG })
    await visit(app, path)
    expect(await caches.default.match(cacheKey(new URL(`${HERE}${path}`)))).toBeUndefined()
  })

  it('the bundled config alone keeps the same page (so the test above can fail)', async () => {
    const path = `/hallway/bundled-cache-on-${crypto.randomUUID()}`
    mockOrigin({ [`${ORIGIN}${path}`]: () => htmlPage(undefined, CACHEABLE) })
    const app = createApp({ config: TEST_CONFIG })
    await visit(app, path)
    expect(await caches.default.match(cacheKey(new URL(`${HERE}${path}`)))).toBeDefined()
  })

  it('a KV config’s cookie name is never forwarded, on the first request after the push', async () => {
    await kv.put(
      'config',
      JSON.stringify({ ...TEST_CONFIG, cookie: { name: '__Host-shop-prefs', maxAgeDays: 30 } })
    )
    const { seen } = mockOrigin({ [`${ORIGIN}/`]: () => htmlPage() })
    const app = createApp({ config: TEST_CONFIG })
    await visit(app, '/', { cookie: 'a=1; __Host-shop-prefs=x; b=2' })
    expect(seen).toHaveLength(1)
    expect(seen[0]?.request.headers.get('cookie')).toBe('a=1; b=2')
  })
})

describe('one clock, injected', () => {
  it('a cookie written through the API is dated by the app’s clock, not the wall’s', async () => {
    const then = Date.UTC(2020, 0, 1)
    const app = createApp({ config: TEST_CONFIG, clock: () => then })
    const res = await app.request(
      `${HERE}/_tailor/api/pause`,
      {
        method: 'PUT',
        body: JSON.stringify({ paused: true }),
        headers: { 'content-type': 'application/json', origin: HERE },
      },
      ENV
    )
    expect(res.status).toBe(200)
    const setCookie = res.headers.get('set-cookie') ?? ''
    const loaded = await loadKeyring(ENV.TAILOR_SECRET)
    if (!loaded.ok) {
      throw new Error(loaded.message)
    }
    const pair = setCookie.slice(0, setCookie.indexOf(';'))
    const opts = { name: '__Host-tailor', keyring: loaded.keyring }
    const atThen = await readVisitor(pair, { ...opts, now: then })
    expect(atThen).toMatchObject({ status: 'valid', issuedAt: then / 1000 })
    // Years later by the wall clock, that cookie has long expired.
    expect(await readVisitor(pair, { ...opts, now: Date.now() })).toMatchObject({
      status: 'invalid',
    })
  })
})

describe('request bodies through hono/body-limit', () => {
  it('a streamed JSON body with no Content-Length is refused once it passes the limit', async () => {
    const app = createApp({ config: TEST_CONFIG })
    const chunk = new TextEncoder().encode(`"${'x'.repeat(1022)}",`)
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 64) {
          controller.enqueue(chunk)
        } else {
          controller.close()
        }
      },
    })
    const res = await app.request(
      `${HERE}/_tailor/api/preferences`,
      {
        method: 'PUT',
        body,
        headers: { 'content-type': 'application/json', origin: HERE },
        duplex: 'half',
      } as RequestInit,
      ENV
    )
    expect(res.status).toBe(413)
    expect(await res.json()).toEqual({ error: 'Expected a body of at most 8192 bytes.' })
    // Refused as soon as it passed 8 KB: the rest of the 64 KB was never read.
    expect(sent).toBeLessThan(64)
  })
})
