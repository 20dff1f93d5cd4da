// applyAction, called directly with values (config, keys, clock): each action's cookie and refusals.
import { describe, expect, it } from 'vitest'
import type { CompiledConfig } from '../config'
import { compileConfig } from '../config'
import type { KeyringResult, VisitorState } from '../visitor'
import { loadKeyring, readVisitor, writeVisitor } from '../visitor'
import type { CentreAction } from './actions'
import { applyAction } from './actions'

const NOW = Date.UTC(2026, 0, 1, 12)

function site(): CompiledConfig {
  const result = compileConfig({
    version: 1,
    locales: ['en'],
    preferences: {
      interests: { type: 'set', label: 'Interests', options: { cycling: 'Cycling' } },
    },
    slots: {},
  })
  if (!result.ok) {
    throw new Error(JSON.stringify(result.issues))
  }
  return result.compiled
}

const SITE = site()
const KEYS: KeyringResult = await loadKeyring('k1:actions-test-secret-0123456789')
const NO_KEYS: KeyringResult = { ok: false, message: 'TAILOR_SECRET is not set.' }

const STORED: VisitorState = {
  prefs: { interests: ['cycling'] },
  created: 100,
  consent: { signals: true, at: 200 },
  signals: { cycling: [2, 20_000] },
}

async function requestWith(state: VisitorState | undefined): Promise<Request> {
  if (!state || !KEYS.ok) {
    return new Request('https://shop.example/_tailor/')
  }
  const set = await writeVisitor(state, {
    name: '__Host-tailor',
    keyring: KEYS.keyring,
    now: NOW,
    maxAgeDays: 30,
  })
  return new Request('https://shop.example/_tailor/', {
    headers: { cookie: set.slice(0, set.indexOf(';')) },
  })
}

async function stored(setCookie: string): Promise<VisitorState | undefined> {
  if (!KEYS.ok) {
    return undefined
  }
  const read = await readVisitor(setCookie.slice(0, setCookie.indexOf(';')), {
    name: '__Host-tailor',
    keyring: KEYS.keyring,
    now: NOW,
  })
  return read.status === 'valid' ? read.visitor : undefined
}

describe('applyAction', () => {
  it.each<[string, CentreAction, VisitorState]>([
    [
      'preferences: replaced, consent and signals kept',
      { type: 'preferences', input: {} },
      { ...STORED, prefs: {} },
    ],
    ['pause', { type: 'pause', paused: true }, { ...STORED, paused: true }],
    ['resume', { type: 'pause', paused: false }, STORED],
    [
      'withdraw consent: the signals go at once',
      { type: 'consent', signals: false },
      { prefs: STORED.prefs, created: 100, consent: { signals: false, at: NOW / 1000 } },
    ],
    [
      'clear signals: the answer about consent stays',
      { type: 'clear-signals' },
      { prefs: STORED.prefs, created: 100, consent: { signals: true, at: 200 } },
    ],
  ])('%s', async (_name, action, expected) => {
    const request = await requestWith(STORED)
    const result = await applyAction({ request, site: SITE, keyring: KEYS, now: NOW }, action)
    expect(result.ok).toBe(true)
    if (result.ok) {
      expect(result.visitor).toEqual(expected)
      expect(await stored(result.setCookie)).toEqual(expected)
    }
  })

  it('a first action starts afresh, created at the injected time', async () => {
    const request = await requestWith(undefined)
    const result = await applyAction(
      { request, site: SITE, keyring: KEYS, now: NOW },
      { type: 'pause', paused: true }
    )
    expect(result).toMatchObject({
      ok: true,
      visitor: { prefs: {}, created: NOW / 1000, paused: true },
    })
  })

  it.each<[string, CompiledConfig | undefined, KeyringResult]>([
    ['with a config and keys', SITE, KEYS],
    ['without a config', undefined, KEYS],
    ['without keys', SITE, NO_KEYS],
  ])('erase expires the cookie %s', async (_name, config, keyring) => {
    const result = await applyAction(
      { request: await requestWith(STORED), site: config, keyring, now: NOW },
      { type: 'erase' }
    )
    expect(result).toEqual({
      ok: true,
      setCookie: '__Host-tailor=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax',
      visitor: undefined,
    })
  })

  it.each<[string, CompiledConfig | undefined, KeyringResult, CentreAction, number, string]>([
    [
      'no config',
      undefined,
      KEYS,
      { type: 'pause', paused: true },
      503,
      'Tailor is not configured (see /_tailor/health).',
    ],
    [
      'no keys',
      SITE,
      NO_KEYS,
      { type: 'pause', paused: true },
      503,
      'Nothing can be saved: this site has no valid signing key.',
    ],
    [
      'invalid preferences',
      SITE,
      KEYS,
      { type: 'preferences', input: { interests: ['golf'] } },
      400,
      'Invalid preferences.',
    ],
  ])('refuses: %s', async (_name, config, keyring, action, status, error) => {
    const result = await applyAction(
      { request: await requestWith(undefined), site: config, keyring, now: NOW },
      action
    )
    expect(result).toMatchObject({ ok: false, status, error })
  })
})
