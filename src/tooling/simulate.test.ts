import { describe, expect, it } from 'vitest'
import type { Facts } from '../context'
import { applySimulation, parseSimulation, readSimulation } from './simulate'

const FACTS: Facts = {
  country: 'US',
  eu: false,
  localHour: 9,
  daypart: 'morning',
  weekday: 'monday',
  weekend: false,
  utm: {},
  path: '/',
  returning: false,
  gpc: false,
  prefs: { interests: ['cycling'] },
}

describe('parseSimulation', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    [
      'country:FR,daypart:evening,device:mobile',
      { country: 'FR', daypart: 'evening', device: 'mobile' },
      [],
    ],
    [' country : FR , localHour:21 ', { country: 'FR', localHour: 21 }, []],
    ['weekend:true,eu:false', { weekend: true, eu: false }, []],
    ['utm.campaign:spring,referrer:search', { 'utm.campaign': 'spring', referrer: 'search' }, []],
    ['country:UK', {}, ['country: Expected an ISO 3166-1 alpha-2 country code. Got "UK".']],
    [
      'daypart:noon',
      {},
      ['daypart: Expected one of night, morning, afternoon, evening. Got "noon".'],
    ],
    ['localHour:25', {}, ['localHour: Expected a number from 0 to 23. Got 25.']],
    ['localHour:x', {}, ['localHour: Expected a number. Got "x".']],
    ['eu:yes', {}, ['eu: Expected true or false. Got "yes".']],
    [
      'prefs.name:Mallory',
      {},
      [
        expect.stringMatching(
          /^prefs\.name: Unknown field\. Expected one of: country, /
        ) as unknown as string,
      ],
    ],
    ['', {}, []],
    [',,,', {}, []],
  ])('%j', (text, overrides, issues) => {
    expect(parseSimulation(text)).toEqual({ overrides, issues })
  })

  it('is bounded', () => {
    const many = Array.from({ length: 100 }, () => 'country:FR').join(',')
    expect(parseSimulation(many).overrides).toEqual({ country: 'FR' })
    expect(parseSimulation(`country:${'F'.repeat(5000)}`).issues).toHaveLength(1)
  })
})

describe('applySimulation', () => {
  it('forces fields and derives eu, daypart and weekend unless forced too', () => {
    expect(
      applySimulation(FACTS, parseSimulation('country:FR,localHour:20,weekday:sunday'))
    ).toMatchObject({
      country: 'FR',
      eu: true,
      localHour: 20,
      daypart: 'evening',
      weekday: 'sunday',
      weekend: true,
    })
    expect(applySimulation(FACTS, parseSimulation('country:FR,eu:false'))).toMatchObject({
      country: 'FR',
      eu: false,
    })
    expect(applySimulation(FACTS, parseSimulation('country:CH'))).toMatchObject({ eu: false })
  })

  it('keeps preferences and does not change the facts it was given', () => {
    const out = applySimulation(FACTS, parseSimulation('utm.campaign:spring'))
    expect(out.utm).toEqual({ campaign: 'spring' })
    expect(out.prefs).toBe(FACTS.prefs)
    expect(FACTS.utm).toEqual({})
  })

  it('returns the same facts when nothing is forced', () => {
    expect(applySimulation(FACTS, parseSimulation(null))).toBe(FACTS)
  })
})

describe('readSimulation', () => {
  it('prefers the header to the query parameter', () => {
    const req = new Request('https://x.test/?tailor-sim=country:DE', {
      headers: { 'x-tailor-sim': 'country:FR' },
    })
    expect(readSimulation(req).overrides).toEqual({ country: 'FR' })
    expect(readSimulation(new Request('https://x.test/?tailor-sim=country:DE')).overrides).toEqual({
      country: 'DE',
    })
  })
})
