// readCf: request.cf validated field by field; client-sent geo headers never trusted.
import { describe, expect, it } from 'vitest'
import type { CfGeo } from './cf'
import { readCf } from './cf'
import { CONTEXT_FIELDS } from './fields'

const URL_ = 'https://shop.example/'
const withCf = (cf: Record<string, unknown>, headers?: HeadersInit) =>
  new Request(URL_, { cf, headers })

describe('readCf', () => {
  it('reads a real Cloudflare cf object', () => {
    const request = withCf({
      asn: 3215,
      colo: 'CDG',
      country: 'FR',
      isEUCountry: '1',
      continent: 'EU',
      city: 'Paris',
      region: 'Île-de-France',
      regionCode: 'IDF',
      postalCode: '75001',
      timezone: 'Europe/Paris',
      latitude: '48.85',
      longitude: '2.35',
    })
    expect(readCf(request)).toEqual({
      country: 'FR',
      eu: true,
      continent: 'EU',
      city: 'Paris',
      region: 'Île-de-France',
      timezone: 'Europe/Paris',
    })
  })

  it('keeps no other cf field (no coordinates, postal code, ASN)', () => {
    const geo = readCf(withCf({ country: 'US', latitude: '30.2', postalCode: '78701', asn: 7922 }))
    expect(Object.keys(geo).sort()).toEqual(['country', 'eu'])
  })

  it('gives {} for a request without cf', () => {
    expect(readCf(new Request(URL_))).toEqual({})
  })

  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'FR'],
    ['a number', 42],
    ['an array', ['FR']],
  ])('gives {} when cf is %s', (_name, cf) => {
    expect(readCf({ cf } as unknown as Request)).toEqual({})
  })

  it('gives {} when reading cf throws', () => {
    const request = {
      get cf(): unknown {
        throw new Error('boom')
      },
    } as unknown as Request
    expect(readCf(request)).toEqual({})
  })

  it('gives {} when a cf getter throws', () => {
    const cf = {
      get country(): unknown {
        throw new Error('boom')
      },
    }
    expect(readCf({ cf } as unknown as Request)).toEqual({})
  })

  it('ignores inherited properties', () => {
    const cf = Object.create({ country: 'FR', timezone: 'Europe/Paris' }) as object
    expect(readCf({ cf } as unknown as Request)).toEqual({})
  })

  it.each<[string, unknown]>([
    ['FR', 'FR'],
    ['US', 'US'],
    ['GB', 'GB'],
    ['XX (unknown)', 'XX'],
    ['T1 (Tor)', 'T1'],
  ])('accepts country %s', (_name, country) => {
    expect(readCf(withCf({ country })).country).toBe(country)
  })

  it.each<[string, unknown]>([
    ['lower case', 'fr'],
    ['mixed case', 'Fr'],
    ['three letters', 'FRA'],
    ['one letter', 'F'],
    ['empty', ''],
    ['digits', '12'],
    ['T2', 'T2'],
    ['padded', ' FR'],
    ['a number', 33],
    ['a boolean', true],
    ['an object', { code: 'FR' }],
    ['an array', ['FR']],
    ['null', null],
  ])('rejects country %s', (_name, country) => {
    expect(readCf(withCf({ country })).country).toBeUndefined()
  })

  it('accepts exactly the countries the catalogue accepts', () => {
    const pattern = CONTEXT_FIELDS.country?.pattern?.regex
    for (const country of ['FR', 'XX', 'T1', 'fr', 'T2', 'FRA', '']) {
      expect(readCf(withCf({ country })).country !== undefined).toBe(pattern?.test(country))
    }
  })

  it('never reads geo from client-sent headers', () => {
    const headers = {
      'cf-ipcountry': 'KP',
      'cf-ipcity': 'Pyongyang',
      'cf-ipcontinent': 'AS',
      'cf-timezone': 'Asia/Pyongyang',
      'x-forwarded-for': '175.45.176.1',
      'cf-connecting-ip': '175.45.176.1',
    }
    expect(readCf(new Request(URL_, { headers }))).toEqual({})
    expect(readCf(withCf({ country: 'FR' }, headers))).toEqual({ country: 'FR', eu: false })
  })

  it.each<[string, Record<string, unknown>, boolean | undefined]>([
    ['"1"', { country: 'FR', isEUCountry: '1' }, true],
    ['true (tests)', { country: 'FR', isEUCountry: true }, true],
    ['"0"', { country: 'CH', isEUCountry: '0' }, false],
    ['false', { country: 'CH', isEUCountry: false }, false],
    ['absent, with a country (Cloudflare omits it outside the EU)', { country: 'US' }, false],
    ['absent, no country', { city: 'Austin' }, undefined],
    ['absent, country unknown (XX)', { country: 'XX' }, undefined],
    ['absent, Tor (T1)', { country: 'T1' }, undefined],
    ['absent, malformed country', { country: 'usa' }, undefined],
    ['"yes"', { country: 'FR', isEUCountry: 'yes' }, undefined],
    ['1 as a number', { country: 'FR', isEUCountry: 1 }, undefined],
    ['null', { country: 'FR', isEUCountry: null }, undefined],
  ])('eu from isEUCountry %s', (_name, cf, eu) => {
    expect(readCf(withCf(cf)).eu).toBe(eu)
  })

  it.each<[string, unknown, string | undefined]>([
    ['a name', 'Texas', 'Texas'],
    ['unicode', 'Île-de-France', 'Île-de-France'],
    ['trimmed', '  Texas ', 'Texas'],
    ['100 characters', 'a'.repeat(100), 'a'.repeat(100)],
    ['101 characters', 'a'.repeat(101), undefined],
    ['empty', '', undefined],
    ['blank', '   ', undefined],
    ['a control character', 'Tex\nas', undefined],
    ['NUL', 'Tex\u0000as', undefined],
    ['a number', 48, undefined],
    ['an object', { name: 'Texas' }, undefined],
  ])('region and city: %s', (_name, value, expected) => {
    const geo = readCf(withCf({ region: value, city: value }))
    expect(geo.region).toBe(expected)
    expect(geo.city).toBe(expected)
  })

  it.each<[unknown, string | undefined]>([
    ['EU', 'EU'],
    ['NA', 'NA'],
    ['AN', 'AN'],
    ['eu', undefined],
    ['T1', undefined],
    ['Europe', undefined],
    [1, undefined],
  ])('continent %j', (continent, expected) => {
    expect(readCf(withCf({ continent })).continent).toBe(expected)
  })

  it.each<[unknown, string | undefined]>([
    ['Europe/Paris', 'Europe/Paris'],
    ['America/Argentina/Buenos_Aires', 'America/Argentina/Buenos_Aires'],
    ['America/Port-au-Prince', 'America/Port-au-Prince'],
    ['Etc/GMT+5', 'Etc/GMT+5'],
    ['UTC', 'UTC'],
    // Well formed but unknown: kept here; localTime decides (and says undefined).
    ['Mars/Olympus_Mons', 'Mars/Olympus_Mons'],
    ['Europe/Paris; drop', undefined],
    ['../etc/passwd', undefined],
    ['Europe/Paris\n', 'Europe/Paris'],
    [`Europe/${'x'.repeat(100)}`, undefined],
    ['', undefined],
    [3600, undefined],
  ])('timezone %j', (timezone, expected) => {
    expect(readCf(withCf({ timezone })).timezone).toBe(expected)
  })

  it('keeps the valid fields when others are malformed', () => {
    const geo: CfGeo = readCf(
      withCf({ country: 'france', city: 'Lyon', timezone: 42, continent: 'EU', isEUCountry: '1' })
    )
    expect(geo).toEqual({ city: 'Lyon', continent: 'EU', eu: true })
  })
})
