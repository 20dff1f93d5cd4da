// What the statistics return at the edges (empty arms, 0% and 100%, bad input) and the SRM rule.
import { describe, expect, it } from 'vitest'
import type { ArmTotals } from '.'
import {
  analyseGoal,
  chanceToBeat,
  cleanTotals,
  estimateRate,
  holdoutLift,
  relativeUplift,
  sampleRatioMismatch,
  twoProportionPValue,
  wilsonInterval,
  zForLevel,
} from '.'
import { EDGEWORTH_FROM, edgeworth, probabilityBBeatsA } from './beta'

const arm = (units: number, conversions: number, exposures = units): ArmTotals => ({
  units,
  exposures,
  conversions,
})

describe('cleaning and levels', () => {
  it.each([
    [arm(10, 3), arm(10, 3)],
    [arm(10, 12), arm(10, 10)],
    [arm(-5, 2), arm(0, 0)],
    [arm(NaN, NaN, NaN), arm(0, 0, 0)],
    [arm(10.7, 2.9, 11.2), arm(10, 2, 11)],
    [arm(Infinity, 1), arm(Number.MAX_SAFE_INTEGER, 1)],
  ])('cleanTotals(%j) = %j', (input, output) => {
    expect(cleanTotals(input)).toEqual(output)
  })

  it('uses z = 1.96 by default and falls back to 0.95 for a level it cannot use', () => {
    expect(zForLevel()).toBeCloseTo(1.959963984540054, 14)
    expect(zForLevel(0.99)).toBeCloseTo(2.5758293035489, 12)
    for (const bad of [1, 0, -1, NaN, 0.3, 2]) {
      expect(zForLevel(bad)).toBe(zForLevel(0.95))
    }
  })
})

describe('rates and intervals', () => {
  it('has no rate and no interval for an empty arm', () => {
    expect(estimateRate(arm(0, 0))).toEqual({
      units: 0,
      exposures: 0,
      conversions: 0,
      rate: null,
      interval: null,
    })
    expect(wilsonInterval(0, 0)).toBeNull()
  })

  it('pins the bounds at 0% and 100% and keeps every interval inside [0, 1]', () => {
    expect(wilsonInterval(0, 10)?.lower).toBe(0)
    expect(wilsonInterval(10, 10)?.upper).toBe(1)
    const one = wilsonInterval(1, 1)
    expect(one?.upper).toBe(1)
    expect(one?.lower).toBeGreaterThan(0.2)
  })
})

describe('comparisons at the edges', () => {
  it('returns null for every comparison against an empty arm', () => {
    for (const [c, t] of [
      [arm(0, 0), arm(100, 5)],
      [arm(100, 5), arm(0, 0)],
    ] as const) {
      expect(relativeUplift(c, t)).toBeNull()
      expect(twoProportionPValue(c, t)).toBeNull()
      expect(chanceToBeat(c, t)).toBeNull()
    }
  })

  it('has no relative uplift when control converts nobody, but still a p-value and a chance', () => {
    expect(relativeUplift(arm(100, 0), arm(100, 5))).toBeNull()
    expect(twoProportionPValue(arm(100, 0), arm(100, 5))).toBeCloseTo(0.0237, 3)
    expect(chanceToBeat(arm(100, 0), arm(100, 5))).toBeGreaterThan(0.98)
  })

  it('gives p = 1 when both arms are at 0% or both at 100%', () => {
    expect(twoProportionPValue(arm(50, 0), arm(80, 0))).toBe(1)
    expect(twoProportionPValue(arm(50, 50), arm(80, 80))).toBe(1)
  })

  it('gives a finite, zero-width uplift interval when both arms are at 100%', () => {
    expect(relativeUplift(arm(10, 10), arm(10, 10))).toEqual({
      uplift: 0,
      interval: { lower: 0, upper: 0 },
    })
  })

  it('gives equal arms a 50% chance and symmetric answers', () => {
    expect(chanceToBeat(arm(900, 45), arm(900, 45))).toBeCloseTo(0.5, 12)
    const ab = chanceToBeat(arm(700, 30), arm(800, 50)) as number
    const ba = chanceToBeat(arm(800, 50), arm(700, 30)) as number
    expect(ab + ba).toBeCloseTo(1, 12)
  })
})

describe('chance to beat: exact sum and Edgeworth', () => {
  it.each([
    [1e5, 1e5, 1e5 + 400, 1e5 - 400],
    [2e6, 3e6, 2e6 + 1500, 3e6 - 1500],
    [5e6, 5e8, 5e6 + 3000, 5e8 - 3000],
    [9e6, 9e6, 9e6 - 4000, 9e6 + 4000],
  ])(
    'agree within 1e-6 below the switch at Beta(%d, %d) against Beta(%d, %d)',
    (aA, bA, aB, bB) => {
      expect(Math.min(aA, bA, aB, bB)).toBeLessThan(EDGEWORTH_FROM)
      expect(Math.abs(probabilityBBeatsA(aA, bA, aB, bB) - edgeworth(aA, bA, aB, bB))).toBeLessThan(
        1e-6
      )
    }
  )

  it('is fast at a million units per arm', () => {
    const started = Date.now()
    for (let i = 0; i < 20; i++) {
      chanceToBeat(arm(1e6, 5e5 + i), arm(1e6, 501_000))
    }
    // About 1 ms each on an idle machine; the bound leaves room for a busy one.
    expect(Date.now() - started).toBeLessThan(2000)
  })
})

describe('analyseGoal and holdoutLift', () => {
  it('compares every arm with control and leaves control without a comparison', () => {
    const results = analyseGoal([arm(1000, 50), arm(1000, 70), arm(1000, 40)])
    expect(results.map((r) => r.rate)).toEqual([0.05, 0.07, 0.04])
    expect(results[0]?.versusControl).toBeNull()
    expect(results[1]?.versusControl?.uplift).toBeCloseTo(0.4, 12)
    expect(results[2]?.versusControl?.uplift).toBeCloseTo(-0.2, 12)
    expect(results[1]?.versusControl?.chanceToBeat).toBeGreaterThan(0.95)
  })

  it('takes another control index, and falls back to 0 for one outside the arms', () => {
    const arms = [arm(1000, 50), arm(1000, 70)]
    expect(analyseGoal(arms, { controlIndex: 1 })[1]?.versusControl).toBeNull()
    expect(analyseGoal(arms, { controlIndex: 1 })[0]?.versusControl?.uplift).toBeCloseTo(-2 / 7, 12)
    expect(analyseGoal(arms, { controlIndex: 5 })[0]?.versusControl).toBeNull()
    expect(analyseGoal([])).toEqual([])
  })

  it('measures personalised against the holdout (the holdout plays control)', () => {
    const lift = holdoutLift(arm(9000, 540), arm(1000, 50))
    expect(lift.personalised.rate).toBeCloseTo(0.06, 12)
    expect(lift.holdout.rate).toBeCloseTo(0.05, 12)
    expect(lift.lift.uplift).toBeCloseTo(0.2, 12)
    expect(lift.lift.chanceToBeat).toBeGreaterThan(0.8)
  })
})

describe('sample-ratio mismatch', () => {
  it('alerts when p < 0.001 and every arm has 8 units', () => {
    const result = sampleRatioMismatch([5000, 5400], [0.5, 0.5])
    expect(result.pValue).toBeLessThan(0.001)
    expect(result.enoughData).toBe(true)
    expect(result.alert).toBe(true)
  })

  it('does not alert below 8 units in an arm, however skewed', () => {
    const result = sampleRatioMismatch([7, 400], [0.5, 0.5])
    expect(result.pValue).toBeLessThan(1e-50)
    expect(result.enoughData).toBe(false)
    expect(result.alert).toBe(false)
  })

  it('does not alert on a healthy split', () => {
    const result = sampleRatioMismatch([1000, 1010, 990], [1, 1, 1])
    expect(result.pValue).toBeGreaterThan(0.5)
    expect(result.alert).toBe(false)
  })

  it('accepts expected units summed over periods when the weights changed', () => {
    // Day 1: 1,000 units at 50/50; day 2: 2,000 units at 20/80 → expected 900 and 2,100.
    const observed = [905, 2095]
    expect(sampleRatioMismatch(observed, [900, 2100]).alert).toBe(false)
    // Judged against the final weights alone, the same split looks broken.
    expect(sampleRatioMismatch(observed, [0.2, 0.8]).alert).toBe(true)
    expect(sampleRatioMismatch(observed, [900, 2100]).expected).toEqual([900, 2100])
  })

  it('leaves out arms with no expected share, and has p = 1 with no units', () => {
    const skipped = sampleRatioMismatch([50, 999, 50], [1, 0, 1])
    expect(skipped.degreesOfFreedom).toBe(1)
    expect(skipped.chiSquare).toBe(0)
    expect(skipped.expected).toEqual([50, 0, 50])
    expect(sampleRatioMismatch([0, 0], [1, 1])).toMatchObject({ pValue: 1, alert: false })
    expect(sampleRatioMismatch([10], [1])).toMatchObject({ pValue: 1, degreesOfFreedom: 0 })
  })

  it('takes its threshold and minimum from the options', () => {
    expect(sampleRatioMismatch([100, 130], [1, 1]).alert).toBe(false)
    expect(sampleRatioMismatch([100, 130], [1, 1], { threshold: 0.05 }).alert).toBe(true)
    expect(
      sampleRatioMismatch([100, 130], [1, 1], { threshold: 0.05, minUnitsPerArm: 101 }).alert
    ).toBe(false)
  })
})
