// The checks `npm run check` adds to compileConfig: dead variants, empty slots, scripts, labels.
import { describe, expect, it } from 'vitest'
import { lintConfig, selectorTags } from '../../scripts/check-lint'
import type { Config } from '../../src/config'

type VariantIn = { id: string; label?: string; when?: Record<string, unknown>; action?: object }

const variant = ({ id, label = id, when, action = { type: 'hide' } }: VariantIn) => ({
  id,
  label,
  ...(when === undefined ? {} : { when }),
  action,
})

function config(slots: Record<string, VariantIn[]>, hosts: Record<string, object> = {}): Config {
  const out: Record<string, object> = {}
  for (const [id, variants] of Object.entries(slots)) {
    out[id] = { selector: `#${id}`, variants: variants.map(variant) }
  }
  return { version: 1, locales: ['en'], slots: out, hosts } as unknown as Config
}

describe('lintConfig', () => {
  it('finds nothing in a config where every variant can win', () => {
    const c = config({
      hero: [{ id: 'fr', when: { language: 'fr' } }, { id: 'fallback' }],
    })
    expect(lintConfig(c)).toEqual([])
  })

  it('flags every variant after one that always applies', () => {
    const c = config({
      hero: [
        { id: 'fr', when: { language: 'fr' } },
        { id: 'all' },
        { id: 'de', when: { language: 'de' } },
        { id: 'also' },
      ],
    })
    const never = (i: number) => ({
      severity: 'error',
      path: `slots.hero.variants[${i}]`,
      message:
        'Never chosen: variants[1] ("all") has no condition and always applies first. Expected variants without "when" last.',
    })
    expect(lintConfig(c)).toEqual([never(2), never(3)])
  })

  it('counts an empty condition {} as always', () => {
    const c = config({
      hero: [
        { id: 'any', when: {} },
        { id: 'fr', when: { language: 'fr' } },
      ],
    })
    expect(lintConfig(c)).toEqual([
      expect.objectContaining({ severity: 'error', path: 'slots.hero.variants[1]' }),
    ])
  })

  it('warns on a slot without variants, a variant without label, and <script in html', () => {
    const c = config({
      empty: [],
      banner: [
        {
          id: 'a',
          label: 'A',
          action: { type: 'html', html: '<p>x</p><Script>alert(1)</script>' },
        },
      ],
    })
    const c2 = c as unknown as { slots: { banner: { variants: { label?: string }[] } } }
    delete c2.slots.banner.variants[0]?.label
    expect(lintConfig(c).map((i) => [i.severity, i.path])).toEqual([
      ['warning', 'slots.empty.variants'],
      ['warning', 'slots.banner.variants[0]'],
      ['warning', 'slots.banner.variants[0].action.html'],
    ])
  })

  it('does not warn on "script" as a word or in text actions', () => {
    const c = config({
      a: [{ id: 'x', action: { type: 'html', html: '<p>The script of the film</p>' } }],
      b: [{ id: 'y', action: { type: 'text', text: '<script>' } }],
    })
    expect(lintConfig(c)).toEqual([])
  })

  it("checks each host's own slots, with their paths", () => {
    const c = config(
      {},
      {
        'shop.example.com': {
          slots: {
            hero: { selector: '#hero', variants: [variant({ id: 'a' }), variant({ id: 'b' })] },
          },
        },
      }
    )
    expect(lintConfig(c)).toEqual([
      expect.objectContaining({ path: 'hosts["shop.example.com"].slots.hero.variants[1]' }),
    ])
  })
})

describe('selectorTags', () => {
  it.each<[string, (string | undefined)[]]>([
    ['p', ['p']],
    ['  P.lead  ', ['p']],
    ['main p.lead, li > a, #hero', ['p', 'a', undefined]],
    ['[data-tailor="hero"]', [undefined]],
    ['p[data-x="a, b > c"]', ['p']],
    ['ul>li:nth-child(2)', ['li']],
    ['table tr td.x', ['td']],
    ['div  >  p ~ span', ['span']],
    ['a:not(p, li) b', ['b']],
    ['*', [undefined]],
    ['p[', []],
  ])('%s', (selector, tags) => {
    expect(selectorTags(selector)).toEqual(tags)
  })
})

describe('lintConfig: implied end tags', () => {
  const one = (selector: string, action: object) =>
    ({
      version: 1,
      locales: ['en'],
      slots: {
        s: { selector, variants: [variant({ id: 'v', when: { language: 'fr' }, action })] },
      },
      hosts: {},
    }) as unknown as Config

  it.each<[string, object, boolean]>([
    ['p.lead', { type: 'text', text: 'x' }, true],
    ['ul > li', { type: 'html', html: 'x' }, true],
    ['h2', { type: 'template', id: 't' }, true],
    ['td.price', { type: 'remove' }, true],
    ['option', { type: 'why', text: 'Why?' }, true],
    ['p.lead', { type: 'hide' }, false],
    [
      'p.lead',
      { type: 'attributes', set: {}, remove: [], addClass: ['a'], removeClass: [] },
      false,
    ],
    ['div.lead', { type: 'text', text: 'x' }, false],
    ['[data-tailor="hero"]', { type: 'text', text: 'x' }, false],
  ])('%s with %o: warns %s', (selector, action, warns) => {
    const issues = lintConfig(one(selector, action)).filter((i) => i.path === 'slots.s.selector')
    expect(issues.length).toBe(warns ? 1 : 0)
  })
})
