// readContext: every Facts field from one request, table by table, and a property test of totality.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { CfGeo } from './cf'
import { readCf } from './cf'
import type { Facts } from './fields'
import { DAYPARTS, DEVICES, REFERRER_KINDS, WEEKDAYS } from './fields'
import type { ContextInput, ContextOptions } from './read'
import { cleanUtm, readContext, readDnt, readGpc } from './read'

const LOCALES: ContextOptions = { locales: ['en', 'fr', 'pt-BR'] }
// 2025-07-14 is a Monday.
const NOON_UTC = new Date('2025-07-14T12:00:00Z')

function input(overrides: Partial<ContextInput> = {}): ContextInput {
  return {
    url: new URL('https://shop.example/'),
    headers: new Headers(),
    geo: {},
    now: NOON_UTC,
    prefs: {},
    returning: false,
    ...overrides,
  }
}

const read = (overrides: Partial<ContextInput> = {}, options: ContextOptions = LOCALES) =>
  readContext(input(overrides), options)

describe('readContext', () => {
  it('reads a whole request', () => {
    const request = new Request(
      'https://shop.example/bikes?utm_source=Newsletter&utm_medium=email',
      {
        headers: {
          'accept-language': 'fr-CA,fr;q=0.9,en;q=0.8',
          'user-agent':
            'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
          'sec-gpc': '1',
        },
        cf: {
          country: 'CA',
          region: 'Quebec',
          city: 'Montreal',
          continent: 'NA',
          timezone: 'America/Toronto',
        },
      }
    )
    const facts = readContext(
      {
        url: new URL(request.url),
        headers: request.headers,
        geo: readCf(request),
        now: new Date('2025-01-04T15:00:00Z'),
        prefs: { interests: ['cycling'] },
        returning: true,
      },
      LOCALES
    )
    expect(facts).toStrictEqual<Facts>({
      country: 'CA',
      region: 'Quebec',
      city: 'Montreal',
      continent: 'NA',
      eu: false,
      timezone: 'America/Toronto',
      localHour: 10,
      daypart: 'morning',
      weekday: 'saturday',
      weekend: true,
      device: 'mobile',
      language: 'fr',
      referrer: 'email',
      utm: { source: 'newsletter', medium: 'email' },
      path: '/bikes',
      returning: true,
      gpc: true,
      prefs: { interests: ['cycling'] },
      signals: {},
    })
  })

  it('reads a bare request: only the always-present fields and the default language', () => {
    expect(read()).toStrictEqual<Facts>({
      language: 'en',
      referrer: 'none',
      utm: {},
      path: '/',
      returning: false,
      gpc: false,
      prefs: {},
      signals: {},
    })
  })

  it('never takes geo from client-sent headers', () => {
    const request = new Request('https://shop.example/', {
      headers: {
        'cf-ipcountry': 'KP',
        'cf-ipcity': 'Pyongyang',
        'cf-timezone': 'Asia/Pyongyang',
        'x-forwarded-for': '175.45.176.1',
      },
    })
    const facts = read({ headers: request.headers, geo: readCf(request) })
    for (const field of ['country', 'region', 'city', 'continent', 'eu', 'timezone', 'localHour']) {
      expect(facts).not.toHaveProperty(field)
    }
  })

  describe('geo', () => {
    it.each<[string, CfGeo]>([
      [
        'all fields',
        { country: 'DE', region: 'Bavaria', city: 'Munich', continent: 'EU', eu: true },
      ],
      ['only a country', { country: 'US' }],
      ['nothing', {}],
    ])('copies %s', (_name, geo) => {
      const facts = read({ geo })
      for (const key of ['country', 'region', 'city', 'continent', 'eu'] as const) {
        expect(facts[key]).toBe(geo[key])
      }
    })
  })

  describe('local time', () => {
    it.each<[string, string, string, number, Facts['daypart'], Facts['weekday'], boolean]>([
      [
        'Paris, Monday noon UTC',
        '2025-07-14T12:00:00Z',
        'Europe/Paris',
        14,
        'afternoon',
        'monday',
        false,
      ],
      [
        'Paris, Saturday morning',
        '2025-07-12T07:00:00Z',
        'Europe/Paris',
        9,
        'morning',
        'saturday',
        true,
      ],
      ['Paris, Sunday late', '2025-07-13T20:30:00Z', 'Europe/Paris', 22, 'night', 'sunday', true],
      [
        'Paris, Sunday becomes Monday',
        '2025-07-13T22:30:00Z',
        'Europe/Paris',
        0,
        'night',
        'monday',
        false,
      ],
      [
        'New York, Friday evening',
        '2025-07-18T23:00:00Z',
        'America/New_York',
        19,
        'evening',
        'friday',
        false,
      ],
      [
        'Tokyo, Saturday already',
        '2025-07-18T23:00:00Z',
        'Asia/Tokyo',
        8,
        'morning',
        'saturday',
        true,
      ],
      [
        'Paris, winter (UTC+1)',
        '2025-01-13T04:00:00Z',
        'Europe/Paris',
        5,
        'morning',
        'monday',
        false,
      ],
      [
        'Paris, summer (UTC+2)',
        '2025-07-14T04:00:00Z',
        'Europe/Paris',
        6,
        'morning',
        'monday',
        false,
      ],
    ])('%s', (_name, instant, timezone, localHour, daypart, weekday, weekend) => {
      const facts = read({ geo: { timezone }, now: new Date(instant) })
      expect(facts).toMatchObject({ timezone, localHour, daypart, weekday, weekend })
    })

    it.each<[string, CfGeo, Date]>([
      ['no timezone', { country: 'FR' }, NOON_UTC],
      ['an unknown timezone', { timezone: 'Mars/Olympus_Mons' }, NOON_UTC],
      ['an invalid date', { timezone: 'Europe/Paris' }, new Date(Number.NaN)],
    ])('leaves the clock fields out with %s', (_name, geo, now) => {
      const facts = read({ geo, now })
      for (const field of ['localHour', 'daypart', 'weekday', 'weekend']) {
        expect(facts).not.toHaveProperty(field)
      }
    })

    it('keeps a well-formed timezone Intl does not know (it is still what cf said)', () => {
      expect(read({ geo: { timezone: 'Mars/Olympus_Mons' } }).timezone).toBe('Mars/Olympus_Mons')
    })
  })

  describe('device', () => {
    it.each<[string, HeadersInit, Facts['device']]>([
      [
        'a phone',
        {
          'user-agent': 'Mozilla/5.0 (Linux; Android 10; K) Chrome/126.0.0.0 Mobile Safari/537.36',
        },
        'mobile',
      ],
      [
        'a tablet',
        { 'user-agent': 'Mozilla/5.0 (Linux; Android 10; K) Chrome/126.0.0.0 Safari/537.36' },
        'tablet',
      ],
      [
        'a desktop',
        { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0' },
        'desktop',
      ],
      ['a mobile hint alone', { 'sec-ch-ua-mobile': '?1' }, 'mobile'],
      ['nothing', {}, undefined],
    ])('%s', (_name, headers, device) => {
      expect(read({ headers: new Headers(headers) }).device).toBe(device)
    })
  })

  describe('language', () => {
    it.each<[string, Facts['prefs'], string | null, ContextOptions, string]>([
      ['no header, no preference → default', {}, null, LOCALES, 'en'],
      ['Accept-Language', {}, 'fr-CA,fr;q=0.9', LOCALES, 'fr'],
      ['Accept-Language with region', {}, 'pt-BR', LOCALES, 'pt-BR'],
      ['the preference wins over Accept-Language', { language: 'pt-BR' }, 'fr', LOCALES, 'pt-BR'],
      [
        'the preference, other case, spelled as in locales',
        { language: 'PT-br' },
        'fr',
        LOCALES,
        'pt-BR',
      ],
      ['a preference that is not a locale is ignored', { language: 'de' }, 'fr', LOCALES, 'fr'],
      [
        'a preference that is not a locale, no header → default',
        { language: 'de' },
        null,
        LOCALES,
        'en',
      ],
      ['a list preference is ignored', { language: ['fr'] }, null, LOCALES, 'en'],
      ['a boolean preference is ignored', { language: true }, null, LOCALES, 'en'],
      ['an undefined preference is ignored', { language: undefined }, 'fr', LOCALES, 'fr'],
      [
        'another preference name',
        { lang: 'fr', language: 'pt-BR' },
        null,
        { ...LOCALES, languagePreference: 'lang' },
        'fr',
      ],
      ['garbage header → default', {}, '!!!;;;', LOCALES, 'en'],
      ['no locales → no language', {}, 'fr', { locales: [] }, ''],
    ])('%s', (_name, prefs, acceptLanguage, options, language) => {
      const headers = new Headers()
      if (acceptLanguage !== null) {
        headers.set('accept-language', acceptLanguage)
      }
      const facts = read({ prefs, headers }, options)
      if (language === '') {
        expect(facts).not.toHaveProperty('language')
      } else {
        expect(facts.language).toBe(language)
      }
    })

    it('reads only the preference as an own property', () => {
      const prefs = Object.create({ language: 'fr' }) as Facts['prefs']
      expect(read({ prefs }).language).toBe('en')
    })
  })

  describe('referrer', () => {
    it.each<[string, string | null, string, Facts['referrer']]>([
      ['none', null, 'https://shop.example/', 'none'],
      ['internal', 'https://shop.example/bikes', 'https://shop.example/', 'internal'],
      ['search', 'https://www.google.co.uk/', 'https://shop.example/', 'search'],
      ['social', 'https://l.facebook.com/', 'https://shop.example/', 'social'],
      ['webmail', 'https://mail.google.com/', 'https://shop.example/', 'email'],
      ['utm_medium=email, no Referer', null, 'https://shop.example/?utm_medium=Email', 'email'],
      ['other', 'https://notgoogle.com/', 'https://shop.example/', 'other'],
    ])('%s', (_name, referer, url, kind) => {
      const headers = new Headers(referer === null ? {} : { referer })
      expect(read({ headers, url: new URL(url) }).referrer).toBe(kind)
    })

    it('keeps no part of the referring URL', () => {
      const referer = 'https://www.google.com/search?q=secret-term&client=me'
      const facts = read({ headers: new Headers({ referer }) })
      expect(JSON.stringify(facts)).not.toMatch(/google|secret|client/)
    })
  })

  describe('utm', () => {
    it.each<[string, string, Facts['utm']]>([
      ['none', '', {}],
      [
        'all three',
        '?utm_source=news&utm_medium=email&utm_campaign=spring',
        { source: 'news', medium: 'email', campaign: 'spring' },
      ],
      ['lower-cased and trimmed', '?utm_source=%20NewsLetter%20', { source: 'newsletter' }],
      ['+ is a space, dropped', '?utm_campaign=spring+sale', { campaign: 'springsale' }],
      ['unreserved punctuation kept', '?utm_source=a.b_c~d-e', { source: 'a.b_c~d-e' }],
      ['other punctuation dropped', '?utm_source=a%2Fb%3Cscript%3E', { source: 'abscript' }],
      ['unicode dropped', '?utm_source=caf%C3%A9', { source: 'caf' }],
      ['empty → undefined', '?utm_source=&utm_medium=', {}],
      ['only dropped characters → undefined', '?utm_source=%F0%9F%9A%B2%21', {}],
      ['the first of duplicates', '?utm_source=a&utm_source=b', { source: 'a' }],
      ['64 characters kept', `?utm_source=${'a'.repeat(64)}`, { source: 'a'.repeat(64) }],
      ['cut at 64', `?utm_source=${'b'.repeat(65)}`, { source: 'b'.repeat(64) }],
      ['a huge value', `?utm_source=${'c'.repeat(10_000)}`, { source: 'c'.repeat(64) }],
      ['other parameters ignored', '?utm_term=x&utm_content=y&source=z', {}],
      ['names are case-sensitive', '?UTM_SOURCE=x', {}],
    ])('%s', (_name, query, utm) => {
      expect(read({ url: new URL(`https://shop.example/${query}`) }).utm).toStrictEqual(utm)
    })
  })

  describe('path', () => {
    it.each<[string, string, string]>([
      ['root', 'https://shop.example/', '/'],
      ['no query, no fragment', 'https://shop.example/bikes/road?utm_source=x#top', '/bikes/road'],
      ['as encoded by URL', 'https://shop.example/vélo deux', '/v%C3%A9lo%20deux'],
      ['dot segments resolved', 'https://shop.example/a/../b', '/b'],
      [
        'bounded to 1000 characters',
        `https://shop.example/${'p'.repeat(5000)}`,
        `/${'p'.repeat(999)}`,
      ],
    ])('%s', (_name, url, path) => {
      expect(read({ url: new URL(url) }).path).toBe(path)
    })
  })

  describe('gpc', () => {
    it.each<[string, string[], boolean]>([
      ['1', ['1'], true],
      ['1 with whitespace', [' 1\t'], true],
      ['absent', [], false],
      ['empty', [''], false],
      ['0', ['0'], false],
      ['true', ['true'], false],
      ['yes', ['yes'], false],
      ['01', ['01'], false],
      ['1.0', ['1.0'], false],
      ['" 1"', [' 1'], true],
      ['1;q=1', ['1;q=1'], false],
      ['-1', ['-1'], false],
      ['a 10 KB value', ['1'.repeat(10_000)], false],
      // Any line that is exactly "1" carries the visitor's signal: doubt goes their way.
      ['duplicate headers joined as "1, 1"', ['1', '1'], true],
      ['"1, 0"', ['1', '0'], true],
      ['"0, 1"', ['0', '1'], true],
      ['"0, 0"', ['0', '0'], false],
      ['"true, yes"', ['true', 'yes'], false],
      ['one line "1,1"', ['1,1'], true],
    ])('Sec-GPC %s → %s', (_name, values, gpc) => {
      const headers = new Headers()
      for (const value of values) {
        headers.append('sec-gpc', value)
      }
      expect(read({ headers }).gpc).toBe(gpc)
      expect(readGpc(headers)).toBe(gpc)
    })

    it.each<[string, string[], boolean]>([
      ['1', ['1'], true],
      ['0', ['0'], false],
      ['absent', [], false],
      ['true', ['true'], false],
      ['duplicate "1, 1"', ['1', '1'], true],
      ['"0, 1"', ['0', '1'], true],
    ])('DNT %s → %s', (_name, values, dnt) => {
      const headers = new Headers()
      for (const value of values) {
        headers.append('dnt', value)
      }
      expect(readDnt(headers)).toBe(dnt)
    })

    it('does not read DNT as GPC, nor GPC as DNT', () => {
      expect(readGpc(new Headers({ dnt: '1' }))).toBe(false)
      expect(readDnt(new Headers({ 'sec-gpc': '1' }))).toBe(false)
    })
  })

  describe('signals', () => {
    it('passes the consented signals through, and is {} without them', () => {
      expect(read({ signals: { cycling: 2.5 } }).signals).toStrictEqual({ cycling: 2.5 })
      expect(read().signals).toStrictEqual({})
    })
  })

  describe('returning and prefs', () => {
    it.each<[boolean]>([[true], [false]])('returning %s passes through', (returning) => {
      expect(read({ returning }).returning).toBe(returning)
    })

    it('passes the preferences through', () => {
      const prefs = { interests: ['cycling', 'hiking'], newsletter: true, name: 'Ana' }
      expect(read({ prefs }).prefs).toStrictEqual(prefs)
    })
  })
})

describe('cleanUtm', () => {
  it.each<[string | null, string | undefined]>([
    [null, undefined],
    ['', undefined],
    ['   ', undefined],
    ['Google', 'google'],
    [' Spring Sale! ', 'springsale'],
    ['a\u0000b\nc', 'abc'],
    // "İ" lower-cases to "i" plus a combining dot, which is dropped.
    ['İstanbul', 'istanbul'],
  ])('%j → %j', (value, expected) => {
    expect(cleanUtm(value)).toBe(expected)
  })
})

describe('readContext is total', () => {
  const HEADER_NAMES = [
    'user-agent',
    'accept-language',
    'referer',
    'sec-ch-ua-mobile',
    'sec-gpc',
    'cf-ipcountry',
    'x-forwarded-for',
  ]
  // Header values: any ASCII but NUL, CR and LF. (workerd takes bytes above 0x7f too, but warns
  // loudly about each one; they reach the same code paths as ASCII.)
  const byte = fc
    .integer({ min: 1, max: 0x7f })
    .filter((c) => c !== 0x0a && c !== 0x0d)
    .map((c) => String.fromCharCode(c))
  const headerValue = fc.oneof(
    fc.string({ unit: byte, maxLength: 200 }),
    fc.string({ unit: byte, minLength: 600, maxLength: 3000 }),
    fc.constantFrom('?1', '?0', '1', '*', 'fr;q=0', 'https://www.google.com/', 'iPad Mobile')
  )
  const headers = fc.dictionary(fc.constantFrom(...HEADER_NAMES), headerValue)
  const query = fc.dictionary(
    fc.constantFrom('utm_source', 'utm_medium', 'utm_campaign', 'q'),
    fc.string({ maxLength: 200 })
  )
  const cf = fc.oneof(
    fc.constant(undefined),
    fc.dictionary(
      fc.constantFrom('country', 'region', 'city', 'continent', 'isEUCountry', 'timezone', 'x'),
      fc.oneof(
        fc.jsonValue(),
        fc.constantFrom('FR', 'T1', '1', 'Europe/Paris', 'America/New_York', 'Bad/Zone')
      )
    )
  )
  const prefs = fc.dictionary(
    fc.constantFrom('language', 'lang', '__proto__', 'constructor'),
    fc.oneof(fc.string(), fc.boolean(), fc.array(fc.string()), fc.constant(undefined))
  )

  it('never throws and always gives well-formed Facts', () => {
    fc.assert(
      fc.property(
        headers,
        fc.string({ maxLength: 100 }),
        query,
        cf,
        fc.date({ noInvalidDate: false }),
        prefs,
        fc.boolean(),
        (rawHeaders, path, params, cfInit, now, prefValues, returning) => {
          const h = new Headers()
          for (const [name, value] of Object.entries(rawHeaders)) {
            try {
              h.set(name, value)
            } catch {
              // A value the runtime refuses can never reach a worker either.
            }
          }
          const url = new URL(`https://shop.example/${path}`)
          for (const [name, value] of Object.entries(params)) {
            url.searchParams.set(name, value)
          }
          const request = new Request(url, { headers: h, cf: cfInit })
          const facts = readContext(
            {
              url,
              headers: request.headers,
              geo: readCf(request),
              now,
              prefs: prefValues,
              returning,
            },
            { locales: ['en', 'fr', 'pt-BR'] }
          )
          expect(['en', 'fr', 'pt-BR']).toContain(facts.language)
          expect(REFERRER_KINDS).toContain(facts.referrer)
          expect(facts.path.length).toBeLessThanOrEqual(1000)
          expect(typeof facts.gpc).toBe('boolean')
          expect(facts.returning).toBe(returning)
          for (const value of Object.values(facts.utm)) {
            expect(value).toMatch(/^[a-z0-9._~-]{1,64}$/)
          }
          if (facts.device !== undefined) {
            expect(DEVICES).toContain(facts.device)
          }
          if (facts.country !== undefined) {
            expect(facts.country).toMatch(/^(?:[A-Z]{2}|T1)$/)
          }
          if (facts.localHour !== undefined) {
            expect(facts.localHour).toBeGreaterThanOrEqual(0)
            expect(facts.localHour).toBeLessThanOrEqual(23)
            expect(DAYPARTS).toContain(facts.daypart)
            expect(WEEKDAYS).toContain(facts.weekday)
          }
          // Client-sent geo headers never leak in.
          if (cfInit === undefined) {
            expect(facts.country).toBeUndefined()
          }
        }
      )
    )
  })
})

describe('readContext: only the fields a site uses (options.fields)', () => {
  const full = input({
    url: new URL('https://shop.example/a?utm_source=News&utm_medium=email'),
    headers: new Headers({
      'accept-language': 'fr',
      'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148',
    }),
    geo: { country: 'FR', city: 'Paris', timezone: 'Europe/Paris' },
  })

  it('a named field is read; readers no field needs are skipped', () => {
    const facts = readContext(full, { ...LOCALES, fields: new Set(['country']) })
    expect(facts.country).toBe('FR')
    expect(facts).not.toHaveProperty('city')
    expect(facts).not.toHaveProperty('device')
    expect(facts).not.toHaveProperty('language')
    expect(facts).not.toHaveProperty('referrer')
    expect(facts).not.toHaveProperty('localHour')
    expect(facts.utm).toEqual({})
    // Always present, whatever the set.
    expect(facts).toMatchObject({ path: '/a', returning: false, gpc: false, prefs: {} })
  })

  it('no condition names country: country is not read', () => {
    const facts = readContext(full, { ...LOCALES, fields: new Set(['language']) })
    expect(facts).not.toHaveProperty('country')
    expect(facts.language).toBe('fr')
  })

  it('reads the local clock, the referrer (with utm_medium) and UTM only when named', () => {
    const facts = readContext(full, {
      ...LOCALES,
      fields: new Set(['daypart', 'referrer', 'utm.source']),
    })
    expect(facts.daypart).toBe('afternoon')
    expect(facts).not.toHaveProperty('timezone')
    // No Referer, but utm_medium=email: the referrer reads "email" though utm.medium is not kept.
    expect(facts.referrer).toBe('email')
    expect(facts.utm).toEqual({ source: 'news' })
  })

  it('without a set (the preference centre, the API) every field is read, as before', () => {
    const facts = readContext(full, LOCALES)
    expect(facts).toMatchObject({
      country: 'FR',
      city: 'Paris',
      timezone: 'Europe/Paris',
      daypart: 'afternoon',
      device: 'mobile',
      language: 'fr',
      referrer: 'email',
      utm: { source: 'news', medium: 'email' },
    })
    expect(readContext(full, { ...LOCALES, fields: new Set(Object.keys(facts)) })).toEqual(
      expect.objectContaining({ country: 'FR', device: 'mobile' })
    )
  })
})
