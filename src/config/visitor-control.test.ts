// The config's consent, signals and brand: colours, contrast, logos, path patterns, labels, messages.
import { describe, expect, it } from 'vitest'
import demoConfig from '../../tailor.config.json'
import { contrastOf, contrastRatio, isLogoUrl, parseColour, textOn } from './brand'
import { compileConfig } from './compile'
import { formatIssues } from './issues'
import type { Config } from './schema'
import {
  interestLabel,
  localeLabels,
  pathPattern,
  signalFields,
  signalInterests,
  signalsForPath,
} from './signals'

const base = { version: 1, locales: ['en'], slots: {} }

function messages(input: unknown): string[] {
  const result = compileConfig(input)
  return result.ok ? [] : formatIssues(result.issues)
}

function config(extra: Record<string, unknown>): Config {
  const result = compileConfig({ ...base, ...extra })
  if (!result.ok) {
    throw new Error(formatIssues(result.issues).join('\n'))
  }
  return result.compiled.config
}

describe('parseColour', () => {
  it.each<[string, readonly number[] | undefined]>([
    ['#2f5d50', [47, 93, 80]],
    ['#FFF', [255, 255, 255]],
    ['#abc', [170, 187, 204]],
    ['rgb(1, 2, 3)', [1, 2, 3]],
    ['rgb(255,255,255)', [255, 255, 255]],
    ['rgb(256, 0, 0)', undefined],
    ['red', undefined],
    ['#12345', undefined],
    ['#1234567', undefined],
    ['rgba(0, 0, 0, 0.5)', undefined],
    ['#fff; background: url(https://evil.example/)', undefined],
    ['#fff}</style><script>', undefined],
    ['', undefined],
  ])('%j → %j', (text, rgb) => {
    expect(parseColour(text)).toEqual(rgb)
  })
})

describe('contrast (WCAG 2.2)', () => {
  it.each<[string, string, number]>([
    ['#000000', '#ffffff', 21],
    ['#ffffff', '#ffffff', 1],
    ['#777777', '#ffffff', 4.48],
    ['#767676', '#ffffff', 4.54],
    ['#1d2a2f', '#fbfaf6', 14.12],
  ])('%s on %s is %d:1', (a, b, ratio) => {
    expect(contrastOf(a, b)).toBeCloseTo(ratio, 2)
  })

  it('is symmetric', () => {
    expect(contrastRatio([47, 93, 80], [255, 255, 255])).toBe(
      contrastRatio([255, 255, 255], [47, 93, 80])
    )
  })

  it.each(['#2f5d50', '#ffff00', '#777777', '#808080', '#2557a7', '#c8643b', '#000000', '#ffffff'])(
    'textOn(%s) reads at 4.5:1 or better',
    (bg) => {
      expect(contrastOf(textOn(bg), bg)).toBeGreaterThanOrEqual(4.5)
    }
  )
})

describe('isLogoUrl', () => {
  it.each<[string, boolean]>([
    ['/img/logo.svg', true],
    ['/logo.png?v=2', true],
    ['https://cdn.example/logo.png', true],
    ['//evil.example/logo.png', false],
    ['/\\evil.example/logo.png', false],
    ['http://cdn.example/logo.png', false],
    ['javascript:alert(1)', false],
    ['data:image/svg+xml,<svg/>', false],
    ['img/logo.svg', false],
    ['/img/logo.svg" onerror="x', false],
    ['/a b.png', false],
    [`/${'a'.repeat(600)}`, false],
  ])('%j → %s', (value, ok) => {
    expect(isLogoUrl(value)).toBe(ok)
  })
})

describe('pathPattern and signalsForPath', () => {
  it.each<[string, string, boolean]>([
    ['/cycling/', '/cycling/', true],
    ['/cycling/', '/cycling/gravel-basics/', true],
    ['/cycling/', '/cycling', false],
    ['/cycling/', '/running/cycling/', false],
    ['/shop/*/bikes', '/shop/kids/bikes', true],
    ['/shop/*/bikes', '/shop/kids/bikes/12', true],
    ['/shop/*/bikes', '/shop/a/b/bikes', false],
    ['/shop/*/bikes', '/shop//bikes', true],
    ['/a.b/', '/aXb/', false],
    ['/(x)+/', '/(x)+/page', true],
  ])('%s matches %s: %s', (pattern, path, matches) => {
    expect(pathPattern(pattern)(path)).toBe(matches)
  })

  const signals = config({
    signals: {
      rules: [
        { path: '/cycling/', interest: 'cycling' },
        { path: '/cycling/race/', interest: 'cycling', score: 3 },
        { path: '/cycling/race/', interest: 'racing', score: 0.5 },
      ],
    },
  })

  it('counts a page once per interest, at its highest score', () => {
    expect(signalsForPath(signals, '/cycling/race/tdf')).toEqual({ cycling: 3, racing: 0.5 })
    expect(signalsForPath(signals, '/cycling/')).toEqual({ cycling: 1 })
    expect(signalsForPath(signals, '/')).toEqual({})
  })

  it('lists each interest once, in the order the config names them', () => {
    expect(signalInterests(signals)).toEqual(['cycling', 'racing'])
  })
})

describe('labels and fields', () => {
  const withPrefs = config({
    preferences: {
      interests: { type: 'set', label: 'Interests', options: { cycling: 'Cycling' } },
    },
    signals: {
      rules: [
        { path: '/c/', interest: 'cycling' },
        { path: '/p/', interest: 'paddling' },
        { path: '/s/', interest: 'skiing' },
      ],
      labels: { paddling: 'Paddling' },
      cap: 30,
    },
  })

  it('names an interest by its preference option, then signals.labels, then its id', () => {
    expect(interestLabel(withPrefs, 'cycling')).toBe('Cycling')
    expect(interestLabel(withPrefs, 'paddling')).toBe('Paddling')
    expect(interestLabel(withPrefs, 'skiing')).toBe('skiing')
  })

  it('adds a number field per interest, bounded by the cap', () => {
    expect(signalFields(withPrefs)).toEqual({
      'signals.cycling': {
        type: 'number',
        range: [0, 30],
        noun: 'your reading score for Cycling',
      },
      'signals.paddling': {
        type: 'number',
        range: [0, 30],
        noun: 'your reading score for Paddling',
      },
      'signals.skiing': { type: 'number', range: [0, 30], noun: 'your reading score for skiing' },
    })
  })

  it('labels the site locales in English', () => {
    expect(localeLabels(['en', 'fr', 'de', 'pt-BR'])).toEqual({
      en: 'English',
      fr: 'French',
      de: 'German',
      'pt-BR': 'Brazilian Portuguese',
    })
  })

  it('lets conditions use signals.<interest> and only for configured interests', () => {
    const ok = {
      ...base,
      signals: { rules: [{ path: '/c/', interest: 'cycling' }] },
      slots: {
        s: {
          selector: 'p',
          variants: [
            { id: 'a', when: { 'signals.cycling': { $gte: 3 } }, action: { type: 'hide' } },
          ],
        },
      },
    }
    expect(messages(ok)).toEqual([])
    const unknown = structuredClone(ok)
    unknown.slots.s.variants[0]!.when = { 'signals.running': { $gte: 3 } } as never
    expect(messages(unknown)[0]).toMatch(
      /^config: slots\.s\.variants\[0\]\.when\["signals\.running"\]: Unknown field "signals\.running"\. Expected one of: .*signals\.cycling/
    )
    const over = structuredClone(ok)
    over.slots.s.variants[0]!.when = { 'signals.cycling': { $gte: 'lots' } } as never
    expect(messages(over)).toHaveLength(1)
  })
})

describe('config messages for consent, signals and brand', () => {
  it('accepts the demo config', () => {
    expect(messages(demoConfig)).toEqual([])
  })

  it.each<[string, Record<string, unknown>, string[]]>([
    [
      'an unknown consent mode',
      { consent: { signals: 'implied' } },
      ['config: consent.signals: Expected "opt-in", "opt-out". Got "implied".'],
    ],
    [
      'a country that is not ISO',
      { consent: { explicitIn: ['UK'] } },
      [
        'config: consent.explicitIn[0]: Expected an ISO 3166-1 alpha-2 country code such as "CH". Got "UK".',
      ],
    ],
    [
      'a gpc.json lastUpdate that is not YYYY-MM-DD',
      { consent: { gpcLastUpdate: '29/11/2026' } },
      [
        'config: consent.gpcLastUpdate: Expected a date written YYYY-MM-DD, such as "2026-11-01". Got "29/11/2026".',
      ],
    ],
    [
      'a gpc.json lastUpdate that is no real day',
      { consent: { gpcLastUpdate: '2026-02-30' } },
      [
        'config: consent.gpcLastUpdate: Expected a date written YYYY-MM-DD, such as "2026-11-01". Got "2026-02-30".',
      ],
    ],
    [
      'a misspelt consent field',
      { consent: { honorDnt: false } },
      [
        'config: consent.honorDnt: Unknown field "honorDnt". Check its spelling against tailor.schema.json.',
      ],
    ],
    [
      'a signal path without a leading slash',
      { signals: { rules: [{ path: 'cycling/', interest: 'cycling' }] } },
      [
        'config: signals.rules[0].path: Expected a path pattern starting with "/", such as "/cycling/". Got "cycling/".',
      ],
    ],
    [
      'a signal path with a query',
      { signals: { rules: [{ path: '/c?x=1', interest: 'cycling' }] } },
      [
        'config: signals.rules[0].path: Expected a path pattern starting with "/", such as "/cycling/". Got "/c?x=1".',
      ],
    ],
    [
      'an interest that is not an id',
      { signals: { rules: [{ path: '/c/', interest: 'Cycling & more' }] } },
      [
        'config: signals.rules[0].interest: Expected an id: a letter, then letters, digits, "-" or "_" (40 at most). Got "Cycling & more".',
      ],
    ],
    [
      'a zero score',
      { signals: { rules: [{ path: '/c/', interest: 'c', score: 0 }] } },
      ['config: signals.rules[0].score: Expected at least 0.1. Got 0.'],
    ],
    [
      'too many interests kept',
      { signals: { max: 17 } },
      ['config: signals.max: Expected at most 16. Got 17.'],
    ],
    [
      'a half-life of zero',
      { signals: { halfLifeDays: 0 } },
      ['config: signals.halfLifeDays: Expected at least 0.5. Got 0.'],
    ],
    [
      'a colour name',
      { brand: { accent: 'green' } },
      [
        'config: brand.accent: Expected a colour written "#rrggbb", "#rgb" or "rgb(r, g, b)". Got "green".',
      ],
    ],
    [
      'CSS smuggled in a colour',
      { brand: { accent: '#fff; background: url(x)' } },
      [
        'config: brand.accent: Expected a colour written "#rrggbb", "#rgb" or "rgb(r, g, b)". Got "#fff; background: url(x)".',
      ],
    ],
    [
      'text too pale for its background',
      { brand: { text: '#999999', background: '#ffffff' } },
      [
        'config: brand: Expected text and background colours with a contrast of at least 4.5:1 (WCAG 2.2, 1.4.3). Got 2.85:1.',
      ],
    ],
    [
      'a logo on another host by "//"',
      { brand: { logo: '//evil.example/logo.png' } },
      [
        'config: brand.logo: Expected a path on this site ("/img/logo.svg") or an https:// URL. Got "//evil.example/logo.png".',
      ],
    ],
    [
      'a logo over http',
      { brand: { logo: 'http://cdn.example/logo.png' } },
      [
        'config: brand.logo: Expected a path on this site ("/img/logo.svg") or an https:// URL. Got "http://cdn.example/logo.png".',
      ],
    ],
    [
      'a why-link text too long',
      {
        slots: {
          why: {
            selector: 'p',
            variants: [{ id: 'a', action: { type: 'why', text: 'x'.repeat(121) } }],
          },
        },
      },
      [
        `config: slots.why.variants[0].action.text: Expected a length of at most 120. Got "${'x'.repeat(121)}".`,
      ],
    ],
  ])('%s', (_name, extra, expected) => {
    expect(messages({ ...base, ...extra })).toEqual(expected)
  })

  it('applies the defaults: opt-in, DNT honoured, gpc.json served, a week’s half-life', () => {
    const c = config({})
    expect(c.consent).toEqual({ signals: 'opt-in', explicitIn: [], honourDnt: true, gpcJson: true })
    expect(c.signals).toEqual({ rules: [], labels: {}, halfLifeDays: 7, max: 8, cap: 20 })
    expect(c.brand).toEqual({ accent: '#2557a7', background: '#ffffff', text: '#1f2328' })
  })
})
