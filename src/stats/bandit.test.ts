// Bandit allocation: burn-in, floor, determinism, the samplers, and simulations against known arm rates.
import { describe, expect, it } from 'vitest'
import type { ArmTotals, BanditOptions } from '.'
import {
  banditWeights,
  chanceToBeat,
  contextualBanditWeights,
  createRandom,
  floorWeights,
  thompsonShares,
} from '.'
import { sampleBeta, sampleGamma } from './random'

const arm = (units: number, conversions: number, exposures = units): ArmTotals => ({
  units,
  exposures,
  conversions,
})
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0)

describe('createRandom and the samplers', () => {
  it('is deterministic per seed, inside (0, 1), and different across seeds', () => {
    const a = createRandom(42)
    const b = createRandom(42)
    const c = createRandom(43)
    const fromA = Array.from({ length: 5 }, a)
    expect(Array.from({ length: 5 }, b)).toEqual(fromA)
    expect(Array.from({ length: 5 }, c)).not.toEqual(fromA)
    const random = createRandom(7)
    let total = 0
    let outside = 0
    for (let i = 0; i < 100_000; i++) {
      const u = random()
      outside += u > 0 && u < 1 ? 0 : 1
      total += u
    }
    expect(outside).toBe(0)
    // Mean of 1e5 uniforms: sd 0.0009.
    expect(Math.abs(total / 100_000 - 0.5)).toBeLessThan(0.004)
  })

  it.each([
    [3, 7],
    [1, 1],
    [51, 951],
    [0.5, 2],
  ])('Beta(%d, %d) draws have the right mean and variance', (alpha, beta) => {
    const random = createRandom(11)
    const n = 40_000
    const draws = Array.from({ length: n }, () => sampleBeta(alpha, beta, random))
    const mean = sum(draws) / n
    const variance = sum(draws.map((x) => (x - mean) ** 2)) / (n - 1)
    const s = alpha + beta
    const trueVariance = (alpha * beta) / (s * s * (s + 1))
    // Five standard errors of the mean; the variance within 5%.
    expect(Math.abs(mean - alpha / s)).toBeLessThan(5 * Math.sqrt(trueVariance / n))
    expect(Math.abs(variance / trueVariance - 1)).toBeLessThan(0.05)
  })

  it('Gamma draws of a large shape stay near the shape (no overflow at a million)', () => {
    const random = createRandom(3)
    const x = sampleGamma(1e6, random)
    expect(Math.abs(x - 1e6)).toBeLessThan(6 * 1000)
  })
})

describe('floorWeights (additive floor, as gbstats)', () => {
  it.each([
    [[1, 0, 0], 0.01, [0.98, 0.01, 0.01]],
    [[0.5, 0.5], 0.01, [0.5, 0.5]],
    [[0.2, 0.3, 0.5], 0, [0.2, 0.3, 0.5]],
    [[1, 0], 0.5, [0.5, 0.5]],
    [[1, 0, 0], 0.4, [1 / 3, 1 / 3, 1 / 3]],
    [[0, 0], 0.01, [0.5, 0.5]],
    [[2, 6], 0.1, [0.25, 0.75].map((w) => 0.1 + 0.8 * w)],
  ])('%j with floor %d gives %j', (weights, floor, expected) => {
    const result = floorWeights(weights, floor)
    result.forEach((w, i) => expect(w).toBeCloseTo(expected[i] as number, 15))
    expect(Math.abs(sum(result) - 1)).toBeLessThanOrEqual(1e-15)
  })
})

describe('banditWeights', () => {
  const options: BanditOptions = { seed: 5, draws: 10_000 }

  it('keeps equal weights until every arm has 100 exposures', () => {
    const burnIn = banditWeights([arm(5000, 500), arm(99, 0, 99), arm(5000, 100)], options)
    expect(burnIn).toEqual({ weights: [1 / 3, 1 / 3, 1 / 3], phase: 'burn-in' })
    const ready = banditWeights([arm(5000, 500), arm(100, 0, 100), arm(5000, 100)], options)
    expect(ready.phase).toBe('thompson')
    // The 10% arm is far ahead: it takes all but the two floors (give or take a rare draw: the
    // 0-of-100 arm beats it with probability about 2e-5).
    expect(ready.weights[0]).toBeCloseTo(0.98, 3)
    expect(ready.weights[1]).toBeCloseTo(0.01, 3)
    expect(ready.weights[2]).toBeCloseTo(0.01, 3)
    expect(Math.min(...ready.weights)).toBeGreaterThanOrEqual(0.01)
  })

  it('burn-in counts exposures, not units', () => {
    expect(banditWeights([arm(150, 10, 99), arm(150, 20, 150)], options).phase).toBe('burn-in')
  })

  it('is deterministic for a seed', () => {
    const arms = [arm(1000, 50), arm(1000, 58), arm(1000, 55)]
    expect(banditWeights(arms, options)).toEqual(banditWeights(arms, options))
    expect(banditWeights(arms, { ...options, seed: 6 }).weights).not.toEqual(
      banditWeights(arms, options).weights
    )
  })

  it('Thompson shares of two arms match the exact chance to beat, within Monte-Carlo error', () => {
    const control = arm(1000, 50)
    const variant = arm(1000, 62)
    const exact = chanceToBeat(control, variant) as number
    const shares = thompsonShares([control, variant], 20_000, createRandom(9))
    // sd of a share from 20,000 draws ≤ 0.0036; allow four.
    expect(Math.abs((shares[1] as number) - exact)).toBeLessThan(0.015)
    expect(sum(shares)).toBe(1)
  })

  it('has no arms to weigh for no arms', () => {
    expect(banditWeights([], options)).toEqual({ weights: [], phase: 'burn-in' })
  })
})

describe('contextualBanditWeights', () => {
  it('gives a cell its own weights after burn-in, and the pooled ones before', () => {
    const result = contextualBanditWeights(
      {
        'mobile|evening': [arm(2000, 200), arm(2000, 100)],
        'desktop|morning': [arm(2000, 100), arm(2000, 200)],
        'tablet|night': [arm(50, 5), arm(40, 1)],
      },
      { seed: 1 }
    )
    expect(result.pooled.phase).toBe('thompson')
    const cells = result.cells
    expect(cells['mobile|evening']?.from).toBe('cell')
    expect(cells['mobile|evening']?.weights[0]).toBeGreaterThan(0.95)
    expect(cells['desktop|morning']?.weights[1]).toBeGreaterThan(0.95)
    expect(cells['tablet|night']).toEqual({ ...result.pooled, from: 'pooled' })
  })

  it('treats missing arms as empty and a "__proto__" cell as a plain cell', () => {
    const cells = Object.fromEntries([
      ['__proto__', [arm(500, 5)]],
      ['other', [arm(500, 5), arm(500, 9)]],
    ])
    const result = contextualBanditWeights(cells)
    expect(Object.keys(result.cells).sort()).toEqual(['__proto__', 'other'])
    expect(result.cells['__proto__']?.from).toBe('pooled')
    expect(result.cells['__proto__']?.weights).toHaveLength(2)
  })
})

// ---- Simulation ------------------------------------------------------------------------------

type Policy = 'uniform' | 'bandit' | 'pooled' | 'per-cell'

interface Simulation {
  /** Expected (pseudo-)regret: Σ over units of best rate in its cell − rate of the arm it got. */
  readonly regret: number
  /** Every weight vector the policy used after burn-in. */
  readonly weightHistory: readonly (readonly number[])[]
}

/**
 * Drives `units` synthetic units through a policy: each unit falls in a cell (by `cellShares`),
 * gets an arm drawn from the current weights, and converts with that cell's rate for the arm. The
 * weights are recomputed every `every` units (20 times over the run), as the experiment's Durable
 * Object does on its alarm, with the default 10,000 draws.
 */
function simulate(
  policy: Policy,
  rates: readonly (readonly number[])[],
  cellShares: readonly number[],
  { units = 20_000, every = 1000, seed = 2026, floor = 0.01 } = {}
): Simulation {
  const random = createRandom(seed)
  const arms = (rates[0] as readonly number[]).length
  const cellKeys = rates.map((_, i) => `cell${i}`)
  const counts = rates.map(() => Array.from({ length: arms }, () => arm(0, 0)))
  const equal = Array.from({ length: arms }, () => 1 / arms)
  let weightsByCell = rates.map(() => equal)
  const weightHistory: number[][] = []
  let regret = 0
  let alarm = 0
  for (let unit = 0; unit < units; unit++) {
    if (unit % every === 0 && policy !== 'uniform') {
      const options = { floor, seed: seed + alarm++ }
      if (policy === 'per-cell') {
        const result = contextualBanditWeights(
          Object.fromEntries(cellKeys.map((k, i) => [k, counts[i] as ArmTotals[]])),
          options
        )
        weightsByCell = cellKeys.map((k) => result.cells[k]?.weights ?? equal) as number[][]
        weightHistory.push(...cellKeys.map((k) => [...(result.cells[k]?.weights ?? [])]))
      } else {
        // 'bandit' and 'pooled': one set of weights from the counts summed over cells.
        const pooled = Array.from({ length: arms }, (_, a) => {
          const cellArms = counts.map((c) => c[a] as ArmTotals)
          return arm(sum(cellArms.map((c) => c.units)), sum(cellArms.map((c) => c.conversions)))
        })
        const result = banditWeights(pooled, options)
        weightsByCell = rates.map(() => [...result.weights])
        if (result.phase === 'thompson') {
          weightHistory.push([...result.weights])
        }
      }
    }
    const cell = pick(cellShares, random())
    const armIndex = pick(weightsByCell[cell] as number[], random())
    const cellRates = rates[cell] as readonly number[]
    const rate = cellRates[armIndex] as number
    regret += Math.max(...cellRates) - rate
    const before = (counts[cell] as ArmTotals[])[armIndex] as ArmTotals
    const converted = random() < rate ? 1 : 0
    ;(counts[cell] as ArmTotals[])[armIndex] = arm(before.units + 1, before.conversions + converted)
  }
  return { regret, weightHistory }
}

function pick(weights: readonly number[], u: number): number {
  let cumulative = 0
  for (let i = 0; i < weights.length; i++) {
    cumulative += weights[i] as number
    if (u < cumulative) {
      return i
    }
  }
  return weights.length - 1
}

function expectDistributions(history: readonly (readonly number[])[], floor: number) {
  expect(history.length).toBeGreaterThan(0)
  for (const weights of history) {
    expect(Math.abs(sum(weights) - 1)).toBeLessThanOrEqual(1e-12)
    for (const w of weights) {
      expect(w).toBeGreaterThanOrEqual(floor)
    }
  }
}

describe('simulation: 20,000 units, fixed seed, known rates', () => {
  // Generous timeouts: about 1 s and 2 s alone, but CI machines are shared.
  it(
    'the bandit has less regret than uniform allocation, with valid weights throughout',
    { timeout: 30_000 },
    () => {
      const rates = [[0.04, 0.05, 0.07]]
      const uniform = simulate('uniform', rates, [1])
      const bandit = simulate('bandit', rates, [1])
      // Uniform's expected regret is 20,000 × (0.07 − 0.0533) ≈ 333.
      expect(uniform.regret).toBeGreaterThan(300)
      expect(bandit.regret).toBeLessThan(uniform.regret)
      // And not by a hair (seed 2026: about 34 against 333): the bandit moves most traffic to the
      // best arm once burn-in ends.
      expect(bandit.regret).toBeLessThan(0.3 * uniform.regret)
      expectDistributions(bandit.weightHistory, 0.01)
      expect(Math.max(...(bandit.weightHistory.at(-1) as number[]))).toBeGreaterThan(0.8)
    }
  )

  it(
    'when the best arm differs by cell, the per-cell bandit beats the pooled one',
    { timeout: 30_000 },
    () => {
      // Mobile (60% of traffic) likes arm 0, desktop likes arm 1; pooled, arm 0 looks best
      // (0.076 against 0.066), so a pooled bandit serves desktop the wrong arm.
      const rates = [
        [0.1, 0.05, 0.06],
        [0.04, 0.09, 0.05],
      ]
      const shares = [0.6, 0.4]
      const pooled = simulate('pooled', rates, shares)
      const perCell = simulate('per-cell', rates, shares)
      const uniform = simulate('uniform', rates, shares)
      expect(perCell.regret).toBeLessThan(pooled.regret)
      expect(perCell.regret).toBeLessThan(0.3 * pooled.regret)
      expect(pooled.regret).toBeLessThan(uniform.regret)
      expectDistributions(perCell.weightHistory, 0.01)
      expectDistributions(pooled.weightHistory, 0.01)
    }
  )
})
