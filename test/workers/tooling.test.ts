// Site-owner tooling through the whole app: the dev simulator, explanations, preview links,
// hot config from KV, and per-host config.
import { env } from 'cloudflare:workers'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createApp } from '../../src/app'
import { signToken } from '../../src/visitor'
import { loadKeyring } from '../../src/visitor'
import { ENV, htmlPage, mockOrigin, ORIGIN, TEST_CONFIG } from '../helpers/origin'
import { visitorCookie } from '../helpers/visitor'

const HERE = 'https://shop.example'
const DEV = { ...ENV, TAILOR_MODE: 'dev' }
const ADMIN_TOKEN = 'admin-token-0123456789abcdef'
const ADMIN = { ...ENV, TAILOR_ADMIN_TOKEN: ADMIN_TOKEN }

afterEach(() => {
  vi.restoreAllMocks()
})

describe('the context simulator', () => {
  const app = createApp({ config: TEST_CONFIG })

  it.each<[string, RequestInit]>([
    ['query parameter', {}],
    ['header', { headers: { 'x-tailor-sim': 'country:FR,language:fr' } }],
  ])('forces context in dev mode (%s)', async (how, init) => {
    mockOrigin({
      [`${ORIGIN}/`]: () => htmlPage(),
      [`${ORIGIN}/?tailor-sim=country:FR,language:fr`]: () => htmlPage(),
    })
    const url = how === 'header' ? `${HERE}/` : `${HERE}/?tailor-sim=country:FR,language:fr`
    const res = await app.request(url, init, DEV)
    const html = await res.text()
    expect(html).toContain('<p id="shipping">Livraison gratuite</p>')
    expect(html).toContain('<h1 id="greeting">Bonjour</h1>')
  })

  it('is ignored in production: same request, no effect, no explanation', async () => {
    mockOrigin({ [`${ORIGIN}/?tailor-sim=country:FR,language:fr`]: () => htmlPage() })
    const res = await app.request(
      `${HERE}/?tailor-sim=country:FR,language:fr`,
      { headers: { 'x-tailor-sim': 'country:FR,language:fr', 'x-tailor-explain': 'comments' } },
      ENV
    )
    const html = await res.text()
    expect(html).toContain('<p id="shipping">Shipping worldwide</p>')
    expect(html).toContain('<h1 id="greeting">Welcome</h1>')
    expect(html).not.toContain('<!-- tailor')
    expect(res.headers.get('tailor-explain')).toBeNull()
    expect(res.headers.get('tailor-sim-error')).toBeNull()
  })

  it('reports entries it refused', async () => {
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage() })
    const res = await app.request(`${HERE}/`, { headers: { 'x-tailor-sim': 'country:UK' } }, DEV)
    expect(res.headers.get('tailor-sim-error')).toBe(
      'country: Expected an ISO 3166-1 alpha-2 country code. Got "UK".'
    )
  })
})

describe('explanations', () => {
  const app = createApp({ config: TEST_CONFIG })

  it('dev mode: Tailor-Explain lists slot, variant and reason', async () => {
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage() })
    const res = await app.request(
      `${HERE}/`,
      { headers: { 'accept-language': 'fr', 'x-tailor-sim': 'country:FR' } },
      DEV
    )
    expect(res.headers.get('tailor-explain')).toBe(
      'greeting=fr; reason="because your language is French", ' +
        'hero=default; reason="no rule matched, so the page shows its own content", ' +
        'shipping=fr; reason="because your country is France", ' +
        'banner=default; reason="no rule matched, so the page shows its own content"'
    )
  })

  it('dev mode: an HTML comment before each slot when asked, safe for a comment', async () => {
    mockOrigin({ [`${ORIGIN}/?tailor-explain=comments`]: () => htmlPage() })
    const cookie = await visitorCookie({ name: '--> <script>x</script>' })
    const res = await app.request(`${HERE}/?tailor-explain=comments`, { headers: { cookie } }, DEV)
    const html = await res.text()
    expect(html).toContain(
      '<!-- tailor: greeting = named (because we know your display name) --><h1 id="greeting">'
    )
    expect(html).toContain(
      '<!-- tailor: hero = default (no rule matched, so the page shows its own content) --><section id="hero">'
    )
    // One before each of the 4 slots, and the summary of what the page had, before </body>.
    expect(html.match(/<!--/g)?.length).toBe(5)
    expect(html).toContain(
      '<!-- tailor: on this page: greeting = named, hero = default, shipping = default, banner = default --></body>'
    )
  })

  it('dev mode: the summary lists only the slots the page has; the header lists decisions', async () => {
    const page = '<!doctype html><body><h1 id="greeting">Welcome</h1><p>no other slot</p></body>'
    mockOrigin({ [`${ORIGIN}/?tailor-explain=comments`]: () => htmlPage(page) })
    const res = await app.request(
      `${HERE}/?tailor-explain=comments`,
      { headers: { 'accept-language': 'fr' } },
      DEV
    )
    const html = await res.text()
    expect(html).toContain(
      '<p>no other slot</p><!-- tailor: on this page: greeting = fr; 3 more decided, not on this page --></body>'
    )
    expect(res.headers.get('tailor-explain')).toContain('shipping=default')
  })

  it('non-ASCII reasons are percent-encoded in the header', async () => {
    const config = {
      ...TEST_CONFIG,
      preferences: { lang: { type: 'choice', label: 'Langue', options: { fr: 'Français' } } },
      segments: {},
      slots: {
        s: {
          selector: 'p',
          variants: [
            { id: 'v', when: { 'prefs.lang': 'fr' }, action: { type: 'text', text: 'x' } },
          ],
        },
      },
    }
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage() })
    const cookie = await visitorCookie({ lang: 'fr' })
    const res = await createApp({ config }).request(`${HERE}/`, { headers: { cookie } }, DEV)
    const header = res.headers.get('tailor-explain') ?? ''
    expect(header).toMatch(/^[\x20-\x7e]+$/)
    expect(decodeURIComponent(header)).toBe('s=v; reason="because your langue is Français"')
  })
})

describe('preview links', () => {
  const app = createApp({ config: TEST_CONFIG })
  const post = (body: unknown, headers: Record<string, string> = {}, bindings: object = ADMIN) =>
    app.request(
      `${HERE}/_tailor/admin/preview`,
      {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json', ...headers },
      },
      bindings
    )
  const bearer = { authorization: `Bearer ${ADMIN_TOKEN}` }

  it.each<[string, Record<string, string>, object, number]>([
    ['admin off without a token', bearer, ENV, 503],
    ['no Authorization', {}, ADMIN, 401],
    ['a wrong token', { authorization: 'Bearer admin-token-0123456789abcdeX' }, ADMIN, 401],
    ['a prefix of the token', { authorization: 'Bearer admin-token' }, ADMIN, 401],
    ['Basic auth', { authorization: `Basic ${btoa(`x:${ADMIN_TOKEN}`)}` }, ADMIN, 401],
  ])('refuses: %s', async (_name, headers, bindings, status) => {
    const res = await post({}, headers, bindings)
    expect(res.status).toBe(status)
    expect(res.headers.get('set-cookie')).toBeNull()
    if (status === 401) {
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="tailor-admin"')
    }
  })

  it('400 with field errors for a bad preview', async () => {
    const res = await post(
      {
        context: { country: 'UK' },
        variants: { hero: 'nope' },
        minutes: 0,
        path: '//evil.example',
      },
      bearer
    )
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      error: 'Invalid preview.',
      issues: [
        {
          path: 'context.country',
          message: 'Expected an ISO 3166-1 alpha-2 country code. Got "UK".',
        },
        { path: 'variants.hero', message: 'Expected one of "default", "cycling". Got "nope".' },
        { path: 'minutes', message: 'Expected a whole number of minutes from 1 to 1440. Got 0.' },
        {
          path: 'path',
          message: 'Expected a path on this site starting with "/". Got "//evil.example".',
        },
      ],
    })
  })

  async function makeLink(body: unknown) {
    const res = await post(body, bearer)
    expect(res.status).toBe(200)
    return (await res.json()) as { url: string; expiresAt: string }
  }

  async function land(url: string) {
    const res = await app.request(url, {}, ADMIN)
    expect(res.status).toBe(303)
    const setCookie = res.headers.get('set-cookie') ?? ''
    return {
      location: res.headers.get('location'),
      setCookie,
      cookie: setCookie.slice(0, setCookie.indexOf(';')),
    }
  }

  it('a link lands in its own cookie and shows the site as that visitor, with a banner', async () => {
    const link = await makeLink({
      context: { country: 'FR', device: 'mobile' },
      preferences: { interests: ['cycling'] },
      variants: { greeting: 'default' },
      minutes: 15,
      path: '/shop?x=1',
    })
    expect(link.url).toMatch(/^https:\/\/shop\.example\/_tailor\/preview\/1\.k2\./)
    const landed = await land(link.url)
    expect(landed.location).toBe('/shop?x=1')
    expect(landed.setCookie).toMatch(
      /^__Host-tailor-preview=1\.k2\.[^;]+; Path=\/; Max-Age=900; Secure; HttpOnly; SameSite=Lax$/
    )

    const { seen } = mockOrigin({ [`${ORIGIN}/`]: () => htmlPage() })
    const res = await app.request(
      `${HERE}/`,
      { headers: { cookie: landed.cookie, 'accept-language': 'fr' } },
      ADMIN
    )
    const html = await res.text()
    expect(html).toContain('<p id="shipping">Livraison gratuite</p>')
    expect(html).toContain('<section id="hero"><p>Cycling story</p></section>')
    expect(html).toContain('<div id="banner">Get the app</div>')
    // Forced to the origin's content although the language is French.
    expect(html).toContain('<h1 id="greeting">Welcome</h1>')
    expect(html).toContain('<div id="tailor-preview" role="status"')
    expect(html).toContain('country FR · device mobile · interests: cycling · greeting → default')
    expect(res.headers.get('tailor-explain')).toContain(
      'greeting=default; reason="the preview link asked for the page as it is"'
    )
    // The preview never writes the visitor's cookie, nor reaches the origin.
    expect(res.headers.get('set-cookie')).toBeNull()
    expect(seen[0]?.request.headers.get('cookie')).toBeNull()
  })

  it('exit clears the preview cookie', async () => {
    const res = await app.request(`${HERE}/_tailor/preview/exit`, {}, ADMIN)
    expect(res.status).toBe(303)
    expect(res.headers.get('set-cookie')).toBe(
      '__Host-tailor-preview=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax'
    )
  })

  async function tokenFor(
    data: unknown,
    opts: { secret?: string; purpose?: string; now?: number; ttl?: number } = {}
  ) {
    const loaded = await loadKeyring(opts.secret ?? ENV.TAILOR_SECRET)
    if (!loaded.ok) {
      throw new Error(loaded.message)
    }
    return signToken(data, {
      purpose: opts.purpose ?? 'preview',
      keyring: loaded.keyring,
      now: opts.now ?? Date.now(),
      ttlSeconds: opts.ttl ?? 600,
    })
  }

  const DATA = { context: { country: 'FR' }, prefs: {}, variants: {}, path: '/' }

  it.each<[string, () => Promise<string>, string]>([
    ['expired', () => tokenFor(DATA, { now: Date.now() - 3_600_000, ttl: 60 }), 'expired'],
    [
      'signed with another key',
      () => tokenFor(DATA, { secret: 'k2:not-the-real-secret-0123456789' }),
      'bad-signature',
    ],
    [
      'a visitor cookie replayed as a preview',
      () => tokenFor(DATA, { purpose: 'visitor' }),
      'bad-signature',
    ],
    [
      'tampered',
      async () =>
        (await tokenFor(DATA)).replace(/\.(.)/, (_m, c: string) => `.${c === 'A' ? 'B' : 'A'}`),
      'unknown-key',
    ],
  ])('a %s link is refused at the door and ignored as a cookie', async (_name, make, reason) => {
    const token = await make()
    const res = await app.request(`${HERE}/_tailor/preview/${token}`, {}, ADMIN)
    expect(res.status).toBe(410)
    expect(await res.text()).toBe(`This preview link is not valid (${reason}). Ask for a new one.`)
    expect(res.headers.get('set-cookie')).toBeNull()
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage() })
    const page = await app.request(
      `${HERE}/`,
      { headers: { cookie: `__Host-tailor-preview=${token}` } },
      ADMIN
    )
    const html = await page.text()
    expect(html).toContain('<p id="shipping">Shipping worldwide</p>')
    expect(html).not.toContain('tailor-preview')
    expect(page.headers.get('tailor-explain')).toBeNull()
  })

  it('a preview cookie sent twice is ambiguous and ignored, like the visitor cookie', async () => {
    const token = await tokenFor(DATA)
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage() })
    const once = await app.request(
      `${HERE}/`,
      { headers: { cookie: `__Host-tailor-preview=${token}` } },
      ADMIN
    )
    expect(await once.text()).toContain('tailor-preview')
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage() })
    const twice = await app.request(
      `${HERE}/`,
      { headers: { cookie: `__Host-tailor-preview=${token}; __Host-tailor-preview=${token}` } },
      ADMIN
    )
    const html = await twice.text()
    expect(html).toContain('<p id="shipping">Shipping worldwide</p>')
    expect(html).not.toContain('tailor-preview')
    expect(twice.headers.get('tailor-explain')).toBeNull()
  })
})

describe('config from Workers KV', () => {
  // The vitest config binds TAILOR_CONFIG (a local KV) for these tests.
  const kv = env.TAILOR_CONFIG as KVNamespace
  const KV_CONFIG = {
    ...TEST_CONFIG,
    slots: {
      shipping: {
        selector: '#shipping',
        variants: [{ id: 'all', action: { type: 'text', text: 'From KV' } }],
      },
    },
  }

  beforeEach(async () => {
    await kv.delete('config')
  })

  it('without a KV value the bundled config is live', async () => {
    const app = createApp({ config: TEST_CONFIG })
    const bindings = { ...ENV, TAILOR_CONFIG: kv }
    const health = (await (await app.request(`${HERE}/_tailor/health`, {}, bindings)).json()) as {
      config: { source: string }
    }
    expect(health.config.source).toBe('bundled')
  })

  it('a pushed config takes effect, and health says where it came from', async () => {
    await kv.put('config', JSON.stringify(KV_CONFIG))
    const app = createApp({ config: TEST_CONFIG })
    const bindings = { ...ENV, TAILOR_CONFIG: kv }
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage() })
    expect(await (await app.request(`${HERE}/`, {}, bindings)).text()).toContain(
      '<p id="shipping">From KV</p>'
    )
    const health = (await (await app.request(`${HERE}/_tailor/health`, {}, bindings)).json()) as {
      ok: boolean
      config: { source: string; revision: string }
    }
    expect(health.ok).toBe(true)
    expect(health.config.source).toBe('kv')
  })

  it('an invalid KV value keeps the bundled config and logs once', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    await kv.put('config', JSON.stringify({ ...KV_CONFIG, version: 9 }))
    const app = createApp({ config: TEST_CONFIG })
    const bindings = { ...ENV, TAILOR_CONFIG: kv }
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage() })
    for (let i = 0; i < 3; i++) {
      const html = await (
        await app.request(`${HERE}/`, { headers: { 'accept-language': 'fr' } }, bindings)
      ).text()
      expect(html).toContain('<h1 id="greeting">Bonjour</h1>')
    }
    const kvWarnings = warn.mock.calls.filter((call) => String(call[0]).includes('KV config'))
    expect(kvWarnings).toHaveLength(1)
    expect(String(kvWarnings[0]?.[0])).toContain('config: version: Expected 1. Got 9.')
  })
})

describe('per-host config', () => {
  const config = {
    ...TEST_CONFIG,
    hosts: {
      'blog.example': {
        slots: {
          shipping: {
            selector: '#shipping',
            variants: [{ id: 'blog', action: { type: 'text', text: 'Blog readers ship free' } }],
          },
        },
      },
    },
  }
  const app = createApp({ config })

  it('each host gets its own slots; others get the top level', async () => {
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage() })
    const blog = await (
      await app.request('https://blog.example/', { headers: { 'accept-language': 'fr' } }, ENV)
    ).text()
    expect(blog).toContain('<p id="shipping">Blog readers ship free</p>')
    expect(blog).toContain('<h1 id="greeting">Welcome</h1>') // the top-level greeting slot is not the blog's
    const shop = await (
      await app.request(`${HERE}/`, { headers: { 'accept-language': 'fr' } }, ENV)
    ).text()
    expect(shop).toContain('<h1 id="greeting">Bonjour</h1>')
    expect(shop).toContain('<p id="shipping">Shipping worldwide</p>')
  })

  it('a host can have its own origin', async () => {
    const app2 = createApp({
      config: {
        ...config,
        hosts: {
          'blog.example': { ...config.hosts['blog.example'], origin: 'https://blog-origin.test' },
        },
      },
    })
    const { seen } = mockOrigin({ 'https://blog-origin.test/post': () => htmlPage() })
    await app2.request('https://blog.example/post', {}, ENV)
    expect(seen[0]?.request.url).toBe('https://blog-origin.test/post')
  })
})
