// The deployed worker through its entry, with the embedded demo site (real Static Assets binding).
import { env, exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { consoleWarnings, forwardToConsole, CONSOLE_MISSING } from '../../src/api/forward'
import { createPageApp } from '../../src/app'
import config from '../../tailor.config.json'
import { visitorCookie } from '../helpers/visitor'

const fetchWorker = (path: string, init: RequestInit & { cf?: Record<string, unknown> } = {}) =>
  exports.default.fetch(new Request(`https://demo.example${path}`, init as RequestInit))

describe('the worker with the demo site as origin', () => {
  it('serves the home page, personalised for a French visitor in Paris', async () => {
    const res = await fetchWorker('/', {
      headers: { 'accept-language': 'fr-FR,fr;q=0.9' },
      cf: { country: 'FR', isEUCountry: '1', timezone: 'Europe/Paris', continent: 'EU' },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('private, no-store')
    const html = await res.text()
    expect(html).toMatch(/<span class="tagline" data-tailor="tagline">[^<]*[àéè][^<]*<\/span>/)
    expect(html).not.toContain('Stories and gear for the outdoors')
    expect(html).toMatch(/Bonjour|Bonsoir/)
  })

  it('shows the cycling story and picks to a visitor who chose cycling', async () => {
    const cookie = await visitorCookie({ interests: ['cycling'], name: 'Ana' })
    const html = await (await fetchWorker('/', { headers: { cookie } })).text()
    const hero = html.slice(
      html.indexOf('data-tailor="hero"'),
      html.indexOf('</section>', html.indexOf('data-tailor="hero"'))
    )
    expect(hero).not.toContain('<template')
    expect(hero.toLowerCase()).toContain('cycling')
    expect(html).toContain('Recommended for Ana')
  })

  it('passes CSS and images through untouched', async () => {
    const css = await fetchWorker('/css/site.css')
    expect(css.status).toBe(200)
    expect(css.headers.get('content-type')).toMatch(/^text\/css/)
    expect(css.headers.get('cache-control')).not.toBe('private, no-store')
    const svg = await fetchWorker('/img/logo.svg')
    expect(svg.status).toBe(200)
    expect(await svg.text()).toContain('<svg')
    // Untouched: the same bytes the Static Assets binding holds.
    for (const path of ['/css/site.css', '/img/logo.svg']) {
      const served = await (await fetchWorker(path)).arrayBuffer()
      const asset = await (await env.ASSETS.fetch(`https://demo.example${path}`)).arrayBuffer()
      expect(served.byteLength).toBeGreaterThan(100)
      expect(new Uint8Array(served)).toEqual(new Uint8Array(asset))
    }
  })

  it('answers health with the config version', async () => {
    const res = await fetchWorker('/_tailor/health')
    expect(res.status).toBe(200)
    // With the KV namespace bound but empty, the bundled config is live (checked just now).
    expect(await res.json()).toEqual({
      ok: true,
      config: {
        version: 1,
        revision: expect.stringMatching(/^[0-9a-f]{8}$/),
        source: 'bundled',
        checkedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
      // The demo runs experiments: counting's health in this isolate, the store bound.
      experiments: {
        bound: true,
        flushes: expect.any(Number),
        failures: 0,
        dropped: 0,
        pending: expect.any(Number),
      },
      // The console worker's own (it counts pings and goals), on the same config.
      console: {
        ok: true,
        revision: expect.stringMatching(/^[0-9a-f]{8}$/),
        experiments: expect.objectContaining({ bound: true, failures: 0 }),
      },
    })
  })

  it('a page that does not exist is the demo site 404, untouched', async () => {
    const res = await fetchWorker('/no/such/page')
    expect(res.status).toBe(404)
    expect(res.headers.get('cache-control')).not.toBe('private, no-store')
    const asset = await env.ASSETS.fetch('https://demo.example/no/such/page')
    expect(asset.status).toBe(404)
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(
      new Uint8Array(await asset.arrayBuffer())
    )
  })
})

describe('the page worker hands /_tailor/* to the console worker', () => {
  it('serves the preference centre through the TAILOR_CONSOLE binding', async () => {
    const res = await fetchWorker('/_tailor/')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    expect(await res.text()).toContain('<form')
  })

  it("reads the visitor's cookie there: the JSON API answers with their preferences", async () => {
    const cookie = await visitorCookie({ interests: ['cycling'], name: 'Ana' })
    const res = await fetchWorker('/_tailor/api/preferences', { headers: { cookie } })
    expect(res.status).toBe(200)
    expect(JSON.stringify(await res.json())).toContain('cycling')
  })

  it('passes a PUT with its body and headers through, and the answer back', async () => {
    const res = await fetchWorker('/_tailor/api/preferences', {
      method: 'PUT',
      headers: { origin: 'https://demo.example', 'content-type': 'application/json' },
      body: JSON.stringify({ interests: ['hiking'] }),
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('set-cookie')).toMatch(/^__Host-tailor=/)
  })

  it('without a console bound: health says so, the centre is a clear 503', async () => {
    const app = createPageApp({ config })
    const envNoConsole = { ...env, TAILOR_CONSOLE: undefined }
    const health = await app.fetch(
      new Request('https://demo.example/_tailor/health'),
      envNoConsole,
      undefined
    )
    expect(health.status).toBe(200)
    expect(((await health.json()) as { warnings?: string[] }).warnings).toContain(CONSOLE_MISSING)
    const centre = await app.fetch(
      new Request('https://demo.example/_tailor/'),
      envNoConsole,
      undefined
    )
    expect(centre.status).toBe(503)
    expect(centre.headers.get('retry-after')).toBe('30')
    expect(await centre.text()).not.toMatch(/TAILOR_|console/i)
  })

  it("health names a console on another config revision, one that does not answer, and the console's own warnings", async () => {
    const body = (revision: string, warnings?: string[]) => ({
      ok: true,
      config: { revision, source: 'bundled' },
      ...(warnings ? { warnings } : {}),
    })
    expect(consoleWarnings(body('abcd1234'), 'abcd1234')).toEqual([])
    expect(consoleWarnings(body('00000000'), 'abcd1234')).toEqual([
      'The console worker runs config revision 00000000, this worker abcd1234: after a config push this clears within two minutes; otherwise deploy both (npm run deploy).',
    ])
    expect(consoleWarnings(undefined, 'abcd1234')[0]).toMatch(/did not answer its health check/)
    expect(consoleWarnings(body('abcd1234', ['TAILOR_SECRET is not set.']), 'abcd1234')).toEqual([
      'Console worker: TAILOR_SECRET is not set.',
    ])
    expect(consoleWarnings({ ...body('abcd1234'), ok: false }, 'abcd1234')[0]).toMatch(
      /its config is invalid/
    )
    // Through the page worker's own health: a console that never answers is named, in time.
    const app = createPageApp({ config })
    const silent = { fetch: () => new Promise<Response>(() => {}) } as unknown as Fetcher
    const res = await app.fetch(
      new Request('https://demo.example/_tailor/health'),
      { ...env, TAILOR_CONSOLE: silent },
      undefined
    )
    const json = (await res.json()) as { warnings?: string[]; console?: { ok: boolean } }
    expect(json.console).toEqual({ ok: false })
    expect(json.warnings?.[0]).toMatch(/did not answer its health check/)
  })

  it('a console that throws is a 503, never an exception', async () => {
    const routes = forwardToConsole({} as never)
    const broken = {
      fetch: () => Promise.reject(new Error('boom')),
    } as unknown as Fetcher
    const res = await routes.fetch(
      new Request('https://demo.example/_tailor/'),
      { TAILOR_CONSOLE: broken },
      undefined
    )
    expect(res.status).toBe(503)
  })
})

describe("the page worker's own fetch (no router on the page path)", () => {
  const page = createPageApp({ config })

  it('answers HEAD with the headers of GET and no body, as the router did', async () => {
    const get = await fetchWorker('/')
    const head = await fetchWorker('/', { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'))
    expect(await head.text()).toBe('')
    expect((await get.text()).length).toBeGreaterThan(1000)
    // Even when the origin wrongly sends a body with its answer to HEAD.
    const talkative = {
      fetch: () => new Response('<p>a body</p>', { headers: { 'content-type': 'text/html' } }),
    } as unknown as Fetcher
    const res = await page.fetch(
      new Request('https://demo.example/', { method: 'HEAD' }),
      { ...env, ORIGIN: '', ASSETS: talkative },
      undefined
    )
    expect(res.status).toBe(200)
    expect(res.body).toBeNull()
  })

  it('answers an unexpected error with a 500 that names no internals', async () => {
    const broken = {
      fetch: () => Promise.reject(new Error('internal detail 42')),
    } as unknown as Fetcher
    const res = await page.fetch(
      new Request('https://demo.example/css/site.css'),
      { ...env, ORIGIN: '', ASSETS: broken },
      undefined
    )
    expect(res.status).toBe(500)
    expect(await res.text()).not.toContain('42')
  })

  it('reads its own prefix percent-decoded, as the router did: /%5Ftailor/health is health', async () => {
    const res = await fetchWorker('/%5Ftailor/health')
    expect(res.status).toBe(200)
    expect(((await res.json()) as { ok?: boolean }).ok).toBe(true)
  })

  it('serves /.well-known/gpc.json itself, GET and HEAD', async () => {
    const res = await fetchWorker('/.well-known/gpc.json')
    expect(res.status).toBe(200)
    expect(((await res.json()) as { gpc?: boolean }).gpc).toBe(true)
    const head = await fetchWorker('/.well-known/gpc.json', { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
  })

  it('runs without an execution context (nothing counted, nothing waited for)', async () => {
    const res = await page.fetch(
      new Request('https://demo.example/', { headers: { 'accept-language': 'fr' } }),
      env,
      undefined
    )
    expect(res.status).toBe(200)
    expect(await res.text()).toMatch(/Bonjour|Bonsoir/)
  })
})
