// decide, called directly: first match wins, paths, forced variants; and explainDecision's words.
import { describe, expect, it } from 'vitest'
import type { CompiledConfig } from '../config'
import { compileConfig } from '../config'
import type { Facts } from '../context'
import { readContext } from '../context'
import { decide, explainDecision } from './decide'

const CONFIG = {
  version: 1,
  locales: ['en', 'fr'],
  slots: {
    greeting: {
      selector: '#greeting',
      variants: [
        { id: 'fr-eu', when: { language: 'fr', eu: true }, action: { type: 'text', text: 'A' } },
        { id: 'fr', when: { language: 'fr' }, action: { type: 'text', text: 'B' } },
        { id: 'all', action: { type: 'text', text: 'C' } },
      ],
    },
    shop: {
      selector: '#shop',
      paths: ['/shop/'],
      variants: [{ id: 'de', when: { country: 'DE' }, action: { type: 'text', text: 'D' } }],
    },
  },
}

function compiled(): CompiledConfig {
  const result = compileConfig(CONFIG)
  if (!result.ok) {
    throw new Error(JSON.stringify(result.issues))
  }
  return result.compiled
}

function facts(path: string, language: string, geo: { country?: string; eu?: boolean }): Facts {
  return readContext(
    {
      url: new URL(`https://shop.example${path}`),
      headers: new Headers({ 'accept-language': language }),
      geo,
      now: new Date(Date.UTC(2026, 0, 1)),
      prefs: {},
      returning: false,
    },
    { locales: ['en', 'fr'] }
  )
}

const site = compiled()

describe('decide', () => {
  it.each<[string, string, { country?: string; eu?: boolean }, string]>([
    ['/', 'fr', { eu: true }, 'greeting=fr-eu'],
    ['/', 'fr', { eu: false }, 'greeting=fr'],
    ['/', 'en', {}, 'greeting=all'],
    ['/shop/bikes', 'en', { country: 'DE' }, 'greeting=all shop=de'],
    ['/shop/bikes', 'en', { country: 'FR' }, 'greeting=all shop=default'],
    ['/shopping', 'en', { country: 'DE' }, 'greeting=all'],
  ])('%s, %s, %j → %s', (path, language, geo, expected) => {
    const decisions = decide(site, facts(path, language, geo))
    expect(decisions.map((d) => `${d.slot.id}=${d.variant?.id ?? 'default'}`).join(' ')).toBe(
      expected
    )
    expect(decisions.every((d) => d.forced === undefined)).toBe(true)
  })

  it.each<[Record<string, string>, string]>([
    [{ greeting: 'fr' }, 'greeting=fr!'],
    [{ greeting: 'default' }, 'greeting=default!'],
    [{ shop: 'de' }, 'greeting=fr-eu'],
    [{ nope: 'x' }, 'greeting=fr-eu'],
  ])('forced %j → %s', (forced, expected) => {
    const decisions = decide(site, facts('/', 'fr', { eu: true }), forced)
    expect(
      decisions
        .map((d) => `${d.slot.id}=${d.variant?.id ?? 'default'}${d.forced ? '!' : ''}`)
        .join(' ')
    ).toBe(expected)
  })
})

describe('explainDecision', () => {
  it.each<[string, Record<string, string> | undefined, string]>([
    ['fr', undefined, 'because your language is French'],
    ['en', undefined, 'everyone sees this'],
    ['fr', { greeting: 'all' }, 'forced by the preview link'],
    ['fr', { greeting: 'default' }, 'the preview link asked for the page as it is'],
  ])('%s, forced %j → %s', (language, forced, expected) => {
    const f = facts('/', language, { eu: false })
    const [greeting] = decide(site, f, forced)
    expect(greeting && explainDecision(greeting, f)).toBe(expected)
  })
})
