// Fixtures for the personalise tests only (not exported from index): a config, keys, cookies.
import type { CompiledConfig } from '../config'
import { compileConfig } from '../config'
import type { Keyring, VisitorState } from '../visitor'
import { loadKeyring, writeVisitor } from '../visitor'
import type { LiveSite } from './state'

/** 2026-01-01T12:00:00Z, the clock of every test here. */
export const NOW = Date.UTC(2026, 0, 1, 12)

/** A small config: language, preferences, country, reading signals (opt-in). */
export const CONFIG = {
  version: 1,
  locales: ['en', 'fr'],
  preferences: {
    interests: { type: 'set', label: 'Interests', options: { cycling: 'Cycling' } },
  },
  slots: {
    greeting: {
      selector: '#greeting',
      variants: [{ id: 'fr', when: { language: 'fr' }, action: { type: 'text', text: 'Bonjour' } }],
    },
    hero: {
      selector: '#hero',
      variants: [
        {
          id: 'cycling',
          when: { $or: [{ 'prefs.interests': 'cycling' }, { 'signals.cycling': { $gte: 1 } }] },
          action: { type: 'html', html: '<b>Bikes</b>' },
        },
      ],
    },
    shipping: {
      selector: '#shipping',
      variants: [
        { id: 'fr', when: { country: 'FR' }, action: { type: 'text', text: 'Livraison' } },
      ],
    },
  },
  signals: { rules: [{ path: '/cycling/', interest: 'cycling' }] },
  consent: { signals: 'opt-in' },
}

/** The compiled CONFIG (throws when the fixture itself is invalid). */
export function compiled(config: unknown = CONFIG): CompiledConfig {
  const result = compileConfig(config)
  if (!result.ok) {
    throw new Error(JSON.stringify(result.issues))
  }
  return result.compiled
}

/** The live site of a compiled config, as `runtime.liveSite` gives it. */
export function liveSite(site: CompiledConfig | undefined = compiled()): LiveSite {
  return {
    live: { compiled: site, issues: [], source: 'bundled', revision: 'test', checkedAt: undefined },
    site,
  }
}

/** The test keyring. */
export async function keyring(): Promise<Keyring> {
  const loaded = await loadKeyring('k1:personalise-test-secret-0123456789')
  if (!loaded.ok) {
    throw new Error(loaded.message)
  }
  return loaded.keyring
}

/** The `name=value` pair of a visitor cookie holding `state`, signed at NOW. */
export async function cookieFor(state: Partial<VisitorState>, keys: Keyring): Promise<string> {
  const setCookie = await writeVisitor(
    { prefs: {}, created: Math.floor(NOW / 1000) - 3600, ...state },
    { name: '__Host-tailor', keyring: keys, now: NOW, maxAgeDays: 30 }
  )
  return setCookie.slice(0, setCookie.indexOf(';'))
}

/** A GET for `path` with these headers and `request.cf`. */
export function request(
  path: string,
  headers: Record<string, string> = {},
  cf: Record<string, unknown> = {}
): Request {
  return new Request(`https://shop.example${path}`, { headers, cf } as RequestInit)
}
