// renderEdits and whyLink called directly: each action becomes the edit the rewriter applies.
import { describe, expect, it } from 'vitest'
import type { CompiledConfig } from '../config'
import { compileConfig } from '../config'
import type { Facts } from '../context'
import type { Decision } from '../decide'
import type { SlotEdit } from './edits'
import { renderEdits, sameForEveryone, whyLink } from './edits'

const FACTS: Facts = {
  country: 'FR',
  utm: { campaign: 'spring sale' },
  path: '/a b',
  referrer: 'search',
  returning: false,
  gpc: false,
  prefs: { name: '<Ana & "Bo">' },
}

function compile(action: object): CompiledConfig {
  const result = compileConfig({
    version: 1,
    locales: ['en'],
    preferences: { name: { type: 'text', label: 'Name', maxLength: 40 } },
    slots: {
      hero: { selector: '#hero', variants: [{ id: 'v', action }] },
      other: { selector: '.other', variants: [{ id: 'w', action: { type: 'hide' } }] },
    },
  })
  if (!result.ok) {
    throw new Error(JSON.stringify(result.issues))
  }
  return result.compiled
}

/** Decisions for both slots: hero gets its variant, other gets its own or none. */
function decisions(compiled: CompiledConfig, otherChosen: boolean): Decision[] {
  const [hero, other] = compiled.slots
  if (!hero || !other) {
    throw new Error('expected two slots')
  }
  return [
    { slot: hero, variant: hero.variants[0] },
    { slot: other, variant: otherChosen ? other.variants[0] : undefined },
  ]
}

describe('renderEdits', () => {
  it.each<[string, object, SlotEdit[]]>([
    [
      'html: values are labelled (FR → France) and HTML-escaped, the markup around them is not',
      { type: 'html', html: '<b>Hi {{prefs.name|you}}</b> from {{country}}' },
      [
        {
          selector: '#hero',
          slot: 'hero',
          kind: 'html',
          html: '<b>Hi &lt;Ana &amp; &quot;Bo&quot;&gt;</b> from France',
        },
      ],
    ],
    [
      'text: left raw, HTMLRewriter escapes it',
      { type: 'text', text: 'Hi {{prefs.name}}' },
      [{ selector: '#hero', slot: 'hero', kind: 'text', text: 'Hi <Ana & "Bo">' }],
    ],
    [
      'text: a missing field takes its fallback',
      { type: 'text', text: 'From {{region|somewhere}}' },
      [{ selector: '#hero', slot: 'hero', kind: 'text', text: 'From somewhere' }],
    ],
    [
      'template: the id only',
      { type: 'template', id: 'cycling' },
      [{ selector: '#hero', slot: 'hero', kind: 'template', id: 'cycling' }],
    ],
    [
      'attributes: values rendered raw (the rewriter quotes them), lists kept',
      {
        type: 'attributes',
        set: { title: 'for {{prefs.name}}' },
        remove: ['hidden'],
        addClass: ['fr'],
        removeClass: ['en'],
      },
      [
        {
          selector: '#hero',
          slot: 'hero',
          kind: 'attributes',
          set: [['title', 'for <Ana & "Bo">']],
          remove: ['hidden'],
          addClass: ['fr'],
          removeClass: ['en'],
        },
      ],
    ],
    ['remove', { type: 'remove' }, [{ selector: '#hero', slot: 'hero', kind: 'remove' }]],
    ['hide', { type: 'hide' }, [{ selector: '#hero', slot: 'hero', kind: 'hide' }]],
  ])('%s', (_name, action, expected) => {
    const compiled = compile(action)
    const edits = renderEdits(decisions(compiled, false), FACTS, compiled)
    expect(edits).toEqual(expected)
  })

  it('a slot without a variant gives no edit; order follows the decisions', () => {
    const compiled = compile({ type: 'remove' })
    const [hero, other] = decisions(compiled, true)
    expect(
      renderEdits([{ ...(other as Decision) }, { ...(hero as Decision) }], FACTS, compiled)
    ).toEqual([
      { selector: '.other', slot: 'other', kind: 'hide' },
      { selector: '#hero', slot: 'hero', kind: 'remove' },
    ])
    expect(renderEdits([{ ...(hero as Decision), variant: undefined }], FACTS, compiled)).toEqual(
      []
    )
  })

  it('why: a link only when another block on the page was personalised', () => {
    const compiled = compile({ type: 'why', text: 'Why <this>?' })
    expect(renderEdits(decisions(compiled, false), FACTS, compiled)).toEqual([])
    expect(renderEdits(decisions(compiled, true), FACTS, compiled)).toEqual([
      { selector: '#hero', slot: 'hero', kind: 'html', html: whyLink(FACTS, 'Why <this>?') },
      { selector: '.other', slot: 'other', kind: 'hide' },
    ])
  })
})

describe('sameForEveryone', () => {
  it.each<[string, object, boolean]>([
    ['fixed HTML', { type: 'html', html: '<b>Rides</b>' }, true],
    ['HTML that names a field', { type: 'html', html: '<b>Hi {{prefs.name|you}}</b>' }, false],
    ['fixed text', { type: 'text', text: 'Bonjour' }, true],
    ['text that names a field', { type: 'text', text: 'From {{country}}' }, false],
    ['a template', { type: 'template', id: 'cycling' }, true],
    ['fixed attributes', { type: 'attributes', set: { title: 'Sale' }, addClass: ['fr'] }, true],
    ['attributes that name a field', { type: 'attributes', set: { title: '{{city}}' } }, false],
    ['remove', { type: 'remove' }, true],
    ['a why link (it carries the page’s path)', { type: 'why', text: 'Why?' }, false],
  ])('%s: %s', (_name, action, expected) => {
    const compiled = compile(action)
    // The other slot's variant (hide) is the same for everyone: the hero's decides.
    expect(sameForEveryone(decisions(compiled, true))).toBe(expected)
    // So are decisions with no variant at all.
    expect(sameForEveryone([{ ...decisions(compiled, false)[1]! }])).toBe(true)
  })
})

describe('whyLink', () => {
  it('encodes the path and campaign, names the referrer kind, escapes the text', () => {
    expect(whyLink(FACTS, 'Why <this>?')).toBe(
      '<a class="tailor-why" href="/_tailor/?from=%2Fa+b%3Futm_campaign%3Dspring%2Bsale&amp;ref=search">Why &lt;this&gt;?</a>'
    )
  })

  it('with no campaign and no referrer: the path alone', () => {
    const facts: Facts = { utm: {}, path: '/', returning: false, gpc: false, prefs: {} }
    expect(whyLink(facts, 'Why?')).toBe('<a class="tailor-why" href="/_tailor/?from=%2F">Why?</a>')
  })
})
