// Reading signals on page views: only with consent, never with GPC/DNT, decayed, capped; GPC; cookies.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp } from '../../src/app'
import {
  CENTRE_CONFIG,
  CENTRE_PAGE,
  CH,
  FR,
  SAME_ORIGIN,
  stateCookie,
  stateOf,
  US,
} from '../helpers/centre'
import { ENV, htmlPage, mockOrigin, ORIGIN } from '../helpers/origin'

afterEach(() => {
  vi.restoreAllMocks()
})

const app = createApp({ config: CENTRE_CONFIG })
const optOut = createApp({
  config: { ...CENTRE_CONFIG, consent: { signals: 'opt-out', explicitIn: ['CH'] } },
})
const dntIgnored = createApp({ config: { ...CENTRE_CONFIG, consent: { honourDnt: false } } })
const HERE = 'https://shop.example'
const TODAY = () => Math.floor(Date.now() / 86_400_000)
const CONSENTED = { consent: { signals: true, at: 1 } }

/** Serve CENTRE_PAGE (or `body`) at every path a test asks for. */
function origin(paths: string[], res: () => Response = () => htmlPage(CENTRE_PAGE)) {
  return mockOrigin(Object.fromEntries(paths.map((p) => [`${ORIGIN}${p}`, res])))
}

function get(
  path: string,
  headers: Record<string, string> | Headers = {},
  cf: Record<string, unknown> = US,
  on = app,
  method = 'GET'
) {
  return on.request(
    new Request(`${HERE}${path}`, { method, headers, cf } as RequestInit),
    undefined,
    ENV
  )
}

describe('recording a page view', () => {
  it('adds to the interest with consent, and the response carries the new cookie', async () => {
    origin(['/cycling/gravel'])
    const cookie = await stateCookie({ prefs: { name: 'Ana' }, ...CONSENTED })
    const res = await get('/cycling/gravel', { cookie })
    expect(res.status).toBe(200)
    const state = await stateOf(res.headers.get('set-cookie'))
    expect(state).toMatchObject({
      prefs: { name: 'Ana' },
      consent: { signals: true, at: 1 },
      signals: { cycling: [1, TODAY()] },
    })
    expect(res.headers.get('set-cookie')).toMatch(
      /; Path=\/; Max-Age=\d+; Secure; HttpOnly; SameSite=Lax$/
    )
  })

  it('two pages of a category make a signal-based block appear on the next page', async () => {
    origin(['/cycling/a', '/shop/kids/bikes', '/'])
    let cookie = await stateCookie(CONSENTED)
    for (const path of ['/cycling/a', '/shop/kids/bikes']) {
      const res = await get(path, { cookie })
      cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
      await res.text()
    }
    expect((await stateOf(`${cookie};`))?.signals).toEqual({ cycling: [2, TODAY()] })
    const html = await (await get('/', { cookie })).text()
    expect(html).toContain('<p id="reading">Because you read about cycling</p>')
  })

  it('keeps the existing Set-Cookie headers of the origin', async () => {
    origin(['/cycling/'], () => htmlPage(CENTRE_PAGE, { 'set-cookie': 'cart=1; Path=/' }))
    const cookie = await stateCookie(CONSENTED)
    const res = await get('/cycling/', { cookie })
    const cookies = res.headers.getSetCookie()
    expect(cookies).toHaveLength(2)
    expect(cookies[0]).toBe('cart=1; Path=/')
    expect(cookies[1]).toMatch(/^__Host-tailor=/)
  })

  it('uses signals in conditions, decayed by half-life', async () => {
    origin(['/'])
    const fresh = await stateCookie({ ...CONSENTED, signals: { cycling: [2, TODAY()] } })
    expect(await (await get('/', { cookie: fresh })).text()).toContain(
      'Because you read about cycling'
    )
    const stale = await stateCookie({ ...CONSENTED, signals: { cycling: [2, TODAY() - 7] } })
    const html = await (await get('/', { cookie: stale })).text()
    expect(html).toContain('<p id="reading">Popular stories</p>')
  })

  it.each<[string, Record<string, string>]>([
    ['Sec-GPC: 1', { 'sec-gpc': '1' }],
    ['Sec-GPC sent twice', { 'sec-gpc': '1, 1' }],
    ['Sec-GPC "0, 1"', { 'sec-gpc': '0, 1' }],
    ['DNT: 1', { dnt: '1' }],
  ])('records nothing with %s, whatever the cookie says', async (_name, headers) => {
    origin(['/cycling/'])
    const cookie = await stateCookie(CONSENTED)
    const res = await get('/cycling/', { cookie, ...headers })
    expect(res.status).toBe(200)
    expect(res.headers.get('set-cookie')).toBeNull()
  })

  it.each<[string, Record<string, string>]>([
    ['Sec-GPC: 0', { 'sec-gpc': '0' }],
    ['Sec-GPC: true', { 'sec-gpc': 'true' }],
    ['DNT: 0', { dnt: '0' }],
  ])('still records with %s (not the signal)', async (_name, headers) => {
    origin(['/cycling/'])
    const cookie = await stateCookie(CONSENTED)
    const res = await get('/cycling/', { cookie, ...headers })
    expect(res.headers.get('set-cookie')).toMatch(/^__Host-tailor=/)
  })

  it('records despite DNT when the config does not honour it', async () => {
    origin(['/cycling/'])
    const cookie = await stateCookie(CONSENTED)
    const res = await get('/cycling/', { cookie, dnt: '1' }, US, dntIgnored)
    expect(res.headers.get('set-cookie')).toMatch(/^__Host-tailor=/)
  })

  it('forwards Sec-GPC and DNT to the origin untouched', async () => {
    const { seen } = origin(['/cycling/'])
    const headers = new Headers({ dnt: '1' })
    headers.append('sec-gpc', '1')
    headers.append('sec-gpc', '1')
    await get('/cycling/', headers)
    expect(seen[0]?.request.headers.get('sec-gpc')).toBe('1, 1')
    expect(seen[0]?.request.headers.get('dnt')).toBe('1')
  })

  it.each<[string, () => Promise<string | undefined>]>([
    ['no cookie (tier 0)', async () => undefined],
    ['a cookie but no answer (opt-in)', () => stateCookie({ prefs: { name: 'Ana' } })],
    ['a refusal', () => stateCookie({ consent: { signals: false, at: 1 } })],
    ['a pause', () => stateCookie({ ...CONSENTED, paused: true })],
    ['an invalid cookie', async () => '__Host-tailor=1.k2.e30.AAAA'],
  ])('records nothing with %s', async (_name, make) => {
    origin(['/cycling/'])
    const cookie = await make()
    const res = await get('/cycling/', cookie ? { cookie } : {})
    expect(res.status).toBe(200)
    expect(res.headers.get('set-cookie')).toBeNull()
  })

  it('records nothing on a page no rule names', async () => {
    origin(['/about/'])
    const res = await get('/about/', { cookie: await stateCookie(CONSENTED) })
    expect(res.headers.get('set-cookie')).toBeNull()
  })

  it.each<[string, () => Response, string]>([
    [
      'a 404',
      () => new Response('<p>no</p>', { status: 404, headers: { 'content-type': 'text/html' } }),
      'GET',
    ],
    ['an image', () => new Response('png', { headers: { 'content-type': 'image/png' } }), 'GET'],
    ['a redirect', () => new Response(null, { status: 302, headers: { location: '/x' } }), 'GET'],
    ['a POST', () => htmlPage(CENTRE_PAGE), 'POST'],
    ['a HEAD', () => htmlPage(CENTRE_PAGE), 'HEAD'],
  ])('records nothing for %s', async (_name, res, method) => {
    origin(['/cycling/'], res)
    const cookie = await stateCookie(CONSENTED)
    const out = await get('/cycling/', { cookie }, US, app, method)
    expect(out.headers.get('set-cookie')).toBeNull()
  })

  it('records nothing while a preview or simulation is in force (not the visitor’s reading)', async () => {
    origin(['/cycling/?tailor-sim=country:FR'])
    const cookie = await stateCookie(CONSENTED)
    const res = await app.request(
      new Request(`${HERE}/cycling/?tailor-sim=country:FR`, {
        headers: { cookie },
        cf: US,
      } as RequestInit),
      undefined,
      { ...ENV, TAILOR_MODE: 'dev' }
    )
    await res.text()
    expect(res.status).toBe(200)
    expect(res.headers.get('set-cookie')).toBeNull()
  })
})

describe('opt-out mode (never the default)', () => {
  it('records a cookie holder outside the EU who never answered', async () => {
    origin(['/cycling/'])
    const cookie = await stateCookie({ prefs: { name: 'Ana' } })
    const res = await get('/cycling/', { cookie }, US, optOut)
    expect((await stateOf(res.headers.get('set-cookie')))?.signals).toEqual({
      cycling: [1, TODAY()],
    })
  })

  it.each<[string, Record<string, unknown>]>([
    ['in the EU', FR],
    ['in a listed country', CH],
    ['where the country is unknown', {}],
  ])('records nothing %s without an explicit yes', async (_name, cf) => {
    origin(['/cycling/'])
    const cookie = await stateCookie({ prefs: { name: 'Ana' } })
    const res = await get('/cycling/', { cookie }, cf, optOut)
    expect(res.headers.get('set-cookie')).toBeNull()
  })

  it('never creates a cookie on a plain page view', async () => {
    origin(['/cycling/'])
    const res = await get('/cycling/', {}, US, optOut)
    expect(res.headers.get('set-cookie')).toBeNull()
  })

  it('records nothing with GPC, which is itself the opt-out', async () => {
    origin(['/cycling/'])
    const cookie = await stateCookie({ prefs: { name: 'Ana' } })
    const res = await get('/cycling/', { cookie, 'sec-gpc': '1' }, US, optOut)
    expect(res.headers.get('set-cookie')).toBeNull()
  })
})

describe('caps', () => {
  it('keeps the cookie bounded however many pages are read', async () => {
    const paths = Array.from({ length: 30 }, (_, i) => `/cycling/${i}`)
    origin(paths)
    let cookie = await stateCookie({
      prefs: { interests: ['cycling', 'running'], name: 'x'.repeat(40) },
      ...CONSENTED,
    })
    for (const path of paths) {
      const res = await get(path, { cookie })
      await res.text()
      cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? cookie
    }
    const state = await stateOf(`${cookie};`)
    expect(state?.signals?.cycling?.[0]).toBe(20) // the default cap
    expect(new TextEncoder().encode(cookie).length).toBeLessThan(1024)
  })
})

describe('/.well-known/gpc.json', () => {
  it('says the site honours GPC', async () => {
    const res = await get('/.well-known/gpc.json')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(await res.json()).toEqual({ gpc: true })
    expect(res.headers.get('set-cookie')).toBeNull()
    const head = await get('/.well-known/gpc.json', {}, US, app, 'HEAD')
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
  })

  it('leaves it to the origin when the config says so', async () => {
    const own = createApp({ config: { ...CENTRE_CONFIG, consent: { gpcJson: false } } })
    origin(['/.well-known/gpc.json'], () =>
      Response.json({ gpc: false }, { headers: { 'x-from': 'origin' } })
    )
    const res = await get('/.well-known/gpc.json', {}, US, own)
    expect(res.headers.get('x-from')).toBe('origin')
  })
})

describe('no response without a visitor action carries Set-Cookie', () => {
  const headerSets: Record<string, string>[] = [
    {},
    { 'accept-language': 'fr' },
    { 'sec-gpc': '1' },
    { dnt: '1' },
    { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Mobile' },
    { referer: 'https://www.google.com/' },
    { cookie: '__Host-tailor=1.k2.e30.AAAA' },
    { cookie: 'other=1' },
  ]

  it.each(headerSets)('a visitor with %j, on every kind of request', async (headers) => {
    origin(['/', '/cycling/', '/running/?utm_campaign=spring', '/missing'], () =>
      htmlPage(CENTRE_PAGE)
    )
    for (const cf of [US, FR, CH, {}]) {
      for (const path of [
        '/',
        '/cycling/',
        '/running/?utm_campaign=spring',
        '/.well-known/gpc.json',
        '/_tailor/',
        '/_tailor',
        '/_tailor/?from=%2Fcycling%2F&ref=search',
        '/_tailor/?from=%2F%2Fevil',
        '/_tailor/?done=saved',
        '/_tailor/api/preferences',
        '/_tailor/api/why?from=%2F',
        '/_tailor/health',
        '/_tailor/nope',
      ]) {
        for (const on of [app, optOut]) {
          const res = await get(path, headers, cf, on)
          await res.arrayBuffer()
          expect(res.status, path).toBeLessThan(500)
          expect(res.headers.get('set-cookie'), `${path} ${JSON.stringify(cf)}`).toBeNull()
        }
      }
    }
  })

  it('refused and invalid writes set nothing either', async () => {
    const bad: [string, string, Record<string, string>][] = [
      ['/_tailor/preferences', 'name=' + 'x'.repeat(41), SAME_ORIGIN],
      ['/_tailor/pause', 'paused=maybe', SAME_ORIGIN],
      ['/_tailor/consent', 'signals=on', { 'sec-fetch-site': 'cross-site' }],
      ['/_tailor/erase', '', { origin: 'https://evil.example' }],
    ]
    for (const [path, body, headers] of bad) {
      const res = await app.request(
        new Request(`${HERE}${path}`, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
          cf: US,
        } as RequestInit),
        undefined,
        ENV
      )
      expect(res.status).toBeGreaterThanOrEqual(400)
      expect(res.headers.get('set-cookie')).toBeNull()
    }
  })
})
