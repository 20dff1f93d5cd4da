// The statistics against reference values from scipy/numpy/mpmath (scripts/stats-fixture.py).
import { describe, expect, it } from 'vitest'
import {
  chanceToBeat,
  compareArms,
  relativeUplift,
  sampleRatioMismatch,
  twoProportionPValue,
  wilsonInterval,
} from '.'
import fixture from './fixture.json'
import {
  chiSquareSf,
  logBeta,
  logGamma,
  normalCdf,
  normalQuantile,
  twoSidedNormalP,
  upperGammaRegularized,
} from './special'

/**
 * Agreement within 1e-6 *relative* to the reference: stricter than 1e-6 absolute for anything
 * below 1, and meaningful for tail probabilities such as Φ(−20) ≈ 2.8e-89. Where the reference is
 * exactly 0 (lnΓ(1), Φ⁻¹(½), an uplift of equal arms, and Φ(−38), which underflows in scipy) a
 * relative error is undefined, so the difference must be below 1e-14 instead.
 */
function expectClose(actual: number | null | undefined, expected: number | null, what: string) {
  if (expected === null) {
    expect(actual ?? null, what).toBeNull()
    return
  }
  expect(actual, what).toBeTypeOf('number')
  const error = Math.abs((actual as number) - expected)
  const allowed = expected === 0 ? 1e-14 : 1e-6 * Math.abs(expected)
  expect(error, `${what}: got ${actual}, expected ${expected}`).toBeLessThanOrEqual(allowed)
}

const totals = (t: { conversions: number; units: number }) => ({ ...t, exposures: t.units })

describe('special functions against scipy', () => {
  it.each(fixture.logGamma)('logGamma(%d)', (x, y) => {
    expectClose(logGamma(x as number), y as number, `logGamma(${x})`)
  })
  it.each(fixture.logBeta)('logBeta(%d, %d)', (a, b, y) => {
    expectClose(logBeta(a as number, b as number), y as number, `logBeta(${a}, ${b})`)
  })
  it.each(fixture.normalCdf)('normalCdf(%d)', (x, y) => {
    expectClose(normalCdf(x as number), y as number, `normalCdf(${x})`)
  })
  it.each(fixture.normalQuantile)('normalQuantile(%d)', (p, y) => {
    expectClose(normalQuantile(p as number), y as number, `normalQuantile(${p})`)
  })
  it.each(fixture.twoSidedNormalP)('twoSidedNormalP(%d)', (z, y) => {
    expectClose(twoSidedNormalP(z as number), y as number, `twoSidedNormalP(${z})`)
  })
  it.each(fixture.chiSquareSf)('chiSquareSf(%d, df %d)', (x, df, y) => {
    expectClose(chiSquareSf(x as number, df as number), y as number, `chiSquareSf(${x}, ${df})`)
  })
  it.each(fixture.upperGammaRegularized)('upperGammaRegularized(%d, %d)', (a, x, y) => {
    expectClose(upperGammaRegularized(a as number, x as number), y as number, `Q(${a}, ${x})`)
  })
})

describe('Wilson intervals against roots of the score equation', () => {
  it.each(fixture.wilson)('$conversions of $units at $level', (row) => {
    const interval = wilsonInterval(row.conversions, row.units, row.level)
    expectClose(interval?.lower, row.lower, 'lower')
    expectClose(interval?.upper, row.upper, 'upper')
  })
})

describe('comparisons against numpy, scipy and mpmath', () => {
  it.each(fixture.comparisons)('$name', (row) => {
    const control = totals(row.control)
    const treatment = totals(row.treatment)
    const uplift = relativeUplift(control, treatment)
    expectClose(uplift?.uplift, row.uplift, 'uplift')
    expectClose(uplift?.interval.lower, row.upliftLower, 'uplift lower')
    expectClose(uplift?.interval.upper, row.upliftUpper, 'uplift upper')
    expectClose(twoProportionPValue(control, treatment), row.pValue, 'p-value')
    expectClose(chanceToBeat(control, treatment), row.chanceToBeat, 'chance to beat')
    // compareArms is the same numbers in one record.
    expect(compareArms(control, treatment)).toEqual({
      uplift: uplift?.uplift ?? null,
      upliftInterval: uplift?.interval ?? null,
      pValue: twoProportionPValue(control, treatment),
      chanceToBeat: chanceToBeat(control, treatment),
    })
  })
})

describe('sample-ratio mismatch against scipy.stats.chisquare', () => {
  it.each(fixture.srm)('$observed against $expected', (row) => {
    const result = sampleRatioMismatch(row.observed, row.expected)
    expectClose(result.chiSquare, row.chiSquare, 'chi-square')
    expectClose(result.pValue, row.pValue, 'p-value')
  })
})
