// Test fixtures for the rules module: a compile environment and facts to start from.
import type { Facts, FieldSpec } from '../context/fields'
import { CONTEXT_FIELDS } from '../context/fields'
import type { CompileEnv, CompiledCondition } from './types'

/** The context catalogue plus a few preferences, as a site's config would declare them. */
export const TEST_FIELDS: Readonly<Record<string, FieldSpec>> = {
  ...CONTEXT_FIELDS,
  'prefs.interests': {
    type: 'string',
    list: true,
    values: ['cycling', 'running', 'hiking'],
    labels: { cycling: 'Cycling', running: 'Running', hiking: 'Hiking' },
    noun: 'your interests',
  },
  'prefs.language': {
    type: 'string',
    values: ['en', 'fr'],
    labels: { en: 'English', fr: 'French' },
    noun: 'your language',
  },
  'prefs.newsletter': {
    type: 'boolean',
    noun: 'your newsletter',
    says: { true: 'you chose Newsletter', false: 'you did not choose Newsletter' },
  },
  'prefs.name': { type: 'string', noun: 'your display name' },
}

const NAMES = Object.keys(TEST_FIELDS)

/**
 * A compile environment over TEST_FIELDS.
 * @example compileCondition({ country: 'FR' }, testEnv())
 */
export function testEnv(segments: Record<string, CompiledCondition> = {}): CompileEnv {
  return {
    field: (path) => (Object.hasOwn(TEST_FIELDS, path) ? TEST_FIELDS[path] : undefined),
    fieldNames: () => NAMES,
    segments,
  }
}

/**
 * Facts for a visitor nobody knows anything about, with `over` on top.
 * @example makeFacts({ country: 'FR', prefs: { interests: ['cycling'] } })
 */
export function makeFacts(over: Partial<Facts> = {}): Facts {
  return { utm: {}, path: '/', returning: false, gpc: false, prefs: {}, ...over }
}
