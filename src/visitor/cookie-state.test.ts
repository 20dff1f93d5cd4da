// The cookie's visitor-control fields: old cookies stay valid, new fields round-trip, bounds hold.
import { beforeAll, describe, expect, it } from 'vitest'
import { readVisitor, VISITOR_PURPOSE, writeVisitor } from './cookie'
import type { StoredSignal, VisitorState } from './state'
import { MAX_STORED_SIGNALS } from './state'
import type { Keyring } from './keys'
import { claimsJson, cookiePair, craftToken, CURRENT, keyringOf, NOW } from './testing'

const name = '__Host-tailor'
const IAT = Math.floor(NOW / 1000)
let keyring: Keyring

beforeAll(async () => {
  keyring = await keyringOf(CURRENT)
})

const write = (state: VisitorState) =>
  writeVisitor(state, { name, keyring, now: NOW, maxAgeDays: 180 })
const read = (header: string) => readVisitor(header, { name, keyring, now: NOW })
const withData = async (d: unknown) =>
  `${name}=${await craftToken(claimsJson({ d }), { purpose: VISITOR_PURPOSE, keyring })}`

describe('visitor state with pause, consent and signals', () => {
  it('reads a cookie written before these fields existed as valid, with none of them', async () => {
    const result = await read(await withData({ prefs: { name: 'Ana' }, created: IAT }))
    expect(result).toMatchObject({
      status: 'valid',
      visitor: { prefs: { name: 'Ana' }, created: IAT },
    })
    expect(result.status === 'valid' && Object.keys(result.visitor)).toEqual(['prefs', 'created'])
  })

  it('round-trips every field', async () => {
    const state: VisitorState = {
      prefs: { interests: ['cycling'] },
      created: IAT - 100,
      paused: true,
      consent: { signals: true, at: IAT - 50 },
      signals: { cycling: [2.5, 20450], running: [1, 20454] },
    }
    const result = await read(cookiePair(await write(state)))
    expect(result).toMatchObject({ status: 'valid', visitor: state })
  })

  it('leaves out paused: false and empty signals, so the cookie stays short', async () => {
    const short = cookiePair(await write({ prefs: {}, created: IAT }))
    const same = cookiePair(await write({ prefs: {}, created: IAT, paused: false, signals: {} }))
    expect(same).toBe(short)
  })

  it.each<[string, Record<string, unknown>]>([
    ['paused a string', { paused: 'yes' }],
    ['consent not an object', { consent: true }],
    ['consent without at', { consent: { signals: true } }],
    ['consent.signals a string', { consent: { signals: 'yes', at: 1 } }],
    ['consent.at negative', { consent: { signals: true, at: -1 } }],
    ['signals an array', { signals: [] }],
    ['a signal not a pair', { signals: { cycling: [1] } }],
    ['a signal with a string score', { signals: { cycling: ['1', 2] } }],
    ['a signal with a fractional day', { signals: { cycling: [1, 2.5] } }],
    ['a signal with a negative score', { signals: { cycling: [-1, 2] } }],
    ['a signal with a null score (JSON has no Infinity)', { signals: { cycling: [null, 2] } }],
    ['a signal id that is no id', { signals: { 'a b': [1, 2] } }],
    ['a signal id of 41 characters', { signals: { ['a'.repeat(41)]: [1, 2] } }],
    [
      'more signals than a cookie may carry',
      {
        signals: Object.fromEntries(
          Array.from({ length: MAX_STORED_SIGNALS + 1 }, (_, i) => [`i${i}`, [1, 2]])
        ),
      },
    ],
  ])('%s → malformed', async (_name, extra) => {
    expect(await read(await withData({ prefs: {}, created: IAT, ...extra }))).toEqual({
      status: 'invalid',
      reason: 'malformed',
    })
  })

  it('refuses to write a misshapen state', async () => {
    await expect(
      write({ prefs: {}, created: IAT, signals: { x: [1, 0.5] as StoredSignal } })
    ).rejects.toThrow(TypeError)
  })

  it('stays well under 4 KB with the most signals the config allows and a full set of prefs', async () => {
    // The config allows at most 16 interests (ids up to 40 characters), and scores keep two decimals.
    const signals: Record<string, StoredSignal> = {}
    for (let i = 0; i < 16; i++) {
      signals[`interest-with-a-long-id-${String(i).padStart(15, '0')}`] = [19.99, 20454]
    }
    const state: VisitorState = {
      prefs: {
        interests: ['cycling', 'running', 'hiking', 'climbing', 'skiing', 'paddling'],
        name: 'x'.repeat(40),
        language: 'pt-BR',
      },
      created: IAT,
      paused: true,
      consent: { signals: true, at: IAT },
      signals,
    }
    const setCookie = await write(state)
    const bytes = new TextEncoder().encode(cookiePair(setCookie)).length
    expect(bytes).toBeLessThan(2500)
    expect(bytes).toBeLessThan(4096 / 1.5)
  })
})
