import { describe, expect, it } from 'vitest'
import type { Vocabulary } from './preferences'
import { sanitizePreferences, validatePreferences } from './preferences'

const VOCABULARY: Vocabulary = {
  interests: {
    type: 'set',
    label: 'Interests',
    options: { cycling: 'Cycling', running: 'Running', hiking: 'Hiking' },
    max: 2,
  },
  language: { type: 'choice', label: 'Language', options: { en: 'English', fr: 'Français' } },
  name: { type: 'text', label: 'Display name', maxLength: 10 },
  newsletter: { type: 'boolean', label: 'Newsletter' },
}

describe('validatePreferences', () => {
  it.each<[string, unknown, Record<string, unknown>]>([
    ['empty', {}, {}],
    [
      'every kind',
      { interests: ['hiking', 'cycling'], language: 'fr', name: ' Ana ', newsletter: false },
      // Sets keep the config's order; text is trimmed.
      { interests: ['cycling', 'hiking'], language: 'fr', name: 'Ana', newsletter: false },
    ],
    ['null and empty clear', { interests: null, name: '', language: null }, {}],
    ['empty set clears', { interests: [] }, {}],
    ['duplicates count once', { interests: ['cycling', 'cycling'] }, { interests: ['cycling'] }],
    ['unicode name within limit', { name: 'Zoë 🚲 Åsa' }, { name: 'Zoë 🚲 Åsa' }],
    [
      'hostile markup is kept as text (escaped on output)',
      { name: '<b>"x"</b>' },
      { name: '<b>"x"</b>' },
    ],
  ])('accepts %s', (_name, input, expected) => {
    expect(validatePreferences(input, VOCABULARY)).toEqual({ ok: true, value: expected })
  })

  it.each<[string, unknown, { path: string; message: string }[]]>([
    ['an array body', [], [{ path: '', message: 'Expected an object. Got [].' }]],
    ['a string body', 'x', [{ path: '', message: 'Expected an object. Got "x".' }]],
    [
      'an unknown name',
      { color: 'red' },
      [
        {
          path: 'color',
          message:
            'Unknown preference "color". Expected one of: interests, language, name, newsletter.',
        },
      ],
    ],
    [
      'a prototype key',
      JSON.parse('{"__proto__": {"x": 1}}'),
      [
        {
          path: '__proto__',
          message:
            'Unknown preference "__proto__". Expected one of: interests, language, name, newsletter.',
        },
      ],
    ],
    [
      'an unknown option',
      { interests: ['cycling', 'golf'] },
      [
        {
          path: 'interests',
          message: 'Expected options from "cycling", "running", "hiking". Got "golf".',
        },
      ],
    ],
    [
      'too many options',
      { interests: ['cycling', 'running', 'hiking'] },
      [{ path: 'interests', message: 'Expected at most 2 options. Got 3.' }],
    ],
    [
      'a set given as a string',
      { interests: 'cycling' },
      [{ path: 'interests', message: 'Expected an array of option ids. Got "cycling".' }],
    ],
    [
      'a choice not offered',
      { language: 'de' },
      [{ path: 'language', message: 'Expected one of "en", "fr". Got "de".' }],
    ],
    [
      'a long name',
      { name: 'x'.repeat(11) },
      [{ path: 'name', message: 'Expected at most 10 characters. Got 11.' }],
    ],
    ['a number for text', { name: 5 }, [{ path: 'name', message: 'Expected text. Got 5.' }]],
    [
      'a bidi override',
      { name: 'abc\u202Efed' },
      [
        {
          path: 'name',
          message: 'Expected text without control or bidirectional-override characters.',
        },
      ],
    ],
    [
      'a control character',
      { name: 'a\u0000b' },
      [
        {
          path: 'name',
          message: 'Expected text without control or bidirectional-override characters.',
        },
      ],
    ],
    [
      'a string for a boolean',
      { newsletter: 'yes' },
      [{ path: 'newsletter', message: 'Expected true or false. Got "yes".' }],
    ],
    [
      'several at once',
      { language: 'xx', name: 1 },
      [
        { path: 'language', message: 'Expected one of "en", "fr". Got "xx".' },
        { path: 'name', message: 'Expected text. Got 1.' },
      ],
    ],
  ])('refuses %s', (_name, input, issues) => {
    expect(validatePreferences(input, VOCABULARY)).toEqual({ ok: false, issues })
  })

  it('shortens a huge value in the message', () => {
    const result = validatePreferences({ language: 'x'.repeat(10_000) }, VOCABULARY)
    expect(result.ok).toBe(false)
    expect(!result.ok && result.issues[0]?.message.length).toBeLessThan(120)
  })
})

describe('sanitizePreferences', () => {
  it('keeps what is still valid after the vocabulary changed', () => {
    expect(
      sanitizePreferences(
        {
          interests: ['golf', 'running', 'cycling', 'hiking'],
          language: 'de',
          name: 'Ana',
          gone: 1,
        },
        VOCABULARY
      )
    ).toEqual({ interests: ['cycling', 'running'], name: 'Ana' })
  })

  it.each([null, 'x', 5, []])('returns nothing for %j', (stored) => {
    expect(sanitizePreferences(stored, VOCABULARY)).toEqual({})
  })
})
