import { describe, expect, it } from 'vitest'
import demoConfig from '../../tailor.config.json'
import { compileConfig } from './compile'
import { formatIssues } from './issues'

const base = { version: 1, locales: ['en'], slots: {} }
const slot = (variants: unknown[], selector = 'p') => ({
  ...base,
  slots: { hero: { selector, variants } },
})
const remove = { type: 'remove' }

function messages(input: unknown): string[] {
  const result = compileConfig(input)
  return result.ok ? [] : formatIssues(result.issues)
}

describe('compileConfig: valid', () => {
  it('compiles the demo config', () => {
    expect(messages(demoConfig)).toEqual([])
  })

  it('applies defaults in one place', () => {
    const result = compileConfig(base)
    expect(result.ok && result.compiled.config).toEqual({
      version: 1,
      demo: false,
      locales: ['en'],
      preferences: {},
      segments: {},
      slots: {},
      cookie: { name: '__Host-tailor', maxAgeDays: 180 },
      cache: { enabled: true },
      hosts: {},
      consent: { signals: 'opt-in', explicitIn: [], honourDnt: true, gpcJson: true },
      signals: { rules: [], labels: {}, halfLifeDays: 7, max: 8, cap: 20 },
      brand: { accent: '#2557a7', background: '#ffffff', text: '#1f2328' },
      experiments: [],
      report: { minCount: 10 },
    })
  })

  it('compiles every action and keeps variant order', () => {
    const result = compileConfig(
      slot([
        {
          id: 'a',
          when: { device: 'mobile' },
          action: { type: 'html', html: '<b>{{country|here}}</b>' },
        },
        { id: 'b', when: { language: 'en' }, action: { type: 'text', text: 'x' } },
        { id: 'c', action: { type: 'template', id: 'x' } },
        { id: 'd', action: { type: 'attributes', set: { title: '{{country}}' }, addClass: ['a'] } },
        { id: 'e', action: { type: 'hide' } },
        { id: 'f', action: remove },
      ])
    )
    expect(result.ok).toBe(true)
    const variants = result.ok ? result.compiled.slots[0]?.variants : []
    expect(variants?.map((v) => [v.id, v.action.type, v.always])).toEqual([
      ['a', 'html', false],
      ['b', 'text', false],
      ['c', 'template', true],
      ['d', 'attributes', true],
      ['e', 'hide', true],
      ['f', 'remove', true],
    ])
  })
})

describe('compileConfig: invalid, with messages that point at the field', () => {
  it.each<[string, unknown, string[]]>([
    ['nothing', undefined, ['config: Expected a JSON object. Got nothing.']],
    ['a future version', { ...base, version: 2 }, ['config: version: Expected 1. Got 2.']],
    [
      'no version',
      { locales: ['en'], slots: {} },
      ['config: version: Expected a value. Got nothing (the field is required).'],
    ],
    [
      'a bad locale',
      { ...base, locales: ['EN'] },
      ['config: locales[0]: Expected a language tag such as "en" or "pt-BR". Got "EN".'],
    ],
    [
      'no locales',
      { ...base, locales: [] },
      ['config: locales: Expected at least one locale. Got [].'],
    ],
    [
      'an unknown field',
      { ...base, colour: 'red' },
      ['config: colour: Unknown field "colour". Check its spelling against tailor.schema.json.'],
    ],
    [
      'a bad slot id',
      { ...base, slots: { '1bad': { selector: 'p', variants: [] } } },
      [
        'config: slots["1bad"]: Expected an id: a letter, then letters, digits, "-" or "_" (40 at most). Got "1bad".',
      ],
    ],
    [
      'a selector HTMLRewriter rejects',
      slot([], 'p['),
      [
        'config: slots.hero.selector: Expected a CSS selector HTMLRewriter supports. Got "p[" (Parser error: Unexpected end of selector.).',
      ],
    ],
    [
      'an empty selector',
      slot([], ''),
      ['config: slots.hero.selector: Expected a length of at least 1. Got "".'],
    ],
    [
      'an unknown action',
      slot([{ id: 'a', action: { type: 'blink' } }]),
      [
        'config: slots.hero.variants[0].action.type: Expected "html", "text", "template", "attributes", "remove", "hide", "why". Got "blink".',
      ],
    ],
    [
      'an action without its content',
      slot([{ id: 'a', action: { type: 'html' } }]),
      [
        'config: slots.hero.variants[0].action.html: Expected a value. Got nothing (the field is required).',
      ],
    ],
    [
      'UK is not an ISO country code',
      slot([{ id: 'a', when: { country: 'UK' }, action: remove }]),
      [
        'config: slots.hero.variants[0].when.country: Expected an ISO 3166-1 alpha-2 country code. Got "UK".',
      ],
    ],
    [
      'a misspelt field',
      slot([{ id: 'a', when: { contry: 'FR' }, action: remove }]),
      [
        'config: slots.hero.variants[0].when.contry: Unknown field "contry". Expected one of: country, region, city, continent, eu, timezone, localHour, daypart, weekday, weekend, device, language, referrer, utm.source, utm.medium, utm.campaign, path, returning, gpc.',
      ],
    ],
    [
      'a duplicated variant id',
      slot([
        { id: 'a', action: remove },
        { id: 'a', action: { type: 'hide' } },
      ]),
      [
        'config: slots.hero.variants[1].id: Expected a variant id unique in this slot. Got "a" twice.',
      ],
    ],
    [
      'an interpolation of an unknown field',
      {
        ...slot([{ id: 'a', action: { type: 'html', html: 'Hi {{prefs.nme}}' } }]),
        preferences: { name: { type: 'text', label: 'Name' } },
      },
      [
        'config: slots.hero.variants[0].action.html: Unknown field "prefs.nme" in {{prefs.nme}}. Expected one of: country, region, city, continent, eu, timezone, localHour, daypart, weekday, weekend, device, language, referrer, utm.source, utm.medium, utm.campaign, path, returning, gpc, prefs.name.',
      ],
    ],
    [
      "a visitor's value in a URL attribute",
      {
        ...slot([
          {
            id: 'a',
            action: {
              type: 'attributes',
              set: { href: '/u/{{prefs.name}}', title: '{{prefs.name}}' },
            },
          },
        ]),
        preferences: { name: { type: 'text', label: 'Name' } },
      },
      [
        'config: slots.hero.variants[0].action.set.href: Expected no {{…}} in "href": a visitor\'s value must not reach an event handler, style or URL attribute.',
      ],
    ],
    [
      'an event handler attribute with a value',
      slot([{ id: 'a', action: { type: 'attributes', set: { onclick: '{{country}}' } } }]),
      [
        'config: slots.hero.variants[0].action.set.onclick: Expected no {{…}} in "onclick": a visitor\'s value must not reach an event handler, style or URL attribute.',
      ],
    ],
    [
      'segments in a cycle and an unknown segment',
      {
        ...slot([{ id: 'a', when: { $segment: 'zzz' }, action: remove }]),
        segments: { a: { $segment: 'b' }, b: { $segment: 'a' } },
      },
      [
        'config: segments.a.$segment: Expected no cycle between segments. Got a → b → a.',
        'config: segments.b.$segment: Expected no cycle between segments. Got b → a → b.',
        'config: slots.hero.variants[0].when.$segment: Unknown segment "zzz". Expected one of: b, a.',
      ],
    ],
    [
      'a preference without options',
      { ...base, preferences: { interests: { type: 'set', label: 'I', options: {} } } },
      ['config: preferences.interests.options: Expected at least one option. Got {}.'],
    ],
    [
      'a bad cookie name and a too long lifetime',
      { ...base, cookie: { name: 'a b', maxAgeDays: 500 } },
      [
        'config: cookie.name: Expected a cookie name (RFC 6265 token). Got "a b".',
        'config: cookie.maxAgeDays: Expected at most 400. Got 500.',
      ],
    ],
  ])('%s', (_name, input, expected) => {
    expect(messages(input)).toEqual(expected)
  })

  it('a bad rule can never show content: the whole config is refused, not the rule dropped', () => {
    const result = compileConfig(
      slot([{ id: 'a', when: { country: { $foo: 1 } }, action: remove }])
    )
    expect(result.ok).toBe(false)
  })
})

describe('compileConfig: the fields a site reads (CompiledConfig.fields)', () => {
  const fieldsOf = (input: unknown) => {
    const result = compileConfig(input)
    if (!result.ok) {
      throw new Error(formatIssues(result.issues).join('\n'))
    }
    return result.compiled
  }

  it('holds a field a condition names, and none that nothing names', () => {
    const named = fieldsOf(slot([{ id: 'fr', when: { country: 'FR' }, action: remove }]))
    expect([...(named.fields ?? [])]).toEqual(['country'])
    const unnamed = fieldsOf(slot([{ id: 'all', action: remove }]))
    expect(unnamed.fields?.has('country')).toBe(false)
    expect(unnamed.fields?.size).toBe(0)
  })

  it('holds the fields of segments, nested operators and templates', () => {
    const compiled = fieldsOf({
      ...base,
      preferences: { name: { type: 'text', label: 'Name' } },
      segments: { evening: { daypart: 'evening' } },
      slots: {
        hero: {
          selector: 'p',
          variants: [
            {
              id: 'a',
              when: { $or: [{ $segment: 'evening' }, { $not: { device: 'mobile' } }] },
              action: { type: 'text', text: 'Hi {{prefs.name|there}}' },
            },
          ],
        },
      },
    })
    expect([...(compiled.fields ?? [])].sort()).toEqual(['daypart', 'device', 'prefs.name'])
  })

  it('a "why" action names the UTM fields and the referrer its link carries', () => {
    const compiled = fieldsOf(slot([{ id: 'w', action: { type: 'why', text: 'Why?' } }]))
    expect([...(compiled.fields ?? [])].sort()).toEqual([
      'referrer',
      'utm.campaign',
      'utm.medium',
      'utm.source',
    ])
  })

  it('a host has its own set: its own slots and the shared segments', () => {
    const compiled = fieldsOf({
      ...slot([{ id: 'fr', when: { language: 'fr' }, action: remove }]),
      hosts: {
        'b.example': {
          slots: {
            s: { selector: 'p', variants: [{ id: 'x', when: { city: 'Paris' }, action: remove }] },
          },
        },
      },
    })
    expect([...(compiled.fields ?? [])]).toEqual(['language'])
    expect([...(compiled.hosts.get('b.example')?.fields ?? [])]).toEqual(['city'])
  })
})
