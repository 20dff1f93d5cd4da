import { describe, expect, it } from 'vitest'
import type { CompiledSlot, CompiledVariant } from '../config'
import type { Facts } from '../context'
import { explainComment, explainHeader, explainSummary } from './explain'

const facts: Facts = { utm: {}, path: '/', returning: false, gpc: false, prefs: {} }

function decision(text: string) {
  const variant: CompiledVariant = {
    id: 'v1',
    label: 'v1',
    always: false,
    condition: { test: () => true, explain: () => [{ field: 'x', op: '$eq', value: 1, text }] },
    action: { type: 'remove' },
  }
  const slot: CompiledSlot = {
    id: 'hero',
    label: 'hero',
    selector: '#hero',
    paths: undefined,
    variants: [variant],
  }
  return { slot, variant }
}

describe('explainComment', () => {
  it.each([
    ['a label with --> inside', 'tailor: hero = v1 (because a label with - - ␣ inside)'],
    ['<!-- nested', 'tailor: hero = v1 (because !- - nested)'],
    ['a---b', 'tailor: hero = v1 (because a- - -b)'],
  ])('can never end the comment early: %s', (text, expected) => {
    const out = explainComment(decision(text), facts)
    expect(out).not.toMatch(/--|[<>]/)
    expect(out.replace(/ {2,}/g, ' ')).toBe(expected.replace('␣', ' ').replace(/ {2,}/g, ' '))
  })
})

describe('explainHeader', () => {
  it('escapes quotes, backslashes and non-ASCII, and stays bounded', () => {
    const h = explainHeader([decision('say "hi" \\ é')], facts)
    expect(h).toBe('hero=v1; reason="because say %22hi%22 %5C %C3%A9"')
    const many = Array.from({ length: 200 }, () => decision('x'.repeat(100)))
    const long = explainHeader(many, facts)
    expect(long.length).toBeLessThanOrEqual(4003)
    expect(long.endsWith(', …')).toBe(true)
  })
})

describe('explainSummary', () => {
  const slot = (id: string) => ({ ...decision('x'), slot: { ...decision('x').slot, id } })
  const decisions = [slot('hero'), { ...slot('shipping'), variant: undefined }, slot('weekend')]

  it.each<[string, string[], string[], string]>([
    [
      'only the slots found, with the ones that kept the origin',
      ['shipping', 'hero'],
      ['hero'],
      "tailor: on this page: hero = v1 (its template is absent: the origin's block is kept), shipping = default; 1 more decided, not on this page",
    ],
    [
      'every slot found',
      ['hero', 'shipping', 'weekend'],
      [],
      'tailor: on this page: hero = v1, shipping = default, weekend = v1',
    ],
    ['none found', [], [], 'tailor: no slot on this page; 3 more decided, not on this page'],
  ])('%s', (_name, seen, kept, expected) => {
    expect(explainSummary(decisions, { seen: new Set(seen), kept: new Set(kept) })).toBe(expected)
  })
})
