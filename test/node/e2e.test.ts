// End to end: `wrangler dev --env dev` (what `npm run dev` runs) on a free loopback port, real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DevServer } from './wrangler'
import { startDev } from './wrangler'

let dev: DevServer

beforeAll(async () => {
  dev = await startDev()
})

afterAll(async () => {
  await dev?.stop()
})

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${dev.url}${path}`, { headers })

describe('the demo under wrangler dev', () => {
  it('serves the personalised home page', async () => {
    const res = await get('/')
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('private, no-store')
    expect(res.headers.get('server-timing')).toMatch(/tailor;dur=/)
    const html = await res.text()
    expect(html).toContain('Trailhead')
    expect(html).toContain('data-tailor="greeting"')
  })

  it('speaks French to a French browser', async () => {
    const html = await (await get('/', { 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.5' })).text()
    expect(html).not.toContain('Stories and gear for the outdoors')
    expect(html).toMatch(/Bonjour|Bonsoir/)
  })

  it('shows the app banner to a phone', async () => {
    const ua =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148'
    const html = await (await get('/', { 'user-agent': ua })).text()
    expect(html).toMatch(
      /<aside class="app-banner" data-tailor="app-banner" aria-label="The Trailhead app">/
    )
  })

  it('shows the spring sale to a campaign visitor', async () => {
    const html = await (await get('/?utm_source=newsletter&utm_campaign=spring')).text()
    expect(html).toContain('SPRING')
  })

  it('saves interests through the API and personalises the next page', async () => {
    const put = await fetch(`${dev.url}/_tailor/api/preferences`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', origin: dev.url },
      body: JSON.stringify({ interests: ['cycling'], name: 'Ana' }),
    })
    expect(put.status).toBe(200)
    const setCookie = put.headers.get('set-cookie') ?? ''
    expect(setCookie).toMatch(/^__Host-tailor=/)
    const cookie = setCookie.slice(0, setCookie.indexOf(';'))
    const html = await (await get('/', { cookie })).text()
    expect(html).toContain('Recommended for Ana')
    const hero = html.slice(
      html.indexOf('data-tailor="hero"'),
      html.indexOf('</section>', html.indexOf('data-tailor="hero"'))
    )
    expect(hero).not.toContain('<template')
    expect(hero.toLowerCase()).toContain('cycling')
    const prefs = await (await get('/_tailor/api/preferences', { cookie })).json()
    expect(prefs).toMatchObject({
      cookie: 'valid',
      preferences: { interests: ['cycling'], name: 'Ana' },
    })
  })

  it('refuses a cross-site write', async () => {
    const res = await fetch(`${dev.url}/_tailor/api/preferences`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: '{}',
    })
    expect(res.status).toBe(403)
  })

  it('passes the stylesheet through', async () => {
    const res = await get('/css/site.css')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/css/)
  })

  it('answers health', async () => {
    expect(await (await get('/_tailor/health')).json()).toEqual({
      ok: true,
      config: {
        version: 1,
        revision: expect.stringMatching(/^[0-9a-f]{8}$/),
        source: 'bundled',
        checkedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
      // The demo runs experiments: counting's health, with the store bound under `npm run dev`.
      experiments: {
        bound: true,
        flushes: expect.any(Number),
        failures: 0,
        dropped: 0,
        pending: expect.any(Number),
      },
      // Both workers run under `npm run dev`: the console answers too, on the same config.
      console: {
        ok: true,
        revision: expect.stringMatching(/^[0-9a-f]{8}$/),
        experiments: expect.objectContaining({ bound: true, failures: 0 }),
      },
    })
  })
})
