// The read step alone: each numbered step's effect on the state, with values in and no runtime.
import { describe, expect, it, vi } from 'vitest'
import { read } from './read'
import { compiled, CONFIG, cookieFor, keyring, liveSite, NOW, request } from './fixtures'

/** Each slot's decided variant, `slot=variant` (`default` for the page's own content). */
function chosen(decisions: { slot: { id: string }; variant?: { id: string } | undefined }[]) {
  return decisions.map((d) => `${d.slot.id}=${d.variant?.id ?? 'default'}`).join(' ')
}

describe('read', () => {
  it('is undefined when no valid config is live (every page passes through)', async () => {
    const state = await read({
      request: request('/'),
      site: { ...liveSite(), site: undefined },
      keyring: undefined,
      now: NOW,
      dev: false,
    })
    expect(state).toBeUndefined()
  })

  it.each<[string, Record<string, string>, Record<string, unknown>, string]>([
    ['nothing known', {}, {}, 'greeting=default hero=default shipping=default'],
    [
      'a French browser',
      { 'accept-language': 'fr' },
      {},
      'greeting=fr hero=default shipping=default',
    ],
    ['request.cf in France', {}, { country: 'FR' }, 'greeting=default hero=default shipping=fr'],
    [
      'a client-sent country header (ignored: geo comes from request.cf only)',
      { 'cf-ipcountry': 'FR' },
      {},
      'greeting=default hero=default shipping=default',
    ],
  ])('2. context: %s', async (_name, headers, cf, expected) => {
    const state = await read({
      request: request('/', headers, cf),
      site: liveSite(),
      keyring: undefined,
      now: NOW,
      dev: false,
    })
    expect(chosen(state?.decisions ?? [])).toBe(expected)
  })

  it('1. cookie: read only with a keyring; an invalid cookie counts as absent', async () => {
    const keys = await keyring()
    const cookie = await cookieFor({ prefs: { interests: ['cycling'] } }, keys)
    const withKeys = await read({
      request: request('/', { cookie }),
      site: liveSite(),
      keyring: keys,
      now: NOW,
      dev: false,
    })
    expect(withKeys?.visitor.status).toBe('valid')
    expect(chosen(withKeys?.decisions ?? [])).toBe('greeting=default hero=cycling shipping=default')
    expect(withKeys?.facts.returning).toBe(true)

    const withoutKeys = await read({
      request: request('/', { cookie }),
      site: liveSite(),
      keyring: undefined,
      now: NOW,
      dev: false,
    })
    expect(withoutKeys?.visitor).toEqual({ status: 'absent' })
    expect(chosen(withoutKeys?.decisions ?? [])).toBe(
      'greeting=default hero=default shipping=default'
    )

    const tampered = await read({
      request: request('/', { cookie: `${cookie.slice(0, -2)}xx` }),
      site: liveSite(),
      keyring: keys,
      now: NOW,
      dev: false,
    })
    expect(tampered?.visitor.status).toBe('invalid')
    expect(tampered?.facts.prefs).toEqual({})
  })

  it('3. reads Sec-GPC and DNT once each, for consent and the facts alike', async () => {
    const read_ = vi.spyOn(Headers.prototype, 'get')
    try {
      const state = await read({
        request: request('/', { 'sec-gpc': '1', dnt: '1' }),
        site: liveSite(),
        keyring: undefined,
        now: NOW,
        dev: false,
      })
      expect(state?.facts.gpc).toBe(true)
      expect(state?.consent.privacySignal).toBe('gpc')
      const names = read_.mock.calls.map(([name]) => name.toLowerCase())
      expect(names.filter((n) => n === 'sec-gpc')).toHaveLength(1)
      expect(names.filter((n) => n === 'dnt')).toHaveLength(1)
    } finally {
      read_.mockRestore()
    }
  })

  it.each<[string, Record<string, string>, Record<string, unknown>, object]>([
    [
      'granted, no signal',
      {},
      { country: 'FR', isEUCountry: '1' },
      { answer: 'granted', privacySignal: undefined, use: true, record: true },
    ],
    [
      'granted, with GPC',
      { 'sec-gpc': '1' },
      { country: 'FR', isEUCountry: '1' },
      { answer: 'granted', privacySignal: 'gpc', use: true, record: false },
    ],
    [
      'granted, with DNT',
      { dnt: '1' },
      {},
      { answer: 'granted', privacySignal: 'dnt', use: true, record: false },
    ],
  ])(
    '3. consent and privacy signals, once, in the state: %s',
    async (_n, headers, cf, expected) => {
      const keys = await keyring()
      const cookie = await cookieFor(
        {
          consent: { signals: true, at: 1 },
          signals: { cycling: [3, Math.floor(NOW / 86_400_000)] },
        },
        keys
      )
      const state = await read({
        request: request('/', { cookie, ...headers }, cf),
        site: liveSite(),
        keyring: keys,
        now: NOW,
        dev: false,
      })
      expect(state?.consent).toMatchObject(expected)
      // Signals count in conditions because consent says they may be used.
      expect(state?.facts.signals).toEqual({ cycling: 3 })
      expect(chosen(state?.decisions ?? [])).toContain('hero=cycling')
    }
  )

  it('3. without consent, stored signals are not facts', async () => {
    const keys = await keyring()
    const cookie = await cookieFor(
      { signals: { cycling: [3, Math.floor(NOW / 86_400_000)] } },
      keys
    )
    const state = await read({
      request: request('/', { cookie }),
      site: liveSite(),
      keyring: keys,
      now: NOW,
      dev: false,
    })
    expect(state?.consent).toMatchObject({ answer: 'none', use: false, record: false })
    expect(state?.facts.signals).toEqual({})
  })

  it.each<[boolean, string]>([
    [true, 'greeting=default hero=default shipping=fr'],
    [false, 'greeting=default hero=default shipping=default'],
  ])('4. overrides: the simulator applies only in dev mode (dev: %s)', async (dev, expected) => {
    const state = await read({
      request: request('/?tailor-sim=country:FR'),
      site: liveSite(),
      keyring: undefined,
      now: NOW,
      dev,
    })
    expect(chosen(state?.decisions ?? [])).toBe(expected)
    expect(state?.simulation !== undefined).toBe(dev)
    expect(state?.explain).toBe(dev)
    expect(state?.preview).toBeUndefined()
  })

  it('5. decide: a paused visitor sees every slot as the page has it', async () => {
    const keys = await keyring()
    const cookie = await cookieFor({ prefs: { interests: ['cycling'] }, paused: true }, keys)
    const state = await read({
      request: request('/', { cookie, 'accept-language': 'fr' }),
      site: liveSite(),
      keyring: keys,
      now: NOW,
      dev: false,
    })
    expect(chosen(state?.decisions ?? [])).toBe('greeting=default hero=default shipping=default')
    expect(state?.consent.record).toBe(false)
  })

  it('keeps the live config and the host site it was given', async () => {
    const site = compiled({ ...CONFIG, locales: ['en'] })
    const live = liveSite(site)
    const state = await read({
      request: request('/'),
      site: live,
      keyring: undefined,
      now: NOW,
      dev: false,
    })
    expect(state?.compiled).toBe(site)
    expect(state?.config).toBe(live.live)
  })
})
