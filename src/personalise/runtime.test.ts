// The per-isolate runtime: the injected clock, the live site per host, keys per environment.
import { describe, expect, it, vi } from 'vitest'
import { read } from './read'
import { createRuntime, readInputFor, tailorCookieNames } from './runtime'
import { CONFIG, NOW, request } from './fixtures'

const HOSTS = {
  ...CONFIG,
  hosts: { 'fr.shop.example': { origin: 'https://fr-origin.example', slots: CONFIG.slots } },
}

describe('createRuntime', () => {
  it('reads the clock it is given', () => {
    const runtime = createRuntime({ config: CONFIG, clock: () => NOW })
    expect(runtime.now()).toBe(NOW)
  })

  it.each<[string, string | undefined]>([
    ['shop.example', undefined],
    ['fr.shop.example', 'https://fr-origin.example'],
    ['FR.SHOP.EXAMPLE', 'https://fr-origin.example'],
  ])('liveSite: %s → origin %s', async (host, origin) => {
    const runtime = createRuntime({ config: HOSTS })
    const site = await runtime.liveSite(new Request(`https://${host}/`), undefined, NOW)
    expect(site.live.issues).toEqual([])
    expect(site.live.source).toBe('bundled')
    expect(site.site?.origin).toBe(origin)
  })

  it('liveSite: one answer per live config and ORIGIN, a new one when ORIGIN changes', async () => {
    const runtime = createRuntime({ config: { ...CONFIG, demo: true } })
    const first = await runtime.liveSite(request('/'), undefined, NOW)
    expect(first.site).toBeDefined()
    expect(await runtime.liveSite(request('/b'), {}, NOW)).toBe(first)
    // The demo's config in front of a real site passes through; back without ORIGIN, it applies.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const fronting = await runtime.liveSite(request('/'), { ORIGIN: 'https://shop.example' }, NOW)
    warn.mockRestore()
    expect(fronting.site).toBeUndefined()
    expect(fronting.live).toBe(first.live)
    const back = await runtime.liveSite(request('/'), undefined, NOW)
    expect(back.site).toBe(first.site)
  })

  it('an invalid config gives a live site without a site (everything passes through)', async () => {
    const runtime = createRuntime({ config: { version: 2 } })
    const site = await runtime.liveSite(request('/'), undefined, NOW)
    expect(site.site).toBeUndefined()
    expect(site.live.issues.length).toBeGreaterThan(0)
  })

  it.each<[string, Record<string, string>, boolean]>([
    ['no secret', {}, false],
    ['no secret in dev mode (the public dev key)', { TAILOR_MODE: 'dev' }, true],
    ['a secret', { TAILOR_SECRET: 'k1:runtime-test-secret-0123456789' }, true],
    ['a malformed secret', { TAILOR_SECRET: 'no-colon' }, false],
  ])('keyring: %s', async (_name, env, ok) => {
    const runtime = createRuntime({ config: CONFIG })
    expect((await runtime.keyring(env)).ok).toBe(ok)
  })

  it('keyring: worked out once per environment (no logger call per page), a new secret seen', async () => {
    const runtime = createRuntime({ config: CONFIG })
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const info = vi.spyOn(console, 'info').mockImplementation(() => {})
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    const first = runtime.keyring({})
    expect(runtime.keyring({})).toBe(first)
    expect(runtime.keyring(undefined)).toBe(first)
    expect(await first).toEqual({ ok: false, message: 'TAILOR_SECRET is not set.' })
    const keyed = { TAILOR_SECRET: 'k1:runtime-test-secret-0123456789' }
    const withKeys = runtime.keyring(keyed)
    expect(withKeys).not.toBe(first)
    expect((await withKeys).ok).toBe(true)
    expect(runtime.keyring({ ...keyed })).toBe(withKeys)
    expect((await runtime.keyring({ ...keyed, TAILOR_MODE: 'dev' })).ok).toBe(true)
    expect((await runtime.keyring({})).ok).toBe(false)
    for (const spy of [warn, info, log]) {
      spy.mockRestore()
    }
  })

  it('readInputFor: keys only when a config is live, dev from TAILOR_MODE', async () => {
    const runtime = createRuntime({ config: CONFIG })
    const env = { TAILOR_SECRET: 'k1:runtime-test-secret-0123456789', TAILOR_MODE: 'dev' }
    const site = await runtime.liveSite(request('/'), env, NOW)
    const input = await readInputFor(runtime, request('/'), env, site, NOW)
    expect(input.keyring).toBeDefined()
    expect(input.dev).toBe(true)
    expect(input.now).toBe(NOW)
    const none = await readInputFor(runtime, request('/'), env, { ...site, site: undefined }, NOW)
    expect(none.keyring).toBeUndefined()
  })

  it.each<[string, unknown, string[]]>([
    ['no config', undefined, ['__Host-tailor', '__Host-tailor-preview']],
    [
      'a config naming its cookie',
      { config: { cookie: { name: 'prefs' } } },
      ['prefs', '__Host-tailor-preview'],
    ],
  ])('tailorCookieNames: %s', (_name, site, expected) => {
    expect(tailorCookieNames(site as never)).toEqual(expected)
    // One frozen list per config, not one per request.
    expect(tailorCookieNames(site as never)).toBe(tailorCookieNames(site as never))
    expect(Object.isFrozen(tailorCookieNames(site as never))).toBe(true)
  })
})

describe('readInputFor: which context fields a request reads', () => {
  const mobile = {
    'accept-language': 'fr',
    'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148',
  }

  it('a page reads only the fields the rules name; the centre and dev mode read them all', async () => {
    const runtime = createRuntime({ config: CONFIG })
    const req = request('/', mobile, { country: 'FR', city: 'Paris' })
    const site = await runtime.liveSite(req, undefined, NOW)
    const page = await readInputFor(runtime, req, undefined, site, NOW, true)
    expect([...(page.fields ?? [])].sort()).toEqual([
      'country',
      'language',
      'prefs.interests',
      'signals.cycling',
    ])
    const pageState = await read(page)
    // The fixture's rules name language and country, not device or city.
    expect(pageState?.facts).toMatchObject({ language: 'fr', country: 'FR' })
    expect(pageState?.facts).not.toHaveProperty('device')
    expect(pageState?.facts).not.toHaveProperty('city')
    expect(pageState?.decisions.map((d) => d.variant?.id)).toEqual(['fr', undefined, 'fr'])

    // The centre and the API (page = false) see every field, as before.
    const centre = await read(await readInputFor(runtime, req, undefined, site, NOW))
    expect(centre?.facts).toMatchObject({ device: 'mobile', city: 'Paris', country: 'FR' })
    expect(centre?.decisions).toEqual(pageState?.decisions)

    // Dev mode (simulator, explanations) reads everything even on a page.
    const dev = await readInputFor(runtime, req, { TAILOR_MODE: 'dev' }, site, NOW, true)
    expect(dev.fields).toBeUndefined()
  })
})
