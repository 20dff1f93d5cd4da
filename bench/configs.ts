// Generated Tailor configs of 1, 10 or 50 slots, and the edits every variant must make, identically.
import { loadKeyring, writeVisitor } from '../src/visitor'

/** The visitor the cookie cases sign: a cyclist who gave a name. */
export const BENCH_PREFS = { interests: ['cycling'], name: 'Ana' }

/** What each slot holds for that visitor, once rendered (the bare rewriter and DOM peer write it as is). */
export const EDIT_HTML = '<h2>Rides for Ana</h2><p>Picked for cyclists, near you.</p>'

/** A marker of EDIT_HTML, counted in responses to check every slot was rewritten. */
export const EDIT_MARKER = 'Rides for Ana'

/** The text a French visitor without a cookie gets in each slot. */
export const FRENCH_TEXT = 'Bonjour, voici nos sorties'

/** The selector of slot `i`, the same in every variant. */
export function slotSelector(i: number): string {
  return `[data-tailor="slot-${i}"]`
}

/**
 * A config with `slots` slots, each with three variants tried in order (a named cyclist: HTML with
 * the name interpolated; a French reader: text; a phone: a class), so deciding a slot evaluates
 * up to three conditions. A visitor who is none of these gets no edit at all.
 * Without `cache` the config has no cache field: the default (on where the origin allows).
 * @example benchConfig(10).slots["slot-9"] // { selector: "[data-tailor=\"slot-9\"]", … }
 */
export function benchConfig(slots: number, cache?: { enabled: boolean }) {
  const out: Record<string, unknown> = {}
  for (let i = 0; i < slots; i++) {
    out[`slot-${i}`] = {
      selector: slotSelector(i),
      variants: [
        {
          id: 'named-cyclist',
          when: { $and: [{ $segment: 'cyclist' }, { 'prefs.name': { $exists: true } }] },
          action: {
            type: 'html',
            html: '<h2>Rides for {{prefs.name}}</h2><p>Picked for cyclists, near you.</p>',
          },
        },
        { id: 'french', when: { language: 'fr' }, action: { type: 'text', text: FRENCH_TEXT } },
        {
          id: 'phone',
          when: { device: 'mobile' },
          action: { type: 'attributes', addClass: ['compact'] },
        },
      ],
    }
  }
  return {
    version: 1,
    locales: ['en', 'fr'],
    preferences: {
      interests: {
        type: 'set',
        label: 'Interests',
        options: { cycling: 'Cycling', running: 'Running', hiking: 'Hiking' },
      },
      name: { type: 'text', label: 'Display name', maxLength: 40 },
    },
    segments: { cyclist: { 'prefs.interests': 'cycling' } },
    slots: out,
    ...(cache ? { cache } : {}),
  }
}

/** Request headers of a desktop browser in English: matches no variant unless a cookie says so. */
export const DESKTOP_EN = {
  'accept-language': 'en-GB,en;q=0.9',
  'user-agent':
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36',
  accept: 'text/html,application/xhtml+xml',
}

/** The same browser reading French: every slot gets FRENCH_TEXT. */
export const DESKTOP_FR = { ...DESKTOP_EN, 'accept-language': 'fr-FR,fr;q=0.9' }

/** The signing secret the benchmark's Tailor workers use (a test key, never a real one). */
export const BENCH_SECRET = 'b1:bench-only-secret-0123456789abcdef'

/**
 * The 10-slot config plus 2 running experiments (slots 0 and 1): a visitor-unit test of the named
 * cyclist's variant against the origin's block, and a page-view test of the phone variant against
 * the rules, each with a click goal. What `npm run bench` compares with the same page without.
 * @example betConfig().experiments.length // 2
 */
export function betConfig() {
  const goals = [{ id: 'click', type: 'click', primary: true }]
  return {
    ...benchConfig(10),
    experiments: [
      {
        id: 'bench-visitor',
        label: 'Named cyclist block',
        slot: 'slot-0',
        status: 'running',
        unit: 'visitor',
        arms: [
          { id: 'named', weight: 1, variant: 'named-cyclist' },
          { id: 'origin', weight: 1, default: true },
        ],
        goals,
      },
      {
        id: 'bench-pageview',
        label: 'Second block',
        slot: 'slot-1',
        status: 'running',
        unit: 'pageview',
        arms: [
          { id: 'rules', weight: 1, rules: true },
          { id: 'named', weight: 1, variant: 'named-cyclist' },
        ],
        goals,
      },
    ],
  }
}

/** The selector of slot `i` on the outside harness's page (issue 9): `data-slot`, not `data-tailor`. */
export function harnessSelector(i: number): string {
  return `[data-slot="slot-${i}"]`
}

/**
 * The outside harness's config (issue 9): `slots` slots of `[data-slot="…"]`, each with one `html`
 * variant (EDIT_HTML) for `language: "fr"`. An English reader gets no edit at all.
 * @example harnessConfig(10).slots["slot-0"].variants[0].when // { language: 'fr' }
 */
export function harnessConfig(slots: number) {
  const out: Record<string, unknown> = {}
  for (let i = 0; i < slots; i++) {
    out[`slot-${i}`] = {
      selector: harnessSelector(i),
      variants: [{ id: 'fr', when: { language: 'fr' }, action: { type: 'html', html: EDIT_HTML } }],
    }
  }
  return { version: 1, locales: ['en', 'fr'], slots: out }
}

/** The outside harness's two visitors: only `Accept-Language`, nothing else. */
export const HARNESS_EN = { 'accept-language': 'en' }
export const HARNESS_FR = { 'accept-language': 'fr' }

/** The benchmark visitor's signed cookie (`name=value`), issued a day ago, under BENCH_SECRET. */
export async function benchCookie(): Promise<string> {
  const loaded = await loadKeyring(BENCH_SECRET)
  if (!loaded.ok) {
    throw new Error(loaded.message)
  }
  const now = Date.now()
  const header = await writeVisitor(
    { prefs: BENCH_PREFS, created: Math.floor(now / 1000) - 86_400 },
    { name: '__Host-tailor', keyring: loaded.keyring, now, maxAgeDays: 30 }
  )
  return header.slice(0, header.indexOf(';'))
}
