// Validation of what a visitor chooses against the config's preference vocabulary.
import type { PreferenceValue } from '../context'
import type { ConfigIssue } from './issues'
import type { Config } from './schema'

export type Vocabulary = Config['preferences']
export type Preferences = Record<string, PreferenceValue>

// C0/C1 controls and the bidirectional overrides/isolates (Unicode TR9): a display name must not
// be able to reorder the text around it.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN_CHARS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/

const show = (value: unknown): string => {
  const json = JSON.stringify(value)
  if (json === undefined) {
    return String(value)
  }
  return json.length > 60 ? `${json.slice(0, 57)}...` : json
}

const listOf = (ids: readonly string[]): string => ids.map((id) => `"${id}"`).join(', ')

/**
 * Check a visitor's preferences. Strict: any unknown name or bad value is an issue, nothing is
 * dropped silently. `null` or `""` for a preference means "clear it".
 * @example validatePreferences({ interests: ['cycling'] }, config.preferences)
 *   // { ok: true, value: { interests: ['cycling'] } }
 */
export function validatePreferences(
  input: unknown,
  vocabulary: Vocabulary
): { ok: true; value: Preferences } | { ok: false; issues: ConfigIssue[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, issues: [{ path: '', message: `Expected an object. Got ${show(input)}.` }] }
  }
  const issues: ConfigIssue[] = []
  const value: Preferences = {}
  const names = Object.keys(vocabulary)
  for (const [name, raw] of Object.entries(input)) {
    const spec = Object.hasOwn(vocabulary, name) ? vocabulary[name] : undefined
    if (!spec) {
      issues.push({
        path: name,
        message: names.length
          ? `Unknown preference "${name}". Expected one of: ${names.join(', ')}.`
          : `Unknown preference "${name}". This site declares no preferences.`,
      })
      continue
    }
    if (raw === null || raw === '') {
      continue
    }
    const checked = checkValue(spec, raw)
    if (typeof checked === 'string') {
      issues.push({ path: name, message: checked })
    } else if (checked !== undefined) {
      value[name] = checked.value
    }
  }
  return issues.length ? { ok: false, issues } : { ok: true, value }
}

/**
 * Keep what is still valid under the current vocabulary (a stored cookie may predate a config
 * change): unknown names and values no longer offered are dropped, never trusted.
 */
export function sanitizePreferences(stored: unknown, vocabulary: Vocabulary): Preferences {
  const out: Preferences = {}
  if (typeof stored !== 'object' || stored === null) {
    return out
  }
  for (const [name, raw] of Object.entries(stored)) {
    const spec = Object.hasOwn(vocabulary, name) ? vocabulary[name] : undefined
    if (!spec) {
      continue
    }
    let candidate: unknown = raw
    if (spec.type === 'set' && Array.isArray(raw)) {
      // An option removed from the config leaves the others chosen.
      candidate = raw.filter((id) => typeof id === 'string' && Object.hasOwn(spec.options, id))
      if (spec.max !== undefined) {
        candidate = (candidate as string[]).slice(0, spec.max)
      }
    }
    const checked = checkValue(spec, candidate)
    if (typeof checked === 'object') {
      out[name] = checked.value
    }
  }
  return out
}

function checkValue(
  spec: Vocabulary[string],
  raw: unknown
): { value: PreferenceValue } | string | undefined {
  switch (spec.type) {
    case 'set': {
      if (!Array.isArray(raw)) {
        return `Expected an array of option ids. Got ${show(raw)}.`
      }
      const ids = Object.keys(spec.options)
      const seen = new Set<string>()
      for (const id of raw) {
        if (typeof id !== 'string' || !Object.hasOwn(spec.options, id)) {
          return `Expected options from ${listOf(ids)}. Got ${show(id)}.`
        }
        seen.add(id)
      }
      const max = spec.max ?? ids.length
      if (seen.size > max) {
        return `Expected at most ${max} options. Got ${seen.size}.`
      }
      // Keep the config's order so the cookie does not depend on the order of the request.
      return seen.size ? { value: ids.filter((id) => seen.has(id)) } : undefined
    }
    case 'choice': {
      if (typeof raw !== 'string' || !Object.hasOwn(spec.options, raw)) {
        return `Expected one of ${listOf(Object.keys(spec.options))}. Got ${show(raw)}.`
      }
      return { value: raw }
    }
    case 'text': {
      if (typeof raw !== 'string') {
        return `Expected text. Got ${show(raw)}.`
      }
      const text = raw.trim()
      if ([...text].length > spec.maxLength) {
        return `Expected at most ${spec.maxLength} characters. Got ${[...text].length}.`
      }
      if (FORBIDDEN_CHARS.test(text)) {
        return 'Expected text without control or bidirectional-override characters.'
      }
      return text ? { value: text } : undefined
    }
    case 'boolean': {
      if (typeof raw !== 'boolean') {
        return `Expected true or false. Got ${show(raw)}.`
      }
      return { value: raw }
    }
  }
}
