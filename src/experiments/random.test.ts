// Draws: uniform, no modulo bias (chi-square on 10^6 draws, skewed weights), 53 random bits.
import { describe, expect, it } from 'vitest'
import { weightBounds } from '../config'
import { cryptoRandom, drawIndex, seededRandom } from './random'

// Upper 0.1% points of the chi-square distribution, for 1 to 7 degrees of freedom.
const CRITICAL_0_001 = [10.828, 13.816, 16.266, 18.467, 20.515, 22.458, 24.322]

// Skewed weights for 2 to 8 arms: one heavy arm, small ones, and unequal steps between.
const WEIGHTS: number[][] = [
  [9, 1],
  [70, 20, 10],
  [1, 2, 3, 94],
  [50, 5, 25, 15, 5],
  [1, 1, 1, 1, 1, 95],
  [33, 3, 7, 12, 20, 5, 20],
  [0.5, 1.5, 3, 5, 10, 20, 25, 35],
]

function chiSquare(
  weights: number[],
  draw: (u: number) => number,
  random: () => number,
  n: number
) {
  const counts = new Array<number>(weights.length).fill(0)
  for (let i = 0; i < n; i++) {
    const arm = draw(random())
    counts[arm] = (counts[arm] ?? 0) + 1
  }
  const total = weights.reduce((a, b) => a + b, 0)
  return weights.reduce((chi, w, i) => {
    const expected = (n * w) / total
    return chi + ((counts[i] ?? 0) - expected) ** 2 / expected
  }, 0)
}

describe('drawIndex', () => {
  it.each(WEIGHTS.map((w, i) => [w.length, w, i] as const))(
    '%i arms: 10^6 seeded draws fit the weights (chi-square p > 0.001)',
    (_arms, weights, i) => {
      const bounds = weightBounds(weights)
      const chi = chiSquare(weights, (u) => drawIndex(bounds, u), seededRandom(20261129 + i), 1e6)
      expect(chi).toBeLessThan(CRITICAL_0_001[weights.length - 2] as number)
    }
  )

  it('the test has power: a modulo-biased draw over the same source fails it', () => {
    // What a hash-mod bucketer does: a 0..255 bucket taken modulo the total weight (100).
    const weights = [70, 20, 10]
    const bounds = weightBounds(weights)
    const biased = (u: number) => drawIndex(bounds, (Math.floor(u * 256) % 100) / 100)
    const chi = chiSquare(weights, biased, seededRandom(7), 1e6)
    expect(chi).toBeGreaterThan(CRITICAL_0_001[1] as number)
  })

  it.each([
    [[1, 1], 0, 0],
    [[1, 1], 0.4999, 0],
    [[1, 1], 0.5, 1],
    [[1, 0, 1], 0.5, 2],
    [[0, 1], 0, 1],
    [[3, 1], 0.999999999, 1],
    [[0, 0], 0.5, -1],
  ])('weights %j, u = %d: arm %i (a weight of 0 is never drawn)', (weights, u, arm) => {
    expect(drawIndex(weightBounds(weights), u)).toBe(arm)
  })
})

describe('cryptoRandom', () => {
  it('gives numbers in [0, 1) with 53 bits (multiples of 2^-53, not of 2^-32)', () => {
    let fine = 0
    for (let i = 0; i < 10_000; i++) {
      const u = cryptoRandom()
      expect(u).toBeGreaterThanOrEqual(0)
      expect(u).toBeLessThan(1)
      expect(Number.isInteger(u * 2 ** 53)).toBe(true)
      if (!Number.isInteger(u * 2 ** 32)) {
        fine++
      }
    }
    expect(fine).toBeGreaterThan(9_900)
  })
})

describe('seededRandom', () => {
  it('repeats with its seed and differs between seeds', () => {
    const a = seededRandom(1)
    const b = seededRandom(1)
    const c = seededRandom(2)
    const first = [a(), a(), a()]
    expect([b(), b(), b()]).toEqual(first)
    expect([c(), c(), c()]).not.toEqual(first)
  })
})
