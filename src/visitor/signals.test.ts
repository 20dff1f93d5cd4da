// Reading signals: half-life decay, the floor, caps, keeping the strongest, and bounds for any input.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { StoredSignal } from './state'
import type { SignalPolicy } from './signals'
import { addSignals, currentScores, dayOf, decayScore, SIGNAL_FLOOR } from './signals'

const DAY = 86_400_000
const NOW = Date.UTC(2026, 0, 1, 12)
const TODAY = dayOf(NOW)
const POLICY: SignalPolicy = { halfLifeDays: 7, max: 3, cap: 10 }

describe('dayOf', () => {
  it.each<[number, number]>([
    [0, 0],
    [DAY - 1, 0],
    [DAY, 1],
    [Date.UTC(2026, 0, 1), 20454],
    [Date.UTC(2026, 0, 1, 23, 59, 59), 20454],
  ])('%d ms → day %d', (ms, day) => {
    expect(dayOf(ms)).toBe(day)
  })
})

describe('decayScore', () => {
  it.each<[string, StoredSignal, number, number]>([
    ['the same day', [4, TODAY], TODAY, 4],
    ['one half-life later', [4, TODAY], TODAY + 7, 2],
    ['two half-lives later', [4, TODAY], TODAY + 14, 1],
    ['half a half-life later', [4, TODAY], TODAY + 3.5, 4 / Math.SQRT2],
    ['a day in the future counts as today', [4, TODAY + 5], TODAY, 4],
  ])('%s', (_name, signal, today, expected) => {
    expect(decayScore(signal, today, 7)).toBeCloseTo(expected, 10)
  })
})

describe('currentScores', () => {
  it('decays every score to now and rounds to two decimals', () => {
    const stored = { cycling: [4, TODAY - 7], running: [1, TODAY - 1] } as Record<
      string,
      StoredSignal
    >
    expect(currentScores(stored, NOW, 7)).toEqual({ cycling: 2, running: 0.91 })
  })

  it('forgets a score that decayed below the floor', () => {
    // 1 × 0.5^(35/7) = 0.031: below the floor (0.05).
    expect(currentScores({ hiking: [1, TODAY - 35] }, NOW, 7)).toEqual({})
    expect(currentScores({ hiking: [1, TODAY - 28] }, NOW, 7)).toEqual({ hiking: 0.06 })
  })

  it('is {} for no signals', () => {
    expect(currentScores(undefined, NOW, 7)).toEqual({})
    expect(currentScores({}, NOW, 7)).toEqual({})
  })

  it('keeps an id such as "__proto__" a plain key', () => {
    const scores = currentScores(JSON.parse('{"__proto__": [2, 20454]}'), NOW, 7)
    expect(Object.getPrototypeOf(scores)).toBe(Object.prototype)
    expect(Object.keys(scores)).toEqual(['__proto__'])
  })
})

describe('addSignals', () => {
  it('starts a score and dates it today', () => {
    expect(addSignals(undefined, { cycling: 1 }, NOW, POLICY)).toEqual({ cycling: [1, TODAY] })
  })

  it('adds to a decayed score', () => {
    expect(addSignals({ cycling: [4, TODAY - 7] }, { cycling: 1 }, NOW, POLICY)).toEqual({
      cycling: [3, TODAY],
    })
  })

  it('re-dates the scores it did not add to, decayed', () => {
    expect(addSignals({ running: [4, TODAY - 7] }, { cycling: 1 }, NOW, POLICY)).toEqual({
      running: [2, TODAY],
      cycling: [1, TODAY],
    })
  })

  it('caps a score', () => {
    expect(addSignals({ cycling: [9.5, TODAY] }, { cycling: 1 }, NOW, POLICY)).toEqual({
      cycling: [10, TODAY],
    })
  })

  it('keeps only the strongest `max` interests, dropping the weakest', () => {
    const stored: Record<string, StoredSignal> = {
      a: [5, TODAY],
      b: [4, TODAY],
      c: [0.5, TODAY],
    }
    expect(addSignals(stored, { d: 1 }, NOW, POLICY)).toEqual({
      a: [5, TODAY],
      b: [4, TODAY],
      d: [1, TODAY],
    })
  })

  it('breaks ties by id, whatever the order of insertion', () => {
    const one = addSignals({ z: [1, TODAY], y: [1, TODAY] }, { x: 1, w: 1 }, NOW, POLICY)
    const two = addSignals({ w: [1, TODAY], x: [1, TODAY] }, { y: 1, z: 1 }, NOW, POLICY)
    expect(Object.keys(one)).toEqual(['w', 'x', 'y'])
    expect(two).toEqual(one)
  })

  it('drops what decayed below the floor, and ignores non-positive or non-finite additions', () => {
    expect(
      addSignals({ old: [1, TODAY - 70] }, { a: 0, b: -1, c: Number.NaN, d: Infinity }, NOW, POLICY)
    ).toEqual({})
  })

  it('never grows a score dated in the future (a clock that went back)', () => {
    expect(addSignals({ a: [3, TODAY + 3] }, {}, NOW, POLICY)).toEqual({ a: [3, TODAY] })
  })

  it('stays within max, cap and the floor for any input', () => {
    const id = fc.stringMatching(/^[a-z]{1,6}$/)
    const signal = fc.tuple(
      fc.double({ min: 0, max: 1e6, noNaN: true }),
      fc.integer({ min: 0, max: TODAY + 30 })
    )
    fc.assert(
      fc.property(
        fc.dictionary(id, signal, { maxKeys: 20 }),
        fc.dictionary(id, fc.double({ min: -5, max: 50, noNaN: true }), { maxKeys: 10 }),
        fc.integer({ min: 1, max: 16 }),
        (stored, add, max) => {
          const out = addSignals(stored as Record<string, StoredSignal>, add, NOW, {
            halfLifeDays: 7,
            max,
            cap: 20,
          })
          const entries = Object.values(out)
          expect(entries.length).toBeLessThanOrEqual(max)
          for (const [score, day] of entries) {
            expect(score).toBeGreaterThanOrEqual(SIGNAL_FLOOR)
            expect(score).toBeLessThanOrEqual(20)
            expect(day).toBe(TODAY)
          }
        }
      )
    )
  })
})
