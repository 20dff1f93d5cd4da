// The preference API: validation, CSRF refusal, the cookie's attributes, and health.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp } from '../../src/app'
import { ENV, TEST_CONFIG } from '../helpers/origin'
import { visitorCookie } from '../helpers/visitor'

afterEach(() => {
  vi.restoreAllMocks()
})

const app = createApp({ config: TEST_CONFIG })
const HERE = 'https://shop.example'
const API = `${HERE}/_tailor/api/preferences`

function call(
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
  env: object = ENV
) {
  return app.request(
    API,
    {
      method,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      // A browser's fetch sends its Origin; a test overrides it, or leaves it out with ''.
      headers: Object.fromEntries(
        Object.entries({ 'content-type': 'application/json', origin: HERE, ...headers }).filter(
          ([, value]) => value !== ''
        )
      ),
    },
    env
  )
}

const pair = (setCookie: string | null) =>
  (setCookie ?? '').slice(0, (setCookie ?? '').indexOf(';'))

describe('GET /_tailor/api/preferences', () => {
  it('says there is no cookie', async () => {
    const res = await call('GET')
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('set-cookie')).toBeNull()
    const json = (await res.json()) as Record<string, unknown>
    expect(json.cookie).toBe('absent')
    expect(json.preferences).toEqual({})
  })

  it('shows what a valid cookie holds', async () => {
    const cookie = await visitorCookie({ interests: ['running'], name: 'Ana' })
    const json = (await (await call('GET', undefined, { cookie })).json()) as Record<
      string,
      unknown
    >
    expect(json.cookie).toBe('valid')
    expect(json.preferences).toEqual({ interests: ['running'], name: 'Ana' })
  })

  it('says an invalid cookie is invalid and uses nothing from it', async () => {
    const json = (await (
      await call('GET', undefined, { cookie: '__Host-tailor=1.k2.e30.AAAA' })
    ).json()) as Record<string, unknown>
    expect(json.cookie).toBe('invalid')
    expect(json.preferences).toEqual({})
  })
})

describe('PUT /_tailor/api/preferences', () => {
  it('sets a signed cookie with the right attributes, which then reads back', async () => {
    const res = await call('PUT', { interests: ['cycling'], name: 'Ana' })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const setCookie = res.headers.get('set-cookie')
    expect(setCookie).toMatch(
      /^__Host-tailor=1\.k2\.[\w-]+\.[\w-]+; Path=\/; Max-Age=15552000; Secure; HttpOnly; SameSite=Lax$/
    )
    expect(await res.json()).toEqual({
      cookie: 'valid',
      preferences: { interests: ['cycling'], name: 'Ana' },
      paused: false,
      consent: {
        answer: 'none',
        explicitRequired: true,
        privacySignal: null,
        using: false,
        recording: false,
      },
      signals: {},
    })
    const back = (await (
      await call('GET', undefined, { cookie: pair(setCookie) })
    ).json()) as Record<string, unknown>
    expect(back.preferences).toEqual({ interests: ['cycling'], name: 'Ana' })
  })

  it.each<[string, unknown, { path: string; message: string }[]]>([
    [
      'an unknown option',
      { interests: ['golf'] },
      [{ path: 'interests', message: 'Expected options from "cycling", "running". Got "golf".' }],
    ],
    [
      'an unknown preference',
      { color: 'red' },
      [{ path: 'color', message: 'Unknown preference "color". Expected one of: interests, name.' }],
    ],
    [
      'a name too long',
      { name: 'x'.repeat(41) },
      [{ path: 'name', message: 'Expected at most 40 characters. Got 41.' }],
    ],
    ['an array', ['cycling'], [{ path: '', message: 'Expected an object. Got ["cycling"].' }]],
  ])('400 with field errors for %s, cookie unchanged', async (_name, body, issues) => {
    const res = await call('PUT', body)
    expect(res.status).toBe(400)
    expect(res.headers.get('set-cookie')).toBeNull()
    expect(await res.json()).toEqual({ error: 'Invalid preferences.', issues })
  })

  it('400 for a body that is not JSON', async () => {
    const res = await call('PUT', '{"interests": [')
    expect(res.status).toBe(400)
    expect(res.headers.get('set-cookie')).toBeNull()
  })

  it('415 for a form body', async () => {
    const res = await call('PUT', 'interests=cycling', {
      'content-type': 'application/x-www-form-urlencoded',
    })
    expect(res.status).toBe(415)
    expect(res.headers.get('set-cookie')).toBeNull()
  })

  it('413 for a huge body, without reading it', async () => {
    const res = await call('PUT', JSON.stringify({ name: 'x'.repeat(20_000) }))
    expect(res.status).toBe(413)
    expect(res.headers.get('set-cookie')).toBeNull()
  })

  it('503 without a signing key, and the body does not leak why', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const res = await call('PUT', { name: 'Ana' }, {}, { TAILOR_SECRET: 'short' })
    expect(res.status).toBe(503)
    expect(res.headers.get('set-cookie')).toBeNull()
    expect(await res.json()).toEqual({
      error: 'Nothing can be saved: this site has no valid signing key.',
      issues: [],
    })
  })

  it('keeps the first-saved time across updates (returning visitors)', async () => {
    const created = Math.floor(Date.now() / 1000) - 3 * 86400
    const cookie = await visitorCookie({ name: 'Ana' }, { created })
    const res = await call('PUT', { name: 'Bea' }, { cookie })
    const json = (await (
      await call('GET', undefined, { cookie: pair(res.headers.get('set-cookie')) })
    ).json()) as Record<string, unknown>
    expect(json.preferences).toEqual({ name: 'Bea' })
  })
})

describe('DELETE /_tailor/api/preferences', () => {
  it('expires the cookie with the same name and attributes', async () => {
    const res = await call('DELETE')
    expect(res.status).toBe(200)
    expect(res.headers.get('set-cookie')).toBe(
      '__Host-tailor=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax'
    )
    expect(res.headers.get('cache-control')).toBe('no-store')
  })
})

describe('cross-site requests are refused', () => {
  it.each<[string, Record<string, string>]>([
    ['Origin of another site', { origin: 'https://evil.example' }],
    ['Origin null', { origin: 'null' }],
    ['Sec-Fetch-Site cross-site', { 'sec-fetch-site': 'cross-site' }],
    [
      'Sec-Fetch-Site same-site (a sibling subdomain)',
      { 'sec-fetch-site': 'same-site', origin: 'https://blog.shop.example' },
    ],
    [
      'a same-origin Origin with a cross-site fetch',
      { origin: HERE, 'sec-fetch-site': 'cross-site' },
    ],
  ])('%s', async (_name, headers) => {
    for (const method of ['PUT', 'DELETE']) {
      const res = await call(method, { name: 'Mallory' }, headers)
      expect(res.status).toBe(403)
      expect(res.headers.get('set-cookie')).toBeNull()
      expect(((await res.json()) as { error: string }).error).toMatch(/^Cross-site request refused/)
    }
  })

  it.each<[string, Record<string, string>]>([
    ['same-origin fetch metadata', { origin: HERE, 'sec-fetch-site': 'same-origin' }],
    ['only Origin (curl -H Origin)', { origin: HERE }],
    ['only Sec-Fetch-Site', { origin: '', 'sec-fetch-site': 'same-origin' }],
    ['only a same-origin Referer', { origin: '', referer: `${HERE}/_tailor/` }],
  ])('allows %s', async (_name, headers) => {
    const res = await call('PUT', { name: 'Ana' }, headers)
    expect(res.status).toBe(200)
  })

  it('refuses a cross-site Referer when no Origin or Fetch Metadata says otherwise', async () => {
    const res = await call(
      'PUT',
      { name: 'Mallory' },
      { origin: '', referer: 'https://evil.example/x' }
    )
    expect(res.status).toBe(403)
    expect(((await res.json()) as { error: string }).error).toBe(
      'Cross-site request refused: Referer is another site.'
    )
  })

  it('refuses PUT and DELETE with none of Origin, Referer, Sec-Fetch-Site, naming the header', async () => {
    for (const method of ['PUT', 'DELETE']) {
      const res = await call(method, { name: 'Ana' }, { origin: '' })
      expect(res.status).toBe(403)
      expect(res.headers.get('set-cookie')).toBeNull()
      expect(res.headers.get('cache-control')).toBe('no-store')
      expect(await res.json()).toEqual({
        error: `Request refused: its source is unknown. Send the header Origin: ${HERE} (with curl: -H 'Origin: ${HERE}').`,
      })
    }
  })
})

describe('health and unknown routes', () => {
  it('GET /_tailor/health', async () => {
    const res = await app.request(`${HERE}/_tailor/health`, {}, ENV)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(await res.json()).toEqual({
      ok: true,
      config: { version: 1, revision: expect.stringMatching(/^[0-9a-f]{8}$/), source: 'bundled' },
    })
  })

  it('an unknown /_tailor path is a JSON 404, never sent to the origin', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch')
    const res = await app.request(`${HERE}/_tailor/nope`, {}, ENV)
    expect(res.status).toBe(404)
    expect(fetchSpy).not.toHaveBeenCalled()
  })
})

describe('health without a signing key', () => {
  it('stays 200 (context personalisation works) but warns', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const res = await app.request(`${HERE}/_tailor/health`, {}, { ORIGIN: 'https://origin.test' })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      ok: true,
      warnings: ['TAILOR_SECRET is not set. Cookies are off.'],
    })
  })
})
