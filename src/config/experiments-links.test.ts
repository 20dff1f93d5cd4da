// Click goals that can never count: what reads as a link, what an arm shows of the page, the warnings.
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import type { ArmConfig } from './experiments'
import { clickGoalWarnings, hasLink, pageShownBy } from './experiments-links'
import type { Slot } from './schema'
import { ConfigSchema } from './schema'

describe('hasLink', () => {
  it.each<[string, boolean]>([
    ['<a href="/x">x</a>', true],
    ['<p><a class="button" href="/shop/">Shop</a></p>', true],
    ["<A\nHREF='/x'>x</A>", true],
    ['<a href>empty, still a[href]</a>', true],
    ['<a\thref=/x>unquoted</a>', true],
    ['<h2>Recommended for you</h2><p>Gear</p>', false],
    ['<a name="top">an anchor</a>', false],
    ['<a data-href="/x">not href</a>', false],
    ['<abbr href="/x">not a</abbr>', false],
    ['<!-- <a href="/old">old</a> --><p>now</p>', false],
    ['<p>see <code>&lt;a href="/x"&gt;</code></p>', false],
  ])('%s → %s', (html, expected) => {
    expect(hasLink(html)).toBe(expected)
  })
})

describe('pageShownBy', () => {
  const slot = (whens: (Record<string, unknown> | undefined)[]): Slot =>
    v.parse(ConfigSchema, {
      version: 1,
      locales: ['en'],
      slots: {
        s: {
          selector: '#s',
          variants: [
            ...whens.map((when, i) => ({
              id: `t${i}`,
              ...(when ? { when } : {}),
              action: { type: 'template', id: `t${i}` },
            })),
            {
              id: 'attrs',
              when: { device: 'mobile' },
              action: { type: 'attributes', addClass: ['x'] },
            },
            { id: 'html', when: { device: 'tablet' }, action: { type: 'html', html: 'x' } },
          ],
        },
      },
    }).slots.s as Slot
  const arm = (a: Partial<ArmConfig>): ArmConfig => ({ id: 'a', weight: 1, ...a })

  it.each<[string, Partial<ArmConfig>, Slot, ReturnType<typeof pageShownBy>]>([
    ['default', { default: true }, slot([{ language: 'fr' }]), { kind: 'page' }],
    ['attributes', { variant: 'attrs' }, slot([]), { kind: 'page' }],
    ['template', { variant: 't0' }, slot([{ language: 'fr' }]), { kind: 'template', id: 't0' }],
    ['html', { variant: 'html' }, slot([]), undefined],
    [
      'rules, all conditional',
      { rules: true },
      slot([{ language: 'fr' }]),
      { kind: 'page-unless-rules' },
    ],
    [
      'rules, one always applies',
      { rules: true },
      slot([{ language: 'fr' }, undefined]),
      undefined,
    ],
    ['rules, an empty when', { rules: true }, slot([{}]), undefined],
  ])('%s', (_name, a, s, expected) => {
    expect(pageShownBy(arm(a), s)).toEqual(expected)
  })
})

describe('clickGoalWarnings', () => {
  it("checks a host's slots too, and says nothing once the experiment has stopped", () => {
    const config = v.parse(ConfigSchema, {
      version: 1,
      locales: ['en'],
      slots: { box: { selector: '#box', variants: [] } },
      hosts: {
        'shop.example.com': {
          slots: {
            box: {
              selector: '#box',
              variants: [
                { id: 'quiet', when: { language: 'fr' }, action: { type: 'text', text: 'x' } },
              ],
            },
          },
        },
      },
      experiments: [
        {
          id: 'box-test',
          label: 'Box',
          slot: 'box',
          status: 'running',
          arms: [
            { id: 'origin', weight: 1, default: true },
            { id: 'quiet', weight: 1, variant: 'quiet' },
          ],
          goals: [{ id: 'go', type: 'click', primary: true }],
        },
      ],
    })
    expect(clickGoalWarnings(config)).toEqual([
      {
        path: 'experiments[0].arms[1]',
        message:
          'No link to click: variant "quiet" (hosts["shop.example.com"].slots.box.variants[0]) replaces the block with text, so click goal "go" never counts for this arm. Expected a link (<a href>) in what the arm shows, or a page or event goal for it.',
      },
    ])
    config.experiments[0]!.status = 'stopped'
    expect(clickGoalWarnings(config)).toEqual([])
  })
})
