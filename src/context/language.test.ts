// negotiateLanguage and localeOf: Accept-Language against the site's locales.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { localeOf, negotiateLanguage } from './language'

const SITE = ['en', 'fr', 'de'] as const
const REGIONAL = ['en-GB', 'en-US', 'fr', 'pt-BR', 'zh-Hant'] as const

describe('negotiateLanguage', () => {
  it.each<[string, string | null, readonly string[], string]>([
    ['no header → default', null, SITE, 'en'],
    ['empty header → default', '', SITE, 'en'],
    ['exact', 'fr', SITE, 'fr'],
    ['case-insensitive', 'FR', SITE, 'fr'],
    ['first of several, equal weights', 'de, fr', SITE, 'de'],
    ['highest q wins, whatever the order', 'de;q=0.5, fr;q=0.9', SITE, 'fr'],
    ['q=1 beats implicit order', 'de;q=0.8, fr', SITE, 'fr'],
    ['q with three decimals', 'de;q=0.501, fr;q=0.5', SITE, 'de'],
    ['upper-case Q', 'de;Q=0.2, fr;Q=0.3', SITE, 'fr'],
    ['spaces around parts', '  fr ;  q=0.9 , de ; q=0.8', SITE, 'fr'],
    ['region falls back to its language (fr-CA → fr)', 'fr-CA', SITE, 'fr'],
    ['a typical browser header', 'fr-CA,fr;q=0.9,en-US;q=0.8,en;q=0.7', SITE, 'fr'],
    ['unsupported first, supported second', 'es-ES,es;q=0.9,de;q=0.8', SITE, 'de'],
    ['nothing supported → default', 'es, it;q=0.5', SITE, 'en'],
    ['q=0 is never chosen', 'fr;q=0', SITE, 'en'],
    ['q=0 excludes, lower q still counts', 'fr;q=0, de;q=0.1', SITE, 'de'],
    ['q=0 on a language refuses its regions too', 'fr-CA, fr;q=0', SITE, 'en'],
    ['* takes the default', '*', SITE, 'en'],
    ['* after an unsupported one', 'es, *;q=0.5', SITE, 'en'],
    ['* skips what q=0 refuses', 'en;q=0, *', SITE, 'fr'],
    ['explicit beats *', '*;q=0.1, de', SITE, 'de'],
    ['exact region among regions', 'en-US', REGIONAL, 'en-US'],
    ['region case-insensitive, spelled as in locales', 'EN-us', REGIONAL, 'en-US'],
    ['language only → first locale of that language', 'en', REGIONAL, 'en-GB'],
    ['other region → first locale of that language', 'en-AU', REGIONAL, 'en-GB'],
    ['pt-PT → pt-BR when that is all there is', 'pt-PT', REGIONAL, 'pt-BR'],
    ['lookup truncation (zh-Hant-TW → zh-Hant)', 'zh-Hant-TW', REGIONAL, 'zh-Hant'],
    ['fr-CA with fr refused but fr-CA offered', 'fr-CA, fr;q=0', ['en', 'fr-CA'], 'fr-CA'],
    ['default is spelled as in locales', 'es', ['pt-BR', 'en'], 'pt-BR'],
    ['no locales → empty', 'fr', [], ''],
  ])('%s', (_name, header, locales, expected) => {
    expect(negotiateLanguage(header, locales)).toBe(expected)
  })

  it.each<[string, string]>([
    ['punctuation', ';;;,,,'],
    ['a URL', 'https://evil.example/?fr'],
    ['bad q', 'fr;q=2'],
    ['bad q text', 'fr;q=high'],
    ['q with four decimals', 'fr;q=0.1234'],
    ['an unknown parameter', 'fr;level=1'],
    ['a subtag too long', 'francais-canadien'],
    ['spaces inside a tag', 'f r'],
    ['underscore tag', 'fr_CA'],
    ['unicode', 'français'],
    ['script injection', '<script>fr</script>'],
  ])('ignores garbage: %s', (_name, header) => {
    expect(negotiateLanguage(header, SITE)).toBe('en')
  })

  it('reads at most 20 entries', () => {
    const header = [...Array.from({ length: 20 }, () => 'es'), 'fr'].join(',')
    expect(negotiateLanguage(header, SITE)).toBe('en')
    expect(
      negotiateLanguage([...Array.from({ length: 19 }, () => 'es'), 'fr'].join(','), SITE)
    ).toBe('fr')
  })

  it('reads at most 1000 characters, and never half an entry', () => {
    // 997 characters: one unsupported range, then a junk "range" too long to be a tag.
    const padding = `es;q=0.9,${'x'.repeat(988)}`
    expect(padding.length).toBe(997)
    // Within the limit, whole.
    expect(negotiateLanguage(`${padding},de`, SITE)).toBe('de')
    // Cut at 1000 inside "frx": "fr" is not taken for it, the partial entry is dropped.
    expect(negotiateLanguage(`${padding},frx`, SITE)).toBe('en')
    expect(negotiateLanguage(`fr,${'x'.repeat(10_000)}`, SITE)).toBe('fr')
    expect(negotiateLanguage('x'.repeat(10_000), SITE)).toBe('en')
  })

  it('always returns one of the locales', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (header) => {
        expect(SITE).toContain(negotiateLanguage(header, SITE))
      })
    )
  })

  it('always returns one of the locales for plausible headers', () => {
    const tag = fc.constantFrom('en', 'fr', 'fr-CA', 'de-DE', 'es', '*', 'EN-gb', 'x', 'zh-Hant')
    const weight = fc.option(fc.constantFrom(';q=0', ';q=0.5', ';q=1', ';q=0.999', ';q=1.5'))
    const entry = fc.tuple(tag, weight).map(([t, w]) => `${t}${w ?? ''}`)
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 25 }), (entries) => {
        expect(REGIONAL).toContain(negotiateLanguage(entries.join(', '), REGIONAL))
      })
    )
  })
})

describe('negotiateLanguage, remembered per isolate', () => {
  it('answers per locales list: the same header against two sites', () => {
    const both = ['en', 'fr']
    const english = ['en']
    for (let i = 0; i < 3; i++) {
      expect(negotiateLanguage('fr-CA,fr;q=0.9', both)).toBe('fr')
      expect(negotiateLanguage('fr-CA,fr;q=0.9', english)).toBe('en')
    }
  })

  it('stays right past its bound (256 headers per list)', () => {
    const locales = ['en', 'fr', 'de']
    for (let i = 0; i < 600; i++) {
      const pick = locales[i % 3] as string
      expect(negotiateLanguage(`${pick};q=0.${(i % 900) + 100}, xx-${i}`, locales)).toBe(pick)
    }
    expect(negotiateLanguage('de', locales)).toBe('de')
  })
})

describe('localeOf', () => {
  it.each<[unknown, string | undefined]>([
    ['fr', 'fr'],
    ['FR', 'fr'],
    ['pt-br', 'pt-BR'],
    ['pt', undefined],
    ['es', undefined],
    ['', undefined],
    [['fr'], undefined],
    [true, undefined],
    [undefined, undefined],
  ])('%j', (value, expected) => {
    expect(localeOf(value, ['en', 'fr', 'pt-BR'])).toBe(expected)
  })
})
