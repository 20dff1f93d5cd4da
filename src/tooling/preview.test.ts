// parsePreviewRequest, called directly: valid and invalid bodies, with the exact messages.
import { describe, expect, it } from 'vitest'
import type { CompiledConfig } from '../config'
import { compileConfig } from '../config'
import { parsePreviewRequest } from './preview'

function site(): CompiledConfig {
  const result = compileConfig({
    version: 1,
    locales: ['en', 'fr'],
    preferences: {
      interests: { type: 'set', label: 'Interests', options: { cycling: 'Cycling' } },
    },
    slots: {
      hero: {
        selector: '#hero',
        variants: [{ id: 'cycling', action: { type: 'text', text: 'Bikes' } }],
      },
    },
  })
  if (!result.ok) {
    throw new Error(JSON.stringify(result.issues))
  }
  return result.compiled
}

const SITE = site()

describe('parsePreviewRequest', () => {
  it.each<[string, unknown, object, number]>([
    ['an empty body', {}, { context: {}, prefs: {}, variants: {}, path: '/' }, 30],
    [
      'everything',
      {
        context: { country: 'FR' },
        preferences: { interests: ['cycling'] },
        variants: { hero: 'default' },
        minutes: 15,
        path: '/cycling/?a=1',
      },
      {
        context: { country: 'FR' },
        prefs: { interests: ['cycling'] },
        variants: { hero: 'default' },
        path: '/cycling/?a=1',
      },
      15,
    ],
  ])('valid: %s', (_name, body, data, minutes) => {
    expect(parsePreviewRequest(body, SITE)).toEqual({ ok: true, data, minutes })
  })

  it.each<[string, unknown, { path: string; message: string }[]]>([
    ['not an object', [], [{ path: '', message: 'Expected a JSON object.' }]],
    [
      'an unknown field',
      { colour: 'red' },
      [
        {
          path: 'colour',
          message: 'Unknown field. Expected context, preferences, variants, minutes or path.',
        },
      ],
    ],
    [
      'context not an object',
      { context: 'FR' },
      [{ path: 'context', message: 'Expected an object of context fields.' }],
    ],
    [
      'an unknown slot',
      { variants: { nope: 'x' } },
      [{ path: 'variants.nope', message: 'Unknown slot. Expected one of: hero.' }],
    ],
    [
      'an unknown variant',
      { variants: { hero: 'x' } },
      [{ path: 'variants.hero', message: 'Expected one of "default", "cycling". Got "x".' }],
    ],
    [
      'too many minutes',
      { minutes: 1441 },
      [
        {
          path: 'minutes',
          message: 'Expected a whole number of minutes from 1 to 1440. Got 1441.',
        },
      ],
    ],
    [
      'another site',
      { path: '//evil.example/' },
      [
        {
          path: 'path',
          message: 'Expected a path on this site starting with "/". Got "//evil.example/".',
        },
      ],
    ],
  ])('invalid: %s', (_name, body, issues) => {
    expect(parsePreviewRequest(body, SITE)).toEqual({ ok: false, issues })
  })
})
