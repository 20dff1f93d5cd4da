// A config with every visitor-control feature (signals, consent, the why-link), and cookies for it.
import { loadKeyring, writeVisitor } from '../../src/visitor'
import type { VisitorState } from '../../src/visitor'
import { ENV, TEST_CONFIG, TEST_PAGE } from './origin'

/** TEST_CONFIG plus a language choice, reading signals, consent settings and the why-link. */
export const CENTRE_CONFIG = {
  ...TEST_CONFIG,
  preferences: {
    ...TEST_CONFIG.preferences,
    language: { type: 'choice', label: 'Language', options: { en: 'English', fr: 'Français' } },
  },
  slots: {
    ...TEST_CONFIG.slots,
    reading: {
      selector: '#reading',
      label: 'Reading suggestions',
      variants: [
        {
          id: 'cycling',
          label: 'More cycling',
          when: { 'signals.cycling': { $gte: 2 } },
          action: { type: 'text', text: 'Because you read about cycling' },
        },
      ],
    },
    why: { selector: '#why', variants: [{ id: 'link', action: { type: 'why' } }] },
  },
  signals: {
    rules: [
      { path: '/cycling/', interest: 'cycling' },
      { path: '/running/', interest: 'running', score: 2 },
      { path: '/shop/*/bikes', interest: 'cycling' },
    ],
    halfLifeDays: 7,
    max: 8,
  },
  consent: { signals: 'opt-in', explicitIn: ['CH'] },
  brand: { name: 'Test Shop', logo: '/logo.svg' },
  // Every test sees the origin it mocked, never a copy cached by an earlier test.
  cache: { enabled: false },
} as const

/** TEST_PAGE with the reading block and the why-link placeholder. */
export const CENTRE_PAGE = TEST_PAGE.replace(
  '</body>',
  '<p id="reading">Popular stories</p>\n<p id="why"></p>\n</body>'
)

/** Where a request comes from, as `request.cf` says it. */
export const US = { country: 'US', isEUCountry: '0', timezone: 'America/Chicago' }
export const FR = { country: 'FR', isEUCountry: '1', timezone: 'Europe/Paris' }
export const CH = { country: 'CH', timezone: 'Europe/Zurich' }

/**
 * The `name=value` a browser sends back for a whole visitor state, signed with the test keys.
 * @example await stateCookie({ prefs: {}, created: 1, consent: { signals: true, at: 1 } })
 */
export async function stateCookie(
  state: Partial<VisitorState> = {},
  opts: { now?: number } = {}
): Promise<string> {
  const loaded = await loadKeyring(ENV.TAILOR_SECRET)
  if (!loaded.ok) {
    throw new Error(loaded.message)
  }
  const now = opts.now ?? Date.now()
  const setCookie = await writeVisitor(
    { prefs: {}, created: Math.floor(now / 1000) - 86_400, ...state },
    { name: '__Host-tailor', keyring: loaded.keyring, now, maxAgeDays: 30 }
  )
  return setCookie.slice(0, setCookie.indexOf(';'))
}

/** The state inside a Set-Cookie value (read back with the test keys), or undefined. */
export async function stateOf(setCookie: string | null): Promise<VisitorState | undefined> {
  if (!setCookie) {
    return undefined
  }
  const { readVisitor } = await import('../../src/visitor')
  const loaded = await loadKeyring(ENV.TAILOR_SECRET)
  if (!loaded.ok) {
    throw new Error(loaded.message)
  }
  const read = await readVisitor(setCookie.slice(0, setCookie.indexOf(';')), {
    name: '__Host-tailor',
    keyring: loaded.keyring,
    now: Date.now(),
  })
  return read.status === 'valid' ? read.visitor : undefined
}

/** Same-origin browser headers for a form post from the centre. */
export const SAME_ORIGIN = { origin: 'https://shop.example', 'sec-fetch-site': 'same-origin' }
