// The demo's config applies to the demo only: in front of a real ORIGIN it passes every page through.
import { afterEach, describe, expect, it, vi } from 'vitest'
import demoConfig from '../../tailor.config.json'
import { createApp } from '../../src/app'
import { DEMO_CONFIG_WARNING, demoMismatch } from '../../src/config'
import { ENV, htmlPage, mockOrigin, ORIGIN } from '../helpers/origin'
import { visitorCookie } from '../helpers/visitor'

afterEach(() => {
  vi.restoreAllMocks()
})

/** The page of issue 13: one marked block, and none of the demo's templates. */
const OWN_PAGE = '<!doctype html><html><body><h1 data-tailor="hero">Hello</h1></body></html>'
const HERE = 'https://www.own-site.test'

async function visit(config: unknown, env: Record<string, unknown>, cookie?: string) {
  const app = createApp({ config })
  const headers: Record<string, string> = { 'accept-language': 'fr' }
  if (cookie) {
    headers.cookie = cookie
  }
  return app.request(new Request(`${HERE}/`, { headers }), undefined, env)
}

describe('the demo config in front of another site', () => {
  it('marks the bundled config as the demo', () => {
    expect(demoConfig.demo).toBe(true)
  })

  it('passes the page through byte for byte, for a visitor who chose an interest', async () => {
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage(OWN_PAGE) })
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const cookie = await visitorCookie({ interests: ['cycling'] })
    const res = await visit(demoConfig, ENV, cookie)
    expect(res.status).toBe(200)
    expect(await res.text()).toBe(OWN_PAGE)
    expect(res.headers.get('cache-control')).toBe('public, max-age=300') // the origin's, untouched
    expect(res.headers.get('server-timing')).toBeNull()
    const said = warn.mock.calls.map((args) => String(args[0]))
    expect(said.filter((line) => line.includes('"demo": true'))).toHaveLength(1)
  })

  it('personalises the same page once the config is no longer marked demo', async () => {
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage(OWN_PAGE) })
    const own = { ...demoConfig, demo: false }
    const cookie = await visitorCookie({ interests: ['cycling'] })
    const res = await visit(own, ENV, cookie)
    // Without the guard the demo's template variant applies (what issue 13 observed).
    expect(res.headers.get('cache-control')).toBe('private, no-store')
  })

  it('says so at /_tailor/health', async () => {
    const app = createApp({ config: demoConfig })
    const res = await app.request(`${HERE}/_tailor/health`, undefined, ENV)
    expect(res.status).toBe(200)
    const body = (await res.json()) as { ok: boolean; warnings?: string[] }
    expect(body.ok).toBe(true)
    expect(body.warnings).toEqual([DEMO_CONFIG_WARNING])
  })

  it('has no warning in front of the embedded demo (ORIGIN empty)', async () => {
    const app = createApp({ config: demoConfig })
    const res = await app.request(`${HERE}/_tailor/health`, undefined, { ...ENV, ORIGIN: '' })
    expect(await res.json()).not.toHaveProperty('warnings')
  })
})

describe('demoMismatch', () => {
  it.each([
    [true, 'https://www.example.com', DEMO_CONFIG_WARNING],
    [true, 'self', DEMO_CONFIG_WARNING],
    [true, '', undefined],
    [true, undefined, undefined],
    [false, 'https://www.example.com', undefined],
  ])('demo %s, origin %j', (demo, origin, expected) => {
    expect(demoMismatch(demo, origin)).toBe(expected)
  })
})
