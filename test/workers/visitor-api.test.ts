// The visitor JSON API beyond preferences: pause, consent, signals, why; CSRF; one path with forms.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp } from '../../src/app'
import { CENTRE_CONFIG, SAME_ORIGIN, stateCookie, stateOf, US } from '../helpers/centre'
import { ENV } from '../helpers/origin'

afterEach(() => {
  vi.restoreAllMocks()
})

const app = createApp({ config: CENTRE_CONFIG })
const HERE = 'https://shop.example'
const TODAY = () => Math.floor(Date.now() / 86_400_000)

function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return app.request(
    new Request(`${HERE}/_tailor/api${path}`, {
      method,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      // A browser's fetch sends its Origin.
      headers: { 'content-type': 'application/json', origin: HERE, ...headers },
      cf: US,
    } as RequestInit),
    undefined,
    ENV
  )
}

describe('PUT /_tailor/api/pause', () => {
  it('pauses, answers with the new state and its cookie', async () => {
    const res = await call('PUT', '/pause', { paused: true })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(await res.json()).toMatchObject({ cookie: 'valid', paused: true })
    expect((await stateOf(res.headers.get('set-cookie')))?.paused).toBe(true)
  })

  it.each([{}, { paused: 'yes' }, { paused: 1 }, [true], null])('400 for %j', async (body) => {
    const res = await call('PUT', '/pause', body)
    expect(res.status).toBe(400)
    expect(res.headers.get('set-cookie')).toBeNull()
    expect(await res.json()).toMatchObject({
      error: 'Expected {"paused": true} or {"paused": false}.',
    })
  })
})

describe('PUT /_tailor/api/consent and DELETE /_tailor/api/signals', () => {
  it('grants consent', async () => {
    const res = await call('PUT', '/consent', { signals: true })
    expect(await res.json()).toMatchObject({
      consent: { answer: 'granted', using: true, recording: true, privacySignal: null },
    })
  })

  it('reports that GPC stops recording, even with consent', async () => {
    const res = await call('PUT', '/consent', { signals: true }, { 'sec-gpc': '1' })
    expect(await res.json()).toMatchObject({
      consent: { answer: 'granted', using: true, recording: false, privacySignal: 'gpc' },
    })
  })

  it('withdrawing erases the signals at once', async () => {
    const cookie = await stateCookie({
      consent: { signals: true, at: 1 },
      signals: { cycling: [3, TODAY()] },
    })
    const res = await call('PUT', '/consent', { signals: false }, { cookie })
    expect(await res.json()).toMatchObject({
      consent: { answer: 'withdrawn', using: false, recording: false },
      signals: {},
    })
    expect((await stateOf(res.headers.get('set-cookie')))?.signals).toBeUndefined()
  })

  it('DELETE /signals keeps the answer', async () => {
    const cookie = await stateCookie({
      consent: { signals: true, at: 1 },
      signals: { cycling: [3, TODAY()] },
    })
    const res = await call('DELETE', '/signals', undefined, { cookie })
    expect(await res.json()).toMatchObject({ consent: { answer: 'granted' }, signals: {} })
  })

  it('GET /preferences shows the decayed signals', async () => {
    const cookie = await stateCookie({
      consent: { signals: true, at: 1 },
      signals: { cycling: [4, TODAY() - 7] },
    })
    expect(await (await call('GET', '/preferences', undefined, { cookie })).json()).toMatchObject({
      cookie: 'valid',
      signals: { cycling: 2 },
      consent: { answer: 'granted', explicitRequired: true },
    })
  })
})

describe('GET /_tailor/api/why', () => {
  it('lists each block, what it shows and why', async () => {
    const cookie = await stateCookie({ prefs: { interests: ['cycling'] } })
    const res = await call('GET', '/why?from=%2F', undefined, { cookie, 'accept-language': 'fr' })
    expect(res.status).toBe(200)
    expect(res.headers.get('set-cookie')).toBeNull()
    const json = (await res.json()) as { from: string; slots: Record<string, unknown>[] }
    expect(json.from).toBe('/')
    expect(json.slots).toContainEqual({
      slot: 'hero',
      block: 'hero',
      variant: 'cycling',
      shown: 'cycling',
      reason: 'because you chose Cycling',
    })
    expect(json.slots).toContainEqual({
      slot: 'greeting',
      block: 'greeting',
      variant: 'fr',
      shown: 'fr',
      reason: 'because your language is French',
    })
    expect(json.slots.map((s) => s.slot)).not.toContain('why')
  })

  it.each(['', '?from=//evil.example', '?from=https%3A%2F%2Fevil.example', '?from=%2F_tailor%2F'])(
    '400 for %j',
    async (query) => {
      const res = await call('GET', `/why${query}`)
      expect(res.status).toBe(400)
    }
  )
})

describe('the API refuses cross-site writes', () => {
  it.each<[string, string, unknown]>([
    ['PUT', '/preferences', { name: 'x' }],
    ['DELETE', '/preferences', undefined],
    ['PUT', '/pause', { paused: true }],
    ['PUT', '/consent', { signals: true }],
    ['DELETE', '/signals', undefined],
  ])('%s %s', async (method, path, body) => {
    const refused: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      { origin: 'https://evil.example' },
    ]
    for (const headers of refused) {
      const res = await call(method, path, body, headers)
      expect(res.status).toBe(403)
      expect(res.headers.get('set-cookie')).toBeNull()
    }
  })
})

describe('forms and the API share one code path', () => {
  it.each<[string, string, Record<string, string>, string, string, unknown]>([
    ['save', '/_tailor/preferences', { name: 'Ana' }, 'PUT', '/preferences', { name: 'Ana' }],
    ['pause', '/_tailor/pause', { paused: 'true' }, 'PUT', '/pause', { paused: true }],
    ['consent', '/_tailor/consent', { signals: 'off' }, 'PUT', '/consent', { signals: false }],
    ['clear', '/_tailor/signals/clear', {}, 'DELETE', '/signals', undefined],
  ])('%s gives the same cookie state', async (_name, formPath, form, method, apiPath, body) => {
    const cookie = await stateCookie({
      prefs: { interests: ['running'] },
      consent: { signals: true, at: 7 },
      signals: { running: [2, TODAY()] },
    })
    const viaForm = await app.request(
      new Request(`${HERE}${formPath}`, {
        method: 'POST',
        body: new URLSearchParams(form).toString(),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie,
          ...SAME_ORIGIN,
        },
        cf: US,
      } as RequestInit),
      undefined,
      ENV
    )
    const viaApi = await call(method, apiPath, body, { cookie })
    const a = await stateOf(viaForm.headers.get('set-cookie'))
    const b = await stateOf(viaApi.headers.get('set-cookie'))
    expect(a).toBeDefined()
    // `consent.at` is the time of the request: equal to the second, or one apart.
    expect({ ...a, consent: undefined }).toEqual({ ...b, consent: undefined })
    expect(a?.consent?.signals).toBe(b?.consent?.signals)
  })
})
