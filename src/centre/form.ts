// What the centre's forms send: redirect targets kept on this site, preferences from form fields.
import type { Vocabulary } from '../config'
import { safeLocalPath } from '../context'

/** The preference centre's own page. */
export const CENTRE_PATH = '/_tailor/'

/**
 * Where a form goes back to: a same-origin path (see safeLocalPath), else the centre itself.
 * @example returnTo('/cycling/') // '/cycling/'
 * @example returnTo('//evil.example') // '/_tailor/'
 */
export function returnTo(value: unknown): string {
  return safeLocalPath(value) ?? CENTRE_PATH
}

/**
 * A page of this site to explain ("why this page looks as it does"): a same-origin path outside
 * /_tailor, or undefined.
 * @example pageToExplain('/cycling/?utm_campaign=spring') // '/cycling/?utm_campaign=spring'
 * @example pageToExplain('/_tailor/') // undefined
 */
export function pageToExplain(value: unknown): string | undefined {
  const path = safeLocalPath(value)
  if (!path) {
    return undefined
  }
  const pathname = path.replace(/[?#].*$/, '')
  if (pathname === '/_tailor' || pathname.startsWith('/_tailor/')) {
    return undefined
  }
  return path.replace(/#.*$/, '')
}

/** What a form action did, for the short message on the page it returns to. */
export const FLASHES = {
  saved: 'Your preferences are saved.',
  paused: 'Personalisation is paused. Every page shows its usual content.',
  resumed: 'Personalisation is on again.',
  'consent-granted': 'Thank you. Reading signals are on.',
  'consent-withdrawn': 'Reading signals are off, and any we had are erased.',
  'signals-cleared': 'Your reading signals are erased.',
  // Visitor-facing words name the site ({site}: its brand name), never the vendor.
  erased: 'Everything is erased. Your browser holds no personalisation cookie from {site} now.',
} as const

export type Flash = keyof typeof FLASHES

/** A flash key from a query value, or undefined: only the fixed keys are ever shown. */
export function flashOf(value: unknown): Flash | undefined {
  return typeof value === 'string' && Object.hasOwn(FLASHES, value) ? (value as Flash) : undefined
}

/**
 * Where to send the visitor after an action: `returnTo`, with `done=<flash>` added when it is the
 * centre (so the centre can say what happened); other pages of the site are left as they are.
 * @example afterAction('/_tailor/?from=%2F', 'saved') // '/_tailor/?from=%2F&done=saved'
 */
export function afterAction(target: string, flash: Flash): string {
  const url = new URL(target, 'https://tailor.invalid')
  if (url.pathname !== CENTRE_PATH) {
    return target
  }
  url.searchParams.set('done', flash)
  return `${url.pathname}${url.search}${url.hash}`
}

/**
 * The preference object a form submits: every declared preference is present (the form replaces
 * them all), as `validatePreferences` expects. Checkboxes: the checked values (`[]` clears); a
 * select or text field: its value (`""` clears); a boolean: "true", "false" or "" (not set).
 * Fields the vocabulary does not declare (`return_to`) are ignored.
 * @example preferencesFromForm(new URLSearchParams('interests=cycling&name=Ana'), vocabulary)
 * // { interests: ['cycling'], name: 'Ana', language: null }
 */
export function preferencesFromForm(
  form: URLSearchParams,
  vocabulary: Vocabulary
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, spec] of Object.entries(vocabulary)) {
    let value: unknown
    switch (spec.type) {
      case 'set': {
        const chosen = form.getAll(name)
        value = chosen.length ? [...new Set(chosen)] : null
        break
      }
      case 'boolean': {
        const raw = form.get(name)
        value = raw === 'true' ? true : raw === 'false' ? false : raw ? raw : null
        break
      }
      default:
        value = form.get(name) ?? null
    }
    Object.defineProperty(out, name, { value, enumerable: true, writable: true })
  }
  return out
}
